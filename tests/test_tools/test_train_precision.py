"""tools/train.py's precision: --precision, --amp and a config's
``precision`` reach the optimiser wrappers (bf16: AutocastOptimWrapper, on
CPU too), ``auto`` follows the processor, fp32 changes nothing, and a run
says in its log which path it took."""
import copy
import glob
import os
import os.path as osp
import subprocess
import sys

import pytest
import torch
from mmengine.config import Config

from fcsr_mm.engine.launch import apply_precision

STAGE1 = 'configs/fcsr_stage1_synthetic.py'  # precision = 'auto'
PAPER = 'configs/fcsr_gan/fcsr-gan_stage1_1xb16-200k_celeba-32x32.py'  # no precision: fp32
PARSER = 'configs/parser/segnet_s3c16_1xb16-300_synthetic-32x32.py'

pytestmark = pytest.mark.filterwarnings('ignore:precision bf16')


@pytest.fixture
def native(monkeypatch):
    """``native(ok)``: the processor computes bf16 natively, or not."""
    def mock(ok):
        monkeypatch.setattr('fcsr_mm.utils.precision.native_bf16',
                            lambda device: (ok, f'mocked native={ok}'))
    return mock


@pytest.fixture
def trained_cfg(tool, monkeypatch):
    """``trained_cfg(config, *flags)``: the config (and the log's precision
    line) ``tools/train.py`` would build its Runner from."""
    train = tool('train.py')
    built = {}

    class NoTraining:
        def train(self):
            pass

    def build_runner(args, cfg, started, precision=''):
        built.update(cfg=cfg, line=precision)
        return NoTraining()
    monkeypatch.setattr(train, 'build_runner', build_runner)
    monkeypatch.setattr(train, 'check_inputs', lambda *a, **k: None)

    def run(config, *flags, work_dir='unused'):
        train.main([osp.join(train.REPO_ROOT, config), '--work-dir',
                    work_dir, *flags])
        return built['cfg'], built['line']
    return run


def wrapper_types(cfg):
    """The wrapper types of cfg.optim_wrapper; 'bf16' where they are
    AutocastOptimWrapper with the precision the run asked for."""
    optim = cfg.optim_wrapper
    subs = [optim] if 'optimizer' in optim else [
        v for v in optim.values() if isinstance(v, dict)]
    types = {w.get('type', 'OptimWrapper') for w in subs}
    if types == {'AutocastOptimWrapper'}:
        assert {w.precision for w in subs} == {cfg.precision}
        return BF16
    return types


BF16, FP32 = 'bf16', {'OptimWrapper'}


@pytest.mark.parametrize('config, flags, is_native, expected, said', [
    (STAGE1, (), True, BF16, "'auto' on cpu: bf16 autocast"),
    (STAGE1, (), False, FP32, "'auto' on cpu: fp32 (mocked native=False"),
    (STAGE1, ('--precision', 'bf16'), False, BF16, "'bf16' on cpu: bf16"),
    (STAGE1, ('--amp', ), False, BF16, "'bf16' on cpu: bf16 autocast"),
    (STAGE1, ('--precision', 'fp32'), True, FP32, "'fp32' on cpu: fp32"),
    (PAPER, (), True, FP32, "'fp32' on cpu: fp32"),
    (PAPER, ('--precision', 'auto'), True, BF16, "'auto' on cpu: bf16"),
    (PARSER, ('--amp', ), False, BF16, "'bf16' on cpu: bf16"),
])
def test_flags_and_config_reach_the_optim_wrappers(
        trained_cfg, native, monkeypatch, config, flags, is_native,
        expected, said):
    monkeypatch.setattr(torch.cuda, 'is_available', lambda: False)
    native(is_native)
    cfg, line = trained_cfg(config, *flags)
    assert wrapper_types(cfg) == expected
    assert said in line and 'training precision' in line
    if expected == BF16:
        assert 'contiguous memory format' in line
    if config == STAGE1:  # both of FCSR-GAN's optimisers
        assert {'generator', 'discriminators'} <= set(cfg.optim_wrapper)


def test_on_a_gpu_bf16_goes_through_the_same_wrapper(trained_cfg, native,
                                                    monkeypatch):
    """No loss scaler for bf16: AutocastOptimWrapper on CUDA as well."""
    monkeypatch.setattr(torch.cuda, 'is_available', lambda: True)
    native(True)
    cfg, line = trained_cfg(STAGE1)
    assert wrapper_types(cfg) == BF16 and "'auto' on cuda: bf16" in line


def test_precision_and_amp_are_one_choice(tool, repo):
    train = tool('train.py')
    cfg = osp.join(repo, PARSER)
    assert train.parse_args([cfg]).precision is None
    assert train.parse_args([cfg, '--precision', 'auto']).precision == 'auto'
    with pytest.raises(SystemExit):
        train.parse_args([cfg, '--amp', '--precision', 'fp32'])
    with pytest.raises(SystemExit):
        train.parse_args([cfg, '--precision', 'fp16'])


def multi_wrapper_cfg(kind='OptimWrapper', **top):
    return Config(dict(top, optim_wrapper=dict(
        constructor='MultiOptimWrapperConstructor',
        generator=dict(type=kind, optimizer=dict(type='Adam', lr=1e-4)),
        # no type: the constructors default it to OptimWrapper
        discriminators=dict(optimizer=dict(type='Adam', lr=1e-4)))))


def test_fp32_leaves_the_config_alone(native):
    native(True)
    for cfg in (multi_wrapper_cfg(precision='fp32'), multi_wrapper_cfg()):
        before = copy.deepcopy(cfg.optim_wrapper.to_dict())
        assert apply_precision(cfg).name == 'fp32'
        assert cfg.optim_wrapper.to_dict() == before
        assert cfg.precision == 'fp32'


def test_bf16_switches_every_wrapper_and_keeps_its_settings(native):
    native(True)
    cfg = multi_wrapper_cfg(precision='auto')
    cfg.optim_wrapper.generator.clip_grad = dict(max_norm=1.0)
    assert apply_precision(cfg).name == 'bf16'
    assert wrapper_types(cfg) == BF16
    assert cfg.optim_wrapper.generator.clip_grad == dict(max_norm=1.0)
    assert cfg.optim_wrapper.constructor == 'MultiOptimWrapperConstructor'


@pytest.mark.parametrize('kind', ['AmpOptimWrapper', 'MyOptimWrapper'])
def test_wrappers_it_cannot_convert_are_refused_by_type(native, kind):
    native(True)
    with pytest.raises(SystemExit, match=f"type '{kind}'.*--precision fp32"):
        apply_precision(multi_wrapper_cfg(kind), 'bf16')
    apply_precision(multi_wrapper_cfg(kind), 'fp32')  # untouched: fine


def test_bad_precision_in_the_config_is_named(native):
    native(False)
    with pytest.raises(SystemExit, match="precision='fp16'.*top-level"):
        apply_precision(multi_wrapper_cfg(precision='fp16'))


def test_bf16_parser_iteration_on_cpu_logs_its_path(
        tool, repo, synthetic_parser_root, data_opts, tmp_path):
    """mmseg's parser trains through the same wrapper: one bf16 iteration,
    and the run's own log names the path."""
    opts = dict(data_opts(synthetic_parser_root), **{
        'train_cfg.max_iters': 1, 'train_cfg.val_begin': 1000,
        'train_dataloader.batch_size': 2,
        'default_hooks.checkpoint.interval': 1})
    tool('train.py').main(
        [osp.join(repo, PARSER), '--work-dir', str(tmp_path), '--precision',
         'bf16', '--cfg-options'] + [f'{k}={v}' for k, v in opts.items()])
    log = open(glob.glob(str(tmp_path / '*' / '*.log'))[0]).read()
    assert "training precision 'bf16' on " in log
    assert 'bf16 autocast (fp32 weights)' in log
    dumped = Config.fromfile(str(tmp_path / osp.basename(PARSER)))
    assert dumped.optim_wrapper.type == 'AutocastOptimWrapper'
    state = torch.load(tmp_path / 'iter_1.pth', map_location='cpu',
                       weights_only=False)['state_dict']
    assert all(v.dtype == torch.float32 for v in state.values()
               if v.dtype.is_floating_point)


@pytest.mark.skipif(sys.platform != 'linux', reason='bash script')
def test_quickstart_names_a_bad_precision(repo, tmp_path):
    env = dict(os.environ, QUICKSTART_PYTHON=sys.executable,
               QUICKSTART_OUT=str(tmp_path / 'out'),
               QUICKSTART_PRECISION='fp16')
    proc = subprocess.run(['bash', osp.join(repo, 'tools', 'quickstart.sh')],
                          env=env, capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert 'QUICKSTART_PRECISION=fp16: use auto, fp32 or bf16' in proc.stdout
    assert not osp.exists(tmp_path / 'out')
