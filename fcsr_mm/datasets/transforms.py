"""Degradation and occlusion transforms (mmagic TRANSFORMS).

mmagic has no antialiased bicubic downscale with a fixed output size and no
face-template occlusions, which FCSR-GAN's inputs need.
"""
import zlib
from typing import Optional, Sequence, Union

import numpy as np
from mmcv.transforms import BaseTransform
from PIL import Image
from mmagic.registry import TRANSFORMS

from fcsr_mm.data.face_template import fixed_occlusions

FILLS = ('gaussian', 'uniform', 'zeros')


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


@TRANSFORMS.register_module()
class DegradeFace(BaseTransform):
    """Antialiased bicubic downscale: ``gt`` (128x128) -> ``gt_lr`` (32x32).

    Args:
        scale (int): Downscale factor. Default: 4.
        key (str): Source key. Default: 'gt'.
        out_key (str): Output key. Default: 'gt_lr'.
    """

    def __init__(self, scale: int = 4, key: str = 'gt',
                 out_key: str = 'gt_lr'):
        self.scale, self.key, self.out_key = scale, key, out_key

    def transform(self, results: dict) -> dict:
        img = results[self.key]
        h, w = img.shape[:2]
        if h % self.scale or w % self.scale:
            raise ValueError(f'{results.get(self.key + "_path", self.key)}: '
                             f'size {w}x{h} is not divisible by {self.scale}')
        small = Image.fromarray(np.ascontiguousarray(img)).resize(
            (w // self.scale, h // self.scale), Image.BICUBIC)
        results[self.out_key] = np.asarray(small)
        return results


@TRANSFORMS.register_module()
class OccludeFace(BaseTransform):
    """Hide a block of the 32x32 face (FCSR-GAN's input).

    Writes ``img`` (the occluded face), ``mask_lr`` (HxWx1, 1 = hole),
    ``mask`` (the same at ``scale`` times the size, for the 128 px local
    crop), ``mask_bbox`` (top, left, h, w at 32 px) and ``occlusion`` (name).

    Args:
        occlusion (str | Sequence[str]): 'random' (a ``block_size`` block at a
            random place, the paper's training occlusion) or 'O1' .. 'O6'
            (left half, right half, both eyes, left eye, right eye, mouth);
            a list picks one per image. Default: 'random'.
        block_size (int): Side of the random block. Default: 16.
        fill (str): 'gaussian' (noise, as the paper covers real occlusions),
            'uniform' or 'zeros'. Default: 'gaussian'.
        seed (int, optional): Fix the occlusion and noise of each image (by
            its file name) for testing; None draws anew each time.
            Default: None.
        key (str): Face to occlude. Default: 'gt_lr'.
        scale (int): Size ratio of ``mask`` to ``mask_lr``. Default: 4.
    """

    def __init__(self, occlusion: Union[str, Sequence[str]] = 'random',
                 block_size: int = 16, fill: str = 'gaussian',
                 seed: Optional[int] = None, key: str = 'gt_lr',
                 scale: int = 4):
        names = [occlusion] if isinstance(occlusion, str) else list(occlusion)
        valid = {'random', 'O1', 'O2', 'O3', 'O4', 'O5', 'O6'}
        bad = [n for n in names if n not in valid]
        if bad or not names:
            raise ValueError(f'unknown occlusion {bad or names}; choose from '
                             f'{sorted(valid)}')
        if fill not in FILLS:
            raise ValueError(f'fill must be one of {FILLS}, got {fill!r}')
        self.occlusions, self.block_size, self.fill = names, block_size, fill
        self.seed, self.key, self.scale = seed, key, scale

    def _rng(self, results: dict) -> np.random.Generator:
        if self.seed is None:
            return np.random.default_rng()
        name = str(results.get('gt_path', results.get('sample_idx', '')))
        return np.random.default_rng([self.seed, zlib.crc32(name.encode())])

    def _box(self, name: str, size: int, rng) -> tuple:
        if name != 'random':
            return fixed_occlusions(size)[name]
        b = self.block_size
        if b > size:
            raise ValueError(f'block_size {b} is larger than the face {size}')
        top, left = rng.integers(0, size - b + 1, 2)
        return int(top), int(left), b, b

    def transform(self, results: dict) -> dict:
        face = results[self.key]
        h, w = face.shape[:2]
        rng = self._rng(results)
        name = self.occlusions[rng.integers(len(self.occlusions))]
        top, left, bh, bw = self._box(name, h, rng)
        mask = np.zeros((h, w, 1), np.float32)
        mask[top:top + bh, left:left + bw] = 1
        results['img'] = fill_hole(face, mask[..., 0] > 0, self.fill, rng)
        results['mask_lr'] = mask
        results['mask'] = np.repeat(np.repeat(mask, self.scale, 0),
                                    self.scale, 1)
        results['mask_bbox'] = [top, left, bh, bw]
        results['occlusion'] = name
        return results
