"""Fixes that let mmengine 0.10.7 run on torch 2.14 (see README, "Why these pins").

* Checkpoints: torch >= 2.6 loads with ``weights_only=True``; mmengine never
  passes the argument, and its checkpoints hold a few non-tensor globals
  (``HistoryBuffer`` and the numpy objects inside it). We allow-list exactly
  those, keep the safety on, and re-raise a refused global with the file name.
* Checkpoint writes go through a temporary file (``checkpoint_io``), and a
  truncated or non-checkpoint file is named in one line.
* DDP on CPU: mmengine's ``init_dist`` calls ``torch.cuda.set_device``
  unconditionally, and gloo workers may abort at interpreter shutdown unless
  the process group is torn down after a barrier.
"""
import atexit
import datetime
import functools
import pickle
from typing import Any, Callable, List

import numpy as np
import torch

from .checkpoint_io import (is_read_failure, patch_atomic_local_writes,
                            unreadable)

_HISTORY_BUFFER_METHODS = ('min', 'max', 'current', 'mean')
_applied = False


def _history_buffer_getattr(obj: Any, name: str) -> Any:
    """``getattr`` restricted to what mmengine's ``HistoryBuffer`` pickles.

    ``HistoryBuffer`` pickles its statistics methods as
    ``getattr(HistoryBuffer, 'mean')``. Allowing ``builtins.getattr`` as such
    would open the unpickler to arbitrary attribute access, so this stand-in
    serves those four lookups and refuses everything else.
    """
    from mmengine.logging import HistoryBuffer
    if obj is HistoryBuffer and name in _HISTORY_BUFFER_METHODS:
        return getattr(obj, name)
    raise pickle.UnpicklingError(
        f'refused getattr({obj!r}, {name!r}): fcsr_mm only allows the '
        f'HistoryBuffer statistics methods {_HISTORY_BUFFER_METHODS}')


def checkpoint_safe_globals() -> List[Any]:
    """The globals an mmengine Runner checkpoint needs, and nothing more."""
    from mmengine.logging.history_buffer import HistoryBuffer
    numpy_globals = [
        np.core.multiarray._reconstruct, np.core.multiarray.scalar,
        np.ndarray, np.dtype
    ]
    # The dtype classes numpy pickles for the scalars and arrays in the
    # message hub (np.float64 losses, int64 counters, bool flags).
    numpy_globals += [
        type(np.dtype(t)) for t in (np.float16, np.float32, np.float64,
                                    np.int32, np.int64, np.uint8, np.bool_)
    ]
    return [HistoryBuffer, *numpy_globals,
            (_history_buffer_getattr, 'builtins.getattr')]


def _explain_refusal(loader: Callable) -> Callable:
    """Wrap an mmengine checkpoint loader so a refused global names the file."""

    @functools.wraps(loader)
    def load(filename, map_location=None, *args, **kwargs):
        try:
            return loader(filename, map_location, *args, **kwargs)
        except Exception as err:
            if is_read_failure(err):
                raise unreadable(filename, err) from err
            if not isinstance(err, pickle.UnpicklingError):
                raise
            raise pickle.UnpicklingError(
                f'Refused to load checkpoint {filename!r}: it holds an object '
                'that is not on fcsr_mm\'s allow-list of checkpoint globals '
                '(fcsr_mm.utils.compat.checkpoint_safe_globals), so it may '
                'run code when loaded. If the file is from a trusted source '
                'and needs another global, add it there. Details from '
                f'torch: {err}') from err

    return load


def _patch_checkpoint_loading() -> None:
    from mmengine.runner.checkpoint import CheckpointLoader
    torch.serialization.add_safe_globals(checkpoint_safe_globals())
    local_loader = CheckpointLoader._schemes['']
    if not getattr(local_loader, '_fcsr_explains_refusal', False):
        wrapped = _explain_refusal(local_loader)
        wrapped._fcsr_explains_refusal = True
        CheckpointLoader.register_scheme(prefixes='', loader=wrapped,
                                         force=True)


def _patch_cpu_distributed() -> None:
    import mmengine.dist.utils as dist_utils
    original = dist_utils._init_dist_pytorch
    if getattr(original, '_fcsr_cpu_safe', False):
        return

    @functools.wraps(original)
    def init_dist_pytorch(backend, init_backend='torch', **kwargs):
        if torch.cuda.is_available():
            return original(backend, init_backend=init_backend, **kwargs)
        set_device = torch.cuda.set_device
        torch.cuda.set_device = lambda *_: None
        try:
            return original(backend, init_backend=init_backend, **kwargs)
        finally:
            torch.cuda.set_device = set_device

    init_dist_pytorch._fcsr_cpu_safe = True
    dist_utils._init_dist_pytorch = init_dist_pytorch
    atexit.register(_shutdown_process_group)


def _shutdown_process_group() -> None:
    """Barrier, then destroy the group: avoids gloo's SIGABRT at exit."""
    dist = torch.distributed
    if not (dist.is_available() and dist.is_initialized()):
        return
    try:
        if dist.get_backend() == 'gloo':
            dist.monitored_barrier(timeout=datetime.timedelta(seconds=120))
        else:
            dist.barrier()
    finally:
        dist.destroy_process_group()


def apply_compat_patches() -> None:
    """Apply every fix once; safe to call repeatedly."""
    global _applied
    if _applied:
        return
    _patch_checkpoint_loading()
    patch_atomic_local_writes()
    _patch_cpu_distributed()
    _applied = True
