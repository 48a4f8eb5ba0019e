"""Where synthetic occluders lie on an aligned face: one coverage map per kind.

Each ``*_shape(size, rng)`` returns a float32 ``(size, size)`` coverage in
[0, 1] (anti-aliased), drawn in the face template's frame
(``face_template.TEMPLATE_POINTS``), so sunglasses sit on the eyes and masks on
the mouth of every aligned face. Positions, sizes and angles are drawn from
``rng``; the template is scaled to ``size``. How the shape is coloured and
composited is ``occluders.py``'s job.
"""
from typing import Callable, Dict, Tuple

import cv2
import numpy as np

from .face_template import TEMPLATE_POINTS, TEMPLATE_SIZE

AA = cv2.LINE_AA


def grow_mask(mask: np.ndarray, margin: int) -> np.ndarray:
    """``mask`` dilated by ``margin`` pixels (a disc); 0 leaves it."""
    if margin <= 0 or not mask.any():
        return mask.astype(bool)
    k = cv2.getStructuringElement(cv2.MORPH_ELLIPSE,
                                  (2 * margin + 1, 2 * margin + 1))
    return cv2.dilate(mask.astype(np.uint8), k) > 0


def _canvas(size: int) -> np.ndarray:
    return np.zeros((size, size), np.uint8)


def _coverage(canvas: np.ndarray) -> np.ndarray:
    return canvas.astype(np.float32) / 255.0


def _points(size: int, rng: np.random.Generator, jitter: float = 4.0):
    """Template eyes and mouth scaled to ``size``, moved together by up to
    ``jitter`` template pixels (aligned faces still differ in pose)."""
    s = size / TEMPLATE_SIZE
    shift = rng.uniform(-jitter, jitter, 2)
    return tuple((np.array(TEMPLATE_POINTS[k]) + shift) * s
                 for k in ('left_eye', 'right_eye', 'mouth')), s


def _ipt(p) -> Tuple[int, int]:
    return int(round(p[0])), int(round(p[1]))


def _lens(canvas, centre, half_w, half_h, tilt, rect):
    """One lens: an ellipse, or a rounded rectangle (``rect``)."""
    if not rect:
        cv2.ellipse(canvas, _ipt(centre), _ipt((half_w, half_h)), tilt, 0,
                    360, 255, -1, AA)
        return
    r = 0.45 * min(half_w, half_h)  # corner radius
    core = ((float(centre[0]), float(centre[1])),
            (2 * (half_w - r), 2 * (half_h - r)), tilt)
    box = np.round(cv2.boxPoints(core)).astype(np.int32)
    cv2.fillPoly(canvas, [box], 255, AA)
    cv2.polylines(canvas, [box], True, 255,
                  max(1, int(round(2 * r))), AA)


def _glasses_shape(size, rng, half_w, half_h, rect_share):
    """Two lenses on the eyes, a bridge and the temples to the frame edge."""
    (le, re, _), s = _points(size, rng)
    canvas = _canvas(size)
    half_w = rng.uniform(*half_w) * s
    half_h = rng.uniform(*half_h) * s
    tilt = rng.uniform(-6, 6)
    rect = rng.random() < rect_share
    for eye in (le, re):
        centre = eye + np.array([0, rng.uniform(-1, 3) * s])
        _lens(canvas, centre, half_w, half_h, tilt, rect)
    width = max(1, int(round(rng.uniform(1.5, 3.5) * s)))
    cv2.line(canvas, _ipt(le), _ipt(re), 255, width, AA)
    y = (le[1] + re[1]) / 2 - half_h * 0.4
    cv2.line(canvas, _ipt((le[0] - half_w, y)), (0, int(y)), 255, width, AA)
    cv2.line(canvas, _ipt((re[0] + half_w, y)), (size - 1, int(y)), 255,
             width, AA)
    return _coverage(canvas)


def sunglasses_shape(size: int, rng: np.random.Generator) -> np.ndarray:
    """Large round lenses over the eyes and brows' lower edge."""
    return _glasses_shape(size, rng, (13, 19), (9, 14), rect_share=0.0)


def clear_glasses_shape(size: int, rng: np.random.Generator) -> np.ndarray:
    """Everyday glasses: oval or rectangular lenses of varied size, the
    whole glasses (lenses and frame) as CelebAMask-HQ labels them."""
    return _glasses_shape(size, rng, (11, 18), (6, 12), rect_share=0.5)


def _lower_face_polygon(size, rng, top_y, bottom_y, half_width):
    """A mask's outline: straight top edge, rounded chin below."""
    (_, _, mouth), s = _points(size, rng)
    cx = mouth[0]
    top = top_y * s
    bottom = min(bottom_y * s, size + 8 * s)
    w = half_width * s
    xs = np.linspace(-1, 1, 15)
    chin = [(cx + x * w, top + (bottom - top) * (0.55 + 0.45 *
                                                np.sqrt(1 - x * x)))
            for x in xs]
    return np.array([(cx - w, top)] + chin + [(cx + w, top)], np.float32)


def surgical_mask_shape(size: int, rng: np.random.Generator) -> np.ndarray:
    """From just under the eyes (or the nose) down over the chin, ear loops
    to the sides."""
    canvas = _canvas(size)
    top = rng.uniform(58, 72)
    poly = _lower_face_polygon(size, rng, top, rng.uniform(118, 134),
                               rng.uniform(36, 46))
    cv2.fillPoly(canvas, [np.round(poly).astype(np.int32)], 255, AA)
    width = max(1, int(round(size / 128)))
    for x0, y0 in (poly[0], poly[-1]):
        edge = 0 if x0 < size / 2 else size - 1
        cv2.line(canvas, _ipt((x0, y0 + 2)), (edge, int(y0 - rng.uniform(
            8, 20) * size / 128)), 255, width, AA)
    return _coverage(canvas)


def cloth_mask_shape(size: int, rng: np.random.Generator) -> np.ndarray:
    """A rounder, wider mask than the surgical one, over nose and chin."""
    canvas = _canvas(size)
    poly = _lower_face_polygon(size, rng, rng.uniform(60, 74),
                               rng.uniform(122, 140), rng.uniform(40, 52))
    cv2.fillPoly(canvas, [np.round(poly).astype(np.int32)], 255, AA)
    return _coverage(canvas)


def scarf_shape(size: int, rng: np.random.Generator) -> np.ndarray:
    """A band across the whole frame from the mouth or the nose down."""
    s = size / TEMPLATE_SIZE
    canvas = _canvas(size)
    top = rng.uniform(70, 100) * s
    tilt = rng.uniform(-8, 8) * s
    xs = np.linspace(0, size - 1, 12)
    wave = rng.uniform(1, 4) * s * np.sin(xs / size * np.pi *
                                          rng.uniform(1, 3))
    edge = [(x, top + tilt * (x / size - 0.5) + w) for x, w in zip(xs, wave)]
    poly = np.array(edge + [(size - 1, size - 1), (0, size - 1)], np.float32)
    cv2.fillPoly(canvas, [np.round(poly).astype(np.int32)], 255, AA)
    return _coverage(canvas)


def _capsule(canvas, a, b, radius):
    cv2.line(canvas, _ipt(a), _ipt(b), 255, max(1, int(round(2 * radius))),
             AA)


def hand_shape(size: int, rng: np.random.Generator) -> np.ndarray:
    """A palm with three or four fingers, entering from the bottom or a side,
    over the mouth, a cheek or an eye."""
    s = size / TEMPLATE_SIZE
    canvas = _canvas(size)
    target = np.array([rng.uniform(30, 98), rng.uniform(40, 105)]) * s
    angle = rng.uniform(0, 2 * np.pi)
    direction = np.array([np.cos(angle), np.sin(angle)])
    normal = np.array([-direction[1], direction[0]])
    palm = target - direction * rng.uniform(18, 30) * s
    palm_axes = (rng.uniform(14, 20) * s, rng.uniform(16, 24) * s)
    cv2.ellipse(canvas, _ipt(palm), _ipt(palm_axes),
                float(np.degrees(angle)), 0, 360, 255, -1, AA)
    # the forearm runs off the frame behind the palm
    _capsule(canvas, palm, palm - direction * size, palm_axes[1] * 0.7)
    fingers = int(rng.integers(3, 5))
    spacing = palm_axes[1] * 1.6 / fingers
    for k in range(fingers):
        offset = (k - (fingers - 1) / 2) * spacing
        base = palm + normal * offset + direction * palm_axes[0] * 0.6
        length = rng.uniform(16, 28) * s
        _capsule(canvas, base, base + direction * length, spacing * 0.42)
    return _coverage(canvas)


def fingers_shape(size: int, rng: np.random.Generator) -> np.ndarray:
    """One or two fingers across the face, from a frame edge."""
    s = size / TEMPLATE_SIZE
    canvas = _canvas(size)
    for _ in range(int(rng.integers(1, 3))):
        tip = np.array([rng.uniform(30, 98), rng.uniform(35, 100)]) * s
        angle = rng.uniform(0, 2 * np.pi)
        root = tip - np.array([np.cos(angle), np.sin(angle)]) * size
        _capsule(canvas, root, tip, rng.uniform(4, 7) * s)
    return _coverage(canvas)


def hat_shape(size: int, rng: np.random.Generator) -> np.ndarray:
    """A crown over the top of the frame and a brim down to the brows or the
    eyes."""
    (le, re, _), s = _points(size, rng)
    canvas = _canvas(size)
    brim_y = rng.uniform(14, 36) * s + (le[1] - 40 * s) * 0.5
    centre = ((le[0] + re[0]) / 2, brim_y)
    brim_axes = (rng.uniform(55, 80) * s, rng.uniform(4, 10) * s)
    tilt = rng.uniform(-8, 8)
    cv2.ellipse(canvas, _ipt(centre), _ipt(brim_axes), tilt, 0, 360, 255, -1,
                AA)
    crown_axes = (rng.uniform(38, 52) * s, brim_y + 10 * s)
    cv2.ellipse(canvas, _ipt(centre), _ipt(crown_axes), tilt, 180, 360, 255,
                -1, AA)
    return _coverage(canvas)


def hair_shape(size: int, rng: np.random.Generator) -> np.ndarray:
    """Strands falling over the forehead and an eye: curved polylines."""
    s = size / TEMPLATE_SIZE
    canvas = _canvas(size)
    x0 = rng.uniform(20, 108) * s
    spread = rng.uniform(8, 30) * s
    bend = rng.uniform(-30, 30) * s
    length = rng.uniform(45, 90) * s
    for _ in range(int(rng.integers(12, 30))):
        start = np.array([x0 + rng.uniform(-spread, spread), -2.0])
        t = np.linspace(0, 1, 12)[:, None]
        pts = start + np.hstack([bend * t ** 2 + rng.uniform(-6, 6) * s * t,
                                 length * rng.uniform(0.6, 1.0) * t])
        cv2.polylines(canvas, [np.round(pts).astype(np.int32)], False, 255,
                      max(1, int(round(rng.uniform(1, 2.5) * s))), AA)
    return _coverage(canvas)


def object_shape(size: int, rng: np.random.Generator) -> np.ndarray:
    """A random object: an ellipse, a rounded rectangle or a polygon."""
    s = size / TEMPLATE_SIZE
    canvas = _canvas(size)
    centre = np.array([rng.uniform(15, 113), rng.uniform(20, 118)]) * s
    radius = rng.uniform(10, 34) * s
    kind = rng.integers(3)
    if kind == 0:
        cv2.ellipse(canvas, _ipt(centre), _ipt((radius, radius *
                                                 rng.uniform(0.4, 1.0))),
                    rng.uniform(0, 180), 0, 360, 255, -1, AA)
    elif kind == 1:
        half = np.array([radius, radius * rng.uniform(0.3, 0.9)])
        rect = (tuple(centre), tuple(2 * half), rng.uniform(0, 180))
        box = cv2.boxPoints(rect)
        cv2.fillPoly(canvas, [np.round(box).astype(np.int32)], 255, AA)
    else:
        n = int(rng.integers(3, 8))
        angles = np.sort(rng.uniform(0, 2 * np.pi, n))
        radii = radius * rng.uniform(0.5, 1.0, n)
        poly = centre + np.stack([np.cos(angles), np.sin(angles)], 1) * \
            radii[:, None]
        cv2.fillPoly(canvas, [np.round(poly).astype(np.int32)], 255, AA)
    return _coverage(canvas)


#: kind -> shape function; ``occluders.OCCLUDER_STYLES`` colours each kind
OCCLUDER_SHAPES: Dict[str, Callable[[int, np.random.Generator],
                                    np.ndarray]] = {
    'sunglasses': sunglasses_shape,
    'tinted_glasses': sunglasses_shape,
    'clear_glasses': clear_glasses_shape,
    'surgical_mask': surgical_mask_shape,
    'cloth_mask': cloth_mask_shape,
    'scarf': scarf_shape,
    'hand': hand_shape,
    'fingers': fingers_shape,
    'hat': hat_shape,
    'hair': hair_shape,
    'object': object_shape,
    'texture': object_shape,
}
#: the kinds with a shape of their own (tinted glasses and textures share
#: the sunglasses' and objects' shapes): what a mix of shapes draws from
SHAPE_KINDS = tuple(k for i, (k, f) in enumerate(OCCLUDER_SHAPES.items())
                    if f not in list(OCCLUDER_SHAPES.values())[:i])
