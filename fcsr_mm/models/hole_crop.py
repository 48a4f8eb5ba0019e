"""Crops around the hole for the local discriminators.

Ours, not mmagic's ``extract_around_bbox``: that one leaves the image at the
bottom and right borders (a 16 px crop around an 8x8 hole at (24, 24) of a
32 px face comes back 12x12) and asserts that the crop is at least the hole
(the occlusion mix has 16x32 holes under the 16 px local crop).
"""
import math

import torch


def hole_centres(mask: torch.Tensor) -> torch.Tensor:
    """(N, 2) centre (y, x) of the bounding box of each mask's hole.

    Args:
        mask (Tensor): (N, 1, H, W), 1 = hole.
    """
    if mask.dim() != 4:
        raise ValueError(f'mask must be (N, 1, H, W), got {tuple(mask.shape)}')
    centres = []
    for m in mask[:, 0] > 0.5:
        ys, xs = m.any(1).nonzero(), m.any(0).nonzero()
        if len(ys) == 0:
            raise ValueError('a mask has no hole (all zeros); every input '
                             'needs an occlusion for the local discriminator')
        centres.append(torch.stack([(ys.min() + ys.max() + 1) / 2,
                                    (xs.min() + xs.max() + 1) / 2]).flatten())
    return torch.stack(centres).float()


def _corner(centre: float, size: int, scale: float, side: int) -> int:
    """First row (or column) of a ``size`` crop around ``centre`` (in mask
    pixels) of an image ``scale`` times the mask: placed on the mask's pixel
    grid (halves round up), then scaled and kept inside ``side``."""
    on_grid = math.floor(centre - size / scale / 2 + 0.5)
    return int(min(max(on_grid * scale, 0), side - size))


def crop_around(img: torch.Tensor, centres: torch.Tensor, size: int,
                scale: float = 1.0) -> torch.Tensor:
    """``size`` x ``size`` crops of ``img`` centred on ``centres`` (mask
    pixels; ``img`` is ``scale`` times the mask), shifted to stay inside the
    image. The corner lies on the mask's grid, so a 64 px crop of the 4x
    image covers exactly the mask pixels of the 16 px crop of the 1x one,
    also when the hole has an odd side (a half-pixel centre).

    Args:
        img (Tensor): (N, C, H, W).
        centres (Tensor): (N, 2) from ``hole_centres``.
        size (int): Crop side in ``img`` pixels.
        scale (float): ``img`` size / mask size. Default: 1.0.
    """
    h, w = img.shape[-2:]
    if size > min(h, w):
        raise ValueError(f'crop {size} is larger than the image {h}x{w}')
    crops = []
    for im, (cy, cx) in zip(img, centres.tolist()):
        top, left = _corner(cy, size, scale, h), _corner(cx, size, scale, w)
        crops.append(im[:, top:top + size, left:left + size])
    return torch.stack(crops)
