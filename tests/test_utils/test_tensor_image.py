"""One tensor -> image conversion for results, metrics and pictures."""
import numpy as np
import pytest
import torch

from fcsr_mm.models.probe_faces import probe_faces
from fcsr_mm.utils.tensor_image import tensor_to_image


def test_channels_move_last_and_keep_their_order():
    img = torch.zeros(3, 2, 4)
    img[0], img[1], img[2] = 10, 20, 30          # B, G, R stay B, G, R
    out = tensor_to_image(img)
    assert out.shape == (2, 4, 3) and out.dtype == np.uint8
    assert out[0, 0].tolist() == [10, 20, 30]
    assert out.flags['C_CONTIGUOUS']
    batch = tensor_to_image(torch.stack([img, img + 1]))
    assert batch.shape == (2, 2, 4, 3) and batch[1, 0, 0, 0] == 11
    assert tensor_to_image(np.zeros((5, 6))).shape == (5, 6, 1)


def test_uint8_clamps_and_rounds_floats_keep_values():
    img = torch.tensor([[[-3.0, 1.4, 1.6, 300.0]]])
    assert tensor_to_image(img)[0, :, 0].tolist() == [0, 1, 2, 255]
    exact = tensor_to_image(img, np.float64)
    assert exact.dtype == np.float64
    assert np.allclose(exact[0, :, 0], [-3.0, 1.4, 1.6, 300.0])


def test_bad_shape_is_named():
    with pytest.raises(ValueError, match=r'got shape \(4,\)'):
        tensor_to_image(torch.zeros(4))


def test_probe_faces_are_seeded_with_a_centred_half_hole():
    img, mask = probe_faces(2, 32, seed=3)
    again, _ = probe_faces(2, 32, seed=3)
    assert torch.equal(img, again) and img.shape == (2, 3, 32, 32)
    assert img.min() >= -1 and img.max() <= 1
    assert mask.shape == (2, 1, 32, 32) and mask.sum() == 2 * 16 * 16
    assert mask[0, 0, 8:24, 8:24].all() and not mask[0, 0, :8].any()
    state = torch.random.get_rng_state()
    probe_faces(1)
    assert torch.equal(state, torch.random.get_rng_state())
