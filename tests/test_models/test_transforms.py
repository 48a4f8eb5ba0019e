import numpy as np
import pytest
from PIL import Image

import fcsr_mm  # noqa: F401
from fcsr_mm.data.face_template import fixed_occlusions
from fcsr_mm.datasets import DegradeFace, OccludeFace


def _face(seed=0):
    return np.random.default_rng(seed).integers(0, 256, (128, 128, 3),
                                                dtype=np.uint8)


def test_degrade_is_antialiased_bicubic():
    gt = _face()
    out = DegradeFace()(dict(gt=gt))['gt_lr']
    ref = np.asarray(Image.fromarray(gt).resize((32, 32), Image.BICUBIC))
    assert out.shape == (32, 32, 3) and np.array_equal(out, ref)
    # antialiasing: a 1-pixel checkerboard averages out to grey
    checker = (np.indices((128, 128)).sum(0) % 2 * 255).astype(np.uint8)
    grey = DegradeFace()(dict(gt=np.dstack([checker] * 3)))['gt_lr']
    assert abs(grey.mean() - 127.5) < 3 and grey.std() < 3
    with pytest.raises(ValueError, match='not divisible'):
        DegradeFace()(dict(gt=gt[:126]))


def test_random_block_and_masks():
    res = OccludeFace()(dict(gt_lr=_face()[:32, :32]))
    top, left, h, w = res['mask_bbox']
    assert (h, w) == (16, 16)
    assert res['mask_lr'].sum() == 256 and res['mask_lr'].shape == (32, 32, 1)
    assert res['mask'].shape == (128, 128, 1) and res['mask'].sum() == 256 * 16
    assert res['mask'][top * 4:(top + h) * 4, left * 4:(left + w) * 4].all()
    outside = res['mask_lr'][..., 0] == 0
    assert np.array_equal(res['img'][outside], res['gt_lr'][outside])


def test_seeded_occlusion_is_fixed_per_image():
    occ = OccludeFace(seed=0)
    face = _face()[:32, :32]
    a = occ(dict(gt_lr=face, gt_path='a.png'))
    b = occ(dict(gt_lr=face, gt_path='a.png'))
    assert a['mask_bbox'] == b['mask_bbox'] and np.array_equal(a['img'], b['img'])
    boxes = {tuple(occ(dict(gt_lr=face, gt_path=f'{i}.png'))['mask_bbox'])
             for i in range(20)}
    assert len(boxes) > 5  # different images, different places


@pytest.mark.parametrize('name', ['O1', 'O2', 'O3', 'O4', 'O5', 'O6'])
def test_fixed_occlusions(name):
    res = OccludeFace(occlusion=name, fill='zeros')(dict(gt_lr=_face()[:32, :32]))
    top, left, h, w = fixed_occlusions(32)[name]
    assert res['mask_bbox'] == [top, left, h, w]
    assert (res['img'][top:top + h, left:left + w] == 0).all()
    assert res['occlusion'] == name


def test_occlusions_follow_the_template():
    boxes = fixed_occlusions(32)
    assert boxes['O1'] == (0, 0, 32, 16) and boxes['O2'] == (0, 16, 32, 16)
    # eye boxes cover the template eye centres (10, 10) and (21.75, 10)
    t, l, h, w = boxes['O4']
    assert t <= 10 < t + h and l <= 10 < l + w
    t, l, h, w = boxes['O5']
    assert t <= 10 < t + h and l <= 21 < l + w
    t, l, h, w = boxes['O6']
    assert t <= 22 < t + h  # mouth row


def test_fills_and_bad_arguments():
    face = np.full((32, 32, 3), 100, np.uint8)
    for fill in ('gaussian', 'uniform'):
        res = OccludeFace(fill=fill)(dict(gt_lr=face))
        hole = res['mask_lr'][..., 0] > 0
        assert res['img'][hole].std() > 20
    with pytest.raises(ValueError, match='unknown occlusion'):
        OccludeFace(occlusion='O7')
    with pytest.raises(ValueError, match='does not fit'):
        OccludeFace(occlusion=(30, 0, 8, 8))(dict(gt_lr=face))
    with pytest.raises(ValueError, match='must be 32x32'):
        OccludeFace(occlusion=np.ones((16, 16)))(dict(gt_lr=face))
    with pytest.raises(ValueError, match='fill'):
        OccludeFace(fill='blur')


def test_box_mask_and_per_sample_occlusions_agree():
    face = _face()[:32, :32]
    mask = np.zeros((32, 32), np.uint8)
    mask[20:30, 8:24] = 1
    by_box = OccludeFace(occlusion=(20, 8, 10, 16), seed=1)(
        dict(gt_lr=face, gt_path='a.png'))
    by_mask = OccludeFace(occlusion=mask, seed=1)(
        dict(gt_lr=face, gt_path='a.png'))
    # an occlusion given with the sample wins over the configured one
    per_sample = OccludeFace(occlusion='O1', seed=1)(
        dict(gt_lr=face, gt_path='a.png', occlusion=(20, 8, 10, 16)))
    for res in (by_mask, per_sample):
        assert res['mask_bbox'] == by_box['mask_bbox'] == [20, 8, 10, 16]
        assert np.array_equal(res['img'], by_box['img'])
    assert (by_box['occlusion'], by_mask['occlusion']) == ('box', 'mask')


def test_training_draws_follow_the_global_seed():
    """seed=None draws from numpy's global state, which mmengine's
    randomness.seed (and its worker_init_fn) seed."""
    occ = OccludeFace()
    face = _face()[:32, :32]
    runs = []
    for _ in range(2):
        np.random.seed(7)
        runs.append([occ(dict(gt_lr=face))['img'] for _ in range(3)])
    assert all(np.array_equal(a, b) for a, b in zip(*runs))
    assert not np.array_equal(runs[0][0], runs[0][1])


def test_degrade_names_a_face_of_the_wrong_size():
    with pytest.raises(ValueError, match=r'b\.png: the image is 96x96; this '
                       r'pipeline expects aligned 128x128'):
        DegradeFace(gt_size=128)(dict(gt=_face()[:96, :96],
                                      gt_path='b.png'))


def test_centre_bbox_centres_a_fixed_box_inside_the_image():
    from fcsr_mm.datasets import CentreBBox
    centre = CentreBBox(size=(16, 16), image_size=(32, 32))
    # a half-face hole: the 16x16 box at its centre
    assert centre(dict(mask_bbox=[0, 0, 32, 16]))['mask_bbox'] == \
        [8, 0, 16, 16]
    # a small hole near the corner: the box stays inside the image
    assert centre(dict(mask_bbox=[28, 29, 3, 3]))['mask_bbox'] == \
        [16, 16, 16, 16]
    # a 16x16 hole keeps its own box
    assert centre(dict(mask_bbox=[5, 9, 16, 16]))['mask_bbox'] == \
        [5, 9, 16, 16]
    with pytest.raises(ValueError, match=r'size \(40, 16\) is larger'):
        CentreBBox(size=(40, 16))
