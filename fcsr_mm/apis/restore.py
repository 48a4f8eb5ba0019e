"""Restore faces from Python: a 32x32 face with a hidden part -> the complete
128x128 face.

    from fcsr_mm.apis import init_restorer, restore_faces
    model = init_restorer('configs/fcsr_stage2_celeba.py', 'iter_200000.pth')
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
import os.path as osp
import re
from typing import Dict, List, Optional, Sequence, Union

import numpy as np
import torch
from mmengine.config import Config
from mmengine.dataset import Compose, pseudo_collate
from mmengine.registry import DefaultScope, init_default_scope
from mmengine.runner.checkpoint import _load_checkpoint_to_model
from mmagic.datasets.transforms import LoadImageFromFile
from mmagic.registry import MODELS, TRANSFORMS

from fcsr_mm.apis.inference_precision import (config_precision,
                                              onnx_precision, predict,
                                              set_model_precision)
from fcsr_mm.apis.testing import needs_checkpoint
from fcsr_mm.apis.trained_config import check_trained_config
from fcsr_mm.data.io import read_image
from fcsr_mm.datasets import DegradeFace, OccludeFace
from fcsr_mm.deployment import OnnxRestorer
from fcsr_mm.datasets.occlusions import (Occlusion, check_occlusion,
                                         occlusion_hole)
from fcsr_mm.models.state_loading import (CheckpointMismatchError,
                                          NonFiniteWeightsError,
                                          first_nonfinite, state_mismatch)
from fcsr_mm.utils.checkpoint_io import load_checkpoint_file
from fcsr_mm.utils.precision import resolve_precision
from fcsr_mm.utils.tensor_image import tensor_to_image

LR_SIZE, HR_SIZE = 32, 128
Face = Union[str, np.ndarray]


def init_restorer(config: Union[str, Config],
                  checkpoint: Optional[str] = None,
                  device: str = 'cpu',
                  allow_other_config: bool = False,
                  precision: Optional[str] = None) -> torch.nn.Module:
    """Build an ``FCSRGAN`` (or any model of the same interface) for
    inference; the config is kept as ``model.cfg`` (as mmagic does), and its
    test pipeline prepares the faces of :func:`restore_faces`.

    Args:
        config (str | Config): A model config, e.g.
            ``configs/fcsr_stage2_celeba.py``.
        checkpoint (str, optional): Trained weights, or a ``.onnx`` export
            of them (tools/deployment/pytorch2onnx.py), run with
            onnxruntime on the CPU. Without one the networks keep their
            initial weights (only useful for tests).
        device (str): 'cpu' or 'cuda[:N]'. Default: 'cpu'.
        allow_other_config (bool): Use a checkpoint whose stored training
            config gives another model (e.g. a stage-1 checkpoint under a
            stage-2 config, whose SR module never trained), with a
            warning, instead of refusing it. Default: False.
        precision (str, optional): 'auto', 'fp32' or 'bf16': what the model
            computes in (bf16 autocast + channels_last or fp32; 'auto':
            bf16 where the processor has native bf16). Kept as
            ``model.precision_plan``. An ONNX model runs fp32 (a warning if
            bf16 is asked for). Default: None (the config's ``precision``,
            else 'auto').
    """
    cfg = Config.fromfile(config) if isinstance(config, str) else config
    check_restorer_config(cfg)
    precision = config_precision(cfg, precision)
    if checkpoint is not None and not osp.isfile(checkpoint):
        raise FileNotFoundError(missing_checkpoint(checkpoint, cfg))
    init_default_scope(cfg.get('default_scope', 'mmagic'))
    if checkpoint is not None and not needs_checkpoint(cfg):
        raise ValueError(
            f'{getattr(cfg, "filename", None) or "the config"}: its model '
            f'({cfg.model.type}) loads the weights its config names; give no '
            f'checkpoint (got {checkpoint})')
    if checkpoint is not None and checkpoint.endswith('.onnx'):
        return set_model_precision(OnnxRestorer(cfg, checkpoint).to(device),
                                   onnx_precision(precision, checkpoint))
    plan = resolve_precision(precision, device)
    # inference needs the generator only: no losses (parsers, VGG) to load;
    # other models (FaceBaseline, SequentialRestorer) have none of these
    model_cfg = cfg.model.to_dict()
    for key, unused in (('losses', {}), ('discriminators', {}),
                        ('train_cfg', None)):
        if key in model_cfg:
            model_cfg[key] = unused
    if model_cfg.get('data_preprocessor'):  # no ground truth to normalise
        model_cfg['data_preprocessor'] = dict(
            model_cfg['data_preprocessor'], data_keys=[])
    model = MODELS.build(model_cfg)
    if checkpoint is not None:
        load_generator(model, checkpoint, cfg, allow_other_config)
    model.cfg = cfg
    return set_model_precision(model.to(device).eval(), plan)


def check_restorer_config(cfg: Config, faces: bool = False) -> None:
    """Refuse, before anything is built, configs that build no mmagic model
    (e.g. a face parser's) and, with ``faces``, configs whose test pipeline
    cannot take the faces of :func:`restore_faces`."""
    name = getattr(cfg, 'filename', None) or 'the config'
    scope = cfg.get('default_scope', 'mmagic')
    model = cfg.get('model', {}).get('type')
    if scope != 'mmagic':
        raise ValueError(
            f'{name}: builds {model} in {scope!r} (a face-parser config?); '
            'restore faces with a restorer config, e.g. '
            'configs/fcsr_stage2_celeba.py')
    if faces:
        _TestPipeline.occlude_step(cfg)


def missing_checkpoint(checkpoint: str, cfg: Config) -> str:
    """What to say of a checkpoint file that does not exist."""
    config = getattr(cfg, 'filename', None) or '<config>'
    if checkpoint.endswith('.onnx'):
        return (f'ONNX file {checkpoint!r} not found; export one with '
                f'tools/deployment/pytorch2onnx.py {config} CHECKPOINT '
                f'--out {checkpoint}')
    return (f'checkpoint {checkpoint!r} not found; train one with '
            f'tools/train.py {config}')


def load_generator(model: torch.nn.Module, checkpoint: str, cfg: Config,
                   allow_other_config: bool = False) -> None:
    """Load ``checkpoint`` into the inference model: the generator must fit
    exactly (``FCSRGAN`` refuses a checkpoint of another config); the
    discriminators and losses it also holds are skipped. Refused too: a
    checkpoint trained with a config that gives another model
    (:func:`check_trained_config`) and weights that hold NaN/inf."""
    config = getattr(cfg, 'filename', None) or '<config>'
    ckpt = load_checkpoint_file(checkpoint)
    if not isinstance(ckpt, dict):
        raise ValueError(f'{checkpoint}: holds no state_dict (a '
                         f'{type(ckpt).__name__}); give a checkpoint saved by '
                         'tools/train.py')
    check_trained_config(ckpt, cfg, checkpoint, allow_other_config)
    try:
        _load_checkpoint_to_model(model, ckpt, strict=True,
                                  revise_keys=[(r'^module\.', '')])
    except NonFiniteWeightsError as err:
        raise ValueError(f'checkpoint {checkpoint!r}: {err}') from err
    except CheckpointMismatchError as err:
        raise ValueError(f'checkpoint {checkpoint!r} does not fit the model '
                         f'of {config}: {err}') from err
    except RuntimeError as err:  # other models: mmengine's strict load
        if 'do not match exactly' not in str(err):
            raise
        state = {re.sub(r'^module\.', '', k): v
                 for k, v in ckpt.get('state_dict', ckpt).items()}
        problems = state_mismatch(model.state_dict(), state)
        raise ValueError(f'checkpoint {checkpoint!r} does not fit the model '
                         f'of {config}: {"; ".join(problems)}') from err
    bad = first_nonfinite(model.state_dict())
    if bad:  # models without FCSRGAN's load hook
        raise ValueError(f'checkpoint {checkpoint!r} holds non-finite '
                         f'weights ({bad}); it comes from a run that '
                         'diverged: use an earlier checkpoint')


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
        self.occlude = self.occlude_step(cfg)
        for key, value in (('fill', fill), ('seed', seed)):
            if value is not None:
                steps[self.occlude][key] = value
        self.transforms = Compose(steps).transforms
        # the steps up to the last loader read the face from its path
        loaders = [i for i, k in enumerate(kinds[:self.occlude])
                   if issubclass(k, LoadImageFromFile)]
        self.load = loaders[-1] + 1 if loaders else 0

    @staticmethod
    def occlude_step(cfg: Config) -> int:
        """Index of the test pipeline's one ``OccludeFace`` step."""
        test = cfg.get('test_dataloader') or {}
        steps = (test.get('dataset') or {}).get('pipeline') or []
        with DefaultScope.overwrite_default_scope('mmagic'):
            kinds = [TRANSFORMS.get(s['type']) or object for s in steps]
        occlude = [i for i, k in enumerate(kinds)
                   if isinstance(k, type) and issubclass(k, OccludeFace)]
        if len(occlude) != 1:
            raise ValueError(f'{getattr(cfg, "filename", "the config")}: its '
                             'test pipeline needs exactly one OccludeFace '
                             f'step (it gives the model its hole), found '
                             f'{len(occlude)}')
        return occlude[0]

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
                  batch_size: int = 16) -> List[Dict[str, np.ndarray]]:
    """Complete and super-resolve faces.

    Args:
        model: From :func:`init_restorer` (its ``cfg`` gives the pipeline;
            it runs in the precision it was given there).
        faces: Paths or HxWx3 uint8 BGR arrays: aligned 32x32 faces (or
            aligned 128x128 faces, downscaled like the training data).
        occlusion: What is hidden, one for all faces or a list with one per
            face: 'O1' .. 'O6', a ``(top, left, h, w)`` box at 32 px, or a
            32x32 mask (nonzero = hidden).
        fill (str, optional): What covers the hidden part before the model
            sees it: 'gaussian', 'uniform' or 'zeros'. Default: None (the
            config's).
        seed (int, optional): Seed of the fill (per face, with its path or
            position). Default: None (the config's test seed).
        batch_size (int): Faces per forward pass. Default: 16.

    Returns:
        list[dict]: Per face ``input`` (the 32x32 face as the model saw it),
        ``pred_lr`` (completed, 32x32; only from models that complete at
        32 px, not e.g. an SR-first sequence) and ``pred_img`` (128x128),
        all HxWx3 uint8 BGR.
    """
    faces = list(faces)
    if isinstance(occlusion, list):  # one per face
        if len(occlusion) != len(faces):
            raise ValueError(f'{len(occlusion)} occlusions for {len(faces)} '
                             'faces; give one for all or one per face')
        occlusions = occlusion
    else:
        occlusions = [occlusion] * len(faces)
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
                          pred_img=tensor_to_image(out.output.pred_img))
            if 'pred_lr' in out.output:
                result['pred_lr'] = tensor_to_image(out.output.pred_lr)
            results.append(result)
    return results


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
