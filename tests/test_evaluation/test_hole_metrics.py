import numpy as np
import pytest
import torch

from fcsr_mm.evaluation import HolePSNR, HoleSSIM, ssim_map


def _sample(gt, pred, mask):
    return dict(gt_img=torch.tensor(gt), mask=torch.tensor(mask),
                output=dict(pred_img=torch.tensor(pred)))


def test_hole_psnr_counts_only_the_hole():
    gt = np.full((3, 8, 8), 100.0)
    pred = gt.copy()
    pred[:, :4] += 10  # error inside the hole (top half)
    pred[:, 4:] += 50  # larger error outside, ignored
    mask = np.zeros((1, 8, 8))
    mask[:, :4] = 1
    metric = HolePSNR()
    metric.process([], [_sample(gt, pred, mask)])
    expected = 10 * np.log10(255**2 / 100)
    assert metric.results[0]['HolePSNR'] == pytest.approx(expected)


def test_hole_ssim_identical_is_one_and_drops_with_noise():
    rng = np.random.default_rng(0)
    gt = rng.uniform(0, 255, (3, 32, 32))
    mask = np.zeros((1, 32, 32))
    mask[:, 8:24, 8:24] = 1
    metric = HoleSSIM()
    metric.process([], [_sample(gt, gt, mask)])
    noisy = np.clip(gt + rng.normal(0, 40, gt.shape), 0, 255)
    metric.process([], [_sample(gt, noisy, mask)])
    assert metric.results[0]['HoleSSIM'] == pytest.approx(1.0)
    assert metric.results[1]['HoleSSIM'] < 0.9
    assert ssim_map(gt[0], gt[0]).shape == (32, 32)


def test_ssim_map_is_wangs_with_an_11x11_gaussian_window():
    """scikit-image's map equals Wang et al.'s formula with OpenCV's 11x11
    Gaussian (sigma 1.5, reflected borders), what the metric computed
    before it called scikit-image."""
    import cv2
    rng = np.random.default_rng(1)
    a = rng.uniform(0, 255, (40, 40))
    b = np.clip(a + rng.normal(0, 25, a.shape), 0, 255)

    def blur(x):
        return cv2.GaussianBlur(x, (11, 11), 1.5,
                                borderType=cv2.BORDER_REFLECT)

    c1, c2 = (0.01 * 255)**2, (0.03 * 255)**2
    mu1, mu2 = blur(a), blur(b)
    s11, s22 = blur(a * a) - mu1**2, blur(b * b) - mu2**2
    s12 = blur(a * b) - mu1 * mu2
    want = ((2 * mu1 * mu2 + c1) * (2 * s12 + c2)) / (
        (mu1**2 + mu2**2 + c1) * (s11 + s22 + c2))
    assert np.abs(ssim_map(a, b) - want).max() < 1e-10


def test_empty_hole_is_an_error():
    gt = np.zeros((3, 8, 8))
    with pytest.raises(ValueError, match='empty'):
        HolePSNR().process([], [_sample(gt, gt, np.zeros((1, 8, 8)))])


@pytest.mark.parametrize('metric_type', [HolePSNR, HoleSSIM])
def test_hole_metrics_see_only_the_hole(metric_type):
    """Changing pixels beyond the SSIM window (5 px) around the hole leaves
    the score unchanged; changing one pixel inside changes it."""
    rng = np.random.default_rng(1)
    gt = rng.uniform(0, 255, (3, 48, 48))
    pred = np.clip(gt + rng.normal(0, 20, gt.shape), 0, 255)
    mask = np.zeros((1, 48, 48))
    mask[:, 16:32, 16:32] = 1
    far = np.ones((48, 48), bool)
    far[16 - 5:32 + 5, 16 - 5:32 + 5] = False
    outside = pred.copy()
    outside[:, far] = 255 - outside[:, far]
    inside = pred.copy()
    inside[:, 24, 24] = 255 - inside[:, 24, 24]

    def score(p):
        metric = metric_type()
        metric.process([], [_sample(gt, p, mask)])
        return metric.results[0][metric_type.metric]
    assert score(outside) == pytest.approx(score(pred), abs=1e-12)
    assert abs(score(inside) - score(pred)) > 1e-4
