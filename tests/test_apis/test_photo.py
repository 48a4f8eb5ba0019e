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

from fcsr_mm.apis import Detection, init_restorer, restore_photo
from fcsr_mm.apis.photo import upscale
from fcsr_mm.data.face_template import template_points


def five_points(size=128):
    t = template_points(size)
    return np.array([t[0], t[1], (t[0] + t[1]) / 2 + [0, 0.2 * size],
                     t[2] - [0.1 * size, 0], t[2] + [0.1 * size, 0]],
                    np.float32)


class KnownFaces:
    """A detector that reports the faces the frame was made with."""

    def __init__(self, detections):
        self.detections = detections

    def __call__(self, image):
        return list(self.detections)


@pytest.fixture(scope='module')
def frame(synthetic_root):
    """A 200x160 frame with two aligned synthetic faces pasted at 32 and
    28 px (template frame width: no finer than the model's 32 px input),
    rotated by 10 and -6 degrees."""
    folder = osp.join(synthetic_root, 'aligned', 'images')
    faces = [cv2.imread(osp.join(folder, f))
             for f in sorted(os.listdir(folder))[:2]]
    photo = np.full((160, 200, 3), 90, np.uint8)
    cv2.randn(photo, 90, 10)
    photo = cv2.GaussianBlur(photo, (0, 0), 3)
    detections = []
    for face, (cx, cy), width, angle in zip(faces, [(55, 70), (145, 90)],
                                            [32, 28], [10, -6]):
        m = cv2.getRotationMatrix2D((64, 64), angle, width / 128)
        m[:, 2] += (cx - 64, cy - 64)
        warped = cv2.warpAffine(face, m, photo.shape[1::-1],
                                flags=cv2.INTER_AREA)
        inside = cv2.warpAffine(np.ones((128, 128), np.uint8), m,
                                photo.shape[1::-1]) > 0
        photo[inside] = warped[inside]
        lm = np.c_[five_points(), np.ones(5)] @ m.T
        x, y = lm.min(0)
        detections.append(Detection((x, y, *(lm.max(0) - lm.min(0))),
                                    lm.astype(np.float32), 0.99))
    return photo, detections


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
