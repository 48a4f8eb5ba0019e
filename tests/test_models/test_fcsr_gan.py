"""FCSRGAN: which parameters learn in each phase, logged losses, phase
switching, checkpoints, inference outputs, bad input, the public step
hooks (non-finite steps: test_nonfinite_steps.py)."""
import copy
import os.path as osp
import sys

import pytest
import torch
from mmengine.logging import MessageHub
from mmengine.registry import DefaultScope

import fcsr_mm  # noqa: F401

sys.path.insert(0, osp.join(osp.dirname(osp.dirname(osp.abspath(__file__))),
                            'helpers'))
from fcsr_model import (DISCRIMINATORS, PHASES, UPDATES, build,  # noqa: E402
                        changed, model_cfg, optimizers, snapshot)

EXPECTED_KEYS = {
    'l1': {'loss_pixel_lr'},
    'local': {'loss_pixel_lr', 'loss_adv_local_lr', 'loss_d_local_lr_real',
              'loss_d_local_lr_fake'},
    'all1': {'loss_pixel_lr', 'loss_adv_local_lr', 'loss_adv_global_lr',
             'loss_parsing_lr', 'loss_d_local_lr_real', 'loss_d_local_lr_fake',
             'loss_d_global_lr_real', 'loss_d_global_lr_fake'},
    'sr': {'loss_pixel'},
    'all2': {'loss_pixel', 'loss_adv_local_hr', 'loss_adv_global_hr',
             'loss_perceptual', 'loss_parsing', 'loss_d_local_hr_real',
             'loss_d_local_hr_fake', 'loss_d_global_hr_real',
             'loss_d_global_hr_fake'},
}


@pytest.fixture(scope='module')
def batch(face_batch):
    return face_batch()


@pytest.fixture(scope='module')
def model(trained_parsers):
    return build(model_cfg(trained_parsers))


def test_each_phase_trains_what_it_says(model, batch):
    optim = optimizers(model)
    hub = MessageHub.get_current_instance()
    for name, phase in PHASES.items():
        hub.update_info('iter', phase['begin'])
        before = snapshot(model)
        log = model.train_step(copy.deepcopy(batch), optim)
        keys = {k for k in log if k.startswith('loss_')}
        assert keys == EXPECTED_KEYS[name], name
        assert all(torch.isfinite(torch.as_tensor(v)) for v in log.values())
        trains = phase['train']
        comp = changed(before, model, 'generator.completion.')
        sr = changed(before, model, 'generator.sr.')
        assert bool(comp) == ('completion' in trains), name
        assert bool(sr) == ('sr' in trains), name
        assert not changed(before, model, 'losses.'), 'parser/VGG changed'
        for disc in ('local_lr', 'global_lr', 'local_hr', 'global_hr'):
            moved = changed(before, model, f'discriminators.{disc}.')
            assert bool(moved) == (disc in UPDATES[name]), (name, disc)


def test_phase_follows_message_hub_iteration(model, batch):
    hub = MessageHub.get_current_instance()
    for it, name in [(0, 'l1'), (3, 'local'), (5, 'all1'), (7, 'sr'),
                     (100, 'all2')]:
        hub.update_info('iter', it)
        assert model.phases.at(model.current_iter()).name == name


def test_inference_outputs(model, batch):
    model.eval()
    with torch.no_grad():
        out = model.val_step(copy.deepcopy(batch))
    model.train()
    assert out[0].output.pred_img.shape == (3, 128, 128)
    assert out[0].output.pred_lr.shape == (3, 32, 32)
    assert 0 <= float(out[0].output.pred_img.min()) <= 255
    assert out[0].gt_img.shape == (3, 128, 128)


def test_checkpoint_round_trip(model, trained_parsers, batch, tmp_path):
    torch.save({'state_dict': model.state_dict()}, tmp_path / 'm.pth')
    other = build(model_cfg(trained_parsers))
    from mmengine.runner import load_checkpoint
    load_checkpoint(other, str(tmp_path / 'm.pth'), strict=True)
    model.eval(), other.eval()
    with torch.no_grad():
        a = model.val_step(copy.deepcopy(batch))[0].output.pred_img
        b = other.val_step(copy.deepcopy(batch))[0].output.pred_img
    model.train()
    assert torch.equal(a, b)


def test_bad_input(model, trained_parsers, batch, tmp_path):
    data = copy.deepcopy(batch)
    for s in data['data_samples']:
        s.mask_lr = s.mask_lr * 0
    MessageHub.get_current_instance().update_info('iter', 2)
    with pytest.raises(ValueError, match='no hole'):
        model.train_step(data, optimizers(model))
    cfg = model_cfg(trained_parsers)
    cfg['losses']['parsing']['parser_checkpoint'] = str(tmp_path / 'x.pth')
    with pytest.raises(FileNotFoundError, match='tools/train.py .*128x128'):
        build(cfg)
    cfg = model_cfg(trained_parsers)
    cfg['losses']['perceptual']['pretrained'] = str(tmp_path / 'vgg.pth')
    with pytest.raises(FileNotFoundError, match='vgg.pth'):
        build(cfg)
    cfg = model_cfg(trained_parsers, dict(PHASES, l1=None))
    with pytest.raises(ValueError, match='one at iteration 0'):
        build(cfg)
    cfg = model_cfg(trained_parsers)
    cfg['discriminators']['local_lr'].pop('output')
    with pytest.raises(ValueError, match="'local_lr': output=None"):
        build(cfg)
    cfg = model_cfg(trained_parsers)
    del cfg['losses']['gan']
    with pytest.raises(ValueError, match='losses.gan'):
        build(cfg)


def test_runner_initialisation_reaches_every_discriminator(trained_parsers):
    """init_weights (as the Runner calls it) gives the discriminators the
    DCGAN N(0, 0.02) init and leaves the frozen parsers and VGG as loaded."""
    from mmagic.registry import MODELS
    with DefaultScope.overwrite_default_scope('mmagic'):
        model = MODELS.build(model_cfg(trained_parsers))
    loaded = snapshot(model.losses)
    model.init_weights()
    for name, disc in model.discriminators.items():
        layers = [m for m in disc.modules()
                  if isinstance(m, (torch.nn.Conv2d, torch.nn.Linear))]
        weights = torch.cat([m.weight.flatten() for m in layers])
        assert abs(weights.std().item() - 0.02) < 0.002, name
        assert all(m.bias is None or not m.bias.any() for m in layers), name
    after = model.losses.state_dict()
    assert loaded.keys() == after.keys()
    assert all(torch.equal(v, after[k]) for k, v in loaded.items())


def test_roles_come_from_config_not_names(trained_parsers, batch):
    """Renamed discriminators (names that say nothing, or the opposite)
    give the same losses as the original names, given the same roles."""
    rename = dict(global_lr='judge_a', local_lr='global_x',
                  global_hr='local_y', local_hr='d_lr')
    phases = {
        k: dict(v, losses={
            (f'adv_{rename[t[4:]]}' if t.startswith('adv_') else t): w
            for t, w in v['losses'].items()})
        for k, v in PHASES.items()
    }
    discs = {rename[k]: v for k, v in DISCRIMINATORS.items()}

    def renamed_key(key):
        for old, new in rename.items():
            key = key.replace(old, new)
        return key

    hub = MessageHub.get_current_instance()
    for phase in ('all1', 'all2'):
        logs = []
        for cfg in (model_cfg(trained_parsers),
                    model_cfg(trained_parsers, phases, discs)):
            torch.manual_seed(0)
            model = build(cfg)
            hub.update_info('iter', PHASES[phase]['begin'])
            logs.append(model.train_step(copy.deepcopy(batch),
                                         optimizers(model)))
        original, renamed = logs
        assert {renamed_key(k) for k in original} == set(renamed)
        assert any('local_y' in k for k in renamed) == (phase == 'all2')
        for key, value in original.items():
            assert torch.equal(renamed[renamed_key(key)], value), (phase, key)


def test_loss_mode_gives_the_phase_generator_losses(model, batch):
    hub = MessageHub.get_current_instance()
    hub.update_info('iter', PHASES['all1']['begin'])
    data = model.data_preprocessor(copy.deepcopy(batch), True)
    losses = model(data['inputs'], data['data_samples'], mode='loss')
    assert set(losses) == {'loss_pixel_lr', 'loss_adv_local_lr',
                           'loss_adv_global_lr', 'loss_parsing_lr'}
    assert all(torch.isfinite(v) for v in losses.values())


def test_subclasses_change_training_through_the_public_step_hooks(
        trained_parsers, batch):
    """``g_step``/``d_step`` are what ``train_step`` calls: a subclass adds
    a generator term and sees every discriminator update."""
    from mmagic.registry import MODELS
    from fcsr_mm.models import FCSRGAN, FaceRestorer

    @MODELS.register_module(force=True)
    class _TracedFCSRGAN(FCSRGAN):
        d_calls = []

        def g_step(self, phase, preds, samples):
            losses = super().g_step(phase, preds, samples)
            losses['loss_brightness'] = preds['pred_lr'].mean().abs()
            return losses

        def d_step(self, phase, preds, samples, optim):
            self.d_calls.append(phase.discriminators)
            return super().d_step(phase, preds, samples, optim)

    model = build(dict(model_cfg(trained_parsers), type='_TracedFCSRGAN'))
    assert isinstance(model, FaceRestorer)
    optim = optimizers(model)
    hub = MessageHub.get_current_instance()
    hub.update_info('iter', PHASES['local']['begin'])
    log = model.train_step(copy.deepcopy(batch), optim)
    assert 'loss_brightness' in log
    assert model.d_calls == [('local_lr', )]
    hub.update_info('iter', PHASES['l1']['begin'])
    model.train_step(copy.deepcopy(batch), optim)   # no adversarial term
    assert model.d_calls == [('local_lr', )]


def test_a_warm_up_phase_trains_its_discriminators_only(trained_parsers,
                                                        batch):
    """train=[] with discriminators: the 128 px discriminators learn from
    the SR output while the whole generator waits."""
    phases = dict(sr=dict(begin=0, train=['sr'], losses=dict(pixel=0.5)),
                  warm=dict(begin=1, discriminators=['local_hr',
                                                     'global_hr']))
    model = build(model_cfg(trained_parsers, phases=phases))
    optim = optimizers(model)
    MessageHub.get_current_instance().update_info('iter', 1)
    before = snapshot(model)
    log = model.train_step(copy.deepcopy(batch), optim)
    assert {k for k in log if k.startswith('loss_')} == {
        f'loss_d_{d}_{kind}' for d in ('local_hr', 'global_hr')
        for kind in ('real', 'fake')}
    assert not changed(before, model, 'generator.')
    for name in DISCRIMINATORS:
        moved = changed(before, model, f'discriminators.{name}.')
        assert bool(moved) == name.endswith('_hr'), name


def test_models_without_training_refuse_loss_mode(trained_parsers, batch):
    from fcsr_mm.models import FaceBaseline, FaceRestorer
    inference = build(dict(model_cfg(trained_parsers), train_cfg=None))
    with pytest.raises(RuntimeError, match='built without train_cfg'):
        inference(**inference.data_preprocessor(copy.deepcopy(batch)),
                  mode='loss')
    baseline = build(dict(type='FaceBaseline',
                          data_preprocessor=model_cfg(trained_parsers)[
                              'data_preprocessor']))
    assert isinstance(baseline, FaceRestorer) and \
        isinstance(baseline, FaceBaseline)
    with pytest.raises(RuntimeError, match='training-free'):
        baseline(**baseline.data_preprocessor(copy.deepcopy(batch)),
                 mode='loss')
