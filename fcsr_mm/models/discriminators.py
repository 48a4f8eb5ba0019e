"""Global and local discriminators of FCSR-GAN, sized to their input.

mmagic's ``ModifiedVGG`` (SRGAN) only takes 128x128 inputs and has no DCGAN
variant for 16 and 32 px, so one class builds all four: DCGAN-like blocks for
stage 1 (32 px global, 16 px local crop) and SRGAN-like blocks for stage 2
(128 px global, 64 px local crop), each ending in FC layers sized to the
input.
"""
from dataclasses import dataclass
from typing import Dict, Optional, Tuple

import torch
import torch.nn as nn
from mmengine.model import BaseModule, ModuleDict, normal_init
from mmagic.registry import MODELS


def _act():
    return nn.LeakyReLU(0.2, inplace=True)


def _dcgan_stage(cin, cout, first):
    layers = [nn.Conv2d(cin, cout, 4, 2, 1, bias=first)]
    if not first:
        layers.append(nn.BatchNorm2d(cout))
    return layers + [_act()]


def _srgan_stage(cin, cout, first):
    layers = [nn.Conv2d(cin, cout, 3, 1, 1, bias=first)]
    if not first:
        layers.append(nn.BatchNorm2d(cout))
    layers += [_act(), nn.Conv2d(cout, cout, 4, 2, 1, bias=False),
               nn.BatchNorm2d(cout), _act()]
    return layers


@MODELS.register_module()
class FCSRDiscriminator(BaseModule):
    """DCGAN-like or SRGAN-like discriminator for a square input.

    Args:
        in_size (int): Input side (32, 16, 128 or 64 in FCSR-GAN).
        style (str): 'dcgan' (stride-2 4x4 convs, Radford et al.) or 'srgan'
            (3x3 conv + stride-2 conv pairs, Ledig et al.). Default: 'dcgan'.
        in_channels (int): Default: 3.
        base_channels (int): Width of the first stage, doubled per stage.
            Default: 64.
        max_channels (int): Width cap. Default: 512.
        min_size (int): Downsample until this side. Default: 4.
        fc_channels (int, optional): Hidden FC width; None: one FC to the
            logit. Default: None.
        init_cfg (dict, optional): Default: None (GAN-style normal init).
    """

    def __init__(self, in_size: int, style: str = 'dcgan',
                 in_channels: int = 3, base_channels: int = 64,
                 max_channels: int = 512, min_size: int = 4,
                 fc_channels: Optional[int] = None,
                 init_cfg: Optional[dict] = None):
        super().__init__(init_cfg=init_cfg)
        if style not in ('dcgan', 'srgan'):
            raise ValueError(f"style must be 'dcgan' or 'srgan', got {style!r}")
        if in_size < min_size or in_size % min_size or \
                (in_size // min_size) & (in_size // min_size - 1):
            raise ValueError(f'in_size {in_size} must be {min_size} times a '
                             'power of two')
        self.in_size = in_size
        stage = _dcgan_stage if style == 'dcgan' else _srgan_stage
        layers, ch, size = [], in_channels, in_size
        width = base_channels
        while size > min_size:
            layers += stage(ch, width, first=not layers)
            ch, size = width, size // 2
            width = min(width * 2, max_channels)
        self.features = nn.Sequential(*layers)
        flat = ch * size * size
        head = [nn.Flatten()]
        if fc_channels:
            head += [nn.Linear(flat, fc_channels), _act(),
                     nn.Linear(fc_channels, 1)]
        else:
            head += [nn.Linear(flat, 1)]
        self.classifier = nn.Sequential(*head)

    def init_weights(self) -> None:
        """DCGAN init: conv/linear weights N(0, 0.02), BN weights
        N(1, 0.02), biases 0. (mmagic's ``generation_init_weights`` does the
        same but fails inside mmengine's ``init_weights``: it reads an
        unbound ``init_info`` for containers.)"""
        if self.init_cfg:
            return super().init_weights()
        for m in self.modules():
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                normal_init(m, mean=0.0, std=0.02, bias=0.0)
            elif isinstance(m, nn.BatchNorm2d):
                normal_init(m, mean=1.0, std=0.02, bias=0.0)
        self._is_init = True

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.shape[-2:] != (self.in_size, self.in_size):
            raise ValueError(f'{type(self).__name__} is sized for '
                             f'{self.in_size}x{self.in_size} inputs, got '
                             f'{tuple(x.shape[-2:])}')
        return self.classifier(self.features(x))


class DiscriminatorGroup(ModuleDict):
    """FCSR-GAN's named discriminators behind one ``forward``.

    A DDP wrapper only synchronises gradients of what runs through its
    ``forward``, and a module dict has none; this one runs each
    ``(name, input)`` pair through its discriminator, separately (each keeps
    its own batch statistics), so one call per step covers them all. It is
    mmengine's ``ModuleDict``, so ``init_weights`` reaches every
    discriminator (a plain ``torch.nn.ModuleDict`` is skipped).
    """

    def forward(self, inputs):
        """``[(name, tensor), ...]`` -> ``[logits, ...]`` in the same order."""
        return [self[name](x) for name, x in inputs]


@dataclass(frozen=True)
class DiscriminatorRole:
    """What a discriminator judges, from its config (never from its name).

    Attributes:
        output (str): 'lr' (the completed 32x32 face) or 'hr' (the 128x128
            result).
        hole_crop (int, optional): Side, in pixels of that output, of the
            crop centred on the hole it sees (a local discriminator); None:
            the whole face (a global one).
    """
    output: str
    hole_crop: Optional[int] = None


ROLE_KEYS = ('output', 'hole_crop')


def build_discriminators(
        cfgs: Optional[dict], registry
) -> Tuple[DiscriminatorGroup, Dict[str, DiscriminatorRole]]:
    """Build the discriminators of ``cfgs`` (name -> config; None entries
    are left out) and read their roles (``output``, ``hole_crop``), which
    are taken out of each config before the network is built."""
    nets, roles = {}, {}
    for name, cfg in (cfgs or {}).items():
        if cfg is None:
            continue
        cfg = dict(cfg)
        role = {k: cfg.pop(k) for k in ROLE_KEYS if k in cfg}
        if role.get('output') not in ('lr', 'hr'):
            raise ValueError(
                f'discriminator {name!r}: output={role.get("output")!r}; set '
                "output='lr' (judges the completed 32x32 face) or 'hr' (the "
                "128x128 result), and hole_crop=<side> for a local one")
        roles[name] = DiscriminatorRole(**role)
        nets[name] = registry.build(cfg)
    return DiscriminatorGroup(nets), roles
