"""The photo benchmark on tiny synthetic scenes: matching by IoU, every
face found by a detector that knows them, the tables' rows, the bicubic
floor below a restorer that is the truth itself."""
import numpy as np
import pytest

from fcsr_mm.apis import Detection
from fcsr_mm.benchmark import photo_benchmark as pb


def test_iou_and_greedy_matching():
    assert pb.iou((0, 0, 10, 10), (5, 0, 10, 10)) == pytest.approx(1 / 3)
    assert pb.iou((0, 0, 10, 10), (20, 20, 5, 5)) == 0
    faces = [dict(box=(0, 0, 10, 10)), dict(box=(50, 50, 10, 10))]
    dets = [Detection((51, 50, 10, 10), np.zeros((5, 2)), 1.0),
            Detection((1, 1, 10, 10), np.zeros((5, 2)), 1.0),
            Detection((100, 100, 5, 5), np.zeros((5, 2)), 1.0)]
    assert pb.match(dets, faces) == {0: 1, 1: 0}


def test_tables_of_a_known_faces_run(synthetic_root, repo):
    import os
    import os.path as osp

    import cv2
    from fcsr_mm.apis import init_restorer
    from fcsr_mm.data.face_template import template_points
    folder = osp.join(synthetic_root, 'aligned', 'images')
    faces = [cv2.imread(osp.join(folder, f))
             for f in sorted(os.listdir(folder))[:4]]
    scenes = pb.scenes_of(faces, 2, np.random.default_rng(0),
                          size=(160, 200), per_frame=(2, 2))
    t = template_points(128)
    five = np.array([t[0], t[1], (t[0] + t[1]) / 2, t[2] - [12, 0],
                     t[2] + [12, 0]])
    telea = init_restorer(osp.join(repo,
                                   'configs/baselines/telea_synthetic.py'))
    results = []
    for scene in scenes:
        dets = [Detection(f['box'], np.c_[five, np.ones(5)] @ f['matrix'].T,
                          1.0) for f in scene['faces']]
        results.append(pb.measure_frame(scene, dets, {'Telea': telea}))
    table = pb.detection_table(scenes, results)
    n = sum(len(s['faces']) for s in scenes)
    assert f'Precision (IoU >= 0.5): {n} of {n} detections = 1.000' in table
    rows = pb.restorer_table(scenes, results).splitlines()
    assert rows[2].startswith(f'| {pb.BICUBIC} | {n} |')
    assert rows[3].startswith(f'| Telea | {n} |')
    for res in results:
        for name in (pb.BICUBIC, 'Telea'):
            for s in res['rows'][name]['faces'].values():
                assert 5 < s['face_psnr'] < 60 and 0 < s['face_ssim'] <= 1


def known_detections(scene):
    """Detections a perfect detector would return: each face's box and its
    five template points in frame pixels."""
    from fcsr_mm.data.face_template import template_points
    t = template_points(128)
    five = np.array([t[0], t[1], (t[0] + t[1]) / 2, t[2] - [12, 0],
                     t[2] + [12, 0]])
    return [Detection(f['box'], np.c_[five, np.ones(5)] @ f['matrix'].T, 1.0)
            for f in scene['faces']]


def test_the_picture_is_one_frame_of_drawn_faces(tool, repo, tmp_path):
    """--picture: a seeded frame of four synthetic faces, drawn as a row
    per face (camera, bicubic, restored, truth, cut around it), linked from
    the page relative to it; the page says what was found."""
    import argparse
    import os.path as osp

    import cv2
    from fcsr_mm.apis import init_restorer
    from fcsr_mm.benchmark.photo_picture import (PICTURE_FRAME, picture_grid,
                                                 picture_scene)
    scene = picture_scene(0)
    assert len(scene['faces']) == 4
    assert scene['frame'].shape[:2] == PICTURE_FRAME
    assert np.array_equal(picture_scene(0)['frame'], scene['frame'])
    assert not np.array_equal(picture_scene(1)['frame'], scene['frame'])
    telea = init_restorer(osp.join(repo,
                                   'configs/baselines/telea_synthetic.py'))
    args = argparse.Namespace(picture=str(tmp_path / 'pic.jpg'),
                              picture_seed=0,
                              doc=str(tmp_path / 'docs' / 'page.md'))
    text = tool('analysis/photo_benchmark.py').draw_picture(
        args, 'Telea', telea, lambda image: known_detections(scene))
    assert '](../pic.jpg)' in text and 'found 4 of 4' in text
    pic = cv2.imread(args.picture).astype(float)
    assert pic.shape == (4 * 160, 4 * 160, 3)   # a row of 4 panels a face
    found = [True] * 4
    grid = picture_grid(scene, scene['truth'], scene['truth'], 'x', found)
    # a restorer that returns the truth: its column is the truth column
    assert np.array_equal(grid[40:, 320:480], grid[40:, 480:])
    assert np.abs(pic[40:, 480:] - grid[40:, 480:]).mean() < 3  # JPEG
    assert np.abs(pic[40:, 320:480] - grid[40:, 480:]).mean() > 0.5
    # a face the detector missed is marked in its restored panel only
    missed = picture_grid(scene, scene['truth'], scene['truth'], 'x',
                          [True, False, True, True])
    changed = np.argwhere((missed != grid).any(-1))
    assert len(changed) and changed[:, 0].min() >= 160 and \
        changed[:, 0].max() < 200 and changed[:, 1].min() >= 320 and \
        changed[:, 1].max() < 480


def test_the_speed_goal_counts_the_four_face_frames(tool):
    mod = tool('analysis/photo_benchmark.py')
    scenes = [dict(faces=[0] * n) for n in (4, 2, 4)]
    results = [dict(rows={'m': dict(seconds=s)}) for s in (0.1, 5.0, 0.3)]
    line = mod.four_face_seconds(scenes, results, [0.1, 9.0, 0.1], 'm')
    assert line.startswith('Frames with four faces: 2; detection + m 0.300 '
                           's per frame (at most 0.400)')
    assert 'No frame has four faces' in mod.four_face_seconds(
        scenes[1:2], results[1:2], [0.1], 'm')
