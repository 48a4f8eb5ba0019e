"""SegNet decoder as an mmseg decode head.

Mirrors ``SegNetEncoder``: each stage max-unpools with the encoder's indices,
then runs conv-BN-ReLU layers; ``conv_seg`` (from ``BaseDecodeHead``) is the
paper's revised last layer with ``num_classes`` outputs.
"""
from typing import Sequence

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmcv.cnn import ConvModule
from mmseg.models.decode_heads.decode_head import BaseDecodeHead
from mmseg.registry import MODELS

from .segnet_backbone import SegNetFeatures


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
        **kwargs: ``BaseDecodeHead`` arguments (``num_classes``,
            ``norm_cfg``, ``loss_decode``, ...).
    """

    def __init__(self, in_channels: int, channels: int,
                 stage_channels: Sequence[int], stage_convs: Sequence[int],
                 **kwargs):
        super().__init__(in_channels, channels, **kwargs)
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
            x = stage(F.max_unpool2d(x, idx, 2, 2))
        return self.cls_seg(x)
