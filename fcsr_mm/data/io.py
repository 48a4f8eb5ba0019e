"""File handling shared by the dataset converters and the synthetic writer.

Every error names the file and says what was expected. Writers go through
:func:`converter_output`: nothing is replaced unless the caller asked for
``overwrite``, and even then only a converter's own output (see
:data:`OUTPUT_MARKER`).
"""
import contextlib
import json
import os
import os.path as osp
import shutil
import tempfile
from datetime import datetime
from typing import (Callable, Iterable, Iterator, List, Optional, Sequence,
                    Tuple)

import cv2
import mmcv
import numpy as np
from mmengine.fileio import list_from_file
from mmengine.utils import track_parallel_progress, track_progress


class DataError(ValueError):
    """Bad input data: the message names the file and what was expected."""


#: Written last into every converter's output: which writer, when, and the
#: relative path of every file it wrote, so ``overwrite`` can tell the
#: converter's files from anything added to the folder later.
OUTPUT_MARKER = '.fcsr_mm_output.json'


def _walk(root: str, rel: str = '') -> Iterator[Tuple[str, bool]]:
    """(relative posix path, is a folder) of everything under ``root``,
    sorted; symlinks are entries, never followed."""
    with os.scandir(osp.join(root, rel)) as it:
        entries = sorted(it, key=lambda e: e.name)
    for entry in entries:
        path = f'{rel}/{entry.name}' if rel else entry.name
        is_dir = entry.is_dir(follow_symlinks=False)
        yield path, is_dir
        if is_dir:
            yield from _walk(root, path)


def write_output_marker(path: str, writer: str) -> None:
    """List every file under ``path`` in its :data:`OUTPUT_MARKER`."""
    files = [p for p, is_dir in _walk(path)
             if not is_dir and p != OUTPUT_MARKER]
    record = dict(writer=writer,
                  created=datetime.now().isoformat(timespec='seconds'),
                  files=files)
    with open(osp.join(path, OUTPUT_MARKER), 'w') as f:
        json.dump(record, f, indent=0)


def _first_foreign(path: str) -> Optional[str]:
    """Why ``path`` is not purely a converter's output and what to do
    (its marker is missing, or the first file or link its marker does not
    list), or None."""
    try:
        with open(osp.join(path, OUTPUT_MARKER)) as f:
            files = set(json.load(f)['files'])
    except FileNotFoundError:
        return ('no marker: not written by a converter. Choose another '
                '--out, or move its files away')
    except (OSError, ValueError, KeyError, TypeError):
        return (f'its marker {OUTPUT_MARKER} is unreadable. Choose another '
                '--out, or move its files away')
    # folders are not listed: an empty one holds nothing to lose
    for rel, is_dir in _walk(path):
        if not is_dir and rel != OUTPUT_MARKER and rel not in files:
            return (f'{rel!r} is not a file its converter wrote. Choose '
                    'another --out, or move that file away')
    return None


def _inside(path: str, folder: str) -> bool:
    return path != folder and osp.commonpath([path, folder]) == folder


def check_apart(out: str, inputs: Sequence[str]) -> None:
    """Refuse an ``out`` that is, contains or lies inside an input (paths
    resolved, so symlinks and ``..`` count): a converter never writes over
    what it reads, nor where a later run would read it as input."""
    real_out = osp.realpath(out)
    for path in inputs:
        real_in = osp.realpath(path)
        how = ('is' if real_out == real_in else
               'contains' if _inside(real_in, real_out) else
               'lies inside' if _inside(real_out, real_in) else None)
        if how:
            given = (osp.abspath(out), osp.abspath(path))
            resolved = '' if given == (real_out, real_in) else \
                f' (resolved: {real_out!r}, {real_in!r})'
            raise DataError(
                f'--out {out!r} {how} the input {path!r}{resolved}; nothing '
                f'was written. Choose an --out outside {path!r}.')


def check_output_dir(out: str, overwrite: bool,
                     inputs: Sequence[str] = ()) -> None:
    """Refuse, before anything is written, an ``out`` whose replacement
    would lose anything: one that overlaps an input; a non-empty one
    without ``overwrite``; with ``overwrite``, one that lacks the marker or
    holds anything its marker does not list. An empty folder is fine."""
    check_apart(out, inputs)
    if not osp.lexists(out):
        return
    if not osp.isdir(out):
        raise FileExistsError(f'output path {out!r} is a file, not a folder; '
                              'it was left untouched. Choose another --out.')
    if not os.listdir(out):
        return
    if not overwrite:
        raise FileExistsError(
            f'output folder {out!r} exists and is not empty; it was left '
            'untouched. Pass --overwrite to replace a converter\'s output, '
            'or choose another --out.')
    foreign = _first_foreign(out)
    if foreign:
        raise FileExistsError(f'--overwrite left output folder {out!r} '
                              f'untouched: {foreign}.')


@contextlib.contextmanager
def staged_dir(path: str, before_replace: Optional[Callable] = None):
    """Yield a new folder beside ``path``; when the block ends without an
    error, it replaces ``path`` (an old ``path`` is removed only after the
    new one is in place); on an error it is removed and ``path`` is left
    as it was. ``before_replace()`` runs just before the swap; if it
    raises, ``path`` is left as it is and the new folder is kept."""
    path = osp.abspath(path)
    os.makedirs(osp.dirname(path), exist_ok=True)
    partial = tempfile.mkdtemp(prefix=osp.basename(path) + '.partial-',
                               dir=osp.dirname(path))
    try:
        yield partial
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    if before_replace is not None:
        try:
            before_replace()
        except FileExistsError as err:
            raise FileExistsError(
                f'{err} The new output is kept in {partial!r}.') from None
    old = None
    if osp.lexists(path):
        old = tempfile.mkdtemp(prefix=osp.basename(path) + '.old-',
                               dir=osp.dirname(path))
        os.replace(path, osp.join(old, 'previous'))
    os.replace(partial, path)
    if old:
        shutil.rmtree(old, ignore_errors=True)


@contextlib.contextmanager
def converter_output(out: str, overwrite: bool, writer: str,
                     inputs: Sequence[str] = ()):
    """The one way a converter writes ``out``: refuse what
    :func:`check_output_dir` refuses (before any work, and again just
    before the swap, in case ``out`` changed meanwhile), write into a
    staged folder that the block receives, list its files in the marker and
    move it into place only when whole.

    Args:
        out (str): Output folder.
        overwrite (bool): Replace an ``out`` that a converter wrote.
        writer (str): Name recorded in the marker (the writing function).
        inputs (Sequence[str]): Files and folders the converter reads;
            ``out`` must be apart from each.
    """
    check_output_dir(out, overwrite, inputs)
    with staged_dir(out, lambda: check_output_dir(out, overwrite, inputs)) \
            as partial:
        yield partial
        write_output_marker(partial, writer)


def require_dir(path: str, what: str, hint: str = '') -> None:
    if not osp.isdir(path):
        raise DataError(f'{what}: folder {path!r} not found. {hint}'.strip())


def require_file(path: str, what: str, hint: str = '') -> None:
    if not osp.isfile(path):
        raise DataError(f'{what}: file {path!r} not found. {hint}'.strip())


def read_image(path: str, flag: int = cv2.IMREAD_COLOR) -> np.ndarray:
    """Read an image or raise :class:`DataError` naming the file."""
    if not osp.isfile(path):
        raise DataError(f'image {path!r} not found')
    try:
        img = mmcv.imread(path, flag, backend='cv2') \
            if osp.getsize(path) else None
    except cv2.error:  # bytes OpenCV cannot even start to decode
        img = None
    if img is None:
        raise DataError(f'image {path!r} is empty or corrupt (cv2 could not '
                        'decode it); remove it from the list or replace it')
    return img


def write_image(path: str, img: np.ndarray, jpeg_quality: int = 95) -> None:
    params = [cv2.IMWRITE_JPEG_QUALITY, jpeg_quality] \
        if path.lower().endswith(('.jpg', '.jpeg')) else []
    if not mmcv.imwrite(img, path, params):  # mmengine makes the folder
        raise OSError(f'could not write {path!r}')


def write_new_image(path: str, img: np.ndarray, replace: bool = False,
                    jpeg_quality: int = 95) -> None:
    """Write ``path`` whole, and only if no file has that name (unless
    ``replace``), checked at the moment of writing: the image goes to a
    temporary file first, then is linked to ``path``, which fails if the
    name exists (``os.link`` is atomic), so of two writers one wins and the
    other gets ``FileExistsError``; never a mix, never a replaced file."""
    folder = osp.dirname(osp.abspath(path))
    os.makedirs(folder, exist_ok=True)
    ext = osp.splitext(path)[1] or '.png'
    params = [cv2.IMWRITE_JPEG_QUALITY, jpeg_quality] \
        if ext.lower() in ('.jpg', '.jpeg') else []
    ok, data = cv2.imencode(ext, img, params)
    if not ok:
        raise OSError(f'could not encode {path!r}')
    tmp = osp.join(folder, f'.{osp.basename(path)}.{os.getpid()}.'
                   f'{next(tempfile._get_candidate_names())}.partial')
    with open(tmp, 'xb') as f:  # 'x': the umask's mode, not mkstemp's 0600
        f.write(data.tobytes())
    try:
        if replace:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)
            except FileExistsError as err:  # os.link names the source
                raise FileExistsError(err.errno, err.strerror,
                                      path) from None
    finally:
        if osp.lexists(tmp):
            os.remove(tmp)


def read_lines(path: str) -> List[str]:
    """The non-empty lines of ``path``, stripped."""
    return [line.strip() for line in list_from_file(path) if line.strip()]


def write_lines(path: str, lines: Iterable[str]) -> None:
    os.makedirs(osp.dirname(path) or '.', exist_ok=True)
    with open(path, 'w') as f:
        f.writelines(f'{line}\n' for line in lines)


def check_label_size(label: np.ndarray, img: np.ndarray, path: str) -> None:
    if label.shape[:2] != img.shape[:2]:
        raise DataError(
            f'label {path!r} is {label.shape[1]}x{label.shape[0]} but its '
            f'image is {img.shape[1]}x{img.shape[0]}; labels must have the '
            'image size')


def run_jobs(fn: Callable, items: Sequence, workers: int,
             desc: str) -> list:
    """``[fn(x) for x in items]`` over ``workers`` processes (in order),
    with mmengine's progress bar."""
    print(f'{desc}: {len(items)} images')
    if workers <= 1 or len(items) < 2 * workers:
        return track_progress(fn, list(items))
    chunk = max(1, len(items) // (workers * 16))
    return track_parallel_progress(fn, list(items), workers, chunksize=chunk)


def default_workers(requested: Optional[int] = None) -> int:
    return requested if requested else min(8, os.cpu_count() or 1)
