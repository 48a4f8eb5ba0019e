"""Training-free baselines on the same inputs and metrics as FCSRGAN."""
from typing import Optional

import cv2
import numpy as np
import torch
from mmengine.model import initialize
from mmagic.registry import MODELS

from fcsr_mm.utils.tensor_image import tensor_to_image
from .face_restorer import FaceRestorer
from .fcsr_generator import set_sr_upsampler
from .step_checkpoint import load_step_checkpoint
from .value_range import ValueRange


@MODELS.register_module()
class FaceBaseline(FaceRestorer):
    """Restore the occluded 32x32 face without the joint model.

    ``bicubic``: bicubic 4x upsampling of the occluded input.
    ``telea``: OpenCV's Telea inpainting of the hole at 32 px, then bicubic.
    With ``sr``, a trained SR network replaces bicubic: a completion-then-SR
    sequence (the paper's Fig. 9 compares such sequences), which shows what
    the joint completion module adds.

    Args:
        method (str): 'bicubic' or 'telea'. Default: 'bicubic'.
        scale (int): Upsampling factor. Default: 4.
        inpaint_radius (int): Telea's radius in pixels. Default: 3.
        sr (dict, optional): Config of an SR network, e.g. the SR module of
            an FCSR-GAN config (``MSRResNet``). Default: None (bicubic).
        sr_init_cfg (dict, optional): mmengine init config applied to ``sr``
            when the baseline is built, e.g. ``dict(type='Pretrained',
            checkpoint=..., prefix='generator.sr.')`` for the SR module of an
            FCSR-GAN checkpoint (test runs never call ``init_weights``, and
            ``MSRResNet`` takes no ``init_cfg``). A ``Pretrained`` one loads
            strictly (mmengine's would leave layers of another shape
            random): weights that do not fit ``sr`` are refused naming the
            file. Default: None.
        sr_upsampler (str): The upsampling ``sr`` adds its residual to, as
            in ``FCSRGenerator``. Default: 'bilinear'.
        data_preprocessor (dict, optional): mmagic ``DataPreprocessor``; the
            SR network works in its value range and channel order.
    """

    needs_checkpoint = False  # training-free, or sr_init_cfg loads the SR

    def __init__(self, method: str = 'bicubic', scale: int = 4,
                 inpaint_radius: int = 3, sr: Optional[dict] = None,
                 sr_upsampler: str = 'bilinear',
                 sr_init_cfg: Optional[dict] = None,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None):
        super().__init__(init_cfg=init_cfg,
                         data_preprocessor=data_preprocessor)
        if method not in ('bicubic', 'telea'):
            raise ValueError(f"method must be 'bicubic' or 'telea', got "
                             f'{method!r}')
        self.method, self.scale, self.radius = method, scale, inpaint_radius
        self.sr = None
        if sr is not None:
            self.sr = MODELS.build(sr)
            set_sr_upsampler(self.sr, sr_upsampler, type(self).__name__)
            if sr_init_cfg and sr_init_cfg.get('type') == 'Pretrained':
                load_step_checkpoint(self.sr, sr_init_cfg['checkpoint'],
                                     'FaceBaseline.sr',
                                     sr_init_cfg.get('prefix') or '')
            elif sr_init_cfg:
                initialize(self.sr, sr_init_cfg)
            self.sr.requires_grad_(False)

    def _learned_sr(self, lr_faces: torch.Tensor) -> torch.Tensor:
        """0..255 BGR (N, 3, H, W) -> 0..255 BGR (N, 3, 4H, 4W) through the
        SR network, in the data preprocessor's value range and order."""
        vr = ValueRange.of(self.data_preprocessor)
        self.sr.eval()
        with torch.no_grad():
            out = self.sr(vr.from_pixels(lr_faces, 'bgr'))
        # fp32 results, also from an SR module run in bf16 autocast
        return vr.to_pixels(out.float(), 'bgr').clamp(0, 255)

    def _restore(self, img: np.ndarray, hole: np.ndarray):
        """(filled 32x32 face, upsampled face), uint8 BGR."""
        if self.method == 'telea':
            img = cv2.inpaint(img, hole, self.radius, cv2.INPAINT_TELEA)
        if self.sr is not None:  # the SR module upsamples the batch
            return img, None
        h, w = img.shape[:2]
        return img, cv2.resize(img, (w * self.scale, h * self.scale),
                               interpolation=cv2.INTER_CUBIC)

    train_refusal = 'FaceBaseline is training-free: use tools/test.py'

    def restore(self, inputs, data_samples):
        """(the filled 32x32 faces, the 128x128 results), 0..255 BGR."""
        imgs = self.data_preprocessor.destruct(inputs, data_samples)
        imgs = tensor_to_image(imgs)
        holes = (data_samples.mask_lr[:, 0] > 0.5).byte().cpu().numpy()
        pairs = [self._restore(np.ascontiguousarray(i), h)
                 for i, h in zip(imgs, holes)]
        lr, hr = [
            None if p[0] is None else
            torch.from_numpy(np.stack(p)).permute(0, 3, 1, 2).float()
            for p in zip(*pairs)
        ]
        return lr, (hr if self.sr is None else self._learned_sr(lr))
