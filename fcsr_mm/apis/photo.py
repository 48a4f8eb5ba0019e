"""Restore the faces of a whole photo: detect, align each face to the
template, restore it (completion where an occlusion covers it, else
super-resolution only), and paste the 128x128 result back into the photo
enlarged 4x through the inverse transform with a feathered edge.

    from fcsr_mm.apis import init_restorer, restore_photo
    model = init_restorer(CONFIG, CHECKPOINT)
    out = restore_photo(model, cv2.imread('frame.png'),
                        dict(type='MTCNNDetector'), boxes=[(40, 60, 20, 12)])
    cv2.imwrite('frame_x4.png', out['image'])
"""
from typing import Dict, List, Optional, Sequence

import cv2
import numpy as np

from fcsr_mm.data.photo_faces import (box_mask, crop_face, face_matrix,
                                      face_occlusion, hole_weights,
                                      paste_face, photo_to_face,
                                      resized_frame)
from fcsr_mm.datasets.occlusions import NO_HOLE
from .face_detectors import Detection, build_detector
from .restore import HR_SIZE, LR_SIZE, load_face, restore_faces

SCALE = HR_SIZE // LR_SIZE


def upscale(photo: np.ndarray, scale: int = SCALE) -> np.ndarray:
    """The background: the photo enlarged by bicubic interpolation."""
    return cv2.resize(photo, None, fx=scale, fy=scale,
                      interpolation=cv2.INTER_CUBIC)


def photo_for_detection(photo: np.ndarray, hidden: np.ndarray) -> np.ndarray:
    """The photo with its hidden parts (HxW bool) filled by OpenCV's
    Telea inpainting, for the detector."""
    if not hidden.any():
        return photo
    return cv2.inpaint(photo, hidden.astype(np.uint8) * 255, 3,
                       cv2.INPAINT_TELEA)


#: restore_photo's default ``max_side`` (px of the aligned frame in the photo)
MAX_SIDE = 40


def restore_photo(model, photo: np.ndarray, detector,
                  boxes: Sequence[Sequence[int]] = (),
                  mask: Optional[np.ndarray] = None,
                  background: Optional[np.ndarray] = None,
                  border: float = 0.1, fill_for_detection: bool = True,
                  max_side: Optional[float] = MAX_SIDE,
                  segmenter=None) -> Dict:
    """Restore every face of ``photo``.

    Args:
        model: From :func:`init_restorer`.
        photo (np.ndarray): HxWx3 uint8 BGR.
        detector (dict | callable): A ``FACE_DETECTORS`` config or an
            object that returns :class:`Detection` s of a BGR image.
        boxes (Sequence): Hidden parts as ``(x, y, w, h)`` in photo pixels.
        mask (np.ndarray, optional): HxW, nonzero = hidden, in photo
            pixels (with ``boxes``, both count).
        background (np.ndarray, optional): The 4x photo the faces are
            pasted into (e.g. an mmagic SR model's); default: bicubic.
        border (float): The feathered share of each face's side.
        fill_for_detection (bool): The detector sees the photo with the
            hidden parts filled by OpenCV's Telea inpainting: an occluder
            over the eyes hides a face from a detector, a smooth fill much
            less (on the photo benchmark's frames, MTCNN found 20 of 38
            occluded faces so, 10 without). Default: True.
        max_side (float, optional): Faces whose aligned frame is larger in
            the photo (px) than this lose detail through the 32 px model:
            such a face keeps the background outside its hidden part (the
            restored face is pasted over the hole only) and is left as it
            is when nothing hides it. None restores every face whole.
            Default: 40.
        segmenter (OcclusionSegmenter, optional): Finds what hides each
            face (``--occlusion auto``): its mask, predicted on the aligned
            32 px face, joins the given hidden parts. Default: None.

    Returns:
        dict: ``image`` (the 4x photo with the restored faces) and
        ``faces``: per face its ``detection``, ``side`` (its frame in photo
        pixels), ``pasted`` ('face', 'hole' or 'none'), ``occluded`` (pixels
        of its 32x32 input hidden), ``mask`` (those pixels, 32x32 bool),
        ``input`` (that input) and ``pred_img`` (the restored 128x128 face).
    """
    if not isinstance(photo, np.ndarray) or photo.ndim != 3 \
            or photo.shape[2] != 3 or photo.dtype != np.uint8:
        raise ValueError(f'expected an HxWx3 uint8 BGR photo, got '
                         f'{getattr(photo, "shape", type(photo))}')
    hidden = box_mask(boxes, photo.shape)
    if mask is not None:
        if mask.shape[:2] != photo.shape[:2]:
            raise ValueError(f'the mask is {mask.shape[1]}x{mask.shape[0]}, '
                             f'the photo {photo.shape[1]}x{photo.shape[0]}: '
                             'give the mask in photo pixels')
        hidden |= np.asarray(mask).reshape(mask.shape[:2]) > 0
    canvas = upscale(photo) if background is None else background.copy()
    expected = (photo.shape[0] * SCALE, photo.shape[1] * SCALE)
    if canvas.shape[:2] != expected:
        raise ValueError(f'the background is {canvas.shape[1]}x'
                         f'{canvas.shape[0]}; it must be the photo enlarged '
                         f'{SCALE}x ({expected[1]}x{expected[0]})')
    seen = photo_for_detection(photo, hidden) if fill_for_detection \
        else photo
    detections: List[Detection] = build_detector(detector)(seen)
    if not detections:
        return dict(image=canvas, faces=[])
    # photo -> the 128 px crop; the model's 32 px input is that crop
    # degraded, so its frame is the crop's resized by 1/4
    to_hr = [face_matrix(d.landmarks, HR_SIZE) for d in detections]
    crops = [crop_face(photo, m, HR_SIZE) for m in to_hr]
    holes = [face_occlusion(hidden, resized_frame(m, 1 / SCALE), LR_SIZE)
             for m in to_hr]
    if segmenter is not None:
        found = segmenter.predict([load_face(c) for c in crops])
        holes = [h | f for h, f in zip(holes, found)]
    results = restore_faces(model, crops, [h.astype(np.uint8) if h.any()
                                           else NO_HOLE for h in holes])
    faces = []
    for det, matrix, hole, res in zip(detections, to_hr, holes, results):
        side = HR_SIZE / float(np.hypot(matrix[0, 0], matrix[1, 0]))
        large = max_side is not None and side > max_side
        pasted = ('hole' if hole.any() else 'none') if large else 'face'
        if pasted != 'none':
            weights = hole_weights(hole, HR_SIZE, border=border) \
                if pasted == 'hole' else None
            canvas = paste_face(canvas, res['pred_img'],
                                photo_to_face(matrix, SCALE), border,
                                weights)
        faces.append(dict(detection=det, side=side, pasted=pasted,
                          occluded=int(hole.sum()), mask=hole,
                          input=res['input'],
                          pred_img=res['pred_img']))
    return dict(image=canvas, faces=faces)
