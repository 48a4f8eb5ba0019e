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
