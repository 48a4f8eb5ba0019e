"""``occlusion='auto'``: the predicted mask is what gets completed (empty:
super-resolution only), it reaches restore_faces, restore_photo (through the
photo -> aligned-frame mapping) and both tools' outputs."""
import json
import os
import os.path as osp

import cv2
import numpy as np
import pytest

from fcsr_mm.apis import init_restorer, restore_faces, restore_photo
from fcsr_mm.apis.photo import SCALE
from fcsr_mm.data.photo_faces import face_matrix, face_occlusion, resized_frame
from photo_frames import KnownFaces, make_frame

MAGENTA = (255, 0, 255)


class MagentaSegmenter:
    """Marks the (nearly) magenta pixels: an occluder the test paints."""
    margin = 0

    def predict(self, faces, margin=None):
        return [(np.abs(f.astype(int) - MAGENTA).max(-1) < 60)
                for f in faces]


@pytest.fixture(scope='module')
def telea(repo):
    return init_restorer(osp.join(repo, 'configs/baselines/telea_synthetic.py'))


@pytest.fixture(scope='module')
def faces(synthetic_root):
    folder = osp.join(synthetic_root, 'aligned', 'images')
    return [cv2.imread(osp.join(folder, f))
            for f in sorted(os.listdir(folder))[:2]]


def test_auto_completes_what_the_segmenter_finds(telea, faces):
    occluded = faces[0].copy()
    occluded[32:56, 24:104] = MAGENTA  # sunglasses-like band, 128 px
    out = restore_faces(telea, [occluded, faces[1]], 'auto',
                        segmenter=MagentaSegmenter())
    hidden, clean = out[0]['mask'], out[1]['mask']
    expected = np.zeros((32, 32), bool)
    expected[8:14, 6:26] = True
    assert (hidden == expected).mean() > 0.97
    assert not clean.any()  # nothing found: super-resolution only
    plain = restore_faces(telea, [faces[1]], 'none')[0]
    np.testing.assert_array_equal(out[1]['pred_img'], plain['pred_img'])
    # the magenta is gone from the completed face
    band = out[0]['pred_lr'][expected]
    assert (np.abs(band.astype(int) - MAGENTA).max(-1) > 60).all()


def test_auto_without_a_segmenter_is_refused(telea, faces):
    with pytest.raises(ValueError, match='init_occlusion_segmenter'):
        restore_faces(telea, faces[:1], 'auto')


def test_the_mask_survives_the_photo_to_face_mapping(synthetic_root, telea):
    photo, detections = make_frame(synthetic_root)
    ex, ey = detections[0].landmarks[0]
    hidden = np.zeros(photo.shape[:2], bool)
    hidden[int(ey) - 3:int(ey) + 4, int(ex) - 5:int(ex) + 6] = True
    painted = photo.copy()
    painted[hidden] = MAGENTA
    out = restore_photo(telea, painted, KnownFaces(detections),
                        segmenter=MagentaSegmenter(),
                        fill_for_detection=False)
    first, second = out['faces']
    assert first['occluded'] > 0 and not second['mask'].any()
    to_lr = resized_frame(face_matrix(detections[0].landmarks, 128),
                          1 / SCALE)
    truth = face_occlusion(hidden, to_lr, 32)
    found = first['mask']
    iou = (found & truth).sum() / (found | truth).sum()
    assert iou > 0.6, iou


def test_tools_show_the_found_mask(repo, tool, synthetic_root, faces,
                                   tmp_path, monkeypatch):
    import fcsr_mm.apis as apis
    monkeypatch.setattr(apis, 'init_occlusion_segmenter',
                        lambda *a, **k: MagentaSegmenter())
    occluded = faces[0].copy()
    occluded[32:56, 24:104] = MAGENTA
    face_file = str(tmp_path / 'face.png')
    cv2.imwrite(face_file, occluded)
    cfg = osp.join(repo, 'configs/baselines/telea_synthetic.py')
    tool('restore.py').main([cfg, 'none', face_file, '--out-dir',
                             str(tmp_path / 'out'), '--occlusion', 'auto',
                             '--save-strip'])
    with pytest.raises(SystemExit, match='add --occlusion auto'):
        tool('restore.py').main([cfg, 'none', face_file, '--out-dir',
                                 str(tmp_path / 'o2'), '--occlusion', 'O3',
                                 '--margin', '2'])
    strip = cv2.imread(str(tmp_path / 'out' / 'face_strip.png'))
    assert strip.shape == (128, 4 * 128, 3)  # input | mask | completed | out
    mask_panel = strip[:, 128:256, 0] > 127
    assert 0.05 < mask_panel.mean() < 0.3
    photo, detections = make_frame(synthetic_root)
    photo[60:66, 40:60] = MAGENTA
    photo_file = str(tmp_path / 'frame.png')
    cv2.imwrite(photo_file, photo)
    from photo_frames import KnownFacesDetector
    monkeypatch.setitem(KnownFacesDetector.KNOWN, photo.shape[:2],
                        detections)
    tool('restore_photo.py').main([
        cfg, 'none', photo_file, '--out-dir', str(tmp_path / 'photo'),
        '--occlusion', 'auto', '--detector', "{'type': 'KnownFacesDetector'}"])
    record = json.load(open(tmp_path / 'photo' / 'frame.json'))['faces']
    rows = record[0]['hidden_mask_32px']
    assert len(rows) == 32 and all(len(r) == 32 for r in rows)
    assert sum(r.count('1') for r in rows) == record[0]['hidden_pixels_32px']
    assert record[0]['hidden_pixels_32px'] > 0  # the magenta was found
    written = cv2.imread(str(tmp_path / 'photo' / 'frame_faces' /
                             '0_mask.png'), cv2.IMREAD_GRAYSCALE)
    assert (written > 0).sum() == record[0]['hidden_pixels_32px']
