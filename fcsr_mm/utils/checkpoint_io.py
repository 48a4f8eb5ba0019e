"""Checkpoints that a kill cannot corrupt, and unreadable ones named.

* mmengine writes a checkpoint straight to its final name, so a job killed
  mid-write leaves a truncated ``iter_N.pth`` that ``--resume`` then picks.
  Local writes here go to a temporary name in the same folder and are
  renamed into place when complete (``os.replace`` is atomic), so a file
  with the final name is always whole; ``last_checkpoint`` is written only
  after that.
* A truncated or non-checkpoint file raises ``CheckpointReadError`` naming
  the file, which the tools print as one line.
"""
import functools
import os
import os.path as osp
import pickle
import tempfile


class CheckpointReadError(ValueError):
    """A checkpoint file that cannot be read as one."""


def unreadable(filename: str, err: Exception) -> CheckpointReadError:
    first = str(err).strip().splitlines()[0] if str(err).strip() else ''
    return CheckpointReadError(
        f'{filename}: not a complete checkpoint (truncated, e.g. by a job '
        f'killed while writing it, or not written by torch.save): '
        f'{type(err).__name__}: {first[:200]}')


def is_read_failure(err: Exception) -> bool:
    """Whether ``err`` from ``torch.load`` means the bytes are not a whole
    checkpoint, rather than a refused global (a real checkpoint holding an
    object that could run code) or, e.g., a bad ``map_location``."""
    text = str(err)
    if isinstance(err, (EOFError, KeyError)):
        return True
    if isinstance(err, pickle.UnpicklingError):  # bytes that are no pickle
        return any(m in text for m in ('Unsupported operand',
                                       'invalid load key', 'truncated'))
    return isinstance(err, RuntimeError) and (
        'PytorchStreamReader' in text or 'zip archive' in text)


def _atomic_put(put):

    @functools.wraps(put)
    def atomic_put(self, obj: bytes, filepath) -> None:
        filepath = str(filepath)
        folder = osp.dirname(osp.abspath(filepath))
        os.makedirs(folder, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=osp.basename(filepath) + '.',
                                   suffix='.partial', dir=folder)
        try:
            with os.fdopen(fd, 'wb') as f:
                f.write(obj)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, filepath)
        except BaseException:
            if osp.exists(tmp):
                os.remove(tmp)
            raise

    atomic_put._fcsr_atomic = True
    return atomic_put


def patch_atomic_local_writes() -> None:
    """Make mmengine's local file backend write through a temporary file."""
    from mmengine.fileio.backends import LocalBackend
    if not getattr(LocalBackend.put, '_fcsr_atomic', False):
        LocalBackend.put = _atomic_put(LocalBackend.put)
