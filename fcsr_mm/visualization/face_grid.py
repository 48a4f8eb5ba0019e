"""Result grids: occluded input, completed 32x32, 128x128 result, truth."""
import torch
import torch.nn.functional as F
from mmagic.registry import VISUALIZERS
from mmagic.visualization import ConcatImageVisualizer


@VISUALIZERS.register_module()
class FaceGridVisualizer(ConcatImageVisualizer):
    """``ConcatImageVisualizer`` that enlarges (nearest neighbour) the 32x32
    images to the 128x128 ones instead of padding them.

    Args: see ``ConcatImageVisualizer`` (``fn_key``, ``img_keys``, ...).
    """

    def add_datasample(self, data_sample, step=0) -> None:
        sample = data_sample.clone()
        holders = [sample] + ([sample.output] if 'output' in sample else [])
        images = {(h, k): h.get(k) for h in holders for k in self.img_keys
                  if isinstance(h.get(k), torch.Tensor)}
        height = max((v.shape[-2] for v in images.values()), default=0)
        for (holder, key), img in images.items():
            if img.dim() == 3 and img.shape[-2] < height:
                up = F.interpolate(img[None].float(), size=(
                    height, img.shape[-1] * height // img.shape[-2]),
                                   mode='nearest')[0]
                holder.set_data({key: up})
        return super().add_datasample(sample, step)
