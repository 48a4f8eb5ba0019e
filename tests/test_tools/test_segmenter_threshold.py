"""tools/analysis/segmenter_threshold.py on synthetic faces with a segmenter
trained 4 iterations: one row per setting, a higher threshold never marks
more clean pixels, the table is written once and never overwritten."""
import os.path as osp

import pytest


def test_sweep_writes_one_row_per_setting(tool, synthetic_root,
                                          trained_segmenter, tmp_path):
    seg_cfg, seg_ckpt, data = trained_segmenter
    out = tmp_path / 'thr.md'
    args = [seg_cfg, seg_ckpt, '--data', data, '--faces',
            osp.join(synthetic_root, 'aligned'), '--num-clean', '3',
            '--thresholds', '0.001', '0.5', '0.999', '--min-areas', '1', '6',
            '--threads', '1', '--out', str(out)]
    sweep = tool('analysis/segmenter_threshold.py')
    sweep.main(args)
    rows = [line for line in out.read_text().splitlines()
            if line[:3] in ('| 0', '| 1')]
    assert len(rows) == 6
    pixels = {(float(r.split('|')[1]), int(r.split('|')[2])):
              float(r.split('|')[4].strip(' %')) for r in rows}
    for area in (1, 6):
        assert pixels[(0.001, area)] >= pixels[(0.5, area)] >= \
            pixels[(0.999, area)]
    assert pixels[(0.001, 1)] > pixels[(0.999, 1)]
    assert '3 clean validation faces' in out.read_text()
    before = out.read_text()
    with pytest.raises(SystemExit, match='already exists'):
        sweep.main(args)
    assert out.read_text() == before
    with pytest.raises(SystemExit, match=r'\(0, 1\)'):
        sweep.main(args[:-2] + ['--thresholds', '1.5', '--out',
                                str(tmp_path / 'other.md')])
