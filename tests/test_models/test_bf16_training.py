"""FCSR-GAN trained in bf16 (``precision='bf16'``, the path ``auto`` takes
on AMX / AVX512-BF16 CPUs): one step of each stage on two tiny faces. Every
network in the loop (completion, SR, discriminators, frozen parsers, VGG-19)
computes in bf16, the losses are reduced in fp32, the trainable weights
learn while the frozen ones stay bit-identical, weights and optimiser state
stay fp32; the NaN/inf guard still stops or skips; a resumed bf16 run ends
bit-identical to the straight one.

Where the CPU has no native bf16 it is emulated (~30x slower than fp32), so
the models are the synthetic configs with narrower widths and the
perceptual term at conv1_1.
"""
import copy
import os.path as osp
import warnings

import pytest
import torch
import torch.nn as nn
from mmagic.registry import MODELS
from mmengine.logging import MessageHub
from mmengine.optim import build_optim_wrapper
from mmengine.registry import DefaultScope

import fcsr_mm  # noqa: F401
from fcsr_mm.engine.launch import apply_precision
from tiny_fcsr import REPO, STAGE1, STAGE2, losses_logged, tiny_config

#: modules that never learn (in every phase)
FROZEN = ('losses.',)

pytestmark = pytest.mark.filterwarnings('ignore:precision bf16')


def bf16_config(name, parsers):
    """A synthetic stage config, narrower, switched to bf16 the way
    tools/train.py does it."""
    cfg = tiny_config(name, parsers)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        assert apply_precision(cfg, 'bf16').name == 'bf16'
    return cfg


def build(cfg):
    torch.manual_seed(0)
    with DefaultScope.overwrite_default_scope('mmagic'):
        model = MODELS.build(copy.deepcopy(cfg.model))
        model.init_weights()
        optim = build_optim_wrapper(model, copy.deepcopy(cfg.optim_wrapper))
    return model, optim


def record_dtypes(model):
    """name -> output dtypes of every conv / linear layer that runs."""
    seen = {}

    def hook(name):
        def record(module, inputs, output):
            seen.setdefault(name, set()).add(output.dtype)
        return record
    for name, module in model.named_modules():
        if isinstance(module, (nn.Conv2d, nn.Linear)):
            module.register_forward_hook(hook(name))
    return seen


def snapshot(model):
    return {k: v.detach().clone() for k, v in model.state_dict().items()}


def changed(before, model, prefix):
    after = model.state_dict()
    return {k for k in before if k.startswith(prefix)
            and before[k].dtype.is_floating_point
            and not torch.equal(before[k], after[k])}


def step(model, optim, phase, batch):
    """One train step at the first iteration of ``phase``."""
    begin = next(p.begin for p in model.phases if p.name == phase)
    MessageHub.get_current_instance().update_info('iter', begin)
    return model.train_step(copy.deepcopy(batch), optim)


@pytest.fixture(scope='module')
def batch(face_batch):
    return face_batch(count=1)


#: stage, phase -> (modules it trains, networks that must run in bf16)
STEPS = {
    (STAGE1, 'all'): (
        ('generator.completion.', 'discriminators.global_lr.',
         'discriminators.local_lr.'),
        ('generator.completion.', 'discriminators.global_lr.',
         'discriminators.local_lr.', 'losses.parsing_lr.')),
    # the frozen completion module runs too (without a graph)
    (STAGE2, 'sr'): (('generator.sr.', ),
                     ('generator.completion.', 'generator.sr.')),
    (STAGE2, 'all'): (
        ('generator.completion.', 'generator.sr.',
         'discriminators.global_hr.', 'discriminators.local_hr.'),
        ('generator.completion.', 'generator.sr.',
         'discriminators.global_hr.', 'discriminators.local_hr.',
         'losses.parsing.', 'losses.perceptual.')),
}


@pytest.mark.parametrize('stage, phase', list(STEPS))
def test_bf16_step_trains_what_it_should_in_bf16(trained_parsers, batch,
                                                 stage, phase):
    trains, in_bf16 = STEPS[(stage, phase)]
    model, optim = build(bf16_config(stage, trained_parsers))
    assert {type(w).__name__ for w in optim.values()} == \
        {'AutocastOptimWrapper'}
    seen = record_dtypes(model)
    before = snapshot(model)
    log = step(model, optim, phase, batch)
    # every network in the loop ran its convs / linears in bf16
    for prefix in in_bf16:
        ran = {d for name, dtypes in seen.items()
               if name.startswith(prefix) for d in dtypes}
        assert ran == {torch.bfloat16}, (prefix, ran)
    # the losses are reduced in fp32 and finite
    losses = {k: v for k, v in log.items() if k.startswith('loss')}
    assert losses and all(v.dtype == torch.float32 and torch.isfinite(v)
                          for v in losses.values()), losses
    learners = ['generator.completion.', 'generator.sr.'] + [
        f'discriminators.{name}.' for name in model.discriminators]
    for prefix in learners:
        assert bool(changed(before, model, prefix)) == (prefix in trains), \
            prefix
    for prefix in FROZEN:  # parsers and VGG-19: bit-identical
        assert not changed(before, model, prefix), prefix
    # fp32 master weights and optimiser state
    assert all(p.dtype == torch.float32 for p in model.parameters())
    for wrapper in optim.values():
        for state in wrapper.optimizer.state.values():
            assert all(v.dtype == torch.float32 for v in state.values()
                       if torch.is_tensor(v) and v.dim()), state.keys()


def nan_in_the_sr_output(module, inputs, output):
    output = output.clone()
    output[:, :, 0, 0] = float('nan')
    return output


@pytest.mark.parametrize('policy', ['stop', 'skip'])
def test_nan_guard_in_bf16(trained_parsers, batch, policy):
    """A NaN in the bf16 SR output stops training ('stop') or skips the
    update ('skip'), before any weight changes."""
    cfg = bf16_config(STAGE2, trained_parsers)
    cfg.model.train_cfg.nonfinite = dict(policy=policy)
    model, optim = build(cfg)
    model.generator.sr.register_forward_hook(nan_in_the_sr_output)
    before = snapshot(model)
    if policy == 'stop':
        with pytest.raises(FloatingPointError,
                           match=r"pred_img is nan at iteration 1 "
                           r"\(phase 'sr'\)"):
            step(model, optim, 'sr', batch)
    else:
        log = step(model, optim, 'sr', batch)
        assert log['skipped_updates'] == 1
    assert not changed(before, model, '')


def test_non_finite_bf16_loss_skips_the_generator(trained_parsers, batch):
    """An infinite loss term under bf16 autocast (bf16 has fp32's exponent
    range: it overflows where fp32 does) is caught like a NaN."""
    class HugeLoss(nn.Module):
        def forward(self, pred, target):
            return (pred - target).abs().mean() * torch.tensor(
                3e38, dtype=pred.dtype) * 10

    cfg = bf16_config(STAGE1, trained_parsers)
    cfg.model.train_cfg.nonfinite = dict(policy='skip')
    model, optim = build(cfg)
    model.losses['pixel_lr'] = HugeLoss()
    before = snapshot(model)
    log = step(model, optim, 'l1', batch)
    assert log['skipped_updates'] == 1
    assert torch.isinf(log['loss_pixel_lr'])
    assert not changed(before, model, 'generator.')


#: stage 1 for two iterations: L1, then all terms (both discriminators and
#: the 32 px parser), narrower
RESUMED = {
    'model.train_cfg.phases.local_adv': None,
    'model.train_cfg.phases.all.begin': 1,
    'model.generator.completion.fc_size': 32,
    'model.generator.completion.extra_channels': '(32,32)',
    'model.discriminators.global_lr.base_channels': 8,
    'model.discriminators.local_lr.base_channels': 8,
    'train_dataloader.batch_size': 1,
    'train_cfg.val_begin': 1000,  # no validation at the end
}


def test_resumed_bf16_run_ends_bit_identical(tool, trained_parsers,
                                             synthetic_root, fcsr_options,
                                             tmp_path):
    """Through tools/train.py --precision bf16: a run resumed after its
    first iteration ends with the straight run's weights, optimiser states
    and losses (fp32 master weights and Adam state restore exactly; bf16
    autocast is deterministic)."""
    def run(work_dir, *extra):
        tool('train.py').main(
            [osp.join(REPO, 'configs', STAGE1), '--work-dir', str(work_dir),
             '--precision', 'bf16', *extra] + fcsr_options(
                STAGE1, trained_parsers, f'{synthetic_root}/aligned', 2,
                RESUMED.items()))
        return torch.load(work_dir / 'iter_2.pth', map_location='cpu',
                          weights_only=False)

    straight = run(tmp_path / 'straight')
    resumed = run(tmp_path / 'resumed', '--resume',
                  str(tmp_path / 'straight' / 'iter_1.pth'))
    weights = straight['state_dict']
    assert all(v.dtype == torch.float32 for v in weights.values()
               if v.dtype.is_floating_point)
    for key, value in weights.items():
        assert torch.equal(value, resumed['state_dict'][key]), key
    for name, state in straight['optimizer'].items():
        for index, fields in state['state'].items():
            for field, value in fields.items():
                assert torch.equal(torch.as_tensor(value), torch.as_tensor(
                    resumed['optimizer'][name]['state'][index][field])), \
                    (name, index, field)
    straight_losses = losses_logged(tmp_path / 'straight')
    logged = losses_logged(tmp_path / 'resumed')
    assert {k for k, _ in logged} == {2} and \
        (2, 'loss_parsing_lr') in logged
    assert all(straight_losses[k] == v for k, v in logged.items())
