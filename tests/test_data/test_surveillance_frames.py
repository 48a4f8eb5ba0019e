"""Synthetic surveillance frames: the truth is the frame 4x, the faces sit
where their matrices say, occluders only in the frame, seeded."""
import cv2
import mmcv
import numpy as np

from fcsr_mm.data.face_template import template_points
from fcsr_mm.data.surveillance_frames import make_frame


def faces(n=3, seed=0):
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        f = np.full((128, 128, 3), rng.integers(60, 200, 3), np.uint8)
        for p in template_points(128):  # dark eyes and mouth
            cv2.circle(f, tuple(int(v) for v in p), 6, (10, 10, 10), -1)
        out.append(f)
    return out


def test_frames_are_seeded_and_their_truth_is_4x():
    a = make_frame(faces(), np.random.default_rng(1), size=(120, 160),
                   sides=(20, 30), occluded_share=0.0)
    b = make_frame(faces(), np.random.default_rng(1), size=(120, 160),
                   sides=(20, 30), occluded_share=0.0)
    assert np.array_equal(a['frame'], b['frame'])
    assert a['truth'].shape == (480, 640, 3) and a['frame'].shape == (
        120, 160, 3)
    shrunk = mmcv.imresize(a['truth'], (160, 120), interpolation='bicubic',
                           backend='pillow')
    assert np.array_equal(shrunk, a['frame'])  # no occluder: the truth 1/4
    assert 1 <= len(a['faces']) <= 3


def test_faces_sit_where_their_matrix_says_and_occluders_hide_them():
    out = make_frame(faces(4), np.random.default_rng(2), size=(240, 320),
                     sides=(40, 48), occluded_share=1.0)
    for face in out['faces']:
        assert 40 <= face['side'] <= 48 and abs(face['angle']) <= 15
        eye = np.r_[template_points(128)[0], 1] @ face['matrix'].T
        x, y = (int(round(v)) for v in eye)
        truth_eye = out['truth'][4 * y + 1, 4 * x + 1].astype(int)
        assert truth_eye.max() < 80, truth_eye    # the dark eye is there
        bx, by, bw, bh = face['occluder']
        patch = out['frame'][by:by + bh, bx:bx + bw].reshape(-1, 3)
        assert (patch == patch[0]).all()  # one solid occluder colour
        fx, fy, fw, fh = face['box']
        assert fx < x < fx + fw and fy < y < fy + fh
