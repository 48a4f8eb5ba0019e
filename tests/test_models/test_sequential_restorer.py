"""SequentialRestorer: two mmagic restorers in sequence, either order."""
import pytest
import torch
from mmagic.structures import DataSample

# SR network in 0..1 (mmagic's SR configs), inpainter in -1..1 (mmagic's
# inpainting configs): the composite converts between them
SR = dict(type='BaseEditModel',
          generator=dict(type='MSRResNet', in_channels=3, out_channels=3,
                         mid_channels=8, num_blocks=1, upscale_factor=4),
          pixel_loss=dict(type='L1Loss'),
          data_preprocessor=dict(type='DataPreprocessor', mean=[0.] * 3,
                                 std=[255.] * 3))
INPAINT = dict(type='GLInpaintor',
               encdec=dict(type='GLEncoderDecoder'), disc=None,
               loss_l1_hole=dict(type='L1Loss'),
               data_preprocessor=dict(type='DataPreprocessor', mean=[127.5],
                                      std=[127.5]))
PREP = dict(type='DataPreprocessor', mean=[127.5] * 3, std=[127.5] * 3)


@pytest.fixture
def build(build_in_scope):
    """``build(steps)``: a SequentialRestorer of ``steps``."""
    return lambda steps: build_in_scope('mmagic', dict(
        type='SequentialRestorer', steps=steps, data_preprocessor=PREP))


def batch(n=2, gt_size=128):
    torch.manual_seed(0)
    img = torch.rand(n, 3, 32, 32) * 255
    mask = torch.zeros(n, 1, 32, 32)
    mask[:, :, 4:20, 8:24] = 1
    samples = DataSample(mask_lr=mask,
                         gt_img=torch.zeros(n, 3, gt_size, gt_size))
    samples.set_metainfo({})
    return img, (img - 127.5) / 127.5, mask, samples


def capture(module, store, key):
    return module.register_forward_hook(
        lambda m, args, out: store.update({key: (args[0].detach(),
                                                 out.detach())}))


def test_complete_then_super_resolve(build):
    model = build([dict(role='inpaint', model=INPAINT),
                   dict(role='sr', model=SR)])
    seen = {}
    capture(model.steps[0].generator, seen, 'inpaint')
    capture(model.steps[1].generator, seen, 'sr')
    img, inputs, mask, samples = batch()
    out = model.forward_inference(inputs, samples)
    assert out.pred_img.shape == (2, 3, 128, 128)
    assert out.pred_lr.shape == (2, 3, 32, 32)
    x, _ = seen['inpaint']
    # the inpainter: its value range (-1..1), hole at mid-grey (0), its mask
    assert x.shape == (2, 4, 32, 32)
    assert torch.equal(x[:, 3:], mask)
    assert x[:, :3][mask.expand(-1, 3, -1, -1) > 0].abs().max() < 1e-6
    keep = (1 - mask).bool().expand(-1, 3, -1, -1)
    assert torch.allclose(x[:, :3][keep], inputs[keep], atol=1e-5)
    # the completed face keeps the known pixels, and is what the SR sees
    assert torch.allclose(out.pred_lr[keep], img[keep], atol=1e-3)
    sr_in, _ = seen['sr']
    assert torch.allclose(sr_in * 255, out.pred_lr, atol=1e-3)
    assert 0 <= out.pred_img.min() and out.pred_img.max() <= 255


def test_super_resolve_then_complete_with_4x_mask(build):
    model = build([dict(role='sr', model=SR),
                   dict(role='inpaint', model=INPAINT)])
    seen = {}
    capture(model.steps[0].generator, seen, 'sr')
    capture(model.steps[1].generator, seen, 'inpaint')
    img, inputs, mask, samples = batch()
    out = model.forward_inference(inputs, samples)
    assert out.pred_img.shape == (2, 3, 128, 128)
    assert 'pred_lr' not in out  # no 32x32 stage in this order
    sr_in, sr_out = seen['sr']
    assert torch.allclose(sr_in * 255, img, atol=1e-3)  # 0..1, as is
    x, _ = seen['inpaint']
    big = mask.repeat_interleave(4, 2).repeat_interleave(4, 3)
    assert torch.equal(x[:, 3:], big)  # the hole scaled 4x
    keep = (1 - big).bool().expand(-1, 3, -1, -1)
    sr_pixels = (sr_out * 255).clamp(0, 255)
    assert torch.allclose(out.pred_img[keep], sr_pixels[keep], atol=1e-3)


def test_single_sr_and_hole_value(build):
    model = build([dict(role='sr', model=SR, hole_value=0)])
    seen = {}
    capture(model.steps[0].generator, seen, 'sr')
    _, inputs, mask, samples = batch()
    out = model.forward_inference(inputs, samples)
    assert out.pred_img.shape == (2, 3, 128, 128)
    sr_in, _ = seen['sr']
    assert sr_in[mask.expand(-1, 3, -1, -1) > 0].abs().max() == 0


def test_wrong_output_size_is_named(build):
    sr2 = dict(SR, generator=dict(SR['generator'], upscale_factor=2))
    model = build([dict(role='sr', model=sr2)])
    _, inputs, _, samples = batch()
    with pytest.raises(ValueError, match=r'\(64, 64\) images for '
                       r'\(128, 128\) ground truth'):
        model.forward_inference(inputs, samples)


@pytest.mark.parametrize('steps, match', [
    ([], 'one or two'),
    ([dict(model=SR)], "role 'inpaint' or 'sr'"),
    ([dict(role='sr')], 'either model='),
    ([dict(role='sr', config='nowhere.py')], 'nowhere.py'),
])
def test_bad_steps(steps, match, build):
    with pytest.raises((ValueError, FileNotFoundError), match=match):
        build(steps)


def test_checkpoints_must_fit(build, tmp_path):
    model = build([dict(role='sr', model=SR)])
    good = str(tmp_path / 'sr.pth')
    torch.save({'state_dict': model.steps[0].state_dict()}, good)
    loaded = build([dict(role='sr', model=SR, checkpoint=good)])
    for a, b in zip(model.steps[0].parameters(),
                    loaded.steps[0].parameters()):
        assert torch.equal(a, b)
    wide = dict(SR, generator=dict(SR['generator'], mid_channels=16))
    with pytest.raises(ValueError, match=r'sr\.pth.*another shape'):
        build([dict(role='sr', model=wide, checkpoint=good)])
    with pytest.raises(FileNotFoundError, match='missing.pth'):
        build([dict(role='sr', model=SR, checkpoint='missing.pth')])


def test_steps_stay_frozen_in_eval(build):
    model = build([dict(role='inpaint', model=INPAINT),
                   dict(role='sr', model=SR)])
    model.train()
    assert not any(m.training for m in model.steps.modules())
    assert not any(p.requires_grad for p in model.parameters())
