"""SegNet decoder as an mmseg decode head.

Mirrors ``SegNetEncoder``: each stage max-unpools with the encoder's indices,
then runs conv-BN-ReLU layers; ``conv_seg`` (from ``BaseDecodeHead``) is the
paper's revised last layer with ``num_classes`` outputs.
"""
from typing import Sequence

import torch
import torch.nn as nn
from mmcv.cnn import ConvModule
from mmseg.models.decode_heads.decode_head import BaseDecodeHead
from mmseg.registry import MODELS

from .segnet_backbone import SegNetFeatures


def unpool2x2(x: torch.Tensor, indices: torch.Tensor) -> torch.Tensor:
    """``F.max_unpool2d(x, indices, 2, 2)`` without a scatter.

    Each value is copied to its 2x2 window and kept where the window's
    pooling index points. Same result and gradient, but deterministic
    (``max_unpool2d`` has no deterministic kernel, so
    ``randomness.deterministic=True`` refused the parsing losses).
    """
    n, c, h, w = x.shape

    def up(t):  # nearest 2x upsampling as a view + reshape
        return t[:, :, :, None, :, None].expand(n, c, h, 2, w, 2).reshape(
            n, c, 2 * h, 2 * w)

    flat = torch.arange(4 * h * w, device=x.device).view(2 * h, 2 * w)
    return torch.where(up(indices) == flat, up(x), x.new_zeros(()))


@MODELS.register_module()
class SegNetHead(BaseDecodeHead):
    """Unpooling decoder of SegNet.

    Args:
        in_channels (int): Channels of the encoder's bottom feature.
        channels (int): Channels before ``conv_seg`` (the width of the last
            decoder stage).
        stage_channels (Sequence[int]): Output width of each decoder stage,
            deepest first; its last entry must equal ``channels``.
        stage_convs (Sequence[int]): Convs per decoder stage, deepest first.
        prior_correction (bool): Outside training, subtract the log of the
            loss's ``class_weight`` from the logits. A cross-entropy weighted
            by ``w_c`` learns a posterior scaled by ``w_c``, which
            over-predicts the up-weighted small classes; dividing it out
            again gives the unweighted posterior and keeps what the weights
            taught (docs/parser.md). The correction is part of the
            checkpoint (``decode_head.logit_bias``). Default: False.
        **kwargs: ``BaseDecodeHead`` arguments (``num_classes``,
            ``norm_cfg``, ``loss_decode``, ...).
    """

    def __init__(self, in_channels: int, channels: int,
                 stage_channels: Sequence[int], stage_convs: Sequence[int],
                 prior_correction: bool = False, **kwargs):
        super().__init__(in_channels, channels, **kwargs)
        # saved with the weights: a checkpoint trained without these class
        # weights does not load strictly into a corrected head (nor the
        # reverse), instead of being biased against its small classes
        self.register_buffer('logit_bias', self._prior_bias(
            prior_correction))
        if len(stage_channels) != len(stage_convs):
            raise ValueError('stage_channels and stage_convs must be equally '
                             f'long, got {stage_channels} / {stage_convs}')
        if stage_channels[-1] != channels:
            raise ValueError(f'the last decoder stage width '
                             f'{stage_channels[-1]} must equal channels '
                             f'{channels}')
        self.stages = nn.ModuleList()
        ch = in_channels
        for width, n in zip(stage_channels, stage_convs):
            layers = []
            for i in range(n):
                out = width if i == n - 1 else ch
                layers.append(ConvModule(ch, out, 3, padding=1,
                                         conv_cfg=self.conv_cfg,
                                         norm_cfg=self.norm_cfg,
                                         act_cfg=self.act_cfg))
                ch = out
            self.stages.append(nn.Sequential(*layers))

    def forward(self, inputs: SegNetFeatures) -> torch.Tensor:
        x, indices = inputs
        if len(indices) != len(self.stages):
            raise ValueError(f'SegNetHead has {len(self.stages)} stages but '
                             f'the encoder gave {len(indices)} pooling levels')
        for stage, idx in zip(self.stages, reversed(indices)):
            x = stage(unpool2x2(x, idx))
        logits = self.cls_seg(x)
        if self.training or self.logit_bias is None:
            return logits
        return logits + self.logit_bias.to(logits.dtype)

    def _prior_bias(self, prior_correction: bool):
        """``-log(class_weight)`` as (1, C, 1, 1), or None."""
        if not prior_correction:
            return None
        losses = self.loss_decode if isinstance(
            self.loss_decode, nn.ModuleList) else [self.loss_decode]
        weights = [getattr(loss, 'class_weight', None) for loss in losses]
        weights = [w for w in weights if w is not None]
        if len(weights) != 1 or len(weights[0]) != self.num_classes:
            raise ValueError(
                'SegNetHead: prior_correction needs one loss_decode with a '
                f'class_weight of {self.num_classes} values, got {weights}')
        w = torch.as_tensor(weights[0], dtype=torch.float32)
        if not (w > 0).all():
            raise ValueError(f'SegNetHead: class_weight must be > 0 for '
                             f'prior_correction, got {w.tolist()}')
        return -w.log().view(1, -1, 1, 1)
