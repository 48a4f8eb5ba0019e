"""The value range and channel order of the model's images, read from one
place: the model's data preprocessor.

Losses that feed a pretrained network (the face parser, VGG) and baselines
that run a learned module on 0..255 faces convert with this, so a config
that changes the preprocessor's ``mean``/``std`` or channel order changes
them all.
"""
from typing import NamedTuple, Tuple

import torch


class ValueRange(NamedTuple):
    """``pixels = x * std + mean`` (0..255) per channel, in ``order``.

    Attributes:
        mean (tuple[float]): Per channel, in the model's channel order.
        std (tuple[float]): Per channel.
        order (str): 'rgb' or 'bgr': the model's channel order.
    """
    mean: Tuple[float, ...] = (127.5, 127.5, 127.5)
    std: Tuple[float, ...] = (127.5, 127.5, 127.5)
    order: str = 'rgb'

    @classmethod
    def of(cls, preprocessor) -> 'ValueRange':
        """Read from an mmagic ``DataPreprocessor`` (its ``mean``/``std``
        buffers and ``output_channel_order``); images load as BGR."""
        mean = getattr(preprocessor, 'mean', None)
        std = getattr(preprocessor, 'std', None)
        if mean is None or std is None:
            raise ValueError(
                f'{type(preprocessor).__name__} does not normalise images '
                '(no mean/std); give the model a DataPreprocessor with mean '
                'and std, e.g. mean=[127.5] * 3, std=[127.5] * 3')
        order = (getattr(preprocessor, 'output_channel_order', None)
                 or 'BGR').lower()
        return cls(tuple(float(v) for v in mean.flatten()),
                   tuple(float(v) for v in std.flatten()), order)

    def _stats(self, x: torch.Tensor):
        shape = (1, -1, 1, 1)
        return (x.new_tensor(self.mean).view(shape),
                x.new_tensor(self.std).view(shape))

    def to_pixels(self, x: torch.Tensor, order: str = 'rgb') -> torch.Tensor:
        """Model images (N, C, H, W) -> 0..255 in ``order``."""
        mean, std = self._stats(x)
        x = x * std + mean
        return x.flip(1) if order != self.order else x

    def from_pixels(self, x: torch.Tensor, order: str = 'bgr') -> torch.Tensor:
        """0..255 images in ``order`` -> the model's range and order."""
        x = x.flip(1) if order != self.order else x
        mean, std = self._stats(x)
        return (x - mean) / std
