import cv2
import numpy as np
import pytest

import fcsr_mm  # noqa: F401
from fcsr_mm.data.face_labels import FACE_CLASSES


@pytest.fixture
def face_dataset(build_in_scope):
    """``face_dataset(root, split, cls, pipeline)``: an mmseg face dataset
    of the converters' layout."""
    def build(root, split='train', cls='HelenFaceDataset', pipeline=None):
        return build_in_scope('mmseg', dict(
            type=cls, data_root=root,
            data_prefix=dict(img_path=f'images/{split}',
                             seg_map_path=f'labels/{split}'),
            pipeline=pipeline or [dict(type='LoadImageFromFile'),
                                  dict(type='LoadFaceAnnotations'),
                                  dict(type='PackSegInputs')]), 'DATASETS')
    return build


def test_helen_dataset_reads_converter_output(face_dataset,
                                              synthetic_parser_root):
    ds = face_dataset(synthetic_parser_root)
    assert ds.metainfo['classes'] == FACE_CLASSES
    assert len(ds.metainfo['palette']) == 9
    sample = ds[0]
    seg = sample['data_samples'].gt_sem_seg.data
    assert seg.shape[-2:] == (144, 144) and int(seg.max()) <= 8


def test_dataset_missing_folder_and_label(face_dataset, tmp_path,
                                          synthetic_parser_root):
    with pytest.raises(FileNotFoundError, match='converter'):
        face_dataset(str(tmp_path))
    import shutil
    root = tmp_path / 'p'
    shutil.copytree(synthetic_parser_root, root)
    victim = sorted((root / 'labels/test').iterdir())[0]
    victim.unlink()
    with pytest.raises(FileNotFoundError, match=victim.name):
        face_dataset(str(root), 'test', 'CelebAMaskHQFaceDataset')


def test_bad_label_values_and_size(face_dataset, tmp_path,
                                   synthetic_parser_root):
    import shutil
    root = tmp_path / 'p'
    shutil.copytree(synthetic_parser_root, root)
    names = sorted((root / 'labels/test').iterdir())
    cv2.imwrite(str(names[0]), np.full((128, 128), 12, np.uint8))
    cv2.imwrite(str(names[1]), np.zeros((64, 64), np.uint8))
    ds = face_dataset(str(root), 'test')
    with pytest.raises(ValueError, match=f'{names[0].name}.*outside'):
        ds[0]
    with pytest.raises(ValueError, match=f'{names[1].name}.*64x64'):
        ds[1]


def test_resize_for_eval_scores_at_32(face_dataset, synthetic_parser_root):
    ds = face_dataset(synthetic_parser_root, 'test', pipeline=[
        dict(type='LoadImageFromFile'), dict(type='LoadFaceAnnotations'),
        dict(type='ResizeFaceForEval', scale=(32, 32)),
        dict(type='PackSegInputs')])
    sample = ds[0]
    assert sample['inputs'].shape[-2:] == (32, 32)
    assert sample['data_samples'].ori_shape == (32, 32)
    assert sample['data_samples'].gt_sem_seg.data.shape[-2:] == (32, 32)
