"""How a checkpoint's weights enter an FCSRGAN (``load_from``, ``--resume``,
``test.py``, the API): the generator must fit exactly; the rest may differ
between stages, quietly.

Stage 2 starts from a stage-1 checkpoint that holds 32 px discriminators and
parser it does not build, and lacks the 128 px ones it does; a checkpoint of
another config must not slip through as a model with random layers. The
frozen networks of the losses (parsers, VGG) always keep the weights their
config files name: a checkpoint's copy is never trained, and a parser
retrained since must not be replaced by the stale copy on resume.
"""
import logging
from typing import List, Mapping, Optional

import torch
from mmengine.logging import print_log
from mmengine.runner.checkpoint import get_state_dict


class CheckpointMismatchError(ValueError):
    """A checkpoint whose generator does not fit the config's; ``detail``
    says what differs."""

    def __init__(self, message: str, detail: Optional[str] = None):
        super().__init__(message)
        self.detail = detail or message


class NonFiniteWeightsError(CheckpointMismatchError):
    """A checkpoint whose weights hold NaN or inf (a run that diverged)."""


def state_mismatch(own: Mapping[str, torch.Tensor],
                   state: Mapping[str, torch.Tensor],
                   unknown: bool = True) -> List[str]:
    """What keeps ``state`` from loading into a module whose state is
    ``own`` strictly, as counts with one example each (mmengine's strict
    load lists every key): weights missing, unknown weights (with
    ``unknown``) and weights of another shape (checkpoint vs model)."""
    missing = [k for k in own if k not in state]
    extra = [k for k in state if k not in own] if unknown else []
    shapes = [f'{k} {tuple(state[k].shape)} vs {tuple(own[k].shape)}'
              for k in own if k in state and hasattr(state[k], 'shape')
              and tuple(state[k].shape) != tuple(own[k].shape)]
    problems = []
    if missing:
        problems.append(f'{len(missing)} weights missing (e.g. {missing[0]})')
    if extra:
        problems.append(f'{len(extra)} unknown weights (e.g. {extra[0]})')
    if shapes:
        problems.append(f'{len(shapes)} of another shape (e.g. {shapes[0]}, '
                        'checkpoint vs model)')
    return problems


def first_nonfinite(state: Mapping[str, torch.Tensor],
                    prefix: str = '') -> Optional[str]:
    """The first floating tensor under ``prefix`` that holds NaN or inf,
    described as ``'<key>: <n> of <total> values are NaN/inf'``; None when
    all are finite."""
    for key, value in state.items():
        if key.startswith(prefix) and torch.is_tensor(value) \
                and value.is_floating_point():
            bad = int((~torch.isfinite(value)).sum())
            if bad:
                return (f'{key}: {bad} of {value.numel()} values are '
                        'NaN/inf')
    return None


def refuse_nonfinite(state: Mapping[str, torch.Tensor],
                     prefix: str = '') -> None:
    """Raise ``NonFiniteWeightsError`` naming the first non-finite tensor:
    such weights give black or white faces and NaN metrics, silently."""
    bad = first_nonfinite(state, prefix)
    if bad:
        raise NonFiniteWeightsError(
            f'the checkpoint holds non-finite weights ({bad}); it comes from '
            'a run that diverged: use an earlier checkpoint of that run')


def _keep_frozen_losses(own: Mapping[str, torch.Tensor], state_dict: dict,
                        prefix: str) -> None:
    """Put the model's own loss-network weights (loaded from the files the
    config names) in place of the checkpoint's, saying so when they
    differ."""
    losses = prefix + 'losses.'
    stale = sorted({k[len(losses):].split('.')[0] for k, v in own.items()
                    if k.startswith(losses) and k in state_dict
                    and not _same(state_dict[k], v)})
    for k, v in own.items():
        if k.startswith(losses):
            state_dict[k] = v
    if stale:
        print_log(f'FCSRGAN: the checkpoint\'s copies of losses '
                  f'{", ".join(stale)} differ from the files this config '
                  'names; the config\'s files are used', logger='current',
                  level=logging.WARNING)


def _same(a, b) -> bool:
    # the model may be on a GPU, a checkpoint is read onto the CPU
    return (torch.is_tensor(a) and torch.is_tensor(b) and a.shape == b.shape
            and torch.equal(a.cpu(), b.detach().cpu().to(a.dtype)))


def fit_checkpoint(module, state_dict, prefix, *args) -> None:
    """``load_state_dict`` pre-hook of ``FCSRGAN``.

    Raises ``CheckpointMismatchError`` naming the generator weights that are
    missing or have another shape, and ``NonFiniteWeightsError`` naming the
    first generator tensor that holds NaN/inf. Drops the weights of modules this config
    does not build, and keeps the model's own weights for those the
    checkpoint lacks (fresh discriminators, the frozen parsers and VGG), so
    a normal load prints no wall of unexpected/missing keys; one line says
    what was kept or dropped.
    """
    # mmengine's names: without the ``.module`` of DDP-wrapped parts, as
    # mmengine's loader (and every checkpoint) names them
    own = {prefix + k: v for k, v in get_state_dict(module).items()}
    generator = {k: v for k, v in own.items()
                 if k.startswith(prefix + 'generator.')}
    problems = state_mismatch(generator, state_dict, unknown=False)
    if problems:
        detail = (f'{"; ".join(problems)}; it was trained with another '
                  'config (stage 1 vs stage 2?)')
        raise CheckpointMismatchError(
            f'the checkpoint does not fit the generator of this config: '
            f'{detail}', detail)
    refuse_nonfinite(state_dict, prefix + 'generator.')
    _keep_frozen_losses(own, state_dict, prefix)
    dropped = [k for k in state_dict if k.startswith(prefix) and k not in own]
    kept = [k for k in own if k not in state_dict]
    for k in dropped:
        del state_dict[k]
    for k in kept:
        state_dict[k] = own[k]
    if dropped or kept:
        top = sorted({k[len(prefix):].split('.')[0] + '.' +
                      k[len(prefix):].split('.')[1] for k in dropped + kept
                      if k[len(prefix):].count('.') >= 1})
        print_log(f'FCSRGAN: generator loaded; {len(dropped)} weights of '
                  f'modules this config does not build were skipped and '
                  f'{len(kept)} of modules the checkpoint lacks keep their '
                  f'own values ({", ".join(top)})', logger='current')
