"""The occlusion segmenter at inference: which pixels of an aligned face are
hidden (sunglasses, a mask, a hand, a hat...), for ``--occlusion auto``.

    seg = OcclusionSegmenter(
        'configs/occlusion/segnet_s3c32_1xb16-4k_occluded-faces-32x32.py',
        'checkpoints/occlusion_segnet32.pth')
    masks = seg.predict([face32])     # list of 32x32 bool, True = hidden

The raw prediction is cleaned (specks under ``min_area`` pixels dropped) and
grown by ``margin`` pixels, since the occluder's soft edge and shadow bleed
into the pixels around it and the completion should replace those too.
"""
from typing import List, Optional, Sequence, Union

import cv2
import numpy as np
import torch
from mmengine.config import Config

from fcsr_mm.data.occluder_shapes import grow_mask
from .frozen_parser import build_segmentor

#: the segmenter's class that marks a hidden pixel
OCCLUDER_CLASS = 1


def drop_specks(mask: np.ndarray, min_area: int) -> np.ndarray:
    """``mask`` without its connected parts smaller than ``min_area``."""
    if min_area <= 1 or not mask.any():
        return mask.astype(bool)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(
        mask.astype(np.uint8), connectivity=8)
    keep = np.zeros(n, bool)
    keep[1:] = stats[1:, cv2.CC_STAT_AREA] >= min_area
    return keep[labels]


class OcclusionSegmenter:
    """A trained occlusion segmenter (an mmseg model of two classes).

    Args:
        config (str | dict): Its mmseg config, e.g.
            ``configs/occlusion/segnet_s3c32_1xb16-4k_occluded-faces-32x32.py``.
        checkpoint (str): Its trained weights.
        margin (int): Pixels the predicted mask grows by. Default: 1.
        min_area (int, optional): Smallest part of the mask kept, in
            pixels. Default: the config's ``occluder_mask.min_area``, else 6.
        threshold (float, optional): Occluder probability that marks a
            pixel. Default: the config's ``occluder_mask.threshold``, else
            0.6. A segmenter's config states the two values chosen for its
            weights on validation faces
            (``tools/analysis/segmenter_threshold.py``).
        device (str): Default: 'cpu'.
    """

    def __init__(self, config: Union[str, dict], checkpoint: str,
                 margin: int = 1, min_area: Optional[int] = None,
                 threshold: Optional[float] = None, device: str = 'cpu'):
        cfg = Config.fromfile(config) if isinstance(config, str) else \
            Config(dict(config))
        chosen = {'threshold': 0.6, 'min_area': 6,
                  **cfg.get('occluder_mask', {})}
        threshold = chosen['threshold'] if threshold is None else threshold
        min_area = chosen['min_area'] if min_area is None else min_area
        if margin < 0 or min_area < 0 or not 0 < threshold < 1:
            raise ValueError(f'margin={margin}, min_area={min_area} must be '
                             f'>= 0 and threshold={threshold} in (0, 1)')
        self.segmentor = build_segmentor(cfg, checkpoint).to(device)
        self.segmentor.eval()
        classes = self.segmentor.decode_head.num_classes
        if classes != 2:
            raise ValueError(f'{config}: an occlusion segmenter has 2 classes '
                             f'(clear, occluder); this model has {classes}')
        self.size = tuple(self.segmentor.data_preprocessor.size or (32, 32))
        if self.size != (32, 32):  # the masks are FCSR-GAN's 32 px holes
            raise ValueError(f'{config}: the segmenter works at {self.size}; '
                             'an occlusion segmenter for FCSR-GAN predicts '
                             '32x32 masks (data_preprocessor.size=(32, 32))')
        self.margin, self.min_area = margin, min_area
        self.threshold, self.device = threshold, device

    def _inputs(self, faces: Sequence[np.ndarray]) -> torch.Tensor:
        tensors = []
        for i, face in enumerate(faces):
            if not isinstance(face, np.ndarray) or face.ndim != 3 or \
                    face.shape[2] != 3 or face.dtype != np.uint8:
                raise ValueError(f'face {i}: expected an HxWx3 uint8 BGR '
                                 f'image, got {getattr(face, "shape", face)}')
            if face.shape[:2] != self.size:
                face = cv2.resize(face, self.size[::-1],
                                  interpolation=cv2.INTER_AREA)
            tensors.append(torch.from_numpy(np.ascontiguousarray(
                face.transpose(2, 0, 1))))
        data = self.segmentor.data_preprocessor(
            dict(inputs=tensors, data_samples=None), False)
        return data['inputs'].to(self.device)

    @torch.no_grad()
    def probabilities(self, faces: Sequence[np.ndarray]) -> np.ndarray:
        """``(N, H, W)`` occluder probability at the segmenter's size."""
        logits = self.segmentor(self._inputs(faces), mode='tensor')
        if logits.shape[-2:] != self.size:
            logits = torch.nn.functional.interpolate(
                logits, size=self.size, mode='bilinear', align_corners=False)
        return logits.softmax(1)[:, OCCLUDER_CLASS].float().cpu().numpy()

    def predict(self, faces: Sequence[np.ndarray],
                margin: Union[int, None] = None) -> List[np.ndarray]:
        """Hidden-pixel masks (32x32 bool) of aligned faces
        (HxWx3 uint8 BGR; resized to its size when they differ), cleaned and
        grown by ``margin`` (default: the segmenter's)."""
        margin = self.margin if margin is None else margin
        return [grow_mask(drop_specks(p >= self.threshold, self.min_area),
                          margin) for p in self.probabilities(faces)]
