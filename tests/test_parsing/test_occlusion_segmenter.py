"""The occlusion segmenter: its config trains through tools/train.py on the
converter's output; OcclusionSegmenter loads it, predicts 32x32 masks, drops
specks and grows by its margin; a parser of other classes is refused."""
import os
import os.path as osp

import numpy as np
import pytest

from fcsr_mm.data.occluder_shapes import grow_mask
from fcsr_mm.parsing.occlusion_segmenter import OcclusionSegmenter, drop_specks

CONFIG = 'configs/occlusion/segnet_s3c32_1xb16-4k_occluded-faces-32x32.py'


@pytest.fixture(scope='module')
def trained_segmenter(synthetic_root, tool, repo, data_opts,
                      tmp_path_factory):
    """The segmenter config trained 4 iterations on occluded synthetic
    faces: (config, checkpoint, data root)."""
    from fcsr_mm.data.occluder_converters import convert_occluded_faces
    data = str(tmp_path_factory.mktemp('occluded') / 'data')
    convert_occluded_faces(osp.join(synthetic_root, 'aligned'), data)
    work = str(tmp_path_factory.mktemp('segmenter'))
    opts = data_opts(data)
    opts.update({'train_cfg.max_iters': 4, 'train_cfg.val_interval': 4,
                 'train_dataloader.batch_size': 4,
                 'default_hooks.checkpoint.interval': 4})
    tool('train.py').main([osp.join(repo, CONFIG), '--work-dir', work,
                           '--cfg-options']
                          + [f'{k}={v}' for k, v in opts.items()])
    return osp.join(repo, CONFIG), osp.join(work, 'iter_4.pth'), data


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
