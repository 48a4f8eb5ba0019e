"""The small FCSRGAN of the model tests: its phases, discriminators and
config, built in mmagic's scope, with its optimisers, and how to tell which
weights an update moved."""
import copy

import torch
from mmengine.registry import DefaultScope

import fcsr_mm  # noqa: F401

PHASES = dict(
    l1=dict(begin=0, train=['completion'], losses=dict(pixel_lr=20.0)),
    local=dict(begin=2, train=['completion'],
               losses=dict(pixel_lr=20.0, adv_local_lr=0.1)),
    all1=dict(begin=4, train=['completion'],
              losses=dict(pixel_lr=20.0, adv_local_lr=0.1, adv_global_lr=0.1,
                          parsing_lr=1.0)),
    sr=dict(begin=6, train=['sr'], losses=dict(pixel=0.5)),
    all2=dict(begin=8, train=['completion', 'sr'],
              losses=dict(pixel=0.5, adv_local_hr=1e-3, adv_global_hr=1e-3,
                          perceptual=1.0, parsing=0.5)),
)
#: discriminators each phase updates (derived from its adversarial terms)
UPDATES = dict(l1=(), local=('local_lr', ), all1=('local_lr', 'global_lr'),
               sr=(), all2=('local_hr', 'global_hr'))


DISCRIMINATORS = dict(
    global_lr=dict(in_size=32, output='lr'),
    local_lr=dict(in_size=16, output='lr', hole_crop=16),
    global_hr=dict(in_size=128, style='srgan', fc_channels=8, output='hr'),
    local_hr=dict(in_size=64, style='srgan', fc_channels=8, output='hr',
                  hole_crop=64))


def model_cfg(parsers, phases=PHASES, discriminators=DISCRIMINATORS):
    (c32, k32), (c128, k128) = parsers[32], parsers[128]
    disc = dict(type='FCSRDiscriminator', base_channels=8)
    return dict(
        type='FCSRGAN',
        data_preprocessor=dict(type='DataPreprocessor', mean=[127.5] * 3,
                               std=[127.5] * 3, output_channel_order='RGB',
                               data_keys=['gt_img', 'gt_lr']),
        generator=dict(type='FCSRGenerator',
                       completion=dict(type='FCSRCompletionNet'),
                       sr=dict(type='MSRResNet', in_channels=3,
                               out_channels=3, mid_channels=8, num_blocks=1,
                               upscale_factor=4)),
        discriminators={k: dict(disc, **v)
                        for k, v in discriminators.items()},
        losses=dict(
            pixel_lr=dict(type='L1Loss'), pixel=dict(type='MSELoss'),
            gan=dict(type='GANLoss', gan_type='vanilla'),
            parsing_lr=dict(type='FaceParsingLoss', parser_config=c32,
                            parser_checkpoint=k32),
            parsing=dict(type='FaceParsingLoss', parser_config=c128,
                         parser_checkpoint=k128),
            perceptual=dict(type='VGGPerceptualLoss',
                            layer_weights={'3': 1.0})),
        train_cfg=dict(phases=copy.deepcopy(phases)))


def build(cfg):
    from mmagic.registry import MODELS
    with DefaultScope.overwrite_default_scope('mmagic'):
        model = MODELS.build(cfg)
    model.init_weights()
    return model


def optimizers(model):
    from mmengine.optim import build_optim_wrapper
    with DefaultScope.overwrite_default_scope('mmagic'):
        return build_optim_wrapper(model, dict(
            constructor='MultiOptimWrapperConstructor',
            generator=dict(type='OptimWrapper',
                           optimizer=dict(type='Adam', lr=1e-3)),
            discriminators=dict(type='OptimWrapper',
                                optimizer=dict(type='Adam', lr=1e-3))))


def snapshot(module):
    return {k: v.detach().clone() for k, v in module.state_dict().items()}


def changed(before, module, prefix):
    after = module.state_dict()
    return {k for k in before if k.startswith(prefix)
            and before[k].dtype.is_floating_point
            and not torch.equal(before[k], after[k])}
