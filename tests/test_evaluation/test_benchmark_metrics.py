"""The benchmark's NIQE column and the optional 32x32 PSNR."""
import numpy as np
import pytest
import torch
from mmagic.registry import METRICS

import fcsr_mm  # noqa: F401  registers StagePSNR


def face(synthetic_root):
    import cv2
    import os.path as osp
    root = osp.join(synthetic_root, 'aligned')
    name = open(osp.join(root, 'meta', 'test.txt')).readline().strip()
    return cv2.imread(osp.join(root, 'images', name))


def niqe_of(metric, img: np.ndarray) -> float:
    chw = torch.from_numpy(img.transpose(2, 0, 1).astype(np.float32))
    metric.results = []
    # NIQE reads no ground truth; mmagic's base metric fetches one anyway
    metric.process([], [dict(gt_img=chw, output=dict(pred_img=chw))])
    return metric.compute_metrics(metric.results)['NIQE']


def test_niqe_ranks_noise_and_blocks_worse(synthetic_root):
    """NIQE as the benchmark configures it: the face scores better (lower)
    than the same face with strong noise or blown-up 8x8 blocks."""
    import cv2
    metric = METRICS.build(dict(type='NIQE', input_order='CHW',
                                convert_to='gray'))
    img = face(synthetic_root)
    rng = np.random.default_rng(0)
    noisy = np.clip(img + rng.normal(0, 40, img.shape), 0, 255)
    blocky = cv2.resize(cv2.resize(img, (16, 16)), (128, 128),
                        interpolation=cv2.INTER_NEAREST)
    clean = niqe_of(metric, img.astype(np.float32))
    assert clean < niqe_of(metric, noisy.astype(np.float32))
    assert clean < niqe_of(metric, blocky.astype(np.float32))


def test_stage_psnr_skips_rows_without_the_stage():
    metric = METRICS.build(dict(type='StagePSNR', gt_key='gt_lr',
                                pred_key='pred_lr', prefix='lr'))
    gt = torch.full((3, 8, 8), 100.)
    with_stage = dict(gt_lr=gt, output=dict(pred_lr=gt + 10))
    without = dict(gt_lr=gt, output=dict(pred_img=gt))
    metric.process([], [without, with_stage, without])
    assert len(metric.results) == 1
    assert metric.compute_metrics(metric.results)['PSNR'] == pytest.approx(
        20 * np.log10(255 / 10), abs=1e-3)
    metric.results = []
    metric.process([], [without])
    assert metric.compute_metrics(metric.results) == {}
    ssim = METRICS.build(dict(type='StageSSIM', gt_key='gt_lr',
                              pred_key='pred_lr', prefix='lr'))
    face = torch.rand(3, 32, 32) * 255
    ssim.process([], [without, dict(gt_lr=face, output=dict(pred_lr=face))])
    assert ssim.compute_metrics(ssim.results)['SSIM'] == pytest.approx(1)
