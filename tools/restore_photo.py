"""Restore every face of whole photos: detect, align, restore, paste back.

    python tools/restore_photo.py frame.jpg --out-dir out/     # the shipped model
    python tools/restore_photo.py CONFIG CKPT frame.jpg --out-dir out/
    python tools/restore_photo.py CONFIG CKPT photos/ --box 120,80,40,24 --out-dir out/
    python tools/restore_photo.py CONFIG CKPT frame.jpg --mask hidden.png --out-dir out/
    python tools/restore_photo.py CONFIG CKPT clip.mp4 --out-dir out/
    python tools/restore_photo.py CONFIG CKPT frame.jpg --occlusion auto --out-dir out/

Per photo, writes ``<name>_x4.png`` (the photo enlarged 4x by bicubic with
every restored face pasted in), ``<name>_faces/<i>.png`` (each restored
128x128 face) and ``<name>.json`` (per face: box, landmarks, score and the
hidden pixels of its 32x32 input). Faces not covered by ``--box`` /
``--mask`` (photo pixels) or, with ``--occlusion auto``, by an occluder the
occlusion segmenter finds are super-resolved only. The detector is a config
dict (default MTCNN from facenet-pytorch, offline). A photo without faces
is said so and gets only the plain upscale with ``--keep-empty``. A video
(``VIDEO_EXTS``) is restored frame by frame into ``<name>_x4.mp4`` (no
audio) with one JSON entry per frame.
"""
import argparse
import json
import os
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
from restore import (add_auto_arguments, check_auto_options,  # noqa: E402
                     check_device, check_out_dir, load_model,
                     load_segmenter)

VIDEO_EXTS = ('.mp4', '.avi', '.mov', '.mkv')


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('inputs', nargs='+', metavar='[CONFIG CHECKPOINT] INPUT',
                   help='photos, folders of photos or videos, after an '
                   'optional model: its config (.py) and trained checkpoint '
                   '(or "none" for a model whose config names its weights); '
                   'without one, the shipped model (fcsr_mm/checkpoints/)')
    p.add_argument('--out-dir', default='restored',
                   help='where results go (default: ./restored)')
    p.add_argument('--box', action='append', default=[],
                   help='hidden part x,y,w,h in photo pixels (repeatable)')
    p.add_argument('--mask', help='hidden parts: an image of the photo\'s '
                   'size, nonzero = hidden (one photo only)')
    p.add_argument('--occlusion', choices=['auto'],
                   help='auto: the occlusion segmenter finds what hides each '
                   'face (sunglasses, masks, hands, hats...), on top of '
                   '--box/--mask; the mask each face was completed with '
                   '(found and given) is in the JSON and in '
                   '<name>_faces/<i>_mask.png')
    add_auto_arguments(p)
    p.add_argument('--min-face', type=int, default=12,
                   help='smallest face box side to detect, pixels (default '
                   '12: faces of 16 px frames)')
    p.add_argument('--detector', default=None,
                   help="detector config as a Python dict literal (default: "
                   "dict(type='MTCNNDetector', min_face_size=MIN_FACE))")
    p.add_argument('--keep-empty', action='store_true',
                   help='write the plain 4x upscale of a photo without faces')
    p.add_argument('--max-face-side', type=float, default=40,
                   help='faces whose aligned frame is larger (px) are pasted '
                   'over their hidden part only (the 32 px model would blur '
                   'the rest), or left as they are; 0: restore every face '
                   'whole (default 40)')
    p.add_argument('--max-side', type=int, default=4000,
                   help='refuse photos with a longer side (the 4x result '
                   'of a 4000 px photo is 16000 px; default 4000)')
    p.add_argument('--device', default='cpu')
    p.add_argument('--precision', choices=['auto', 'fp32', 'bf16'])
    p.add_argument('--overwrite', action='store_true',
                   help='replace results that already exist')
    p.add_argument('--allow-other-config', action='store_true')
    return split_model(p.parse_args(argv))


def split_model(args):
    """``args.config`` and ``args.checkpoint`` from the leading config (a
    .py file, as every OpenMMLab config) and checkpoint, else the shipped
    model's."""
    from fcsr_mm.apis.shipped import (RESTORER_CHECKPOINT, RESTORER_CONFIG,
                                      find_in_repo)
    if args.inputs[0].endswith('.py'):
        if len(args.inputs) < 3:
            raise SystemExit(f'{args.inputs[0]}: after a config give its '
                             'checkpoint and at least one photo')
        args.config, args.checkpoint = args.inputs[:2]
        args.inputs = args.inputs[2:]
    else:
        args.config = find_in_repo(RESTORER_CONFIG)
        args.checkpoint = RESTORER_CHECKPOINT
    return args


def parse_boxes(texts):
    boxes = []
    for text in texts:
        try:
            box = tuple(int(v) for v in text.split(','))
        except ValueError:
            box = ()
        if len(box) != 4 or box[2] <= 0 or box[3] <= 0:
            raise SystemExit(f'--box {text!r}: expected x,y,w,h in photo '
                             'pixels, w and h positive (e.g. 120,80,40,24)')
        boxes.append(box)
    return boxes


def detector_cfg(args):
    import ast
    if args.detector is None:
        return dict(type='MTCNNDetector', min_face_size=args.min_face,
                    device=args.device)
    try:
        cfg = ast.literal_eval(args.detector)
    except (ValueError, SyntaxError):
        cfg = None
    if not isinstance(cfg, dict) or 'type' not in cfg:
        raise SystemExit(f'--detector {args.detector!r}: give a dict with a '
                         "type, e.g. \"{'type': 'MTCNNDetector'}\"")
    return cfg


def is_video(path):
    return path.lower().endswith(VIDEO_EXTS)


def outputs_of(args, photo):
    stem = osp.join(args.out_dir, osp.splitext(osp.basename(photo))[0])
    image = stem + ('_x4.mp4' if is_video(photo) else '_x4.png')
    return dict(image=image, faces=stem + '_faces', json=stem + '.json')


def check_outputs(args, photos):
    """Refuse (nothing written) outputs that would replace an input, or
    existing ones without --overwrite."""
    outs = [outputs_of(args, p) for p in photos]
    every = [o[k] for o in outs for k in ('image', 'json')]
    if len(set(every)) != len(every):
        raise SystemExit('two photos have the same name; their outputs '
                         'would clash. Rename one; nothing was written.')
    inputs = {osp.realpath(p) for p in photos}
    if any(osp.realpath(p) in inputs for p in every):
        raise SystemExit('an output would replace an input; choose another '
                         '--out-dir. Nothing was written.')
    taken = [p for o in outs for p in o.values() if osp.exists(p)]
    if taken and not args.overwrite:
        raise SystemExit(f'{taken[0]} already exists; nothing was written. '
                         'Pass --overwrite or choose another --out-dir.')
    return outs


def read_mask(args, photos):
    import cv2
    from fcsr_mm.data.io import read_image
    if not args.mask:
        return None
    if len(photos) != 1:
        raise SystemExit('--mask is in one photo\'s pixels: give one photo '
                         '(or --box for several)')
    try:
        return read_image(args.mask, cv2.IMREAD_GRAYSCALE)
    except (ValueError, FileNotFoundError) as err:
        raise SystemExit(f'--mask {args.mask}: {err}')


def face_record(face, with_mask=False):
    """A face of the JSON: the detection, its frame side, what was pasted
    and how much of its input was hidden (with ``with_mask``, which pixels:
    32 rows of 0/1)."""
    record = dict(face['detection'].to_json(),
                  frame_side_px=round(face['side'], 2), pasted=face['pasted'],
                  hidden_pixels_32px=face['occluded'])
    if with_mask:
        record['hidden_mask_32px'] = [''.join('1' if v else '0' for v in row)
                                      for row in face['mask']]
    return record


def restore_one(args, model, detector, photo_path, boxes, mask, out,
                segmenter=None):
    """Restore and write one photo; returns a line for the summary."""
    from fcsr_mm.apis import restore_photo
    from fcsr_mm.data.io import read_image, write_new_image
    if is_video(photo_path):
        return restore_video(args, model, detector, photo_path, boxes, mask,
                             out, segmenter)
    photo = read_image(photo_path)
    check_size(args, photo, photo_path)
    result = restore_photo(model, photo, detector, boxes=boxes, mask=mask,
                           max_side=args.max_face_side or None,
                           segmenter=segmenter)
    if not result['faces']:
        if args.keep_empty:
            write_new_image(out['image'], result['image'], args.overwrite)
        return f'{photo_path}: no face found' + (
            ' (plain 4x upscale written)' if args.keep_empty else '')
    write_new_image(out['image'], result['image'], args.overwrite)
    os.makedirs(out['faces'], exist_ok=True)
    for i, face in enumerate(result['faces']):
        write_new_image(osp.join(out['faces'], f'{i}.png'), face['pred_img'],
                        args.overwrite)
        if segmenter is not None:
            write_new_image(osp.join(out['faces'], f'{i}_mask.png'),
                            face['mask'].astype('uint8') * 255,
                            args.overwrite)
    record = [face_record(face, segmenter is not None)
              for face in result['faces']]
    with open(out['json'], 'w') as f:
        json.dump(dict(photo=photo_path, faces=record), f, indent=2)
    return f'{photo_path}: {len(record)} faces'


def check_size(args, image, name):
    h, w = image.shape[:2]
    if max(h, w) > args.max_side:
        raise ValueError(f'{w}x{h} is larger than --max-side {args.max_side} '
                         f'(the 4x result would be {4 * w}x{4 * h}); shrink '
                         'it or raise --max-side')


def restore_video(args, model, detector, path, boxes, mask, out,
                  segmenter=None):
    """Every frame restored into ``out['image']`` (mp4v, no audio) and the
    faces of each frame into ``out['json']``."""
    import cv2
    from mmengine.utils import ProgressBar
    from fcsr_mm.apis import restore_photo
    video = cv2.VideoCapture(path)
    count = int(video.get(cv2.CAP_PROP_FRAME_COUNT))
    ok, frame = video.read()
    if not ok:
        raise ValueError('no frame could be read (not a video OpenCV '
                         'decodes?)')
    check_size(args, frame, path)
    fps = video.get(cv2.CAP_PROP_FPS) or 25
    h, w = frame.shape[:2]
    tmp = out['image'] + '.partial.mp4'
    writer = cv2.VideoWriter(tmp, cv2.VideoWriter_fourcc(*'mp4v'), fps,
                             (4 * w, 4 * h))
    frames, bar = [], ProgressBar(count) if count > 0 else None
    while ok:
        result = restore_photo(model, frame, detector, boxes=boxes, mask=mask,
                               max_side=args.max_face_side or None,
                               segmenter=segmenter)
        writer.write(result['image'])
        frames.append([face_record(f, segmenter is not None)
                       for f in result['faces']])
        if bar:
            bar.update()
        ok, frame = video.read()
    writer.release()
    video.release()
    if osp.exists(out['image']) and not args.overwrite:
        os.remove(tmp)
        raise FileExistsError(out['image'])
    os.replace(tmp, out['image'])
    with open(out['json'], 'w') as f:
        json.dump(dict(video=path, frames=frames), f, indent=2)
    found = sum(bool(f) for f in frames)
    return f'{path}: {len(frames)} frames, faces in {found}'


def main(argv=None):
    args = parse_args(argv)
    from fcsr_mm.apis.face_detectors import build_detector
    from fcsr_mm.apis.restore import expand_faces
    try:
        photos = expand_faces(args.inputs)
    except ValueError as err:
        raise SystemExit(str(err)) from None
    check_out_dir(args.out_dir)
    check_device(args.device)
    boxes = parse_boxes(args.box)
    mask = read_mask(args, photos)
    outs = check_outputs(args, photos)
    check_auto_options(args)
    segmenter = load_segmenter(args)
    model = load_model(args)
    try:
        detector = build_detector(detector_cfg(args))
    except (ImportError, KeyError, TypeError) as err:
        raise SystemExit(f'detector: {err}')
    os.makedirs(args.out_dir, exist_ok=True)
    lines, failed = [], []
    for photo, out in zip(photos, outs):
        try:  # one bad photo does not stop the others
            lines.append(restore_one(args, model, detector, photo, boxes,
                                     mask, out, segmenter))
        except (ValueError, FileExistsError) as err:
            failed.append(f'{photo}: {err}')
    print('\n'.join(lines))
    if failed:
        raise SystemExit(f'{len(failed)} of {len(photos)} photos failed:\n  '
                         + '\n  '.join(failed))
    return lines


if __name__ == '__main__':
    main()
