"""The synthetic occluders: seeded, masks match the pasted pixels, every kind
appears, each kind lands where it belongs on an aligned face."""
import numpy as np
import pytest

from fcsr_mm.data.face_template import TEMPLATE_POINTS
from fcsr_mm.data.occluders import (LABELLED_WHOLE, OCCLUDER_KINDS,
                                    paste_occluder, random_occluder)


def _face(seed=0, size=128):
    rng = np.random.default_rng(seed)
    base = rng.integers(60, 200, (1, 1, 3))
    noise = rng.integers(-20, 20, (size, size, 3))
    return np.clip(base + noise, 0, 255).astype(np.uint8)


@pytest.mark.parametrize('kind', OCCLUDER_KINDS)
def test_mask_matches_the_pasted_pixels(kind):
    face = _face()
    texture = _face(1)
    p = paste_occluder(face, kind, np.random.default_rng(4), texture)
    assert p.image.shape == face.shape and p.image.dtype == np.uint8
    assert p.mask.dtype == bool and p.mask.shape == face.shape[:2]
    if kind not in LABELLED_WHOLE:
        np.testing.assert_array_equal(p.mask, p.alpha >= 0.5)
    else:  # marked whole: the faint lenses too
        assert (p.mask >= (p.alpha >= 0.5)).all()
        assert (p.alpha[p.mask] < 0.5).mean() > 0.3
    assert 0 < p.mask.mean() < 0.9, 'never empty, never the whole face'
    # untouched where neither the occluder nor its shadow reaches
    clear = (p.alpha == 0) & (p.shadow == 0)
    assert clear.any()
    np.testing.assert_array_equal(p.image[clear], face[clear])
    # the marked pixels show the occluder, not the face
    changed = np.abs(p.image.astype(int) - face).max(-1) > 0
    assert changed[p.mask].mean() > 0.9


def test_seeded_and_reproducible():
    face = _face()
    a = random_occluder(face, np.random.default_rng(7))
    b = random_occluder(face, np.random.default_rng(7))
    c = random_occluder(face, np.random.default_rng(8))
    assert a.kind == b.kind
    np.testing.assert_array_equal(a.image, b.image)
    np.testing.assert_array_equal(a.mask, b.mask)
    assert not np.array_equal(a.mask, c.mask)


def test_every_kind_appears_at_its_weight():
    face = _face(size=32)
    rng = np.random.default_rng(0)
    drawn = [random_occluder(face, rng).kind for _ in range(480)]
    counts = {k: drawn.count(k) for k in OCCLUDER_KINDS}
    assert all(20 <= c <= 60 for c in counts.values()), counts  # 40 each
    weighted = [random_occluder(face, rng, kinds=('hat', 'hand'),
                                weights=(3, 1)).kind for _ in range(200)]
    assert 0.65 < weighted.count('hat') / 200 < 0.85


def _covered(mask, point, size=128):
    x, y = (int(round(v * mask.shape[0] / size)) for v in point)
    return mask[y - 2:y + 3, x - 2:x + 3].mean()


def test_each_kind_lands_on_its_part():
    rng = np.random.default_rng(3)
    face = _face()
    for _ in range(5):
        for kind in ('sunglasses', 'clear_glasses'):
            glasses = paste_occluder(face, kind, rng).mask
            assert _covered(glasses, TEMPLATE_POINTS['left_eye']) > 0.5
            assert _covered(glasses, TEMPLATE_POINTS['right_eye']) > 0.5
            assert _covered(glasses, TEMPLATE_POINTS['mouth']) == 0
        mask = paste_occluder(face, 'surgical_mask', rng).mask
        assert _covered(mask, TEMPLATE_POINTS['mouth']) == 1
        assert _covered(mask, TEMPLATE_POINTS['left_eye']) == 0
        hat = paste_occluder(face, 'hat', rng).mask
        assert hat[:8, 40:88].mean() > 0.8 and hat[100:].mean() == 0
    # drawn at any size: the same layout at 32 px
    small = paste_occluder(_face(size=32), 'sunglasses', rng).mask
    assert _covered(small, TEMPLATE_POINTS['left_eye']) > 0.5


def test_bad_input_is_named():
    with pytest.raises(ValueError, match='square'):
        paste_occluder(np.zeros((64, 32, 3), np.uint8), 'hat',
                       np.random.default_rng(0))
    with pytest.raises(ValueError, match="unknown occluder kind 'cap'"):
        paste_occluder(_face(), 'cap', np.random.default_rng(0))


def test_clear_glasses_show_the_face_through_the_lenses():
    face = _face()
    p = paste_occluder(face, 'clear_glasses', np.random.default_rng(2))
    x, y = (int(v) for v in TEMPLATE_POINTS['left_eye'])
    lens = np.s_[y - 2:y + 3, x - 2:x + 3]
    assert p.mask[lens].all()  # marked ...
    assert p.alpha[lens].max() <= 0.3  # ... but the eye still shows
    frame = p.mask & (p.alpha > 0.7)
    assert 0.02 < frame.sum() / p.mask.sum() < 0.6
