"""FCSRGAN: which parameters learn in each phase, logged losses, phase
switching, checkpoints, inference outputs, bad input."""
import copy

import pytest
import torch
from mmengine.logging import MessageHub
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


@pytest.fixture(scope='module')
def batch(face_batch):
    return face_batch()


@pytest.fixture(scope='module')
def model(trained_parsers):
    return build(model_cfg(trained_parsers))


def snapshot(module):
    return {k: v.detach().clone() for k, v in module.state_dict().items()}


def changed(before, module, prefix):
    after = module.state_dict()
    return {k for k in before if k.startswith(prefix)
            and before[k].dtype.is_floating_point
            and not torch.equal(before[k], after[k])}


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
