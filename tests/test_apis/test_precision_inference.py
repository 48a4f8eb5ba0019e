"""Inference precision (issue 18): 'auto' | 'fp32' | 'bf16' through
``init_restorer`` / ``restore_faces``, tools/restore.py and tools/test.py
(``run_test``'s precision loops).

Where the CPU has no native bf16, oneDNN emulates it: ~6x slower than fp32
in channels_last, ~60x in the contiguous layout (measured on an AVX2 EPYC).
The bf16 runs here mock native bf16 (``native``), so that 'auto' and 'bf16'
give bf16 + channels_last, the faster emulated layout, on any machine, and
use a few faces.
"""
import os.path as osp

import numpy as np
import pytest
import torch
import torch.nn as nn
from mmagic.structures import DataSample
from mmengine.config import Config
from mmengine.structures import PixelData

import fcsr_mm.utils.precision as precision_module
from fcsr_mm.apis import init_restorer, restore_faces, run_test
from fcsr_mm.apis.inference_precision import (PrecisionMultiTestLoop,
                                              precision_test_cfg, to_float)
from fcsr_mm.utils.precision import PrecisionError

CONFIG = 'configs/fcsr_stage2_synthetic.py'


@pytest.fixture
def native(monkeypatch):
    """``native(True)``: the processor computes bf16 natively (mocked, for
    this test); ``native(False)``: it does not."""
    def set_native(ok: bool):
        monkeypatch.setattr(precision_module, 'native_bf16',
                            lambda device_type='cpu': (ok, f'mocked {ok}'))
    return set_native


@pytest.fixture(scope='module')
def test_faces(synthetic_root):
    """The synthetic test faces (128x128 paths) and their list file."""
    root = osp.join(synthetic_root, 'aligned')
    with open(osp.join(root, 'meta', 'test.txt')) as f:
        names = [line.split()[0] for line in f if line.strip()]
    return [osp.join(root, 'images', n) for n in names]


def conv_weights(model: nn.Module):
    return [m.weight for m in model.modules() if isinstance(m, nn.Conv2d)]


def channels_last(tensors) -> bool:
    return all(t.is_contiguous(memory_format=torch.channels_last)
               for t in tensors)


def watch_generator(model) -> dict:
    """What the generator of ``model`` sees and gives in its next run."""
    seen = {}

    def before(module, args):
        seen['input_channels_last'] = channels_last([args[0]])

    def after(module, args, output):
        seen['output_dtype'] = output[1].dtype
    model.generator.register_forward_pre_hook(before)
    model.generator.register_forward_hook(after)
    return seen


def test_auto_follows_the_capability(repo, random_checkpoint, native,
                                     test_faces):
    cfg = osp.join(repo, CONFIG)
    ckpt = random_checkpoint(cfg)
    native(False)
    model = init_restorer(cfg, ckpt, precision='auto')
    assert model.precision_plan.label == 'fp32 + channels_last'
    assert channels_last(conv_weights(model))
    seen = watch_generator(model)
    restore_faces(model, test_faces[:1], 'O3')
    assert seen == dict(input_channels_last=True,
                        output_dtype=torch.float32)

    native(True)
    model = init_restorer(cfg, ckpt, precision='auto')
    assert model.precision_plan.label == 'bf16 + channels_last'
    assert channels_last(conv_weights(model))
    seen = watch_generator(model)
    out = restore_faces(model, test_faces[:1], 'O3')[0]
    # the generator ran in autocast on channels_last inputs; the results
    # came back as fp32 and then uint8
    assert seen == dict(input_channels_last=True,
                        output_dtype=torch.bfloat16)
    assert out['pred_img'].dtype == np.uint8
    assert out['pred_img'].shape == (128, 128, 3)


def test_the_default_is_the_configs_precision(repo, random_checkpoint,
                                              native):
    native(True)
    cfg = Config.fromfile(osp.join(repo, CONFIG))
    ckpt = random_checkpoint(osp.join(repo, CONFIG))
    cfg.pop('precision', None)  # no key: 'auto'
    assert init_restorer(cfg, ckpt).precision_plan.name == 'bf16'
    cfg.precision = 'fp32'
    assert init_restorer(cfg, ckpt).precision_plan.name == 'fp32'
    assert init_restorer(cfg, ckpt, precision='bf16') \
        .precision_plan.name == 'bf16'  # the argument wins
    cfg.precision = 'half'
    with pytest.raises(PrecisionError, match="precision='half'.*'fp32'"):
        init_restorer(cfg, ckpt)
    with pytest.raises(PrecisionError, match="precision='fp16'"):
        init_restorer(osp.join(repo, CONFIG), ckpt, precision='fp16')


def test_bf16_asked_for_without_native_support_warns(repo, random_checkpoint,
                                                     native):
    native(False)
    cfg = osp.join(repo, CONFIG)
    with pytest.warns(UserWarning, match='emulated and much slower'):
        model = init_restorer(cfg, random_checkpoint(cfg), precision='bf16')
    # asked for, it runs (channels_last: the faster emulated layout)
    assert model.precision_plan.label == 'bf16 + channels_last'


def test_an_onnx_model_runs_fp32(repo, random_checkpoint, native,
                                 test_faces, tmp_path):
    """onnxruntime runs the exported fp32 graph: bf16 asked for is ignored,
    with a warning; 'auto' picks fp32 there without one."""
    from fcsr_mm.apis import export_onnx
    native(True)
    cfg = osp.join(repo, CONFIG)
    onnx = str(tmp_path / 'generator.onnx')
    export_onnx(cfg, random_checkpoint(cfg), onnx)
    with pytest.warns(UserWarning, match='bf16 is ignored for an ONNX'):
        model = init_restorer(cfg, onnx, precision='bf16')
    assert model.precision_plan.label == 'fp32'
    assert restore_faces(model, test_faces[:1], 'O3')[0]['pred_img'].shape \
        == (128, 128, 3)
    assert init_restorer(cfg, onnx).precision_plan.label == 'fp32'


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2)
    return 10 * np.log10(255.0 ** 2 / mse)


def test_bf16_matches_fp32_on_a_trained_model(trained_fcsr, native,
                                              test_faces):
    """The tiny trained FCSR-GAN on the synthetic test faces: bf16 results
    within 3 grey levels of fp32, and the same PSNR to 0.05 dB (measured:
    at most 2 levels apart, PSNR within 0.022 dB)."""
    import cv2
    native(True)
    config, ckpt = trained_fcsr['config'], trained_fcsr['checkpoint']
    fp32 = restore_faces(init_restorer(config, ckpt, precision='fp32'),
                         test_faces, 'O3')
    bf16 = restore_faces(init_restorer(config, ckpt, precision='bf16'),
                         test_faces, 'O3')
    for path, a, b in zip(test_faces, fp32, bf16):
        np.testing.assert_array_equal(a['input'], b['input'])
        for key in ('pred_img', 'pred_lr'):
            diff = np.abs(a[key].astype(int) - b[key].astype(int))
            assert diff.max() <= 3, (path, key, diff.max())
        gt = cv2.imread(path)
        assert abs(psnr(a['pred_img'], gt) - psnr(b['pred_img'], gt)) < 0.05
    # bf16 did run: its rounding shows somewhere
    assert any((a['pred_img'] != b['pred_img']).any()
               for a, b in zip(fp32, bf16))


def test_restore_cli_precision_reaches_the_model(repo, tool,
                                                 random_checkpoint, native,
                                                 test_faces, tmp_path):
    restore = tool('restore.py')
    cfg = osp.join(repo, CONFIG)
    argv = [cfg, random_checkpoint(cfg), test_faces[0], '--occlusion', 'O3',
            '--out-dir', str(tmp_path)]
    native(False)
    model = restore.load_model(restore.parse_args(argv + ['--precision',
                                                          'fp32']))
    assert model.precision_plan.label == 'fp32'
    native(True)
    args = restore.parse_args(argv + ['--precision', 'bf16'])
    model = restore.load_model(args)
    assert model.precision_plan.label == 'bf16 + channels_last'
    assert channels_last(conv_weights(model))
    written = restore.main(argv + ['--precision', 'bf16'])
    assert osp.isfile(written[0])
    with pytest.raises(SystemExit):  # argparse: not one of the choices
        restore.parse_args(argv + ['--precision', 'fp16'])


def test_test_cli_runs_the_loop_in_bf16(trained_fcsr, tool, native,
                                        monkeypatch, tmp_path):
    """tools/test.py --precision bf16: the config's MultiTestLoop runs as
    PrecisionMultiTestLoop, the generator in bf16 autocast with
    channels_last weights, and the metrics are fp32's (two faces)."""
    native(True)
    seen = set()
    run_iter = PrecisionMultiTestLoop.run_iter

    def spy(self, idx, data_batch, metrics):
        gen = self._runner.model.generator
        handle = gen.register_forward_hook(lambda m, args, out: seen.add(
            (self.plan.label, channels_last(conv_weights(gen)),
             out[1].dtype)))
        try:
            run_iter(self, idx, data_batch, metrics)
        finally:
            handle.remove()
    monkeypatch.setattr(PrecisionMultiTestLoop, 'run_iter', spy)
    opts = dict(trained_fcsr['test_options'],
                **{'test_dataloader.dataset.indices': 2,
                   'test_dataloader.batch_size': 2})
    bf16 = tool('test.py').main(
        [trained_fcsr['config'], trained_fcsr['checkpoint'], '--work-dir',
         str(tmp_path / 'bf16'), '--precision', 'bf16', '--cfg-options']
        + [f'{k}={v}' for k, v in dict(
            opts, **{'visualizer.name': f'vis_bf16_{tmp_path.name}'}).items()])
    assert seen == {('bf16 + channels_last', True, torch.bfloat16)}
    seen.clear()
    fp32 = run_test(trained_fcsr['config'], trained_fcsr['checkpoint'],
                    dict(opts, **{'visualizer.name':
                                  f'vis_fp32_{tmp_path.name}'}),
                    work_dir=str(tmp_path / 'fp32'), precision='fp32')
    assert seen == {('fp32', False, torch.float32)}
    for key in ('PSNR', 'HolePSNR', 'lr/PSNR'):
        assert bf16[key] == pytest.approx(fp32[key], abs=0.05), key
    for key in ('SSIM', 'HoleSSIM'):
        assert bf16[key] == pytest.approx(fp32[key], abs=0.002), key


def test_precision_test_cfg():
    assert precision_test_cfg(dict(type='MultiTestLoop'), 'bf16') == dict(
        type='PrecisionMultiTestLoop', precision='bf16')
    assert precision_test_cfg(dict(type='TestLoop'), 'auto') == dict(
        type='PrecisionTestLoop', precision='auto')
    assert precision_test_cfg({}, 'fp32')['type'] == 'PrecisionTestLoop'
    assert precision_test_cfg(
        dict(type='PrecisionMultiTestLoop', precision='bf16'),
        'fp32')['precision'] == 'fp32'
    assert precision_test_cfg(None, 'bf16') is None
    other = dict(type='GenTestLoop')
    assert precision_test_cfg(other, 'fp32') == other  # runs as it is
    with pytest.raises(ValueError, match="'GenTestLoop' runs in fp32 only"):
        precision_test_cfg(other, 'bf16')
    with pytest.raises(ValueError, match="fp16=True.*precision='bf16'"):
        precision_test_cfg(dict(type='MultiTestLoop', fp16=True), 'auto')


def test_to_float_reaches_every_output():
    low = torch.ones(3, 4, 4, dtype=torch.bfloat16)
    sample = DataSample(gt_img=torch.zeros(3, 4, 4))
    sample.output = DataSample(pred_img=low, pred_lr=low.half())
    seg = PixelData(data=low)
    out = to_float([sample, dict(seg=seg), (low, torch.arange(3))])
    assert out[0].output.pred_img.dtype == torch.float32
    assert out[0].output.pred_lr.dtype == torch.float32
    assert out[1]['seg'].data.dtype == torch.float32
    assert out[2][0].dtype == torch.float32
    assert out[2][1].dtype == torch.int64  # integers stay


def test_a_parser_config_tests_in_bf16(trained_parsers, synthetic_parser_root,
                                       data_opts, native, monkeypatch,
                                       tmp_path):
    """mmseg's side: a parser config's TestLoop runs as PrecisionTestLoop,
    and bf16 gives fp32's mIoU (the tiny 32 px parser, four faces)."""
    from fcsr_mm.apis.inference_precision import PrecisionTestLoop
    native(True)
    config, ckpt = trained_parsers[32]
    plans = []
    run = PrecisionTestLoop.run

    def spy(self):
        metrics = run(self)
        plans.append(self.plan.label)
        return metrics
    monkeypatch.setattr(PrecisionTestLoop, 'run', spy)
    opts = dict(data_opts(synthetic_parser_root),
                **{'test_dataloader.dataset.indices': 4})
    scores = {}
    for precision in ('fp32', 'bf16'):
        scores[precision] = run_test(
            config, ckpt, dict(opts, **{'visualizer.name':
                                        f'vis_{precision}_{tmp_path.name}'}),
            work_dir=str(tmp_path / precision), precision=precision)
    assert plans == ['fp32', 'bf16 + channels_last']
    assert scores['bf16']['mIoU'] == pytest.approx(scores['fp32']['mIoU'],
                                                   abs=0.5)
