"""Generator inference in each precision and memory format, and in
onnxruntime, on the same random faces (``benchmark_speed.py --table
precision``)."""
import copy
from typing import Callable, List, Optional, Sequence

import torch

from fcsr_mm.utils.precision import Precision
from fcsr_mm.models.probe_faces import probe_faces
from .timing import median_seconds

#: what a bf16 row says on a CPU without native bf16 (unless forced)
NOT_SUPPORTED = 'not supported here'
#: bf16 row states: timed natively, timed emulated (labelled), not timed
BF16_STATES = ('native', 'emulated', 'unsupported')
ONNX = 'onnxruntime'
_ROW = 'benchmark row'
#: the PyTorch rows: name -> what it computes in
TORCH_VARIANTS = (
    ('fp32', Precision('fp32', False, 'cpu', _ROW)),
    ('channels_last fp32', Precision('fp32', True, 'cpu', _ROW)),
    ('channels_last bf16', Precision('bf16', True, 'cpu', _ROW)),
)
VARIANTS = tuple(name for name, _ in TORCH_VARIANTS) + (ONNX, )

Run = Callable[[torch.Tensor, torch.Tensor], object]


def torch_run(generator: torch.nn.Module, plan: Precision) -> Run:
    """``(img, mask) -> outputs`` of a copy of ``generator`` in ``plan``'s
    memory format and autocast (the original is left as it is)."""
    gen = plan.prepare(copy.deepcopy(generator).eval())

    def run(img, mask):
        with torch.no_grad(), plan.autocast():
            return gen(plan.inputs(img), plan.inputs(mask))
    return run


def inference_rows(generator: torch.nn.Module, batches: Sequence[int],
                   bf16: str, onnx_run: Optional[Run] = None,
                   flops_per_face: Optional[float] = None,
                   peak: Optional[Callable[[str], Optional[float]]] = None,
                   warmup: int = 2, repeats: int = 5,
                   size: int = 32) -> List[dict]:
    """Faces/s of each row of ``VARIANTS`` at each batch size.

    Args:
        generator (nn.Module): The fp32 generator ``(img, mask) -> outputs``.
        batches (Sequence[int]): Batch sizes.
        bf16 (str): One of ``BF16_STATES``: 'unsupported' leaves the bf16
            row untimed (it says ``NOT_SUPPORTED``).
        onnx_run (callable, optional): onnxruntime's ``(img, mask)`` run
            (``OnnxRestorer.run``); None leaves that row out.
        flops_per_face (float, optional): Generator FLOPs of one face.
        peak (callable, optional): dtype ('fp32'/'bf16') -> estimated peak
            GFLOP/s (None if unknown).
        warmup, repeats (int): Untimed and timed runs per row.
        size (int): Input side (32).

    Returns:
        list[dict]: ``name``, ``batch``, ``dtype``, ``ms``, ``faces_s``,
        ``gflops_s``, ``peak_gflops`` and ``note`` ('' / 'emulated' /
        'unsupported'); untimed rows have None numbers.
    """
    if bf16 not in BF16_STATES:
        raise ValueError(f'bf16={bf16!r}; use one of {BF16_STATES}')
    runs = [(name, plan.name, plan, None) for name, plan in TORCH_VARIANTS]
    if onnx_run is not None:
        runs.append((ONNX, 'fp32', None, onnx_run))
    # built once: a copy per variant, converted to its memory format
    runs = [(name, dtype, None if (dtype == 'bf16' and bf16 == 'unsupported')
             else (run or torch_run(generator, plan)))
            for name, dtype, plan, run in runs]
    rows = []
    for batch in batches:
        img, mask = probe_faces(batch, size)
        for name, dtype, run in runs:
            note = bf16 if dtype == 'bf16' and bf16 != 'native' else ''
            row = dict(name=name, batch=batch, dtype=dtype, note=note,
                       ms=None, faces_s=None, gflops_s=None,
                       peak_gflops=peak(dtype) if peak else None)
            if run is not None:
                sec = median_seconds(lambda: run(img, mask), 'cpu', warmup,
                                     repeats)
                row.update(ms=sec * 1e3, faces_s=batch / sec)
                if flops_per_face:
                    row['gflops_s'] = flops_per_face * batch / sec / 1e9
            rows.append(row)
    return rows
