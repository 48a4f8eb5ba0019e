"""SegNet encoder for mmseg (Badrinarayanan et al., TPAMI 2017).

mmseg has no SegNet; the paper's face parser is one. The encoder is VGG-like
(conv-BN-ReLU stages, each ending in a 2x2 max-pool) and keeps the pooling
indices, which the decoder (``SegNetHead``) uses to unpool.
"""
from typing import List, Sequence, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmcv.cnn import ConvModule
from mmengine.model import BaseModule
from mmseg.registry import MODELS

#: What the encoder hands to the head: (pooled bottom feature, pooling
#: indices per stage). Sizes are divisible by 2 at every stage (checked), so
#: each unpooling exactly doubles them.
SegNetFeatures = Tuple[torch.Tensor, List[torch.Tensor]]


@MODELS.register_module()
class SegNetEncoder(BaseModule):
    """VGG-style encoder that returns its max-pooling indices.

    The original SegNet uses VGG-16's 13 convs (widths 64..512, 5 stages).
    Widths and depth are configurable so a 32x32 parser can use 3 stages.

    Args:
        in_channels (int): Input channels. Default: 3.
        stage_channels (Sequence[int]): Width of each stage.
            Default: (64, 128, 256, 512, 512).
        stage_convs (Sequence[int]): Convs per stage. Default: (2, 2, 3, 3, 3).
        norm_cfg (dict): Norm layer. Default: BN.
        act_cfg (dict): Activation. Default: ReLU.
        init_cfg (dict | list, optional): Initialisation. Default: Kaiming
            for convs, constant for norms.
    """

    def __init__(self,
                 in_channels: int = 3,
                 stage_channels: Sequence[int] = (64, 128, 256, 512, 512),
                 stage_convs: Sequence[int] = (2, 2, 3, 3, 3),
                 norm_cfg: dict = dict(type='BN'),
                 act_cfg: dict = dict(type='ReLU'),
                 init_cfg=(dict(type='Kaiming', layer='Conv2d'),
                           dict(type='Constant', val=1,
                                layer=['_BatchNorm', 'GroupNorm']))):
        super().__init__(init_cfg=list(init_cfg) if init_cfg else None)
        if len(stage_channels) != len(stage_convs) or not stage_channels:
            raise ValueError(
                f'stage_channels {tuple(stage_channels)} and stage_convs '
                f'{tuple(stage_convs)} must be non-empty and equally long')
        self.stage_channels = tuple(stage_channels)
        self.stage_convs = tuple(stage_convs)
        self.stages = nn.ModuleList()
        ch = in_channels
        for width, n in zip(stage_channels, stage_convs):
            layers = []
            for _ in range(n):
                layers.append(ConvModule(ch, width, 3, padding=1,
                                         norm_cfg=norm_cfg, act_cfg=act_cfg))
                ch = width
            self.stages.append(nn.Sequential(*layers))

    @property
    def downsample_factor(self) -> int:
        return 2**len(self.stages)

    def forward(self, x: torch.Tensor) -> SegNetFeatures:
        f = self.downsample_factor
        if x.shape[-1] % f or x.shape[-2] % f:
            raise ValueError(
                f'SegNetEncoder with {len(self.stages)} stages needs height '
                f'and width divisible by {f}, got {tuple(x.shape[-2:])}')
        indices = []
        for stage in self.stages:
            x, idx = F.max_pool2d(stage(x), 2, 2, return_indices=True)
            indices.append(idx)
        return x, indices
