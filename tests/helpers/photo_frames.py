"""Synthetic photos with faces placed by known similarities, and a
detector that reports them (the photo tests)."""
import os
import os.path as osp

import cv2
import numpy as np

from fcsr_mm.apis import FACE_DETECTORS, Detection
from fcsr_mm.data.face_template import template_points


def five_points(size=128):
    t = template_points(size)
    return np.array([t[0], t[1], (t[0] + t[1]) / 2 + [0, 0.2 * size],
                     t[2] - [0.1 * size, 0], t[2] + [0.1 * size, 0]],
                    np.float32)


class KnownFaces:
    """A detector that reports the faces the frame was made with."""

    def __init__(self, detections):
        self.detections = detections

    def __call__(self, image):
        return list(self.detections)


def make_frame(synthetic_root):
    """A 200x160 frame with two aligned synthetic faces pasted at 32 and
    28 px (template frame width: no finer than the model's 32 px input),
    rotated by 10 and -6 degrees."""
    folder = osp.join(synthetic_root, 'aligned', 'images')
    faces = [cv2.imread(osp.join(folder, f))
             for f in sorted(os.listdir(folder))[:2]]
    photo = np.full((160, 200, 3), 90, np.uint8)
    cv2.randn(photo, 90, 10)
    photo = cv2.GaussianBlur(photo, (0, 0), 3)
    detections = []
    for face, (cx, cy), width, angle in zip(faces, [(55, 70), (145, 90)],
                                            [32, 28], [10, -6]):
        m = cv2.getRotationMatrix2D((64, 64), angle, width / 128)
        m[:, 2] += (cx - 64, cy - 64)
        warped = cv2.warpAffine(face, m, photo.shape[1::-1],
                                flags=cv2.INTER_AREA)
        inside = cv2.warpAffine(np.ones((128, 128), np.uint8), m,
                                photo.shape[1::-1]) > 0
        photo[inside] = warped[inside]
        lm = np.c_[five_points(), np.ones(5)] @ m.T
        x, y = lm.min(0)
        detections.append(Detection((x, y, *(lm.max(0) - lm.min(0))),
                                    lm.astype(np.float32), 0.99))
    return photo, detections




@FACE_DETECTORS.register_module(force=True)
class KnownFacesDetector:
    """The test detector of the tools: the faces of ``KNOWN`` by the
    photo's height and width (faces found nowhere else)."""
    KNOWN = {}

    def __init__(self, **kwargs):
        pass

    def __call__(self, image):
        return list(self.KNOWN.get(image.shape[:2], []))
