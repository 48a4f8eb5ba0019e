"""Whole photos through the inferencer shape of ``FaceRestorationInferencer``
(preprocess -> forward -> visualize -> postprocess) around
``restore_photo``.

    from fcsr_mm.apis.photo_inferencer import PhotoRestorationInferencer
    inferencer = PhotoRestorationInferencer(CONFIG, CHECKPOINT)
    out = inferencer('frame.jpg', boxes=[(120, 80, 40, 24)],
                     result_out_dir='out/')          # out/frame_x4.png
    out['predictions'][0]['image']                   # the 4x photo
"""
import os.path as osp
from typing import Dict, Iterator, List, Optional, Sequence

import numpy as np

from fcsr_mm.data.io import read_image, write_new_image
from .inferencer import FaceRestorationInferencer
from .photo import restore_photo


class PhotoRestorationInferencer(FaceRestorationInferencer):
    """Restore every face of photos (paths, folders or HxWx3 uint8 BGR
    arrays of any size).

    Args:
        model, weights, device, precision, allow_other_config,
            show_progress: As in ``FaceRestorationInferencer``.
        detector (dict): A ``FACE_DETECTORS`` config. Default:
            ``dict(type='MTCNNDetector')``.
    """

    preprocess_kwargs = {'boxes', 'mask'}
    visualize_kwargs = {'result_out_dir'}

    def __init__(self, model: str, weights: Optional[str] = None,
                 device: str = 'cpu', precision: Optional[str] = None,
                 allow_other_config: bool = False,
                 show_progress: bool = True,
                 detector: Optional[dict] = None):
        from .face_detectors import build_detector
        super().__init__(model, weights, device, precision,
                         allow_other_config, show_progress)
        self.detector = build_detector(detector or dict(
            type='MTCNNDetector', device=str(device)))

    def preprocess(self, inputs: list, batch_size: int = 1, boxes=(),
                   mask: Optional[np.ndarray] = None) -> Iterator[Dict]:
        """One photo at a time (photos differ in size), with the hidden
        parts in its pixels."""
        for photo in inputs:
            yield dict(photo=photo, boxes=boxes, mask=mask)

    def forward(self, inputs: Dict, **kwargs) -> List[Dict]:
        photo = inputs['photo']
        image = read_image(photo) if isinstance(photo, str) else photo
        return [restore_photo(self.model, image, self.detector,
                              boxes=inputs['boxes'], mask=inputs['mask'])]

    def visualize(self, inputs: Sequence, preds: List[Dict],
                  result_out_dir: Optional[str] = None) -> List[np.ndarray]:
        """The 4x photos; with ``result_out_dir``, also written there as
        ``<photo name>_x4.png`` (``<index>_x4.png`` for arrays), never
        replacing a file."""
        images = [p['image'] for p in preds]
        if result_out_dir:
            for i, (photo, img) in enumerate(zip(inputs, images)):
                name = osp.splitext(osp.basename(photo))[0] \
                    if isinstance(photo, str) else str(i)
                write_new_image(osp.join(result_out_dir, f'{name}_x4.png'),
                                img)
        return images
