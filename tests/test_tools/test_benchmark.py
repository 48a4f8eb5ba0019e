"""The peers train with mmagic's code on our data, and the benchmark runs
them beside the baselines on the same synthetic faces."""
import csv
import os
import os.path as osp
import re

import pytest

PEERS = {
    'msrresnet': 'msrresnet_x4c64b16_1xb16-cpu_celeba128.py',
    'edsr': 'edsr_x4c64b16_1xb16-cpu_celeba128.py',
    'gl32': 'gl_1xb16-cpu_celeba128-32x32.py',
    'gl128': 'gl_1xb16-cpu_celeba128-128x128.py',
    'pconv128': 'pconv_1xb16-cpu_celeba128-128x128.py',
}


@pytest.fixture(scope='module')
def trained_peers(tool, repo, synthetic_root, data_opts, tmp_path_factory):
    """Every peer config trained for one iteration (batch 2) on synthetic
    faces with tools/train.py: {name: (config, checkpoint)}."""
    train = tool('train.py')
    out = {}
    for name, cfg in PEERS.items():
        cfg = osp.join(repo, 'configs/peers', cfg)
        work = str(tmp_path_factory.mktemp(name))
        opts = data_opts(osp.join(synthetic_root, 'aligned'))
        opts.update({'train_cfg.max_iters': 1, 'train_cfg.val_interval': 10,
                     'train_dataloader.batch_size': 2,
                     'default_hooks.checkpoint.interval': 1})
        # from the repository: the peers' configs keep relative paths the
        # run does not use (mmagic's Set5/Set14/DIV2K loaders, _face_set),
        # which tools/train.py checks when started elsewhere
        with pytest.MonkeyPatch.context() as mp:
            mp.chdir(repo)
            train.main([cfg, '--work-dir', work, '--cfg-options']
                       + [f'{k}={v}' for k, v in opts.items()])
        out[name] = (cfg, osp.join(work, 'iter_1.pth'))
    return out


def test_peers_train_one_iteration(trained_peers):
    for name, (_, ckpt) in trained_peers.items():
        assert osp.isfile(ckpt), name


def test_gl32_trains_on_the_occlusion_mix_in_every_phase(
        tool, repo, synthetic_root, data_opts, tmp_path, monkeypatch):
    """The mix config of GL(32): its discriminator phases (here from the
    first iteration) crop around strokes and templates, not only blocks."""
    opts = data_opts(osp.join(synthetic_root, 'aligned'))
    opts.update({'train_cfg.max_iters': 2, 'train_cfg.val_interval': 10,
                 'train_dataloader.batch_size': 2,
                 'default_hooks.checkpoint.interval': 2,
                 'model.train_cfg.iter_tc': 0, 'model.train_cfg.iter_td': 0,
                 # nearly no blocks: strokes and templates
                 'train_dataloader.dataset.pipeline.3.mix.block.weight':
                 1e-6})
    monkeypatch.chdir(repo)
    tool('train.py').main(
        [osp.join(repo, 'configs/peers/gl_1xb16-cpu_celeba128-32x32_mix.py'),
         '--work-dir', str(tmp_path), '--cfg-options']
        + [f'{k}={v}' for k, v in opts.items()])
    assert osp.isfile(tmp_path / 'iter_2.pth')


def write_rows(path, rows):
    import json
    with open(path, 'w') as f:
        json.dump(rows, f)
    return str(path)


def sequence_config(tmp_path, repo, name, steps):
    path = tmp_path / f'{name}.py'
    base = osp.join(repo, 'configs/_base_/comparison_celeba128.py')
    path.write_text(f'_base_ = {base!r}\nmodel = dict(steps={steps!r})\n')
    return str(path)


def run_benchmark(tool, data_config, rows_file, out_dir, synthetic_root,
                  *extra):
    bench = tool('analysis/benchmark.py')
    return bench.main([
        rows_file, '--out-dir', str(out_dir), '--data-config', data_config,
        '--data-root', osp.join(synthetic_root, 'aligned'), '--num-faces',
        '4', '--threads', '1', '--speed-batch', '2', '--batch-size', '2',
        *extra])


def baseline_metrics(repo, synthetic_root, data_opts, tmp_path) -> dict:
    """run_test's bicubic and Telea metrics on the benchmark's faces (the
    first 4 test faces)."""
    from fcsr_mm.apis import run_test
    out = {}
    for method in ('bicubic', 'telea'):
        opts = dict(data_opts(osp.join(synthetic_root, 'aligned')),
                    **{'test_dataloader.dataset.indices': 4,
                       'visualizer.name': f'vis_{method}_{tmp_path.name}'})
        out[method] = run_test(
            osp.join(repo, f'configs/baselines/{method}_synthetic.py'),
            cfg_options=opts, work_dir=str(tmp_path / method))
    return out


def test_benchmark_rows_end_to_end(tool, repo, trained_peers, synthetic_root,
                                   data_opts, benchmark_data_config,
                                   tmp_path):
    data = benchmark_data_config()
    (gl32, gl32_ckpt), (sr, sr_ckpt) = (trained_peers['gl32'],
                                        trained_peers['msrresnet'])
    gl128, _ = trained_peers['gl128']
    seq = sequence_config(tmp_path, repo, 'seq', [
        dict(role='inpaint', config=gl32, checkpoint=gl32_ckpt),
        dict(role='sr', config=sr, checkpoint=sr_ckpt)])
    # a 32 px GL checkpoint given to the 128 px GL step: another config
    wrong = sequence_config(tmp_path, repo, 'wrong', [
        dict(role='sr', config=sr, checkpoint=sr_ckpt),
        dict(role='inpaint', config=gl128, checkpoint=gl32_ckpt)])
    rows = write_rows(tmp_path / 'rows.json', [
        dict(name='Telea', config=osp.join(
            repo, 'configs/baselines/telea_synthetic.py')),
        dict(name='GL32 -> MSRResNet', config=seq, sequence=True),
        # marked as an ablation of the reference, for its own table
        dict(name='MSRResNet alone', config=sr, checkpoint=sr_ckpt,
             ablation=True),
        dict(name='wrong checkpoint', config=wrong, sequence=True),
    ])
    out = tmp_path / 'out'
    doc = tmp_path / 'docs' / 'comparison.md'
    code = run_benchmark(tool, data, rows, out, synthetic_root, '--protocols',
                         'random', 'O3', '--doc', str(doc))
    assert code == 1  # one row failed
    with open(out / 'results.csv') as f:
        table = list(csv.DictReader(f))
    assert [(r['name'], r['protocol']) for r in table][:2] == [
        ('Telea', 'random'), ('Telea', 'O3')]
    status = {(r['name'], r['protocol']): r for r in table}
    for name in ('Telea', 'GL32 -> MSRResNet', 'MSRResNet alone'):
        for p in ('random', 'O3'):
            row = status[(name, p)]
            assert row['status'] == 'ok'
            assert float(row['NIQE']) > 0 and float(row['faces_s']) > 0
    # the values a working row has: the Telea row is run_test's Telea on the
    # same faces and occlusions; an SR network alone (1 iteration: near its
    # bilinear start) enlarges the noise in the hole as bicubic does, and
    # the inpainter before it fills the hole (measured: +0.9 dB over
    # bicubic, +0.04 hole SSIM; the sequence 2.2 dB above in the hole)
    baselines = baseline_metrics(repo, synthetic_root, data_opts, tmp_path)
    for key in ('PSNR', 'SSIM', 'HolePSNR', 'HoleSSIM', 'lr/PSNR'):
        assert float(status[('Telea', 'random')][key]) == pytest.approx(
            baselines['telea'][key], abs=1e-3), key
    bicubic = baselines['bicubic']
    alone = {k: float(v) for k, v in status[('MSRResNet alone', 'random')]
             .items() if k in ('PSNR', 'HolePSNR', 'HoleSSIM')}
    seq = float(status[('GL32 -> MSRResNet', 'random')]['HolePSNR'])
    assert abs(alone['PSNR'] - bicubic['PSNR']) < 1.5, (alone, bicubic)
    assert alone['HoleSSIM'] < bicubic['HoleSSIM'] + 0.1, (alone, bicubic)
    assert seq > alone['HolePSNR'] + 1.0, (seq, alone)
    # a 32x32 stage only where the row has one
    assert status[('GL32 -> MSRResNet', 'random')]['lr/PSNR']
    assert not status[('MSRResNet alone', 'random')]['lr/PSNR']
    assert float(status[('GL32 -> MSRResNet', 'random')]['params']) > \
        float(status[('MSRResNet alone', 'random')]['params']) > 1e6
    bad = status[('wrong checkpoint', 'random')]['status']
    assert bad.startswith('failed') and 'does not fit' in bad
    assert 'iter_1.pth' in bad
    md = (out / 'results.md').read_text()
    assert '**failed:' in md and '| Telea |' in md
    # Fig. 9 paired over the same faces: the reference (Telea, first row)
    # minus the best sequence, whose mean is the difference of the means
    gap = float(status[('Telea', 'random')]['PSNR']) - float(
        status[('GL32 -> MSRResNet', 'random')]['PSNR'])
    paired = next(line for line in md.splitlines()
                  if line.startswith('| random | GL32 -> MSRResNet |'))
    mean, low, high = (float(v) for v in re.findall(r'[+-]\d+\.\d+',
                                                    paired)[:3])
    assert mean == pytest.approx(gap, abs=0.006) and low <= mean <= high
    assert '| O3 | GL32 -> MSRResNet |' in md
    assert 'The paper: "the joint model beats' in md
    # the ablation row: its own paired table, never the "best sequence"
    ablations = md[md.index('### Ablations: Telea against itself'):]
    assert '| random | MSRResNet alone |' in ablations
    assert 'Telea is ahead of MSRResNet alone beyond' in ablations
    assert '| MSRResNet alone |' not in md[:md.index('### Ablations')
                                           ].split('Joint vs sequence')[1]
    assert osp.isfile(out / 'runs' / 'Telea' / 'O3' / 'per_face.json')
    for key in ('PSNR', 'SSIM', 'HolePSNR', 'HoleSSIM', 'NIQE', 'lr_PSNR',
                'faces'):
        assert osp.getsize(out / f'{key}.png') > 1000
    page = doc.read_text()
    assert page.startswith('<!-- benchmark section: main -->')
    assert '<!-- written by tools/analysis/benchmark.py' in page
    assert '](comparison/main/PSNR.png)' in page
    assert 'faces.png' not in page  # pictures of faces only with --doc-grid
    assert osp.isfile(tmp_path / 'docs' / 'comparison' / 'main' / 'PSNR.png')
    # nothing is overwritten without --overwrite
    before = (out / 'results.csv').read_text()
    with pytest.raises(SystemExit, match='already exists'):
        run_benchmark(tool, data, rows, out, synthetic_root)
    assert (out / 'results.csv').read_text() == before
    with pytest.raises(SystemExit, match="section 'main'"):
        run_benchmark(tool, data, rows, tmp_path / 'out2', synthetic_root,
                      '--doc', str(doc))
    # another section of the page: written beside the first, 32 px columns,
    # its preamble files at its top in order
    setup, plan = tmp_path / 'setup.md', tmp_path / 'plan.md'
    setup.write_text('## How these ran\n')
    plan.write_text('| planned | table |\n')
    code = run_benchmark(tool, data, rows, tmp_path / 'out3', synthetic_root,
                         '--doc', str(doc), '--doc-section', 'fig11',
                         '--protocols', 'random', '--metrics', 'lr/PSNR',
                         'lr/SSIM', '--preamble', str(setup), str(plan))
    both = doc.read_text()
    assert both.startswith(page) and '<!-- benchmark section: fig11' in both
    fig11 = both[len(page):]
    assert '32x32 SSIM' in fig11 and 'hole PSNR' not in fig11
    assert (fig11.index('## How these ran') < fig11.index('| planned |')
            < fig11.index('32x32 SSIM'))


def test_rows_file_errors(tool, benchmark_data_config, tmp_path,
                          synthetic_root):
    data = benchmark_data_config()
    bad = write_rows(tmp_path / 'rows.json', [dict(name='x')])
    with pytest.raises(SystemExit, match='name and a config'):
        run_benchmark(tool, data, bad, tmp_path / 'o', synthetic_root)
    twice = write_rows(tmp_path / 'twice.json', [
        dict(name='a', config='c.py'), dict(name='a', config='d.py')])
    with pytest.raises(SystemExit, match='unique'):
        run_benchmark(tool, data, twice, tmp_path / 'o', synthetic_root)
    with pytest.raises(SystemExit, match='not found'):
        run_benchmark(tool, data, str(tmp_path / 'none.yaml'), tmp_path / 'o',
                      synthetic_root)
    assert not os.path.exists(tmp_path / 'o')


def test_rows_still_training_are_left_out_and_named(tool, tmp_path):
    """--skip-untrained: a row whose checkpoint (its own, or a sequence
    step's in cfg_options) does not exist yet is left out; training-free
    rows and trained rows stay."""
    done = tmp_path / 'done.pth'
    done.write_bytes(b'')
    rows = [dict(name='joint', config='a.py', checkpoint=str(done)),
            dict(name='seq', config='b.py', sequence=True, cfg_options={
                'model.steps.0.checkpoint': str(done),
                'model.steps.1.checkpoint': str(tmp_path / 'later.pth')}),
            dict(name='bicubic', config='c.py')]
    benchmark = tool('analysis/benchmark.py')
    kept, untrained = benchmark.untrained_rows(rows, skip=True)
    assert [r['name'] for r in kept] == ['joint', 'bicubic']
    assert untrained == ['seq']
    assert benchmark.untrained_rows(rows, skip=False) == (rows, [])
    with pytest.raises(SystemExit, match='no row has its checkpoints'):
        benchmark.untrained_rows([rows[1]], skip=True)


def test_only_the_named_rows_run_in_the_files_order(tool):
    """--only keeps the rows it names in the rows file's order; a name the
    file lacks stops the run and lists the file's rows."""
    rows = [dict(name=n, config=f'{n}.py') for n in ('joint', 'seq', 'bic')]
    benchmark = tool('analysis/benchmark.py')
    assert benchmark.chosen_rows(rows, None) == rows
    assert [r['name'] for r in benchmark.chosen_rows(rows, ['bic', 'joint'])
            ] == ['joint', 'bic']
    with pytest.raises(SystemExit, match=r"\['nope'\].*'joint', 'seq'"):
        benchmark.chosen_rows(rows, ['joint', 'nope'])
