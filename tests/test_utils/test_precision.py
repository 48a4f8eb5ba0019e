"""Precision: 'auto' resolution with the processor's bf16 capability mocked
both ways, explicit bf16 where it is emulated, bad values, and the
optimiser wrapper's autocast (bf16 activations, fp32 weights and grads)."""
import warnings

import pytest
import torch
import torch.nn as nn

from fcsr_mm.utils import precision as precision_module
from fcsr_mm.engine.optimizers import AutocastOptimWrapper
from fcsr_mm.utils.precision import PrecisionError, resolve_precision


def native(ok):
    return lambda device: (ok, f'mocked: native={ok} on {device}')


@pytest.mark.parametrize('device', ['cpu', 'cuda'])
def test_auto_is_bf16_channels_last_only_where_native(device):
    plan = resolve_precision('auto', device, native=native(True))
    assert (plan.name, plan.channels_last, plan.dtype) == \
        ('bf16', True, torch.bfloat16)
    assert plan.device_type == device and 'native=True' in plan.reason
    assert plan.label == 'bf16 + channels_last'
    plan = resolve_precision('auto', device, native=native(False))
    # fp32 channels_last on a CPU: its faster fp32 layout
    assert (plan.name, plan.channels_last, plan.dtype) == \
        ('fp32', device == 'cpu', torch.float32)
    assert 'native=False' in plan.reason
    assert plan.label == ('fp32 + channels_last' if device == 'cpu' else
                          'fp32')


def test_auto_never_warns_and_fp32_ignores_the_processor():
    with warnings.catch_warnings():
        warnings.simplefilter('error')
        resolve_precision('auto', 'cpu', native=native(False))
        for ok in (True, False):
            plan = resolve_precision('fp32', 'cpu', native=native(ok))
            assert (plan.name, plan.channels_last) == ('fp32', False)


def test_explicit_bf16_without_native_warns_and_runs_bf16():
    with pytest.warns(UserWarning, match='bf16 is emulated and much slower'):
        plan = resolve_precision('bf16', 'cpu', native=native(False))
    # channels_last also when emulated: the faster emulated layout
    assert (plan.name, plan.channels_last) == ('bf16', True)
    assert 'emulated' in plan.reason
    with warnings.catch_warnings():
        warnings.simplefilter('error')
        plan = resolve_precision('bf16', 'cpu', native=native(True))
    assert (plan.name, plan.channels_last) == ('bf16', True)


@pytest.mark.parametrize('bad', ['fp16', 'BF16', '', None])
def test_bad_precision_is_named(bad):
    with pytest.raises(PrecisionError, match=repr(bad)):
        resolve_precision(bad, 'cpu', native=native(True))
    with pytest.raises(ValueError, match=repr(bad)):
        AutocastOptimWrapper(precision=bad, optimizer=torch.optim.SGD(
            nn.Linear(1, 1).parameters(), lr=0.1))


def test_the_real_capability_check_answers_in_words():
    ok, why = precision_module.native_bf16('cpu')
    assert isinstance(ok, bool) and why
    plan = resolve_precision('auto', 'cpu')
    assert plan.name == ('bf16' if ok else 'fp32')


def tiny_net():
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.ReLU(),
                         nn.Conv2d(4, 2, 3, padding=1))


def wrapper(net, precision):
    with warnings.catch_warnings():  # bf16 is emulated on most CPUs
        warnings.simplefilter('ignore')
        optim = AutocastOptimWrapper(precision=precision,
                                     optimizer=torch.optim.Adam(
                                         net.parameters(), lr=1e-2))
        optim.plan(net)
    return optim


def test_optim_context_runs_bf16_and_keeps_fp32_weights_and_grads():
    net, x = tiny_net(), torch.randn(1, 3, 8, 8)
    optim = wrapper(net, 'bf16')
    with optim.optim_context(net):
        out = net(x)
        loss = nn.functional.mse_loss(out, torch.zeros(out.shape))
    assert out.dtype == torch.bfloat16
    assert loss.dtype == torch.float32  # autocast reduces MSE in fp32
    optim.backward(loss)
    assert all(p.dtype == torch.float32 and p.grad.dtype == torch.float32
               and p.grad.abs().sum() > 0 for p in net.parameters())
    before = [p.detach().clone() for p in net.parameters()]
    optim.step()
    assert all(p.dtype == torch.float32 and not torch.equal(p, b)
               for p, b in zip(net.parameters(), before))
    state = optim.optimizer.state[next(net.parameters())]
    assert state['exp_avg'].dtype == torch.float32
    assert net(x).dtype == torch.float32  # outside the context: fp32


@pytest.mark.parametrize('ok, dtype', [(True, torch.bfloat16),
                                       (False, torch.float32)])
def test_auto_wrapper_follows_the_processor(monkeypatch, ok, dtype):
    """tools/train.py gives the wrappers the precision asked for ('auto'):
    each resolves it on its model's device."""
    monkeypatch.setattr('fcsr_mm.utils.precision.native_bf16', native(ok))
    net = tiny_net()
    optim = wrapper(net, 'auto')
    with optim.optim_context(net):
        assert net(torch.randn(1, 3, 8, 8)).dtype == dtype
    assert optim.plan(net).name == ('bf16' if ok else 'fp32')


def test_fp32_is_a_no_op():
    net, x = tiny_net(), torch.randn(1, 3, 8, 8)
    plan = resolve_precision('fp32', 'cpu')
    assert plan.prepare(net) is net and plan.inputs(x) is x
    assert net[0].weight.is_contiguous()
    with plan.autocast():
        assert not torch.is_autocast_enabled('cpu')
        assert net(x).dtype == torch.float32
    optim, reference = wrapper(net, 'fp32'), tiny_net()
    with optim.optim_context(net):
        out = net(x)
    assert out.dtype == torch.float32 and torch.equal(out, reference(x))


@pytest.mark.filterwarnings('ignore:precision bf16')
def test_backward_outside_optim_context_says_bf16_did_not_reach_it(
        monkeypatch):
    """A train_step that never enters optim_context (mmagic's GL and PConv
    inpaintors) trains in fp32: said once, not silently."""
    said = []
    monkeypatch.setattr(
        'fcsr_mm.engine.optimizers.autocast_optim_wrapper.print_log',
        lambda msg, **kw: said.append((msg, kw.get('level'))))
    net, x = tiny_net(), torch.randn(1, 3, 8, 8)
    optim = wrapper(net, 'bf16')
    for _ in range(2):
        optim.update_params(net(x).float().mean())
    assert len(said) == 1 and 'trains in fp32, not bf16' in said[0][0]
    assert said[0][1] == 30  # a warning
    said.clear()
    inside = wrapper(net, 'bf16')
    with inside.optim_context(net):
        loss = net(x).float().mean()
    inside.update_params(loss)
    assert not said
