"""Tensor -> image array, for results, metrics and pictures.

mmagic's ``tensor2img`` expects RGB in 0..1 and swaps to BGR; our tensors
are already BGR in 0..255 (mmagic's ``channel_order='bgr'`` pipelines), so
the channels stay as they are here.
"""
from typing import Union

import numpy as np
import torch


def tensor_to_image(img: Union[torch.Tensor, np.ndarray],
                    dtype=np.uint8) -> np.ndarray:
    """A CxHxW (or NxCxHxW, or HxW) 0..255 image -> HxWxC (NxHxWxC,
    HxWx1) array.

    Args:
        img (Tensor | np.ndarray): The image(s); channels are kept in
            their order.
        dtype: ``np.uint8`` (clamped to 0..255 and rounded) or a float type
            (values as they are, e.g. for metrics). Default: ``np.uint8``.

    Returns:
        np.ndarray: Channels last, contiguous.
    """
    if isinstance(img, torch.Tensor):
        img = img.detach().cpu().float().numpy()
    arr = np.asarray(img)
    if arr.ndim == 2:
        arr = arr[..., None]
    elif arr.ndim in (3, 4):
        arr = np.moveaxis(arr, -3, -1)
    else:
        raise ValueError(f'expected an HxW, CxHxW or NxCxHxW image, got '
                         f'shape {arr.shape}')
    if np.dtype(dtype) == np.uint8:
        arr = np.clip(np.round(arr), 0, 255)
    return np.ascontiguousarray(arr.astype(dtype))
