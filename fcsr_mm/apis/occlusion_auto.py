"""``occlusion='auto'``: the occlusion segmenter that finds what hides a
face, with the project's trained one as the default.

    from fcsr_mm.apis import init_occlusion_segmenter, restore_faces
    out = restore_faces(model, faces, 'auto',
                        segmenter=init_occlusion_segmenter())
"""
from typing import Optional

from fcsr_mm.parsing.occlusion_segmenter import OcclusionSegmenter
from .shipped import SEGMENTER_CHECKPOINT, SEGMENTER_CONFIG, find_in_repo


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
    return OcclusionSegmenter(find_in_repo(config or SEGMENTER_CONFIG),
                              find_in_repo(checkpoint or SEGMENTER_CHECKPOINT),
                              margin=margin, device=device, **kwargs)
