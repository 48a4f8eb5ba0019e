"""A trained mmseg face parser, frozen, for use inside a restoration model.

FCSR-GAN uses the parser as a fixed auxiliary network: gradients flow
through it to the generator, its weights never change.
"""
import copy
import os.path as osp
from typing import List, Sequence, Union

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.config import Config, ConfigDict
from mmengine.model import BaseModule

from fcsr_mm.utils.checkpoint_io import load_checkpoint_file


def _train_hint(config) -> str:
    where = config if isinstance(config, str) else \
        getattr(config, 'filename', None) or 'its parser config'
    return f'train it first: python tools/train.py {where}'


def build_segmentor(config: Union[str, dict], checkpoint: str) -> nn.Module:
    """Build an mmseg segmentor from its config and load its checkpoint
    strictly.

    Ours, not ``mmseg.apis.init_model``: that one calls
    ``init_default_scope('mmseg')`` (inside an mmagic model's build it would
    switch the process's scope) and loads non-strictly (a parser of another
    config would load with random layers). Here the model dict carries
    ``_scope_='mmseg'`` and a misfit is refused.
    """
    cfg = Config.fromfile(config) if isinstance(config, str) else \
        Config(copy.deepcopy(dict(config)))
    if not checkpoint or not osp.isfile(checkpoint):
        raise FileNotFoundError(
            f'face parser checkpoint {checkpoint!r} not found; '
            f'{_train_hint(config)}')
    model_cfg = ConfigDict(copy.deepcopy(cfg.model))
    model_cfg.pop('pretrained', None)
    model_cfg.train_cfg = None
    model_cfg['_scope_'] = 'mmseg'
    from mmseg.registry import MODELS
    segmentor = MODELS.build(model_cfg)
    ckpt = load_checkpoint_file(checkpoint)
    state = ckpt.get('state_dict', ckpt) if isinstance(ckpt, dict) else {}
    try:  # torch's strict load raises on every process of a DDP run
        segmentor.load_state_dict(
            {k[7:] if k.startswith('module.') else k: v
             for k, v in state.items()}, strict=True)
    except (RuntimeError, KeyError) as err:
        raise RuntimeError(
            f'face parser checkpoint {checkpoint!r} does not fit the model of '
            f'{config if isinstance(config, str) else "the given config"} '
            f'({str(err).strip()[:300]} ...); {_train_hint(config)}') from err
    return segmentor


class FrozenFaceParser(BaseModule):
    """Differentiable, frozen face parser.

    Takes images in the restoration model's value range and channel order,
    returns per-pixel class logits at the input size.

    Args:
        config (str | dict): The parser's mmseg config (file or dict).
        checkpoint (str): Its trained checkpoint.
        input_mean (Sequence[float]): Mean that maps the input back to
            0..255. Default: 127.5 (inputs in [-1, 1]).
        input_std (Sequence[float]): Std of the same. Default: 127.5.
        input_order (str): 'rgb' or 'bgr', the input's channel order.
            Default: 'rgb'.
    """

    def __init__(self,
                 config: Union[str, dict],
                 checkpoint: str,
                 input_mean: Sequence[float] = (127.5, 127.5, 127.5),
                 input_std: Sequence[float] = (127.5, 127.5, 127.5),
                 input_order: str = 'rgb'):
        super().__init__()
        if input_order not in ('rgb', 'bgr'):
            raise ValueError(f"input_order must be 'rgb' or 'bgr', got "
                             f'{input_order!r}')
        self.segmentor = build_segmentor(config, checkpoint)
        self.segmentor.requires_grad_(False)
        self.segmentor.eval()
        pre = self.segmentor.data_preprocessor
        # The parser's preprocessor flips BGR->RGB when bgr_to_rgb=True, so its
        # network sees RGB; otherwise it sees BGR.
        parser_order = 'rgb' if getattr(pre, 'channel_conversion',
                                        False) else 'bgr'
        self.flip_channels = parser_order != input_order
        mean_in = torch.tensor(input_mean, dtype=torch.float32).view(1, -1, 1, 1)
        std_in = torch.tensor(input_std, dtype=torch.float32).view(1, -1, 1, 1)
        mean_p = pre.mean.detach().float().view(1, -1, 1, 1)
        std_p = pre.std.detach().float().view(1, -1, 1, 1)
        if self.flip_channels:
            mean_in, std_in = mean_in.flip(1), std_in.flip(1)
        # x_parser = x * scale + shift, in the parser's channel order
        self.register_buffer('scale', std_in / std_p, persistent=False)
        self.register_buffer('shift', (mean_in - mean_p) / std_p,
                             persistent=False)
        self._frozen_state = copy.deepcopy(self.segmentor.state_dict())

    @property
    def num_classes(self) -> int:
        return self.segmentor.decode_head.num_classes

    def init_weights(self) -> None:
        """Restore the trained weights (undoing any outer initialiser)."""
        self.segmentor.load_state_dict(self._frozen_state)

    def train(self, mode: bool = True) -> 'FrozenFaceParser':
        super().train(mode)
        self.segmentor.eval()
        return self

    def _parser_input(self, img: torch.Tensor) -> torch.Tensor:
        """``img`` in the parser's channel order and normalisation."""
        x = img.flip(1) if self.flip_channels else img
        return x * self.scale + self.shift

    def encoder_features(self, img: torch.Tensor) -> List[torch.Tensor]:
        """The outputs of the encoder's stages (before each max-pool),
        shallow first: at 1, 1/2, 1/4, ... of the input size."""
        stages = getattr(self.segmentor.backbone, 'stages', None)
        if stages is None:
            raise ValueError(
                f'{type(self.segmentor.backbone).__name__} has no `stages`; '
                'encoder features need a SegNetEncoder parser')
        x, features = self._parser_input(img), []
        for stage in stages:
            x = stage(x)
            features.append(x)
            x = F.max_pool2d(x, 2, 2)
        return features

    def forward(self, img: torch.Tensor) -> torch.Tensor:
        """Class logits ``(N, num_classes, H, W)`` for ``img`` ``(N, 3, H, W)``."""
        x = self._parser_input(img)
        logits = self.segmentor(x, mode='tensor')
        if logits.shape[-2:] != img.shape[-2:]:
            logits = F.interpolate(
                logits, size=img.shape[-2:], mode='bilinear',
                align_corners=self.segmentor.decode_head.align_corners)
        return logits
