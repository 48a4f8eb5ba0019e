"""FCSR-GAN's mechanics on tiny inputs: the local discriminators' crop
(centred on the hole, the same place at 32 and 128 px, inside the image)
and each generator loss term times its configured weight."""
import copy

import pytest
import torch
import torch.nn.functional as F
from mmagic.registry import MODELS
from mmagic.structures import DataSample
from mmengine.logging import MessageHub
from mmengine.registry import DefaultScope

import fcsr_mm  # noqa: F401
from fcsr_mm.models.hole_crop import crop_around, hole_centres

#: (top, left, h, w) holes at 32 px: inner 16x16, odd sides (half-pixel
#: centre), and in the top-left and bottom-right corners
HOLES = [(8, 10, 16, 16), (5, 3, 7, 9), (0, 0, 4, 6), (27, 25, 5, 7)]
DISC = dict(type='FCSRDiscriminator', base_channels=8)
DISCRIMINATORS = dict(
    global_lr=dict(DISC, in_size=32, output='lr'),
    local_lr=dict(DISC, in_size=16, output='lr', hole_crop=16),
    global_hr=dict(DISC, in_size=128, style='srgan', fc_channels=8,
                   output='hr'),
    local_hr=dict(DISC, in_size=64, style='srgan', fc_channels=8,
                  output='hr', hole_crop=64))
PHASES = dict(
    l1=dict(begin=0, train=['completion'], losses=dict(pixel_lr=20.0)),
    all1=dict(begin=2, train=['completion'],
              losses=dict(pixel_lr=20.0, adv_local_lr=0.1, adv_global_lr=0.1,
                          parsing_lr=1.0)),
    all2=dict(begin=4, train=['completion', 'sr'],
              losses=dict(pixel=0.5, adv_local_hr=1e-3, adv_global_hr=1e-3,
                          perceptual=1.0, parsing=0.5)))


def model_cfg(phases, losses):
    return dict(
        type='FCSRGAN',
        data_preprocessor=dict(type='DataPreprocessor', mean=[127.5] * 3,
                               std=[127.5] * 3, output_channel_order='RGB',
                               data_keys=['gt_img', 'gt_lr']),
        generator=dict(type='FCSRGenerator',
                       completion=dict(type='FCSRCompletionNet', fc_size=32),
                       sr=dict(type='MSRResNet', in_channels=3,
                               out_channels=3, mid_channels=8, num_blocks=1,
                               upscale_factor=4)),
        discriminators=copy.deepcopy(DISCRIMINATORS),
        losses=dict(pixel_lr=dict(type='L1Loss'), pixel=dict(type='MSELoss'),
                    gan=dict(type='GANLoss', gan_type='vanilla'), **losses),
        train_cfg=dict(phases=copy.deepcopy(phases)))


def build(cfg):
    torch.manual_seed(0)
    with DefaultScope.overwrite_default_scope('mmagic'):
        model = MODELS.build(cfg)
    model.init_weights()
    return model


def coordinates(n, size):
    """(n, 3, size, size): channel 0 holds each pixel's row, 1 its column,
    2 the image's index in the batch."""
    rows = torch.arange(size).view(1, 1, size, 1).expand(n, 1, size, size)
    cols = torch.arange(size).view(1, 1, 1, size).expand(n, 1, size, size)
    index = torch.arange(n).view(n, 1, 1, 1).expand(n, 1, size, size)
    return torch.cat([rows, cols, index], 1).float()


def hole_masks(holes, size=32):
    mask = torch.zeros(len(holes), 1, size, size)
    for m, (top, left, h, w) in zip(mask, holes):
        m[:, top:top + h, left:left + w] = 1
    return mask


def assert_same_place(lr, hr):
    """Each 128 px crop pixel lies in the 32 px pixel of the 16 px crop that
    covers it (coordinates // 4), the image index equal."""
    lr_up = F.interpolate(lr, scale_factor=4, mode='nearest')
    assert torch.equal(torch.div(hr[:, :2], 4, rounding_mode='floor'),
                       lr_up[:, :2])
    assert torch.equal(hr[:, 2], lr_up[:, 2])


def test_hole_centres_are_the_centres_of_the_holes():
    centres = hole_centres(hole_masks(HOLES))
    expected = [[t + h / 2, left + w / 2] for t, left, h, w in HOLES]
    assert centres.tolist() == expected


def test_crop_is_centred_on_the_hole_and_inside_the_image():
    img = coordinates(len(HOLES), 32)
    crops = crop_around(img, hole_centres(hole_masks(HOLES)), 16)
    assert crops.shape == (len(HOLES), 3, 16, 16)
    block = torch.arange(16.)
    for crop, (t, lf, h, w) in zip(crops, HOLES):
        top, left = int(crop[0, 0, 0]), int(crop[1, 0, 0])
        # a whole 16x16 block of the image, holding the whole hole
        assert torch.equal(crop[0], (top + block).view(16, 1).expand(16, 16))
        assert torch.equal(crop[1], (left + block).view(1, 16).expand(16, 16))
        assert 0 <= top <= t and t + h <= top + 16 <= 32, (t, lf, h, w)
        assert 0 <= left <= lf and lf + w <= left + 16 <= 32, (t, lf, h, w)
        clamped = {top, left} & {0, 16}
        if not clamped:  # centred, to half a pixel for the odd hole
            assert abs(top + 8 - (t + h / 2)) <= 0.5, (t, lf, h, w)
            assert abs(left + 8 - (lf + w / 2)) <= 0.5, (t, lf, h, w)
    assert torch.equal(crops[0], img[0, :, 8:24, 10:26])  # the 16x16 hole
    # the corner holes: against the image's corner, not centred
    assert crops[2, :2, 0, 0].tolist() == [0, 0]
    assert crops[3, :2, -1, -1].tolist() == [31, 31]


def test_crop_at_128_px_is_the_crop_at_32_px_scaled_4x():
    centres = hole_centres(hole_masks(HOLES))
    lr = crop_around(coordinates(len(HOLES), 32), centres, 16)
    hr = crop_around(coordinates(len(HOLES), 128), centres, 64, scale=4)
    assert hr.shape == (len(HOLES), 3, 64, 64)
    assert_same_place(lr, hr)


def test_local_discriminators_see_the_crops_and_global_ones_the_face():
    """FCSRGAN._real_fake: real from the ground truth, fake from the
    generator's output of the discriminator's role, cropped at that
    output's scale."""
    model = build(model_cfg(dict(l1=PHASES['l1']), {}))
    n = len(HOLES)
    samples = DataSample.stack([
        DataSample(gt_lr=gt_lr, gt_img=gt, mask_lr=mask)
        for gt_lr, gt, mask in zip(coordinates(n, 32), coordinates(n, 128),
                                   hole_masks(HOLES))])
    fake_offset = torch.tensor([0., 0., 100.]).view(1, 3, 1, 1)
    preds = dict(pred_lr=coordinates(n, 32) + fake_offset,
                 pred_img=coordinates(n, 128) + fake_offset)
    crops = {}
    for name in DISCRIMINATORS:
        real, fake = model._real_fake(name, preds, samples)
        assert torch.equal(fake, real + fake_offset), name
        crops[name] = real
    assert torch.equal(crops['global_lr'], samples.gt_lr)
    assert torch.equal(crops['global_hr'], samples.gt_img)
    assert torch.equal(crops['local_lr'],
                       crop_around(samples.gt_lr,
                                   hole_centres(samples.mask_lr), 16))
    assert crops['local_hr'].shape == (n, 3, 64, 64)
    assert_same_place(crops['local_lr'], crops['local_hr'])


# ----------------------------------------------------------- loss weights
@pytest.fixture(scope='module')
def batch(face_batch):
    return face_batch()


def all_losses(parsers):
    (c32, k32), (c128, k128) = parsers[32], parsers[128]
    return dict(
        parsing_lr=dict(type='FaceParsingLoss', parser_config=c32,
                        parser_checkpoint=k32),
        parsing=dict(type='FaceParsingLoss', parser_config=c128,
                     parser_checkpoint=k128),
        perceptual=dict(type='VGGPerceptualLoss', layer_weights={'3': 1.0}))


def phase_losses(model, batch, phase):
    MessageHub.get_current_instance().update_info('iter',
                                                  PHASES[phase]['begin'])
    data = model.data_preprocessor(copy.deepcopy(batch), True)
    with torch.no_grad():
        return model(data['inputs'], data['data_samples'], mode='loss')


def test_each_loss_term_is_its_score_times_its_configured_weight(
        trained_parsers, batch):
    """Against the same weights: in all1 one weight changes (x4), in all2
    each term's weight changes by its own power of two (exact in floating
    point) and one term is dropped."""
    losses = all_losses(trained_parsers)
    base = build(model_cfg(PHASES, losses))
    changed = copy.deepcopy(PHASES)
    changed['all1']['losses']['parsing_lr'] *= 4
    factors = dict(pixel=2, adv_local_hr=4, adv_global_hr=8, parsing=16)
    for term, factor in factors.items():
        changed['all2']['losses'][term] *= factor
    changed['all2']['losses']['perceptual'] = None
    other = build(model_cfg(changed, losses))
    other.load_state_dict(base.state_dict())

    before, after = (phase_losses(m, batch, 'all1') for m in (base, other))
    assert set(before) == {f'loss_{t}' for t in PHASES['all1']['losses']}
    assert set(after) == set(before)
    assert torch.equal(after['loss_parsing_lr'], 4 * before['loss_parsing_lr'])
    for key in set(before) - {'loss_parsing_lr'}:
        assert torch.equal(after[key], before[key]), key

    before, after = (phase_losses(m, batch, 'all2') for m in (base, other))
    assert set(before) == {f'loss_{t}' for t in PHASES['all2']['losses']}
    assert set(after) == set(before) - {'loss_perceptual'}
    for term, factor in factors.items():
        key = f'loss_{term}'
        assert torch.equal(after[key], factor * before[key]), key
        assert before[key] > 0, key
