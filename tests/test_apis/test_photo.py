"""restore_photo on a synthetic frame: faces placed by known similarities,
a detector that reports them, the results pasted back where the faces are
(Telea + bicubic as the restorer: its face is the bicubic background's),
an occlusion box reaching only the face it covers, no face = the plain
upscale."""
import json
import os
import os.path as osp

import cv2
import numpy as np
import pytest

from fcsr_mm.apis import init_restorer, restore_photo
from fcsr_mm.apis.photo import upscale
from photo_frames import KnownFaces, make_frame


@pytest.fixture(scope='module')
def frame(synthetic_root):
    return make_frame(synthetic_root)


@pytest.fixture(scope='module')
def telea(repo):
    return init_restorer(osp.join(repo, 'configs/baselines/telea_synthetic.py'))


def test_faces_are_restored_and_pasted_where_they_are(frame, telea):
    photo, detections = frame
    out = restore_photo(telea, photo, KnownFaces(detections))
    image, faces = out['image'], out['faces']
    assert image.shape == (640, 800, 3) and len(faces) == 2
    assert all(f['occluded'] == 0 for f in faces)  # super-resolution only
    assert all(f['pred_img'].shape == (128, 128, 3) for f in faces)
    plain = upscale(photo)
    diff = np.abs(image.astype(int) - plain.astype(int)).max(-1)
    # bicubic SR of the aligned face (blurred by the training degradation's
    # antialiasing) lands on the bicubic background: it matches there
    # better than at any shift of half a photo pixel or more
    for det in detections:
        x, y, w, h = (int(v * 4) for v in det.box)
        pasted = image[y:y + h, x:x + w].astype(int)

        def mismatch(dx, dy):
            return np.abs(pasted - plain[y + dy:y + dy + h,
                                         x + dx:x + dx + w]).mean()
        here = mismatch(0, 0)
        assert here < 10, here
        assert all(here < mismatch(dx, dy) for dx in (-4, -2, 0, 2, 4)
                   for dy in (-4, -2, 0, 2, 4) if dx or dy)
    # far from both faces: the background itself
    assert diff[:40, -60:].max() == 0
    json.dumps([f['detection'].to_json() for f in faces])


def test_an_occlusion_box_reaches_only_the_face_it_covers(frame, telea):
    photo, detections = frame
    ex, ey = detections[0].landmarks[0]   # first face's image-left eye
    box = (int(ex) - 4, int(ey) - 4, 8, 8)
    out = restore_photo(telea, photo, KnownFaces(detections), boxes=[box])
    first, second = out['faces']
    assert first['occluded'] > 0 and second['occluded'] == 0
    # Telea filled the hidden eye: the input there is not the photo
    plain = restore_photo(telea, photo, KnownFaces(detections))['faces'][0]
    assert np.abs(first['pred_img'].astype(int)
                  - plain['pred_img'].astype(int)).max() > 10


def test_no_face_and_bad_input(frame, telea):
    photo, _ = frame
    out = restore_photo(telea, photo, KnownFaces([]))
    assert out['faces'] == [] and np.array_equal(out['image'],
                                                 upscale(photo))
    with pytest.raises(ValueError, match='HxWx3 uint8'):
        restore_photo(telea, photo[..., 0], KnownFaces([]))
    with pytest.raises(ValueError, match='give the mask in photo pixels'):
        restore_photo(telea, photo, KnownFaces([]),
                      mask=np.zeros((10, 10), np.uint8))


def test_the_detector_sees_hidden_parts_filled(frame, telea):
    photo, detections = frame
    seen = []

    def detector(image):
        seen.append(image)
        return []
    box = (20, 30, 30, 20)
    restore_photo(telea, photo, detector, boxes=[box])
    restore_photo(telea, photo, detector, boxes=[box],
                  fill_for_detection=False)
    filled, raw = seen
    x, y, w, h = box
    assert np.array_equal(raw, photo)
    assert not np.array_equal(filled[y:y + h, x:x + w],
                              photo[y:y + h, x:x + w])
    outside = np.ones(photo.shape[:2], bool)
    outside[y:y + h, x:x + w] = False
    assert np.array_equal(filled[outside], photo[outside])


def test_the_photo_inferencer_writes_the_4x_photos(frame, repo, tmp_path):
    from fcsr_mm.apis.photo_inferencer import PhotoRestorationInferencer
    photo, detections = frame
    path = tmp_path / 'frame.png'
    cv2.imwrite(str(path), photo)
    inferencer = PhotoRestorationInferencer(
        osp.join(repo, 'configs/baselines/telea_synthetic.py'),
        detector=KnownFaces(detections), show_progress=False)
    out = inferencer([str(path), photo], result_out_dir=str(tmp_path / 'o'))
    first, second = out['predictions']
    assert len(first['faces']) == len(second['faces']) == 2
    assert np.array_equal(first['image'], second['image'])
    assert cv2.imread(str(tmp_path / 'o' / 'frame_x4.png')).shape == (
        640, 800, 3)
    assert (tmp_path / 'o' / '1_x4.png').exists()


def test_faces_cut_by_the_edge_and_overlapping_faces(frame, telea):
    """A face half outside the photo is restored and pasted where it is
    inside (nothing outside the 4x frame is written); two faces that overlap
    are both pasted."""
    photo, detections = frame
    moved = []
    for det, shift in zip(detections, [(-60, 0), (-80, -20)]):
        # the first face pushed over the left edge, the second onto it
        moved.append(type(det)(
            (det.box[0] + shift[0], det.box[1] + shift[1], *det.box[2:]),
            det.landmarks + np.asarray(shift, np.float32), det.score))
    out = restore_photo(telea, photo, KnownFaces(moved))
    assert out['image'].shape == (640, 800, 3) and len(out['faces']) == 2
    changed = np.abs(out['image'].astype(int)
                     - upscale(photo).astype(int)).max(-1) > 0
    ys, xs = np.nonzero(changed)
    assert xs.min() == 0  # the cut face reaches the left edge
    assert changed[:, :40].any() and not changed[:, 500:].any()


def test_faces_larger_than_the_model_keep_their_detail(frame, telea):
    """Above max_side a face is pasted over its hidden part only, or not
    at all when nothing hides it (the 32 px model would blur it)."""
    photo, detections = frame
    plain = upscale(photo)
    out = restore_photo(telea, photo, KnownFaces(detections), max_side=30)
    big, small = out['faces']   # frames of 32 and 28 px
    assert big['side'] == pytest.approx(32, abs=0.5) and small['side'] < 30
    assert (big['pasted'], small['pasted']) == ('none', 'face')
    x, y, w, h = (int(v * 4) for v in detections[0].box)
    assert np.array_equal(out['image'][y:y + h, x:x + w],
                          plain[y:y + h, x:x + w])
    ex, ey = detections[0].landmarks[0]
    box = (int(ex) - 3, int(ey) - 3, 6, 6)
    out = restore_photo(telea, photo, KnownFaces(detections), boxes=[box],
                        max_side=30)
    assert out['faces'][0]['pasted'] == 'hole'
    changed = np.abs(out['image'].astype(int) - plain.astype(int)).max(-1)
    ys, xs = np.nonzero(changed[y:y + h, x:x + w])
    assert len(ys) > 0
    # only around the hidden eye (its 6 px box, grown), not the whole face
    assert xs.max() - xs.min() < 0.7 * w and ys.max() - ys.min() < 0.7 * h
