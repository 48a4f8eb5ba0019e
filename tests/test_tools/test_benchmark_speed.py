"""tools/analysis/benchmark_speed.py: a real (tiny) measurement."""
import os.path as osp

import pytest


def test_benchmark_writes_a_table(tool, repo, tmp_path):
    bench = tool('analysis/benchmark_speed.py')
    out = tmp_path / 'bench.md'
    rows = bench.main([osp.join(repo, 'configs/fcsr_stage2_synthetic.py'),
                       '--batch-sizes', '2', '--repeats', '1', '--warmup',
                       '0', '--threads', '1', '--out', str(out)])
    assert [(r['mode'], r['batch']) for r in rows] == [('inference', 2),
                                                      ('train step', 2)]
    assert all(r['ms'] > 0 and r['mem_mib'] >= 0 for r in rows)
    # a train step keeps activations and Adam state: it needs more memory
    assert rows[1]['mem_mib'] > rows[0]['mem_mib']
    text = out.read_text()
    assert '| train step | 2 |' in text and 'M parameters' in text


def test_benchmark_bad_input(tool, tmp_path):
    bench = tool('analysis/benchmark_speed.py')
    with pytest.raises(SystemExit, match='not found'):
        bench.main([str(tmp_path / 'nope.py')])


# ----------------------------------------------------- the precision table
STAGE1 = 'configs/fcsr_stage1_synthetic.py'
STAGE2 = 'configs/fcsr_stage2_synthetic.py'
INFERENCE = ['fp32', 'channels_last fp32', 'channels_last bf16',
             'onnxruntime']


def _native(monkeypatch, native):
    from fcsr_mm.utils import precision
    monkeypatch.setattr(precision, 'native_bf16', lambda device='cpu': (
        native, 'mocked: bf16 native' if native else 'mocked: no bf16'))


def _tiny_table(bench, repo, tmp_path, *extra):
    return bench.main([
        osp.join(repo, STAGE2), '--table', 'precision', '--batch-sizes', '1',
        '--repeats', '1', '--warmup', '0', '--threads', '1',
        '--train-batch', '2', '--phases', f'{osp.join(repo, STAGE1)}:l1',
        '--out', str(tmp_path / 'precision.md'), *extra])


def test_precision_table_rows_and_ratios(tool, repo, tmp_path, monkeypatch):
    """Every row, ratios to fp32 of the same batch / phase, and bf16 rows
    that say "not supported here" where bf16 is not native."""
    from fcsr_mm.benchmark.timing import cpu_name
    _native(monkeypatch, False)
    out = _tiny_table(tool('analysis/benchmark_speed.py'), repo, tmp_path)
    infer, train = out['inference'], out['train']
    assert [r['name'] for r in infer] == INFERENCE
    fp32 = infer[0]['faces_s']
    for r in infer:
        if r['name'] == 'channels_last bf16':
            assert r['faces_s'] is None and r['ratio'] is None
            assert r['note'] == 'unsupported'
        else:
            assert r['faces_s'] > 0
            assert r['ratio'] == pytest.approx(r['faces_s'] / fp32)
            # FLOPs per face x faces/s: the same GFLOP per face each row
            assert r['gflops_s'] / r['faces_s'] == pytest.approx(
                infer[0]['gflops_s'] / fp32)
    assert [(r['phase'], r['precision']) for r in train] == [
        ('l1', 'fp32'), ('l1', 'bf16')]
    assert train[0]['it_s'] > 0 and train[0]['ratio'] == 1.0
    assert train[1]['it_s'] is None and train[1]['note'] == 'unsupported'
    text = (tmp_path / 'precision.md').read_text()
    assert text == out['text']
    assert '| channels_last bf16 | 1 | not supported here |' in text
    assert '| bf16 autocast | not supported here |' in text
    for name in ('fp32', 'channels_last fp32', 'onnxruntime'):
        assert f'| {name} | 1 |' in text
    for words in (f'**{cpu_name()}**', 'oneDNN v',
                  '`native_bf16()`: False (mocked: no bf16)', 'random',
                  'Peak FLOP/s is an estimate', 'GFLOP per face',
                  'for the whole command'):
        assert words in text


def test_precision_table_native_bf16(tool, repo, tmp_path, monkeypatch):
    """With native bf16 (mocked; emulated on this CPU, tiny inputs) the bf16
    rows are timed, unlabelled, with ratios, and the goals are checked."""
    _native(monkeypatch, True)
    out = _tiny_table(tool('analysis/benchmark_speed.py'), repo, tmp_path)
    bf16 = [r for r in out['inference'] if r['dtype'] == 'bf16']
    assert len(bf16) == 1 and bf16[0]['faces_s'] > 0
    assert bf16[0]['ratio'] == pytest.approx(
        bf16[0]['faces_s'] / out['inference'][0]['faces_s'])
    train = out['train'][1]
    assert train['precision'] == 'bf16' and train['it_s'] > 0
    assert train['ratio'] == pytest.approx(
        train['it_s'] / out['train'][0]['it_s'])
    assert 'not supported here' not in out['text']
    assert '(emulated)' not in out['text']
    assert 'Issue 18 goals' in out['text'] and '`l1` of' in out['text']


def test_emulated_rows_are_labelled():
    from fcsr_mm.benchmark.speed_machine import Machine
    from fcsr_mm.benchmark.speed_table import precision_table
    machine = Machine('test CPU', (), False, 'no bf16', 2, 2.0, 'given', 32,
                      'AVX2 FMA', None, 'none')
    infer = [dict(name=n, batch=4, dtype=d, note=note, ms=1.0, faces_s=f,
                  gflops_s=f * 1.5, peak_gflops=machine.peak_gflops(d))
             for n, d, note, f in (('fp32', 'fp32', '', 10.0),
                                   ('channels_last bf16', 'bf16',
                                    'emulated', 2.0))]
    train = [dict(config='c.py', phase='sr', trains=['sr'], terms=['pixel'],
                  discriminators=[], batch=4, precision=p, it_s=s, note=n)
             for p, s, n in (('fp32', 4.0, ''), ('bf16', 1.0, 'emulated'))]
    text = precision_table(machine, 'torch x', infer, train, dict(
        config='c.py', threads=2, warmup=0, repeats=1, wall_s=1.0,
        command='cmd', onnx='not measured', gflop_per_face=1.5))
    # peak: 2 cores x 2 GHz x 32 = 128 GFLOP/s; 15 GFLOP/s is 12 %
    assert '| fp32 | 4 | 10.0 | 1.00 | 15.0 | 12 |' in text
    assert '| channels_last bf16 (emulated) | 4 | 2.0 | 0.20 | 3.0 |  |' \
        in text
    assert '| bf16 autocast (emulated) | 1.00 | 0.25 |' in text
    assert '= 128 GFLOP/s' in text


MARKED = ('# Doc\r\n\nbefore  \n<!-- precision-table:start -->\nold table\n'
          '<!-- precision-table:end -->\ntrailing\ttext\n\n')


def test_replace_section_keeps_the_rest(tmp_path):
    from fcsr_mm.benchmark.speed_table import END, START, replace_section
    doc = tmp_path / 'doc.md'
    doc.write_bytes(MARKED.encode())
    replace_section(str(doc), 'new\ntable\n')
    got = doc.read_bytes().decode()
    head, tail = MARKED.split(START)[0], MARKED.split(END)[1]
    assert got == head + START + '\nnew\ntable\n' + END + tail
    replace_section(str(doc), 'new\ntable\n')  # again: the same file
    assert doc.read_bytes().decode() == got


def test_named_sections_are_kept_apart(tmp_path):
    from fcsr_mm.benchmark.speed_table import (replace_section,
                                               section_markers)
    amx = section_markers('intel-amx')
    doc = tmp_path / 'doc.md'
    doc.write_text(MARKED + f'{amx[0]}\nold amx\n{amx[1]}\n')
    replace_section(str(doc), 'new amx', *amx)
    got = doc.read_text()
    assert 'old table' in got and 'new amx' in got and 'old amx' not in got
    with pytest.raises(ValueError, match='section name'):
        section_markers('has space')


@pytest.mark.parametrize('text', [
    '# no markers\n', '<!-- precision-table:start -->\nonly the start\n',
    '<!-- precision-table:end -->\n<!-- precision-table:start -->\n',
    MARKED + MARKED])
def test_replace_section_refuses(tmp_path, text):
    from fcsr_mm.benchmark.speed_table import replace_section
    doc = tmp_path / 'doc.md'
    doc.write_bytes(text.encode())
    with pytest.raises(ValueError, match='precision-table'):
        replace_section(str(doc), 'table')
    assert doc.read_bytes() == text.encode()


def test_update_doc_refused_before_measuring(tool, repo, tmp_path):
    bench = tool('analysis/benchmark_speed.py')
    doc = tmp_path / 'doc.md'
    doc.write_text('# no markers\n')
    with pytest.raises(SystemExit, match='needs exactly one'):
        bench.main([osp.join(repo, STAGE2), '--table', 'precision',
                    '--update-doc', str(doc)])
    with pytest.raises(SystemExit, match=r"nope'.*has phases \['l1', "):
        bench.main([osp.join(repo, STAGE2), '--table', 'precision',
                    '--phases', f'{osp.join(repo, STAGE1)}:nope'])
    with pytest.raises(SystemExit,
                       match='measures the CPU|CUDA is not available'):
        bench.main([osp.join(repo, STAGE2), '--table', 'precision',
                    '--device', 'cuda'])


def test_default_phases(tool, repo):
    bench = tool('analysis/benchmark_speed.py')
    stage2 = osp.join(repo, 'configs', 'fcsr_stage2_synthetic.py')
    assert bench.default_phases(stage2) == [
        osp.join(repo, 'configs', 'fcsr_stage1_synthetic.py') + ':l1',
        stage2 + ':first', stage2 + ':last']


def test_bf16_wrappers(repo):
    """bf16 rows train through AutocastOptimWrapper at bf16; fp32 rows
    through the config's own wrappers."""
    from fcsr_mm.benchmark.train_speed import set_wrappers
    from mmengine.config import Config
    cfg = Config.fromfile(osp.join(repo, STAGE2))
    bf16 = set_wrappers(cfg, 'bf16').optim_wrapper
    fp32 = set_wrappers(cfg, 'fp32').optim_wrapper
    for part in ('generator', 'discriminators'):
        assert bf16[part]['type'] == 'AutocastOptimWrapper'
        assert bf16[part]['precision'] == 'bf16'
        assert fp32[part].get('precision', 'fp32') == 'fp32'
    assert cfg.optim_wrapper.generator.type == 'OptimWrapper'  # a copy
