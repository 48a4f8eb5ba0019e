import json

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
