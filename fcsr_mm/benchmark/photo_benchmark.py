"""Whole-photo restoration measured on synthetic surveillance frames
(``fcsr_mm.data.surveillance_frames``): detection recall and precision by
face size, and per restorer the restored faces against the truth in each
face's aligned frame and the pasted regions of the 4x frame, with the
bicubic 4x frame as the floor (issue 22)."""
import time
from typing import Dict, List, Sequence

import cv2
import numpy as np
from mmagic.evaluation.metrics.psnr import psnr
from mmagic.evaluation.metrics.ssim import ssim

from fcsr_mm.apis.photo import (SCALE, photo_for_detection, restore_photo,
                                upscale)
from fcsr_mm.data.face_template import warp_to_template
from fcsr_mm.data.photo_faces import (box_mask, face_matrix, feather_mask,
                                      photo_to_face)

SIZE_BINS = ((20, 24), (24, 32), (32, 48), (48, 65))
BICUBIC = 'bicubic 4x'


class FixedDetections:
    """A detector that returns detections made once, so every restorer
    sees the same faces."""

    def __init__(self, detections):
        self.detections = list(detections)

    def __call__(self, image):
        return list(self.detections)


def iou(a, b) -> float:
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    w = max(0.0, min(ax + aw, bx + bw) - max(ax, bx))
    h = max(0.0, min(ay + ah, by + bh) - max(ay, by))
    inter = w * h
    return inter / (aw * ah + bw * bh - inter) if inter else 0.0


def match(detections, faces, threshold: float = 0.5) -> Dict[int, int]:
    """Greedy one-to-one matching by IoU: ``{face index: detection
    index}`` for pairs with IoU >= ``threshold``."""
    pairs = sorted(((iou(d.box, f['box']), fi, di)
                    for fi, f in enumerate(faces)
                    for di, d in enumerate(detections)), reverse=True)
    out, used = {}, set()
    for score, fi, di in pairs:
        if score >= threshold and fi not in out and di not in used:
            out[fi] = di
            used.add(di)
    return out


def _region_psnr(out: np.ndarray, truth: np.ndarray,
                 region: np.ndarray) -> float:
    diff = out[region].astype(np.float64) - truth[region].astype(np.float64)
    mse = float(np.mean(diff ** 2))
    return 10 * np.log10(255 ** 2 / mse) if mse > 0 else float('inf')


def face_scores(image4x: np.ndarray, pred: np.ndarray, truth: np.ndarray,
                landmarks) -> Dict:
    """A restored face (``pred``, 128x128; for the bicubic floor, the face
    cut from ``image4x``) against the truth in the detection's aligned
    frame, and the pasted region of ``image4x`` against the truth."""
    to_face = photo_to_face(face_matrix(landmarks, 128), SCALE)
    aligned_truth = warp_to_template(truth, to_face, 128)
    region = cv2.warpAffine(feather_mask(128), to_face, truth.shape[1::-1],
                            flags=cv2.INTER_LINEAR
                            | cv2.WARP_INVERSE_MAP) > 0.5
    if pred is None:
        pred = warp_to_template(image4x, to_face, 128)
    return dict(face_psnr=psnr(pred, aligned_truth),
                face_ssim=ssim(pred, aligned_truth),
                pasted_psnr=_region_psnr(image4x, truth, region))


def detect(scene: Dict, detector) -> list:
    """The detector's faces of the frame as ``restore_photo`` shows it: the
    occluders' boxes (which the restorers are given) filled by Telea."""
    boxes = [f['occluder'] for f in scene['faces'] if f['occluder']]
    return detector(photo_for_detection(scene['frame'],
                                        box_mask(boxes, scene['frame'].shape)))


def measure_frame(scene: Dict, detections, restorers: Dict) -> Dict:
    """One frame: the matches, and per restorer (and the bicubic floor)
    each matched face's scores and the restorer's seconds."""
    faces = scene['faces']
    pairs = match(detections, faces)
    boxes = [f['occluder'] for f in faces if f['occluder']]
    rows = {}
    plain = upscale(scene['frame'])
    rows[BICUBIC] = dict(seconds=0.0, faces={
        fi: face_scores(plain, None, scene['truth'],
                        detections[di].landmarks)
        for fi, di in pairs.items()})
    for name, model in restorers.items():
        start = time.perf_counter()
        out = restore_photo(model, scene['frame'],
                            FixedDetections(detections), boxes=boxes)
        seconds = time.perf_counter() - start
        # a face pasted over its hole only (or not at all) is scored as it
        # stands in the output
        rows[name] = dict(seconds=seconds, faces={
            fi: face_scores(out['image'], out['faces'][di]['pred_img']
                            if out['faces'][di]['pasted'] == 'face' else None,
                            scene['truth'], detections[di].landmarks)
            for fi, di in pairs.items()})
    return dict(pairs=pairs, detections=len(detections), rows=rows)


def detection_table(scenes: Sequence[Dict], results: Sequence[Dict]) -> str:
    """Recall by face size (the face frame's side in frame pixels) and
    precision over all detections."""
    found = {b: [0, 0] for b in SIZE_BINS}
    for scene, res in zip(scenes, results):
        for fi, face in enumerate(scene['faces']):
            for lo, hi in SIZE_BINS:
                if lo <= face['side'] < hi:
                    found[(lo, hi)][0] += fi in res['pairs']
                    found[(lo, hi)][1] += 1
    dets = sum(r['detections'] for r in results)
    hits = sum(len(r['pairs']) for r in results)
    lines = ['| face size (px) | faces | found | recall |', '|---|---|---|---|']
    for (lo, hi), (hit, n) in found.items():
        rate = f'{hit / n:.3f}' if n else '-'
        lines.append(f'| {lo}-{hi - 1} | {n} | {hit} | {rate} |')
    precision = f'{hits / dets:.3f}' if dets else '-'
    lines.append(f'\nPrecision (IoU >= 0.5): {hits} of {dets} detections '
                 f'= {precision}.')
    return '\n'.join(lines) + '\n'


def restorer_table(scenes: Sequence[Dict], results: Sequence[Dict]) -> str:
    """Per restorer: mean face PSNR/SSIM in the aligned frame and pasted-
    region PSNR, over all matched faces and over the occluded ones, and
    seconds per frame (restoration and pasting, detection not included)."""
    names = list(results[0]['rows']) if results else []
    lines = ['| method | faces | face PSNR (dB) | face SSIM | pasted PSNR '
             '(dB) | occluded faces | their pasted PSNR (dB) | s / frame |',
             '|---|---|---|---|---|---|---|---|']
    for name in names:
        every, hidden, secs = [], [], []
        for scene, res in zip(scenes, results):
            row = res['rows'][name]
            secs.append(row['seconds'])
            for fi, s in row['faces'].items():
                every.append(s)
                if scene['faces'][fi]['occluder']:
                    hidden.append(s)

        def mean(items, key):
            vals = [s[key] for s in items if np.isfinite(s[key])]
            return f'{np.mean(vals):.2f}' if vals else '-'
        ssim_mean = (f'{np.mean([s["face_ssim"] for s in every]):.4f}'
                     if every else '-')
        lines.append(f'| {name} | {len(every)} | {mean(every, "face_psnr")} '
                     f'| {ssim_mean} | {mean(every, "pasted_psnr")} | '
                     f'{len(hidden)} | {mean(hidden, "pasted_psnr")} | '
                     f'{np.mean(secs):.3f} |')
    return '\n'.join(lines) + '\n'


def scenes_of(faces: List[np.ndarray], count: int, rng, size=(480, 640),
              per_frame=(1, 6)) -> List[Dict]:
    """``count`` frames of 1-6 faces each, drawn in order from ``faces``
    (each face used once while they last)."""
    from fcsr_mm.data.surveillance_frames import make_frame
    scenes, k = [], 0
    for _ in range(count):
        n = int(rng.integers(per_frame[0], per_frame[1] + 1))
        picked = [faces[(k + i) % len(faces)] for i in range(n)]
        k += n
        scenes.append(make_frame(picked, rng, size=size))
    return scenes
