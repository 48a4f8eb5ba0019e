"""ONNX export of the generator: onnxruntime gives PyTorch's faces, and the
API / restore tool take the .onnx file in place of the checkpoint."""
import os.path as osp

import numpy as np
import pytest
import torch

pytest.importorskip('onnxruntime')

CONFIGS = ['configs/fcsr_stage2_synthetic.py',
           # bicubic SR upsampling (ONNX Resize, cubic)
           'configs/comparison/fcsr_stage2_cpu-short_celeba128.py']


@pytest.mark.parametrize('config', CONFIGS)
def test_export_matches_pytorch(tool, repo, config, tmp_path):
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


def test_onnx_speed_tool(tool, repo, tmp_path):
    from fcsr_mm.deployment import export_onnx
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
