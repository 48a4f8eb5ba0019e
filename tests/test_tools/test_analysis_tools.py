import json
import os.path as osp

import cv2
import numpy as np
import pytest


def test_results_table(tool, tmp_path):
    table = tool('analysis/results_table.py')
    a = tmp_path / 'a.json'
    a.write_text(json.dumps({'PSNR': 21.234, 'SSIM': 0.71234, 'HolePSNR': 15.0,
                             'NIQE': 8.12345}))
    out = tmp_path / 't.md'
    text = table.main([f'model={a}', '--out', str(out)])
    assert '| model | 21.23 | 0.7123 | 15.00 | - | - | - | - | 8.123 |' in text
    assert out.read_text() == text
    with pytest.raises(SystemExit, match='NAME=FILE'):
        table.main([f'model={tmp_path / "missing.json"}'])
    doc = tmp_path / 'page.md'
    doc.write_text('# Page\n\nprose kept\n')
    for _ in range(2):  # written again in place, not appended
        table.main([f'model={a}', '--doc', str(doc), '--section', 'card',
                    '--note', 'on 2 cores'])
    page = doc.read_text()
    assert page.startswith('# Page\n\nprose kept\n')
    assert page.count('| model | 21.23') == 1 and 'on 2 cores' in page
    assert 'Written by `python tools/analysis/results_table.py model=' in page


def test_collect_grid(tool, tmp_path):
    grid = tool('analysis/collect_grid.py')
    vis = tmp_path / 'run' / 'vis_data' / 'vis_image'
    vis.mkdir(parents=True)
    for i in range(3):
        cv2.imwrite(str(vis / f'{i}.png'), np.full((128, 512, 3), i * 50,
                                                    np.uint8))
    grid.main([str(tmp_path), '--out', str(tmp_path / 'g.png'), '--num', '2'])
    assert cv2.imread(str(tmp_path / 'g.png')).shape == (2 * 132, 512, 3)
    with pytest.raises(SystemExit, match='no result images'):
        grid.main([str(tmp_path / 'run2'), '--out', str(tmp_path / 'x.png')])


@pytest.fixture(scope='module')
def bicubic_table(tool, repo, synthetic_root, data_opts, tmp_path_factory):
    """Table I of the bicubic baseline (all six occlusions)."""
    out = str(tmp_path_factory.mktemp('table1') / 'bicubic')
    cfg = osp.join(repo, 'configs/baselines/bicubic_synthetic.py')
    opts = data_opts(osp.join(synthetic_root, 'aligned'))
    results = tool('analysis/occlusion_table.py').main(
        [cfg, '--out-dir', out, '--cfg-options']
        + [f'{k}={v}' for k, v in opts.items()])
    return dict(config=cfg, out=out, results=results)


def test_occlusion_table(tool, bicubic_table):
    """Table I on the bicubic baseline: six runs, six different inputs."""
    results, out = bicubic_table['results'], bicubic_table['out']
    assert list(results) == ['O1', 'O2', 'O3', 'O4', 'O5', 'O6']
    psnr = [m['PSNR'] for m in results.values()]
    assert len(set(psnr)) == 6  # each occlusion hides a different part
    # half-face occlusions hide more than one eye
    assert results['O1']['PSNR'] < results['O4']['PSNR']
    table = open(osp.join(out, 'table.md')).read()
    mean = sum(psnr) / 6
    assert f'| mean | {mean:.2f} |' in table
    before = open(osp.join(out, 'O1.json')).read()
    with pytest.raises(SystemExit, match='already exists'):
        tool('analysis/occlusion_table.py').main(
            [bicubic_table['config'], '--out-dir', out])
    assert open(osp.join(out, 'O1.json')).read() == before


def test_occlusion_table_of_a_trained_model(tool, trained_fcsr,
                                            bicubic_table, tmp_path):
    """The few-iteration FCSR-GAN checkpoint through the Table I tool: on
    each occlusion it fills the hole far better than bicubic of the
    occluded input (measured: 2 dB in the hole for both eyes, 5 dB for the
    mouth), and the table shows
    the runs' own numbers."""
    out = str(tmp_path / 'fcsr')
    opts = trained_fcsr['test_options']
    results = tool('analysis/occlusion_table.py').main(
        [trained_fcsr['config'], trained_fcsr['checkpoint'], '--out-dir',
         out, '--occlusions', 'O3', 'O6', '--cfg-options']
        + [f'{k}={v}' for k, v in opts.items()])
    assert list(results) == ['O3', 'O6']
    table = open(osp.join(out, 'table.md')).read()
    for occ, metrics in results.items():
        bicubic = bicubic_table['results'][occ]
        assert metrics['HolePSNR'] > bicubic['HolePSNR'] + 1.0, occ
        assert metrics['HoleSSIM'] > bicubic['HoleSSIM'] + 0.1, occ
        assert metrics['PSNR'] > bicubic['PSNR'] + 0.5, occ
        assert (f'| {metrics["PSNR"]:.2f} | {metrics["SSIM"]:.4f} | '
                f'{metrics["HolePSNR"]:.2f} | {metrics["HoleSSIM"]:.4f} |'
                in table), occ
        with open(osp.join(out, f'{occ}.json')) as f:
            assert json.load(f)['PSNR'] == pytest.approx(metrics['PSNR'])
    assert '| mean |' not in table  # only with all six


def test_variant_runs_table(tool, tmp_path):
    mod = tool('analysis/variant_runs_table.py')
    results = tmp_path / 'results.txt'
    results.write_text(
        'GL32 iters=800 train_s=500 test_s=30 {"PSNR": 23.8, "SSIM": 0.79}\n'
        'F iters=800 train_s=520 test_s=60 {"PSNR": 22.0, "lr/PSNR": 24.2, '
        '"lr/HoleSeam": -0.5}\n'
        'F iters=800 train_s=530 test_s=60 {"PSNR": 22.1, "lr/PSNR": 24.3, '
        '"lr/HoleSeam": -0.4}\n')
    out = mod.main([str(results), '--ref', 'GL32', '--label', 'F=lr 4e-4'])
    rows = out.splitlines()
    assert len(rows) == 4  # header, rule, one row per name (the last wins)
    assert rows[3] == ('| F | lr 4e-4 | 800 | 530 | 24.30 | +0.50 | -0.40 '
                       '| 22.10 |')
    assert rows[2].startswith('| GL32 |  | 800 | 500 | 23.80 | +0.00 | - | - |')
    with pytest.raises(KeyError, match='--ref GL64: no such run'):
        mod.main([str(results), '--ref', 'GL64'])
    # the fine-tuning study's columns, NIQE and PSNR against a reference
    tuned = tmp_path / 'finetune.txt'
    tuned.write_text(
        'P0 iters=80 train_s=900 test_s=99 {"PSNR": 23.75, "SSIM": 0.7754, '
        '"HolePSNR": 18.8, "HoleSeam": -1.2, "NIQE": 10.5}\n'
        'W iters=80 train_s=400 test_s=99 {"PSNR": 23.5, "SSIM": 0.77, '
        '"HolePSNR": 18.6, "HoleSeam": -0.9, "NIQE": 9.9}\n')
    rows = mod.main([str(tuned), '--kind', 'finetune', '--ref', 'P0',
                     '--label', 'W=warm-up']).splitlines()
    assert 'NIQE vs P0' in rows[0]
    assert rows[3] == ('| W | warm-up | 80 | 400 | 23.50 | 0.7700 | 18.60 | '
                       '-0.90 | 9.900 | -0.25 | -0.600 |')
    results.write_text('junk\n')
    with pytest.raises(ValueError, match=r'results.txt:1: not a results line'):
        mod.main([str(results)])


def test_loss_balance_reports_each_term_and_scales_with_its_weight(
        tool, repo, trained_fcsr, trained_parsers, synthetic_root,
        fcsr_options, tmp_path):
    """tools/analysis/loss_balance.py on the session's stage-2 checkpoint:
    every term of the phase, the pixel term as the reference, and a term's
    gradient doubling with its weight."""
    root = f'{synthetic_root}/aligned'
    s2 = 'fcsr_stage2_synthetic.py'
    balance = tool('analysis/loss_balance.py')
    opts = fcsr_options(s2, trained_parsers, root, 1)[1:]
    args = [osp.join(repo, 'configs', s2), trained_fcsr['checkpoint'],
            '--batches', '1', '--out', str(tmp_path / 'balance.md'),
            '--cfg-options'] + opts
    rows = {r[0]: r for r in balance.main(args)}
    assert set(rows) == {'pixel', 'adv_local_hr', 'adv_global_hr',
                         'perceptual', 'parsing'}
    assert rows['pixel'][4] == pytest.approx(1.0)
    assert rows['pixel'][5] == pytest.approx(1.0, abs=1e-5)
    assert all(r[3] > 0 for r in rows.values())
    doubled = {r[0]: r for r in balance.main(
        args + ['model.train_cfg.phases.all.losses.parsing=0.04'])}
    assert doubled['parsing'][1] == 0.04
    assert doubled['parsing'][3] == pytest.approx(2 * rows['parsing'][3],
                                                  rel=1e-4)
    assert doubled['pixel'][3] == pytest.approx(rows['pixel'][3], rel=1e-4)
    assert '| parsing | 0.04 |' in (tmp_path / 'balance.md').read_text()
    with pytest.raises(ValueError, match=r"no phase 'gan'; the schedule has "
                       r"\['sr', 'all'\]"):
        balance.main(args[:2] + ['--phase', 'gan', '--cfg-options'] + opts)
