"""FCSR-GAN's inferencer in mmagic's shape (preprocess -> forward ->
visualize -> postprocess) around ``restore_faces``.

    from fcsr_mm.apis.inferencer import FaceRestorationInferencer
    inferencer = FaceRestorationInferencer(
        'configs/fcsr_gan/fcsr-gan_stage2_1xb16-200k_celeba-128x128.py',
        'iter_200000.pth')
    out = inferencer(['face.png', 'faces_dir'], occlusion='O3',
                     result_out_dir='restored/')    # folders: their images
    out['predictions'][0]['pred_img']       # 128x128x3 uint8 BGR

Built on mmengine's ``BaseInferencer``, as mmagic's own are: importing
mmagic 1.2.0's ``BaseMMagicInferencer`` imports its whole inferencers
package, which needs ``controlnet_aux`` (not a dependency here).
"""
import os.path as osp
from typing import Dict, Iterator, List, Optional, Sequence, Union

import numpy as np
from mmengine.infer import BaseInferencer

from fcsr_mm.data.io import write_new_image
from fcsr_mm.datasets.occlusions import Occlusion
from .inference_model import init_restorer
from .restore import expand_faces, restore_faces

Result = Dict[str, np.ndarray]


class FaceRestorationInferencer(BaseInferencer):
    """Complete and super-resolve aligned faces (paths, folders or HxWx3
    uint8 BGR arrays; 32x32, or 128x128 which are downscaled) with an
    FCSR-GAN or any restorer config of the same interface.

    The model comes from ``init_restorer`` (strict loading, no training
    losses; mmengine's default loads non-strictly), and the faces go through
    the config's own test pipeline (``restore_faces``).

    Args:
        model (str): A restorer config.
        weights (str, optional): Its checkpoint, or an ONNX export.
        device (str): Default: 'cpu'.
        precision (str, optional): 'auto', 'fp32' or 'bf16'. Default: None
            (the config's).
        allow_other_config (bool): As in ``init_restorer``. Default: False.
        show_progress (bool): A progress bar over the batches. Default: True.
    """

    preprocess_kwargs = {'occlusion', 'fill', 'seed'}
    visualize_kwargs = {'result_out_dir'}

    def __init__(self, model: str, weights: Optional[str] = None,
                 device: str = 'cpu', precision: Optional[str] = None,
                 allow_other_config: bool = False,
                 show_progress: bool = True):
        self._build_args = dict(precision=precision,
                                allow_other_config=allow_other_config)
        super().__init__(model, weights, device, scope='mmagic',
                         show_progress=show_progress)

    def _inputs_to_list(self, inputs) -> list:
        """One face, or a list; folders become their images."""
        items = list(inputs) if isinstance(inputs, (list, tuple)) \
            else [inputs]
        return expand_faces(items)

    def _init_model(self, cfg, weights, device):
        return init_restorer(cfg, weights, device=str(device),
                             **self._build_args)

    def _init_pipeline(self, cfg):
        return None  # restore_faces runs the config's test pipeline

    def _init_visualizer(self, cfg):
        return None  # ``visualize`` writes the results as images

    def preprocess(self, inputs: list, batch_size: int = 1,
                   occlusion: Union[Occlusion, List[Occlusion]] = 'O3',
                   fill: Optional[str] = None,
                   seed: Optional[int] = None) -> Iterator[Dict]:
        """Chunks of ``batch_size`` faces with their occlusions (one for
        all, or a list with one per face) and the fill."""
        if isinstance(occlusion, list):
            if len(occlusion) != len(inputs):
                raise ValueError(f'{len(occlusion)} occlusions for '
                                 f'{len(inputs)} faces; give one for all or '
                                 'one per face')
            occlusions = occlusion
        else:
            occlusions = [occlusion] * len(inputs)
        for i in range(0, len(inputs), batch_size):
            yield dict(faces=inputs[i:i + batch_size],
                       occlusion=occlusions[i:i + batch_size],
                       fill=fill, seed=seed)

    def forward(self, inputs: Dict, **kwargs) -> List[Result]:
        return restore_faces(self.model, inputs['faces'], inputs['occlusion'],
                             fill=inputs['fill'], seed=inputs['seed'],
                             batch_size=len(inputs['faces']))

    def visualize(self, inputs: Sequence, preds: List[Result],
                  result_out_dir: Optional[str] = None) -> List[np.ndarray]:
        """The 128x128 results; with ``result_out_dir``, also written there
        as ``<face name>.png`` (``<index>.png`` for arrays), never replacing
        a file."""
        images = [p['pred_img'] for p in preds]
        if result_out_dir:
            for i, (face, img) in enumerate(zip(inputs, images)):
                name = osp.splitext(osp.basename(face))[0] \
                    if isinstance(face, str) else str(i)
                write_new_image(osp.join(result_out_dir, f'{name}.png'), img)
        return images

    def postprocess(self, preds: List[Result],
                    visualization: Optional[List[np.ndarray]] = None,
                    return_datasample: bool = False, **kwargs) -> Dict:
        """``predictions``: per face ``input``, ``pred_img`` and, where the
        model has one, ``pred_lr`` (HxWx3 uint8 BGR); ``visualization``:
        the 128x128 results."""
        return dict(predictions=preds, visualization=visualization)
