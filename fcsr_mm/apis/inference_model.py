"""Build a restorer for inference from its config and load its weights
strictly: the one way the API, the ONNX export, the tests and the benchmark
get a model (``init_restorer``, ``load_generator``)."""
import os.path as osp
import re
from typing import Optional, Union

import torch
from mmengine.config import Config
from mmengine.registry import DefaultScope, init_default_scope
from mmengine.runner.checkpoint import (_load_checkpoint_to_model,
                                        get_state_dict)
from mmagic.registry import MODELS, TRANSFORMS

from fcsr_mm.datasets import OccludeFace
from fcsr_mm.deployment import OnnxRestorer
from fcsr_mm.models.state_loading import (CheckpointMismatchError,
                                          NonFiniteWeightsError,
                                          first_nonfinite, state_mismatch)
from fcsr_mm.utils.checkpoint_io import load_checkpoint_file
from fcsr_mm.utils.precision import resolve_precision
from .inference_precision import (config_precision, onnx_precision,
                                  set_model_precision)
from .trained_config import check_trained_config


def needs_checkpoint(cfg: Config) -> bool:
    """False for models whose config names their weights (their class
    sets ``needs_checkpoint = False``)."""
    if DefaultScope.get_current_instance() is None:
        init_default_scope(cfg.get('default_scope', 'mmagic'))
    model_type = MODELS.get(cfg.model.get('type'))
    return getattr(model_type, 'needs_checkpoint', True)


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
            ``configs/fcsr_gan/fcsr-gan_stage2_1xb16-200k_celeba-128x128.py``.
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
            'configs/fcsr_gan/fcsr-gan_stage2_1xb16-200k_celeba-128x128.py')
    if faces:
        occlude_step_index(cfg)


def missing_checkpoint(checkpoint: str, cfg: Config) -> str:
    """What to say of a checkpoint file that does not exist."""
    config = getattr(cfg, 'filename', None) or '<config>'
    if checkpoint.endswith('.onnx'):
        return (f'ONNX file {checkpoint!r} not found; export one with '
                f'tools/deployment/pytorch2onnx.py {config} CHECKPOINT '
                f'--out {checkpoint}')
    return (f'checkpoint {checkpoint!r} not found; train one with '
            f'tools/train.py {config}')


def read_trained_checkpoint(checkpoint: str, cfg: Config,
                            allow_other_config: bool = False) -> dict:
    """Read ``checkpoint`` and refuse, naming the file, one that holds no
    state dict or was trained with a config that gives another model
    (:func:`check_trained_config`)."""
    ckpt = load_checkpoint_file(checkpoint)
    if not isinstance(ckpt, dict):
        raise ValueError(f'{checkpoint}: holds no state_dict (a '
                         f'{type(ckpt).__name__}); give a checkpoint saved by '
                         'tools/train.py')
    check_trained_config(ckpt, cfg, checkpoint, allow_other_config)
    return ckpt


def load_generator(model: torch.nn.Module, checkpoint: str, cfg: Config,
                   allow_other_config: bool = False,
                   ckpt: Optional[dict] = None) -> None:
    """Load ``checkpoint`` into the inference model: the generator must fit
    exactly (``FCSRGAN`` refuses a checkpoint of another config); the
    discriminators and losses it also holds are skipped. Refused too: a
    checkpoint trained with a config that gives another model
    (:func:`check_trained_config`) and weights that hold NaN/inf.

    ``ckpt``: the checkpoint already read by
    :func:`read_trained_checkpoint` (then it is not read again). mmengine's
    loader, because it reaches the DDP-wrapped parts of a distributed
    test run by their unwrapped names (a misfit raises on rank 0; torchrun
    then stops the other processes)."""
    config = getattr(cfg, 'filename', None) or '<config>'
    if ckpt is None:
        ckpt = read_trained_checkpoint(checkpoint, cfg, allow_other_config)
    try:
        _load_checkpoint_to_model(model, ckpt, strict=True,
                                  revise_keys=[(r'^module\.', '')])
    except NonFiniteWeightsError as err:
        raise ValueError(f'checkpoint {checkpoint!r}: {err}') from err
    except CheckpointMismatchError as err:
        raise ValueError(f'{checkpoint}: the checkpoint does not fit the '
                         f'model of {config}: {err.detail}') from err
    except RuntimeError as err:  # other models: mmengine's strict load
        if 'do not match exactly' not in str(err):
            raise
        state = {re.sub(r'^module\.', '', k): v
                 for k, v in ckpt.get('state_dict', ckpt).items()}
        problems = state_mismatch(get_state_dict(model), state)
        raise ValueError(f'{checkpoint}: the checkpoint does not fit the '
                         f'model of {config}: {"; ".join(problems)}') from err
    bad = first_nonfinite(model.state_dict())
    if bad:  # models without FCSRGAN's load hook
        raise ValueError(f'checkpoint {checkpoint!r} holds non-finite '
                         f'weights ({bad}); it comes from a run that '
                         'diverged: use an earlier checkpoint')


def occlude_step_index(cfg: Config) -> int:
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
