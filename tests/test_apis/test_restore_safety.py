"""What restore.py, run_test and the ONNX export refuse: results that would
replace inputs or another run's results, non-finite weights and outputs, a
checkpoint trained with a config that gives another model, and bad
arguments, each in one line before the model loads."""
import os
import os.path as osp

import cv2
import numpy as np
import pytest
import torch
from mmengine.config import Config

from fcsr_mm.apis import init_restorer, restore_faces
from fcsr_mm.apis.trained_config import OtherConfigError

STAGE1 = 'configs/fcsr_stage1_synthetic.py'
STAGE2 = 'configs/fcsr_stage2_synthetic.py'


@pytest.fixture(scope='module')
def model(repo):
    torch.manual_seed(0)
    return init_restorer(osp.join(repo, STAGE2))


@pytest.fixture
def checkpoint(model, tmp_path):
    path = str(tmp_path / 'model.pth')
    torch.save({'state_dict': model.state_dict()}, path)
    return path


@pytest.fixture(scope='module')
def test_options(fcsr_options, trained_parsers, synthetic_root):
    """--cfg-options testing the stage-2 config on two synthetic faces."""
    return fcsr_options(osp.basename(STAGE2), trained_parsers,
                        f'{synthetic_root}/aligned', 1,
                        {'test_dataloader.dataset.indices': 2})


@pytest.fixture
def faces(synthetic_root, tmp_path):
    """Two aligned faces in a folder of their own."""
    src = osp.join(synthetic_root, 'aligned', 'images')
    folder = tmp_path / 'faces'
    folder.mkdir()
    for name in sorted(os.listdir(src))[:2]:
        cv2.imwrite(str(folder / name), cv2.imread(osp.join(src, name)))
    return folder


def _contents(folder):
    return {p: open(osp.join(folder, p), 'rb').read()
            for p in sorted(os.listdir(folder))}


def _args(repo, ckpt, inputs, out_dir, *extra):
    return [osp.join(repo, STAGE2), ckpt, str(inputs), '--out-dir',
            str(out_dir), *extra]


def test_outputs_never_replace_inputs(repo, tool, checkpoint, faces,
                                      tmp_path):
    restore = tool('restore.py')
    before = _contents(faces)
    for extra in ([], ['--overwrite']):
        with pytest.raises(SystemExit, match='would replace inputs'):
            restore.main(_args(repo, checkpoint, faces, faces,
                               '--occlusion', 'O3', *extra))
        assert _contents(faces) == before
    # nor the masks they were given with
    masks = tmp_path / 'masks'
    masks.mkdir()
    for name in before:
        mask = np.zeros((32, 32), np.uint8)
        mask[4:12, 4:20] = 255
        cv2.imwrite(str(masks / name), mask)
    mask_bytes = _contents(masks)
    with pytest.raises(SystemExit, match='would replace inputs'):
        restore.main(_args(repo, checkpoint, faces, masks, '--masks',
                           str(masks), '--overwrite'))
    assert _contents(masks) == mask_bytes


def test_a_result_written_meanwhile_by_another_run_is_kept(
        repo, tool, checkpoint, faces, tmp_path, monkeypatch):
    """The existence check runs before the model loads; a file that appears
    after it (another run into the same --out-dir) is not replaced."""
    import fcsr_mm.apis as apis
    restore = tool('restore.py')
    out = tmp_path / 'out'
    first = sorted(os.listdir(faces))[0]
    theirs = out / first

    def other_run_writes_first(*args, **kwargs):
        out.mkdir(exist_ok=True)
        if not theirs.exists():
            theirs.write_bytes(b'the other run')
        return original(*args, **kwargs)

    original = apis.restore_faces
    monkeypatch.setattr(apis, 'restore_faces', other_run_writes_first)
    with pytest.raises(SystemExit, match=f'1 of 2 faces failed:\n.*{first}: '
                       'appeared while this run was restoring'):
        restore.main(_args(repo, checkpoint, faces, out, '--occlusion',
                           'O3'))
    assert theirs.read_bytes() == b'the other run'
    assert len(os.listdir(out)) == 2  # the other face was written


def test_write_new_image_is_exclusive_unless_replacing(tmp_path):
    from fcsr_mm.data.io import write_new_image
    path = str(tmp_path / 'a.png')
    img = np.full((4, 4, 3), 7, np.uint8)
    write_new_image(path, img)
    with pytest.raises(FileExistsError):
        write_new_image(path, img + 1)
    assert (cv2.imread(path) == 7).all()
    write_new_image(path, img + 1, replace=True)
    assert (cv2.imread(path) == 8).all()
    assert os.listdir(tmp_path) == ['a.png']  # no temporary files left


def _poisoned(model, tmp_path, value=float('nan')):
    # contiguous copies: 'auto' may have put the weights in channels_last
    state = {k: v.contiguous().clone()
             for k, v in model.state_dict().items()}
    key = 'generator.sr.conv_first.weight'
    assert key in state
    state[key].view(-1)[:3] = value
    path = str(tmp_path / 'diverged.pth')
    torch.save({'state_dict': state}, path)
    return path, key


@pytest.mark.parametrize('value', [float('nan'), float('inf')])
def test_non_finite_weights_are_refused_everywhere(repo, tool, model, faces,
                                                   tmp_path, test_options,
                                                   value):
    path, key = _poisoned(model, tmp_path, value)
    match = rf'diverged\.pth.*non-finite weights \({key}: 3 of \d+ values'
    with pytest.raises(ValueError, match=match):
        init_restorer(osp.join(repo, STAGE2), path)
    out = tmp_path / 'out'
    with pytest.raises(SystemExit, match=match):
        tool('restore.py').main(_args(repo, path, faces, out,
                                      '--occlusion', 'O3'))
    assert not out.exists()
    onnx = tmp_path / 'm.onnx'
    with pytest.raises(SystemExit, match=match):
        tool('deployment/pytorch2onnx.py').main(
            [osp.join(repo, STAGE2), path, '--out', str(onnx)])
    assert not onnx.exists() and not osp.exists(f'{onnx}.partial')
    if value != value:  # NaN: the test tool too (once is enough)
        metrics = tmp_path / 'm.json'
        with pytest.raises(SystemExit, match=match):
            tool('test.py').main(
                [osp.join(repo, STAGE2), path, '--out', str(metrics),
                 '--work-dir', str(tmp_path / 'w')] + test_options)
        assert not metrics.exists()


def test_non_finite_outputs_are_not_written(repo, tool, model, faces,
                                            tmp_path, monkeypatch):
    """Finite weights can still overflow: such a face is reported, not
    written as a black or white square."""
    import fcsr_mm.apis as apis
    broken = init_restorer(osp.join(repo, STAGE2))
    broken.load_state_dict(model.state_dict())
    with torch.no_grad():
        broken.generator.sr.conv_first.weight.fill_(3e38)
    path = str(faces / sorted(os.listdir(faces))[0])
    with pytest.raises(ValueError, match='gave NaN/inf in pred_img'):
        restore_faces(broken, [path], 'O3')
    monkeypatch.setattr(apis, 'init_restorer', lambda *a, **k: broken)
    restore = tool('restore.py')
    out = tmp_path / 'out'
    ckpt = str(tmp_path / 'unused.pth')
    torch.save({}, ckpt)
    with pytest.raises(SystemExit, match='2 of 2 faces failed'):
        restore.main(_args(repo, ckpt, faces, out, '--occlusion', 'O3'))
    assert not out.exists() or not os.listdir(out)
    # pytorch2onnx's parity of NaN outputs is no pass either
    from fcsr_mm.apis import export_onnx, onnx_export
    monkeypatch.setattr(onnx_export, 'init_restorer', lambda *a, **k: broken)
    with pytest.raises(ValueError, match='non-finite pred_img'):
        export_onnx(osp.join(repo, STAGE2), None, str(tmp_path / 'x.onnx'))
    assert not (tmp_path / 'x.onnx').exists()


def _runner_style_checkpoint(model, repo, trained_with, tmp_path):
    """A checkpoint as mmengine's Runner saves it: the weights and, in
    ``meta``, the training config's text and the experiment name."""
    cfg = Config.fromfile(osp.join(repo, trained_with))
    name = osp.splitext(osp.basename(trained_with))[0]
    path = str(tmp_path / f'{name}.pth')
    torch.save({'state_dict': model.state_dict(),
                'meta': dict(cfg=cfg.pretty_text,
                             experiment_name=f'{name}_20261201_000000')},
               path)
    return path


def test_a_stage1_checkpoint_under_a_stage2_config_is_refused(
        repo, tool, model, faces, tmp_path, test_options):
    ckpt = _runner_style_checkpoint(model, repo, STAGE1, tmp_path)
    match = (r'fcsr_stage1_synthetic\.pth.* was trained with '
             r'fcsr_stage1_synthetic_20261201_000000, whose model differs '
             r'from that of .*fcsr_stage2_synthetic\.py: its training never '
             r'trained sr')
    with pytest.raises(OtherConfigError, match=match):
        init_restorer(osp.join(repo, STAGE2), ckpt)
    with pytest.raises(SystemExit, match=match):
        tool('restore.py').main(_args(repo, ckpt, faces, tmp_path / 'o',
                                      '--occlusion', 'O3'))
    with pytest.raises(SystemExit, match=match):
        tool('test.py').main([osp.join(repo, STAGE2), ckpt, '--work-dir',
                              str(tmp_path / 'w')] + test_options)
    # allowed: used, with the same sentence as a warning
    written = tool('restore.py').main(
        _args(repo, ckpt, faces, tmp_path / 'o', '--occlusion', 'O3',
              '--allow-other-config'))
    assert len(written) == 2
    # the config it was trained with, or a later stage's own: accepted
    init_restorer(osp.join(repo, STAGE1), ckpt)
    stage2 = _runner_style_checkpoint(model, repo, STAGE2, tmp_path)
    init_restorer(osp.join(repo, STAGE2), stage2)
    init_restorer(osp.join(repo, STAGE1), stage2)


def test_another_generator_config_is_refused_even_when_shapes_fit(
        repo, model, tmp_path):
    """Same weights, another upsampler: the strict load cannot tell."""
    cfg = Config.fromfile(osp.join(repo, STAGE2))
    cfg.model.generator.sr_upsampler = 'pixel_shuffle'
    ckpt = str(tmp_path / 'other.pth')
    torch.save({'state_dict': model.state_dict(),
                'meta': dict(cfg=cfg.pretty_text)}, ckpt)
    with pytest.raises(OtherConfigError,
                       match=r'another generator \(sr_upsampler differ\)'):
        init_restorer(osp.join(repo, STAGE2), ckpt)


@pytest.mark.parametrize('extra,match', [
    (['--box', '-5,0,10,10'], r'--box -5,0,10,10: .*does not fit inside the '
     r'32x32 face'),
    (['--box', '0,0,0,5'], r'--box 0,0,0,5: .*does not fit'),
    (['--box', '30,30,8,8'], r'--box 30,30,8,8: .*does not fit'),
    (['--box', '1,2,3'], 'expected four integers'),
    (['--occlusion', 'O3', '--device', 'cuda:7'],
     r'--device cuda:7: .*(no CUDA GPU|CUDA GPU\(s\))'),
    (['--occlusion', 'O3', '--device', 'tpu'],
     r"--device 'tpu': not a device"),
])
def test_bad_arguments_are_one_line_before_the_model_loads(
        repo, tool, faces, tmp_path, monkeypatch, extra, match):
    import fcsr_mm.apis as apis
    restore = tool('restore.py')

    def no_loading(*args, **kwargs):
        raise AssertionError('the model was loaded before the check')

    monkeypatch.setattr(apis, 'init_restorer', no_loading)
    with pytest.raises(SystemExit, match=match) as err:
        restore.main(_args(repo, str(tmp_path / 'x.pth'), faces,
                           tmp_path / 'out', *extra))
    assert '\n' not in str(err.value)
    assert not (tmp_path / 'out').exists()


def test_bad_files_are_one_line(repo, tool, faces, checkpoint, tmp_path):
    restore = tool('restore.py')
    a_file = tmp_path / 'a_file'
    a_file.write_text('keep')
    with pytest.raises(SystemExit, match="--out-dir .*a_file' is a file"):
        restore.main(_args(repo, checkpoint, faces, a_file,
                           '--occlusion', 'O3'))
    assert a_file.read_text() == 'keep'
    parser = osp.join(repo, 'configs/parser/'
                      'segnet_s3c16_1xb16-300_synthetic-32x32.py')
    with pytest.raises(SystemExit, match=r"builds EncoderDecoder in 'mmseg' "
                       r'\(a face-parser config\?\)'):
        restore.main([parser, checkpoint, str(faces), '--out-dir',
                      str(tmp_path / 'o'), '--occlusion', 'O3'])
    with pytest.raises(SystemExit, match=r"ONNX file .*missing\.onnx' not "
                       r'found; export one with tools/deployment/'
                       r'pytorch2onnx\.py'):
        restore.main(_args(repo, str(tmp_path / 'missing.onnx'), faces,
                           tmp_path / 'o', '--occlusion', 'O3'))
    assert not (tmp_path / 'o').exists()
