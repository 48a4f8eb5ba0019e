"""Restore faces from Python: a 32x32 face with a hidden part -> the complete
128x128 face.

    from fcsr_mm.apis import init_restorer, restore_faces
    model = init_restorer('configs/fcsr_stage2_celeba.py', 'iter_200000.pth')
    out = restore_faces(model, ['face.png'], occlusion=(8, 4, 12, 24))
    cv2.imwrite('face_128.png', out[0]['pred_img'])

The occluded part is covered with noise first (the paper's way of handling
real occlusions such as sunglasses or hands), so whatever the input shows
there is ignored.
"""
import os.path as osp
from typing import Dict, List, Optional, Sequence, Tuple, Union

import numpy as np
import torch
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.registry import init_default_scope
from mmengine.runner import load_checkpoint

from fcsr_mm.data.face_template import fixed_occlusions
from fcsr_mm.data.io import read_image
from fcsr_mm.datasets.transforms import fill_hole

LR_SIZE, SCALE = 32, 4
Occlusion = Union[str, Tuple[int, int, int, int], np.ndarray]


def init_restorer(config: Union[str, Config],
                  checkpoint: Optional[str] = None,
                  device: str = 'cpu') -> torch.nn.Module:
    """Build an ``FCSRGAN`` (or any model of the same interface) for
    inference.

    Args:
        config (str | Config): A model config, e.g.
            ``configs/fcsr_stage2_celeba.py``.
        checkpoint (str, optional): Trained weights. Without one the networks
            keep their initial weights (only useful for tests).
        device (str): 'cpu' or 'cuda[:N]'. Default: 'cpu'.
    """
    import fcsr_mm  # noqa: F401  registers the components
    from mmagic.registry import MODELS
    cfg = Config.fromfile(config) if isinstance(config, str) else config
    if checkpoint is not None and not osp.isfile(checkpoint):
        raise FileNotFoundError(
            f'checkpoint {checkpoint!r} not found; train one with '
            f'tools/train.py {getattr(cfg, "filename", "<config>")}')
    init_default_scope(cfg.get('default_scope', 'mmagic'))
    # inference needs the generator only: no losses (parsers, VGG) to load
    model_cfg = dict(cfg.model.to_dict(), losses={}, discriminators={},
                     train_cfg=None)
    if model_cfg.get('data_preprocessor'):  # no ground truth to normalise
        model_cfg['data_preprocessor'] = dict(
            model_cfg['data_preprocessor'], data_keys=[])
    model = MODELS.build(model_cfg)
    if checkpoint is not None:
        # discriminator/loss weights in the checkpoint are not needed here
        load_checkpoint(model, checkpoint, map_location='cpu', strict=False,
                        revise_keys=[(r'^module\.', '')])
    return model.to(device).eval()


def occlusion_mask(occlusion: Occlusion, size: int = LR_SIZE) -> np.ndarray:
    """The hole (``size`` x ``size`` bool, True = hidden) of an occlusion:
    'O1' .. 'O6' (the face template's fixed masks), a box
    ``(top, left, height, width)`` in 32 px coordinates, or a mask array
    (nonzero = hidden)."""
    if isinstance(occlusion, str):
        boxes = fixed_occlusions(size)
        if occlusion not in boxes:
            raise ValueError(f'unknown occlusion {occlusion!r}; use one of '
                             f'{sorted(boxes)}, a (top, left, h, w) box or '
                             'a mask')
        occlusion = boxes[occlusion]
    if isinstance(occlusion, np.ndarray):
        mask = occlusion[..., 0] if occlusion.ndim == 3 else occlusion
        if mask.shape != (size, size):
            raise ValueError(f'occlusion mask has shape {mask.shape}; it '
                             f'must be {size}x{size} like the input face')
        hole = mask > 0
    else:
        top, left, h, w = (int(v) for v in occlusion)
        if h <= 0 or w <= 0 or top < 0 or left < 0 or top + h > size \
                or left + w > size:
            raise ValueError(f'occlusion box (top, left, h, w)={occlusion} '
                             f'does not fit inside the {size}x{size} face')
        hole = np.zeros((size, size), bool)
        hole[top:top + h, left:left + w] = True
    if not hole.any():
        raise ValueError('the occlusion hides no pixel; give the part of the '
                         'face to complete (a box, O1..O6 or a mask)')
    return hole


def load_face(face: Union[str, np.ndarray]) -> np.ndarray:
    """A 32x32 BGR uint8 face from a path or an array; an aligned 128x128
    face is first downscaled like the training data (antialiased bicubic)."""
    name = face if isinstance(face, str) else 'input array'
    img = read_image(face) if isinstance(face, str) else face
    if img.ndim != 3 or img.shape[2] != 3 or img.dtype != np.uint8:
        raise ValueError(f'{name}: expected an HxWx3 uint8 BGR image, got '
                         f'shape {img.shape} dtype {img.dtype}')
    h, w = img.shape[:2]
    if (h, w) == (LR_SIZE * SCALE, ) * 2:
        from fcsr_mm.datasets.transforms import DegradeFace
        return DegradeFace(scale=SCALE).transform(dict(gt=img))['gt_lr']
    if (h, w) != (LR_SIZE, LR_SIZE):
        raise ValueError(
            f'{name}: the face is {w}x{h}; give an aligned 32x32 face (or an '
            f'aligned 128x128 one, which is downscaled to 32x32). Align and '
            f'crop with tools/dataset_converters/celeba.py first.')
    return img


def _sample(face: np.ndarray, hole: np.ndarray, fill: str,
            rng: np.random.Generator) -> dict:
    from mmagic.datasets.transforms import PackInputs
    results = dict(img=fill_hole(face, hole, fill, rng),
                   mask_lr=hole[..., None].astype(np.float32))
    return PackInputs(keys='img', data_keys=['mask_lr'])(results)


@torch.no_grad()
def restore_faces(model: torch.nn.Module,
                  faces: Sequence[Union[str, np.ndarray]],
                  occlusion: Union[Occlusion, Sequence[Occlusion]],
                  fill: str = 'gaussian', seed: int = 0,
                  batch_size: int = 16) -> List[Dict[str, np.ndarray]]:
    """Complete and super-resolve faces.

    Args:
        model: From :func:`init_restorer`.
        faces: Paths or HxWx3 uint8 BGR arrays: aligned 32x32 faces (or
            aligned 128x128 faces, downscaled first).
        occlusion: What is hidden, one for all faces or a list with one per
            face:
            'O1' .. 'O6', a ``(top, left, h, w)`` box at 32 px, or a 32x32
            mask (nonzero = hidden).
        fill (str): What covers the hidden part before the model sees it:
            'gaussian' (the paper's choice), 'uniform' or 'zeros'.
        seed (int): Seed of the noise fill, for repeatable results.
        batch_size (int): Faces per forward pass. Default: 16.

    Returns:
        list[dict]: Per face ``input`` (the 32x32 face as the model saw it),
        ``pred_lr`` (completed, 32x32) and ``pred_img`` (128x128), all HxWx3
        uint8 BGR.
    """
    faces = list(faces)
    if isinstance(occlusion, list):  # one per face
        if len(occlusion) != len(faces):
            raise ValueError(f'{len(occlusion)} occlusions for {len(faces)} '
                             'faces; give one for all or one per face')
        occlusions = occlusion
    else:
        occlusions = [occlusion] * len(faces)
    rng = np.random.default_rng(seed)
    samples = [
        _sample(load_face(f), occlusion_mask(o), fill, rng)
        for f, o in zip(faces, occlusions)
    ]
    results = []
    for i in range(0, len(samples), batch_size):
        outputs = model.test_step(pseudo_collate(samples[i:i + batch_size]))
        for sample, out in zip(samples[i:i + batch_size], outputs):
            results.append(
                dict(input=_to_uint8(sample['inputs']),
                     pred_lr=_to_uint8(out.output.pred_lr),
                     pred_img=_to_uint8(out.output.pred_img)))
    return results


def _to_uint8(img: torch.Tensor) -> np.ndarray:
    """CxHxW 0..255 tensor -> HxWxC uint8 (BGR stays BGR)."""
    arr = img.detach().cpu().float().clamp(0, 255).round().byte().numpy()
    return np.ascontiguousarray(arr.transpose(1, 2, 0))
