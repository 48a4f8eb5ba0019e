"""Inference in a precision of ``fcsr_mm.utils.precision``, the same way
for every model that the API, ``run_test`` and the benchmark run (FCSR-GAN,
the baselines, mmagic's editors and inpainters, sequences of them, mmseg's
parsers).

    plan = resolve_precision('auto', 'cpu')
    set_model_precision(model, plan)  # weights, inputs, outputs: see there
    outputs = predict(model, batch)  # test_step in plan.autocast()

Tests run through :class:`PrecisionMultiTestLoop` (mmagic's
``MultiTestLoop``) or :class:`PrecisionTestLoop` (mmengine's ``TestLoop``),
which :func:`precision_test_cfg` puts in place of a config's test loop.
Those loops' own switch, ``fp16=True``, autocasts in mmengine's default
dtype (fp16 on a GPU), on the default device, and leaves the weights'
memory format alone; ours set it from the plan and run each iteration
inside the plan's autocast, whose dtype the loop's then takes.
"""
import functools
import warnings
from typing import Optional

import torch
import torch.nn as nn
from mmengine.logging import print_log
from mmengine.model import is_model_wrapper
from mmengine.registry import LOOPS as MMENGINE_LOOPS
from mmengine.runner import TestLoop
from mmengine.structures import BaseDataElement
from mmagic.engine.runner import MultiTestLoop
from mmagic.registry import LOOPS as MMAGIC_LOOPS

from fcsr_mm.utils.precision import (PRECISIONS, Precision, PrecisionError,
                                     resolve_precision)

#: where :func:`set_model_precision` keeps the plan on a model
PLAN_ATTR = 'precision_plan'
_HOOKS_ATTR = '_precision_hooks'
#: dtypes numpy and the metrics cannot take
LOW_PRECISION = (torch.bfloat16, torch.float16)
#: a config's test loop -> the same loop run in a precision
PRECISION_LOOPS = {'MultiTestLoop': 'PrecisionMultiTestLoop',
                   'TestLoop': 'PrecisionTestLoop'}


def config_precision(cfg, precision: Optional[str] = None) -> str:
    """``precision`` if given, else the config's top-level ``precision``,
    else 'auto'; refused (naming where it came from) unless one of
    ``PRECISIONS``."""
    source = 'precision'
    if precision is None:
        precision = cfg.get('precision') or 'auto'
        source = f'{getattr(cfg, "filename", None) or "the config"}: ' \
                 'precision'
    if precision not in PRECISIONS:
        raise PrecisionError(f'{source}={precision!r}; use one of '
                             f'{PRECISIONS}')
    return precision


def to_float(value):
    """``value`` with its bf16/fp16 tensors as fp32, through lists, tuples,
    dicts and data elements (``DataSample``, ``PixelData``; in place)."""
    if isinstance(value, torch.Tensor):
        return value.float() if value.dtype in LOW_PRECISION else value
    if isinstance(value, BaseDataElement):
        for key in value.keys():
            old = getattr(value, key)
            new = to_float(old)
            if new is not old:
                setattr(value, key, new)
        return value
    if isinstance(value, (list, tuple)):
        return type(value)(to_float(v) for v in value)
    if isinstance(value, dict):
        return {k: to_float(v) for k, v in value.items()}
    return value


def _inputs_in_format(plan: Precision, module, args, kwargs):
    """Forward pre-hook: the 4-D ``inputs`` in the plan's memory format."""
    if isinstance(kwargs.get('inputs'), torch.Tensor):
        kwargs['inputs'] = plan.inputs(kwargs['inputs'])
    elif args and isinstance(args[0], torch.Tensor):
        args = (plan.inputs(args[0]), ) + tuple(args[1:])
    return args, kwargs


def _outputs_to_float(module, args, output):
    """Forward hook: fp32 results (numpy cannot take bf16)."""
    return to_float(output)


def set_model_precision(model, plan: Precision):
    """Make ``model`` (in place; returned) run in ``plan``: its weights in
    the plan's memory format, its 4-D ``inputs`` converted on the way into
    ``forward``, its floating outputs back as fp32, and ``plan`` kept as
    ``model.precision_plan`` (see :func:`model_precision`). The forward
    passes still need ``plan.autocast()`` (:func:`predict` gives it).
    Applying another plan replaces the first.

    Args:
        model: An ``nn.Module`` or a model of the same interface without
            weights (``OnnxRestorer``: only the plan is kept).
        plan (Precision): From ``resolve_precision``.
    """
    if isinstance(model, nn.Module):
        old = getattr(model, PLAN_ATTR, None)
        for handle in getattr(model, _HOOKS_ATTR, ()):
            handle.remove()
        if old is not None and old.channels_last and not plan.channels_last:
            model.to(memory_format=torch.contiguous_format)
        plan.prepare(model)
        hooks = []
        if plan.channels_last:
            hooks.append(model.register_forward_pre_hook(
                functools.partial(_inputs_in_format, plan), with_kwargs=True))
        if plan.name != 'fp32':
            hooks.append(model.register_forward_hook(_outputs_to_float))
        setattr(model, _HOOKS_ATTR, hooks)
    setattr(model, PLAN_ATTR, plan)
    return model


def model_precision(model) -> Precision:
    """The plan :func:`set_model_precision` gave ``model``; fp32 if none."""
    plan = getattr(model, PLAN_ATTR, None)
    return plan or Precision('fp32', False, 'cpu', 'no precision applied')


def predict(model, data: dict) -> list:
    """``model.test_step(data)`` in the model's precision."""
    with torch.no_grad(), model_precision(model).autocast():
        return model.test_step(data)


def onnx_precision(precision: str, onnx_file: str) -> Precision:
    """onnxruntime runs the exported fp32 graph, whatever ``precision``
    says (asked for bf16: a warning)."""
    if precision == 'bf16':
        warnings.warn(f'{onnx_file}: precision bf16 is ignored for an ONNX '
                      'model; onnxruntime runs its fp32 graph')
    elif precision == 'auto':
        print_log(f"precision 'auto' for {onnx_file}: fp32 (onnxruntime "
                  'runs the exported fp32 graph)', logger='current')
    return Precision('fp32', False, 'cpu', 'onnxruntime runs the fp32 graph')


def _runner_plan(model: nn.Module, precision: str) -> Precision:
    """``precision`` resolved on the device of the runner's model, and
    applied to it (inside its DDP wrapper if it has one)."""
    module = model.module if is_model_wrapper(model) else model
    param = next(module.parameters(), None)
    device = param.device if param is not None else 'cpu'
    return model_precision(set_model_precision(
        module, resolve_precision(precision, device)))


def _check_loop_precision(precision: str) -> str:
    if precision not in PRECISIONS:
        raise PrecisionError(f'test loop: precision={precision!r}; use one '
                             f'of {PRECISIONS}')
    return precision


class _PrecisionLoop:
    """What both precision test loops add to their library loop: the model
    in ``precision`` (resolved on the model's device when the test starts,
    after the checkpoint is loaded; see :func:`set_model_precision`) and
    each iteration inside the plan's autocast.

    Args:
        runner, dataloader, evaluator: As the library loop's.
        precision (str): 'auto', 'fp32' or 'bf16'. Default: 'auto'.
    """

    def __init__(self, runner, dataloader, evaluator,
                 precision: str = 'auto'):
        super().__init__(runner, dataloader, evaluator)
        self.precision = _check_loop_precision(precision)
        self.plan: Optional[Precision] = None

    def run(self):
        self.plan = _runner_plan(self.runner.model, self.precision)
        # the loop's autocast around test_step; off, it would switch ours off
        self.fp16 = self.plan.name != 'fp32'
        return super().run()

    def run_iter(self, *args):
        # the loop's autocast (dtype None) takes its dtype from this one:
        # bf16, not mmengine's GPU default fp16. The iteration's metrics and
        # hooks run inside too: autocast changes only matrix products and
        # convolutions, which they (numpy, OpenCV, elementwise) do not use
        with self.plan.autocast():
            super().run_iter(*args)


@MMAGIC_LOOPS.register_module()
class PrecisionMultiTestLoop(_PrecisionLoop, MultiTestLoop):
    """mmagic's ``MultiTestLoop`` in a precision (see ``_PrecisionLoop``)."""


@MMENGINE_LOOPS.register_module()
class PrecisionTestLoop(_PrecisionLoop, TestLoop):
    """mmengine's ``TestLoop`` (the parsers' configs) in a precision (see
    ``_PrecisionLoop``)."""


def precision_test_cfg(test_cfg: Optional[dict],
                       precision: str) -> Optional[dict]:
    """``test_cfg`` (a config's test loop) run in ``precision``: a
    ``MultiTestLoop`` or ``TestLoop`` becomes its precision loop; other
    loops run as configured (fp32), and refuse 'bf16'; None (no test
    loop) stays None."""
    if test_cfg is None:
        return None
    loop = dict(test_cfg)
    kind = loop.get('type', 'TestLoop')
    kind = getattr(kind, '__name__', kind)
    if loop.get('fp16'):
        raise ValueError(f'test_cfg {kind}: fp16=True; drop it and give '
                         "precision='bf16' (tools/test.py --precision bf16)")
    if kind in PRECISION_LOOPS.values():
        return dict(loop, precision=precision)
    if kind in PRECISION_LOOPS:
        loop.pop('fp16', None)  # False: the plan decides
        return dict(loop, type=PRECISION_LOOPS[kind], precision=precision)
    if precision == 'bf16':
        raise ValueError(f'test_cfg type {kind!r} runs in fp32 only; use '
                         f'{" or ".join(PRECISION_LOOPS)} for bf16, or '
                         "precision='fp32'")
    return loop
