"""Degradation and occlusion transforms (mmagic TRANSFORMS).

``DegradeFace`` computes what mmagic's ``Resize`` with the pillow backend
computes (``mmcv.imresize``) and adds the checks that name a face of the
wrong size; mmagic has no face-template occlusions, which FCSR-GAN's inputs
need.
"""
import os.path as osp
import zlib
from typing import Optional, Sequence, Union

import mmcv
import numpy as np
from mmcv.transforms import BaseTransform
from mmagic.registry import TRANSFORMS

from .occlusion_mix import build_mix
from .occlusions import (FILLS, Occlusion, check_occlusion, fill_hole,
                         hole_bbox, is_box, occlusion_hole)

@TRANSFORMS.register_module()
class DegradeFace(BaseTransform):
    """Antialiased bicubic downscale: ``gt`` (128x128) -> ``gt_lr`` (32x32).

    Args:
        scale (int): Downscale factor. Default: 4.
        key (str): Source key. Default: 'gt'.
        out_key (str): Output key. Default: 'gt_lr'.
        gt_size (int, optional): The side every source image must have
            (an aligned face); None accepts any size divisible by
            ``scale``. Default: None.
    """

    def __init__(self, scale: int = 4, key: str = 'gt',
                 out_key: str = 'gt_lr', gt_size: Optional[int] = None):
        self.scale, self.key, self.out_key = scale, key, out_key
        self.gt_size = gt_size

    def transform(self, results: dict) -> dict:
        img = results[self.key]
        h, w = img.shape[:2]
        if self.gt_size and (h, w) != (self.gt_size, self.gt_size):
            raise ValueError(
                f'{results.get(self.key + "_path", self.key)}: the image is '
                f'{w}x{h}; this pipeline expects aligned {self.gt_size}x'
                f'{self.gt_size} faces (tools/dataset_converters/ writes '
                'them)')
        if h % self.scale or w % self.scale:
            raise ValueError(f'{results.get(self.key + "_path", self.key)}: '
                             f'size {w}x{h} is not divisible by {self.scale}')
        # mmcv's pillow backend: PIL's bicubic antialiases when shrinking
        # (OpenCV's INTER_CUBIC does not)
        results[self.out_key] = mmcv.imresize(
            np.ascontiguousarray(img), (w // self.scale, h // self.scale),
            interpolation='bicubic', backend='pillow')
        return results


MIX = 'mix'  # OccludeFace's occlusion drawn from an OcclusionMix


@TRANSFORMS.register_module()
class OccludeFace(BaseTransform):
    """Hide part of the 32x32 face (FCSR-GAN's input).

    Writes ``img`` (the occluded face), ``mask_lr`` (HxWx1, 1 = hole),
    ``mask`` (the same at ``scale`` times the size, for the 128 px local
    crop), ``mask_bbox`` (top, left, h, w at 32 px), ``mask_bbox_hr`` (the
    same for ``mask``, as mmagic's 128 px inpainters crop) and ``occlusion`` (its
    name, 'box' or 'mask'). An ``occlusion`` already in the sample (a name,
    box or mask, e.g. from ``fcsr_mm.apis``) is used instead of the
    configured one.

    Args:
        occlusion (str | Sequence[str] | tuple | np.ndarray): 'random' (a
            ``block_size`` block at a random place, the paper's training
            occlusion), 'O1' .. 'O6' (left half, right half, both eyes, left
            eye, right eye, mouth), a ``(top, left, h, w)`` box or an HxW
            mask; a list of names picks one per image; 'mix' draws from
            ``mix``. Default: 'random'.
        block_size (int): Side of the random block. Default: 16.
        fill (str): 'gaussian' (noise, as the paper covers real occlusions),
            'uniform' or 'zeros'. Default: 'gaussian'.
        seed (int, optional): Fix the occlusion and fill of each image (by
            its file name) for testing. None draws them from numpy's global
            random state, which mmengine's ``randomness.seed`` seeds (per
            dataloader worker). Default: None.
        key (str): Face to occlude. Default: 'gt_lr'.
        scale (int): Size ratio of ``mask`` to ``mask_lr``. Default: 4.
        mix (dict, optional): The kinds of ``occlusion='mix'`` with their
            weights and settings (``fcsr_mm.datasets.occlusion_mix``), e.g.
            ``dict(block=dict(weight=0.4), template=dict(weight=0.3),
            strokes=dict(weight=0.3))``. Default: None.
    """

    def __init__(self, occlusion: Union[Occlusion, Sequence[str]] = 'random',
                 block_size: int = 16, fill: str = 'gaussian',
                 seed: Optional[int] = None, key: str = 'gt_lr',
                 scale: int = 4, mix: Optional[dict] = None):
        choices = list(occlusion) if isinstance(occlusion, (list, tuple)) \
            and not is_box(occlusion) else [occlusion]
        if not choices:
            raise ValueError('OccludeFace: occlusion is an empty list')
        wants_mix = any(isinstance(c, str) and c == MIX for c in choices)
        if wants_mix != (mix is not None):
            raise ValueError("OccludeFace: occlusion='mix' and mix=dict(...)"
                             f' go together; got occlusion={occlusion!r}, '
                             f'mix={mix!r}')
        for choice in choices:
            if not (isinstance(choice, str) and choice == MIX):
                check_occlusion(choice)
        self.mix = build_mix(mix)
        if fill not in FILLS:
            raise ValueError(f'fill must be one of {FILLS}, got {fill!r}')
        self.occlusions, self.block_size, self.fill = choices, block_size, fill
        self.seed, self.key, self.scale = seed, key, scale

    def _rng(self, results: dict) -> np.random.Generator:
        if self.seed is None:  # follows mmengine's seeding of np.random
            return np.random.default_rng(np.random.randint(2**31))
        # the file name, not its path: a face gets the same occlusion
        # wherever its data set lies (data/celeba128, ../shared/data/...)
        name = osp.basename(str(results.get('gt_path',
                                            results.get('sample_idx', ''))))
        return np.random.default_rng([self.seed, zlib.crc32(name.encode())])

    def transform(self, results: dict) -> dict:
        face = results[self.key]
        h, w = face.shape[:2]
        if h != w:
            raise ValueError(f'{results.get("gt_path", self.key)}: the face '
                             f'is {w}x{h}; OccludeFace needs a square face')
        rng = self._rng(results)
        occlusion = results.get('occlusion')
        if occlusion is None:
            occlusion = self.occlusions[rng.integers(len(self.occlusions))]
        if isinstance(occlusion, str) and occlusion == MIX:
            hole, label = self.mix.draw(rng, h)
        else:
            hole, label = occlusion_hole(occlusion, h, self.block_size, rng)
        mask = hole[..., None].astype(np.float32)
        results['img'] = fill_hole(face, hole, self.fill, rng)
        results['mask_lr'] = mask
        results['mask'] = np.repeat(np.repeat(mask, self.scale, 0),
                                    self.scale, 1)
        results['mask_bbox'] = bbox = hole_bbox(hole)
        results['mask_bbox_hr'] = [v * self.scale for v in bbox]
        results['occlusion'] = label
        return results


@TRANSFORMS.register_module()
class CentreBBox(BaseTransform):
    """Replace a box by one of a fixed size centred on it, inside the image:
    what mmagic's GL local discriminator needs for holes of any shape (its
    ``extract_around_bbox`` refuses a hole larger than ``local_size``).

    Args:
        key (str): The box, ``[top, left, h, w]``. Default: 'mask_bbox'.
        size (tuple[int]): (h, w) of the new box. Default: (16, 16).
        image_size (tuple[int]): (h, w) of the image. Default: (32, 32).
    """

    def __init__(self, key: str = 'mask_bbox', size=(16, 16),
                 image_size=(32, 32)):
        if any(s > i for s, i in zip(size, image_size)):
            raise ValueError(f'CentreBBox: size {tuple(size)} is larger than '
                             f'the image {tuple(image_size)}')
        self.key, self.size, self.image_size = key, tuple(size), \
            tuple(image_size)

    def transform(self, results: dict) -> dict:
        top, left, h, w = results[self.key]
        (sh, sw), (ih, iw) = self.size, self.image_size
        cy, cx = top + h / 2, left + w / 2
        new_top = int(min(max(round(cy - sh / 2), 0), ih - sh))
        new_left = int(min(max(round(cx - sw / 2), 0), iw - sw))
        results[self.key] = [new_top, new_left, sh, sw]
        return results
