"""Deterministic synthetic faces with ground-truth parsing labels.

Simple but structured: head, skin tone, hair, brows, eyes (white, iris,
pupil), nose, upper lip, inner mouth, lower lip, textured background; pose
(rotation, scale, shift), colours, expression (mouth open or shut) and
glasses vary. Labels use Helen's 11-label order (``HELEN_LABELS``), so the
faces can be written in Helen's layout and go through the Helen converter.
Face ``i`` of seed ``s`` depends on ``(s, i)`` only.
"""
from dataclasses import dataclass

import cv2
import numpy as np

# Helen label values (see fcsr_mm.data.face_labels.HELEN_LABELS).
BG, SKIN, L_BROW, R_BROW, L_EYE, R_EYE, NOSE, U_LIP, MOUTH, L_LIP, HAIR = \
    range(11)


@dataclass
class SyntheticFace:
    """One rendered face.

    Attributes:
        img (np.ndarray): HxWx3 uint8, BGR.
        label (np.ndarray): HxW uint8, Helen label values 0..10.
        points (np.ndarray): (3, 2) float32: image-left eye, image-right eye,
            mouth centre, (x, y).
    """
    img: np.ndarray
    label: np.ndarray
    points: np.ndarray


def _rng(seed: int, index: int) -> np.random.Generator:
    return np.random.default_rng([seed, index])


def _background(rng, size):
    """Low-frequency colour noise plus a few blurred shapes."""
    base = rng.uniform(30, 220, 3)
    coarse = rng.normal(0, 35, (6, 6, 3))
    img = cv2.resize(coarse, (size, size), interpolation=cv2.INTER_CUBIC)
    img = img + base
    for _ in range(rng.integers(2, 6)):
        c = tuple(int(v) for v in rng.uniform(0, 255, 3))
        p = tuple(int(v) for v in rng.integers(0, size, 2))
        r = int(rng.integers(size // 12, size // 4))
        if rng.random() < 0.5:
            cv2.circle(img, p, r, c, -1, cv2.LINE_AA)
        else:
            q = (p[0] + r, p[1] + r)
            cv2.rectangle(img, p, q, c, -1, cv2.LINE_AA)
    return cv2.GaussianBlur(img, (0, 0), 2.0)


def _ellipse(img, lbl, center, axes, color, value, angle=0.0):
    c = tuple(int(round(v)) for v in center)
    a = tuple(max(1, int(round(v))) for v in axes)
    cv2.ellipse(img, c, a, angle, 0, 360, color, -1, cv2.LINE_AA)
    if lbl is not None:
        cv2.ellipse(lbl, c, a, angle, 0, 360, value, -1, cv2.LINE_8)


def _poly(img, lbl, pts, color, value):
    pts = np.round(pts).astype(np.int32)
    cv2.fillPoly(img, [pts], color, cv2.LINE_AA)
    if lbl is not None:
        cv2.fillPoly(lbl, [pts], value, cv2.LINE_8)


def _shade(rng, base, spread):
    return tuple(float(np.clip(v, 0, 255)) for v in base + rng.normal(0, spread, 3))


def _draw_eye(rng, img, lbl, center, d, openness, iris_color, value):
    w, h = 0.22 * d, 0.09 * d * openness
    _ellipse(img, lbl, center, (w, h), (235, 240, 245), value)
    iris_r = min(0.085 * d, h * 1.05)
    shift = rng.normal(0, 0.03 * d)
    iris_c = (center[0] + shift, center[1])
    _ellipse(img, None, iris_c, (iris_r, iris_r), iris_color, value)
    _ellipse(img, None, iris_c, (iris_r * 0.45, iris_r * 0.45), (15, 15, 15),
             value)
    # eyelid line
    c = tuple(int(round(v)) for v in center)
    cv2.ellipse(img, c, (int(w), max(1, int(h))), 0, 180, 360, (40, 30, 30),
                2, cv2.LINE_AA)


def _draw_mouth(rng, img, lbl, center, d, skin):
    cx, cy = center
    half = rng.uniform(0.34, 0.46) * d
    lip = np.clip(np.array(skin) * rng.uniform(0.55, 0.75)
                  + np.array([40, 20, 90]) * rng.uniform(0.5, 1.0), 0, 255)
    upper_t, lower_t = rng.uniform(0.07, 0.11) * d, rng.uniform(0.09, 0.14) * d
    gap = rng.uniform(0.06, 0.16) * d if rng.random() < 0.45 else 0.0
    xs = np.linspace(-half, half, 15)
    curve = (1 - (xs / half) ** 2)
    top_of_gap = cy - gap / 2
    bottom_of_gap = cy + gap / 2
    upper = np.concatenate([
        np.stack([cx + xs, top_of_gap - upper_t * curve ** 0.7], 1),
        np.stack([cx - xs, top_of_gap + 0 * xs], 1)])
    lower = np.concatenate([
        np.stack([cx + xs, bottom_of_gap + 0 * xs], 1),
        np.stack([cx - xs, bottom_of_gap + lower_t * curve ** 0.7], 1)])
    if gap > 0:
        _ellipse(img, lbl, (cx, cy), (half * 0.9, gap / 2 + 1), (30, 20, 60),
                 MOUTH)
        teeth_y = top_of_gap + gap * 0.3
        cv2.rectangle(img, (int(cx - half * 0.5), int(top_of_gap)),
                      (int(cx + half * 0.5), int(teeth_y)), (225, 230, 235),
                      -1, cv2.LINE_AA)
    _poly(img, lbl, upper, tuple(lip * 0.9), U_LIP)
    _poly(img, lbl, lower, tuple(lip), L_LIP)


def _draw_brow(img, lbl, eye, d, side, thick, color, value):
    x0, y0 = eye
    xs = np.linspace(-0.26 * d, 0.26 * d, 9)
    arch = -0.06 * d * (1 - (xs / (0.26 * d)) ** 2)
    y = y0 - 0.3 * d + arch + side * 0.02 * d * xs / (0.26 * d)
    pts = np.concatenate([np.stack([x0 + xs, y], 1),
                          np.stack([x0 - xs, (y + thick)[::-1]], 1)])
    _poly(img, lbl, pts, color, value)


def _draw_glasses(img, eyes, d):
    color = (20, 20, 20) if np.mean(img) > 60 else (200, 200, 200)
    r = int(0.2 * d)
    for e in eyes:
        cv2.circle(img, tuple(int(v) for v in e), r, color, 2, cv2.LINE_AA)
    bridge_l = (int(eyes[0][0] + r), int(eyes[0][1]))
    bridge_r = (int(eyes[1][0] - r), int(eyes[1][1]))
    cv2.line(img, bridge_l, bridge_r, color, 2, cv2.LINE_AA)


def _draw_upright(rng, size, d, center):
    """Draw an upright face; returns image (float), labels, points."""
    img = _background(rng, size)
    lbl = np.zeros((size, size), np.uint8)
    cx, ey = center
    skin = np.array(_shade(rng, np.array([120, 150, 200]) *
                           rng.uniform(0.45, 1.15), 12))
    hair = np.array(_shade(rng, np.array([30, 40, 60]) *
                           rng.uniform(0.4, 3.5), 10))
    head_c = (cx, ey + 0.42 * d)
    head_ax = (rng.uniform(0.9, 1.05) * d, rng.uniform(1.25, 1.4) * d)
    long_hair = rng.random() < 0.5
    if long_hair:
        _ellipse(img, lbl, (cx, ey + 0.6 * d), (head_ax[0] * 1.3, 1.9 * d),
                 tuple(hair), HAIR)
    neck_w = 0.5 * d
    cv2.rectangle(img, (int(cx - neck_w), int(ey + d)), (int(cx + neck_w),
                  size), tuple(skin * 0.8), -1, cv2.LINE_AA)
    _ellipse(img, lbl, head_c, head_ax, tuple(skin), SKIN)
    # hair cap over the top of the head
    _ellipse(img, lbl, (cx, head_c[1] - head_ax[1] * 0.55),
             (head_ax[0] * 1.06, head_ax[1] * rng.uniform(0.55, 0.7)),
             tuple(hair), HAIR)
    # re-draw the forehead so the hairline is a curve above the brows
    _ellipse(img, lbl, (cx, ey + 0.05 * d),
             (head_ax[0] * 0.92, rng.uniform(0.5, 0.62) * d), tuple(skin),
             SKIN)
    eyes = np.array([[cx - d / 2, ey], [cx + d / 2, ey]], np.float32)
    brow_c = tuple(np.clip(hair * 0.8, 0, 255))
    thick = rng.uniform(0.05, 0.09) * d
    _draw_brow(img, lbl, eyes[0], d, -1, thick, brow_c, L_BROW)
    _draw_brow(img, lbl, eyes[1], d, 1, thick, brow_c, R_BROW)
    openness = rng.uniform(0.6, 1.2)
    iris = _shade(rng, np.array([60, 80, 100]) * rng.uniform(0.5, 2.0), 20)
    _draw_eye(rng, img, lbl, eyes[0], d, openness, iris, L_EYE)
    _draw_eye(rng, img, lbl, eyes[1], d, openness, iris, R_EYE)
    nose_top, nose_tip = ey + 0.15 * d, ey + 0.62 * d
    nw = rng.uniform(0.14, 0.2) * d
    _poly(img, lbl, np.array([[cx - nw * 0.35, nose_top],
                              [cx + nw * 0.35, nose_top],
                              [cx + nw, nose_tip], [cx - nw, nose_tip]]),
          tuple(skin * 0.88), NOSE)
    for s in (-1, 1):
        _ellipse(img, None, (cx + s * nw * 0.5, nose_tip - 0.03 * d),
                 (nw * 0.25, nw * 0.14), tuple(skin * 0.45), NOSE)
    mouth = np.array([cx, ey + 1.02 * d], np.float32)
    _draw_mouth(rng, img, lbl, mouth, d, skin)
    if rng.random() < 0.25:
        _draw_glasses(img, eyes, d)
    points = np.concatenate([eyes, mouth[None]], 0)
    return img, lbl, points


def render_face(seed: int, index: int, size: int = 256) -> SyntheticFace:
    """Render face ``index`` of the set drawn with ``seed``.

    Args:
        seed (int): Seed of the whole set.
        index (int): Index of the face in the set.
        size (int): Side of the square canvas. Default: 256.

    Returns:
        SyntheticFace: image, Helen-order labels and landmark points.
    """
    rng = _rng(seed, index)
    d = size * rng.uniform(0.24, 0.3)  # eye distance: a loose crop
    center = (size / 2 + rng.normal(0, size * 0.02),
              size * 0.42 + rng.normal(0, size * 0.02))
    img, lbl, points = _draw_upright(rng, size, d, center)
    angle = rng.uniform(-10, 10)
    scale = rng.uniform(0.9, 1.1)
    shift = rng.normal(0, size * 0.02, 2)
    matrix = cv2.getRotationMatrix2D(
        (float(points[:2, 0].mean()), float(points[:2, 1].mean())), angle,
        scale)
    matrix[:, 2] += shift
    img = cv2.warpAffine(img, matrix, (size, size), flags=cv2.INTER_LINEAR,
                         borderMode=cv2.BORDER_REFLECT101)
    lbl = cv2.warpAffine(lbl, matrix, (size, size), flags=cv2.INTER_NEAREST,
                         borderMode=cv2.BORDER_CONSTANT, borderValue=BG)
    points = (np.c_[points, np.ones(3)] @ matrix.T).astype(np.float32)
    # soft light from one side, sensor noise
    ramp = np.linspace(-1, 1, size)[None, :, None] * rng.uniform(-18, 18)
    img = img + ramp + rng.normal(0, 3, img.shape)
    img = np.clip(img, 0, 255).astype(np.uint8)
    return SyntheticFace(img=img, label=lbl, points=points)
