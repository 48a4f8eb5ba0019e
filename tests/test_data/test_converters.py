"""Each converter on a tiny fixture it builds itself, on ../shared/data where
present, and on bad input."""
import os
import os.path as osp

import cv2
import numpy as np
import pytest

from fcsr_mm.data.face_converters import (CELEBA_MEAN_POINTS,
                                          convert_aligned_folder,
                                          convert_celeba)
from fcsr_mm.data.face_template import (TEMPLATE_POINTS, align_face,
                                        label_centroids, similarity_transform)
from fcsr_mm.data.io import DataError
from fcsr_mm.data.parser_converters import (convert_celebamask_hq,
                                            convert_helen)
from fcsr_mm.data.synthetic_faces import render_face

# synthetic (Helen order, image-left first) -> CelebAMask-HQ labels
HELEN_TO_CMHQ = np.array([0, 1, 7, 6, 5, 4, 2, 11, 10, 12, 13], np.uint8)


def _eye_centres(label, eye_class):
    """Centroids of the left and right halves of one class."""
    ys, xs = np.nonzero(label == eye_class)
    mid = label.shape[1] / 2
    return [(xs[s].mean(), ys[s].mean()) for s in (xs < mid, xs >= mid)]


def _make_celeba(root, n=6, landmarks=True):
    os.makedirs(osp.join(root, 'img_align_celeba'))
    lines, lm = [], ['%d' % n, 'lefteye_x lefteye_y ... (header)']
    refs = {}
    for i in range(n):
        face = render_face(11, i)
        pts = CELEBA_MEAN_POINTS + np.random.default_rng(i).normal(0, 3, (3, 2))
        m = similarity_transform(face.points, pts)
        img = cv2.warpAffine(face.img, m, (178, 218), flags=cv2.INTER_CUBIC,
                             borderMode=cv2.BORDER_REFLECT101)
        name = f'{i + 1:06d}.jpg'
        cv2.imwrite(osp.join(root, 'img_align_celeba', name), img,
                    [cv2.IMWRITE_JPEG_QUALITY, 98])
        lines.append(f'{name} {i % 3}')
        mouth_l, mouth_r = pts[2] - [15, 0], pts[2] + [15, 0]
        vals = [*pts[0], *pts[1], 88, 135, *mouth_l, *mouth_r]
        lm.append(name + ' ' + ' '.join(f'{v:.0f}' for v in vals))
        refs[name] = align_face(face.img, face.points, 128)[0]
    with open(osp.join(root, 'list_eval_partition.txt'), 'w') as f:
        f.write('\n'.join(lines) + '\n')
    if landmarks:
        with open(osp.join(root, 'list_landmarks_align_celeba.txt'), 'w') as f:
            f.write('\n'.join(lm) + '\n')
    return refs


def test_celeba_converter_aligns_to_template(tmp_path):
    refs = _make_celeba(str(tmp_path / 'celeba'))
    counts = convert_celeba(str(tmp_path / 'celeba'), str(tmp_path / 'out'))
    assert counts == {'train': 2, 'val': 2, 'test': 2}
    test = open(tmp_path / 'out/meta/test.txt').read().split()
    assert test == ['000003.jpg', '000006.jpg']
    for name, ref in refs.items():
        out = cv2.imread(str(tmp_path / 'out/images' / name))
        assert out.shape == (128, 128, 3)
        # landmarks are rounded to pixels: allow a small misregistration
        assert np.abs(out.astype(float) - ref).mean() < 12


def test_celeba_converter_bad_input(tmp_path):
    with pytest.raises(DataError, match='img_align_celeba'):
        convert_celeba(str(tmp_path), str(tmp_path / 'out'))
    _make_celeba(str(tmp_path / 'c'), n=3, landmarks=False)
    with open(tmp_path / 'c/img_align_celeba/000002.jpg', 'wb') as f:
        f.write(b'not a jpeg')
    with pytest.raises(DataError, match='000002.jpg.*corrupt'):
        convert_celeba(str(tmp_path / 'c'), str(tmp_path / 'out2'))
    (tmp_path / 'c/list_eval_partition.txt').write_text('000001.jpg 7\n')
    with pytest.raises(DataError, match='list_eval_partition.txt:1'):
        convert_celeba(str(tmp_path / 'c'), str(tmp_path / 'out3'))


def test_aligned_folder_converter(tmp_path, synthetic_root):
    src = osp.join(synthetic_root, 'aligned')
    counts = convert_aligned_folder(src, str(tmp_path / 'out'))
    assert counts == {'train': 24, 'val': 3, 'test': 3}
    name = open(tmp_path / 'out/meta/val.txt').read().split()[0]
    a = cv2.imread(osp.join(src, 'images', name))
    b = cv2.imread(str(tmp_path / 'out/images' / name))
    assert np.array_equal(a, b)
    # existing output is kept unless --overwrite
    with pytest.raises(FileExistsError, match='--overwrite'):
        convert_aligned_folder(src, str(tmp_path / 'out'))
    convert_aligned_folder(src, str(tmp_path / 'out'), overwrite=True)


def test_aligned_folder_bad_input(tmp_path, synthetic_root):
    with pytest.raises(DataError, match='images'):
        convert_aligned_folder(str(tmp_path), str(tmp_path / 'out'))
    root = tmp_path / 'half'
    (root / 'images').mkdir(parents=True)
    (root / 'meta').mkdir()
    for s in ('train', 'val', 'test'):
        (root / 'meta' / f'{s}.txt').write_text('a.png\n')
    cv2.imwrite(str(root / 'images/a.png'), np.zeros((100, 80, 3), np.uint8))
    with pytest.raises(DataError, match='a.png.*square'):
        convert_aligned_folder(str(root), str(tmp_path / 'out'))
    (root / 'meta/test.txt').write_text('missing.png\n')
    with pytest.raises(DataError, match='missing.png'):
        convert_aligned_folder(str(root), str(tmp_path / 'out'))


def test_helen_converter(synthetic_parser_root):
    root = synthetic_parser_root
    train = sorted(os.listdir(osp.join(root, 'images/train')))
    test = sorted(os.listdir(osp.join(root, 'images/test')))
    assert len(train) + len(test) == 30 and test
    img = cv2.imread(osp.join(root, 'images/train', train[0]))
    assert img.shape == (144, 144, 3)
    lbl = cv2.imread(osp.join(root, 'labels/test', test[0]), 0)
    assert lbl.shape == (128, 128) and lbl.max() <= 8
    left, right = _eye_centres(lbl, 3)
    assert np.hypot(left[0] - TEMPLATE_POINTS['left_eye'][0],
                    left[1] - TEMPLATE_POINTS['left_eye'][1]) < 2.5
    assert np.hypot(right[0] - TEMPLATE_POINTS['right_eye'][0],
                    right[1] - TEMPLATE_POINTS['right_eye'][1]) < 2.5


def _helen_copy(src, dst):
    import shutil
    shutil.copytree(src, dst)
    return dst


def test_helen_converter_bad_input(tmp_path, synthetic_root):
    with pytest.raises(DataError, match='Helen images'):
        convert_helen(str(tmp_path), str(tmp_path / 'out'))
    root = _helen_copy(osp.join(synthetic_root, 'helen'), tmp_path / 'h')
    name = os.listdir(root / 'labels')[0]
    bad = root / 'labels' / name / f'{name}_lbl03.png'
    cv2.imwrite(str(bad), np.zeros((10, 10), np.uint8))
    with pytest.raises(DataError, match=f'{name}_lbl03.png.*10x10'):
        convert_helen(str(root), str(tmp_path / 'out'))
    bad.unlink()
    with pytest.raises(DataError, match=f'{name}_lbl03.png.*not found'):
        convert_helen(str(root), str(tmp_path / 'out2'), overwrite=True)


def _make_celebamask(root, n=8):
    (root / 'images').mkdir(parents=True)
    (root / 'masks').mkdir()
    for i in range(n):
        face = render_face(5, i)
        cv2.imwrite(str(root / 'images' / f'id{i:02d}.jpg'), face.img)
        cv2.imwrite(str(root / 'masks' / f'id{i:02d}.png'),
                    HELEN_TO_CMHQ[face.label])
    return root


def test_celebamask_hq_converter(tmp_path):
    root = _make_celebamask(tmp_path / 'cm')
    counts = convert_celebamask_hq(str(root), str(tmp_path / 'out'),
                                   num_val=2, num_train=None)
    assert counts == {'train': 6, 'val': 2}
    again = convert_celebamask_hq(str(root), str(tmp_path / 'out2'),
                                  num_val=2, num_train=None)
    assert sorted(os.listdir(tmp_path / 'out/images/val')) == \
        sorted(os.listdir(tmp_path / 'out2/images/val'))
    assert again == counts
    name = os.listdir(tmp_path / 'out/labels/val')[0]
    lbl = cv2.imread(str(tmp_path / 'out/labels/val' / name), 0)
    assert set(np.unique(lbl)) <= set(range(9))
    left, right = _eye_centres(lbl, 3)
    assert abs(left[0] - 40) < 2.5 and abs(right[0] - 87) < 2.5


def test_celebamask_hq_bad_input(tmp_path):
    root = _make_celebamask(tmp_path / 'cm', n=4)
    cv2.imwrite(str(root / 'masks/id01.png'), np.full((256, 256), 25,
                                                       np.uint8))
    with pytest.raises(DataError, match='id01.png.*label 25'):
        convert_celebamask_hq(str(root), str(tmp_path / 'out'), num_val=1,
                              workers=1)
    cv2.imwrite(str(root / 'masks/id01.png'), np.zeros((64, 64), np.uint8))
    with pytest.raises(DataError, match='id01.png.*64x64'):
        convert_celebamask_hq(str(root), str(tmp_path / 'out'), num_val=1,
                              overwrite=True)
    (root / 'masks/id02.png').unlink()
    with pytest.raises(DataError, match='id02.png'):
        convert_celebamask_hq(str(root), str(tmp_path / 'out3'), num_val=1)


def test_celebamask_hq_on_shared_data(tmp_path, shared_data):
    src = osp.join(shared_data, 'celebamask_hq')
    ids = sorted(os.listdir(osp.join(src, 'images')))[:12]
    root = tmp_path / 'subset'
    for sub, ext in (('images', '.jpg'), ('masks', '.png')):
        (root / sub).mkdir(parents=True)
        for i in ids:
            stem = osp.splitext(i)[0]
            os.symlink(osp.join(src, sub, stem + ext), root / sub / (stem + ext))
    counts = convert_celebamask_hq(str(root), str(tmp_path / 'out'),
                                   num_val=3, num_train=None)
    assert counts['val'] + counts['train'] >= 10
    name = os.listdir(tmp_path / 'out/labels/train')[0]
    lbl = cv2.imread(str(tmp_path / 'out/labels/train' / name), 0)
    assert lbl.shape == (144, 144) and lbl.max() <= 8
    eyes = label_centroids((lbl == 3).astype(np.uint8), (1,))[0]
    assert abs(eyes[1] - (40 + 8)) < 4  # eye line on the template (+margin)


def test_aligned_folder_on_shared_data(tmp_path, shared_data):
    src = osp.join(shared_data, 'celeba128')
    root = tmp_path / 'subset'
    (root / 'meta').mkdir(parents=True)
    os.symlink(osp.join(src, 'images'), root / 'images')
    for s in ('train', 'val', 'test'):
        names = open(osp.join(src, 'meta', f'{s}.txt')).read().split()[:4]
        (root / 'meta' / f'{s}.txt').write_text('\n'.join(names) + '\n')
    counts = convert_aligned_folder(str(root), str(tmp_path / 'out'))
    assert counts == {'train': 4, 'val': 4, 'test': 4}


def test_celebamask_hq_faces_for_the_benchmark(tmp_path):
    """--faces: every face aligned to the template as a test face; a mask
    with its two eye classes swapped is not aligned upside down."""
    from fcsr_mm.data.face_converters import convert_celebamask_hq_faces
    root = _make_celebamask(tmp_path / 'cm', n=4)
    swapped = cv2.imread(str(root / 'masks/id01.png'), 0)
    left, right = swapped == 5, swapped == 4
    swapped[left], swapped[right] = 4, 5
    cv2.imwrite(str(root / 'masks/id01.png'), swapped)
    counts = convert_celebamask_hq_faces(str(root), str(tmp_path / 'out'))
    assert counts == {'test': 4}
    names = open(tmp_path / 'out/meta/test.txt').read().split()
    assert names == [f'id{i:02d}.png' for i in range(4)]
    ref = cv2.imread(str(tmp_path / 'out/images/id00.png'))
    assert ref.shape == (128, 128, 3)
    # the same renderer, so the aligned faces agree roughly, not flipped
    flipped = cv2.imread(str(tmp_path / 'out/images/id01.png'))
    same = np.abs(flipped.astype(float) - ref).mean()
    upside = np.abs(flipped[::-1].astype(float) - ref).mean()
    assert same < upside
    with pytest.raises(FileExistsError):
        convert_celebamask_hq_faces(str(root), str(tmp_path / 'out'))
