"""File handling shared by the dataset converters and the synthetic writer.

Every error names the file and says what was expected; nothing already
written is replaced unless the caller asked for ``overwrite``.
"""
import contextlib
import os
import os.path as osp
import shutil
import tempfile
from concurrent.futures import ProcessPoolExecutor
from typing import Callable, Iterable, List, Optional, Sequence

import cv2
import numpy as np
from tqdm import tqdm


class DataError(ValueError):
    """Bad input data: the message names the file and what was expected."""


def prepare_output_dir(path: str, overwrite: bool,
                       create: bool = True) -> None:
    """Create ``path`` (unless ``create`` is False); refuse a non-empty
    one unless ``overwrite``."""
    if osp.isdir(path) and os.listdir(path) and not overwrite:
        raise FileExistsError(
            f'output folder {path!r} exists and is not empty; nothing was '
            'written. Pass --overwrite to write into it, or choose another '
            '--out.')
    if osp.exists(path) and not osp.isdir(path):
        raise FileExistsError(f'output path {path!r} is a file, not a folder')
    if create:
        os.makedirs(path, exist_ok=True)


@contextlib.contextmanager
def staged_dir(path: str):
    """Yield a new folder beside ``path``; when the block ends without an
    error, it replaces ``path`` (an old ``path`` is removed only after the
    new one is in place); on an error it is removed and ``path`` is left
    as it was."""
    path = osp.abspath(path)
    os.makedirs(osp.dirname(path), exist_ok=True)
    partial = tempfile.mkdtemp(prefix=osp.basename(path) + '.partial-',
                               dir=osp.dirname(path))
    try:
        yield partial
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    old = None
    if osp.exists(path):
        old = tempfile.mkdtemp(prefix=osp.basename(path) + '.old-',
                               dir=osp.dirname(path))
        os.replace(path, osp.join(old, 'previous'))
    os.replace(partial, path)
    if old:
        shutil.rmtree(old, ignore_errors=True)


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
    data = np.fromfile(path, np.uint8)
    img = cv2.imdecode(data, flag) if data.size else None
    if img is None:
        raise DataError(f'image {path!r} is empty or corrupt (cv2 could not '
                        'decode it); remove it from the list or replace it')
    return img


def write_image(path: str, img: np.ndarray, jpeg_quality: int = 95) -> None:
    os.makedirs(osp.dirname(path), exist_ok=True)
    params = [cv2.IMWRITE_JPEG_QUALITY, jpeg_quality] \
        if path.lower().endswith(('.jpg', '.jpeg')) else []
    if not cv2.imwrite(path, img, params):
        raise OSError(f'could not write {path!r}')


def read_lines(path: str) -> List[str]:
    with open(path) as f:
        return [line.strip() for line in f if line.strip()]


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
    """``[fn(x) for x in items]`` over ``workers`` processes, with a bar."""
    if workers <= 1 or len(items) < 2 * workers:
        return [fn(x) for x in tqdm(items, desc=desc, unit='img')]
    chunk = max(1, len(items) // (workers * 16))
    with ProcessPoolExecutor(workers) as pool:
        return list(
            tqdm(pool.map(fn, items, chunksize=chunk), total=len(items),
                 desc=desc, unit='img'))


def default_workers(requested: Optional[int] = None) -> int:
    return requested if requested else min(8, os.cpu_count() or 1)
