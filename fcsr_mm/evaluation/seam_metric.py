"""How much the hole's border shows: the colour step across it in the result
beyond the same step in the ground truth."""
import numpy as np
from mmagic.registry import METRICS

from .hole_metrics import _HoleMetric


def border_step(img: np.ndarray, hole: np.ndarray) -> float:
    """Mean absolute colour difference (0..255, averaged over channels) of
    the neighbouring pixel pairs (horizontal and vertical) that straddle the
    border of ``hole`` (HxW bool) in ``img`` (HxWxC)."""
    steps = []
    for axis in (0, 1):
        a = np.swapaxes(img, 0, axis)
        h = np.swapaxes(hole, 0, axis)
        cross = h[1:] != h[:-1]
        diff = np.abs(a[1:] - a[:-1]).mean(-1)
        steps.append(diff[cross])
    steps = np.concatenate(steps)
    if not steps.size:
        raise ValueError('HoleSeam: the hole has no border inside the image')
    return float(steps.mean())


@METRICS.register_module()
class HoleSeam(_HoleMetric):
    """Excess colour step across the hole border (0..255 grey levels): the
    mean step between neighbouring pixels on either side of the border in
    the result, minus the same in the ground truth. 0 = the border shows no
    more than the face itself changes there; a flat tinted patch scores high.
    Lower is better; negative means smoother than the ground truth."""
    metric = 'HoleSeam'

    def score(self, gt, pred, hole):
        return border_step(pred, hole) - border_step(gt, hole)
