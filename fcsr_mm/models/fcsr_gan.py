"""FCSRGAN: the model, with its staged training schedule from config."""
from typing import Dict, List, Optional

import torch
import torch.nn as nn
from mmengine.logging import MessageHub
from mmengine.model import is_model_wrapper
from mmengine.optim import OptimWrapperDict
from mmagic.models.base_models import BaseEditModel
from mmagic.models.utils import set_requires_grad
from mmagic.registry import MODELS
from mmagic.structures import DataSample

from .discriminators import DiscriminatorGroup
from .hole_crop import crop_around, hole_centres
from .phases import ADV_PREFIX, GENERATOR_MODULES, PIXEL_TERMS, Phase, \
    PhaseSchedule


def _unwrap(module: nn.Module) -> nn.Module:
    return module.module if is_model_wrapper(module) else module


@MODELS.register_module()
class FCSRGAN(BaseEditModel):
    """FCSR-GAN: joint face completion and 4x super-resolution (Cai et al.,
    FG 2019).

    ``train_cfg.phases`` is the schedule, e.g. the paper's stage 1:

    .. code-block:: python

        phases=[
            dict(name='l1', begin=0, train=['completion'],
                 losses=dict(pixel_lr=20.0)),
            dict(name='local_adv', begin=40000, train=['completion'],
                 losses=dict(pixel_lr=20.0, adv_local_lr=0.1),
                 discriminators=['local_lr']),
            dict(name='all', begin=80000, train=['completion'],
                 losses=dict(pixel_lr=20.0, adv_local_lr=0.1,
                             adv_global_lr=0.1, parsing_lr=1.0),
                 discriminators=['local_lr', 'global_lr'])]

    Loss terms: ``pixel_lr`` (32 px), ``pixel``, ``parsing_lr``, ``parsing``,
    ``perceptual`` and ``adv_<discriminator>``. Discriminators whose name
    starts with ``local`` see the crop around the hole (their ``in_size``);
    names ending in ``_lr`` judge the completed 32x32 face, others (``_hr``)
    the 128x128 result.

    Args:
        generator (dict): ``FCSRGenerator`` config.
        losses (dict): Loss modules by key: ``pixel_lr``, ``pixel``, ``gan``,
            ``parsing_lr``, ``parsing``, ``perceptual`` (only those the
            phases use are required).
        discriminators (dict, optional): Discriminators by name. Entries set
            to None (here and in ``losses``) are left out.
        train_cfg (dict, optional): Holds ``phases``. None builds a model
            for inference only (``train_step`` refuses to run).
        test_cfg (dict, optional): Unused. Default: None.
        init_cfg (dict, optional): Default: None.
        data_preprocessor (dict, optional): mmagic ``DataPreprocessor``.
    """

    def __init__(self, generator: dict, losses: dict,
                 discriminators: Optional[dict] = None,
                 train_cfg: Optional[dict] = None,
                 test_cfg: Optional[dict] = None,
                 init_cfg: Optional[dict] = None,
                 data_preprocessor: Optional[dict] = None):
        # BaseEditModel builds a single pixel loss; FCSR-GAN has several.
        super(BaseEditModel, self).__init__(
            init_cfg=init_cfg, data_preprocessor=data_preprocessor)
        self.train_cfg, self.test_cfg = train_cfg or {}, test_cfg
        self.generator = MODELS.build(generator)
        # None entries switch off a base config's module (e.g. stage 1 has
        # no 128 px discriminators).
        self.discriminators = DiscriminatorGroup({
            k: MODELS.build(v)
            for k, v in (discriminators or {}).items() if v is not None})
        self.losses = nn.ModuleDict(
            {k: MODELS.build(v) for k, v in losses.items() if v is not None})
        self.phases = None if train_cfg is None else PhaseSchedule(
            train_cfg.get('phases', []), list(self.losses),
            list(self.discriminators))
        if any(t.startswith(ADV_PREFIX) for p in self.phases or []
               for t in p.losses) and 'gan' not in self.losses:
            raise ValueError('adversarial loss terms need losses.gan '
                             "(e.g. dict(type='GANLoss', gan_type='vanilla'))")

    # ------------------------------------------------------------ inference
    def forward_tensor(self, inputs: torch.Tensor,
                       data_samples: Optional[List[DataSample]] = None,
                       **kwargs) -> torch.Tensor:
        return self.generator(inputs, data_samples.mask_lr)[1]

    def forward_inference(self, inputs: torch.Tensor,
                          data_samples: Optional[List[DataSample]] = None,
                          **kwargs) -> DataSample:
        """The 128x128 result (``pred_img``) and the completed 32x32 face
        (``pred_lr``), both as 0..255 BGR like the ground truth."""
        pred_lr, pred = self.generator(inputs, data_samples.mask_lr)
        destruct = self.data_preprocessor.destruct
        return DataSample(pred_img=destruct(pred, data_samples).cpu(),
                          pred_lr=destruct(pred_lr, data_samples).cpu())

    # ------------------------------------------------------------- training
    @staticmethod
    def current_iter() -> int:
        """The runner's iteration (restored on resume)."""
        return MessageHub.get_current_instance().get_info('iter', 0)

    def train_step(self, data: dict,
                   optim_wrapper: OptimWrapperDict) -> Dict[str, torch.Tensor]:
        if self.phases is None:
            raise RuntimeError('this FCSRGAN was built without train_cfg '
                               '(inference only); give train_cfg.phases to '
                               'train it')
        data = self.data_preprocessor(data, True)
        inputs, samples = data['inputs'], data['data_samples']
        phase = self.phases.at(self.current_iter())
        self._set_trainable(phase)
        g_optim = optim_wrapper['generator']
        with g_optim.optim_context(self.generator):
            pred_lr, pred = self.generator(
                inputs, samples.mask_lr, with_sr=phase.needs_sr,
                freeze_completion='completion' not in phase.train)
        log = {}
        if phase.discriminators:
            log.update(self._disc_step(phase, pred_lr, pred, samples,
                                       optim_wrapper['discriminators']))
        log.update(self._gen_step(phase, pred_lr, pred, samples, g_optim))
        log['phase'] = torch.tensor(
            float(self.phases.phases.index(phase)))
        return log

    def _set_trainable(self, phase: Phase) -> None:
        gen = _unwrap(self.generator)
        for name in GENERATOR_MODULES:
            module, train = getattr(gen, name), name in phase.train
            module.requires_grad_(train)
            module.train(train)  # frozen modules keep their BN statistics

    def _real_fake(self, name: str, pred_lr, pred, samples):
        """Real and fake inputs of discriminator ``name``."""
        lr = name.endswith('_lr')
        real = samples.gt_lr if lr else samples.gt_img
        fake = pred_lr if lr else pred
        if name.startswith('local'):
            size = _unwrap(self.discriminators)[name].in_size
            centres = hole_centres(samples.mask_lr)
            scale = real.shape[-1] / samples.mask_lr.shape[-1]
            real = crop_around(real, centres, size, scale)
            fake = crop_around(fake, centres, size, scale)
        return real, fake

    def _disc_step(self, phase, pred_lr, pred, samples, optim):
        set_requires_grad(self.discriminators, True)
        names, inputs = [], []
        for name in phase.discriminators:
            real, fake = self._real_fake(name, pred_lr, pred, samples)
            names += [(name, 'real', True), (name, 'fake', False)]
            inputs += [(name, real), (name, fake.detach())]
        losses = {}
        with optim.optim_context(self.discriminators):
            # one call: all discriminators run through the DDP wrapper
            outputs = self.discriminators(inputs)
            for (name, kind, target), out in zip(names, outputs):
                losses[f'loss_d_{name}_{kind}'] = self.losses['gan'](
                    out, target, is_disc=True)
            loss, log = self.parse_losses(losses)
        optim.update_params(loss)
        return log

    def _gen_step(self, phase, pred_lr, pred, samples, optim):
        set_requires_grad(self.discriminators, False)
        losses = {}
        with optim.optim_context(self.generator):
            adv = self._adversarial_logits(phase, pred_lr, pred, samples)
            for term, weight in phase.losses.items():
                losses[f'loss_{term}'] = weight * self._loss_term(
                    term, pred_lr, pred, samples, adv)
            loss, log = self.parse_losses(losses)
        optim.update_params(loss)
        return log

    def _adversarial_logits(self, phase, pred_lr, pred, samples) -> dict:
        """Discriminator logits of the fakes for the phase's adversarial
        terms, from one call (see ``_disc_step``)."""
        names = [t[len(ADV_PREFIX):] for t in phase.losses
                 if t.startswith(ADV_PREFIX)]
        if not names:
            return {}
        fakes = [(n, self._real_fake(n, pred_lr, pred, samples)[1])
                 for n in names]
        return dict(zip(names, self.discriminators(fakes)))

    def _loss_term(self, term: str, pred_lr, pred, samples,
                   adv: dict) -> torch.Tensor:
        if term.startswith(ADV_PREFIX):
            return self.losses['gan'](adv[term[len(ADV_PREFIX):]], True,
                                      is_disc=False)
        key, output = PIXEL_TERMS[term]
        lr = output == 'lr'
        x, gt = (pred_lr, samples.gt_lr) if lr else (pred, samples.gt_img)
        if key.startswith('parsing'):
            seg = samples.get('gt_seg_lr' if lr else 'gt_seg')
            return self.losses[key](x, gt, seg)
        return self.losses[key](x, gt)
