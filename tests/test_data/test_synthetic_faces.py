import os
import os.path as osp

import cv2
import numpy as np
import pytest

from fcsr_mm.data.face_labels import HELEN_LABELS
from fcsr_mm.data.synthetic_faces import render_face
from fcsr_mm.data.synthetic_writer import write_synthetic_faces


def test_render_is_deterministic_and_varied():
    a, b = render_face(7, 3), render_face(7, 3)
    assert np.array_equal(a.img, b.img) and np.array_equal(a.label, b.label)
    c = render_face(7, 4)
    d = render_face(8, 3)
    assert not np.array_equal(a.img, c.img)
    assert not np.array_equal(a.img, d.img)
    assert a.img.shape == (256, 256, 3) and a.img.dtype == np.uint8


def test_labels_match_drawn_parts():
    for i in range(6):
        face = render_face(0, i)
        present = set(np.unique(face.label).tolist())
        # every part but the inner mouth (only when the mouth is open)
        assert set(range(len(HELEN_LABELS))) - {8} <= present, present
        for k, value in enumerate((4, 5)):  # eye labels around eye points
            ys, xs = np.nonzero(face.label == value)
            assert np.hypot(xs.mean() - face.points[k][0],
                            ys.mean() - face.points[k][1]) < 3
        # the mouth point lies between the lips
        x, y = np.round(face.points[2]).astype(int)
        window = face.label[y - 6:y + 7, x - 6:x + 7]
        assert np.isin(window, (7, 8, 9)).mean() > 0.5


def test_some_faces_have_open_mouths():
    open_mouths = sum(8 in render_face(1, i).label for i in range(20))
    assert 2 <= open_mouths <= 18


def test_writer_layouts(synthetic_root):
    aligned = osp.join(synthetic_root, 'aligned')
    splits = {s: open(osp.join(aligned, 'meta', f'{s}.txt')).read().split()
              for s in ('train', 'val', 'test')}
    assert [len(v) for v in splits.values()] == [24, 3, 3]
    assert not set(splits['train']) & set(splits['test'])
    img = cv2.imread(osp.join(aligned, 'images', splits['test'][0]))
    lbl = cv2.imread(osp.join(aligned, 'labels', splits['test'][0]), 0)
    assert img.shape == (128, 128, 3) and lbl.shape == (128, 128)
    assert lbl.max() <= 8
    helen = osp.join(synthetic_root, 'helen')
    name = os.listdir(osp.join(helen, 'labels'))[0]
    masks = sorted(os.listdir(osp.join(helen, 'labels', name)))
    assert masks == [f'{name}_lbl{k:02d}.png' for k in range(11)]
    n_train = len(open(osp.join(helen, 'exemplars.txt')).readlines())
    n_test = len(open(osp.join(helen, 'testing.txt')).readlines())
    assert n_train + n_test == 30 and n_test >= 1


def test_writer_same_seed_same_files(tmp_path, synthetic_root):
    write_synthetic_faces(str(tmp_path / 'again'), num=30, seed=3,
                          canvas=160)
    name = 'images/synth_000004.png'
    a = cv2.imread(osp.join(synthetic_root, 'aligned', name))
    b = cv2.imread(str(tmp_path / 'again' / 'aligned' / name))
    assert np.array_equal(a, b)


def test_writer_refuses_to_overwrite(tmp_path):
    out = tmp_path / 'out'
    out.mkdir()
    (out / 'keep.txt').write_text('mine')
    with pytest.raises(FileExistsError, match='--overwrite'):
        write_synthetic_faces(str(out), num=10)
    assert (out / 'keep.txt').read_text() == 'mine'
