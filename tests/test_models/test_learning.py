"""Every phase of the stage-1 and stage-2 schedules learns: on one fixed
batch, a few steps of the phase (its config: modules, terms, weights,
optimisers) lower its generator loss by a stated factor, and each
discriminator the phase updates learns to tell the real face from the fake.

The models are the synthetic configs with smaller widths (cfg options) so a
step costs well under a second; stage 2 starts, as in the paper, from a
completion module trained by stage 1 (a fresh one fills the hole with values
far outside [-1, 1] that the SR module alone cannot learn away).
"""
import copy
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.logging import MessageHub
from mmengine.optim import build_optim_wrapper
from mmengine.registry import DefaultScope

import fcsr_mm  # noqa: F401

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
STAGE1, STAGE2 = 'fcsr_stage1_synthetic.py', 'fcsr_stage2_synthetic.py'
#: narrower networks; the schedules, weights and optimisers stay the configs'
TINY = {
    'model.generator.completion.fc_size': 32,
    'model.generator.completion.extra_channels': (32, 32),
    'model.generator.completion.decoder_channels': ((32, ), (32, 16),
                                                    (16, 16), (16, 16)),
    'model.generator.sr.mid_channels': 8,
    'model.generator.sr.num_blocks': 1,
}
TINY_DISCRIMINATORS = {
    STAGE1: {'model.discriminators.global_lr.base_channels': 8,
             'model.discriminators.local_lr.base_channels': 8},
    STAGE2: {'model.discriminators.global_hr.base_channels': 8,
             'model.discriminators.global_hr.fc_channels': 8,
             'model.discriminators.local_hr.base_channels': 8,
             'model.discriminators.local_hr.fc_channels': 8},
}
PARSERS = {'parsing_lr': 32, 'parsing': 128}


def load_config(name, parsers):
    cfg = Config.fromfile(osp.join(REPO, 'configs', name))
    cfg.merge_from_dict(dict(TINY, **TINY_DISCRIMINATORS[name]))
    for key, size in PARSERS.items():
        if cfg.model.losses.get(key):
            loss = cfg.model.losses[key]
            loss.parser_config, loss.parser_checkpoint = parsers[size]
    if cfg.model.losses.get('perceptual'):
        # conv1_1 after ReLU: the term's mechanics are checked in
        # test_loss_modules.py; deeper layers cost seconds a step at 128 px
        cfg.model.losses.perceptual.layer_weights = {'1': 1.0}
    return cfg


def train_phase(cfg, phase, steps, batch, completion=None):
    """``steps`` train steps of ``phase`` from a seeded fresh model (with
    the given completion weights); the logged losses of each step."""
    torch.manual_seed(0)
    from mmagic.registry import MODELS
    with DefaultScope.overwrite_default_scope('mmagic'):
        model = MODELS.build(copy.deepcopy(cfg.model))
        model.init_weights()
        optim = build_optim_wrapper(model, copy.deepcopy(cfg.optim_wrapper))
    if completion is not None:
        model.generator.completion.load_state_dict(completion)
    begin = cfg.model.train_cfg.phases[phase].begin
    MessageHub.get_current_instance().update_info('iter', begin)
    logs = []
    for _ in range(steps):
        log = model.train_step(copy.deepcopy(batch), optim)
        logs.append({k: float(v) for k, v in log.items()
                     if k.startswith('loss')})
    return model, logs


@pytest.fixture(scope='module')
def batch(synthetic_root):
    from mmagic.registry import DATASETS
    pipeline = [
        dict(type='LoadImageFromFile', key='gt', channel_order='bgr'),
        dict(type='DegradeFace'),
        dict(type='OccludeFace', seed=0),
        dict(type='PackInputs', keys='img', data_keys=['gt_lr', 'mask_lr']),
    ]
    with DefaultScope.overwrite_default_scope('mmagic'):
        ds = DATASETS.build(dict(
            type='BasicImageDataset', ann_file='meta/train.txt',
            data_root=f'{synthetic_root}/aligned',
            data_prefix=dict(gt='images'), pipeline=pipeline))
    return pseudo_collate([ds[0], ds[1]])


def report(phase, logs):
    for key in logs[0]:
        print(phase, key, ' '.join(f'{log[key] / logs[0][key]:.3f}'
                                   for log in logs))


@pytest.mark.parametrize('name,phase,steps', [
    (STAGE1, 'l1', 8), (STAGE1, 'local_adv', 8), (STAGE1, 'all', 8)])
def test_record_stage1(name, phase, steps, trained_parsers, batch):
    cfg = load_config(name, trained_parsers)
    _, logs = train_phase(cfg, phase, steps, batch)
    report(phase, logs)


@pytest.mark.parametrize('phase,steps', [('sr', 8), ('all', 8)])
def test_record_stage2(phase, steps, trained_parsers, batch):
    cfg1 = load_config(STAGE1, trained_parsers)
    model, _ = train_phase(cfg1, 'l1', 8, batch)
    cfg = load_config(STAGE2, trained_parsers)
    _, logs = train_phase(cfg, phase, steps, batch,
                          model.generator.completion.state_dict())
    report('s2' + phase, logs)
