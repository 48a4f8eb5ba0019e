"""Measure whole-photo restoration on synthetic surveillance frames made
from test faces (never training faces): detection recall by face size and
precision, and per restorer the restored faces and the pasted regions of
the 4x frame against the truth, beside bicubic 4x.

    python tools/analysis/photo_benchmark.py CONFIG CKPT --frames 50 \\
        --faces ../shared/data/celeba128 --out-dir work_dirs/photo_bench \\
        [--baseline configs/baselines/telea_celeba.py] [--doc docs/photo_restore.md]

Faces: ``<faces>/meta/test.txt`` of an aligned face set (128x128). Frames
are 640x480 with 1-6 faces each at 20-64 px, turned up to 15 degrees, half
of them behind an occluder (the restorers are given its box). One
detection per frame serves every restorer. Writes ``results.md`` (and
``--doc``). ``--picture PATH`` also draws one frame of the project's
synthetic faces (never ``--faces``: pictures of real faces are not
committed) restored by CONFIG, and the page shows it.
"""
import argparse
import os
import os.path as osp
import shlex
import sys
import time

import cv2
import numpy as np


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('config')
    p.add_argument('checkpoint', help='checkpoint, or "none"')
    p.add_argument('--faces', required=True,
                   help='aligned face set with meta/test.txt and images/')
    p.add_argument('--frames', type=int, default=50)
    p.add_argument('--seed', type=int, default=0)
    p.add_argument('--baseline', action='append', default=[],
                   help='another restorer config (training-free), e.g. '
                   'configs/baselines/telea_celeba.py (repeatable)')
    p.add_argument('--detector', default="{'type': 'MTCNNDetector'}")
    p.add_argument('--threads', type=int, default=2)
    p.add_argument('--out-dir', required=True)
    p.add_argument('--doc', help='also write this markdown page')
    p.add_argument('--picture', help='also draw one frame of synthetic '
                   'faces restored by CONFIG into this image (.jpg/.png)')
    p.add_argument('--picture-seed', type=int, default=0)
    p.add_argument('--overwrite', action='store_true')
    return p.parse_args(argv)


def load_faces(root: str):
    from fcsr_mm.data.io import read_image
    meta = osp.join(root, 'meta', 'test.txt')
    if not osp.isfile(meta):
        raise SystemExit(f'{meta} not found: give an aligned face set with '
                         'a test split (--faces)')
    names = open(meta).read().split()
    return [read_image(osp.join(root, 'images', n)) for n in names]


def restorers(args):
    from fcsr_mm.apis import init_restorer
    out = {osp.splitext(osp.basename(args.config))[0]: init_restorer(
        args.config, None if args.checkpoint == 'none' else args.checkpoint)}
    for cfg in args.baseline:
        out[osp.splitext(osp.basename(cfg))[0]] = init_restorer(cfg)
    return out


def four_face_seconds(scenes, results, detect_s, name: str) -> str:
    """The speed goal's case: detection plus ``name``'s restoration on the
    frames with four faces."""
    secs = [d + r['rows'][name]['seconds']
            for s, r, d in zip(scenes, results, detect_s)
            if len(s['faces']) == 4]
    if not secs:
        return 'No frame has four faces: draw more frames (--frames).\n'
    return (f'Frames with four faces: {len(secs)}; detection + {name} '
            f'{np.mean(secs):.3f} s per frame (at most {max(secs):.3f}).\n')


def draw_picture(args, name: str, model, detector) -> str:
    """The picture (``--picture``) and the page's lines about it."""
    from fcsr_mm.apis.photo import MAX_SIDE, restore_photo, upscale
    from fcsr_mm.benchmark import photo_benchmark as pb
    from fcsr_mm.benchmark.photo_picture import (PICTURE_FRAME, picture_grid,
                                                 picture_scene)
    scene = picture_scene(args.picture_seed)
    boxes = [f['occluder'] for f in scene['faces'] if f['occluder']]
    detections = pb.detect(scene, detector)
    out = restore_photo(model, scene['frame'], pb.FixedDetections(detections),
                        boxes=boxes)
    plain = upscale(scene['frame'])
    os.makedirs(osp.dirname(osp.abspath(args.picture)), exist_ok=True)
    pairs = pb.match(detections, scene['faces'])
    hits = [i in pairs for i in range(len(scene['faces']))]
    cv2.imwrite(args.picture,
                picture_grid(scene, plain, out['image'], name, hits))
    found = len(pairs)
    where = (osp.relpath(osp.abspath(args.picture),
                         osp.dirname(osp.abspath(args.doc)))
             if args.doc else args.picture)
    faces = len(scene['faces'])
    return (f'![one synthetic frame restored]({where})\n\n'
            f'One {PICTURE_FRAME[1]}x{PICTURE_FRAME[0]} frame of {faces} '
            'drawn faces (fcsr_mm.data.synthetic_faces, seed '
            f'{args.picture_seed}; {len(boxes)} behind an occluder, given as '
            'boxes), a row per face cut from the 4x frames around it: the '
            f'detector found {found} of {faces} (a face it misses stays '
            f'bicubic, as does a face whose frame is over {MAX_SIDE} px '
            'outside its hidden part: restore_photo\'s max_side). The model '
            'was trained on real faces, so drawn faces show the pipeline '
            '(detect, align, restore, paste back), not '
            'its quality; the tables above measure that.\n')


def main(argv=None):
    args = parse_args(argv)
    import ast

    import torch
    import fcsr_mm  # noqa: F401
    from fcsr_mm.apis.face_detectors import build_detector
    from fcsr_mm.benchmark import photo_benchmark as pb
    from fcsr_mm.benchmark.speed_machine import cpu_label
    results_md = osp.join(args.out_dir, 'results.md')
    if osp.exists(results_md) and not args.overwrite:
        raise SystemExit(f'{results_md} already exists; pass --overwrite')
    if args.picture and osp.exists(args.picture) and not args.overwrite:
        raise SystemExit(f'{args.picture} already exists; pass --overwrite')
    torch.set_num_threads(args.threads)
    faces = load_faces(args.faces)
    scenes = pb.scenes_of(faces, args.frames,
                          np.random.default_rng(args.seed))
    detector = build_detector(ast.literal_eval(args.detector))
    models = restorers(args)
    if scenes:  # warm-up, untimed: a model's first call sets itself up
        pb.measure_frame(scenes[0], pb.detect(scenes[0], detector), models)
    start, results, detect_s = time.time(), [], []
    for scene in scenes:
        t = time.perf_counter()
        detections = pb.detect(scene, detector)
        detect_s.append(time.perf_counter() - t)
        results.append(pb.measure_frame(scene, detections, models))
    minutes = (time.time() - start) / 60
    name = next(iter(models))
    picture = (draw_picture(args, name, models[name], detector)
               if args.picture else '')
    text = '\n'.join([
        '<!-- written by tools/analysis/photo_benchmark.py; do not edit -->',
        f'Command: `python {" ".join(shlex.quote(a) for a in sys.argv)}`\n',
        f'Machine: {cpu_label()}, {os.cpu_count()} cores, torch threads '
        f'{args.threads}; {args.frames} frames (640x480, seed {args.seed}), '
        f'{sum(len(s["faces"]) for s in scenes)} faces, '
        f'{sum(bool(f["occluder"]) for s in scenes for f in s["faces"])} '
        f'behind an occluder; wall time {minutes:.1f} min; detection '
        f'{np.mean(detect_s):.3f} s per frame.\n',
        '### Detection\n', pb.detection_table(scenes, results),
        '### Restoration (matched faces)\n',
        pb.restorer_table(scenes, results),
        four_face_seconds(scenes, results, detect_s, name), picture])
    os.makedirs(args.out_dir, exist_ok=True)
    with open(results_md, 'w') as f:
        f.write(text)
    if args.doc:
        with open(args.doc, 'w') as f:
            f.write('# Whole photos: measured\n\n' + text)
    print(text)
    return results


if __name__ == '__main__':
    main()
