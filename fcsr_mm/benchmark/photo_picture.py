"""The whole-photo page's picture (issue 22): one surveillance frame of the
project's drawn faces (``fcsr_mm.data.synthetic_faces``; pictures of real
faces are never committed), shown as the camera saw it, enlarged by
bicubic, restored, and as the truth."""
from typing import Dict, Sequence

import cv2
import numpy as np

from fcsr_mm.data.surveillance_frames import SCALE, make_frame
from fcsr_mm.data.synthetic_writer import aligned_synthetic_faces

#: the picture's frame: smaller than the benchmark's 640x480, so that its
#: 4x panels stay readable on a page
PICTURE_FRAME = (240, 320)


def picture_scene(seed: int = 0, faces: int = 4,
                  sides: Sequence[float] = (24, 60)) -> Dict:
    """A frame (``make_frame``) of ``faces`` drawn faces of the set
    ``seed``, placed with the same seed."""
    return make_frame(aligned_synthetic_faces(faces, seed),
                      np.random.default_rng(seed), size=PICTURE_FRAME,
                      sides=sides)


def _labelled(panel: np.ndarray, text: str) -> np.ndarray:
    out = panel.copy()
    for colour, thick in (((0, 0, 0), 3), ((255, 255, 255), 1)):
        cv2.putText(out, text, (5, 15), cv2.FONT_HERSHEY_SIMPLEX, 0.42,
                    colour, thick, cv2.LINE_AA)
    return out


def _crop(image: np.ndarray, box, scale: int, side: int,
          context: float) -> np.ndarray:
    """The square around a face box (frame pixels) widened by ``context``,
    from an image ``scale`` times the frame, resized to ``side``."""
    x, y, w, h = box
    half = max(w, h) * context / 2
    cx, cy = x + w / 2, y + h / 2
    matrix = np.float32([[side / (2 * half * scale), 0, 0],
                         [0, side / (2 * half * scale), 0]])
    matrix[:, 2] = -matrix[:, :2] @ np.float32([cx - half, cy - half]) \
        * scale
    return cv2.warpAffine(image, matrix, (side, side), flags=cv2.INTER_LINEAR,
                          borderMode=cv2.BORDER_REPLICATE)


def picture_grid(scene: Dict, bicubic: np.ndarray, restored: np.ndarray,
                 restored_name: str, found: Sequence[bool], side: int = 160,
                 context: float = 1.6) -> np.ndarray:
    """One row per face of ``scene``, cut from the 4x frames around its
    box: the camera's frame (nearest neighbour), ``bicubic``, ``restored``
    (a face the detector missed is marked so) and the truth."""
    seen = cv2.resize(scene['frame'], None, fx=SCALE, fy=SCALE,
                      interpolation=cv2.INTER_NEAREST)
    names = ('camera (nearest)', 'bicubic 4x', restored_name, 'truth')
    rows = []
    for face, hit in zip(scene['faces'], found):
        panels = [_crop(img, face['box'], SCALE, side, context)
                  for img in (seen, bicubic, restored, scene['truth'])]
        texts = [n if not rows else '' for n in names]
        if not hit:
            texts[2] = (texts[2] + ': ' if texts[2] else '') + 'not found'
        rows.append(np.hstack([_labelled(p, t) if t else p
                               for p, t in zip(panels, texts)]))
    return np.vstack(rows)
