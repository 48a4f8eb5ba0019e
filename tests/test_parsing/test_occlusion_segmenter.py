"""The occlusion segmenter: its config trains through tools/train.py on the
converter's output; OcclusionSegmenter loads it, predicts 32x32 masks, drops
specks and grows by its margin; a parser of other classes is refused."""
import os
import os.path as osp

import numpy as np
import pytest

from fcsr_mm.data.occluder_shapes import grow_mask
from fcsr_mm.parsing.occlusion_segmenter import OcclusionSegmenter, drop_specks

def test_config_trains_and_predicts_32px_masks(trained_segmenter):
    import cv2
    cfg, ckpt, data = trained_segmenter
    assert osp.isfile(ckpt)
    val = osp.join(data, 'images', 'val')
    face = cv2.imread(osp.join(val, sorted(os.listdir(val))[0]))
    seg = OcclusionSegmenter(cfg, ckpt, margin=0, min_area=0)
    small = cv2.resize(face, (32, 32), interpolation=cv2.INTER_AREA)
    probs = seg.probabilities([small, face])  # 128 px is resized to 32
    assert probs.shape == (2, 32, 32)
    assert ((probs >= 0) & (probs <= 1)).all()
    np.testing.assert_allclose(probs[0], probs[1], atol=1e-5)
    raw = seg.predict([small])[0]
    np.testing.assert_array_equal(raw, probs[0] >= seg.threshold)
    grown = seg.predict([small], margin=2)[0]
    assert (grown >= raw).all()


def test_a_parser_of_other_classes_is_refused(trained_parsers):
    cfg, ckpt = trained_parsers[32]
    with pytest.raises(ValueError, match='2 classes'):
        OcclusionSegmenter(cfg, ckpt)
    with pytest.raises(ValueError, match='threshold'):
        OcclusionSegmenter(cfg, ckpt, threshold=1.5)


def test_specks_go_and_the_margin_grows():
    mask = np.zeros((32, 32), bool)
    mask[10:16, 10:16] = True  # 36 px part
    mask[2, 2] = True          # a speck
    clean = drop_specks(mask, 3)
    assert not clean[2, 2] and clean[10:16, 10:16].all()
    grown = grow_mask(clean, 1)
    assert grown[9, 12] and grown[16, 12] and not grown[8, 12]
    assert grown.sum() > clean.sum()
    np.testing.assert_array_equal(grow_mask(clean, 0), clean)
    assert not grow_mask(np.zeros((4, 4), bool), 2).any()


def test_the_config_states_how_probabilities_become_a_mask(trained_segmenter):
    from mmengine.config import Config
    cfg, ckpt, _ = trained_segmenter
    seg = OcclusionSegmenter(cfg, ckpt)
    stated = Config.fromfile(cfg).occluder_mask
    assert (seg.threshold, seg.min_area) == (stated.threshold,
                                             stated.min_area)
    chosen = Config.fromfile(cfg)
    chosen.occluder_mask = dict(threshold=0.85, min_area=2)
    seg = OcclusionSegmenter(chosen, ckpt)
    assert (seg.threshold, seg.min_area) == (0.85, 2)
    seg = OcclusionSegmenter(chosen, ckpt, threshold=0.3, min_area=0)
    assert (seg.threshold, seg.min_area) == (0.3, 0)
    chosen.occluder_mask = dict(threshold=0.0)
    with pytest.raises(ValueError, match='threshold=0.0'):
        OcclusionSegmenter(chosen, ckpt)
