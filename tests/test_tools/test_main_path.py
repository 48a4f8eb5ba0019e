"""The main path: FCSR-GAN trained a few iterations (stage 1, then stage 2)
is tested with tools/test.py and benchmarked with tools/analysis/
benchmark.py on the synthetic faces (conftest's SCORED_FACES), and scores
what a broken generator does not: better than bicubic of the occluded input
on every metric, better than the same network with its initial weights, and
the same numbers through both tools."""
import csv
import json
import os.path as osp

import pytest

KEYS = ('PSNR', 'SSIM', 'HolePSNR', 'HoleSSIM', 'lr/PSNR')
# Measured after 8 stage-1 + 2 stage-2 iterations (trained_fcsr): bicubic of
# the occluded input 16.8 / 0.57 / 11.2 / 0.06 / 16.5, the trained model
# 3.5 dB / 0.13 / 4.0 dB / 0.41 / 5.1 dB above; the margins keep about half.
OVER_BICUBIC = {'PSNR': 1.5, 'SSIM': 0.05, 'HolePSNR': 1.5, 'HoleSSIM': 0.15,
                'lr/PSNR': 1.5}
# Initial weights already keep the known pixels (the completion module
# blends them back) and fill the hole with a flat colour: the trained
# model's fill is 0.8 dB better (measured) after these few iterations.
OVER_INITIAL_DB = 0.3


@pytest.fixture(scope='module')
def bicubic(trained_fcsr_scores, repo, synthetic_root, data_opts,
            tmp_path_factory):
    """run_test on the bicubic baseline (no checkpoint), same faces."""
    from fcsr_mm.apis import run_test
    work = tmp_path_factory.mktemp('bicubic')
    return run_test(
        osp.join(repo, 'configs/baselines/bicubic_synthetic.py'),
        cfg_options=dict(data_opts(osp.join(synthetic_root, 'aligned')),
                         **trained_fcsr_scores['faces'],
                         **{'visualizer.name': f'vis_bic_{work.name}'}),
        work_dir=str(work))


def test_trained_model_beats_bicubic_of_the_occluded_input(
        trained_fcsr_scores, bicubic):
    fcsr = trained_fcsr_scores['metrics']
    assert set(fcsr) >= set(KEYS), fcsr
    for key, margin in OVER_BICUBIC.items():
        assert fcsr[key] > bicubic[key] + margin, (key, fcsr, bicubic)
    # what tools/test.py --out wrote is what it returned
    with open(trained_fcsr_scores['out']) as f:
        written = json.load(f)
    assert all(written[k] == pytest.approx(fcsr[k]) for k in KEYS)


def row_config(tmp_path, trained_fcsr):
    """The stage-2 config with the tiny parsers its losses build (a rows
    file names configs, not overrides)."""
    opts = trained_fcsr['test_options']
    path = tmp_path / 'fcsr_row.py'
    path.write_text(
        f"_base_ = {trained_fcsr['config']!r}\n"
        'model = dict(losses=dict(parsing=dict(\n'
        f"    parser_config={opts['model.losses.parsing.parser_config']!r},\n"
        '    parser_checkpoint='
        f"{opts['model.losses.parsing.parser_checkpoint']!r})))\n")
    return str(path)


def test_benchmark_row_of_the_checkpoint(trained_fcsr, trained_fcsr_scores,
                                         bicubic, tool, repo,
                                         random_checkpoint,
                                         benchmark_data_config,
                                         synthetic_root, tmp_path):
    """The checkpoint as a benchmark row scores what tools/test.py gave
    (same faces, same seeded occlusions), the bicubic row what run_test
    gave, and the trained row beats the untrained network."""
    cfg = row_config(tmp_path, trained_fcsr)
    rows = tmp_path / 'rows.json'
    rows.write_text(json.dumps([
        dict(name='FCSR-GAN', config=cfg,
             checkpoint=trained_fcsr['checkpoint']),
        dict(name='initial weights', config=cfg,
             checkpoint=random_checkpoint(trained_fcsr['config'])),
        dict(name='bicubic', config=osp.join(
            repo, 'configs/baselines/bicubic_synthetic.py')),
    ]))
    out = tmp_path / 'bench'
    code = tool('analysis/benchmark.py').main([
        str(rows), '--out-dir', str(out), '--protocols', 'random',
        '--data-config', benchmark_data_config(
            trained_fcsr_scores['faces']['test_dataloader.dataset.ann_file']),
        '--data-root', osp.join(synthetic_root, 'aligned'), '--threads', '1',
        '--speed-batch', '2', '--batch-size', '2', '--grid', '0'])
    assert code == 0
    with open(out / 'results.csv') as f:
        table = {r['name']: r for r in csv.DictReader(f)}
    trained, initial = table['FCSR-GAN'], table['initial weights']
    fcsr = trained_fcsr_scores['metrics']
    for key in KEYS:
        assert float(trained[key]) == pytest.approx(fcsr[key], abs=1e-3), \
            (key, trained, fcsr)
        assert float(table['bicubic'][key]) == pytest.approx(
            bicubic[key], abs=1e-3), (key, table['bicubic'], bicubic)
    for key in ('PSNR', 'HolePSNR', 'lr/PSNR'):
        assert float(trained[key]) > float(initial[key]) + OVER_INITIAL_DB, \
            (key, trained, initial)
    assert float(trained['params']) == float(initial['params']) > 1e6
