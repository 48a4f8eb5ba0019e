"""Median-frequency class weights for the parsers' cross-entropy.

SegNet (Badrinarayanan et al., TPAMI 2017, Sec. 4) balances its classes
this way; our 128 px parser needs it because the inner mouth (open mouths
only) is too rare to be predicted under plain cross-entropy (docs/parser.md).
"""
import os.path as osp
from typing import Sequence

import mmcv
import numpy as np
from mmengine.utils import scandir

IGNORE_INDEX = 255


def label_counts(label_dir: str, num_classes: int):
    """Per-class pixel counts, and the pixels of the maps each class is in.

    Args:
        label_dir (str): Folder of label maps (PNG, one class index per
            pixel, 255 ignored).
        num_classes (int): Number of classes.

    Returns:
        tuple[np.ndarray, np.ndarray, int]: class pixels, pixels of the maps
        where the class appears, and the number of maps read.
    """
    names = sorted(scandir(label_dir, suffix='.png')) \
        if osp.isdir(label_dir) else []
    if not names:
        raise FileNotFoundError(f'no .png label maps in {label_dir!r}; run '
                                'the converter in tools/dataset_converters/')
    pixels = np.zeros(num_classes, np.int64)
    present = np.zeros(num_classes, np.int64)
    for name in names:
        label = mmcv.imread(osp.join(label_dir, name), flag='unchanged')
        valid = label[label != IGNORE_INDEX]
        if valid.size and valid.max() >= num_classes:
            raise ValueError(f'{osp.join(label_dir, name)}: label '
                             f'{int(valid.max())} >= num_classes '
                             f'{num_classes}; is this the right label set?')
        counts = np.bincount(valid, minlength=num_classes)
        pixels += counts
        present += (counts > 0) * valid.size
    return pixels, present, len(names)


def median_frequency_weights(pixels: Sequence[int],
                             present: Sequence[int],
                             power: float = 1.0) -> np.ndarray:
    """``w_c = (median(f) / f_c) ** power`` with ``f_c`` = pixels of class
    ``c`` over the pixels of the maps where ``c`` appears (SegNet's
    definition at ``power=1``).

    Args:
        pixels (Sequence[int]): Pixels per class.
        present (Sequence[int]): Pixels of the maps each class appears in.
        power (float): Softens (< 1) or sharpens (> 1) the balancing; 0.5
            is the square root. Default: 1.0.

    Returns:
        np.ndarray: One weight per class.
    """
    pixels = np.asarray(pixels, np.float64)
    present = np.asarray(present, np.float64)
    missing = np.flatnonzero(pixels == 0)
    if missing.size:
        raise ValueError(f'classes {missing.tolist()} never appear in the '
                         'labels: their weight is undefined')
    if not power > 0:
        raise ValueError(f'power must be > 0, got {power!r}')
    freq = pixels / present
    return (np.median(freq) / freq)**power
