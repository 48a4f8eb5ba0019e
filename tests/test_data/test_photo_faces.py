"""Faces in a photo (issue 22): align from five landmarks, paste back
through the inverse transform with a feathered edge, occlusions in photo
pixels mapped into a rotated face's frame."""
import cv2
import numpy as np
import pytest

from fcsr_mm.data.face_template import template_points
from fcsr_mm.data.photo_faces import (box_mask, crop_face, face_matrix,
                                      face_occlusion, feather_mask,
                                      paste_face, photo_to_face,
                                      resized_frame, template_points_of)


def smooth_photo(h=240, w=320, seed=0):
    rng = np.random.default_rng(seed)
    small = rng.integers(0, 256, (h // 16, w // 16, 3)).astype(np.float32)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC).clip(
        0, 255).astype(np.uint8)


def landmarks_of_face(centre, width, angle_deg):
    """Five MTCNN-order landmarks of a face of ``width`` px (template frame
    width), rotated by ``angle_deg``, centred at ``centre``."""
    t = template_points(1.0)  # eyes and mouth in a unit frame
    pts = np.array([t[0], t[1], (t[0] + t[1]) / 2 + [0, 0.2],
                    t[2] - [0.1, 0], t[2] + [0.1, 0]], np.float64) - 0.5
    a = np.deg2rad(angle_deg)
    rot = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])
    return (pts * width) @ rot.T + centre


def test_mouth_centre_and_shape_checks():
    lm = landmarks_of_face((100, 80), 60, 0)
    pts = template_points_of(lm)
    assert np.allclose(pts[2], (lm[3] + lm[4]) / 2)
    with pytest.raises(ValueError, match='five'):
        template_points_of(lm[:3])


def test_align_then_paste_back_an_unchanged_face_changes_nothing():
    photo = smooth_photo()
    lm = landmarks_of_face((160, 120), 110, 12)
    matrix = face_matrix(lm, 128)
    face = crop_face(photo, matrix, 128)
    # the template's eyes land where the landmarks were
    eyes = np.c_[template_points_of(lm)[:2], np.ones(2)] @ matrix.T
    assert np.allclose(eyes, template_points(128)[:2], atol=0.5)
    out = paste_face(photo, face, photo_to_face(matrix))
    weight = cv2.warpAffine(feather_mask(128), matrix.astype(np.float64),
                            photo.shape[1::-1],
                            flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP)
    inside, outside = weight > 0, weight <= 0
    diff = np.abs(out.astype(int) - photo.astype(int)).max(-1)
    assert inside.sum() > 5000 and outside.sum() > 5000
    assert diff[inside].max() <= 2
    assert np.array_equal(out[outside], photo[outside])


def test_paste_into_a_4x_canvas_lands_where_the_face_was():
    photo = smooth_photo(seed=1)
    lm = landmarks_of_face((150, 110), 40, -8)   # a 40 px face
    matrix = face_matrix(lm, 128)                # photo -> the 128 px crop
    face = crop_face(photo, matrix, 128)
    canvas = cv2.resize(photo, None, fx=4, fy=4,
                        interpolation=cv2.INTER_CUBIC)
    # the crop itself, pasted into the 4x canvas, matches the canvas: the
    # pixel-centre conventions of the crop and the 4x resize agree
    out = paste_face(canvas, face, photo_to_face(matrix, 4))
    weight = cv2.warpAffine(feather_mask(128), photo_to_face(matrix, 4),
                            canvas.shape[1::-1],
                            flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP)
    diff = np.abs(out.astype(int) - canvas.astype(int)).max(-1)
    assert diff[weight > 0.5].mean() < 1.5
    # and a corner of the canvas far from the face is untouched
    assert np.array_equal(out[:40, :40], canvas[:40, :40])
    # the 32 px frame is the crop's, resized by 1/4 about pixel centres
    lr = resized_frame(matrix, 1 / 4)
    small = cv2.resize(face, (32, 32), interpolation=cv2.INTER_AREA)
    direct = crop_face(photo, lr, 32)
    assert np.abs(small.astype(int) - direct.astype(int)).mean() < 3


def test_a_box_in_photo_pixels_hides_the_same_part_of_a_rotated_face():
    photo = smooth_photo()
    lm = landmarks_of_face((160, 120), 80, 15)
    matrix = resized_frame(face_matrix(lm, 128), 1 / 4)  # the 32 px input
    # a box around the image-left eye in the photo
    ex, ey = lm[0]
    mask = box_mask([(int(ex) - 8, int(ey) - 8, 16, 16)], photo.shape)
    hole = face_occlusion(mask, matrix, 32)
    left, right = template_points(32)[:2]
    assert hole[int(left[1]), int(left[0])]
    assert not hole[int(right[1]), int(right[0])]
    assert 0 < hole.sum() < 32 * 32 // 4
    # nothing hidden: an empty hole (super-resolution only)
    assert not face_occlusion(np.zeros(photo.shape[:2]), matrix, 32).any()
    with pytest.raises(ValueError, match='width and height must be positive'):
        box_mask([(0, 0, 0, 5)], photo.shape)


def test_feather_mask_is_one_inside_and_zero_at_the_edge():
    m = feather_mask(64, 0.1)
    assert m[32, 32] == 1 and m[0, 32] < 0.02 and m[32, 0] < 0.02
    row = m[32, :32]
    assert np.all(np.diff(row) >= 0)
