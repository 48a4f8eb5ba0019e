"""FCSRGAN on NaN/inf: a non-finite loss stops (or, by policy, skips)
before any update; non-finite outputs update neither part; a non-finite
loss of finite outputs skips only the generator."""
import copy
import os.path as osp
import sys

import pytest
import torch
from mmengine.logging import MessageHub

sys.path.insert(0, osp.join(osp.dirname(osp.dirname(osp.abspath(__file__))),
                            'helpers'))
from fcsr_model import (PHASES, UPDATES, build, changed,  # noqa: E402
                        model_cfg, optimizers, snapshot)


@pytest.fixture(scope='module')
def batch(face_batch):
    return face_batch()


def test_non_finite_loss_stops_before_the_update(trained_parsers, batch):
    class NaNLoss(torch.nn.Module):
        def forward(self, pred, target):
            return (pred - target).abs().mean() * float('nan')

    model = build(model_cfg(trained_parsers))
    model.losses['pixel_lr'] = NaNLoss()
    MessageHub.get_current_instance().update_info('iter', 2)
    before = snapshot(model)
    with pytest.raises(FloatingPointError,
                       match=r"loss_pixel_lr is nan at iteration 3 \(phase "
                       r"'local'\).*--resume"):
        model.train_step(copy.deepcopy(batch), optimizers(model))
    after = model.state_dict()
    assert all(torch.equal(v, after[k]) for k, v in before.items()
               if k.startswith('generator.'))


def test_skip_policy_leaves_out_non_finite_updates(trained_parsers, batch):
    """train_cfg.nonfinite.policy='skip': a NaN update is left out and
    counted; too many in a row stop training."""
    class SometimesNaN(torch.nn.Module):
        nan = True

        def forward(self, pred, target):
            loss = (pred - target).abs().mean()
            return loss * float('nan') if self.nan else loss

    cfg = model_cfg(trained_parsers)
    cfg['train_cfg']['nonfinite'] = dict(policy='skip', max_consecutive=2)
    model = build(cfg)
    model.losses['pixel_lr'] = bad = SometimesNaN()
    MessageHub.get_current_instance().update_info('iter', 2)
    optim = optimizers(model)
    before = snapshot(model)
    log = model.train_step(copy.deepcopy(batch), optim)
    assert log['skipped_updates'] == 1
    after = model.state_dict()
    assert all(torch.equal(v, after[k]) for k, v in before.items()
               if k.startswith('generator.'))
    bad.nan = False  # a finite update goes through and resets the run
    log = model.train_step(copy.deepcopy(batch), optim)
    assert log['skipped_updates'] == 1
    now = model.state_dict()
    assert any(not torch.equal(v, now[k]) for k, v in before.items()
               if k.startswith('generator.completion'))
    bad.nan = True
    model.train_step(copy.deepcopy(batch), optim)
    model.train_step(copy.deepcopy(batch), optim)
    with pytest.raises(FloatingPointError, match='3 generator updates in a row'):
        model.train_step(copy.deepcopy(batch), optim)
    with pytest.raises(ValueError, match='policy must be one of'):
        cfg['train_cfg']['nonfinite'] = dict(policy='ignore')
        build(cfg)


#: one phase whose only discriminator sees the 64 px crop around the hole
LOCAL_HR_ONLY = dict(
    sr_local=dict(begin=0, train=['sr'],
                  losses=dict(pixel=0.5, adv_local_hr=1e-3)))


def nan_outside_the_crop(module, inputs, output):
    """Forward hook on the SR module: its top-left pixel becomes NaN (the
    holes of ``centred_holes`` keep it out of the local crop)."""
    output = output.clone()
    output[:, :, 0, 0] = float('nan')
    return output


def centred_holes(batch):
    data = copy.deepcopy(batch)
    for s in data['data_samples']:
        s.mask_lr = torch.zeros_like(s.mask_lr)
        s.mask_lr[..., 8:24, 8:24] = 1
    return data


@pytest.mark.parametrize('policy', ['skip', 'stop'])
def test_non_finite_outputs_update_neither_discriminators_nor_generator(
        trained_parsers, batch, policy):
    """NaN in the generator's output where the local discriminator does not
    look: its loss is finite, yet it must not learn from that output."""
    cfg = model_cfg(trained_parsers, LOCAL_HR_ONLY)
    cfg['train_cfg']['nonfinite'] = dict(policy=policy, max_consecutive=1)
    model = build(cfg)
    model.generator.sr.register_forward_hook(nan_outside_the_crop)
    MessageHub.get_current_instance().update_info('iter', 0)
    optim = optimizers(model)
    before = snapshot(model)
    if policy == 'stop':
        with pytest.raises(FloatingPointError,
                           match=r"pred_img is nan at iteration 1 \(phase "
                           r"'sr_local'\)"):
            model.train_step(centred_holes(batch), optim)
    else:
        log = model.train_step(centred_holes(batch), optim)
        assert log['skipped_updates'] == 1
        assert not any(k.startswith('loss') for k in log)
    assert not changed(before, model, 'generator.')
    assert not changed(before, model, 'discriminators.')
    if policy == 'skip':
        with pytest.raises(FloatingPointError,
                           match='2 generator and discriminators updates '
                           'in a row'):
            model.train_step(centred_holes(batch), optim)


def test_non_finite_loss_of_finite_outputs_skips_only_the_generator(
        trained_parsers, batch):
    """A loss term's own NaN (finite outputs): the discriminators have
    stepped on finite fakes; the generator's update is left out."""
    class NaNLoss(torch.nn.Module):
        def forward(self, pred, target):
            return (pred - target).abs().mean() * float('nan')

    cfg = model_cfg(trained_parsers)
    cfg['train_cfg']['nonfinite'] = dict(policy='skip')
    model = build(cfg)
    model.losses['pixel_lr'] = NaNLoss()
    MessageHub.get_current_instance().update_info('iter',
                                                  PHASES['all1']['begin'])
    before = snapshot(model)
    log = model.train_step(copy.deepcopy(batch), optimizers(model))
    assert log['skipped_updates'] == 1
    assert torch.isnan(log['loss_pixel_lr'])
    assert not changed(before, model, 'generator.')
    for disc in UPDATES['all1']:
        assert changed(before, model, f'discriminators.{disc}.'), disc
