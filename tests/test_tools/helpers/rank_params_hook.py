"""For tests of distributed training: every rank saves its model's
parameters before and after training to ``<out_dir>/<when>_rank<R>.pth``,
so a test can compare the ranks (DDP keeps them equal only while it
synchronises the gradients)."""
import os.path as osp

import torch
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from mmengine.registry import HOOKS


@HOOKS.register_module()
class SaveRankParamsHook(Hook):
    """Save this rank's parameters before and after training.

    Args:
        out_dir (str): Folder of the ``before_rank<R>.pth`` and
            ``after_rank<R>.pth`` files.
    """

    def __init__(self, out_dir: str):
        self.out_dir = out_dir

    def _save(self, runner, when: str) -> None:
        model = runner.model
        if is_model_wrapper(model):
            model = model.module
        params = {k: p.detach().clone() for k, p in model.named_parameters()}
        torch.save(params, osp.join(self.out_dir,
                                    f'{when}_rank{runner.rank}.pth'))

    def before_train(self, runner) -> None:
        self._save(runner, 'before')

    def after_train(self, runner) -> None:
        self._save(runner, 'after')
