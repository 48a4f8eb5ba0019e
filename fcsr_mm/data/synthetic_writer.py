"""Write the synthetic faces in the two layouts the project reads.

* ``<out>/aligned``: the restoration model's layout (as
  ``../shared/data/celeba128``): ``images/<name>.png`` (128x128, aligned to
  the face template), ``labels/<name>.png`` (9-class parse, aligned the same
  way) and ``meta/{train,val,test}.txt``.
* ``<out>/helen``: Helen's official layout for the parser converter:
  ``images/<name>.jpg`` (unaligned, larger canvas),
  ``labels/<name>/<name>_lbl00.png`` .. ``_lbl10.png`` (one 0/255 mask per
  Helen label), ``exemplars.txt`` (train) and ``testing.txt`` (test).
"""
import functools
import os.path as osp
from typing import Dict, List

import numpy as np

from .face_labels import HELEN_TO_FACE, lookup_table
from .face_template import TEMPLATE_SIZE, align_face
from .io import (DataError, converter_output, run_jobs, write_image,
                 write_lines)
from .synthetic_faces import render_face
from .visualize import make_contact_sheet

SPLIT_FRACTIONS = {'train': 0.8, 'val': 0.1, 'test': 0.1}
HELEN_TEST_FRACTION = 330 / 2330  # Helen's 2,000 / 330 split


def face_name(index: int) -> str:
    return f'synth_{index:06d}'


def _write_one(index: int, root: str, seed: int, canvas: int) -> None:
    face = render_face(seed, index, canvas)
    name = face_name(index)
    aligned, label = align_face(face.img, face.points, TEMPLATE_SIZE,
                                label=face.label)
    write_image(osp.join(root, 'aligned', 'images', f'{name}.png'), aligned)
    face_label = lookup_table(HELEN_TO_FACE)[label]
    write_image(osp.join(root, 'aligned', 'labels', f'{name}.png'),
                face_label)
    write_image(osp.join(root, 'helen', 'images', f'{name}.jpg'), face.img)
    for k in range(len(HELEN_TO_FACE)):
        mask = np.where(face.label == k, 255, 0).astype(np.uint8)
        write_image(
            osp.join(root, 'helen', 'labels', name, f'{name}_lbl{k:02d}.png'),
            mask)


def aligned_synthetic_faces(count: int, seed: int = 0,
                            canvas: int = 256) -> List[np.ndarray]:
    """Faces ``0 .. count - 1`` of the set drawn with ``seed`` as
    ``<out>/aligned/images`` holds them (128x128 BGR on the face template),
    without writing them."""
    return [align_face(face.img, face.points, TEMPLATE_SIZE)[0]
            for face in (render_face(seed, i, canvas) for i in range(count))]


def split_names(num: int) -> Dict[str, list]:
    """Deterministic train/val/test split of the aligned faces."""
    names = [face_name(i) for i in range(num)]
    n_train = int(round(num * SPLIT_FRACTIONS['train']))
    n_val = int(round(num * SPLIT_FRACTIONS['val']))
    return {'train': names[:n_train], 'val': names[n_train:n_train + n_val],
            'test': names[n_train + n_val:]}


def _write_lists(root: str, num: int) -> None:
    for split, names in split_names(num).items():
        write_lines(osp.join(root, 'aligned', 'meta', f'{split}.txt'),
                    [f'{n}.png' for n in names])
    n_test = max(1, int(round(num * HELEN_TEST_FRACTION)))
    names = [face_name(i) for i in range(num)]
    # Helen's list format: "<index>, <name>"
    write_lines(osp.join(root, 'helen', 'exemplars.txt'),
                [f'{i + 1}, {n}' for i, n in enumerate(names[:-n_test])])
    write_lines(osp.join(root, 'helen', 'testing.txt'),
                [f'{i + 1}, {n}' for i, n in enumerate(names[-n_test:])])


def write_synthetic_faces(out: str, num: int = 2000, seed: int = 0,
                          canvas: int = 256, workers: int = 1,
                          overwrite: bool = False,
                          contact_sheet: bool = False) -> Dict[str, str]:
    """Render ``num`` faces and write both layouts under ``out``.

    Args:
        out (str): Output root.
        num (int): Number of faces. Default: 2000.
        seed (int): Seed of the set; the same seed gives the same files.
            Default: 0.
        canvas (int): Side of the unaligned (Helen layout) images.
            Default: 256.
        workers (int): Processes. Default: 1.
        overwrite (bool): Replace an ``out`` that a converter wrote
            (see ``converter_output``). Default: False.
        contact_sheet (bool): Also write ``<out>/contact_sheet.png``.
            Default: False.

    Returns:
        dict: paths of the ``aligned`` and ``helen`` roots (and of the
        ``contact_sheet``).
    """
    if num < 10:
        raise DataError(f'num={num}: need at least 10 faces for the splits')
    with converter_output(out, overwrite, 'write_synthetic_faces') as staged:
        job = functools.partial(_write_one, root=staged, seed=seed,
                                canvas=canvas)
        run_jobs(job, list(range(num)), workers, desc='synthetic faces')
        _write_lists(staged, num)
        if contact_sheet:
            make_contact_sheet(osp.join(staged, 'aligned'),
                               osp.join(staged, 'contact_sheet.png'))
    paths = {'aligned': osp.join(out, 'aligned'),
             'helen': osp.join(out, 'helen')}
    if contact_sheet:
        paths['contact_sheet'] = osp.join(out, 'contact_sheet.png')
    return paths
