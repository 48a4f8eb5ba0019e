"""FCSRGAN: the model, with its staged training schedule from config."""
from typing import Dict, List, Optional

import torch
import torch.nn as nn
from mmengine.logging import MessageHub
from mmengine.model import ModuleDict, is_model_wrapper
from mmengine.optim import OptimWrapperDict
from mmagic.models.utils import set_requires_grad
from mmagic.registry import MODELS
from mmagic.structures import DataSample

from .discriminators import build_discriminators
from .face_restorer import FaceRestorer
from .finite_guard import FiniteGuard
from .hole_crop import crop_around, hole_centres
from .loss_terms import GAN_LOSS, OUTPUTS, LossTerm, loss_terms
from .phases import GENERATOR_MODULES, Phase, PhaseSchedule
from .state_loading import fit_checkpoint
from .value_range import ValueRange


#: what ``FiniteGuard`` names when the generator's outputs are non-finite:
#: neither part updates
OUTPUTS_PART = 'generator and discriminators'


def _unwrap(module: nn.Module) -> nn.Module:
    return module.module if is_model_wrapper(module) else module


def build_losses(cfgs: dict, value_range: ValueRange) -> ModuleDict:
    """Loss modules by key (None entries are left out); those that declare
    ``takes_value_range`` get the model's value range."""
    losses = {}
    for key, cfg in cfgs.items():
        if cfg is None:
            continue
        cls = MODELS.get(cfg['type']) if isinstance(cfg['type'], str) \
            else cfg['type']
        if getattr(cls, 'takes_value_range', False):
            cfg = dict(cfg, value_range=value_range)
        losses[key] = MODELS.build(cfg)
    # mmengine's ModuleDict: init_weights reaches its children
    return ModuleDict(losses)


@MODELS.register_module()
class FCSRGAN(FaceRestorer):
    """FCSR-GAN: joint face completion and 4x super-resolution (Cai et al.,
    FG 2019).

    ``train_cfg.phases`` is the schedule, phases keyed by name, e.g. the
    paper's stage 1 (see ``configs/_base_/models/fcsr_gan.py``):

    .. code-block:: python

        phases=dict(
            l1=dict(begin=0, train=['completion'],
                    losses=dict(pixel_lr=20.0)),
            local_adv=dict(begin=100000, train=['completion'],
                           losses=dict(pixel_lr=20.0, adv_local_lr=0.1)),
            all=dict(begin=150000, train=['completion'],
                     losses=dict(pixel_lr=20.0, adv_local_lr=0.1,
                                 adv_global_lr=0.1, parsing_lr=1.0)))

    Loss terms (``loss_terms.PIXEL_TERMS``): ``pixel_lr``, ``pixel``,
    ``parsing_lr``, ``parsing``, ``perceptual``, and ``adv_<name>`` for each
    discriminator. A phase's discriminators are those its adversarial terms
    use, unless it lists them. What a discriminator judges is set in its
    config: ``output`` ('lr': the completed 32x32 face, 'hr': the 128x128
    result) and ``hole_crop`` (side of the crop around the hole it sees;
    None: the whole face).

    Args:
        generator (dict): ``FCSRGenerator`` config.
        losses (dict): Loss modules by key: ``pixel_lr``, ``pixel``, ``gan``,
            ``parsing_lr``, ``parsing``, ``perceptual`` (only those the
            phases use are required).
        discriminators (dict, optional): Discriminator configs by name, each
            with ``output`` and optionally ``hole_crop``. Entries set to None
            (here and in ``losses``) are left out.
        train_cfg (dict, optional): Holds ``phases`` and optionally
            ``nonfinite`` (``FiniteGuard`` arguments, default: stop): NaN/inf
            generator outputs update nothing; a NaN/inf loss term leaves out
            its part's update. None builds a model for inference only
            (``train_step`` refuses to run).
        test_cfg (dict, optional): Unused. Default: None.
        init_cfg (dict, optional): Default: None.
        data_preprocessor (dict, optional): mmagic ``DataPreprocessor``; its
            mean/std and channel order are passed to the losses that feed
            pretrained networks.
    """

    train_refusal = ('this FCSRGAN was built without train_cfg (inference '
                     'only); give train_cfg.phases to train it')

    def __init__(self, generator: dict, losses: dict,
                 discriminators: Optional[dict] = None,
                 train_cfg: Optional[dict] = None,
                 test_cfg: Optional[dict] = None,
                 init_cfg: Optional[dict] = None,
                 data_preprocessor: Optional[dict] = None):
        super().__init__(train_cfg or {}, test_cfg, init_cfg,
                         data_preprocessor)
        self.generator = MODELS.build(generator)
        self.discriminators, self.disc_roles = build_discriminators(
            discriminators, MODELS)
        self.losses = build_losses(losses,
                                   ValueRange.of(self.data_preprocessor))
        self.terms: Dict[str, LossTerm] = loss_terms(
            {k: r.output for k, r in self.disc_roles.items()})
        self.phases = None if train_cfg is None else PhaseSchedule(
            train_cfg.get('phases', {}), self.terms, list(self.losses),
            list(self.discriminators))
        self.finite = FiniteGuard(**self.train_cfg.get('nonfinite', {}))
        if any(p.discriminators for p in self.phases or []) \
                and GAN_LOSS not in self.losses:
            raise ValueError('adversarial phases need losses.gan '
                             "(e.g. dict(type='GANLoss', gan_type='vanilla'))")
        self._register_load_state_dict_pre_hook(fit_checkpoint,
                                                with_module=True)

    # ------------------------------------------------------------ inference
    def forward_tensor(self, inputs: torch.Tensor,
                       data_samples: Optional[List[DataSample]] = None,
                       **kwargs) -> torch.Tensor:
        """The generator's 128x128 output, in the model's value range (as
        mmagic's editors return it)."""
        return self.generator(inputs, data_samples.mask_lr)[1]

    def restore(self, inputs: torch.Tensor, data_samples: DataSample):
        """The completed 32x32 face and the 128x128 result, both as 0..255
        BGR like the ground truth, in fp32 also when the generator ran in
        bf16 autocast (numpy and the metrics take no bf16)."""
        pred_lr, pred = self.generator(inputs, data_samples.mask_lr)
        destruct = self.data_preprocessor.destruct
        return (destruct(pred_lr.float(), data_samples).cpu(),
                destruct(pred.float(), data_samples).cpu())

    def forward_train(self, inputs: torch.Tensor,
                      data_samples: Optional[List[DataSample]] = None,
                      **kwargs) -> Dict[str, torch.Tensor]:
        """``mode='loss'``: the generator's weighted loss terms of the
        current phase, with the graph through the modules it trains, without
        updating anything (training itself goes through ``train_step``,
        which also steps the discriminators)."""
        phase = self._phase()
        self._set_trainable(phase)
        preds = self._generate(phase, inputs, data_samples)
        return self.g_step(phase, preds, data_samples)

    # ------------------------------------------------------------- training
    @staticmethod
    def current_iter() -> int:
        """The runner's iteration (restored on resume)."""
        return MessageHub.get_current_instance().get_info('iter', 0)

    def _phase(self) -> Phase:
        if self.phases is None:
            raise RuntimeError(self.train_refusal)
        return self.phases.at(self.current_iter())

    def train_step(self, data: dict,
                   optim_wrapper: OptimWrapperDict) -> Dict[str, torch.Tensor]:
        phase = self._phase()
        data = self.data_preprocessor(data, True)
        inputs, samples = data['inputs'], data['data_samples']
        self._set_trainable(phase)
        g_optim = optim_wrapper['generator']
        with g_optim.optim_context(self.generator):
            preds = self._generate(phase, inputs, samples)
        log = {}
        # checked before the discriminators learn from them as fakes; a
        # non-finite loss term of finite outputs skips only its own part
        outputs = {k: v for k, v in preds.items() if v is not None}
        if not self._finite(outputs, phase, OUTPUTS_PART, 'generator'):
            return self._step_log(log, phase)
        if phase.discriminators:
            log.update(self.d_step(phase, preds, samples,
                                       optim_wrapper['discriminators']))
        set_requires_grad(self.discriminators, False)
        if not phase.train:  # a discriminator warm-up: the generator waits
            return self._step_log(log, phase)
        with g_optim.optim_context(self.generator):
            losses = self.g_step(phase, preds, samples)
            finite = self._finite(losses, phase)
            loss, g_log = self.parse_losses(losses)
        if finite:
            g_optim.update_params(loss)
        log.update(g_log)
        return self._step_log(log, phase)

    def _step_log(self, log: dict, phase: Phase) -> Dict[str, torch.Tensor]:
        log['skipped_updates'] = torch.tensor(float(self.finite.skipped))
        log['phase'] = torch.tensor(float(self.phases.index(phase)))
        return log

    def _finite(self, losses: dict, phase: Phase, part: str = 'generator',
                optimiser: Optional[str] = None) -> bool:
        """Whether to update ``part`` (``FiniteGuard``: stop or skip on
        NaN/inf in ``losses``, the checked values; a stop names
        ``optimiser``, by default ``part``)."""
        return self.finite.ok(losses, self.current_iter() + 1, phase.name,
                              part, optimiser)

    def _generate(self, phase: Phase, inputs, samples) -> dict:
        """Generator outputs by key (``OUTPUTS``)."""
        with_sr = phase.needs_sr or any(
            self.disc_roles[n].output == 'hr' for n in phase.discriminators)
        pred_lr, pred = self.generator(
            inputs, samples.mask_lr, with_sr=with_sr,
            freeze_completion='completion' not in phase.train)
        return dict(pred_lr=pred_lr, pred_img=pred)

    def _set_trainable(self, phase: Phase) -> None:
        gen = _unwrap(self.generator)
        for name in GENERATOR_MODULES:
            module, train = getattr(gen, name), name in phase.train
            module.requires_grad_(train)
            module.train(train)  # frozen modules keep their BN statistics

    def _real_fake(self, name: str, preds: dict, samples):
        """Real and fake inputs of discriminator ``name``, by its role."""
        role = self.disc_roles[name]
        pred_key, gt_key = OUTPUTS[role.output]
        real, fake = samples.get(gt_key), preds[pred_key]
        if role.hole_crop:
            centres = hole_centres(samples.mask_lr)
            scale = real.shape[-1] / samples.mask_lr.shape[-1]
            real = crop_around(real, centres, role.hole_crop, scale)
            fake = crop_around(fake, centres, role.hole_crop, scale)
        return real, fake

    def d_step(self, phase: Phase, preds: dict, samples,
               optim) -> Dict[str, torch.Tensor]:
        """Update the phase's discriminators once on real faces and the
        (detached) fakes of ``preds``; returns their logged losses. A
        subclass overrides this to change how they learn (e.g. another GAN
        loss, gradient penalties).

        Args:
            phase (Phase): The current phase (its ``discriminators``).
            preds (dict): Generator outputs (``pred_lr``, ``pred_img``).
            samples (DataSample): The batch's ground truth and masks.
            optim (OptimWrapper): The discriminators' optimiser wrapper.
        """
        set_requires_grad(self.discriminators, True)
        names, inputs = [], []
        for name in phase.discriminators:
            real, fake = self._real_fake(name, preds, samples)
            names += [(name, 'real', True), (name, 'fake', False)]
            inputs += [(name, real), (name, fake.detach())]
        losses = {}
        with optim.optim_context(self.discriminators):
            # one call: all discriminators run through the DDP wrapper
            outputs = self.discriminators(inputs)
            for (name, kind, target), out in zip(names, outputs):
                losses[f'loss_d_{name}_{kind}'] = self.losses[GAN_LOSS](
                    out, target, is_disc=True)
            finite = self._finite(losses, phase, 'discriminators')
            loss, log = self.parse_losses(losses)
        if finite:
            optim.update_params(loss)
        return log

    def g_step(self, phase: Phase, preds: dict,
               samples) -> Dict[str, torch.Tensor]:
        """The generator's losses of the phase, ``loss_<term>``: each term
        times its weight (``train_step`` updates the generator with their
        sum; ``mode='loss'`` returns them). A subclass overrides this to
        add or reweight terms.

        Args:
            phase (Phase): The current phase (its terms and weights).
            preds (dict): Generator outputs (``pred_lr``, ``pred_img``).
            samples (DataSample): The batch's ground truth and masks.
        """
        adv = self._adversarial_logits(phase, preds, samples)
        return {
            f'loss_{name}': phase.losses[name] * self._score(
                term, preds, samples, adv)
            for name, term in phase.terms.items()
        }

    def _adversarial_logits(self, phase: Phase, preds: dict, samples) -> dict:
        """Discriminator logits of the fakes for the phase's adversarial
        terms, from one call (see ``d_step``)."""
        names = [t.discriminator for t in phase.adversarial.values()]
        if not names:
            return {}
        fakes = [(n, self._real_fake(n, preds, samples)[1]) for n in names]
        return dict(zip(names, self.discriminators(fakes)))

    def _score(self, term: LossTerm, preds: dict, samples,
               adv: dict) -> torch.Tensor:
        loss = self.losses[term.loss]
        if term.discriminator:
            return loss(adv[term.discriminator], True, is_disc=False)
        pred, gt = preds[OUTPUTS[term.output][0]], samples.get(term.target)
        if term.labels:
            return loss(pred, gt, samples.get(term.labels))
        return loss(pred, gt)
