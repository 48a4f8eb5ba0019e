"""Generator, completion and SR sizes; discriminators; bad input."""
import pytest
import torch
from mmagic.registry import MODELS
from mmengine.registry import DefaultScope

import fcsr_mm  # noqa: F401
from fcsr_mm.models import FCSRCompletionNet, FCSRDiscriminator
from fcsr_mm.models.complexity import count_params

SR_CFG = dict(type='MSRResNet', in_channels=3, out_channels=3,
              mid_channels=64, num_blocks=12, upscale_factor=4)


def _build(cfg):
    with DefaultScope.overwrite_default_scope('mmagic'):
        return MODELS.build(cfg)


def test_parameter_counts_match_the_paper():
    completion = FCSRCompletionNet()
    sr = _build(SR_CFG)
    n_c, n_sr = count_params(completion), count_params(sr)
    print(f'completion {n_c / 1e6:.3f}M, SR {n_sr / 1e6:.3f}M, '
          f'total {(n_c + n_sr) / 1e6:.3f}M')
    assert abs(n_c - 3.5e6) < 0.35e6
    assert abs(n_sr - 1.2e6) < 0.12e6
    assert abs(n_c + n_sr - 4.7e6) < 0.47e6


@pytest.mark.parametrize('fc', [128, 256, 512, 1024])
def test_fc_bottleneck_sizes(fc):
    net = FCSRCompletionNet(fc_size=fc, blend_known=False)
    assert net.fc_encode[1].out_features == fc
    assert net(torch.randn(1, 3, 32, 32)).shape == (1, 3, 32, 32)


def test_generator_outputs_and_blending():
    gen = _build(dict(type='FCSRGenerator',
                      completion=dict(type='FCSRCompletionNet'),
                      sr=dict(SR_CFG, mid_channels=8, num_blocks=1)))
    img = torch.rand(2, 3, 32, 32) * 2 - 1
    mask = torch.zeros(2, 1, 32, 32)
    mask[:, :, 4:20, 8:24] = 1
    pred_lr, pred = gen(img, mask)
    assert pred_lr.shape == (2, 3, 32, 32) and pred.shape == (2, 3, 128, 128)
    keep = mask.expand_as(img) == 0
    assert torch.equal(pred_lr[keep], img[keep])  # known pixels kept
    assert gen(img, mask, with_sr=False)[1] is None


def test_completion_bad_input():
    net = FCSRCompletionNet()
    with pytest.raises(ValueError, match=r'\(N, 3, 32, 32\).*\(1, 3, 64, 64\)'):
        net(torch.randn(1, 3, 64, 64), torch.ones(1, 1, 64, 64))
    with pytest.raises(ValueError, match='needs the hole mask'):
        net(torch.randn(1, 3, 32, 32))
    with pytest.raises(FileNotFoundError, match='nope.pth'):
        FCSRCompletionNet(pretrained_vgg='nope.pth').init_weights()


def test_completion_loads_local_vgg(tmp_path):
    import torchvision
    vgg = torchvision.models.vgg19(weights=None)
    torch.save(vgg.state_dict(), tmp_path / 'vgg19.pth')
    net = FCSRCompletionNet(pretrained_vgg=str(tmp_path / 'vgg19.pth'))
    net.init_weights()
    assert torch.equal(net.vgg_encoder[0].weight, vgg.features[0].weight)
    assert torch.equal(net.vgg_encoder[-3].weight, vgg.features[16].weight)


@pytest.mark.parametrize('size,style', [(32, 'dcgan'), (16, 'dcgan'),
                                        (128, 'srgan'), (64, 'srgan')])
def test_discriminators(size, style):
    disc = FCSRDiscriminator(in_size=size, style=style, base_channels=8,
                             fc_channels=16 if style == 'srgan' else None)
    disc.init_weights()
    x = torch.randn(2, 3, size, size, requires_grad=True)
    out = disc(x)
    assert out.shape == (2, 1)
    out.sum().backward()
    assert x.grad.abs().sum() > 0
    with pytest.raises(ValueError, match=f'{size}x{size}'):
        disc(torch.randn(1, 3, size * 2, size * 2))


def test_discriminator_bad_config():
    with pytest.raises(ValueError, match='style'):
        FCSRDiscriminator(32, style='patch')
    with pytest.raises(ValueError, match='power of two'):
        FCSRDiscriminator(48)


def test_sr_upsampler_bicubic_starts_from_bicubic():
    import torch.nn.functional as F
    cfg = dict(type='FCSRGenerator', completion=dict(type='FCSRCompletionNet'),
               sr=dict(SR_CFG, mid_channels=8, num_blocks=1))
    gen = _build(dict(cfg, sr_upsampler='bicubic'))
    torch.nn.init.zeros_(gen.sr.conv_last.weight)
    torch.nn.init.zeros_(gen.sr.conv_last.bias)
    x = torch.rand(2, 3, 32, 32) * 2 - 1
    expected = F.interpolate(x, scale_factor=4, mode='bicubic',
                             align_corners=False)
    torch.testing.assert_close(gen.sr(x), expected)
    # no parameters added: a bilinear generator's weights load as they are
    gen.load_state_dict(_build(cfg).state_dict())
    with pytest.raises(ValueError, match="sr_upsampler='nearest'"):
        _build(dict(cfg, sr_upsampler='nearest'))


def test_model_complexity_tool_on_fcsr(tool, repo, tmp_path):
    mc = tool('analysis/model_complexity.py')
    cfg = tmp_path / 'no_parser.py'  # no parser checkpoint needed
    cfg.write_text(f"_base_ = ['{repo}/configs/fcsr_stage2_synthetic.py']\n"
                   'model = dict(losses=dict(parsing=None), train_cfg=None)\n')
    report = mc.main([str(cfg)])
    assert 3e6 < report['generator'] < 4e6
    # SR module at 32 px and its upsampling dominate: ~1-10 GFLOPs
    assert 1e8 < report['generator_flops'] < 1e10
