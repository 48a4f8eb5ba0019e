"""Restore faces from Python: a 32x32 face with a hidden part -> the complete
128x128 face.

    from fcsr_mm.apis import init_restorer, restore_faces
    model = init_restorer(
        'configs/fcsr_gan/fcsr-gan_stage2_1xb16-200k_celeba-128x128.py',
        'iter_200000.pth')
    out = restore_faces(model, ['face.png'], occlusion=(8, 4, 12, 24))
    cv2.imwrite('face_128.png', out[0]['pred_img'])

Faces go through the config's own test pipeline (loading, degradation,
``OccludeFace`` and packing), with the user's occlusion, so a face and an
occlusion give the model exactly the input the test set would. The hidden
part is covered with the pipeline's fill (noise, the paper's way of handling
real occlusions such as sunglasses or hands), so whatever the input shows
there is ignored.
"""
import copy
import os
import os.path as osp
from typing import Dict, List, Optional, Sequence, Union

import numpy as np
import torch
from mmengine.config import Config
from mmengine.dataset import Compose, pseudo_collate
from mmagic.datasets.transforms import LoadImageFromFile
from mmagic.registry import TRANSFORMS

from fcsr_mm.data.io import read_image
from fcsr_mm.datasets import DegradeFace
from fcsr_mm.datasets.occlusions import (NO_HOLE, Occlusion,
                                         check_occlusion, occlusion_hole)
from fcsr_mm.utils.tensor_image import tensor_to_image
from .inference_model import occlude_step_index
from .inference_precision import predict

LR_SIZE, HR_SIZE = 32, 128
AUTO = 'auto'  # the occlusion the segmenter finds
Face = Union[str, np.ndarray]
IMAGE_EXTS = ('.png', '.jpg', '.jpeg', '.bmp')


def expand_faces(faces: Sequence[Face]) -> List[Face]:
    """Faces with every folder replaced by its images (``IMAGE_EXTS``,
    sorted by name); arrays and image paths stay as they are.

    Raises:
        ValueError: a path that does not exist, or no face at all.
    """
    out: List[Face] = []
    for face in faces:
        if isinstance(face, str) and osp.isdir(face):
            out += sorted(osp.join(face, f) for f in os.listdir(face)
                          if f.lower().endswith(IMAGE_EXTS))
        elif isinstance(face, str) and not osp.isfile(face):
            raise ValueError(f'input {face!r} not found')
        else:
            out.append(face)
    if not out:
        raise ValueError(f'no images ({", ".join(IMAGE_EXTS)}) in '
                         f'{[f for f in faces if isinstance(f, str)]}')
    return out


def occlusion_mask(occlusion: Occlusion, size: int = LR_SIZE) -> np.ndarray:
    """The hole (``size`` x ``size`` bool, True = hidden) of an occlusion:
    'O1' .. 'O6', a ``(top, left, height, width)`` box or a mask (nonzero =
    hidden); see ``fcsr_mm.datasets.occlusions``."""
    if isinstance(occlusion, str) and occlusion == 'random':
        raise ValueError("'random' has no fixed hole; give O1..O6, a box "
                         'or a mask')
    return occlusion_hole(occlusion, size)[0]


class _TestPipeline:
    """The config's test pipeline, entered where a face of the given kind
    starts: a path is loaded by the config's loader, an aligned 128x128 face
    is degraded, a 32x32 face goes straight to ``OccludeFace``."""

    def __init__(self, cfg: Config, fill: Optional[str],
                 seed: Optional[int]):
        steps = copy.deepcopy(cfg.test_dataloader.dataset.pipeline)
        kinds = [TRANSFORMS.get(s['type']) or object for s in steps]
        self.occlude = occlude_step_index(cfg)
        for key, value in (('fill', fill), ('seed', seed)):
            if value is not None:
                steps[self.occlude][key] = value
        self.transforms = Compose(steps).transforms
        # the steps up to the last loader read the face from its path
        loaders = [i for i, k in enumerate(kinds[:self.occlude])
                   if issubclass(k, LoadImageFromFile)]
        self.load = loaders[-1] + 1 if loaders else 0

    def __call__(self, face: Face, name: str,
                 occlusion: Occlusion) -> dict:
        results = dict(gt_path=name, sample_idx=name, occlusion=occlusion)
        start = 0
        if isinstance(face, str):
            results = self._run(results, self.transforms[:self.load], name)
            face = results.pop('gt')
        else:
            _check_array(face, name)
        h, w = face.shape[:2]
        if (h, w) == (LR_SIZE, LR_SIZE):
            results['gt_lr'], start = face, self.occlude
        elif (h, w) == (HR_SIZE, HR_SIZE):
            results['gt'], start = face, self.load
        else:
            raise ValueError(
                f'{name}: the face is {w}x{h}; give an aligned {LR_SIZE}x'
                f'{LR_SIZE} face (or an aligned {HR_SIZE}x{HR_SIZE} one, '
                'which is downscaled). Align and crop with '
                'tools/dataset_converters/celeba.py first.')
        return self._run(results, self.transforms[start:], name)

    @staticmethod
    def _run(results: dict, transforms, name: str) -> dict:
        try:
            for t in transforms:
                results = t(results)
        except ValueError as err:
            raise ValueError(f'{name}: {err}') from err
        except Exception as err:  # a loader on an unreadable file
            raise ValueError(f'{name}: could not be read as a face image '
                             f'({type(err).__name__}: {err})') from err
        return results


def _check_array(face: np.ndarray, name: str) -> None:
    if not isinstance(face, np.ndarray) or face.ndim != 3 \
            or face.shape[2] != 3 or face.dtype != np.uint8:
        raise ValueError(f'{name}: expected an HxWx3 uint8 BGR image, got '
                         f'{getattr(face, "shape", type(face))}')


@torch.no_grad()
def restore_faces(model: torch.nn.Module, faces: Sequence[Face],
                  occlusion: Union[Occlusion, List[Occlusion]],
                  fill: Optional[str] = None, seed: Optional[int] = None,
                  batch_size: int = 16,
                  segmenter=None) -> List[Dict[str, np.ndarray]]:
    """Complete and super-resolve faces.

    Args:
        model: From :func:`init_restorer` (its ``cfg`` gives the pipeline;
            it runs in the precision it was given there).
        faces: Paths or HxWx3 uint8 BGR arrays: aligned 32x32 faces (or
            aligned 128x128 faces, downscaled like the training data).
        occlusion: What is hidden, one for all faces or a list with one per
            face: 'O1' .. 'O6', a ``(top, left, h, w)`` box at 32 px, or a
            32x32 mask (nonzero = hidden), or 'auto': the mask that
            ``segmenter`` predicts on the 32x32 face (empty where nothing
            hides it: super-resolution only).
        fill (str, optional): What covers the hidden part before the model
            sees it: 'gaussian', 'uniform' or 'zeros'. Default: None (the
            config's).
        seed (int, optional): Seed of the fill (per face, with its path or
            position). Default: None (the config's test seed).
        batch_size (int): Faces per forward pass. Default: 16.
        segmenter (OcclusionSegmenter, optional): Finds the occluders for
            'auto' (:func:`init_occlusion_segmenter`). Default: None.

    Returns:
        list[dict]: Per face ``input`` (the 32x32 face as the model saw it),
        ``pred_lr`` (completed, 32x32; only from models that complete at
        32 px, not e.g. an SR-first sequence) and ``pred_img`` (128x128),
        all HxWx3 uint8 BGR, and ``mask`` (the 32x32 bool hole it filled:
        the predicted one for 'auto').
    """
    faces = list(faces)
    if isinstance(occlusion, list):  # one per face
        if len(occlusion) != len(faces):
            raise ValueError(f'{len(occlusion)} occlusions for {len(faces)} '
                             'faces; give one for all or one per face')
        occlusions = occlusion
    else:
        occlusions = [occlusion] * len(faces)
    occlusions = predicted_occlusions(faces, occlusions, segmenter)
    for occ in occlusions:
        check_occlusion(occ)
    pipeline = _TestPipeline(model.cfg, fill, seed)
    names = [f if isinstance(f, str) else f'<array {i}>'
             for i, f in enumerate(faces)]
    samples = [pipeline(f, n, o) for f, n, o in zip(faces, names, occlusions)]
    results = []
    for i in range(0, len(samples), batch_size):
        outputs = predict(model, pseudo_collate(samples[i:i + batch_size]))
        for sample, out, name in zip(samples[i:i + batch_size], outputs,
                                     names[i:i + batch_size]):
            _check_finite(out.output, name)
            result = dict(input=tensor_to_image(sample['inputs']),
                          pred_img=tensor_to_image(out.output.pred_img),
                          mask=sample['data_samples'].mask_lr.data[0]
                          .numpy() > 0)
            if 'pred_lr' in out.output:
                result['pred_lr'] = tensor_to_image(out.output.pred_lr)
            results.append(result)
    return results


def is_auto(occlusion) -> bool:
    return isinstance(occlusion, str) and occlusion == AUTO


def predicted_occlusions(faces: Sequence[Face], occlusions: List[Occlusion],
                         segmenter) -> List[Occlusion]:
    """``occlusions`` with every 'auto' replaced by the mask ``segmenter``
    predicts on that face at 32 px (as :func:`load_face` makes it)."""
    auto = [i for i, o in enumerate(occlusions) if is_auto(o)]
    if not auto:
        return occlusions
    if segmenter is None:
        raise ValueError(
            "occlusion='auto' needs an occlusion segmenter: "
            'restore_faces(..., segmenter=init_occlusion_segmenter()) '
            '(tools: --segmenter CONFIG CHECKPOINT)')
    masks = segmenter.predict([load_face(faces[i]) for i in auto])
    out = list(occlusions)
    for i, mask in zip(auto, masks):  # nothing found: super-resolution only
        out[i] = mask.astype(np.uint8) if mask.any() else NO_HOLE
    return out


def _check_finite(output, name: str) -> None:
    """NaN would be written as black and inf as white, silently."""
    for key in ('pred_img', 'pred_lr'):
        if key in output and not torch.isfinite(output.get(key)).all():
            raise ValueError(
                f'{name}: the model gave NaN/inf in {key}, so no result was written (check its weights: '
                'a diverged checkpoint?)')


def load_face(face: Face) -> np.ndarray:
    """The clean 32x32 BGR face of a path or an array: read, and an aligned
    128x128 face downscaled with ``DegradeFace`` (for comparisons)."""
    name = face if isinstance(face, str) else 'input array'
    img = read_image(face) if isinstance(face, str) else face
    _check_array(img, name)
    if img.shape[:2] == (LR_SIZE, LR_SIZE):
        return img
    return DegradeFace(scale=4).transform(dict(gt=img))['gt_lr']
