"""What mmengine 0.10.7 checkpoints need to load on torch 2.14 (see
docs/installation.md, "Why these pins").

torch >= 2.6 loads with ``weights_only=True``; mmengine never passes the
argument, and its checkpoints hold a few non-tensor globals
(``HistoryBuffer`` and the numpy objects inside it). We allow-list exactly
those through ``torch.serialization.add_safe_globals`` and keep the safety
on; ``checkpoint_io.load_checkpoint_file`` names a refused global's file.
Nothing of mmengine is replaced.
"""
import pickle
from typing import Any, List

import numpy as np
import torch

_HISTORY_BUFFER_METHODS = ('min', 'max', 'current', 'mean')


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


def allow_checkpoint_globals() -> None:
    """Add the globals of mmengine's checkpoints to torch's allow-list for
    ``weights_only`` loading (torch's own extension point)."""
    torch.serialization.add_safe_globals(checkpoint_safe_globals())
