"""Faces in a photo and the template frame (issue 22): from a detector's
five landmarks to the aligned crop the model restores, occlusions given in
photo pixels into each face's frame, and the restored face back into the
enlarged photo through the inverse transform with a feathered edge, so no
box edge shows."""
from typing import Optional, Sequence

import cv2
import numpy as np

from .face_template import alignment_matrix, warp_to_template


def template_points_of(landmarks: np.ndarray) -> np.ndarray:
    """The template's points (image-left eye, image-right eye, mouth centre)
    from five landmarks in MTCNN's order: the two eyes, the nose, the two
    mouth corners (image-left first)."""
    lm = np.asarray(landmarks, np.float32)
    if lm.shape != (5, 2):
        raise ValueError(f'expected five (x, y) landmarks, got shape '
                         f'{lm.shape}')
    return np.stack([lm[0], lm[1], (lm[3] + lm[4]) / 2])


def face_matrix(landmarks: np.ndarray, size: int) -> np.ndarray:
    """``(2, 3)`` similarity from photo pixels to the ``size`` x ``size``
    template frame of the face with these five landmarks."""
    return alignment_matrix(template_points_of(landmarks), size)


def crop_face(photo: np.ndarray, matrix: np.ndarray, size: int) -> np.ndarray:
    """The aligned ``size`` x ``size`` face (antialiased where it shrinks)."""
    return warp_to_template(photo, matrix, size)


def pixel_scale(scale: float) -> np.ndarray:
    """``(3, 3)`` map from a frame to the same frame resized ``scale``
    times, pixel centres on pixel centres (as cv2.resize, Pillow and the
    training degradation resize): x' = scale (x + 0.5) - 0.5."""
    shift = (scale - 1) / 2
    return np.array([[scale, 0, shift], [0, scale, shift], [0, 0, 1]])


def _affine(m: np.ndarray) -> np.ndarray:
    return np.vstack([np.asarray(m, np.float64), [0, 0, 1]])


def resized_frame(matrix: np.ndarray, scale: float) -> np.ndarray:
    """``matrix`` (photo -> a face frame) followed by resizing that frame
    ``scale`` times: e.g. photo -> the 128 px crop, then 1/4 for the 32 px
    input the crop is degraded to."""
    return (pixel_scale(scale) @ _affine(matrix))[:2]


def photo_to_face(matrix: np.ndarray, scale: float = 1.0) -> np.ndarray:
    """The map from a canvas (the photo enlarged ``scale`` times) to the
    face frame ``matrix`` aligns the photo to: e.g. the 4x photo -> the
    restored 128x128 face, with ``matrix`` photo -> the 128 px crop."""
    return (_affine(matrix) @ pixel_scale(1 / scale))[:2]


def feather_mask(size: int, border: float = 0.1) -> np.ndarray:
    """``size`` x ``size`` float weights: 1 inside, falling smoothly to 0
    over the outer ``border`` (fraction of the side) so a pasted face
    blends into its surroundings."""
    width = max(1.0, border * size)
    idx = np.arange(size, dtype=np.float32) + 0.5
    edge = np.minimum(idx, size - idx)  # distance to the nearest side
    ramp = np.clip(edge / width, 0, 1)
    ramp = 0.5 - 0.5 * np.cos(np.pi * ramp)  # smooth at both ends
    return np.minimum(ramp[:, None], ramp[None, :])


def paste_face(canvas: np.ndarray, face: np.ndarray, to_face: np.ndarray,
               border: float = 0.1,
               weights: Optional[np.ndarray] = None) -> np.ndarray:
    """``canvas`` with ``face`` blended in where ``to_face`` (canvas ->
    face pixels, from :func:`photo_to_face`) puts it, through ``weights``
    (the face's size, 0..1; default a :func:`feather_mask` of ``border``);
    pixels the face does not reach are unchanged. Only the face's own box
    of the canvas is computed (a 4x frame is large, a face small)."""
    h, w = canvas.shape[:2]
    side = face.shape[0]
    corners = np.array([[0, 0, 1], [side, 0, 1], [0, side, 1],
                        [side, side, 1]], np.float64)
    back = corners @ cv2.invertAffineTransform(to_face).T
    x0, y0 = np.maximum(np.floor(back.min(0)).astype(int) - 1, 0)
    x1, y1 = np.minimum(np.ceil(back.max(0)).astype(int) + 2, (w, h))
    out = canvas.copy()
    if x1 <= x0 or y1 <= y0:  # the face lies outside the canvas
        return out
    # the same map, from the box's own pixels
    local = np.asarray(to_face, np.float64).copy()
    local[:, 2] += local[:, :2] @ [x0, y0]
    size = (int(x1 - x0), int(y1 - y0))
    flags = cv2.WARP_INVERSE_MAP
    warped = cv2.warpAffine(face.astype(np.float32), local, size,
                            flags=cv2.INTER_CUBIC | flags,
                            borderMode=cv2.BORDER_REPLICATE)
    if weights is None:
        weights = feather_mask(side, border)
    weight = cv2.warpAffine(weights.astype(np.float32), local, size,
                            flags=cv2.INTER_LINEAR | flags,
                            borderMode=cv2.BORDER_CONSTANT, borderValue=0)
    weight = np.clip(weight, 0, 1)[..., None]
    box = out[y0:y1, x0:x1]
    blended = box.astype(np.float32) * (1 - weight) + warped * weight
    blended = np.clip(np.round(blended), 0, 255).astype(canvas.dtype)
    untouched = weight[..., 0] <= 0
    blended[untouched] = box[untouched]
    out[y0:y1, x0:x1] = blended
    return out


def hole_weights(hole: np.ndarray, size: int, grow: float = 0.06,
                 border: float = 0.1) -> np.ndarray:
    """``size`` x ``size`` paste weights of a hole (HxW bool at the model's
    input size): 1 over the hole grown by ``grow`` of the side, falling
    smoothly to 0 around it and to 0 at the face's edge (for faces whose
    detail the 32 px model would lose outside the hole)."""
    big = cv2.resize(hole.astype(np.uint8), (size, size),
                     interpolation=cv2.INTER_NEAREST)
    r = max(1, int(round(grow * size)))
    grown = cv2.dilate(big, cv2.getStructuringElement(
        cv2.MORPH_ELLIPSE, (2 * r + 1, 2 * r + 1))).astype(np.float32)
    soft = cv2.GaussianBlur(grown, (0, 0), r / 2)
    return np.minimum(np.maximum(soft, big), feather_mask(size, border))


def box_mask(boxes: Sequence[Sequence[int]], shape) -> np.ndarray:
    """An HxW bool mask of ``(x, y, w, h)`` boxes in photo pixels."""
    mask = np.zeros(shape[:2], bool)
    for box in boxes:
        x, y, bw, bh = (int(v) for v in box)
        if bw <= 0 or bh <= 0:
            raise ValueError(f'box {tuple(box)}: width and height must be '
                             'positive (x, y, w, h in photo pixels)')
        mask[max(y, 0):max(y + bh, 0), max(x, 0):max(x + bw, 0)] = True
    return mask


def face_occlusion(mask: np.ndarray, matrix: np.ndarray,
                   size: int) -> np.ndarray:
    """The part of a face's ``size`` x ``size`` frame that a photo mask
    (HxW, nonzero = hidden) covers: a frame pixel is hidden when at least
    half of its area is."""
    cover = (np.asarray(mask) > 0).astype(np.float32)
    matrix = np.asarray(matrix, np.float64)
    scale = float(np.hypot(matrix[0, 0], matrix[1, 0]))
    if scale < 1:  # shrink by area first: the coverage of each pixel
        h, w = cover.shape
        cover = cv2.resize(cover, None, fx=scale, fy=scale,
                           interpolation=cv2.INTER_AREA)
        # from the shrunk mask's pixels back to the photo's, centres on
        # centres (x = (x' + 0.5) / r - 0.5), then the face's map
        rx, ry = cover.shape[1] / w, cover.shape[0] / h
        back = np.array([[1 / rx, 0, 0.5 / rx - 0.5],
                         [0, 1 / ry, 0.5 / ry - 0.5], [0, 0, 1]])
        matrix = (_affine(matrix) @ back)[:2]
    cover = cv2.warpAffine(cover, matrix, (size, size),
                           flags=cv2.INTER_LINEAR,
                           borderMode=cv2.BORDER_CONSTANT, borderValue=0)
    return cover >= 0.5
