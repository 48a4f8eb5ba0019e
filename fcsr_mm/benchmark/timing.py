"""Time and memory of one FCSR-GAN generator workload (used by
tools/analysis/benchmark_speed.py)."""
import time

import torch
import torch.nn.functional as F

from fcsr_mm.apis import init_restorer
from fcsr_mm.models.complexity import count_params
from fcsr_mm.models.probe_faces import probe_faces


def _sync(device: str) -> None:
    if device.startswith('cuda'):
        torch.cuda.synchronize()


def median_seconds(fn, device: str, warmup: int, repeats: int) -> float:
    """Median wall time of ``fn()`` after ``warmup`` untimed calls."""
    for _ in range(warmup):
        fn()
    _sync(device)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        _sync(device)
        times.append(time.perf_counter() - start)
    return sorted(times)[len(times) // 2]


def cpu_name() -> str:
    """The CPU's model name (``/proc/cpuinfo``), else the platform's."""
    import platform
    try:
        with open('/proc/cpuinfo') as f:
            return next(line.split(':', 1)[1].strip() for line in f
                        if line.startswith('model name'))
    except (OSError, StopIteration):
        return platform.processor() or platform.machine()


def _status_mib(field: str) -> float:
    """``VmRSS`` (now) or ``VmHWM`` (peak) of this process, in MiB. Unlike
    ``getrusage``'s ``ru_maxrss``, the peak is not inherited across
    fork/exec, and ``_reset_peak`` can restart it."""
    with open('/proc/self/status') as f:
        for line in f:
            if line.startswith(field + ':'):
                return int(line.split()[1]) / 1024
    raise RuntimeError(f'/proc/self/status has no {field}')


def _reset_peak() -> None:
    try:  # Linux >= 4.0: "5" resets the peak resident size
        with open('/proc/self/clear_refs', 'w') as f:
            f.write('5')
    except OSError:
        pass


def bench_generator(config: str, batch: int, mode: str, device: str = 'cpu',
                    warmup: int = 2, repeats: int = 5,
                    threads: int = 0) -> dict:
    """Time ``mode`` ('inference' or 'train step': forward, MSE + L1,
    backward, Adam) of the config's generator on ``batch`` random 32x32
    faces with a 16x16 hole.

    Memory: the peak CUDA allocation on a GPU; on CPU how far this
    process's peak resident size (``VmHWM``, reset first) grows over its
    size before the first call (a fresh process gives the cleanest number).
    """
    if threads:
        torch.set_num_threads(threads)
    gen = init_restorer(config, device=device, precision='fp32').generator
    img, mask = probe_faces(batch, 32, device=device)
    gt = torch.rand(batch, 3, 128, 128, device=device) * 2 - 1
    if mode == 'inference':
        gen.eval()

        def step():
            with torch.no_grad():
                gen(img, mask)
    elif mode == 'train step':
        gen.train()
        optim = torch.optim.Adam(gen.parameters(), lr=1e-4)

        def step():
            optim.zero_grad()
            pred_lr, pred = gen(img, mask)
            loss = F.mse_loss(pred, gt) + F.l1_loss(
                pred_lr, F.avg_pool2d(gt, 4))
            loss.backward()
            optim.step()
    else:
        raise ValueError(f"mode must be 'inference' or 'train step', "
                         f'got {mode!r}')
    if device.startswith('cuda'):
        torch.cuda.reset_peak_memory_stats()
    _reset_peak()
    before = _status_mib('VmRSS')
    sec = median_seconds(step, device, warmup, repeats)
    if device.startswith('cuda'):
        mem = torch.cuda.max_memory_allocated() / 2**20
    else:
        mem = max(_status_mib('VmHWM') - before, 0.0)
    return dict(mode=mode, batch=batch, ms=sec * 1e3, faces_s=batch / sec,
                mem_mib=mem, threads=torch.get_num_threads(),
                params=count_params(gen))
