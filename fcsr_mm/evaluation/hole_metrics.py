"""PSNR and SSIM inside the hole (mmagic's PSNR/SSIM score whole images)."""
from typing import Optional

import numpy as np
from mmagic.evaluation.metrics.base_sample_wise_metric import \
    BaseSampleWiseMetric
from mmagic.registry import METRICS
from skimage.metrics import structural_similarity

from fcsr_mm.utils.tensor_image import tensor_to_image


def ssim_map(img1: np.ndarray, img2: np.ndarray) -> np.ndarray:
    """Per-pixel SSIM of two HxW images in 0..255 (Wang et al. 2004: 11x11
    Gaussian window, sigma 1.5, reflected borders), same size as the
    inputs: scikit-image's full SSIM map."""
    return structural_similarity(
        img1, img2, data_range=255, gaussian_weights=True, sigma=1.5,
        use_sample_covariance=False, full=True)[1]


class _HoleMetric(BaseSampleWiseMetric):
    """Scores ``pred_key`` against ``gt_key`` on the pixels where
    ``mask_key`` is 1."""

    def __init__(self, gt_key: str = 'gt_img', pred_key: str = 'pred_img',
                 mask_key: str = 'mask', collect_device: str = 'cpu',
                 prefix: Optional[str] = None):
        super().__init__(gt_key=gt_key, pred_key=pred_key, mask_key=mask_key,
                         collect_device=collect_device, prefix=prefix)

    def process_image(self, gt, pred, mask):
        gt, pred, mask = (tensor_to_image(x, np.float64)
                           for x in (gt, pred, mask))
        mask = mask[..., 0]
        hole = mask > 0.5
        if not hole.any():
            raise ValueError(f'{type(self).__name__}: a sample has an empty '
                             f'{self.mask_key!r}; it needs a hole')
        return self.score(gt, pred, hole)


@METRICS.register_module()
class HolePSNR(_HoleMetric):
    """PSNR (dB, 0..255 RGB/BGR, all channels) inside the hole."""
    metric = 'HolePSNR'

    def score(self, gt, pred, hole):
        mse = ((gt - pred)**2)[hole].mean()
        return float('inf') if mse == 0 else 10 * np.log10(255.0**2 / mse)


@METRICS.register_module()
class HoleSSIM(_HoleMetric):
    """SSIM inside the hole: the per-pixel SSIM map averaged over the hole
    and the channels."""
    metric = 'HoleSSIM'

    def score(self, gt, pred, hole):
        maps = [ssim_map(gt[..., c], pred[..., c]) for c in range(gt.shape[2])]
        return float(np.mean([m[hole].mean() for m in maps]))
