"""Converters to the restoration model's aligned-face layout.

Output layout (as ``../shared/data/celeba128``)::

    <out>/images/<name>.<ext>      128x128, aligned to the face template
    <out>/meta/train.txt, val.txt, test.txt   one file name a line
"""
import functools
import os.path as osp
from typing import Dict, List, Optional

import cv2
import numpy as np

from .face_template import TEMPLATE_SIZE, align_face
from .io import (DataError, converter_output, read_image, read_lines,
                 require_dir, require_file, run_jobs, write_image,
                 write_lines)
from .parser_converters import celebamask_hq_ids, read_celebamask_sample

SPLITS = ('train', 'val', 'test')
#: Mean landmarks of CelebA's img_align_celeba (178x218): eyes, mouth centre.
CELEBA_MEAN_POINTS = np.array([[69.0, 111.0], [107.5, 111.5], [88.0, 152.0]],
                              np.float32)
CELEBA_HINT = ('Expected CelebA\'s official layout: img_align_celeba/*.jpg and '
               'list_eval_partition.txt (optional: '
               'list_landmarks_align_celeba.txt).')


def read_celeba_partition(path: str) -> Dict[str, List[str]]:
    """``list_eval_partition.txt`` -> {'train': [...], 'val':..., 'test':...}."""
    require_file(path, 'CelebA partition', CELEBA_HINT)
    splits = {s: [] for s in SPLITS}
    for n, line in enumerate(read_lines(path), 1):
        parts = line.split()
        if len(parts) != 2 or parts[1] not in ('0', '1', '2'):
            raise DataError(f'{path}:{n}: expected "<image> <0|1|2>", got '
                            f'{line!r}')
        splits[SPLITS[int(parts[1])]].append(parts[0])
    return splits


def read_celeba_landmarks(path: str) -> Dict[str, np.ndarray]:
    """``list_landmarks_align_celeba.txt`` -> name: (3, 2) eyes + mouth."""
    lines = read_lines(path)
    out = {}
    for n, line in enumerate(lines[2:], 3):  # count line, header line
        parts = line.split()
        if len(parts) != 11:
            raise DataError(f'{path}:{n}: expected an image name and 10 '
                            f'landmark numbers, got {line!r}')
        v = np.array(parts[1:], np.float32).reshape(5, 2)
        out[parts[0]] = np.stack([v[0], v[1], (v[3] + v[4]) / 2])
    return out


def _convert_celeba_one(item, src_dir, out_dir, ext):
    name, points = item
    img = read_image(osp.join(src_dir, name))
    aligned, _ = align_face(img, points, TEMPLATE_SIZE)
    write_image(osp.join(out_dir, 'images', osp.splitext(name)[0] + ext),
                aligned)


def convert_celeba(root: str, out: str, ext: str = '.jpg', workers: int = 1,
                   overwrite: bool = False,
                   limit: Optional[int] = None) -> Dict[str, int]:
    """CelebA official layout -> aligned 128x128 faces + split lists.

    Args:
        root (str): Folder with ``img_align_celeba/`` and
            ``list_eval_partition.txt``.
        out (str): Output folder.
        ext (str): Output image extension. Default: '.jpg' (quality 95).
        workers (int): Processes. Default: 1.
        overwrite (bool): Replace an ``out`` that a converter wrote
            (see ``converter_output``). Default: False.
        limit (int, optional): Convert only the first ``limit`` images of each
            split (for quick checks). Default: None.

    Returns:
        dict: images written per split.
    """
    img_dir = osp.join(root, 'img_align_celeba')
    require_dir(img_dir, 'CelebA images', CELEBA_HINT)
    splits = read_celeba_partition(osp.join(root, 'list_eval_partition.txt'))
    lm_file = osp.join(root, 'list_landmarks_align_celeba.txt')
    landmarks = read_celeba_landmarks(lm_file) if osp.isfile(lm_file) else {}
    if limit:
        splits = {k: v[:limit] for k, v in splits.items()}
    items = [(n, landmarks.get(n, CELEBA_MEAN_POINTS))
             for s in SPLITS for n in splits[s]]
    with converter_output(out, overwrite, 'convert_celeba',
                          inputs=(root, img_dir)) as staged:
        job = functools.partial(_convert_celeba_one, src_dir=img_dir,
                                out_dir=staged, ext=ext)
        run_jobs(job, items, workers, desc='CelebA')
        for s in SPLITS:
            write_lines(osp.join(staged, 'meta', f'{s}.txt'),
                        [osp.splitext(n)[0] + ext for n in splits[s]])
    return {s: len(splits[s]) for s in SPLITS}


def _copy_aligned_one(name, src_dir, out_dir, size):
    img = read_image(osp.join(src_dir, 'images', name))
    h, w = img.shape[:2]
    if h != w:
        raise DataError(f'image {osp.join(src_dir, "images", name)!r} is '
                        f'{w}x{h}; aligned faces must be square')
    if h != size:
        img = cv2.resize(img, (size, size), interpolation=cv2.INTER_AREA
                         if h > size else cv2.INTER_CUBIC)
    write_image(osp.join(out_dir, 'images', name), img)


def aligned_split_lists(root: str,
                        splits=SPLITS) -> Dict[str, List[str]]:
    """The split lists (``meta/<split>.txt``) of an aligned-face folder,
    each checked: present, not empty, every image in ``images/``."""
    hint = ('Expected images/ and ' + ', '.join(f'meta/{s}.txt'
                                                for s in splits) + '.')
    require_dir(osp.join(root, 'images'), 'aligned faces', hint)
    lists = {}
    for s in splits:
        path = osp.join(root, 'meta', f'{s}.txt')
        require_file(path, f'{s} list', hint)
        lists[s] = read_lines(path)
        if not lists[s]:
            raise DataError(f'split list {path!r} is empty')
        missing = [n for n in lists[s]
                   if not osp.isfile(osp.join(root, 'images', n))]
        if missing:
            raise DataError(
                f'{len(missing)} image(s) of {path!r} are missing from '
                f'{osp.join(root, "images")!r}, e.g. {missing[0]!r}')
    return lists


def convert_aligned_folder(root: str, out: str, size: int = TEMPLATE_SIZE,
                           workers: int = 1,
                           overwrite: bool = False) -> Dict[str, int]:
    """A folder of aligned faces with split lists -> the project's layout.

    Checks every image (readable, square), resizes to ``size`` when needed
    and copies the split lists.

    Args:
        root (str): Folder with ``images/`` and ``meta/{train,val,test}.txt``.
        out (str): Output folder.
        size (int): Output side. Default: 128.
        workers (int): Processes. Default: 1.
        overwrite (bool): Replace an ``out`` that a converter wrote
            (see ``converter_output``). Default: False.
    """
    splits = aligned_split_lists(root)
    names = [n for s in SPLITS for n in splits[s]]
    inputs = (root, osp.join(root, 'images'), osp.join(root, 'meta'))
    with converter_output(out, overwrite, 'convert_aligned_folder',
                          inputs) as staged:
        job = functools.partial(_copy_aligned_one, src_dir=root,
                                out_dir=staged, size=size)
        run_jobs(job, names, workers, desc='aligned faces')
        for s in SPLITS:
            write_lines(osp.join(staged, 'meta', f'{s}.txt'), splits[s])
    return {s: len(splits[s]) for s in SPLITS}


def _align_celebamask_one(name, root, out) -> Optional[str]:
    img, _, points = read_celebamask_sample(name, root)
    if np.isfinite(points).all(1).sum() < 2:
        return name
    aligned, _ = align_face(img, points, TEMPLATE_SIZE, use_mouth=False)
    write_image(osp.join(out, 'images', f'{name}.png'), aligned)
    return None


def convert_celebamask_hq_faces(root: str, out: str, workers: int = 1,
                                overwrite: bool = False) -> Dict[str, int]:
    """CelebAMask-HQ faces -> the aligned-face layout, all as test faces
    (the paper's cross-dataset row: models trained on CelebA only).

    Faces are aligned to the face template on the eye centres the masks
    give (as the parser converter does); faces without two of eyes and
    mouth labelled are listed in ``<out>/skipped.txt``.

    Args:
        root (str): Folder with ``images/`` and ``masks/``.
        out (str): Output folder: ``images/<id>.png``, ``meta/test.txt``.
        workers (int): Processes. Default: 1.
        overwrite (bool): Replace an ``out`` that a converter wrote
            (see ``converter_output``). Default: False.
    """
    ids = celebamask_hq_ids(root)
    inputs = (root, osp.join(root, 'images'), osp.join(root, 'masks'))
    with converter_output(out, overwrite, 'convert_celebamask_hq_faces',
                          inputs) as staged:
        job = functools.partial(_align_celebamask_one, root=root, out=staged)
        skipped = run_jobs(job, ids, workers, desc='CelebAMask-HQ faces')
        written = [f'{i}.png' for i, k in zip(ids, skipped) if k is None]
        write_lines(osp.join(staged, 'skipped.txt'),
                    [k for k in skipped if k])
        write_lines(osp.join(staged, 'meta', 'test.txt'), written)
    return {'test': len(written)}
