"""The models that ship in fcsr_mm/checkpoints/: they load strictly, the
segmenter marks (almost) nothing on clean real faces and finds pasted
occluders, the restorer scores as its model card says."""
import json
import os.path as osp

import cv2
import numpy as np
import pytest

from fcsr_mm.apis.shipped import (RESTORER_CHECKPOINT, RESTORER_CONFIG,
                                  SEGMENTER_CHECKPOINT)

CARD_200 = RESTORER_CHECKPOINT[:-len('.pth')] + '_200.json'


def _test_faces(shared_data, num):
    root = osp.join(shared_data, 'celeba128')
    names = open(osp.join(root, 'meta', 'test.txt')).read().split()[:num]
    return [cv2.imread(osp.join(root, 'images', n)) for n in names]


def test_shipped_files_are_small():
    for path in (RESTORER_CHECKPOINT, SEGMENTER_CHECKPOINT):
        assert osp.getsize(path) <= 10 * 2**20, path


def test_segmenter_marks_clean_faces_little_and_finds_occluders(shared_data):
    from fcsr_mm.apis import init_occlusion_segmenter, load_face
    from fcsr_mm.benchmark.occlusion_report import mask_at
    from fcsr_mm.data.occluders import OCCLUDER_KINDS, paste_occluder
    seg = init_occlusion_segmenter()
    faces = _test_faces(shared_data, 44)
    clean = seg.predict([load_face(f) for f in faces])
    assert np.mean([m.mean() for m in clean]) < 0.01
    rng = np.random.default_rng(5)
    pasted = [paste_occluder(f, OCCLUDER_KINDS[i % len(OCCLUDER_KINDS)], rng)
              for i, f in enumerate(faces)]
    found = seg.predict([load_face(p.image) for p in pasted], margin=0)
    inter = sum((f & mask_at(p.mask)).sum() for f, p in zip(found, pasted))
    union = sum((f | mask_at(p.mask)).sum() for f, p in zip(found, pasted))
    assert inter / union > 0.6


def test_restorer_scores_as_its_card(shared_data, repo, tmp_path):
    from fcsr_mm.apis import run_test
    card = json.load(open(CARD_200))
    metrics = run_test(
        osp.join(repo, RESTORER_CONFIG), RESTORER_CHECKPOINT,
        cfg_options={
            'test_dataloader.dataset.data_root':
            osp.join(shared_data, 'celeba128'),
            'test_dataloader.dataset.indices': 200,
            'test_dataloader.num_workers': 0,
            'test_dataloader.persistent_workers': False},
        work_dir=str(tmp_path))
    assert abs(metrics['PSNR'] - card['PSNR']) < 0.1, (metrics, card)
    assert abs(metrics['SSIM'] - card['SSIM']) < 0.002
