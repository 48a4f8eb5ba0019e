"""The training occlusion mix: kinds at their weights, seeded, never empty
and never the whole face; OccludeFace(occlusion='mix')."""
import collections

import numpy as np
import pytest

from fcsr_mm.datasets import OccludeFace
from fcsr_mm.datasets.occlusion_mix import TEMPLATES, OcclusionMix

MIX = dict(block=dict(weight=0.5), template=dict(weight=0.3),
           strokes=dict(weight=0.2))


def kind(label):
    return 'template' if label in TEMPLATES else label


def test_kinds_appear_at_their_weights_and_holes_are_partial():
    mix, rng = OcclusionMix(**MIX), np.random.default_rng(1)
    counts, names = collections.Counter(), set()
    for _ in range(3000):
        hole, label = mix.draw(rng, 32)
        assert hole.shape == (32, 32) and hole.dtype == bool
        assert 0 < hole.sum() < 32 * 32, label
        counts[kind(label)] += 1
        names.add(label)
    for name, cfg in MIX.items():  # 3 sigma of a binomial over 3000 draws
        assert abs(counts[name] / 3000 - cfg['weight']) < 0.03, counts
    assert set(TEMPLATES) <= names  # every template is drawn


def test_blocks_vary_in_size_and_aspect_up_to_half_the_face():
    mix, rng = OcclusionMix(block=dict(weight=1)), np.random.default_rng(0)
    shapes = set()
    for _ in range(500):
        hole, _ = mix.draw(rng, 32)
        rows, cols = np.nonzero(hole.any(1))[0], np.nonzero(hole.any(0))[0]
        h, w = len(rows), len(cols)
        assert hole.sum() == h * w and min(h, w) >= 8 and h * w <= 512
        shapes.add((h, w))
    assert min(h * w for h, w in shapes) <= 80
    assert any(h > 2 * w for h, w in shapes) and any(w > 2 * h
                                                     for h, w in shapes)
    assert max(h * w for h, w in shapes) > 400


def test_templates_jitter_around_the_face_parts():
    mix = OcclusionMix(template=dict(weight=1, names=['O6'], jitter=2))
    rng = np.random.default_rng(0)
    boxes = set()
    for _ in range(200):
        hole, label = mix.draw(rng, 32)
        assert label == 'O6'
        ys, xs = np.nonzero(hole)
        boxes.add((ys.min(), xs.min(), ys.max(), xs.max()))
        assert abs(ys.min() - 18) <= 2 and abs(xs.min() - 8) <= 2
    assert len(boxes) > 20


def test_seeded_masks_are_reproducible_and_differ_by_face():
    face = np.full((32, 32, 3), 128, np.uint8)
    pipe = [OccludeFace(occlusion='mix', mix=MIX, seed=0) for _ in range(2)]
    masks = [[p(dict(gt_lr=face, gt_path=f'/a/{i}.jpg'))['mask_lr']
              for i in range(20)] for p in pipe]
    for a, b in zip(*masks):
        np.testing.assert_array_equal(a, b)
    assert len({m.tobytes() for m in masks[0]}) == 20
    # the same file elsewhere on disk gets the same occlusion
    moved = pipe[0](dict(gt_lr=face, gt_path='/b/c/0.jpg'))['mask_lr']
    np.testing.assert_array_equal(moved, masks[0][0])


def test_strokes_leave_numpy_global_state_alone():
    mix = OcclusionMix(strokes=dict(weight=1))
    np.random.seed(5)
    expected = np.random.rand()
    np.random.seed(5)
    mix.draw(np.random.default_rng(0), 32)
    assert np.random.rand() == expected


@pytest.mark.parametrize('kwargs, words', [
    (dict(occlusion='mix'), "occlusion='mix' and mix"),
    (dict(occlusion='random', mix=MIX), "occlusion='mix' and mix"),
    (dict(occlusion='mix', mix=dict(blob=dict(weight=1))), 'unknown kind'),
    (dict(occlusion='mix', mix=dict(block=dict())), 'needs a weight'),
    (dict(occlusion='mix', mix=dict(block=dict(weight=1, side=3))),
     'has no setting'),
    (dict(occlusion='mix', mix=dict(template=dict(weight=1, names=['O9']))),
     'O9'),
])
def test_bad_mix_is_refused(kwargs, words):
    with pytest.raises(ValueError, match=words):
        OccludeFace(**kwargs)


def test_the_square_kind_is_the_papers_block():
    from fcsr_mm.datasets.occlusion_mix import OcclusionMix
    mix = OcclusionMix(square=dict(weight=1.0), strokes=dict(weight=1.0))
    rng = np.random.default_rng(0)
    labels = []
    for _ in range(400):
        hole, label = mix.draw(rng, 32)
        labels.append(label)
        if label == 'square':
            ys, xs = np.nonzero(hole)
            assert hole.sum() == 256 and np.ptp(ys) == np.ptp(xs) == 15
    assert 0.4 < labels.count('square') / 400 < 0.6
    hole, _ = OcclusionMix(square=dict(weight=1, side=8)).draw(rng, 128)
    assert hole.sum() == 32 * 32  # the side scales with the face


def test_the_occluder_kind_draws_occluder_shapes():
    from fcsr_mm.data.occluder_shapes import SHAPE_KINDS
    mix = OcclusionMix(occluder=dict(weight=1.0))
    rng = np.random.default_rng(2)
    labels = collections.Counter()
    for _ in range(300):
        hole, label = mix.draw(rng, 32)
        assert 0 < hole.sum() < 32 * 32
        labels[label] += 1
    # every shape is drawn, each about as often (none twice by an alias)
    assert set(labels) == set(SHAPE_KINDS) and 'texture' not in labels
    assert max(labels.values()) < 2.2 * min(labels.values()), labels
    glasses = OcclusionMix(occluder=dict(weight=1, names=['sunglasses'],
                                         grow=0))
    hole, label = glasses.draw(np.random.default_rng(0), 32)
    assert label == 'sunglasses' and hole[10, 10] and not hole[28, 16]
    grown, _ = OcclusionMix(occluder=dict(weight=1, names=['sunglasses'],
                                          grow=1)).draw(
        np.random.default_rng(0), 32)
    assert grown.sum() > hole.sum() and (grown >= hole).all()
    with pytest.raises(ValueError, match='occluder names'):
        OcclusionMix(occluder=dict(weight=1, names=['cape']))
