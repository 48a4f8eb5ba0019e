"""``occlusion='auto'``: the occlusion segmenter that finds what hides a
face, with the project's trained one as the default.

    from fcsr_mm.apis import init_occlusion_segmenter, restore_faces
    out = restore_faces(model, faces, 'auto',
                        segmenter=init_occlusion_segmenter())
"""
import os.path as osp
from typing import Optional

from fcsr_mm.parsing.occlusion_segmenter import OcclusionSegmenter

SEGMENTER_CONFIG = 'configs/occlusion/segnet_s3c32_1xb16-4k_occluded-faces-32x32.py'
SEGMENTER_CHECKPOINT = 'checkpoints/occlusion_segnet32.pth'
_REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def _find(path: str) -> str:
    """``path`` as given if it exists, else inside the repository (a default
    path works from any folder)."""
    if osp.exists(path) or osp.isabs(path):
        return path
    inside = osp.join(_REPO, path)
    return inside if osp.exists(inside) else path


def init_occlusion_segmenter(config: Optional[str] = None,
                             checkpoint: Optional[str] = None,
                             margin: int = 1, device: str = 'cpu',
                             **kwargs) -> OcclusionSegmenter:
    """The occlusion segmenter of ``config`` with ``checkpoint``.

    Args:
        config (str, optional): Its mmseg config. Default: the project's
            32 px segmenter (``SEGMENTER_CONFIG``).
        checkpoint (str, optional): Its weights. Default: the shipped
            ``SEGMENTER_CHECKPOINT``.
        margin (int): Pixels (at 32 px) the predicted mask grows by.
            Default: 1.
        device (str): Default: 'cpu'.
        **kwargs: More :class:`OcclusionSegmenter` arguments (``min_area``,
            ``threshold``).
    """
    return OcclusionSegmenter(_find(config or SEGMENTER_CONFIG),
                              _find(checkpoint or SEGMENTER_CHECKPOINT),
                              margin=margin, device=device, **kwargs)
