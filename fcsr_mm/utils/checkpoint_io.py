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


def readable_checkpoint(path: str) -> bool:
    """Whether ``path`` loads as a whole checkpoint."""
    import torch
    try:
        with open(path, 'rb') as f:  # torch's safe loading (allow-list)
            torch.load(f, map_location='cpu')
    except Exception as err:  # noqa: BLE001  a refused global is whole
        return not is_read_failure(err)
    return True


def resume_checkpoint(work_dir: str) -> 'str | None':
    """The checkpoint ``--resume`` (auto) should start from: the one
    ``last_checkpoint`` names, or, when that one is truncated (written by a
    version without atomic writes and killed mid-write), the newest whole
    ``iter_*.pth`` / ``epoch_*.pth`` before it. None: nothing to resume."""
    import re
    from mmengine.logging import print_log
    last_file = osp.join(work_dir, 'last_checkpoint')
    if not osp.isfile(last_file):
        return None
    with open(last_file) as f:
        last = f.read().strip()
    if last and osp.isfile(last) and readable_checkpoint(last):
        return last
    found = []
    for name in os.listdir(work_dir):
        m = re.fullmatch(r'(?:iter|epoch)_(\d+)\.pth', name)
        if m:
            found.append((int(m.group(1)), osp.join(work_dir, name)))
    for _, path in sorted(found, reverse=True):
        if osp.abspath(path) != osp.abspath(last) and \
                readable_checkpoint(path):
            print_log(f'{last} (named in {last_file}) is not a whole '
                      f'checkpoint; resuming from {path} instead',
                      logger='current', level=30)
            return path
    raise CheckpointReadError(
        f'{last} (named in {last_file}) is not a whole checkpoint and no '
        f'other checkpoint in {work_dir} is; start without --resume')
