"""The one face template of the project, and alignment to it.

Every aligned face (CelebA converter, Helen and CelebAMask-HQ parser data,
synthetic faces) puts the eye centres and the mouth centre where this
template says, so the fixed occlusions O1..O6 land on the same parts
everywhere. The numbers match ``../shared/data/celeba128`` (eyes at
x = 0.31 / 0.68, y = 0.31 of the frame; mouth at y = 0.69).
"""
from typing import Optional, Sequence, Tuple

import cv2
import numpy as np
from skimage.transform import SimilarityTransform

#: Size of the aligned ground-truth face.
TEMPLATE_SIZE = 128
#: (x, y) in pixels of the 128x128 frame. "Left" means the image left.
TEMPLATE_POINTS = {
    'left_eye': (40.0, 40.0),
    'right_eye': (87.0, 40.0),
    'mouth': (63.5, 88.0),
}


def template_points(size: int = TEMPLATE_SIZE,
                    margin: float = 0.0) -> np.ndarray:
    """Template points (left eye, right eye, mouth) for a frame of ``size``.

    Args:
        size (int): Side of the square face frame the points scale to.
            Default: 128.
        margin (float): Pixels added around the scaled frame, e.g. 8 for the
            144x144 parser training crops (128 + 2 * 8), so a random 128
            crop of them shifts the face by up to 8 pixels. Default: 0.

    Returns:
        np.ndarray: ``(3, 2)`` float32 array of (x, y).
    """
    pts = np.array([TEMPLATE_POINTS[k]
                    for k in ('left_eye', 'right_eye', 'mouth')], np.float32)
    return pts * (size / TEMPLATE_SIZE) + margin


def similarity_transform(src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """Least-squares similarity (rotation, uniform scale, shift) src -> dst.

    Args:
        src (np.ndarray): ``(N, 2)`` points, N >= 2.
        dst (np.ndarray): ``(N, 2)`` points.

    Returns:
        np.ndarray: ``(2, 3)`` affine matrix for ``cv2.warpAffine``.
    """
    src = np.asarray(src, np.float64)
    dst = np.asarray(dst, np.float64)
    if src.shape != dst.shape or src.ndim != 2 or src.shape[0] < 2:
        raise ValueError(f'need two matching (N>=2, 2) point sets, got '
                         f'{src.shape} and {dst.shape}')
    # scikit-image's Umeyama estimate (no reflection); from_estimate is its
    # API from 0.26, estimate the older one
    if hasattr(SimilarityTransform, 'from_estimate'):
        tform = SimilarityTransform.from_estimate(src, dst)
    else:
        tform = SimilarityTransform()
        tform = tform if tform.estimate(src, dst) else None
    if not tform:
        raise ValueError(f'no similarity maps {src.tolist()} onto '
                         f'{dst.tolist()} (the points coincide?)')
    return tform.params[:2].astype(np.float32)


def alignment_matrix(points: np.ndarray, size: int = TEMPLATE_SIZE,
                     margin: float = 0.0, use_mouth: bool = True
                     ) -> np.ndarray:
    """The ``(2, 3)`` similarity from image pixels to the template frame of
    ``size`` (+ ``margin``), from the eyes and mouth centre (see
    :func:`align_face` for ``points`` and ``use_mouth``)."""
    points = np.asarray(points, np.float32)
    use = np.isfinite(points).all(1)
    if not use_mouth and use[:2].all():
        use[2:] = False
    if use.sum() < 2:
        raise ValueError(f'need two of (left eye, right eye, mouth) to align '
                         f'a face, got {points.tolist()}')
    return similarity_transform(
        points[use], template_points(size, margin)[:len(use)][use])


def warp_to_template(img: np.ndarray, matrix: np.ndarray,
                     out: int) -> np.ndarray:
    """``img`` warped by ``matrix`` into an ``out`` x ``out`` frame, bicubic,
    after an area shrink where the face is more than halved (warpAffine has
    no area mode, so it would alias)."""
    scale = float(np.hypot(matrix[0, 0], matrix[1, 0]))
    if scale < 0.5:
        factor = 0.5 / scale
        img = cv2.resize(img, None, fx=1 / factor, fy=1 / factor,
                         interpolation=cv2.INTER_AREA)
        matrix = matrix.copy()
        matrix[:, :2] *= factor
    return cv2.warpAffine(img, matrix, (out, out), flags=cv2.INTER_CUBIC,
                          borderMode=cv2.BORDER_REFLECT101)


def align_face(img: np.ndarray,
               points: np.ndarray,
               size: int = TEMPLATE_SIZE,
               margin: float = 0.0,
               label: Optional[np.ndarray] = None,
               use_mouth: bool = True) -> Tuple[np.ndarray, Optional[np.ndarray]]:
    """Warp a face (and optionally its label map) onto the template.

    Args:
        img (np.ndarray): HxWxC image.
        points (np.ndarray): ``(2, 2)`` eye centres (image-left first) or
            ``(3, 2)`` eyes and mouth centre, (x, y). Rows with NaN (a part
            that is not visible) are left out; two points must remain.
        size (int): Output side before the margin. Default: 128.
        margin (float): Extra pixels on each side. Default: 0.
        label (np.ndarray, optional): HxW label map, warped with nearest
            neighbour (background fills the border). Default: None.
        use_mouth (bool): Use the mouth point when given. When False the
            mouth is used only if an eye is missing (eye-only alignment is
            what the paper does for Helen). Default: True.

    Returns:
        tuple: aligned image ``(size + 2 margin)^2`` and aligned label map or
        None.
    """
    matrix = alignment_matrix(points, size, margin, use_mouth)
    out = int(round(size + 2 * margin))
    aligned = warp_to_template(img, matrix, out)
    aligned_label = None
    if label is not None:
        aligned_label = cv2.warpAffine(label, matrix, (out, out),
                                       flags=cv2.INTER_NEAREST,
                                       borderMode=cv2.BORDER_CONSTANT,
                                       borderValue=0)
    return aligned, aligned_label


def label_centroids(label: np.ndarray, classes: Sequence[int]) -> np.ndarray:
    """(x, y) centroid of each class in ``classes`` (NaN when absent)."""
    out = np.full((len(classes), 2), np.nan, np.float32)
    for i, c in enumerate(classes):
        ys, xs = np.nonzero(label == c)
        if len(xs):
            out[i] = xs.mean(), ys.mean()
    return out


def fixed_occlusions(size: int = 32) -> dict:
    """GFC's six test occlusions O1..O6 as (top, left, height, width) in a
    ``size`` x ``size`` aligned face, placed by the template: left half,
    right half, both eyes, left eye, right eye, mouth ("left" = image left).
    Eye boxes are 3/8 x 1/4 of the face, the mouth box 1/2 x 1/4."""
    s = size / TEMPLATE_SIZE
    (lx, ly), (rx, ry), (mx, my) = (np.array(TEMPLATE_POINTS[k]) * s for k in
                                    ('left_eye', 'right_eye', 'mouth'))
    eye_w, eye_h, mouth_w, mouth_h = (round(size * f) for f in
                                      (3 / 8, 1 / 4, 1 / 2, 1 / 4))

    def box(cx, cy, w, h):
        top = int(np.clip(round(cy - h / 2), 0, size - h))
        left = int(np.clip(round(cx - w / 2), 0, size - w))
        return top, left, h, w

    half = size // 2
    both_left = box(lx, ly, eye_w, eye_h)[1]
    both_right = box(rx, ry, eye_w, eye_h)[1] + eye_w
    return {
        'O1': (0, 0, size, half),
        'O2': (0, half, size, size - half),
        'O3': (box(lx, ly, eye_w, eye_h)[0], both_left, eye_h,
               both_right - both_left),
        'O4': box(lx, ly, eye_w, eye_h),
        'O5': box(rx, ry, eye_w, eye_h),
        'O6': box(mx, my, mouth_w, mouth_h),
    }
