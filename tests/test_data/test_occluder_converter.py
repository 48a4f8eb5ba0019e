"""tools/dataset_converters/occluded_faces.py: synthetic occluders on aligned
faces plus CelebAMask-HQ's eyeglasses and hats, 0/1 labels, kinds listed,
the same output for any number of workers."""
import os
import os.path as osp

import cv2
import numpy as np
import pytest

from fcsr_mm.data.io import DataError
from fcsr_mm.data.occluder_converters import (convert_occluded_faces,
                                              read_kinds)
from fcsr_mm.data.occluders import OCCLUDER_KINDS
from fcsr_mm.data.synthetic_faces import render_face

# Helen's 11 labels -> CelebAMask-HQ's 19 (as in test_converters.py)
HELEN_TO_CMHQ = np.array([0, 1, 7, 6, 5, 4, 2, 11, 10, 12, 13], np.uint8)


def _celebamask_with_glasses(root, n=6):
    """CelebAMask-HQ layout; even faces wear eyeglasses (class 3) over the
    band between the eyes."""
    (root / 'images').mkdir(parents=True)
    (root / 'masks').mkdir()
    for i in range(n):
        face = render_face(5, i)
        mask = HELEN_TO_CMHQ[face.label]
        if i % 2 == 0:
            eyes = np.argwhere(np.isin(mask, (4, 5)))
            top, bottom = eyes[:, 0].min() - 2, eyes[:, 0].max() + 2
            band = np.zeros_like(mask, bool)
            band[top:bottom, eyes[:, 1].min() - 3:eyes[:, 1].max() + 3] = True
            # face 0: opaque glasses drawn over the eyes (no eye label left)
            mask = np.where(band & ((i == 0) | ~np.isin(mask, (4, 5))), 3,
                            mask)
        cv2.imwrite(str(root / 'images' / f'id{i:02d}.jpg'), face.img)
        cv2.imwrite(str(root / 'masks' / f'id{i:02d}.png'), mask)
    return root


def _files(folder):
    return {f: cv2.imread(osp.join(folder, f), cv2.IMREAD_UNCHANGED)
            for f in sorted(os.listdir(folder))}


def test_converter_writes_labels_and_kinds(synthetic_root, tmp_path):
    aligned = osp.join(synthetic_root, 'aligned')
    cm = _celebamask_with_glasses(tmp_path / 'cm')
    out = str(tmp_path / 'out')
    counts = convert_occluded_faces(aligned, out, str(cm), celebamask_val=2,
                                    limit=4)
    n_train = len(open(osp.join(aligned, 'meta/train.txt')).read().split())
    assert counts['train'] == min(n_train, 4) + 4  # + CelebAMask-HQ's
    assert counts['val'] >= 1 and counts['val_real'] >= 1
    for split, count in counts.items():
        kinds = read_kinds(osp.join(out, 'meta', f'kinds_{split}.txt'))
        labels = _files(osp.join(out, 'labels', split))
        assert len(kinds) == len(labels) == count
        for name, kind in kinds.items():
            label = labels[f'{name}.png']
            assert label.shape == (128, 128) and set(np.unique(label)) <= {0, 1}
            # a face marked clean has nothing marked; an occluded one has
            assert (kind == 'none') == (not label.any()), (name, kind)
    # the face whose glasses hide both eyes is aligned on its lenses
    written = {**read_kinds(osp.join(out, 'meta', 'kinds_train.txt')),
               **read_kinds(osp.join(out, 'meta', 'kinds_val_real.txt'))}
    assert written.get('celebamask_id00') == 'real_eyeglasses'
    assert open(osp.join(out, 'skipped.txt')).read().strip() == ''
    real = read_kinds(osp.join(out, 'meta', 'kinds_train.txt'))
    assert 'real_eyeglasses' in {k for n, k in real.items()
                            if n.startswith('celebamask_')}
    assert set(read_kinds(osp.join(out, 'meta', 'kinds_val.txt')).values()) \
        <= set(OCCLUDER_KINDS) | {'none'}


def test_same_output_for_any_worker_count(synthetic_root, tmp_path):
    aligned = osp.join(synthetic_root, 'aligned')
    convert_occluded_faces(aligned, str(tmp_path / 'a'), limit=6, workers=1)
    convert_occluded_faces(aligned, str(tmp_path / 'b'), limit=6, workers=2)
    for meta in ('kinds_train.txt', 'kinds_val.txt'):
        assert (tmp_path / 'a' / 'meta' / meta).read_text() == \
            (tmp_path / 'b' / 'meta' / meta).read_text()
    for sub in ('images/train', 'labels/train', 'images/val', 'labels/val'):
        a, b = _files(tmp_path / 'a' / sub), _files(tmp_path / 'b' / sub)
        assert a.keys() == b.keys()
        for k in a:
            np.testing.assert_array_equal(a[k], b[k])


def test_bad_input_is_named(synthetic_root, tmp_path):
    with pytest.raises(DataError, match='clean_fraction=1.5'):
        convert_occluded_faces(osp.join(synthetic_root, 'aligned'),
                               str(tmp_path / 'o'), clean_fraction=1.5)
    with pytest.raises(DataError, match='aligned faces'):
        convert_occluded_faces(str(tmp_path / 'nowhere'), str(tmp_path / 'o'))


def test_rare_kinds_are_repeated_by_the_balanced_wrapper(synthetic_root,
                                                         tmp_path):
    """OccludedFaceDataset's kinds as categories: mmengine's
    ClassBalancedDataset (the segmenter config's wrapper) repeats the rare
    real eyeglasses; a missing kinds file is named."""
    import fcsr_mm  # noqa: F401  (registers the dataset)
    from mmengine.registry import init_default_scope
    from mmseg.registry import DATASETS
    init_default_scope('mmseg')
    out = str(tmp_path / 'out')
    convert_occluded_faces(osp.join(synthetic_root, 'aligned'), out,
                           str(_celebamask_with_glasses(tmp_path / 'cm')),
                           celebamask_val=2, limit=8)
    plain = dict(type='OccludedFaceDataset', data_root=out,
                 data_prefix=dict(img_path='images/train',
                                  seg_map_path='labels/train'),
                 kinds_file='meta/kinds_train.txt', pipeline=[])
    data = DATASETS.build(plain)
    kinds = read_kinds(osp.join(out, 'meta', 'kinds_train.txt'))
    names = [osp.splitext(osp.basename(data.get_data_info(i)['img_path']))[0]
             for i in range(len(data))]
    assert [data.get_data_info(i)['occluder_kind'] for i in range(len(data))] \
        == [kinds[n] for n in names]
    balanced = DATASETS.build(dict(type='ClassBalancedDataset',
                                   oversample_thr=0.5, dataset=plain))
    repeats = {}
    for i in range(len(balanced)):
        name = osp.basename(balanced[i]['img_path'])
        repeats[name] = repeats.get(name, 0) + 1
    glasses = [n for n in names if kinds[n] == 'real_eyeglasses']
    assert glasses and all(repeats[f'{n}.png'] > 1 for n in glasses)
    with pytest.raises(FileNotFoundError, match='kinds_file'):
        DATASETS.build({**plain, 'kinds_file': 'meta/kinds_nope.txt'})
    with pytest.raises(ValueError, match='needs kinds_file'):
        DATASETS.build({**plain, 'kinds_file': None}).get_cat_ids(0)
