"""FCSR-GAN's generator: the completion module, then the SR module."""
from typing import Optional, Tuple

import torch
from torch import nn
from mmengine.model import BaseModule
from mmagic.registry import MODELS

SR_UPSAMPLERS = ('bilinear', 'bicubic')


def set_sr_upsampler(sr: nn.Module, mode: str, owner: str) -> None:
    """Make an ``MSRResNet``-like SR module add its residual to a ``mode``
    upsampling of its input ('bilinear' is ``MSRResNet``'s own)."""
    if mode not in SR_UPSAMPLERS:
        raise ValueError(f'{owner}: sr_upsampler={mode!r}; use one of '
                         f'{SR_UPSAMPLERS}')
    if mode == 'bilinear':
        return
    old = getattr(sr, 'img_upsampler', None)
    if not isinstance(old, nn.Upsample):
        raise TypeError(
            f'{owner}: sr_upsampler={mode!r} needs an SR module with an '
            f'nn.Upsample `img_upsampler` (like MSRResNet); '
            f"{type(sr).__name__} has none. Leave sr_upsampler at 'bilinear'.")
    sr.img_upsampler = nn.Upsample(
        scale_factor=old.scale_factor, mode=mode, align_corners=False)


@MODELS.register_module()
class FCSRGenerator(BaseModule):
    """Completion (32 -> 32) followed by 4x super-resolution (32 -> 128).

    Args:
        completion (dict): Config of the completion module
            (``FCSRCompletionNet``).
        sr (dict): Config of the SR module; mmagic's ``MSRResNet`` with 12
            blocks of 64 channels has the paper's 1.2M parameters.
        sr_upsampler (str): Upsampling the SR module adds its residual to:
            'bilinear' (``MSRResNet``'s own) or 'bicubic' (an untrained SR
            module then starts from bicubic, the sharper of the two).
            No parameters, so checkpoints load either way.
            Default: 'bilinear'.
        init_cfg (dict, optional): Initialisation. Default: None.
    """

    def __init__(self, completion: dict, sr: dict,
                 sr_upsampler: str = 'bilinear',
                 init_cfg: Optional[dict] = None):
        super().__init__(init_cfg=init_cfg)
        self.completion = MODELS.build(completion)
        self.sr = MODELS.build(sr)
        set_sr_upsampler(self.sr, sr_upsampler, type(self).__name__)

    def forward(self, img: torch.Tensor, mask: Optional[torch.Tensor] = None,
                with_sr: bool = True, freeze_completion: bool = False
                ) -> Tuple[torch.Tensor, Optional[torch.Tensor]]:
        """Returns the completed 32x32 face and (if ``with_sr``) the
        128x128 face. ``freeze_completion`` runs the completion module
        without building its graph (stage 2, phase 1)."""
        with torch.set_grad_enabled(torch.is_grad_enabled()
                                    and not freeze_completion):
            pred_lr = self.completion(img, mask)
        return pred_lr, (self.sr(pred_lr) if with_sr else None)
