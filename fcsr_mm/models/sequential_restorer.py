"""mmagic restorers run one after another on the occluded 32x32 face.

FCSR-GAN's claim (the paper's Fig. 9) is that joint completion and SR beats
the two done in sequence. This model is the sequence, built from mmagic's
own inpainters and SR networks as they are: complete the 32x32 face, then
super-resolve it; or super-resolve the occluded face, then complete it at
128x128 inside the 4x hole. mmagic has no such composite.
"""
import os.path as osp
from typing import List, Optional

import torch
import torch.nn.functional as F
from mmengine.config import Config
from mmengine.model import ModuleList
from mmagic.registry import MODELS

from .face_restorer import FaceRestorer
from .step_checkpoint import load_step_checkpoint
from .value_range import ValueRange

ROLES = ('inpaint', 'sr')


class _Mask:
    """What an mmagic inpainter's ``forward_tensor`` reads from its data
    samples: the stacked hole mask (N, 1, H, W), 1 = hole."""

    def __init__(self, mask: torch.Tensor):
        self.mask = mask


def step_model_cfg(step: dict, index: int) -> dict:
    """A step's ``model``, or the ``model`` of its ``config`` file."""
    if ('model' in step) == ('config' in step):
        raise ValueError(f'SequentialRestorer: step {index} needs either '
                         'model=<model config> or config=<config file>')
    if 'model' in step:
        return step['model']
    if not osp.isfile(step['config']):
        raise FileNotFoundError(f'SequentialRestorer: step {index} config '
                                f'{step["config"]!r} not found')
    return Config.fromfile(step['config']).model


@MODELS.register_module()
class SequentialRestorer(FaceRestorer):
    """mmagic restorers in sequence: inpainter and SR network, either order,
    or one SR network alone (it ignores the hole).

    Images travel between steps as 0..255 BGR; each step gets them in its
    own data preprocessor's value range and channel order. An ``inpaint``
    step sees the hole mask at its input size (the 32 px mask, or the same
    scaled 4x by nearest neighbour after an SR step) with the hole filled
    with ``hole_value``, as mmagic's ``GetMaskedImage`` does for training;
    its output keeps the known pixels. An ``sr`` step gets the image as it
    is (``hole_value`` may fill the hole first).

    Args:
        steps (list[dict]): In order, each ``dict(role='inpaint' | 'sr',
            model=<mmagic model config> or config=<its training config
            file>, checkpoint=<file or None>, hole_value=<0..255 or
            None>)``. ``model`` is an mmagic editor config (e.g.
            ``GLInpaintor``, ``BaseEditModel`` with an ``MSRResNet``), with
            its ``data_preprocessor``; ``config`` takes the ``model`` of
            the file the step was trained with. ``checkpoint``
            must fit the model exactly (a checkpoint of another config is
            refused). ``hole_value`` defaults to 127.5 for ``inpaint`` and
            None (keep the input's fill) for ``sr``.
        data_preprocessor (dict, optional): Preprocessor of the benchmark's
            inputs (undone to 0..255 before the first step).
        init_cfg (dict, optional): Unused; steps load their checkpoints.
    """

    needs_checkpoint = False  # each step names its own checkpoint
    train_refusal = ('SequentialRestorer runs trained restorers: train each '
                     'step with its own config (configs/peers/) and give its '
                     'checkpoint')

    def __init__(self, steps: List[dict],
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None):
        super().__init__(init_cfg=init_cfg,
                         data_preprocessor=data_preprocessor)
        if not steps or len(steps) > 2:
            raise ValueError(f'SequentialRestorer: steps must list one or two '
                             f'restorers, got {len(steps or [])}')
        self.roles, self.hole_values = [], []
        self.steps = ModuleList()
        for i, step in enumerate(steps):
            role = step.get('role')
            if role not in ROLES:
                raise ValueError(f'SequentialRestorer: step {i} needs role '
                                 f"'inpaint' or 'sr', got {role!r}")
            model = MODELS.build(step_model_cfg(step, i))
            if step.get('checkpoint'):
                load_step_checkpoint(model, step['checkpoint'],
                                     f'step {i} ({role})')
            self.roles.append(role)
            self.hole_values.append(
                step.get('hole_value', 127.5 if role == 'inpaint' else None))
            self.steps.append(model.requires_grad_(False).eval())

    def train(self, mode: bool = True):
        """The steps are trained with their own configs; they stay in eval
        mode here (BN statistics, dropout)."""
        super().train(mode)
        self.steps.eval()
        return self

    @staticmethod
    def _fill(img: torch.Tensor, hole: torch.Tensor, value) -> torch.Tensor:
        return img if value is None else img * (1 - hole) + value * hole

    def _run_step(self, i: int, img: torch.Tensor,
                  mask_lr: torch.Tensor) -> torch.Tensor:
        """0..255 BGR in -> 0..255 BGR out through step ``i``."""
        model = self.steps[i]
        hole = F.interpolate(mask_lr, size=img.shape[-2:], mode='nearest')
        vr = ValueRange.of(model.data_preprocessor)
        x = vr.from_pixels(self._fill(img, hole, self.hole_values[i]), 'bgr')
        if self.roles[i] == 'inpaint':
            # mmagic inpainters return (raw result, result with known pixels)
            out = model.forward_tensor(x, _Mask(hole))[-1]
        else:
            out = model.forward_tensor(x)
        # fp32 between the steps, also from a step run in bf16 autocast
        return vr.to_pixels(out.float(), 'bgr').clamp(0, 255)

    def restore(self, inputs, data_samples):
        """(32x32 result or None, final result), 0..255 BGR."""
        img = self.data_preprocessor.destruct(inputs, data_samples)
        mask_lr = data_samples.mask_lr.float()
        pred_lr = None
        for i in range(len(self.steps)):
            img = self._run_step(i, img, mask_lr)
            if img.shape[-2:] == mask_lr.shape[-2:]:
                pred_lr = img  # the completed input-size face
        return pred_lr, img

    def forward_inference(self, inputs, data_samples=None, **kwargs):
        out = super().forward_inference(inputs, data_samples)
        pred, gt = out.pred_img, getattr(data_samples, 'gt_img', None)
        if gt is not None and pred.shape[-2:] != gt.shape[-2:]:
            raise ValueError(
                f'SequentialRestorer ({" -> ".join(self.roles)}) returns '
                f'{tuple(pred.shape[-2:])} images for {tuple(gt.shape[-2:])} '
                'ground truth: check the SR step\'s upscale factor and the '
                'step order')
        return out
