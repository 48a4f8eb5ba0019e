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
