"""tools/test.py (run_test) on a list with a missing image, an empty list, a
face of the wrong size: each named, before or instead of a traceback."""
import os.path as osp

import cv2
import numpy as np
import pytest

from fcsr_mm.apis import run_test

CONFIG = 'configs/baselines/bicubic_synthetic.py'


@pytest.fixture
def options(synthetic_root, data_opts, tmp_path):
    def _options(lines):
        ann = tmp_path / 'list.txt'
        ann.write_text(''.join(f'{line}\n' for line in lines))
        opts = dict(data_opts(f'{synthetic_root}/aligned'),
                    **{'test_dataloader.dataset.ann_file': str(ann),
                       'visualizer.name': f'bad_lists_{len(lines)}'})
        return opts
    return _options


def test_missing_and_empty_lists_are_named(repo, options, synthetic_root,
                                           tmp_path):
    good = sorted(open(f'{synthetic_root}/aligned/meta/test.txt'))[0].strip()
    with pytest.raises(FileNotFoundError, match=r'1 image\(s\) listed in '
                       r'.*list\.txt do not exist, e\.g\. .*nope\.png'):
        run_test(osp.join(repo, CONFIG), cfg_options=options([good,
                                                              'nope.png']),
                 work_dir=str(tmp_path / 'w1'))
    with pytest.raises(ValueError, match=r'list\.txt: names no image'):
        run_test(osp.join(repo, CONFIG), cfg_options=options([]),
                 work_dir=str(tmp_path / 'w2'))


def test_a_face_of_the_wrong_size_is_named(repo, options, tmp_path):
    images = tmp_path / 'data' / 'images'
    images.mkdir(parents=True)
    cv2.imwrite(str(images / 'small_face.png'), np.zeros((96, 96, 3),
                                                         np.uint8))
    opts = dict(options(['small_face.png']),
                **{'test_dataloader.dataset.data_root': str(tmp_path / 'data')})
    with pytest.raises(ValueError, match=r'small_face\.png: the image is '
                       r'96x96'):
        run_test(osp.join(repo, CONFIG), cfg_options=opts,
                 work_dir=str(tmp_path / 'w3'))


def test_a_corrupt_image_is_named(repo, options, tmp_path):
    images = tmp_path / 'data' / 'images'
    images.mkdir(parents=True)
    (images / 'corrupt_face.png').write_bytes(b'not a png at all')
    opts = dict(options(['corrupt_face.png']),
                **{'test_dataloader.dataset.data_root': str(tmp_path / 'data')})
    with pytest.raises(ValueError, match=r'corrupt_face\.png: could not be '
                       r'loaded as a face image'):
        run_test(osp.join(repo, CONFIG), cfg_options=opts,
                 work_dir=str(tmp_path / 'w4'))


def test_training_set_can_skip_and_count_bad_images(synthetic_root, tmp_path):
    """skip_bad_images: the corrupt face is logged and counted, and another
    face is returned in its place."""
    import shutil
    from mmengine.config import Config
    from mmengine.registry import init_default_scope
    from mmagic.registry import DATASETS
    src = f'{synthetic_root}/aligned'
    good = [line.strip() for line in open(f'{src}/meta/train.txt')][:3]
    images = tmp_path / 'images'
    images.mkdir()
    for name in good:
        shutil.copy(f'{src}/images/{name}', images / name)
    (images / 'corrupt_face.png').write_bytes(b'not a png at all')
    (tmp_path / 'train.txt').write_text('\n'.join(['corrupt_face.png']
                                                  + good) + '\n')
    cfg = Config.fromfile(
        'configs/_base_/datasets/face_restoration.py').train_dataloader
    init_default_scope('mmagic')
    dataset = DATASETS.build(dict(
        cfg.dataset, data_root=str(tmp_path), ann_file='train.txt',
        skip_bad_images=True))
    sample = dataset[0]  # the corrupt one: replaced by a good face
    assert sample['data_samples'].gt_path.split('/')[-1] in good
    assert dataset.skipped >= 1
    strict = DATASETS.build(dict(cfg.dataset, data_root=str(tmp_path),
                                 ann_file='train.txt'))
    with pytest.raises(ValueError, match='corrupt_face.png.*skip_bad_images'):
        strict[0]
