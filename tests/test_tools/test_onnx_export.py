"""ONNX export of the generator: onnxruntime gives PyTorch's faces, and the
API / restore tool take the .onnx file in place of the checkpoint."""
import os
import os.path as osp

import cv2
import numpy as np
import pytest
import torch

pytest.importorskip('onnxruntime')

CONFIGS = ['configs/fcsr_stage2_synthetic.py',
           # bicubic SR upsampling (ONNX Resize, cubic)
           'configs/comparison/fcsr_stage2_cpu-short_celeba128.py']


def _generator_gap(onnx_run, generator, img, mask):
    """Largest difference of onnxruntime's outputs (``OnnxRestorer.run``)
    from PyTorch's, in the model's value range."""
    got = onnx_run(img, mask)
    with torch.no_grad():
        want = generator(img, mask)
    return max(float((g - w).abs().max()) for g, w in zip(got, want))


def _gap_on_faces(onnx_model, generator, faces):
    """The same, on the inputs the config's pipeline makes of ``faces``."""
    from fcsr_mm.apis import restore_faces
    gaps, run = [], onnx_model.run

    def recording_run(img, mask):
        gaps.append(_generator_gap(run, generator, img, mask))
        return run(img, mask)

    onnx_model.run = recording_run
    restore_faces(onnx_model, faces, 'O4')
    onnx_model.run = run
    return max(gaps)


@pytest.mark.parametrize('config', CONFIGS)
def test_export_matches_pytorch(tool, repo, config, synthetic_root, tmp_path):
    from fcsr_mm.apis import init_restorer, restore_faces
    torch.manual_seed(0)
    model = init_restorer(osp.join(repo, config))
    ckpt = str(tmp_path / 'model.pth')
    torch.save({'state_dict': model.state_dict()}, ckpt)
    out = str(tmp_path / 'model.onnx')
    export = tool('deployment/pytorch2onnx.py')
    diff = export.main([osp.join(repo, config), ckpt, '--out', out])
    assert diff < 1e-2 and osp.isfile(out)
    assert not osp.exists(out + '.partial')
    # the API: same faces, the .onnx in place of the checkpoint
    faces = [np.random.default_rng(i).integers(0, 256, (32, 32, 3),
                                               dtype=np.uint8)
             for i in range(3)]
    torch_out = restore_faces(init_restorer(osp.join(repo, config), ckpt),
                              faces, 'O4')
    onnx_out = restore_faces(init_restorer(osp.join(repo, config), out),
                             faces, 'O4')
    for a, b in zip(torch_out, onnx_out):
        for key in ('input', 'pred_lr', 'pred_img'):
            assert np.abs(a[key].astype(int) - b[key]).max() <= 1, key
    # restore.py takes the .onnx in place of the checkpoint
    folder = osp.join(synthetic_root, 'aligned', 'images')
    face = osp.join(folder, sorted(os.listdir(folder))[0])
    written = tool('restore.py').main(
        [osp.join(repo, config), out, face, '--out-dir',
         str(tmp_path / 'restored'), '--occlusion', 'O4'])
    want = restore_faces(init_restorer(osp.join(repo, config), ckpt), [face],
                         'O4')[0]['pred_img']
    assert np.abs(cv2.imread(written[0]).astype(int) - want).max() <= 1
    # the graph's outputs, in the model's range: within 1e-4 of PyTorch on
    # random inputs and on face images through the config's pipeline
    onnx_model = init_restorer(osp.join(repo, config), out)
    torch.manual_seed(1)
    img = torch.rand(4, 3, 32, 32) * 2 - 1
    mask = (torch.rand(4, 1, 32, 32) > 0.7).float()
    assert _generator_gap(onnx_model.run, model.generator, img, mask) < 1e-4
    folder = osp.join(synthetic_root, 'aligned', 'images')
    images = [osp.join(folder, f) for f in sorted(os.listdir(folder))[:4]]
    assert _gap_on_faces(onnx_model, model.generator, images) < 1e-4
    with pytest.raises(SystemExit, match='already exists'):
        export.main([osp.join(repo, config), ckpt, '--out', out])


def test_bad_onnx_files_are_named(repo, tmp_path):
    from fcsr_mm.apis import init_restorer
    cfg = osp.join(repo, CONFIGS[0])
    bad = tmp_path / 'broken.onnx'
    bad.write_bytes(b'not an onnx graph')
    with pytest.raises(ValueError, match='broken.onnx: not an ONNX model'):
        init_restorer(cfg, str(bad))
    with pytest.raises(FileNotFoundError, match='missing.onnx'):
        init_restorer(cfg, str(tmp_path / 'missing.onnx'))


@pytest.mark.parametrize('config,model_type', [
    ('configs/baselines/telea_synthetic.py', 'FaceBaseline'),
    ('configs/comparison/gl32_msrresnet_celeba128.py', 'SequentialRestorer'),
    ('configs/peers/msrresnet_x4c64b16_1xb16-cpu_celeba128.py',
     'BaseEditModel')])
def test_models_other_than_fcsr_gan_are_refused(tool, repo, tmp_path, config,
                                                 model_type):
    ckpt = tmp_path / 'any.pth'
    torch.save({'state_dict': {'generator.x': torch.zeros(1)}}, ckpt)
    out = tmp_path / 'm.onnx'
    with pytest.raises(SystemExit, match=f'builds {model_type}; the ONNX '
                       'export covers FCSR-GAN generators'):
        tool('deployment/pytorch2onnx.py').main(
            [osp.join(repo, config), str(ckpt), '--out', str(out)])
    assert not out.exists() and not osp.exists(f'{out}.partial')


def test_onnx_speed_tool(tool, repo, tmp_path):
    from fcsr_mm.apis import export_onnx
    cfg = osp.join(repo, CONFIGS[0])
    from fcsr_mm.apis import init_restorer
    ckpt = str(tmp_path / 'model.pth')
    torch.save({'state_dict': init_restorer(cfg).state_dict()}, ckpt)
    onnx = str(tmp_path / 'model.onnx')
    export_onnx(cfg, ckpt, onnx)
    table = tool('deployment/onnx_speed.py').main(
        [cfg, ckpt, onnx, '--batch-sizes', '2', '--threads', '1',
         '--warmup', '0', '--repeats', '1', '--out', str(tmp_path / 's.md')])
    assert '| PyTorch | 2 |' in table and '| onnxruntime | 2 |' in table
    assert (tmp_path / 's.md').read_text() == table
