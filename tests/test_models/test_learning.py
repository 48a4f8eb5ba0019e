"""Every phase of the stage-1 and stage-2 schedules learns: on one fixed
batch, a few steps of the phase (its config: modules, terms, weights,
optimisers) lower its generator loss by a stated factor, and each
discriminator the phase updates learns to tell the real face from the fake.

The models are the synthetic configs with smaller widths (cfg options), so
the file runs in seconds; stage 2 starts, as in the paper, from a
completion module trained by stage 1 (a fresh one fills the hole with values
far outside [-1, 1] that the SR module alone cannot learn away).
"""
import copy

import pytest
import torch
from mmagic.registry import MODELS
from mmengine.logging import MessageHub
from mmengine.optim import build_optim_wrapper
from mmengine.registry import DefaultScope

import fcsr_mm  # noqa: F401
from tiny_fcsr import STAGE1, STAGE2, tiny_config

#: (top, left, h, w) at 32 px: over the nose and the mouth
HOLE = (14, 8, 16, 16)


def load_config(name, parsers):
    return tiny_config(name, parsers)


def train_phase(cfg, phase, steps, batch, completion=None):
    """``steps`` train steps of ``phase`` from a seeded fresh model (with
    the given completion weights); the logged losses of each step."""
    torch.manual_seed(0)
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
def batch(face_batch):
    """Two faces with the same hole, filled with zeros: the same batch in
    every session (a seeded random occlusion also depends on the data set's
    path, which is a new temporary folder each session)."""
    return face_batch(dict(occlusion=HOLE, fill='zeros'))


def assert_falls(logs, key, factor, what):
    first, last = logs[0][key], logs[-1][key]
    assert last < factor * first, (
        f'{what}: {key} went from {first:.4g} to {last:.4g} in {len(logs)} '
        f'steps; expected below {factor} x {first:.4g}')


def assert_discriminators_learn(model, phase, logs, factor):
    """The real faces are the same every step, so the real term of a
    discriminator's loss moves only when that discriminator learns (its
    fake term also follows the generator)."""
    names = model.phases.at(model.current_iter()).discriminators
    assert names, phase
    for name in names:
        assert_falls(logs, f'loss_d_{name}_real', factor, phase)


@pytest.fixture(scope='module')
def stage1_l1(trained_parsers, batch):
    """Stage 1's L1 phase, 8 steps; stage 2 starts from its completion."""
    return train_phase(load_config(STAGE1, trained_parsers), 'l1', 8, batch)


def test_l1_phase_halves_the_pixel_loss_in_8_steps(stage1_l1):
    """Measured: to 0.19 of its first value."""
    _, logs = stage1_l1
    assert set(logs[0]) == {'loss', 'loss_pixel_lr'}
    assert_falls(logs, 'loss', 0.5, 'l1')


@pytest.mark.parametrize('phase,factor', [('local_adv', 0.5), ('all', 0.6)])
def test_stage1_adversarial_phases_learn_in_8_steps(phase, factor,
                                                    trained_parsers, batch):
    """Measured in 8 steps: the generator loss to 0.20 (local_adv) and 0.40
    (all: its parsing term stays flat, see test_stage2_all_phase...); the
    discriminators' real term to 0.42..0.65."""
    model, logs = train_phase(load_config(STAGE1, trained_parsers), phase, 8,
                              batch)
    assert_falls(logs, 'loss', factor, phase)
    assert_discriminators_learn(model, phase, logs, 0.8)


def test_sr_phase_lowers_the_pixel_loss_in_30_steps(stage1_l1,
                                                    trained_parsers, batch):
    """The SR module alone (completion frozen) adds a residual, initialised
    near zero, to a bicubic upsampling: the MSE falls slowly but steadily
    (measured: to 0.973 in 30 steps; an SR module that does not learn
    keeps it at exactly its first value)."""
    completion = stage1_l1[0].generator.completion.state_dict()
    _, logs = train_phase(load_config(STAGE2, trained_parsers), 'sr', 30,
                          batch, completion)
    assert set(logs[0]) == {'loss', 'loss_pixel'}
    assert_falls(logs, 'loss', 0.99, 'sr')


def test_stage2_all_phase_learns_in_10_steps(stage1_l1, trained_parsers,
                                            batch):
    """All terms, completion and SR together. Measured in 10 steps: the
    pixel and perceptual terms to 0.76..0.78, the generator loss to 0.93
    (its parsing term, 60% of it at 0.02 x 2.19, stays flat: the test
    parsers, trained 6 iterations, give almost uniform logits, cross-entropy
    ~ ln 9), the discriminators' real term to 0.87 (global) and 0.94
    (local, at the config's discriminator rate 1e-4)."""
    completion = stage1_l1[0].generator.completion.state_dict()
    model, logs = train_phase(load_config(STAGE2, trained_parsers), 'all', 10,
                              batch, completion)
    assert_falls(logs, 'loss', 0.97, 'all')
    for term in ('loss_pixel', 'loss_perceptual'):
        assert_falls(logs, term, 0.9, 'all')
    assert_discriminators_learn(model, 'all', logs, 0.97)
