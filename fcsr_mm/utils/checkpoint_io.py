"""Checkpoints that a kill cannot corrupt, and unreadable ones named.

* mmengine writes a checkpoint straight to its final name, so a job killed
  mid-write leaves a truncated ``iter_N.pth`` that ``--resume`` then picks.
  ``AtomicLocalBackend`` (file backend ``'atomic_local'``, which
  ``tools/train.py`` gives the ``CheckpointHook``) writes to a temporary
  name in the same folder and renames it into place when complete
  (``os.replace`` is atomic), so a file with the final name is always whole;
  ``last_checkpoint`` is written only after that.
* ``load_checkpoint_file`` raises ``CheckpointReadError`` naming a truncated
  or non-checkpoint file, which the tools print as one line.
* The temporary file of a killed write (``iter_N.pth.<8 chars>.partial``)
  is removed by ``remove_stale_partials`` at the next start in that folder;
  a whole file gets the mode the umask gives any new file (``mkstemp``
  creates 0600).
"""
import os
import os.path as osp
import pickle
import re
import tempfile
from typing import List, Optional, Tuple

from mmengine.fileio.backends import LocalBackend, register_backend

PARTIAL_SUFFIX = '.partial'
ATOMIC_BACKEND = 'atomic_local'
# what ``tempfile.mkstemp(prefix=<name>., suffix=PARTIAL_SUFFIX)`` makes of a
# checkpoint name: 8 characters of tempfile's name alphabet in between
PARTIAL_NAME = re.compile(r'.+\.pth\.[a-z0-9_]{8}' + re.escape(PARTIAL_SUFFIX))
NUMBERED_CHECKPOINT = re.compile(r'(?:iter|epoch)_(\d+)\.pth')


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


class AtomicLocalBackend(LocalBackend):
    """mmengine's local file backend, writing through a temporary file.

    Registered as ``'atomic_local'``; ``tools/train.py`` gives it to the
    ``CheckpointHook`` (``backend_args=dict(backend='atomic_local')``), so
    a checkpoint (best ones too) is whole or absent. mmengine writes
    ``last_checkpoint`` with ``open()`` after it; ``resume_checkpoint``
    copes with a bad one."""

    def put(self, obj: bytes, filepath) -> None:
        filepath = str(filepath)
        folder = osp.dirname(osp.abspath(filepath))
        os.makedirs(folder, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=osp.basename(filepath) + '.',
                                   suffix=PARTIAL_SUFFIX, dir=folder)
        try:
            with os.fdopen(fd, 'wb') as f:
                # the mode of any new file, not mkstemp's private 0600
                os.fchmod(f.fileno(), 0o666 & ~current_umask())
                f.write(obj)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, filepath)
        except BaseException:
            if osp.exists(tmp):
                os.remove(tmp)
            raise

    def put_text(self, obj: str, filepath, encoding: str = 'utf-8') -> None:
        self.put(obj.encode(encoding), filepath)


register_backend(ATOMIC_BACKEND, AtomicLocalBackend, force=True)  # reloads


def load_checkpoint_file(filename: str, map_location='cpu'):
    """mmengine's checkpoint loading (any scheme it knows), with a truncated
    file or a refused global named in one line.

    Raises:
        CheckpointReadError: the bytes are not a whole checkpoint.
        pickle.UnpicklingError: the checkpoint holds an object outside the
            allow-list of ``fcsr_mm.utils.compat.checkpoint_safe_globals``.
    """
    from mmengine.runner.checkpoint import CheckpointLoader
    try:
        return CheckpointLoader.load_checkpoint(filename, map_location)
    except Exception as err:
        if is_read_failure(err):
            raise unreadable(filename, err) from err
        if not isinstance(err, pickle.UnpicklingError):
            raise
        raise pickle.UnpicklingError(
            f'Refused to load checkpoint {filename!r}: it holds an object '
            'that is not on fcsr_mm\'s allow-list of checkpoint globals '
            '(fcsr_mm.utils.compat.checkpoint_safe_globals), so it may run '
            'code when loaded. If the file is from a trusted source and '
            f'needs another global, add it there. torch: {_refusal_reason(err)}'
        ) from err


#: torch's weights-only refusal around the line that names the global
_TORCH_BOILERPLATE = ('Weights only load failed', 'Check the documentation',
                      'Please file an issue')


def _refusal_reason(err: Exception) -> str:
    """The lines of torch's weights-only refusal that say which global, as
    one line."""
    text = str(err).split('WeightsUnpickler error:')[-1]
    lines = [line.strip() for line in text.splitlines() if line.strip()
             and not line.strip().startswith(_TORCH_BOILERPLATE)]
    return ' '.join(lines)[:300] or type(err).__name__


def current_umask() -> int:
    """The process umask, read without changing it where Linux shows it
    (``os.umask`` can only be read by setting it, which races with threads
    creating files)."""
    try:
        with open('/proc/self/status') as f:
            for line in f:
                if line.startswith('Umask:'):
                    return int(line.split()[1], 8)
    except OSError:
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def remove_stale_partials(work_dir: str, started: float,
                          margin_s: float = 60.0) -> List[str]:
    """Remove the temporary files of checkpoint writes that were killed.

    Only names that ``AtomicLocalBackend.put`` makes, last modified before
    ``started`` (the start of this run) by more than ``margin_s``: a slow write still
    in progress in another process may not have touched its file since.

    Returns:
        list[str]: The files removed.
    """
    if not osp.isdir(work_dir):
        return []
    removed = []
    for name in sorted(os.listdir(work_dir)):
        path = osp.join(work_dir, name)
        if not PARTIAL_NAME.fullmatch(name) or not osp.isfile(path):
            continue
        try:
            if osp.getmtime(path) < started - margin_s:
                os.remove(path)
                removed.append(path)
        except FileNotFoundError:  # another rank of this run removed it
            pass
    return removed


def numbered_checkpoints(work_dir: str) -> List[Tuple[int, str]]:
    """``(N, path)`` of the ``iter_N.pth`` / ``epoch_N.pth`` in
    ``work_dir``, oldest first."""
    if not osp.isdir(work_dir):
        return []
    found = []
    for name in os.listdir(work_dir):
        m = NUMBERED_CHECKPOINT.fullmatch(name)
        if m:
            found.append((int(m.group(1)), osp.join(work_dir, name)))
    return sorted(found)


def newest_checkpoint(work_dir: str) -> Optional[str]:
    """The newest checkpoint in ``work_dir``: the one ``last_checkpoint``
    names, else the highest numbered one, else the newest ``best_*.pth``.
    None: the folder holds no checkpoint."""
    last_file = osp.join(work_dir, 'last_checkpoint')
    if osp.isfile(last_file):
        with open(last_file) as f:
            last = f.read().strip()
        if last and osp.isfile(last):
            return last
    numbered = numbered_checkpoints(work_dir)
    if numbered:
        return numbered[-1][1]
    best = [osp.join(work_dir, n) for n in os.listdir(work_dir)
            if n.startswith('best_') and n.endswith('.pth')] \
        if osp.isdir(work_dir) else []
    return max(best, key=osp.getmtime) if best else None


def readable_checkpoint(path: str) -> bool:
    """Whether ``path`` loads as a whole checkpoint (one that holds a
    refused global is whole: resuming from it names the global)."""
    try:
        load_checkpoint_file(path)
    except CheckpointReadError:
        return False
    except Exception:  # noqa: BLE001  whole bytes, refused content
        return True
    return True


def resume_checkpoint(work_dir: str) -> 'str | None':
    """The checkpoint ``--resume`` (auto) should start from: the one
    ``last_checkpoint`` names, or, when that one is truncated (written by a
    version without atomic writes and killed mid-write), the newest whole
    ``iter_*.pth`` / ``epoch_*.pth`` before it. None: nothing to resume."""
    from mmengine.logging import print_log
    last_file = osp.join(work_dir, 'last_checkpoint')
    if not osp.isfile(last_file):
        return None
    with open(last_file) as f:
        last = f.read().strip()
    if last and osp.isfile(last) and readable_checkpoint(last):
        return last
    for _, path in reversed(numbered_checkpoints(work_dir)):
        if osp.abspath(path) != osp.abspath(last) and \
                readable_checkpoint(path):
            print_log(f'{last} (named in {last_file}) is not a whole '
                      f'checkpoint; resuming from {path} instead',
                      logger='current', level=30)
            return path
    raise CheckpointReadError(
        f'{last} (named in {last_file}) is not a whole checkpoint and no '
        f'other checkpoint in {work_dir} is; start without --resume')
