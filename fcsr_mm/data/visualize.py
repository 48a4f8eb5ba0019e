"""Contact sheets of aligned faces next to their parsing labels."""
import os.path as osp
from typing import Optional

import cv2
import numpy as np

from .face_labels import FACE_PALETTE
from .io import read_image, read_lines, write_image


def colorize_labels(label: np.ndarray) -> np.ndarray:
    """HxW class map -> HxWx3 BGR colour image (unknown values white)."""
    palette = np.full((256, 3), 255, np.uint8)
    palette[:len(FACE_PALETTE)] = np.array(FACE_PALETTE, np.uint8)[:, ::-1]
    return palette[label]


def make_contact_sheet(aligned_root: str, out_png: str, num: int = 32,
                       cols: int = 8, split: str = 'train',
                       label_dir: Optional[str] = 'labels') -> str:
    """Write a grid of ``num`` faces, each as [face | labels | overlay].

    Args:
        aligned_root (str): Aligned-face root (``images/``, ``meta/``, and
            optionally ``labels/``).
        out_png (str): Output PNG path.
        num (int): Faces on the sheet. Default: 32.
        cols (int): Faces per row. Default: 8.
        split (str): Which split list to take the faces from.
            Default: 'train'.
        label_dir (str, optional): Label sub-folder; None: faces only.
            Default: 'labels'.

    Returns:
        str: ``out_png``.
    """
    names = read_lines(osp.join(aligned_root, 'meta', f'{split}.txt'))[:num]
    tiles = []
    for name in names:
        img = read_image(osp.join(aligned_root, 'images', name))
        parts = [img]
        if label_dir:
            lbl_path = osp.join(aligned_root, label_dir,
                                osp.splitext(name)[0] + '.png')
            color = colorize_labels(read_image(lbl_path, cv2.IMREAD_GRAYSCALE))
            parts += [color, cv2.addWeighted(img, 0.5, color, 0.5, 0)]
        tile = np.concatenate(parts, 1)
        tiles.append(cv2.copyMakeBorder(tile, 2, 2, 2, 2, cv2.BORDER_CONSTANT,
                                        value=(255, 255, 255)))
    while len(tiles) % cols:
        tiles.append(np.full_like(tiles[0], 255))
    rows = [np.concatenate(tiles[i:i + cols], 1)
            for i in range(0, len(tiles), cols)]
    write_image(out_png, np.concatenate(rows, 0))
    return out_png
