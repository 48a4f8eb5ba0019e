"""How much the filled hole shows: the colour step across its border in the
result beyond the same step in the ground truth (HoleSeam), and its colour
cast against the ground truth's hole (HoleTint)."""
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


@METRICS.register_module()
class HoleTint(_HoleMetric):
    """Colour cast of the filled hole (0..255 grey levels): the absolute
    difference between the result's and the ground truth's mean colour
    inside the hole, averaged over the channels. A seam can be soft and the
    patch still show as a tinted square: this is that tint. 0 = no cast;
    lower is better."""
    metric = 'HoleTint'

    def score(self, gt, pred, hole):
        return float(np.abs(pred[hole].mean(0) - gt[hole].mean(0)).mean())
