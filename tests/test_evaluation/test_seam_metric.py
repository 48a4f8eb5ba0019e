"""The seam and tint measures on constructed images: a flat tinted patch
shows, a smooth fill does not."""
import numpy as np
import pytest

from fcsr_mm.evaluation import HoleSeam, HoleTint, border_step


def face_and_hole(size=32):
    y, x = np.mgrid[:size, :size].astype(np.float64)
    gt = np.stack([60 + 4 * x, 80 + 3 * y, 100 + 2 * (x + y)], -1)
    hole = np.zeros((size, size), bool)
    hole[8:24, 10:22] = True
    return gt, hole


def score(gt, pred, hole, metric=HoleSeam):
    chw = lambda a: a.transpose(2, 0, 1)  # noqa: E731  as mmagic passes
    return metric().process_image(chw(gt), chw(pred), hole[None] * 1.0)


def test_ground_truth_scores_zero_and_a_tinted_patch_scores_high():
    gt, hole = face_and_hole()
    assert score(gt, gt, hole) == pytest.approx(0)
    tinted = gt.copy()
    tinted[hole] = gt[hole].mean(0) + 25  # one flat colour, brighter
    smooth = gt.copy()  # the same gradient, a little off in level
    smooth[hole] = gt[hole] + 2
    flat, fine = score(gt, tinted, hole), score(gt, smooth, hole)
    assert flat > 15 and fine < 3 and flat > 5 * fine


def test_border_step_counts_only_pairs_across_the_border():
    img = np.zeros((6, 6, 3))
    hole = np.zeros((6, 6), bool)
    hole[2:4, 2:4] = True
    img[hole] = 90  # 8 pairs cross the border, each a step of 90
    img[0, 0] = 255  # far from the border: ignored
    assert border_step(img, hole) == pytest.approx(90)


def test_a_hole_without_border_is_refused():
    gt = np.zeros((4, 4, 3))
    with pytest.raises(ValueError, match='no border'):
        border_step(gt, np.ones((4, 4), bool))


def test_tint_is_the_colour_cast_inside_the_hole():
    gt, hole = face_and_hole()
    assert score(gt, gt, hole, HoleTint) == pytest.approx(0)
    cast = gt.copy()
    cast[hole] += [30, 0, 0]  # one channel brighter: (30 + 0 + 0) / 3
    assert score(gt, cast, hole, HoleTint) == pytest.approx(10)
    blurred = gt.copy()  # flat at the right mean colour: no tint, a seam
    blurred[hole] = gt[hole].mean(0)
    assert score(gt, blurred, hole, HoleTint) == pytest.approx(0)
    assert score(gt, blurred, hole) > 3
    outside = gt.copy()
    outside[~hole] += 50  # the rest of the face does not count
    assert score(gt, outside, hole, HoleTint) == pytest.approx(0)
