"""What FCSRGAN does when a loss term is NaN or infinite, before any update.

``train_cfg.nonfinite = dict(policy='stop')`` (the default) stops training,
so no checkpoint ever holds the weights such an update would produce;
``policy='skip'`` leaves that one update out (logged, counted) and stops
only after ``max_consecutive`` skipped updates in a row, since a model that
keeps producing them will not recover by itself.

A stop raises ``NonFiniteLossError``; ``tools/train.py`` turns it into one
line naming the checkpoint to resume from.
"""
from typing import Dict, Optional

import torch
from mmengine.logging import print_log

POLICIES = ('stop', 'skip')


class NonFiniteLossError(FloatingPointError):
    """Training stopped on a NaN/inf loss term.

    Args:
        what (str): What happened (term, value, iteration, phase).
        advice (str): What to do.
        iteration (int): The (1-based) iteration whose update was refused.
        part (str): The ``optim_wrapper`` key of the optimiser whose rate
            to lower ('generator', 'discriminators').
    """

    def __init__(self, what: str, advice: str = '', iteration: int = 0,
                 part: str = 'generator'):
        super().__init__(f'{what}; {advice}' if advice else what)
        self.what, self.iteration, self.part = what, iteration, part


class FiniteGuard:
    """Check loss terms before an update.

    Args:
        policy (str): 'stop' or 'skip'. Default: 'stop'.
        max_consecutive (int): With 'skip', stop after this many skipped
            updates in a row. Default: 10.
    """

    def __init__(self, policy: str = 'stop', max_consecutive: int = 10):
        if policy not in POLICIES:
            raise ValueError(f'train_cfg.nonfinite.policy must be one of '
                             f'{POLICIES}, got {policy!r}')
        self.policy, self.max_consecutive = policy, max_consecutive
        self.skipped = 0
        self.in_a_row: Dict[str, int] = {}  # per updated part

    def ok(self, losses: Dict[str, torch.Tensor], iteration: int,
           phase: str, part: str = 'generator',
           optimiser: Optional[str] = None) -> bool:
        """True: update ``part``. False: skip this update ('skip' policy).
        Raises ``NonFiniteLossError`` to stop, naming ``optimiser`` (the
        ``optim_wrapper`` key whose rate to lower; default: ``part``). One
        device sync when all are finite."""
        optimiser = optimiser or part
        values = [v.detach().float().mean() for v in losses.values()]
        if not values or bool(torch.isfinite(torch.stack(values)).all()):
            self.in_a_row[part] = 0
            return True
        name, value = next((k, v) for k, v in losses.items()
                           if not torch.isfinite(v).all())
        what = (f'{name} is {value.detach().float().mean().item()} at '
                f'iteration {iteration} (phase {phase!r})')
        row = self.in_a_row[part] = self.in_a_row.get(part, 0) + 1
        if self.policy == 'skip' and row <= self.max_consecutive:
            self.skipped += 1
            print_log(f'{what}: {part} update skipped ({self.skipped} '
                      f'skipped so far, {row} in a row)', logger='current',
                      level=30)
            return False
        # The checkpoints just before may hold weights already on their way
        # to overflow, and --resume alone would restore the same lr.
        stop = (
            'training stopped before this update, so no checkpoint holds its '
            'result, but the last one saved before it may already hold '
            'exploding weights. Resume from an earlier one (WORK_DIR/iter_K'
            '.pth, saved every default_hooks.checkpoint.interval iterations) '
            'with a lower learning rate: tools/train.py CONFIG --resume '
            f'WORK_DIR/iter_K.pth --cfg-options optim_wrapper.{optimiser}.'
            'optimizer.lr=LOWER_LR (the resumed optimiser and schedule take '
            "it), or lower the weight of the term, or start over with a "
            'lower learning rate')
        if self.policy == 'skip':
            what = f'{what}; {row} {part} updates in a row'
        raise NonFiniteLossError(what, stop, iteration, optimiser)
