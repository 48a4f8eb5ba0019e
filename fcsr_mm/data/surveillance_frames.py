"""Synthetic surveillance frames with known ground truth (issue 22): aligned
128x128 faces placed small (20-64 px frames), turned up to 15 degrees, on
procedural backgrounds, some with an occluder over a face part. The ground
truth is the same scene rendered 4x larger from the 128x128 faces; the
frame is that truth shrunk 4x with the training degradation's antialiased
bicubic, so a perfect restorer would return the truth."""
from typing import Dict, List, Sequence

import cv2
import mmcv
import numpy as np

from .face_template import TEMPLATE_SIZE, template_points
from .photo_faces import pixel_scale

SCALE = 4
#: MTCNN's face box in the 128 px template frame (x, y, w, h), the median
#: over frontal CelebA test faces: the ground-truth box detections match
FACE_BOX = (0.225, -0.08, 0.758, 1.02)


def background(h: int, w: int, rng: np.random.Generator) -> np.ndarray:
    """A smooth random scene: a colour gradient, soft blobs, a few
    rectangles (walls, windows), all procedural."""
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    a, b = rng.uniform(40, 200, 3), rng.uniform(40, 200, 3)
    t = (xx / w * rng.uniform(-1, 1) + yy / h * rng.uniform(-1, 1))[..., None]
    img = a + (b - a) * np.clip(t * 0.5 + 0.5, 0, 1)
    small = rng.normal(0, 25, (max(h // 200, 2), max(w // 200, 2), 3))
    img += cv2.resize(small.astype(np.float32), (w, h),
                      interpolation=cv2.INTER_CUBIC)
    for _ in range(rng.integers(2, 6)):
        x0, y0 = rng.integers(0, w), rng.integers(0, h)
        x1, y1 = x0 + rng.integers(w // 10, w // 3), y0 + rng.integers(
            h // 10, h // 3)
        cv2.rectangle(img, (int(x0), int(y0)), (int(x1), int(y1)),
                      [float(v) for v in rng.uniform(20, 235, 3)], -1)
    return np.clip(img, 0, 255).astype(np.uint8)


def face_alpha(size: int = TEMPLATE_SIZE) -> np.ndarray:
    """A soft ellipse over the face frame: the face blends into the scene
    without a square edge."""
    alpha = np.zeros((size, size), np.float32)
    sigma = size * 0.04
    # the ellipse and its blur stay inside the frame: no straight cut
    cv2.ellipse(alpha, (size // 2, size // 2),
                (int(size * 0.42), int(size / 2 - 3 * sigma)), 0, 0, 360,
                1.0, -1)
    return cv2.GaussianBlur(alpha, (0, 0), sigma)


def place(side: float, angle: float, centre) -> np.ndarray:
    """``(2, 3)`` map from the 128 px face frame to the frame's pixels: the
    face frame ``side`` px wide, turned ``angle`` degrees, centred at
    ``centre``."""
    m = cv2.getRotationMatrix2D((TEMPLATE_SIZE / 2 - 0.5,
                                 TEMPLATE_SIZE / 2 - 0.5), angle,
                                side / TEMPLATE_SIZE)
    m[:, 2] += np.asarray(centre) - (TEMPLATE_SIZE / 2 - 0.5)
    return m


def _box_of(points: np.ndarray) -> tuple:
    lo, hi = points.min(0), points.max(0)
    return tuple(float(v) for v in (*lo, *(hi - lo)))


def occluder_box(matrix: np.ndarray, rng) -> tuple:
    """An (x, y, w, h) box in frame pixels over the eyes, the mouth or one
    half of a face placed by ``matrix``."""
    part = rng.choice(['eyes', 'mouth', 'left', 'right'])
    t = template_points(TEMPLATE_SIZE)
    boxes = dict(eyes=(t[0][0] - 16, t[0][1] - 12, t[1][0] - t[0][0] + 32,
                       24),
                 mouth=(t[2][0] - 24, t[2][1] - 14, 48, 28),
                 left=(8, 8, 56, 112), right=(64, 8, 56, 112))
    x, y, w, h = boxes[part]
    corners = np.array([[x, y], [x + w, y], [x, y + h], [x + w, y + h]],
                       np.float64)
    return tuple(int(round(v)) for v in _box_of(
        np.c_[corners, np.ones(4)] @ matrix.T))


def make_frame(faces: Sequence[np.ndarray], rng: np.random.Generator,
               size=(480, 640), sides=(20, 64), max_angle: float = 15,
               occluded_share: float = 0.5) -> Dict:
    """One frame with ``faces`` (128x128 BGR) placed without overlap.

    Returns:
        dict: ``frame`` (HxW), ``truth`` (4H x 4W) and ``faces``: per face
        ``matrix`` (128 px face -> frame pixels), ``side``, ``angle``,
        ``box`` (the face box detections should find, frame pixels) and
        ``occluder`` (an (x, y, w, h) box drawn over it, or None).
    """
    h, w = size
    truth = background(h * SCALE, w * SCALE, rng).astype(np.float32)
    alpha = face_alpha()
    placed: List[Dict] = []
    taken = np.zeros((h, w), bool)
    for face in faces:
        for _ in range(50):  # a free place
            side = float(rng.uniform(*sides))
            angle = float(rng.uniform(-max_angle, max_angle))
            c = rng.uniform([side * 0.6] * 2, [w - side * 0.6,
                                               h - side * 0.6])
            x0, y0 = int(c[0] - side * 0.75), int(c[1] - side * 0.75)
            x1, y1 = int(c[0] + side * 0.75), int(c[1] + side * 0.75)
            if not taken[max(y0, 0):y1, max(x0, 0):x1].any():
                break
        else:
            continue
        taken[max(y0, 0):y1, max(x0, 0):x1] = True
        matrix = place(side, angle, c)
        big = (pixel_scale(SCALE) @ np.vstack([matrix, [0, 0, 1]]))[:2]
        # (warpAffine has no area mode; the faces shrink at most to 0.6)
        flags = cv2.INTER_LINEAR if side * SCALE < TEMPLATE_SIZE \
            else cv2.INTER_CUBIC
        warped = cv2.warpAffine(face.astype(np.float32), big,
                                truth.shape[1::-1], flags=flags,
                                borderMode=cv2.BORDER_REPLICATE)
        weight = cv2.warpAffine(alpha, big, truth.shape[1::-1])[..., None]
        truth = truth * (1 - weight) + warped * weight
        # upright, as detectors box a turned face: the face box's size,
        # around where its centre lands
        fx, fy, fw, fh = (v * TEMPLATE_SIZE for v in FACE_BOX)
        cx, cy = np.r_[fx + fw / 2, fy + fh / 2, 1] @ matrix.T
        k = side / TEMPLATE_SIZE
        box = (float(cx - fw * k / 2), float(cy - fh * k / 2), fw * k,
               fh * k)
        placed.append(dict(matrix=matrix, side=side, angle=angle, box=box,
                           occluder=None))
    truth = np.clip(np.round(truth), 0, 255).astype(np.uint8)
    frame = mmcv.imresize(truth, (w, h), interpolation='bicubic',
                          backend='pillow')
    for face in placed:
        if rng.random() < occluded_share:
            face['occluder'] = box = occluder_box(face['matrix'], rng)
            x, y, bw, bh = box
            frame[max(y, 0):y + bh, max(x, 0):x + bw] = rng.integers(
                0, 256, 3)
    return dict(frame=frame, truth=truth, faces=placed)
