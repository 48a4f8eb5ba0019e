"""Is one restorer better than another on the same faces, beyond the noise
of which faces were drawn? The paired bootstrap over faces: resample faces
with replacement, keep each face's two scores together."""
from typing import Dict, Sequence

import numpy as np


def paired_difference(a: Sequence[float], b: Sequence[float],
                      higher_is_better: bool = True, samples: int = 2000,
                      confidence: float = 0.95, seed: int = 0) -> Dict:
    """Mean of ``a - b`` over faces with its bootstrap interval.

    Args:
        a, b (Sequence[float]): Per-face scores of two restorers on the
            same faces in the same order.
        higher_is_better (bool): Whether a larger score is better (PSNR);
            False for NIQE or the seam. Default: True.
        samples (int): Bootstrap resamples. Default: 2000.
        confidence (float): Interval coverage. Default: 0.95.
        seed (int): Resampling seed (the same faces give the same
            interval). Default: 0.

    Returns:
        dict: ``mean``, ``low``, ``high`` (of ``a - b``), ``faces`` and
        ``verdict``: 'a' or 'b' when the interval excludes zero in that
        one's favour, else 'tie'.
    """
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape or a.ndim != 1 or not a.size:
        raise ValueError(f'paired scores need two equal, non-empty lists, '
                         f'got {a.shape} and {b.shape}')
    if not (np.isfinite(a).all() and np.isfinite(b).all()):
        raise ValueError('paired scores hold NaN/inf (e.g. the PSNR of a '
                         'face restored exactly); drop such faces first')
    diff = a - b
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, diff.size, size=(samples, diff.size))
    means = diff[picks].mean(axis=1)
    tail = (1 - confidence) / 2 * 100
    low, high = np.percentile(means, [tail, 100 - tail])
    a_higher_wins = 'a' if higher_is_better else 'b'
    a_lower_wins = 'b' if higher_is_better else 'a'
    verdict = a_higher_wins if low > 0 else a_lower_wins if high < 0 \
        else 'tie'
    return dict(mean=float(diff.mean()), low=float(low), high=float(high),
                faces=int(diff.size), verdict=verdict)


def aligned_scores(first: Dict, second: Dict, metric: str):
    """The two per-face score lists of ``metric`` (``PerFaceScoresHook``
    files), checked to name the same faces in the same order."""
    if first['faces'] != second['faces']:
        raise ValueError('the two per-face score files name different faces '
                         '(or another order): a paired comparison needs the '
                         'same test faces')
    for scores in (first, second):
        if metric not in scores:
            raise ValueError(f'no per-face {metric!r} scores; they have '
                             f'{sorted(k for k in scores if k != "faces")}')
    return first[metric], second[metric]
