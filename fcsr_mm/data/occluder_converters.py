"""Training data for the occlusion segmenter: aligned faces with synthetic
occluders (``occluders.py``) and the real eyeglasses and hats of
CelebAMask-HQ, in the face parsers' layout with two classes (0 clear,
1 occluder)::

    <out>/images/<split>/<name>.png     128x128, aligned to the template
    <out>/labels/<split>/<name>.png     uint8 0/1
    <out>/meta/kinds_<split>.txt        "<name> <kind>" a line ('none': clean)
    <out>/skipped.txt                   CelebAMask-HQ faces too hidden to align

Splits: ``train`` (the aligned faces' training list, plus the CelebAMask-HQ
training split), ``val`` (the aligned faces' validation list, every kind in
turn and clean faces, for IoU by kind) and, with CelebAMask-HQ, ``val_real``
(its validation split: real eyeglasses and hats, 'none' where it has
neither). Every face's occluder is drawn from ``(seed, split, index)``, so
the output does not depend on the number of workers.
"""
import functools
import os.path as osp
from typing import Dict, List, Optional, Tuple

import numpy as np

from .face_converters import aligned_split_lists
from .face_template import TEMPLATE_SIZE, align_face
from .io import (DataError, converter_output, read_image, read_lines,
                 run_jobs, write_image, write_lines)
from .occluders import OCCLUDER_KINDS, random_occluder
from .parser_converters import (celebamask_hq_ids, celebamask_hq_split,
                                read_celebamask_raw)

#: CelebAMask-HQ classes that hide the face, by their kind names (apart
#: from the synthetic kinds: a real hat is not a drawn one)
CELEBAMASK_OCCLUDERS = {3: 'real_eyeglasses', 14: 'real_hat'}
SPLIT_SEEDS = {'train': 0, 'val': 1}


def _write_sample(out, split, name, image, label) -> None:
    write_image(osp.join(out, 'images', split, f'{name}.png'), image)
    write_image(osp.join(out, 'labels', split, f'{name}.png'),
                label.astype(np.uint8))


def _synthetic_one(item, root, out, seed, clean_fraction) -> str:
    """Occlude one aligned face; returns its 'name kind' line."""
    split, index, file, neighbour = item
    face = read_image(osp.join(root, 'images', file))
    if face.shape[:2] != (TEMPLATE_SIZE, TEMPLATE_SIZE):
        raise DataError(f'{osp.join(root, "images", file)!r} is '
                        f'{face.shape[1]}x{face.shape[0]}; aligned faces are '
                        f'{TEMPLATE_SIZE}x{TEMPLATE_SIZE}')
    rng = np.random.default_rng([seed, SPLIT_SEEDS[split], index])
    name = osp.splitext(file)[0]
    kinds = OCCLUDER_KINDS + ('none',)
    if split == 'val':  # every kind in turn
        kind = kinds[index % len(kinds)]
    else:
        kind = 'none' if rng.random() < clean_fraction else \
            OCCLUDER_KINDS[rng.integers(len(OCCLUDER_KINDS))]
    if kind == 'none':
        _write_sample(out, split, name, face, np.zeros(face.shape[:2]))
        return f'{name} none'
    texture = read_image(osp.join(root, 'images', neighbour))
    pasted = random_occluder(face, rng, kinds=(kind,),
                             texture_source=texture)
    _write_sample(out, split, name, pasted.image, pasted.mask)
    return f'{name} {kind}'


def lens_centres(mask: np.ndarray) -> Optional[np.ndarray]:
    """(2, 2) centres of the two halves (split at the median x) of the
    eyeglasses of a CelebAMask-HQ mask, image-left first; None without
    eyeglasses. Masks draw opaque glasses over the eyes, which then have no
    label: the lenses stand in for them."""
    ys, xs = np.nonzero(mask == 3)
    if len(xs) < 20:
        return None
    mid = np.median(xs)
    halves = [(xs < mid), (xs >= mid)]
    if min(h.sum() for h in halves) < 10:
        return None
    return np.array([[xs[h].mean(), ys[h].mean()] for h in halves],
                    np.float32)


def _celebamask_one(item, root, out) -> Optional[str]:
    """Align one CelebAMask-HQ face; label its eyeglasses and hat. None:
    too few parts to align it."""
    split, name = item
    img, mask, points = read_celebamask_raw(name, root)
    if not np.isfinite(points[:2]).all():
        lenses = lens_centres(mask)
        if lenses is not None:
            points = np.concatenate([lenses, points[2:]])
    if np.isfinite(points).all(1).sum() < 2:
        return None
    aligned, label = align_face(img, points, TEMPLATE_SIZE, label=mask,
                                use_mouth=False)
    occluded = np.isin(label, list(CELEBAMASK_OCCLUDERS))
    kinds = [k for c, k in CELEBAMASK_OCCLUDERS.items() if (label == c).any()]
    _write_sample(out, split, f'celebamask_{name}', aligned, occluded)
    return f'celebamask_{name} {"+".join(kinds) or "none"}'


def convert_occluded_faces(root: str, out: str,
                           celebamask_root: Optional[str] = None,
                           celebamask_val: int = 100,
                           clean_fraction: float = 0.2, seed: int = 0,
                           workers: int = 1, overwrite: bool = False,
                           limit: Optional[int] = None) -> Dict[str, int]:
    """Aligned faces (+ CelebAMask-HQ) -> occlusion-segmenter data.

    Args:
        root (str): Aligned faces (``images/``, ``meta/train.txt``,
            ``meta/val.txt``), e.g. ``data/celeba128``.
        out (str): Output folder.
        celebamask_root (str, optional): CelebAMask-HQ (``images/``,
            ``masks/``): its training split joins ``train``, its validation
            split (the parsers' split, seed 0) becomes ``val_real``.
            Default: None.
        celebamask_val (int): Faces of that validation split (the
            parsers' 100). Default: 100.
        clean_fraction (float): Share of training faces left without an
            occluder (they teach the segmenter to mark nothing). Default: 0.2.
        seed (int): Seed of the occluders. Default: 0.
        workers (int): Processes. Default: 1.
        overwrite (bool): Replace an ``out`` that a converter wrote.
        limit (int, optional): Faces per split (quick checks). Default: None.

    Returns:
        dict: faces written per split.
    """
    if not 0 <= clean_fraction < 1:
        raise DataError(f'clean_fraction={clean_fraction}: give a share in '
                        '[0, 1)')
    lists = {k: v[:limit] for k, v in
             aligned_split_lists(root, tuple(SPLIT_SEEDS)).items()}
    items = [(split, i, f, names[(i + 1) % len(names)])
             for split, names in lists.items() for i, f in enumerate(names)]
    real: List[Tuple[str, str]] = []
    inputs = [root]
    if celebamask_root:
        splits = celebamask_hq_split(celebamask_hq_ids(celebamask_root),
                                     num_val=celebamask_val)
        real = [('train', n) for n in splits['train'][:limit]] + \
            [('val_real', n) for n in splits['val'][:limit]]
        inputs.append(celebamask_root)
    with converter_output(out, overwrite, 'convert_occluded_faces',
                          inputs) as staged:
        lines = run_jobs(functools.partial(
            _synthetic_one, root=root, out=staged, seed=seed,
            clean_fraction=clean_fraction), items, workers,
            desc='synthetic occluders')
        split_of = [it[0] for it in items]
        if real:
            found = run_jobs(functools.partial(
                _celebamask_one, root=celebamask_root, out=staged), real,
                workers, desc='CelebAMask-HQ occluders')
            lines += found
            split_of += [it[0] for it in real]
            write_lines(osp.join(staged, 'skipped.txt'),
                        [n for (_, n), f in zip(real, found) if f is None])
        counts = {}
        for split in dict.fromkeys(split_of):
            kept = [ln for ln, s in zip(lines, split_of) if s == split and ln]
            write_lines(osp.join(staged, 'meta', f'kinds_{split}.txt'), kept)
            counts[split] = len(kept)
    return counts


def read_kinds(path: str) -> Dict[str, str]:
    """``meta/kinds_<split>.txt`` -> {name: kind}."""
    out = {}
    for n, line in enumerate(read_lines(path), 1):
        parts = line.split()
        if len(parts) != 2:
            raise DataError(f'{path}:{n}: expected "<name> <kind>", got '
                            f'{line!r}')
        out[parts[0]] = parts[1]
    return out
