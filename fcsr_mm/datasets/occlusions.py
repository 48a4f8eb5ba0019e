"""Occlusions of the 32x32 input, defined once: names, boxes, masks, fills.

An occlusion is given as
- a name: 'random' (a square block at a random place, the paper's training
  occlusion), 'O1' .. 'O6' (the face template's fixed parts: left half,
  right half, both eyes, left eye, right eye, mouth) or 'none' (nothing
  hidden: super-resolution only, e.g. the unoccluded faces of a photo);
- a box ``(top, left, height, width)`` in pixels of the face;
- a mask, HxW or HxWx1, nonzero = hidden.
``OccludeFace`` (the data pipeline) and ``fcsr_mm.apis`` both use these.
"""
from typing import Sequence, Tuple, Union

import numpy as np

from fcsr_mm.data.face_template import fixed_occlusions

FILLS = ('gaussian', 'uniform', 'zeros')
NAMES = ('random', 'O1', 'O2', 'O3', 'O4', 'O5', 'O6', 'none')
NO_HOLE = 'none'
Occlusion = Union[str, Sequence[int], np.ndarray]


def is_box(occlusion) -> bool:
    """Whether ``occlusion`` is a ``(top, left, h, w)`` box."""
    return isinstance(occlusion, (tuple, list)) and len(occlusion) == 4 \
        and all(isinstance(v, (int, np.integer)) for v in occlusion)


def check_occlusion(occlusion: Occlusion) -> None:
    """Raise a ValueError naming the fix for an occlusion that is none of
    a known name, a box or a 2-D mask (sizes are checked per face)."""
    if isinstance(occlusion, str):
        if occlusion not in NAMES:
            raise ValueError(f'unknown occlusion {occlusion!r}; use one of '
                             f'{list(NAMES)}, a (top, left, h, w) box or a '
                             'mask')
    elif isinstance(occlusion, np.ndarray):
        if occlusion.ndim not in (2, 3) or (occlusion.ndim == 3
                                            and occlusion.shape[2] != 1):
            raise ValueError(f'occlusion mask has shape {occlusion.shape}; '
                             'give an HxW mask (nonzero = hidden)')
    elif not is_box(occlusion):
        raise ValueError(f'occlusion {occlusion!r} is not a name, a (top, '
                         'left, h, w) box of integers or a mask array')


def occlusion_hole(occlusion: Occlusion, size: int, block_size: int = 16,
                   rng: np.random.Generator = None) -> Tuple[np.ndarray, str]:
    """The hole (``size`` x ``size`` bool, True = hidden) of ``occlusion``
    and a label for it (the name, 'box' or 'mask').

    Args:
        occlusion: A name, a box or a mask (see the module docstring).
        size (int): Side of the face.
        block_size (int): Side of the 'random' block. Default: 16.
        rng (np.random.Generator): Draws the 'random' block's place.
    """
    check_occlusion(occlusion)
    label = occlusion if isinstance(occlusion, str) else \
        'mask' if isinstance(occlusion, np.ndarray) else 'box'
    if isinstance(occlusion, np.ndarray):
        hole = (occlusion[..., 0] if occlusion.ndim == 3 else occlusion) > 0
        if hole.shape != (size, size):
            raise ValueError(f'occlusion mask has shape {hole.shape}; it '
                             f'must be {size}x{size} like the input face')
    elif isinstance(occlusion, str) and occlusion == NO_HOLE:
        return np.zeros((size, size), bool), label
    else:
        if occlusion == 'random':
            if block_size > size:
                raise ValueError(f'block_size {block_size} is larger than '
                                 f'the face {size}')
            top, left = rng.integers(0, size - block_size + 1, 2)
            occlusion = (int(top), int(left), block_size, block_size)
        elif isinstance(occlusion, str):
            occlusion = fixed_occlusions(size)[occlusion]
        top, left, h, w = (int(v) for v in occlusion)
        if h <= 0 or w <= 0 or top < 0 or left < 0 or top + h > size \
                or left + w > size:
            raise ValueError(f'occlusion box (top, left, h, w)='
                             f'{tuple(occlusion)} does not fit inside the '
                             f'{size}x{size} face')
        hole = np.zeros((size, size), bool)
        hole[top:top + h, left:left + w] = True
    if not hole.any():
        raise ValueError('the occlusion hides no pixel; give the part of the '
                         'face to complete (a box, O1..O6 or a mask)')
    return hole, label


def hole_bbox(hole: np.ndarray) -> list:
    """``[top, left, height, width]`` of the hole's bounding box;
    ``[0, 0, 0, 0]`` for no hole (a face restored by super-resolution
    only)."""
    ys, xs = np.nonzero(hole.any(1))[0], np.nonzero(hole.any(0))[0]
    if not ys.size:
        return [0, 0, 0, 0]
    return [int(ys[0]), int(xs[0]), int(ys[-1] - ys[0] + 1),
            int(xs[-1] - xs[0] + 1)]


def fill_hole(face: np.ndarray, hole: np.ndarray, fill: str,
              rng: np.random.Generator) -> np.ndarray:
    """A copy of ``face`` (HxWxC uint8) with the ``hole`` pixels (HxW bool)
    replaced by ``fill``: 'gaussian' (mean 127.5, std 64), 'uniform' or
    'zeros'."""
    if fill not in FILLS:
        raise ValueError(f'fill must be one of {FILLS}, got {fill!r}')
    shape = (int(hole.sum()), ) + face.shape[2:]
    if fill == 'gaussian':
        values = rng.normal(127.5, 64.0, shape)
    elif fill == 'uniform':
        values = rng.uniform(0, 255, shape)
    else:
        values = np.zeros(shape)
    img = face.copy()
    img[hole] = np.clip(values, 0, 255).astype(face.dtype)
    return img
