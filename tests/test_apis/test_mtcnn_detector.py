"""MTCNNDetector (facenet-pytorch's MTCNN, weights in its wheel, nothing
downloaded) on real CelebA test faces pasted into a frame at 24-80 px:
each is found once, with its five landmarks inside its face."""
import os.path as osp

import cv2
import numpy as np
import pytest

from fcsr_mm.apis import MTCNNDetector

PLACES = [((50, 60), 24), ((150, 60), 32), ((260, 70), 40),
          ((60, 170), 56), ((160, 170), 64), ((260, 180), 80)]


def test_real_faces_are_found_with_their_landmarks(shared_data):
    root = osp.join(shared_data, 'celeba128')
    names = open(osp.join(root, 'meta', 'test.txt')).read().split()
    photo = np.full((240, 320, 3), 100, np.uint8)
    cv2.randn(photo, 100, 20)
    photo = cv2.GaussianBlur(photo, (0, 0), 4)
    frames = []
    for name, ((cx, cy), width) in zip(names, PLACES):
        face = cv2.imread(osp.join(root, 'images', name))
        m = cv2.getRotationMatrix2D((64, 64), 0, width / 128)
        m[:, 2] += (cx - 64, cy - 64)
        warped = cv2.warpAffine(face, m, (320, 240), flags=cv2.INTER_AREA)
        inside = cv2.warpAffine(np.ones((128, 128), np.uint8), m,
                                (320, 240)) > 0
        photo[inside] = warped[inside]
        frames.append((cx - width / 2, cy - width / 2, width))
    found = MTCNNDetector()(photo)
    assert len(found) == len(PLACES)
    for x0, y0, width in frames:
        mine = [d for d in found
                if all(x0 <= x <= x0 + width and y0 <= y <= y0 + width
                       for x, y in d.landmarks)]
        assert len(mine) == 1, (x0, y0, width)
        assert mine[0].score >= 0.7


def test_a_photo_without_faces_gives_none():
    flat = np.full((120, 160, 3), 128, np.uint8)
    assert MTCNNDetector()(flat) == []
