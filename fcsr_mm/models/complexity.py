"""Parameter and FLOP counts (FLOPs = 2 x multiply-adds, torch's counter).

Ours, not mmengine's ``get_model_complexity_info``: that one counts
multiply-adds (2.584 G for the stage-2 generator on one 32x32 face, where
torch's counter gives 5.167 GFLOPs), and every FLOP figure in docs/ uses
torch's definition.
"""
from typing import Callable, Optional, Sequence

import torch
from torch.utils.flop_counter import FlopCounterMode

from .probe_faces import probe_faces


def count_params(module: torch.nn.Module) -> int:
    return sum(p.numel() for p in module.parameters())


def call_flops(fn: Callable[[], object]) -> int:
    """FLOPs of ``fn()`` without gradients (torch operators only: OpenCV
    calls such as Telea count 0)."""
    with torch.no_grad(), FlopCounterMode(display=False) as counter:
        fn()
    return counter.get_total_flops()


def count_flops(fn: Callable, shape: Sequence[int]) -> int:
    """FLOPs of ``fn(torch.zeros(shape))`` without gradients."""
    return call_flops(lambda: fn(torch.zeros(*shape)))


def report_model_complexity(model: torch.nn.Module,
                            shape: Optional[Sequence[int]] = None) -> dict:
    """Print and return the parameters of each sub-network of ``model``,
    and FLOPs of its generator parts on a ``shape`` input (C, H, W)."""
    report = {}
    for name, child in model.named_children():
        n = count_params(child)
        if n:
            report[name] = n
            print(f'{name:24s} {n / 1e6:8.3f} M parameters')
    gen = getattr(model, 'generator', None)
    if gen is not None:
        shape = shape or (3, 32, 32)
        mask = probe_faces(1, shape[1])[1]  # the generators are square
        flops = count_flops(lambda x: gen(x, mask), (1, *shape))
        report['generator_flops'] = flops
        print(f'generator FLOPs for a {tuple(shape)} input: {flops / 1e9:.3f} G')
    return report
