"""Numeric precision and memory format of a run: ``'auto'``, ``'fp32'`` or
``'bf16'``.

``'auto'`` picks bf16 autocast + channels_last where the processor computes
bf16 natively (Intel AMX or AVX512-BF16 on the CPU, a GPU that supports bf16)
and fp32 elsewhere (channels_last on a CPU, the faster fp32 layout there):
oneDNN emulates bf16 on other CPUs, 6-60x slower than fp32 (an AVX2 AMD EPYC
ran a 64-channel conv 32x slower), so ``'auto'`` never
picks it there. Weights stay fp32 (master weights); autocast runs the convs
and matrix products in bf16, and PyTorch's CPU autocast already reduces the
L1, MSE, cross-entropy and BCE losses in fp32.

    plan = resolve_precision('auto', 'cpu')
    model = plan.prepare(model)
    with torch.no_grad(), plan.autocast():
        out = model(x)
"""
import contextlib
import warnings
from dataclasses import dataclass
from typing import Callable, Tuple

import torch
from mmengine.logging import print_log

PRECISIONS = ('auto', 'fp32', 'bf16')
#: /proc/cpuinfo flags of native bf16 arithmetic
NATIVE_BF16_FLAGS = ('amx_bf16', 'avx512_bf16')


class PrecisionError(ValueError):
    """A precision that is not one of ``PRECISIONS``."""


@dataclass(frozen=True)
class Precision:
    """What a run computes in.

    Args:
        name (str): 'fp32' or 'bf16'.
        channels_last (bool): NHWC weights and activations (oneDNN's fast
            layout for bf16 convs).
        device_type (str): 'cpu' or 'cuda'.
        reason (str): Why this path, in words (logged once).
    """
    name: str
    channels_last: bool
    device_type: str
    reason: str

    @property
    def dtype(self) -> torch.dtype:
        return torch.bfloat16 if self.name == 'bf16' else torch.float32

    @property
    def label(self) -> str:
        """e.g. 'bf16 + channels_last', 'fp32'."""
        return self.name + (' + channels_last' if self.channels_last else '')

    def autocast(self):
        """Autocast context for the forward passes (a no-op for fp32)."""
        if self.name == 'fp32':
            return contextlib.nullcontext()
        return torch.autocast(self.device_type, dtype=torch.bfloat16)

    def prepare(self, module: torch.nn.Module) -> torch.nn.Module:
        """``module`` in this memory format (in place; returned)."""
        if self.channels_last:
            module.to(memory_format=torch.channels_last)
        return module

    def inputs(self, tensor: torch.Tensor) -> torch.Tensor:
        """A 4-D input in this memory format."""
        if self.channels_last and tensor.dim() == 4:
            return tensor.contiguous(memory_format=torch.channels_last)
        return tensor


def _cpuinfo_flags() -> set:
    try:
        with open('/proc/cpuinfo') as f:
            for line in f:
                if line.startswith('flags'):
                    return set(line.split(':', 1)[1].split())
    except OSError:
        pass
    return set()


def native_bf16(device_type: str = 'cpu') -> Tuple[bool, str]:
    """Whether ``device_type`` computes bf16 natively, and why (in words)."""
    if device_type == 'cuda':
        ok = torch.cuda.is_available() and torch.cuda.is_bf16_supported()
        return ok, ('the GPU supports bf16' if ok else
                    'the GPU has no bf16 support')
    flags = _cpuinfo_flags() & set(NATIVE_BF16_FLAGS)
    onednn = torch.backends.mkldnn.is_available() and \
        torch.ops.mkldnn._is_mkldnn_bf16_supported()
    if flags and onednn:
        return True, (f'the CPU has {"/".join(sorted(flags))} and oneDNN '
                      'reports bf16 support')
    if flags:
        return False, (f'the CPU has {"/".join(sorted(flags))} but this '
                       "PyTorch's oneDNN reports no bf16 support")
    return False, ('the CPU has no native bf16 (neither amx_bf16 nor '
                   f'avx512_bf16; torch CPU capability: '
                   f'{torch.backends.cpu.get_cpu_capability()})')


_logged = set()


def _log_once(plan: Precision, requested: str) -> None:
    key = (plan.label, plan.device_type, requested)
    if key not in _logged:
        _logged.add(key)
        print_log(f'precision {requested!r} on {plan.device_type}: '
                  f'{plan.label} ({plan.reason})', logger='current')


def resolve_precision(precision: str = 'auto', device: str = 'cpu',
                      native: Callable[[str], Tuple[bool, str]] = None
                      ) -> Precision:
    """The :class:`Precision` that ``precision`` means on ``device``.

    Args:
        precision (str): 'auto', 'fp32' or 'bf16'.
        device (str | torch.device): Where the run computes.
        native (callable, optional): ``native_bf16`` by default (tests
            give their own).
    """
    if isinstance(precision, Precision):
        return precision
    if precision not in PRECISIONS:
        raise PrecisionError(f'precision={precision!r}; use one of '
                             f'{PRECISIONS}')
    device_type = torch.device(device).type
    has_bf16, why = (native or native_bf16)(device_type)
    if precision == 'fp32':
        plan = Precision('fp32', False, device_type, 'asked for')
    elif precision == 'auto':
        # fp32 channels_last: 1.3-1.4x fp32's inference at batch 16-64 on
        # an AVX2 EPYC (docs/benchmarks.md); training stays contiguous
        plan = (Precision('bf16', True, device_type, why) if has_bf16 else
                Precision('fp32', device_type == 'cpu', device_type, why))
    else:
        if not has_bf16:
            warnings.warn(f'precision bf16: {why}, so bf16 is emulated and '
                          'much slower than fp32 here (10-30x on CPUs); '
                          "'auto' or 'fp32' runs fp32")
        # channels_last also where emulated: ~6x slower than fp32 there
        # against ~60x contiguous (the FCSR-GAN generator on an AVX2 EPYC)
        plan = Precision('bf16', True, device_type,
                         'asked for' + ('' if has_bf16 else '; emulated: ' +
                                        why))
    _log_once(plan, precision)
    return plan
