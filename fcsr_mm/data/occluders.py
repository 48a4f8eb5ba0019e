"""Synthetic occluders pasted on aligned faces, with the mask of what they
hide: training and test data for the occlusion segmenter (issue 23).

Each kind (``OCCLUDER_KINDS``) has a shape (``occluder_shapes``) and a look:
dark or tinted sunglasses, surgical and cloth masks, scarves, hands and
fingers in skin tones with shading, hats, hair strands, random objects and
textures (procedural, or a patch of another image). The occluder's edge is
soft and it may cast a shadow on the face; the mask is where the occluder's
opacity is at least one half, so a shadow or a faint edge is not marked,
except for clear glasses, marked whole (lenses and frame) as CelebAMask-HQ
labels eyeglasses::

    rng = np.random.default_rng(0)
    pasted = paste_occluder(face, 'hand', rng)      # face: HxWx3 uint8 BGR
    pasted.image, pasted.mask                       # uint8, bool
"""
from dataclasses import dataclass
from typing import Optional, Sequence

import cv2
import numpy as np

from .occluder_shapes import OCCLUDER_SHAPES

OCCLUDER_KINDS = tuple(OCCLUDER_SHAPES)
#: BGR skin tones from light to dark, for hands when not the face's own
SKIN_TONES = ((185, 205, 240), (140, 170, 220), (105, 140, 195),
              (70, 100, 150), (45, 65, 100))
HAIR_COLOURS = ((20, 20, 25), (30, 45, 70), (60, 90, 130), (120, 170, 210),
                (40, 60, 120))
SURGICAL_COLOURS = ((230, 200, 150), (245, 245, 245), (200, 215, 170),
                    (40, 40, 40))
#: BGR frames of everyday glasses: black, dark brown, tortoise, metal, gold
FRAME_COLOURS = ((20, 20, 20), (30, 40, 60), (40, 75, 120), (150, 150, 150),
                 (90, 170, 200))
#: kinds whose mask is their whole shape, not where they are opaque
LABELLED_WHOLE = ('clear_glasses',)


@dataclass
class PastedOccluder:
    """A face with an occluder on it.

    Attributes:
        image (np.ndarray): The occluded face, uint8, the input's shape.
        mask (np.ndarray): ``(H, W)`` bool, True where the occluder hides the
            face (opacity >= 0.5; the whole shape for ``LABELLED_WHOLE``).
        alpha (np.ndarray): ``(H, W)`` float32 opacity of the occluder.
        shadow (np.ndarray): ``(H, W)`` float32 darkening of the face (0: none).
        kind (str): One of ``OCCLUDER_KINDS``.
    """
    image: np.ndarray
    mask: np.ndarray
    alpha: np.ndarray
    shadow: np.ndarray
    kind: str


def _jitter(colour, rng, amount=18.0) -> np.ndarray:
    return np.clip(np.asarray(colour, np.float32) +
                   rng.uniform(-amount, amount, 3), 0, 255)


def _random_colour(rng, low=0, high=255) -> np.ndarray:
    return rng.uniform(low, high, 3).astype(np.float32)


def face_skin_colour(face: np.ndarray) -> np.ndarray:
    """Median BGR of the two cheeks of an aligned face."""
    s = face.shape[0] / 128
    patches = [face[int(60 * s):int(76 * s), int(x * s):int((x + 12) * s)]
               for x in (28, 88)]
    return np.median(np.concatenate([p.reshape(-1, 3) for p in patches]),
                     0).astype(np.float32)


def _noise(size, rng, scale) -> np.ndarray:
    """Smooth noise in [-1, 1]: white noise blurred at ``scale`` pixels."""
    n = rng.standard_normal((size, size)).astype(np.float32)
    n = cv2.GaussianBlur(n, (0, 0), max(scale, 0.3))
    return n / (np.abs(n).max() + 1e-6)


def _pattern(size, rng, style) -> np.ndarray:
    """A (size, size) pattern in [0, 1] for two-colour textures."""
    if style == 'noise':
        return (_noise(size, rng, rng.uniform(0.5, 3) * size / 128) + 1) / 2
    yy, xx = np.mgrid[:size, :size].astype(np.float32) / size
    theta = rng.uniform(0, np.pi)
    freq = rng.uniform(4, 14)
    stripes = np.sin(2 * np.pi * freq * (xx * np.cos(theta) +
                                         yy * np.sin(theta))) > 0
    if style == 'stripes':
        return stripes.astype(np.float32)
    other = np.sin(2 * np.pi * freq * (xx * np.sin(theta) -
                                       yy * np.cos(theta))) > 0
    return (stripes ^ other).astype(np.float32)  # checks


def _two_colour(size, rng, style, first=None) -> np.ndarray:
    a = _random_colour(rng) if first is None else first
    b = np.clip(a * rng.uniform(0.4, 0.8) + _random_colour(rng, 0, 60), 0,
                255)
    p = _pattern(size, rng, style)[..., None]
    return a * p + b * (1 - p)


def _shading(size, rng, low=0.65, high=1.2) -> np.ndarray:
    """A linear light gradient (a lit side and a dark side) as a factor."""
    yy, xx = np.mgrid[:size, :size].astype(np.float32) / size - 0.5
    theta = rng.uniform(0, 2 * np.pi)
    ramp = xx * np.cos(theta) + yy * np.sin(theta) + 0.5
    lo, hi = sorted(rng.uniform(low, high, 2))
    return (lo + (hi - lo) * ramp)[..., None]


def _image_patch(source, size, rng) -> np.ndarray:
    """A rotated, rescaled patch of ``source`` (another image) covering the
    frame."""
    h, w = source.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), rng.uniform(0, 360),
                                rng.uniform(1.0, 2.5) * size / min(h, w))
    m[:, 2] += (size - w) / 2, (size - h) / 2
    return cv2.warpAffine(source, m, (size, size),
                          borderMode=cv2.BORDER_REFLECT).astype(np.float32)


def clear_glasses_look(cover: np.ndarray, rng: np.random.Generator):
    """(colour, opacity map) of everyday glasses: an opaque frame along the
    edge of ``cover`` (and its bridge and temples), faint lenses inside."""
    size = cover.shape[0]
    t = max(1, int(round(rng.uniform(1.2, 3.0) * size / 128)))
    k = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * t + 1, 2 * t + 1))
    lens = cv2.erode(cover, k)
    frame = np.clip(cover - lens, 0, 1)
    frame_colour = _jitter(FRAME_COLOURS[rng.integers(len(FRAME_COLOURS))],
                           rng, 15)
    glint = np.clip(_noise(size, rng, size / 12), 0, 1)[..., None]
    lens_colour = _random_colour(rng, 150, 255) + 80 * glint
    share = (frame / (frame + lens + 1e-6))[..., None]
    fill = frame_colour * share + lens_colour * (1 - share)
    opacity = frame * rng.uniform(0.8, 1.0) + lens * rng.uniform(0.04, 0.3)
    return fill, opacity.astype(np.float32)


def occluder_look(kind: str, face: np.ndarray, rng: np.random.Generator,
                  texture_source: Optional[np.ndarray] = None,
                  cover: Optional[np.ndarray] = None):
    """(colour image float32 (H, W, 3), opacity: a number or an (H, W)
    map) of one kind on ``face``; ``cover`` (the shape) for kinds whose look
    follows it (clear glasses)."""
    size = face.shape[0]
    flat = np.ones((size, size, 1), np.float32)
    opacity = 1.0
    if kind == 'clear_glasses':
        fill, opacity = clear_glasses_look(cover, rng)
    elif kind == 'sunglasses':
        fill = flat * _random_colour(rng, 8, 45)
        highlight = np.clip(_noise(size, rng, size / 16), 0, 1)[..., None]
        fill = fill + 60 * highlight * rng.uniform(0, 1)
    elif kind == 'tinted_glasses':
        fill = flat * _random_colour(rng, 30, 170)
        opacity = rng.uniform(0.75, 0.95)
    elif kind == 'surgical_mask':
        colour = _jitter(SURGICAL_COLOURS[rng.integers(len(
            SURGICAL_COLOURS))], rng, 12)
        yy = np.arange(size, dtype=np.float32)[:, None, None] / size
        pleats = 1 - 0.12 * (np.sin(2 * np.pi * rng.uniform(6, 10) * yy) > 0.6)
        fill = flat * colour * pleats
    elif kind in ('cloth_mask', 'scarf', 'hat'):
        style = ('flat', 'noise', 'stripes', 'checks')[rng.integers(4)]
        fill = flat * _random_colour(rng) if style == 'flat' else \
            _two_colour(size, rng, style)
    elif kind in ('hand', 'fingers'):
        tone = face_skin_colour(face) if rng.random() < 0.5 else \
            np.asarray(SKIN_TONES[rng.integers(len(SKIN_TONES))], np.float32)
        fill = flat * _jitter(tone, rng, 12) * rng.uniform(0.85, 1.15)
    elif kind == 'hair':
        colour = _jitter(HAIR_COLOURS[rng.integers(len(HAIR_COLOURS))], rng)
        fill = flat * colour * (1 + 0.15 * _noise(size, rng, 0.7)[..., None])
    elif kind == 'object':
        fill = flat * _random_colour(rng)
    elif kind == 'texture':
        fill = _image_patch(texture_source, size, rng) if (
            texture_source is not None and rng.random() < 0.5) else \
            _two_colour(size, rng, ('noise', 'stripes', 'checks')[
                rng.integers(3)])
    else:
        raise ValueError(f'unknown occluder kind {kind!r}; one of '
                         f'{OCCLUDER_KINDS}')
    return np.clip(fill * _shading(size, rng), 0, 255), opacity


def paste_occluder(face: np.ndarray, kind: str, rng: np.random.Generator,
                   texture_source: Optional[np.ndarray] = None,
                   edge_sigma=(0.3, 1.0), shadow_strength=(0.0, 0.45),
                   tries: int = 10) -> PastedOccluder:
    """Paste one occluder of ``kind`` on an aligned face.

    Args:
        face (np.ndarray): ``(H, W, 3)`` uint8 aligned face (BGR), H = W.
        kind (str): One of ``OCCLUDER_KINDS``.
        rng (np.random.Generator): Draws everything (seeded: reproducible).
        texture_source (np.ndarray, optional): An image whose patches the
            'texture' kind may use. Default: None (procedural only).
        edge_sigma (tuple): Range of the edge blur, template pixels.
        shadow_strength (tuple): Range of the shadow's darkening.
        tries (int): Redraws of a shape that hides nothing (off the frame).

    Returns:
        PastedOccluder: never with an empty mask.
    """
    if face.ndim != 3 or face.shape[0] != face.shape[1] or face.dtype != \
            np.uint8:
        raise ValueError(f'paste_occluder needs a square HxWx3 uint8 face, '
                         f'got {face.shape} {face.dtype}')
    if kind not in OCCLUDER_SHAPES:
        raise ValueError(f'unknown occluder kind {kind!r}; one of '
                         f'{OCCLUDER_KINDS}')
    size = face.shape[0]
    for _ in range(tries):
        cover = OCCLUDER_SHAPES[kind](size, rng)
        fill, opacity = occluder_look(kind, face, rng, texture_source, cover)
        sigma = rng.uniform(*edge_sigma) * size / 128
        solid = cover * opacity  # what blocks the light
        alpha = cv2.GaussianBlur(solid, (0, 0), sigma)
        mask = (cv2.GaussianBlur(cover, (0, 0), sigma)
                if kind in LABELLED_WHOLE else alpha) >= 0.5
        if mask.any():
            break
    else:
        raise RuntimeError(f'{kind}: {tries} shapes hid nothing of a '
                           f'{size}x{size} face')
    # the shadow: the shape moved a few pixels (nothing wraps round the
    # frame), blurred
    dx, dy = rng.uniform(-5, 5, 2) * size / 128
    moved = cv2.warpAffine(solid, np.float32([[1, 0, dx], [0, 1, dy]]),
                           (size, size), borderMode=cv2.BORDER_CONSTANT,
                           borderValue=0)
    shadow = cv2.GaussianBlur(moved, (0, 0), 3 * size / 128) * \
        rng.uniform(*shadow_strength)
    out = face.astype(np.float32) * (1 - shadow[..., None])
    out = out * (1 - alpha[..., None]) + fill * alpha[..., None]
    return PastedOccluder(np.clip(np.round(out), 0, 255).astype(np.uint8),
                          mask, alpha.astype(np.float32),
                          shadow.astype(np.float32), kind)


def random_occluder(face: np.ndarray, rng: np.random.Generator,
                    kinds: Sequence[str] = OCCLUDER_KINDS,
                    weights: Optional[Sequence[float]] = None,
                    texture_source: Optional[np.ndarray] = None
                    ) -> PastedOccluder:
    """``paste_occluder`` with a kind drawn from ``kinds`` (by ``weights``,
    uniform by default)."""
    p = None if weights is None else np.asarray(weights, float) / sum(weights)
    kind = kinds[rng.choice(len(kinds), p=p)]
    return paste_occluder(face, kind, rng, texture_source)
