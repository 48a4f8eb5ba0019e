"""tools/analysis/benchmark.py --precision: every row (FCSR-GAN, and an
mmagic inpainter and SR network in sequence) runs in the one plan, and its
metrics and pictures still work.

Native bf16 is mocked: on a CPU without it, 'bf16' + channels_last (what a
native CPU gets) is the faster emulated layout.
"""
import csv
import json
import math
import os.path as osp

import pytest
from mmengine.config import Config

import fcsr_mm.utils.precision as precision_module
from fcsr_mm.benchmark import rows as bench
from fcsr_mm.apis import inference_precision
from fcsr_mm.apis import inference_model
from fcsr_mm.utils.precision import resolve_precision

# an SR network small enough for emulated bf16 (random weights)
TINY_SR = dict(
    type='BaseEditModel',
    generator=dict(type='MSRResNet', in_channels=3, out_channels=3,
                   mid_channels=8, num_blocks=1, upscale_factor=4),
    pixel_loss=dict(type='L1Loss'),
    data_preprocessor=dict(type='DataPreprocessor', mean=[0.0] * 3,
                           std=[255.0] * 3))


def fcsr_row_config(tmp_path, trained_fcsr) -> str:
    """The trained config with the tiny parsers its parsing loss builds."""
    opts = trained_fcsr['test_options']
    path = tmp_path / 'fcsr_row.py'
    path.write_text(
        f"_base_ = {trained_fcsr['config']!r}\n"
        'model = dict(losses=dict(parsing=dict(\n'
        f"    parser_config={opts['model.losses.parsing.parser_config']!r},\n"
        '    parser_checkpoint='
        f"{opts['model.losses.parsing.parser_checkpoint']!r})))\n")
    return str(path)


def sequence_config(tmp_path, repo) -> str:
    """mmagic's GL inpainter (32 px, initial weights), then TINY_SR."""
    path = tmp_path / 'gl_then_sr.py'
    base = osp.join(repo, 'configs/_base_/comparison_celeba128.py')
    gl32 = osp.join(repo, 'configs/peers/gl_1xb16-cpu_celeba128-32x32.py')
    steps = [dict(role='inpaint', config=gl32), dict(role='sr', model=TINY_SR)]
    path.write_text(f'_base_ = {base!r}\nmodel = dict(steps={steps!r})\n')
    return str(path)


def test_every_row_runs_in_the_one_precision(trained_fcsr, tool, repo,
                                             benchmark_data_config,
                                             synthetic_root, monkeypatch,
                                             tmp_path):
    monkeypatch.setattr(precision_module, 'native_bf16',
                        lambda device_type='cpu': (True, 'mocked'))
    applied = []
    for module in (inference_model, inference_precision):
        set_precision = module.set_model_precision

        def spy(model, plan, set_precision=set_precision):
            applied.append((type(model).__name__, plan.label))
            return set_precision(model, plan)
        monkeypatch.setattr(module, 'set_model_precision', spy)
    fcsr = dict(name='FCSR-GAN', config=fcsr_row_config(tmp_path,
                                                         trained_fcsr),
                checkpoint=trained_fcsr['checkpoint'])
    rows = tmp_path / 'rows.json'
    rows.write_text(json.dumps([
        fcsr, dict(name='GL32 -> MSRResNet', sequence=True,
                   config=sequence_config(tmp_path, repo))]))
    out = tmp_path / 'bench'
    data = benchmark_data_config()
    root = osp.join(synthetic_root, 'aligned')
    code = tool('analysis/benchmark.py').main([
        str(rows), '--out-dir', str(out), '--protocols', 'random',
        '--data-config', data, '--data-root', root, '--num-faces', '2',
        '--threads', '1', '--speed-batch', '1', '--batch-size', '2',
        '--grid', '1', '--precision', 'bf16'])
    assert code == 0
    # cost, test and speed-in-turns runs of both rows, all in the one plan
    assert sorted(set(applied)) == [
        ('FCSRGAN', 'bf16 + channels_last'),
        ('SequentialRestorer', 'bf16 + channels_last')]
    assert len(applied) == 6
    with open(out / 'results.csv') as f:
        table = {r['name']: r for r in csv.DictReader(f)}
    for name, row in table.items():
        assert row['status'] == 'ok', (name, row['status'])
        for key in ('PSNR', 'SSIM', 'HolePSNR', 'lr/PSNR', 'NIQE',
                    'faces_s'):
            assert math.isfinite(float(row[key])), (name, key)
    assert 'Precision (every row): bf16 + channels_last' in \
        (out / 'results.md').read_text()
    assert osp.getsize(out / 'faces.png') > 1000
    # the metrics of the bf16 row are fp32's
    loader = bench.test_dataloader(Config.fromfile(data), 'random',
                                   root, 2, 2)
    fp32 = bench.test_row(fcsr, loader, str(tmp_path / 'fp32'),
                          resolve_precision('fp32', 'cpu'))
    assert applied[-1] == ('FCSRGAN', 'fp32')
    for key in ('PSNR', 'HolePSNR', 'lr/PSNR'):
        assert float(table['FCSR-GAN'][key]) == pytest.approx(
            fp32[key], abs=0.05), key
