"""``--resume`` under the config it names: refuse another config's
checkpoint, and let a learning rate given now replace the checkpoint's.

* mmengine's resume fails deep inside ``torch.optim`` ("loaded state dict
  contains a parameter group that doesn't match the size of optimizer's
  group") when the checkpoint is of another config (e.g. a stage-1 one under
  a stage-2 config), without naming the file. The optimisers are compared
  with the checkpoint's before it is loaded.
* mmengine's resume restores each optimiser's ``param_groups`` (``lr``,
  ``initial_lr``) and each parameter scheduler's state (``base_values``,
  ``_last_value``), so ``--cfg-options optim_wrapper.<name>.optimizer.lr=X``
  is silently overridden. Where the configured rate differs from the
  checkpoint's, the schedule is rebased onto it: every rate of that group
  is scaled by configured / checkpoint's, so the schedule goes on where it
  was (past a milestone, inside a warm-up) from the new base.
"""
import math
import re
from typing import Dict, List, Optional

from mmengine.hooks import Hook
from mmengine.optim import OptimWrapperDict
from mmengine.registry import HOOKS

from fcsr_mm.utils.checkpoint_io import load_checkpoint_file


class ResumeMismatchError(ValueError):
    """A checkpoint that cannot be resumed under this config."""


def _optimizers(optim_wrapper) -> Dict[str, object]:
    """Name -> optimiser; '' for a single ``OptimWrapper``."""
    if isinstance(optim_wrapper, OptimWrapperDict):
        return {k: w.optimizer for k, w in optim_wrapper.items()}
    return {'': optim_wrapper.optimizer}


def _saved_optimizers(state: dict) -> Dict[str, dict]:
    return {'': state} if 'param_groups' in state else dict(state)


def _label(name: str) -> str:
    return f'optimiser {name!r}' if name else 'the optimiser'


def optimizer_mismatch(live: Dict[str, object],
                       saved: Dict[str, dict]) -> Optional[str]:
    """What differs between the optimisers built now and those a checkpoint
    saved (names, parameter groups, parameter shapes); None: they fit."""
    if set(live) != set(saved):
        def names(d):
            return sorted(d) if list(d) != [''] else 'a single optimiser'
        return (f'its optimisers are {names(saved)}, this config builds '
                f'{names(live)}')
    for name, optimizer in live.items():
        groups, saved_groups = optimizer.param_groups, \
            saved[name]['param_groups']
        sizes = [len(g['params']) for g in groups]
        saved_sizes = [len(g['params']) for g in saved_groups]
        if sizes != saved_sizes:
            return (f'its {_label(name)} updates {saved_sizes} parameters '
                    f'(per group), this config\'s {sizes}')
        params = [p for g in groups for p in g['params']]
        for index, fields in saved[name].get('state', {}).items():
            for field, value in fields.items():
                shape = tuple(getattr(value, 'shape', ()))
                if shape and index < len(params) and \
                        shape != tuple(params[index].shape):
                    return (f'its {_label(name)} holds {field} of shape '
                            f'{list(shape)} for parameter {index}, which '
                            f'has shape {list(params[index].shape)} here')
    return None


def trained_with(checkpoint: dict) -> str:
    """The config a checkpoint was trained with, from mmengine's meta
    (``experiment_name`` is the config name and a timestamp)."""
    name = checkpoint.get('meta', {}).get('experiment_name', '')
    return re.sub(r'_\d{8}_\d{6}$', '', name) or 'unknown'


@HOOKS.register_module()
class ResumeCheckHook(Hook):
    """Check a checkpoint before mmengine resumes from it, and apply the
    configured learning rates after.

    ``tools/train.py`` adds it to runs started with ``--resume``.

    Args:
        checkpoint (str, optional): The checkpoint resumed from; None skips
            the check (nothing to resume, or mmengine finds it).
    """

    priority = 'VERY_HIGH'

    def __init__(self, checkpoint: Optional[str] = None):
        self.checkpoint = checkpoint
        self.configured: Dict[str, List[float]] = {}

    def before_run(self, runner) -> None:
        """Optimisers and schedulers are built, nothing is loaded yet."""
        optimizers = _optimizers(runner.optim_wrapper)
        # a scheduler keeps the configured rate as 'initial_lr' (its first
        # step may already have changed 'lr', e.g. a warm-up)
        self.configured = {
            name: [g.get('initial_lr', g['lr']) for g in opt.param_groups]
            for name, opt in optimizers.items()
        }
        if self.checkpoint:
            self._check(runner, optimizers)

    def _check(self, runner, optimizers) -> None:
        ckpt = load_checkpoint_file(self.checkpoint)
        if 'meta' not in ckpt or 'message_hub' not in ckpt:
            raise ResumeMismatchError(
                f'{self.checkpoint}: holds weights only, no training state to '
                'resume (iteration, optimiser); start from the weights with '
                f'--cfg-options load_from={self.checkpoint} without --resume')
        if 'optimizer' not in ckpt:
            return
        problem = optimizer_mismatch(optimizers,
                                     _saved_optimizers(ckpt['optimizer']))
        if problem:
            config = runner.cfg.filename or 'this config'
            raise ResumeMismatchError(
                f'{self.checkpoint}: cannot be resumed under {config}: it '
                f'was trained with another config ({trained_with(ckpt)}; '
                f'{problem}). --resume continues a run of the same config; '
                'to start from its weights (e.g. stage 2 from a stage-1 '
                f'checkpoint) use --cfg-options load_from={self.checkpoint} '
                'without --resume')

    def before_train(self, runner) -> None:
        """After mmengine's resume: rebase what differs from the config."""
        changes = []
        schedulers = _schedulers(runner.param_schedulers)
        for name, opt in _optimizers(runner.optim_wrapper).items():
            for i, (group, lr) in enumerate(
                    zip(opt.param_groups, self.configured.get(name, []))):
                saved = group.get('initial_lr', group['lr'])
                if math.isclose(saved, lr, rel_tol=1e-9, abs_tol=0.0):
                    continue
                _rebase(opt, i, lr / saved, schedulers)
                if 'initial_lr' in group:
                    group['initial_lr'] = lr
                now = group['lr']
                changes.append(f'{name or "optimiser"}[{i}] lr {lr:g} (the '
                               f"checkpoint's {saved:g}; now {now:g})")
        if changes:
            runner.logger.info(
                'resumed with the configured learning rate instead of the '
                'checkpoint\'s, its schedule rebased: ' + ', '.join(changes))


def _schedulers(param_schedulers) -> list:
    if not param_schedulers:
        return []
    if isinstance(param_schedulers, dict):
        return [s for group in param_schedulers.values() for s in group]
    return list(param_schedulers)


def _rebase(optimizer, index: int, factor: float, schedulers: list) -> None:
    """Scale group ``index``'s rate and its schedulers' values."""
    optimizer.param_groups[index]['lr'] *= factor
    for scheduler in schedulers:
        if getattr(scheduler, 'param_name', None) != 'lr' or \
                scheduler.optimizer.param_groups is not optimizer.param_groups:
            continue
        scheduler.base_values[index] *= factor
        last = getattr(scheduler, '_last_value', None)
        if last:
            last[index] *= factor
