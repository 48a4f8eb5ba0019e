"""What a speed table was measured on: the CPU, its bf16 flags, the software,
and an estimate of the processor's peak FLOP/s (``benchmark_speed.py
--table precision``)."""
import os
import re
from dataclasses import dataclass
from typing import Dict, Optional, Tuple

import torch

from fcsr_mm.utils import precision
from .timing import cpu_name

#: peak FLOP/cycle of one core, by instruction set (2 x FMA width x FMA
#: units): AVX2 FMA = 2 x 8 fp32 lanes x 2 units; AVX-512 = 2 x 16 x 2 (two
#: FMA units: server parts; some have one, half of it)
FP32_FLOP_PER_CYCLE = (('avx512f', 64, 'AVX-512 FMA'),
                       ('avx2', 32, 'AVX2 FMA'), ('sse2', 8, 'SSE2'))
#: bf16: an AMX tile unit (Intel's figure, 1024 bf16 FLOP/cycle/core);
#: AVX512-BF16 (VDPBF16PS), counted as the brief's 64
BF16_FLOP_PER_CYCLE = (('amx_bf16', 1024, 'AMX'),
                       ('avx512_bf16', 64, 'AVX512-BF16'))


def cpuinfo(path: str = '/proc/cpuinfo') -> Dict[str, str]:
    """The fields of the first processor in ``path`` (empty if unreadable)."""
    fields = {}
    try:
        with open(path) as f:
            for line in f:
                if not line.strip():
                    if fields:
                        break
                    continue
                key, _, value = line.partition(':')
                fields.setdefault(key.strip(), value.strip())
    except OSError:
        pass
    return fields


def onednn_version() -> str:
    """oneDNN's version as PyTorch reports it (``torch.__config__.show()``:
    'MKL-DNN v3.x'), else 'unknown'."""
    found = re.search(r'MKL-DNN v([\w.]+)', torch.__config__.show())
    return found.group(1) if found else 'unknown'


def clock_ghz(info: Dict[str, str]) -> Tuple[float, str]:
    """The core clock in GHz and where it came from: cpufreq's maximum where
    the kernel exposes it, else /proc/cpuinfo's 'cpu MHz' (the current
    clock; under a hypervisor usually the nominal one)."""
    try:
        with open('/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq') \
                as f:
            return int(f.read()) / 1e6, 'cpufreq maximum'
    except (OSError, ValueError):
        pass
    try:
        return float(info['cpu MHz']) / 1e3, "/proc/cpuinfo 'cpu MHz'"
    except (KeyError, ValueError):
        return 0.0, 'unknown (no cpufreq, no cpu MHz)'


def _per_cycle(flags: set, table) -> Tuple[Optional[int], str]:
    for flag, flop, isa in table:
        if flag in flags:
            return flop, isa
    return None, 'none'


@dataclass
class Machine:
    """The measuring machine.

    Attributes:
        cpu (str): CPU model.
        bf16_flags (tuple): Native bf16 flags of /proc/cpuinfo (may be empty).
        native (bool): ``precision.native_bf16('cpu')``.
        native_reason (str): Its words.
        cores (int): Cores the run uses (torch threads, at most the CPUs).
        ghz (float): Core clock.
        ghz_source (str): Where ``ghz`` came from.
        fp32_flop (int | None), fp32_isa (str): FLOP/cycle/core and why.
        bf16_flop (int | None), bf16_isa (str): The same for bf16.
    """
    cpu: str
    bf16_flags: tuple
    native: bool
    native_reason: str
    cores: int
    ghz: float
    ghz_source: str
    fp32_flop: Optional[int]
    fp32_isa: str
    bf16_flop: Optional[int]
    bf16_isa: str

    def peak_gflops(self, dtype: str) -> Optional[float]:
        """Estimated peak GFLOP/s of ``cores`` cores in 'fp32' or 'bf16'
        (None where unknown or, for bf16, not native)."""
        flop = self.fp32_flop if dtype == 'fp32' else self.bf16_flop
        if not flop or not self.ghz or (dtype == 'bf16' and not self.native):
            return None
        return self.cores * self.ghz * flop

    def describe(self) -> str:
        """The peak estimate in words (how it was made)."""
        parts = []
        for dtype, flop, isa in (('fp32', self.fp32_flop, self.fp32_isa),
                                 ('bf16', self.bf16_flop, self.bf16_isa)):
            peak = self.peak_gflops(dtype)
            if peak is None:
                parts.append(f'{dtype}: none (no native {dtype} unit)' if
                             dtype == 'bf16' else f'{dtype}: unknown')
                continue
            parts.append(f'{dtype}: {self.cores} cores x {self.ghz:.2f} GHz'
                         f' x {flop} FLOP/cycle ({isa}) = {peak:.0f} GFLOP/s')
        return ('Peak FLOP/s is an estimate, cores x clock x FLOP per cycle '
                f'(clock: {self.ghz_source}; FLOP/cycle from the instruction '
                'set, two FMA units assumed; real clocks under load differ):'
                ' ' + '; '.join(parts) + '.')


#: the flags that decide how fast this project's CPU paths run, in the
#: words the pages use: one model name ("AMD EPYC") covers CPUs with and
#: without AVX-512 and native bf16
SPEED_FLAGS = (('avx2', 'AVX2'), ('avx512f', 'AVX-512'),
               ('avx512_bf16', 'AVX512-BF16'), ('amx_bf16', 'AMX-BF16'))


def cpu_label(info: Optional[Dict[str, str]] = None) -> str:
    """The CPU's model name with its speed flags, e.g. ``AMD EPYC (AVX2,
    AVX-512, AVX512-BF16)``: what a page's "Machine" line names.

    Args:
        info (dict, optional): ``cpuinfo()``'s fields. Default: this
            machine's.
    """
    info = cpuinfo() if info is None else info
    flags = set(info.get('flags', '').split())
    isa = [word for flag, word in SPEED_FLAGS if flag in flags]
    name = info.get('model name') or cpu_name()
    return f'{name} ({", ".join(isa) or "no AVX2"})'


def measuring_machine(threads: int) -> Machine:
    """The machine this process runs on, using ``threads`` cores."""
    info = cpuinfo()
    flags = set(info.get('flags', '').split())
    native, why = precision.native_bf16('cpu')
    ghz, source = clock_ghz(info)
    fp32_flop, fp32_isa = _per_cycle(flags, FP32_FLOP_PER_CYCLE)
    if fp32_isa == 'AVX2 FMA' and 'fma' not in flags:
        fp32_flop, fp32_isa = fp32_flop // 2, 'AVX2 without FMA'
    bf16_flop, bf16_isa = _per_cycle(flags, BF16_FLOP_PER_CYCLE)
    return Machine(
        cpu=cpu_name(), bf16_flags=tuple(sorted(
            flags & set(precision.NATIVE_BF16_FLAGS))),
        native=native, native_reason=why,
        cores=max(1, min(threads, os.cpu_count() or threads)), ghz=ghz,
        ghz_source=source, fp32_flop=fp32_flop, fp32_isa=fp32_isa,
        bf16_flop=bf16_flop, bf16_isa=bf16_isa)


def software() -> str:
    """torch, oneDNN and onnxruntime versions, in words."""
    try:
        import onnxruntime
        ort = f', onnxruntime {onnxruntime.__version__}'
    except ImportError:
        ort = ', onnxruntime not installed'
    return f'torch {torch.__version__}, oneDNN v{onednn_version()}{ort}'
