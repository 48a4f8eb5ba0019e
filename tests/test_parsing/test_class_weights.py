"""Median-frequency class weights (SegNet's balancing) for the parsers."""
import os.path as osp

import mmcv
import numpy as np
import pytest

from fcsr_mm.parsing.class_weights import (label_counts,
                                           median_frequency_weights)


def write_maps(folder, maps):
    for i, label in enumerate(maps):
        mmcv.imwrite(np.asarray(label, np.uint8), osp.join(folder, f'{i}.png'))


def test_counts_and_weights_follow_segnets_definition(tmp_path):
    a = np.zeros((4, 4), np.uint8)
    a[0, :2] = 1          # class 1: 2 of 16 pixels, only in map a
    a[3, 3] = 255         # ignored
    b = np.full((4, 4), 2, np.uint8)
    b[:2] = 0             # classes 0 and 2: 8 pixels each in map b
    write_maps(tmp_path, [a, b])
    pixels, present, maps = label_counts(str(tmp_path), 3)
    assert maps == 2
    assert pixels.tolist() == [13 + 8, 2, 8]
    assert present.tolist() == [15 + 16, 15, 16]
    weights = median_frequency_weights(pixels, present)
    freq = pixels / present
    assert np.allclose(weights, np.median(freq) / freq)
    # the rarest class gets the largest weight, the median class weight 1
    assert weights.argmax() == 1 and np.isclose(sorted(weights)[1], 1)
    # power 0.5 is the square root: the same order, a smaller spread
    soft = median_frequency_weights(pixels, present, power=0.5)
    assert np.allclose(soft, np.sqrt(weights))
    assert soft.max() / soft.min() < weights.max() / weights.min()


def test_bad_labels_are_named(tmp_path):
    write_maps(tmp_path, [np.full((2, 2), 7, np.uint8)])
    with pytest.raises(ValueError, match=r'0\.png.*label 7 >= num_classes 3'):
        label_counts(str(tmp_path), 3)
    with pytest.raises(FileNotFoundError, match='no .png label maps'):
        label_counts(str(tmp_path / 'missing'), 3)
    with pytest.raises(ValueError, match=r'classes \[1\] never appear'):
        median_frequency_weights([5, 0], [10, 10])
    with pytest.raises(ValueError, match='power must be > 0'):
        median_frequency_weights([5, 5], [10, 10], power=0)

