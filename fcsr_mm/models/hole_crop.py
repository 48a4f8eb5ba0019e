"""Crops around the hole for the local discriminators."""
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


def crop_around(img: torch.Tensor, centres: torch.Tensor, size: int,
                scale: float = 1.0) -> torch.Tensor:
    """``size`` x ``size`` crops of ``img`` centred on ``centres * scale``,
    shifted to stay inside the image."""
    h, w = img.shape[-2:]
    if size > min(h, w):
        raise ValueError(f'crop {size} is larger than the image {h}x{w}')
    crops = []
    for im, (cy, cx) in zip(img, centres * scale):
        top = int(min(max(round(float(cy) - size / 2), 0), h - size))
        left = int(min(max(round(float(cx) - size / 2), 0), w - size))
        crops.append(im[:, top:top + size, left:left + size])
    return torch.stack(crops)
