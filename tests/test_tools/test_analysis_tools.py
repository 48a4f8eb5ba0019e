import json
import os.path as osp

import cv2
import numpy as np
import pytest


def test_results_table(tool, tmp_path):
    table = tool('analysis/results_table.py')
    a = tmp_path / 'a.json'
    a.write_text(json.dumps({'PSNR': 21.234, 'SSIM': 0.71234, 'HolePSNR': 15.0}))
    out = tmp_path / 't.md'
    text = table.main([f'model={a}', '--out', str(out)])
    assert '| model | 21.23 | 0.7123 | 15.00 | - | - |' in text
    assert out.read_text() == text
    with pytest.raises(SystemExit, match='NAME=FILE'):
        table.main([f'model={tmp_path / "missing.json"}'])


def test_collect_grid(tool, tmp_path):
    grid = tool('analysis/collect_grid.py')
    vis = tmp_path / 'run' / 'vis_data' / 'vis_image'
    vis.mkdir(parents=True)
    for i in range(3):
        cv2.imwrite(str(vis / f'{i}.png'), np.full((128, 512, 3), i * 50,
                                                    np.uint8))
    grid.main([str(tmp_path), '--out', str(tmp_path / 'g.png'), '--num', '2'])
    assert cv2.imread(str(tmp_path / 'g.png')).shape == (2 * 132, 512, 3)
    with pytest.raises(SystemExit, match='no result images'):
        grid.main([str(tmp_path / 'run2'), '--out', str(tmp_path / 'x.png')])


def test_occlusion_table(tool, repo, synthetic_root, tmp_path):
    """Table I on the bicubic baseline: six runs, six different inputs."""
    table_tool = tool('analysis/occlusion_table.py')
    cfg = osp.join(repo, 'configs/baselines/bicubic_synthetic.py')
    opts = []
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        opts += [f'{loader}.dataset.data_root={synthetic_root}/aligned',
                 f'{loader}.num_workers=0', f'{loader}.persistent_workers=False']
    out = str(tmp_path / 'table1')
    results = table_tool.main([cfg, '--out-dir', out, '--cfg-options', *opts])
    assert list(results) == ['O1', 'O2', 'O3', 'O4', 'O5', 'O6']
    psnr = [m['PSNR'] for m in results.values()]
    assert len(set(psnr)) == 6  # each occlusion hides a different part
    # half-face occlusions hide more than one eye
    assert results['O1']['PSNR'] < results['O4']['PSNR']
    table = open(osp.join(out, 'table.md')).read()
    mean = sum(psnr) / 6
    assert f'| mean | {mean:.2f} |' in table
    before = open(osp.join(out, 'O1.json')).read()
    with pytest.raises(SystemExit, match='already exists'):
        table_tool.main([cfg, '--out-dir', out])
    assert open(osp.join(out, 'O1.json')).read() == before
