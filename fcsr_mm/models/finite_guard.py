"""What FCSRGAN does when a loss term is NaN or infinite, before any update.

``train_cfg.nonfinite = dict(policy='stop')`` (the default) stops training,
so no checkpoint ever holds the weights such an update would produce;
``policy='skip'`` leaves that one update out (logged, counted) and stops
only after ``max_consecutive`` skipped updates in a row, since a model that
keeps producing them will not recover by itself.
"""
from typing import Dict

import torch
from mmengine.logging import print_log

POLICIES = ('stop', 'skip')


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
           phase: str, part: str = 'generator') -> bool:
        """True: update ``part``. False: skip this update ('skip' policy).
        Raises ``FloatingPointError`` to stop. One device sync when all
        are finite."""
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
        stop = ('training stopped before this update, so the saved '
                'checkpoints hold finite weights. Lower the learning rate '
                "(optim_wrapper) or this term's weight, then continue with "
                'tools/train.py --resume.')
        if self.policy == 'skip':
            stop = f'{row} {part} updates in a row; ' + stop
        raise FloatingPointError(f'{what}; {stop}')
