"""Converters to the face parser's layout (9 classes, see ``face_labels``).

Faces are aligned on the two eye centres to the face template, as the paper
does for Helen: training faces at 144x144 (the 128 template with an 8 px
margin, so a random 128 crop shifts the face), test faces at 128x128::

    <out>/images/<split>/<name>.png
    <out>/labels/<split>/<name>.png     uint8, values 0..8
    <out>/skipped.txt                   faces that could not be aligned
"""
import functools
import os
import os.path as osp
import warnings
from typing import Dict, List, Optional, Sequence

import cv2
import numpy as np

from .face_labels import (CELEBAMASK_HQ_TO_FACE, HELEN_TO_FACE,
                          lookup_table)
from .face_template import TEMPLATE_SIZE, align_face, label_centroids
from .io import (DataError, check_label_size, converter_output, read_image,
                 read_lines, require_dir, require_file, run_jobs, write_image,
                 write_lines)

TRAIN_MARGIN = 8  # 144 = 128 + 2 * 8
HELEN_HINT = ('Expected Helen\'s layout: images/<name>.jpg, '
              'labels/<name>/<name>_lbl00.png .. _lbl10.png, exemplars.txt '
              '(train) and testing.txt (test).')
CELEBAMASK_HINT = 'Expected images/<id>.jpg and masks/<id>.png.'


def _write_parser_sample(img, face_label, points, name, split, out) -> bool:
    """Align on the eyes (mouth if an eye is hidden) and write.

    ``points``: (3, 2) image-left eye, image-right eye, mouth; NaN rows are
    parts that are not labelled. Returns False when fewer than two remain.
    """
    if np.isfinite(points).all(1).sum() < 2:
        return False
    margin = TRAIN_MARGIN if split == 'train' else 0
    aligned, label = align_face(img, points, TEMPLATE_SIZE, margin=margin,
                                label=face_label, use_mouth=False)
    write_image(osp.join(out, 'images', split, f'{name}.png'), aligned)
    write_image(osp.join(out, 'labels', split, f'{name}.png'), label)
    return True


def read_helen_list(path: str) -> List[str]:
    """Helen's split file: lines ``"<index> , <name>"``."""
    require_file(path, 'Helen split list', HELEN_HINT)
    names = []
    for n, line in enumerate(read_lines(path), 1):
        parts = [p.strip() for p in line.split(',')]
        if len(parts) != 2 or not parts[1]:
            raise DataError(f'{path}:{n}: expected "<index>, <name>", got '
                            f'{line!r}')
        names.append(parts[1])
    return names


def read_helen_label(root: str, name: str, img: np.ndarray) -> np.ndarray:
    """Stack the 11 soft masks of one face, argmax -> Helen label map."""
    masks = []
    for k in range(len(HELEN_TO_FACE)):
        path = osp.join(root, 'labels', name, f'{name}_lbl{k:02d}.png')
        if not osp.isfile(path):
            raise DataError(f'label mask {path!r} not found: every Helen face '
                            'needs the 11 masks _lbl00 .. _lbl10')
        mask = read_image(path, cv2.IMREAD_GRAYSCALE)
        check_label_size(mask, img, path)
        masks.append(mask)
    return np.argmax(np.stack(masks), 0).astype(np.uint8)


def _convert_helen_one(item, root, out) -> Optional[str]:
    name, split = item
    img = read_image(osp.join(root, 'images', f'{name}.jpg'))
    helen = read_helen_label(root, name, img)
    # Helen's eye labels are sorted by x: its left/right naming is not
    # reliably the image side, so a face with one eye visible is skipped.
    eyes = label_centroids(helen, (4, 5))
    eyes = eyes[np.argsort(eyes[:, 0])]
    face_label = lookup_table(HELEN_TO_FACE)[helen]
    points = np.concatenate([eyes, np.full((1, 2), np.nan, np.float32)])
    ok = _write_parser_sample(img, face_label, points, name, split, out)
    return None if ok else name


def _convert_splits(convert_one, splits: Dict[str, List[str]], root: str,
                    out: str, workers: int, overwrite: bool, desc: str,
                    writer: str, inputs: Sequence[str]) -> Dict[str, int]:
    """Run ``convert_one((name, split), root, out)`` on every face, list the
    skipped ones in ``<out>/skipped.txt``, return faces written per split.
    ``writer`` and ``inputs`` go to ``converter_output``."""
    items = [(n, s) for s, names in splits.items() for n in names]
    with converter_output(out, overwrite, writer, inputs) as staged:
        job = functools.partial(convert_one, root=root, out=staged)
        skipped = run_jobs(job, items, workers, desc=desc)
        missing = [k for k in skipped if k]
        write_lines(osp.join(staged, 'skipped.txt'), missing)
    if missing:
        warnings.warn(f'{len(missing)} of {len(items)} faces skipped (too few '
                      f'of eyes and mouth labelled); listed in '
                      f'{out}/skipped.txt')
    return {s: sum(1 for (_, sp), k in zip(items, skipped)
                   if sp == s and k is None) for s in splits}


def convert_helen(root: str, out: str, workers: int = 1,
                  overwrite: bool = False) -> Dict[str, int]:
    """Helen official layout -> 9-class parser data (train 144, test 128).

    Args:
        root (str): Helen folder (see ``HELEN_HINT``).
        out (str): Output folder.
        workers (int): Processes. Default: 1.
        overwrite (bool): Replace an ``out`` that a converter wrote
            (see ``converter_output``). Default: False.

    Returns:
        dict: faces written per split.
    """
    require_dir(osp.join(root, 'images'), 'Helen images', HELEN_HINT)
    require_dir(osp.join(root, 'labels'), 'Helen labels', HELEN_HINT)
    splits = {'train': read_helen_list(osp.join(root, 'exemplars.txt')),
              'test': read_helen_list(osp.join(root, 'testing.txt'))}
    for split, names in splits.items():
        for name in names:
            require_file(osp.join(root, 'images', f'{name}.jpg'),
                         f'Helen {split} image', HELEN_HINT)
    inputs = (root, osp.join(root, 'images'), osp.join(root, 'labels'))
    return _convert_splits(_convert_helen_one, splits, root, out, workers,
                           overwrite, 'Helen', 'convert_helen', inputs)


def celebamask_hq_split(ids: Sequence[str], num_val: int = 100,
                        num_train: Optional[int] = None,
                        seed: int = 0) -> Dict[str, List[str]]:
    """Deterministic split: sorted ids, permuted with ``seed``."""
    ids = sorted(ids)
    if num_val >= len(ids):
        raise DataError(f'num_val={num_val} leaves no training faces out of '
                        f'{len(ids)}')
    order = np.random.default_rng(seed).permutation(len(ids))
    ids = [ids[i] for i in order]
    train = ids[num_val:] if num_train is None else \
        ids[num_val:num_val + num_train]
    return {'train': sorted(train), 'val': sorted(ids[:num_val])}


def read_celebamask_sample(name: str, root: str):
    """(image, 9-class label, (3, 2) eye/eye/mouth centres) of one
    CelebAMask-HQ face."""
    img, mask, points = read_celebamask_raw(name, root)
    return img, lookup_table(CELEBAMASK_HQ_TO_FACE)[mask], points


def read_celebamask_raw(name: str, root: str):
    """(image, its 19-class CelebAMask-HQ mask, (3, 2) eye/eye/mouth
    centres) of one face."""
    img = read_image(osp.join(root, 'images', f'{name}.jpg'))
    mask_path = osp.join(root, 'masks', f'{name}.png')
    mask = read_image(mask_path, cv2.IMREAD_GRAYSCALE)
    check_label_size(mask, img, mask_path)
    if mask.max() >= len(CELEBAMASK_HQ_TO_FACE):
        raise DataError(f'mask {mask_path!r} has label {int(mask.max())}; '
                        f'CelebAMask-HQ labels are 0..'
                        f'{len(CELEBAMASK_HQ_TO_FACE) - 1}')
    # class 5 is the subject's right eye = image left; mouth = lips + inside
    points = label_centroids(mask, (5, 4))
    mouth = label_centroids(np.isin(mask, (10, 11, 12)).astype(np.uint8), (1,))
    points = np.concatenate([points, mouth])
    if np.isfinite(points[:2]).all() and points[0, 0] > points[1, 0]:
        # some masks swap the two eye classes; image-left first, or the
        # face is aligned upside down
        points[:2] = points[1::-1].copy()
    return img, mask, points


def _convert_celebamask_one(item, root, out) -> Optional[str]:
    name, split = item
    img, face_label, points = read_celebamask_sample(name, root)
    ok = _write_parser_sample(img, face_label, points, name, split, out)
    return None if ok else name


def convert_celebamask_hq(root: str, out: str, num_val: int = 100,
                          num_train: Optional[int] = 700, seed: int = 0,
                          workers: int = 1,
                          overwrite: bool = False) -> Dict[str, int]:
    """CelebAMask-HQ faces + 19-class masks -> 9-class parser data.

    Args:
        root (str): Folder with ``images/`` and ``masks/``.
        out (str): Output folder (splits ``train`` and ``val``).
        num_val (int): Validation faces. Default: 100.
        num_train (int, optional): Training faces (None: all the rest).
            Default: 700.
        seed (int): Split seed. Default: 0.
        workers (int): Processes. Default: 1.
        overwrite (bool): Replace an ``out`` that a converter wrote
            (see ``converter_output``). Default: False.
    """
    splits = celebamask_hq_split(celebamask_hq_ids(root), num_val, num_train,
                                 seed)
    inputs = (root, osp.join(root, 'images'), osp.join(root, 'masks'))
    return _convert_splits(_convert_celebamask_one, splits, root, out,
                           workers, overwrite, 'CelebAMask-HQ',
                           'convert_celebamask_hq', inputs)


def celebamask_hq_ids(root: str) -> List[str]:
    """The face ids under ``root``, each checked to have its mask."""
    require_dir(osp.join(root, 'images'), 'CelebAMask-HQ images',
                CELEBAMASK_HINT)
    require_dir(osp.join(root, 'masks'), 'CelebAMask-HQ masks',
                CELEBAMASK_HINT)
    ids = [osp.splitext(f)[0] for f in os.listdir(osp.join(root, 'images'))
           if f.lower().endswith('.jpg')]
    if not ids:
        raise DataError(f'no .jpg faces in {osp.join(root, "images")!r}. '
                        f'{CELEBAMASK_HINT}')
    for i in ids:
        require_file(osp.join(root, 'masks', f'{i}.png'),
                     'CelebAMask-HQ mask', CELEBAMASK_HINT)
    return sorted(ids)
