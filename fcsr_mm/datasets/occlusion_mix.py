"""A training mix of occlusions that covers Table I: blocks of many sizes and
aspects, the six face-part templates with jitter, and free-form strokes.

``OccludeFace(occlusion='mix', mix=dict(block=dict(weight=0.4), ...))`` draws
one kind per face by its weight, then a hole of that kind: 'block' (any size
and aspect), 'square' (the paper's 16x16 block), 'template', 'strokes',
'occluder' (the shape of a synthetic occluder: sunglasses, a mask, a hand...,
as ``--occlusion auto`` finds them; ``fcsr_mm.data.occluder_shapes``).
"""
from typing import Optional, Tuple

import numpy as np
from mmagic.utils import brush_stroke_mask

from fcsr_mm.data.face_template import fixed_occlusions
from fcsr_mm.data.occluder_shapes import (OCCLUDER_SHAPES, SHAPE_KINDS,
                                           grow_mask)

TEMPLATES = ('O1', 'O2', 'O3', 'O4', 'O5', 'O6')
# defaults of each kind at a 32x32 face (sizes scale with the face)
KIND_DEFAULTS = dict(
    # sides from min_side up to the face; area at most max_area of the face
    block=dict(min_side=8, max_area=0.5),
    # the paper's training block: a square of `side` (at 32 px) anywhere
    square=dict(side=16),
    # the templates' boxes shifted and resized by up to `jitter` pixels
    template=dict(names=TEMPLATES, jitter=2),
    # mmagic's free-form brush strokes (Yu et al., ICCV 2019), thin at 32 px;
    # drawn again while they cover less than min_area or more than max_area
    strokes=dict(num_vertices=(4, 10), brush_width=(2, 5), max_loops=4,
                 min_area=0.03, max_area=0.5),
    # an occluder's shape, grown by `grow` pixels (the margin of `auto`)
    occluder=dict(names=SHAPE_KINDS, grow=1),
)
MAX_TRIES = 100


class OcclusionMix:
    """Draws holes from weighted kinds ('block', 'template', 'strokes').

    Args:
        **kinds (dict): Per kind, ``weight`` (> 0; kinds left out are not
            drawn) and any of its settings in ``KIND_DEFAULTS``, e.g.
            ``block=dict(weight=0.4, min_side=8)``.
    """

    def __init__(self, **kinds):
        if not kinds:
            raise ValueError('OcclusionMix: give at least one kind of '
                             f'{sorted(KIND_DEFAULTS)} with a weight')
        self.kinds, weights = {}, []
        for name, cfg in kinds.items():
            if name not in KIND_DEFAULTS:
                raise ValueError(f'OcclusionMix: unknown kind {name!r}; use '
                                 f'{sorted(KIND_DEFAULTS)}')
            cfg = dict(cfg)
            weight = cfg.pop('weight', None)
            if not isinstance(weight, (int, float)) or weight <= 0:
                raise ValueError(f'OcclusionMix: {name} needs a weight > 0, '
                                 f'got {weight!r}')
            unknown = set(cfg) - set(KIND_DEFAULTS[name])
            if unknown:
                raise ValueError(f'OcclusionMix: {name} has no setting '
                                 f'{sorted(unknown)}; it takes '
                                 f'{sorted(KIND_DEFAULTS[name])}')
            self.kinds[name] = dict(KIND_DEFAULTS[name], **cfg)
            weights.append(float(weight))
        for kind, known in (('template', TEMPLATES),
                            ('occluder', tuple(OCCLUDER_SHAPES))):
            bad = set(self.kinds.get(kind, {}).get('names', ())) - set(known)
            if bad:
                raise ValueError(f'OcclusionMix: {kind} names {sorted(bad)} '
                                 f'are not among {sorted(set(known))}')
        self.names = list(self.kinds)
        self.weights = np.asarray(weights) / sum(weights)

    def draw(self, rng: np.random.Generator,
             size: int) -> Tuple[np.ndarray, str]:
        """A hole (``size`` x ``size`` bool, True = hidden, never empty and
        never the whole face) and its label ('block', 'O3', 'strokes')."""
        kind = self.names[rng.choice(len(self.names), p=self.weights)]
        return getattr(self, '_' + kind)(rng, size, **self.kinds[kind])

    @staticmethod
    def _block(rng, size, min_side, max_area):
        limit = max_area * size * size
        for _ in range(MAX_TRIES):
            h, w = (int(v) for v in rng.integers(min_side, size + 1, 2))
            if h * w <= limit and h * w < size * size:
                break
        else:
            h = w = min_side
        top, left = rng.integers(0, size - h + 1), rng.integers(0, size - w
                                                                + 1)
        return _box_hole(size, top, left, h, w), 'block'

    @staticmethod
    def _square(rng, size, side):
        side = max(1, min(int(round(side * size / 32)), size - 1))
        top, left = rng.integers(0, size - side + 1, 2)
        return _box_hole(size, top, left, side, side), 'square'

    @staticmethod
    def _template(rng, size, names, jitter):
        name = names[rng.integers(len(names))]
        top, left, h, w = fixed_occlusions(size)[name]
        dt, dl, dh, dw = rng.integers(-jitter, jitter + 1, 4)
        h, w = (int(np.clip(v, 2, size)) for v in (h + dh, w + dw))
        top = int(np.clip(top + dt, 0, size - h))
        left = int(np.clip(left + dl, 0, size - w))
        return _box_hole(size, top, left, h, w), name

    @staticmethod
    def _strokes(rng, size, num_vertices, brush_width, max_loops, min_area,
                 max_area):
        # mmagic's generator draws from numpy's global state: seed it from
        # our generator and put the global state back
        state = np.random.get_state()
        try:
            for _ in range(MAX_TRIES):
                np.random.seed(int(rng.integers(2**31)))
                hole = brush_stroke_mask(
                    (size, size), num_vertices=tuple(num_vertices),
                    brush_width=tuple(brush_width),
                    max_loops=max_loops)[..., 0] > 0
                if min_area <= hole.mean() <= max_area and not hole.all():
                    return hole, 'strokes'
        finally:
            np.random.set_state(state)
        raise RuntimeError(f'OcclusionMix: no stroke mask within '
                           f'{min_area}..{max_area} of the face in '
                           f'{MAX_TRIES} tries; widen the range')


    @staticmethod
    def _occluder(rng, size, names, grow):
        name = names[rng.integers(len(names))]
        for _ in range(MAX_TRIES):
            hole = grow_mask(OCCLUDER_SHAPES[name](size, rng) >= 0.5, grow)
            if hole.any() and not hole.all():
                return hole, name
        raise RuntimeError(f'OcclusionMix: {MAX_TRIES} {name} shapes hid '
                           f'nothing of a {size}x{size} face')


def _box_hole(size: int, top, left, h, w) -> np.ndarray:
    hole = np.zeros((size, size), bool)
    hole[int(top):int(top) + int(h), int(left):int(left) + int(w)] = True
    return hole


def build_mix(mix: Optional[dict]) -> Optional[OcclusionMix]:
    """``OcclusionMix(**mix)``, or None without a mix."""
    return None if mix is None else OcclusionMix(**mix)
