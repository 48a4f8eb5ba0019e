"""What a restorer costs at inference, measured the same way for any model
a benchmark row names (FCSR-GAN, mmagic editors, sequences of them).

* parameters: of the modules that run during one test step (the generator,
  not discriminators, losses or frozen training networks);
* FLOPs per face: torch operators of one test step on one face (2 x
  multiply-adds, torch's counter; OpenCV calls such as Telea count 0);
* faces/s: a test step on a batch (preprocessing included, data loading
  not), median of ``repeats`` after ``warmup``, with the threads given.
"""
import torch

from fcsr_mm.models.complexity import call_flops
from .timing import median_seconds


def run_params(model: torch.nn.Module, batch: dict) -> int:
    """Parameters of the modules that run in ``model.test_step(batch)``."""
    ran, hooks = set(), []
    for module in model.modules():
        hooks.append(module.register_forward_pre_hook(
            lambda m, args: ran.add(m)))
    try:
        with torch.no_grad():
            model.test_step(batch)
    finally:
        for h in hooks:
            h.remove()
    return sum(p.numel() for m in ran for p in m.parameters(recurse=False))


def step_flops(model: torch.nn.Module, batch: dict) -> int:
    """FLOPs of ``model.test_step(batch)`` (torch operators only)."""
    return call_flops(lambda: model.test_step(batch))


def faces_per_second(model: torch.nn.Module, batch: dict, num_faces: int,
                     warmup: int = 1, repeats: int = 3) -> float:
    """``num_faces`` / median seconds of ``model.test_step(batch)``."""
    def step():
        with torch.no_grad():
            model.test_step(batch)

    return num_faces / median_seconds(step, 'cpu', warmup, repeats)
