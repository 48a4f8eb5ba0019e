"""Face detectors for whole photos, as config dicts
(``dict(type='MTCNNDetector', min_face_size=20)``): each returns the faces
of a BGR image with their five landmarks, and needs no download."""
from dataclasses import asdict, dataclass
from typing import List

import numpy as np
from mmengine.registry import Registry

FACE_DETECTORS = Registry('face detector')


@dataclass
class Detection:
    """One face: ``box`` (x, y, w, h) and ``landmarks`` (5 x (x, y): the
    two eyes, the nose, the two mouth corners, image-left first), in photo
    pixels, and the detector's ``score``."""
    box: tuple
    landmarks: np.ndarray
    score: float

    def to_json(self) -> dict:
        out = asdict(self)
        out['box'] = [round(float(v), 2) for v in self.box]
        out['landmarks'] = np.round(self.landmarks, 2).tolist()
        out['score'] = round(float(self.score), 4)
        return out


@FACE_DETECTORS.register_module()
class MTCNNDetector:
    """MTCNN (Zhang et al., 2016) from ``facenet-pytorch``, whose wheel
    carries the weights: nothing is downloaded (why this detector: the
    others' weights come from the network at first run).

    Args:
        min_face_size (int): Smallest face box side in pixels (MTCNN's box
            covers about 0.76 of the template frame's width, so 12 finds
            faces of 16 px frames). Default: 12.
        thresholds (tuple[float]): Its three stages' thresholds.
            Default: (0.6, 0.7, 0.7) (facenet-pytorch's).
        min_score (float): Faces scored lower are dropped. Default: 0.7
            (on the photo benchmark's frames: recall 35 of 40 unoccluded and
            20 of 38 occluded faces at precision 1.0, against 33 / 11 and
            0.936 at min_face_size 20 and 0.9).
        device (str): Default: 'cpu'.
    """

    def __init__(self, min_face_size: int = 12,
                 thresholds=(0.6, 0.7, 0.7), min_score: float = 0.7,
                 device: str = 'cpu'):
        try:
            from facenet_pytorch import MTCNN
        except ImportError as err:
            raise ImportError(
                'MTCNNDetector needs facenet-pytorch: pip install '
                'facenet-pytorch==2.6.0 --no-deps (it pins an old torch; '
                'its MTCNN runs on this one)') from err
        self.mtcnn = MTCNN(keep_all=True, min_face_size=min_face_size,
                           thresholds=list(thresholds), device=device,
                           post_process=False)
        self.min_score = min_score

    def __call__(self, image: np.ndarray) -> List[Detection]:
        """Faces of an HxWx3 uint8 BGR image."""
        rgb = np.ascontiguousarray(image[..., ::-1])
        boxes, scores, points = self.mtcnn.detect(rgb, landmarks=True)
        if boxes is None:
            return []
        return [Detection((b[0], b[1], b[2] - b[0], b[3] - b[1]),
                          np.asarray(p, np.float32), float(s))
                for b, s, p in zip(boxes, scores, points)
                if s >= self.min_score]


def build_detector(cfg) -> object:
    """A detector from its config dict (or the detector itself)."""
    return FACE_DETECTORS.build(cfg) if isinstance(cfg, dict) else cfg
