"""The mmagic-shaped inferencer around restore_faces."""
import os
import os.path as osp

import numpy as np
import pytest
import torch

from fcsr_mm.apis import init_restorer, restore_faces
from fcsr_mm.apis.inferencer import FaceRestorationInferencer

CONFIG = 'configs/fcsr_stage2_synthetic.py'


@pytest.fixture(scope='module')
def checkpoint(repo, tmp_path_factory):
    torch.manual_seed(0)
    path = str(tmp_path_factory.mktemp('inferencer') / 'model.pth')
    torch.save({'state_dict': init_restorer(osp.join(repo, CONFIG))
                .state_dict()}, path)
    return path


@pytest.fixture(scope='module')
def faces(synthetic_root):
    folder = osp.join(synthetic_root, 'aligned', 'images')
    return [osp.join(folder, f) for f in sorted(os.listdir(folder))[:2]]


def test_inferencer_gives_what_restore_faces_gives(repo, checkpoint, faces,
                                                   tmp_path):
    inferencer = FaceRestorationInferencer(osp.join(repo, CONFIG),
                                           checkpoint, precision='fp32')
    out = inferencer(faces, occlusion='O6', batch_size=2,
                     result_out_dir=str(tmp_path / 'out'))
    results, images = out['predictions'], out['visualization']
    want = restore_faces(init_restorer(osp.join(repo, CONFIG), checkpoint,
                                       precision='fp32'), faces, 'O6')
    assert len(results) == len(images) == 2
    for got, ref, img in zip(results, want, images):
        np.testing.assert_array_equal(got['pred_img'], ref['pred_img'])
        np.testing.assert_array_equal(got['pred_lr'], ref['pred_lr'])
        assert img.shape == (128, 128, 3) and img.dtype == np.uint8
    names = [osp.splitext(osp.basename(f))[0] + '.png' for f in faces]
    assert sorted(os.listdir(tmp_path / 'out')) == sorted(names)
    # one face, a box at 32 px; a folder of faces
    single = inferencer(faces[0], occlusion=(8, 4, 12, 24))['predictions']
    assert len(single) == 1 and single[0]['input'].shape == (32, 32, 3)
    folder = osp.dirname(faces[0])
    both = inferencer([faces[0], folder])['predictions']
    assert len(both) == 1 + len(os.listdir(folder))
    empty = tmp_path / 'empty'
    empty.mkdir()
    (empty / 'notes.txt').write_text('not a face')
    with pytest.raises(ValueError, match='no images'):
        inferencer(str(empty))
    with pytest.raises(ValueError, match='not found'):
        inferencer(str(tmp_path / 'missing.png'))
    # results already written are not replaced
    with pytest.raises(FileExistsError, match=names[0]):
        inferencer(faces[:1], result_out_dir=str(tmp_path / 'out'))
    with pytest.raises(ValueError, match='1 occlusions for 2 faces'):
        inferencer(faces, occlusion=['O3'])


def test_inferencer_loads_strictly(repo, tmp_path):
    ckpt = tmp_path / 'other.pth'
    torch.save({'state_dict': {'generator.x': torch.zeros(1)}}, ckpt)
    with pytest.raises(ValueError, match='does not fit'):
        FaceRestorationInferencer(osp.join(repo, CONFIG), str(ckpt))
