"""Argument handling of tools/train.py and tools/test.py."""
import os
import os.path as osp

import numpy as np
import pytest

PARSER_CFG = 'configs/parser/segnet_s3c16_1xb16-300_synthetic-32x32.py'


def test_train_args_and_config(tool, repo, tmp_path):
    train = tool('train.py')
    args = train.parse_args([
        osp.join(repo, PARSER_CFG), '--work-dir', str(tmp_path), '--resume',
        '--cfg-options', 'train_cfg.max_iters=7', 'model.decode_head.num_classes=9'
    ])
    assert args.resume == 'auto' and not args.amp and args.launcher == 'none'
    cfg = train.config_from_args(args)
    assert cfg.work_dir == str(tmp_path)
    assert cfg.train_cfg.max_iters == 7
    args = train.parse_args([osp.join(repo, PARSER_CFG), '--resume', 'x.pth'])
    assert args.resume == 'x.pth'
    cfg = train.config_from_args(args)
    assert cfg.work_dir.endswith(osp.join('work_dirs', osp.splitext(
        osp.basename(PARSER_CFG))[0]))


def test_missing_config_is_a_clear_error(tool, tmp_path):
    train = tool('train.py')
    with pytest.raises(SystemExit, match='nope.py.*not found'):
        train.main([str(tmp_path / 'nope.py')])


def test_cpu_launcher_uses_gloo(tool, repo, monkeypatch):
    import torch
    monkeypatch.setattr(torch.cuda, 'is_available', lambda: False)
    train = tool('train.py')
    args = train.parse_args([osp.join(repo, PARSER_CFG), '--launcher',
                             'pytorch'])
    cfg = train.config_from_args(args)
    assert cfg.env_cfg.dist_cfg.backend == 'gloo'
    assert cfg.model_wrapper_cfg['device_ids'] is None
    assert cfg.launcher == 'pytorch'


def test_test_tool_args(tool, repo, tmp_path):
    test = tool('test.py')
    args = test.parse_args([osp.join(repo, PARSER_CFG), 'ckpt.pth', '--out',
                            'm.json', '--work-dir', str(tmp_path)])
    assert args.checkpoint == 'ckpt.pth' and args.out == 'm.json'
    with pytest.raises(SystemExit, match='ckpt.pth.*not found'):
        test.main([osp.join(repo, PARSER_CFG), str(tmp_path / 'ckpt.pth')])


def test_converter_help(tool, capsys):
    for name in ('celeba', 'aligned_faces', 'helen', 'celebamask_hq',
                 'synthetic_faces'):
        module = tool(f'dataset_converters/{name}.py')
        with pytest.raises(SystemExit) as err:
            module.parse_args(['--help'])
        assert err.value.code == 0
        assert '--overwrite' in capsys.readouterr().out


def test_converter_cli_reports_bad_folder(tool, tmp_path):
    helen = tool('dataset_converters/helen.py')
    with pytest.raises(SystemExit, match='Helen images.*not found'):
        helen.main([str(tmp_path), '--out', str(tmp_path / 'o')])


def test_run_test_from_python(repo, synthetic_root, data_opts, tmp_path):
    """fcsr_mm.apis.run_test: a config (+ overrides as a dict) over its test
    set, metrics back, optionally written as JSON."""
    import json

    from fcsr_mm.apis import run_test
    cfg = osp.join(repo, 'configs/baselines/telea_synthetic.py')
    opts = dict(data_opts(f'{synthetic_root}/aligned'),
                **{'test_dataloader.dataset.indices': 4,
                   'visualizer.name': f'vis_run_test_{tmp_path.name}'})
    out, faces = str(tmp_path / 'm.json'), str(tmp_path / 'faces.json')
    metrics = run_test(cfg, cfg_options=opts, work_dir=str(tmp_path),
                       out=out, per_face_out=faces)
    assert set(metrics) >= {'PSNR', 'SSIM', 'HolePSNR', 'HoleSSIM', 'NIQE',
                            'lr/PSNR'}
    assert json.load(open(out))['PSNR'] == pytest.approx(metrics['PSNR'])
    # every face's own scores: the means are the metrics
    scores = json.load(open(faces))
    n = len(scores['faces'])  # the test split's faces (at most 4)
    assert 3 <= n == len(set(scores['faces'])) <= 4
    assert all(f.endswith('.png') for f in scores['faces'])
    for name in ('PSNR', 'SSIM', 'HolePSNR', 'HoleSeam', 'NIQE', 'lr/PSNR'):
        assert len(scores[name]) == n, name
        assert np.mean(scores[name]) == pytest.approx(metrics[name],
                                                      rel=1e-6), name
    with pytest.raises(ValueError, match='needs a checkpoint'):
        run_test(osp.join(repo, 'configs/fcsr_stage2_synthetic.py'))
    with pytest.raises(FileNotFoundError, match='nope.py'):
        run_test(str(tmp_path / 'nope.py'))


def test_converters_write_nothing_half_done(tool, synthetic_root, tmp_path):
    """A converter that fails midway leaves no output folder, and an
    existing one (with --overwrite) as it was; a whole run replaces its own
    output, but never an output holding a file the user put there."""
    import shutil

    import cv2
    import numpy as np
    src = tmp_path / 'src'
    shutil.copytree(f'{synthetic_root}/aligned', src)
    conv = tool('dataset_converters/aligned_faces.py')
    out = tmp_path / 'out'
    conv.main([str(src), '--out', str(out), '--workers', '1'])
    names = sorted(os.listdir(out / 'images'))
    # a face that is not square, listed last: the run fails late
    bad = sorted(open(src / 'meta/test.txt').read().split())[-1]
    before = (out / 'images' / bad).read_bytes()
    cv2.imwrite(str(src / 'images' / bad), np.zeros((64, 80, 3), np.uint8))
    with pytest.raises(SystemExit, match='64|80'):
        conv.main([str(src), '--out', str(out), '--workers', '1',
                   '--overwrite'])
    assert sorted(os.listdir(out / 'images')) == names
    assert (out / 'images' / bad).read_bytes() == before
    with pytest.raises(SystemExit, match='64|80'):
        conv.main([str(src), '--out', str(tmp_path / 'fresh'),
                   '--workers', '1'])
    assert not (tmp_path / 'fresh').exists()
    assert sorted(os.listdir(tmp_path)) == ['out', 'src']  # no leftovers
    cv2.imwrite(str(src / 'images' / bad), np.zeros((128, 128, 3), np.uint8))
    (out / 'marker.txt').write_text('old')
    with pytest.raises(SystemExit, match="'marker.txt' is not a file"):
        conv.main([str(src), '--out', str(out), '--workers', '1',
                   '--overwrite'])
    assert (out / 'marker.txt').read_text() == 'old'
    (out / 'marker.txt').unlink()
    conv.main([str(src), '--out', str(out), '--workers', '1', '--overwrite'])
    assert not cv2.imread(str(out / 'images' / bad)).any()  # the new face
    assert sorted(os.listdir(tmp_path)) == ['out', 'src']
