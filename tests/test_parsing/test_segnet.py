import os.path as osp

import pytest
import torch
from mmengine.config import Config

import fcsr_mm  # noqa: F401


@pytest.fixture
def build_parser(repo, build_in_scope):
    """``build_parser(cfg_name)``: the segmentor of a parser config."""
    return lambda cfg_name: build_in_scope(
        'mmseg', Config.fromfile(osp.join(repo, cfg_name)).model)


@pytest.mark.parametrize('cfg,size', [
    ('configs/parser/segnet_s4c16_1xb8-6k_celebamask-hq-128x128.py', 128),
    ('configs/parser/segnet_s3c32_1xb16-10k_celebamask-hq-32x32.py', 32),
])
def test_segnet_shapes_and_gradients(build_parser, cfg, size):
    model = build_parser(cfg)
    feats = model.backbone(torch.randn(2, 3, size, size))
    x, indices = feats
    assert len(indices) == len(model.backbone.stages)
    assert x.shape[-1] == size // model.backbone.downsample_factor
    x = torch.randn(2, 3, size, size, requires_grad=True)
    logits = model(x, mode='tensor')
    assert logits.shape == (2, 9, size, size)
    logits.sum().backward()
    assert x.grad is not None and x.grad.abs().sum() > 0
    assert all(p.grad is not None for p in model.parameters()
               if p.requires_grad)


def test_segnet_rejects_indivisible_input(build_parser):
    model = build_parser(
        'configs/parser/segnet_s3c32_1xb16-10k_celebamask-hq-32x32.py')
    with pytest.raises(ValueError, match='divisible by 8'):
        model.backbone(torch.randn(1, 3, 30, 30))


def test_segnet_config_errors():
    from fcsr_mm.parsing import SegNetEncoder, SegNetHead
    with pytest.raises(ValueError, match='equally long'):
        SegNetEncoder(stage_channels=(8, 16), stage_convs=(1,))
    with pytest.raises(ValueError, match='must equal channels'):
        SegNetHead(16, 8, stage_channels=(8, 16), stage_convs=(1, 1),
                   num_classes=9)


def test_complexity_tool(tool, repo, capsys):
    mc = tool('analysis/model_complexity.py')
    params, flops = mc.main([osp.join(
        repo, 'configs/parser/segnet_s3c32_1xb16-10k_celebamask-hq-32x32.py')])
    assert 0.5e6 < params < 2e6 and flops > 1e8
    assert 'M parameters' in capsys.readouterr().out


def test_unpooling_matches_max_unpool_and_is_deterministic():
    import torch
    import torch.nn.functional as F

    from fcsr_mm.parsing.segnet_head import unpool2x2
    feat = torch.randn(2, 3, 8, 6, requires_grad=True)
    pooled, idx = F.max_pool2d(feat, 2, 2, return_indices=True)
    ours, ref = unpool2x2(pooled, idx), F.max_unpool2d(pooled, idx, 2, 2)
    assert torch.equal(ours, ref)
    grad = torch.randn_like(ref)
    g_ours, = torch.autograd.grad(ours, pooled, grad, retain_graph=True)
    g_ref, = torch.autograd.grad(ref, pooled, grad)
    assert torch.equal(g_ours, g_ref)
    torch.use_deterministic_algorithms(True)
    try:
        unpool2x2(pooled, idx).sum().backward()
    finally:
        torch.use_deterministic_algorithms(False)
