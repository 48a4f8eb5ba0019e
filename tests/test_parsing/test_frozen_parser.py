import pytest
import torch
import torch.nn as nn
from mmengine.model import BaseModule
from mmengine.registry import DefaultScope

from fcsr_mm.parsing import FrozenFaceParser


@pytest.fixture
def parser128(trained_parsers):
    cfg, ckpt = trained_parsers[128]
    return FrozenFaceParser(cfg, ckpt)


def test_default_scope_untouched(trained_parsers):
    cfg, ckpt = trained_parsers[32]
    with DefaultScope.overwrite_default_scope('mmagic'):
        FrozenFaceParser(cfg, ckpt)
        assert DefaultScope.get_current_instance().scope_name == 'mmagic'
        from mmagic.registry import MODELS
        MODELS.build(dict(type='MSRResNet', in_channels=3, out_channels=3,
                          mid_channels=4, num_blocks=1, upscale_factor=4))


def test_stays_in_eval_mode_and_frozen(parser128):
    outer = nn.Sequential(parser128, nn.Conv2d(3, 3, 1))
    outer.train()
    assert not parser128.segmentor.training
    assert all(not m.training for m in parser128.segmentor.modules())
    assert all(not p.requires_grad for p in parser128.parameters())


def test_weights_survive_init_weights(parser128):
    before = {k: v.clone() for k, v in parser128.segmentor.state_dict().items()}

    class Outer(BaseModule):

        def __init__(self):
            super().__init__(init_cfg=dict(type='Normal', layer='Conv2d',
                                           std=1.0))
            self.parser = parser128

    Outer().init_weights()
    after = parser128.segmentor.state_dict()
    assert all(torch.equal(before[k], after[k]) for k in before)


def test_value_range_and_channel_order(parser128):
    img_bgr255 = torch.rand(2, 3, 128, 128) * 255
    seg = parser128.segmentor
    ref = seg(seg.data_preprocessor(dict(inputs=list(img_bgr255)), False)
              ['inputs'], mode='tensor')
    rgb_m11 = img_bgr255.flip(1) / 127.5 - 1  # restoration model's input
    out = parser128(rgb_m11)
    assert torch.allclose(out, ref, atol=1e-4)


def test_differentiable_wrt_input_not_weights(parser128):
    x = (torch.rand(1, 3, 128, 128) * 2 - 1).requires_grad_()
    parser128(x).logsumexp(1).mean().backward()
    assert x.grad is not None and x.grad.abs().sum() > 0
    assert all(p.grad is None for p in parser128.parameters())


def test_missing_and_mismatched_checkpoint(trained_parsers, tmp_path):
    cfg128, ckpt128 = trained_parsers[128]
    cfg32, _ = trained_parsers[32]
    with pytest.raises(FileNotFoundError, match='tools/train.py .*128x128'):
        FrozenFaceParser(cfg128, str(tmp_path / 'none.pth'))
    with pytest.raises(RuntimeError, match='(?s)does not fit.*tools/train.py .*32x32'):
        FrozenFaceParser(cfg32, ckpt128)
