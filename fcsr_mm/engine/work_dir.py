"""What ``tools/train.py`` says about the checkpoints in its work dir: that
a new run would replace them, and which one to go on from after a NaN."""
import os.path as osp
import shlex
from typing import Dict, Optional

from mmengine.config import Config

from fcsr_mm.utils.checkpoint_io import newest_checkpoint, numbered_checkpoints


def used_work_dir(work_dir: str) -> Optional[str]:
    """One line when ``work_dir`` holds checkpoints that a new run (not a
    resume) would replace as it reaches their iterations; None if none."""
    newest = newest_checkpoint(work_dir)
    if newest is None:
        return None
    return (f'{work_dir} already holds checkpoints (newest: {newest}) that '
            'this run would overwrite: add --resume to continue from it, give '
            'another --work-dir, or add --overwrite-checkpoints to start over '
            'in this one')


def optimizer_lrs(cfg: Config) -> Dict[str, float]:
    """``--cfg-options`` key -> learning rate of each optimiser of the
    config (one ``OptimWrapper``, or one per name)."""
    optim = cfg.get('optim_wrapper') or {}
    if 'optimizer' in optim:
        return {'optim_wrapper.optimizer.lr': optim['optimizer'].get('lr')}
    return {f'optim_wrapper.{name}.optimizer.lr': w['optimizer'].get('lr')
            for name, w in optim.items()
            if isinstance(w, dict) and 'optimizer' in w}


def nonfinite_advice(cfg: Config, config_file: str, iteration: int,
                     part: str, work_dir_given: bool = False,
                     other_options: bool = False) -> str:
    """How to go on after training stopped on a NaN/inf loss at
    ``iteration``: the command that resumes from the checkpoint before the
    newest one saved before it (that one may already hold exploding
    weights), with a tenth of the learning rate of ``part``.

    Args:
        cfg (Config): The run's config (its work dir and learning rates).
        config_file (str): The config file as given on the command line.
        iteration (int): The iteration whose update was refused.
        part (str): The optimised part, a key of ``optim_wrapper``.
        work_dir_given (bool): Whether the run was given ``--work-dir``.
        other_options (bool): Whether it was given ``--cfg-options``.
    """
    lrs = optimizer_lrs(cfg)
    key = f'optim_wrapper.{part}.optimizer.lr'
    lrs = {key: lrs[key]} if key in lrs else lrs
    lower = ' '.join(f'{k}={v / 10:g}' for k, v in lrs.items() if v)
    command = f'python tools/train.py {shlex.quote(config_file)}'
    if work_dir_given:
        command += f' --work-dir {shlex.quote(cfg.work_dir)}'
    again = ' (and your other --cfg-options again)' if other_options else ''
    before = [path for n, path in numbered_checkpoints(cfg.work_dir)
              if n < iteration]
    if not before:
        return (f'no checkpoint was saved before iteration {iteration}: '
                f'start again with a lower learning rate: {command} '
                f'--overwrite-checkpoints --cfg-options {lower}{again}')
    earlier = before[-2] if len(before) > 1 else before[-1]
    resume = (f'{command} --resume {shlex.quote(earlier)} --cfg-options '
              f'{lower}{again}')
    if len(before) == 1:
        return (f'the only checkpoint before iteration {iteration}, '
                f'{before[0]}, may already hold exploding weights: start '
                f'over with a lower learning rate ({command} '
                f'--overwrite-checkpoints --cfg-options {lower}{again}) or '
                f'resume from it with one ({resume})')
    return (f'go on from {earlier} (the newest, {before[-1]}, may already '
            f'hold exploding weights) with a lower learning rate: {resume}; '
            'the resumed optimiser and schedule take the new rate. Or start '
            'over with a lower rate: --overwrite-checkpoints instead of '
            '--resume')


def describe_removed(paths) -> str:
    names = ', '.join(osp.basename(p) for p in paths)
    return (f'removed {len(paths)} temporary file(s) of checkpoint writes '
            f'killed in an earlier run: {names}')
