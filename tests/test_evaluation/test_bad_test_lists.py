"""tools/test.py (run_test) on a list with a missing image, an empty list, a
face of the wrong size: each named, before or instead of a traceback."""
import os.path as osp
import re

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


def test_a_list_not_converted_yet_names_the_converter(repo, options,
                                                      tmp_path):
    root = str(tmp_path / 'celeba128')
    opts = dict(options([]), **{'test_dataloader.dataset.data_root': root,
                                'test_dataloader.dataset.ann_file':
                                'meta/test.txt'})
    with pytest.raises(FileNotFoundError) as err:
        run_test(osp.join(repo, CONFIG), cfg_options=opts,
                 work_dir=str(tmp_path / 'w5'))
    assert re.search(rf'{re.escape(root)} not found: the faces are not '
                     rf'converted yet; make them with python tools/dataset_'
                     rf'converters/celeba\.py CELEBA_ROOT --out {root}',
                     str(err.value)), err.value


def test_a_corrupt_image_read_in_a_worker_is_one_line(tool, repo, options,
                                                      tmp_path):
    """tools/test.py with the config's worker process: the dataset's
    message, not the worker's traceback, and a non-zero exit."""
    images = tmp_path / 'data' / 'images'
    images.mkdir(parents=True)
    (images / 'corrupt_face.png').write_bytes(b'not a png at all')
    opts = dict(options(['corrupt_face.png']),
                **{'test_dataloader.dataset.data_root':
                   str(tmp_path / 'data')})
    del opts['test_dataloader.num_workers']  # the config's: 1 worker
    del opts['test_dataloader.persistent_workers']
    with pytest.raises(SystemExit) as err:
        tool('test.py').main([osp.join(repo, CONFIG), '--work-dir',
                              str(tmp_path / 'w6'), '--cfg-options'] +
                             [f'{k}={v}' for k, v in opts.items()])
    msg = str(err.value)
    assert '\n' not in msg and 'Traceback' not in msg
    assert re.match(r'\S+corrupt_face\.png: could not be loaded as a face '
                    r'image', msg), msg


def _bad_training_list(tmp_path, num):
    images = tmp_path / 'images'
    images.mkdir()
    names = [f'corrupt_{i}.png' for i in range(num)]
    for name in names:
        (images / name).write_bytes(b'not a png at all')
    (tmp_path / 'train.txt').write_text('\n'.join(names) + '\n')


@pytest.mark.parametrize('in_a_row,failed', [(100, 4), (2, None)])
def test_a_training_list_of_bad_images_stops_with_a_count(tmp_path, in_a_row,
                                                          failed):
    """skip_bad_images=True and no image loads: one error naming the list
    and how many failed, once each listed image failed (or after
    max_bad_in_a_row failures in a row), not after mmengine's 1000
    refetches and as many warnings."""
    from mmengine.config import Config
    from mmengine.registry import init_default_scope
    from mmagic.registry import DATASETS

    from fcsr_mm.datasets.face_dataset import FaceDataError
    _bad_training_list(tmp_path, 4)
    cfg = Config.fromfile(
        'configs/_base_/datasets/face_restoration.py').train_dataloader
    init_default_scope('mmagic')
    dataset = DATASETS.build(dict(
        cfg.dataset, data_root=str(tmp_path), ann_file='train.txt',
        skip_bad_images=True, max_bad_in_a_row=in_a_row))
    with pytest.raises(FaceDataError) as err:
        dataset[0]
    msg = str(err.value)
    assert '\n' not in msg
    count = re.match(r'\S+train\.txt: (\d) of the 4 listed images could '
                     r'not be loaded \((\d+) failed in a row', msg)
    assert count, msg
    if failed:
        assert int(count[1]) == failed and dataset.skipped < in_a_row
    else:
        assert int(count[2]) == in_a_row == dataset.skipped
