"""Parameter and FLOP counts (FLOPs = 2 x multiply-adds, torch's counter)."""
from typing import Callable, Optional, Sequence

import torch
from torch.utils.flop_counter import FlopCounterMode


def count_params(module: torch.nn.Module) -> int:
    return sum(p.numel() for p in module.parameters())


def count_flops(fn: Callable, shape: Sequence[int]) -> int:
    """FLOPs of ``fn(torch.zeros(shape))`` without gradients."""
    with torch.no_grad(), FlopCounterMode(display=False) as counter:
        fn(torch.zeros(*shape))
    return counter.get_total_flops()


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
        h, w = shape[1:]
        mask = torch.zeros(1, 1, h, w)  # a centred hole, half the size
        mask[..., h // 4:h // 4 + h // 2, w // 4:w // 4 + w // 2] = 1
        flops = count_flops(lambda x: gen(x, mask), (1, *shape))
        report['generator_flops'] = flops
        print(f'generator FLOPs for a {tuple(shape)} input: {flops / 1e9:.3f} G')
    return report
