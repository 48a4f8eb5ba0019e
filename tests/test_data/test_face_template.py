import cv2
import numpy as np
import pytest

from fcsr_mm.data.face_template import (TEMPLATE_POINTS, align_face,
                                        label_centroids, similarity_transform,
                                        template_points)


def test_similarity_transform_recovers_known_transform():
    src = np.array([[10, 20], [50, 22], [30, 60]], np.float32)
    angle, scale, shift = np.deg2rad(12), 1.7, np.array([5.0, -3.0])
    rot = scale * np.array([[np.cos(angle), -np.sin(angle)],
                            [np.sin(angle), np.cos(angle)]])
    dst = src @ rot.T + shift
    m = similarity_transform(src, dst)
    np.testing.assert_allclose(m[:, :2], rot, atol=1e-4)
    np.testing.assert_allclose(m[:, 2], shift, atol=1e-3)


def test_similarity_transform_rejects_bad_points():
    with pytest.raises(ValueError, match='point sets'):
        similarity_transform(np.zeros((1, 2)), np.zeros((1, 2)))
    with pytest.raises(ValueError, match='points coincide'):
        similarity_transform(np.zeros((2, 2)), np.array([[0, 0], [0, 1.]]))


# An aligned face's eyes are within this of the template (measured: 0 px);
# a face 2 px off or turned by 10 degrees (6 px at the eyes) is not aligned.
ALIGNED_WITHIN_PX = 1.0
EYES = ('left_eye', 'right_eye')


def eye_offsets(label: np.ndarray) -> np.ndarray:
    """Distance (px) of eye ``i + 1``'s centroid in ``label`` from the
    template's point, for both eyes."""
    found = label_centroids(label, (1, 2))
    return np.hypot(*(found - np.array([TEMPLATE_POINTS[k] for k in EYES])).T)


def test_align_face_puts_eyes_on_template():
    img = np.zeros((300, 300, 3), np.uint8)
    label = np.zeros((300, 300), np.uint8)
    eyes = np.array([[100, 150], [190, 140]], np.float32)
    for i, (x, y) in enumerate(eyes):
        label[int(y) - 2:int(y) + 3, int(x) - 2:int(x) + 3] = i + 1
    aligned, lab = align_face(img, eyes, 128, label=label)
    assert aligned.shape == (128, 128, 3) and lab.shape == (128, 128)
    assert (eye_offsets(lab) < ALIGNED_WITHIN_PX).all(), eye_offsets(lab)
    # the bound tells a misaligned face: shifted 2 px, or turned 10 degrees
    shifted = np.roll(lab, 2, axis=1)
    turned = cv2.warpAffine(lab, cv2.getRotationMatrix2D((64, 64), 10, 1),
                            (128, 128), flags=cv2.INTER_NEAREST)
    for wrong in (shifted, turned):
        assert (eye_offsets(wrong) > ALIGNED_WITHIN_PX).all(), \
            eye_offsets(wrong)


def test_template_margin_and_missing_points():
    pts = template_points(128, margin=8)
    np.testing.assert_allclose(pts[0], [48, 48])
    points = np.array([[100, 150], [np.nan, np.nan], [140, 230]], np.float32)
    aligned, _ = align_face(np.zeros((300, 300, 3), np.uint8), points, 128)
    assert aligned.shape == (128, 128, 3)
    with pytest.raises(ValueError, match='need two'):
        align_face(np.zeros((30, 30, 3), np.uint8),
                   np.array([[1, 1], [np.nan, np.nan]], np.float32))
