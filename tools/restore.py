"""Restore faces: aligned 32x32 faces with a hidden part -> 128x128 faces.

    python tools/restore.py configs/fcsr_stage2_celeba.py CKPT face.png \\
        --occlusion O3 --out-dir restored/
    python tools/restore.py CONFIG CKPT faces/ --box 8,4,12,24 --out-dir out/
    python tools/restore.py CONFIG CKPT faces/ --masks masks/ --out-dir out/

Inputs are aligned faces (the layout of tools/dataset_converters): 32x32,
or 128x128 which are downscaled first. The hidden part is covered with
Gaussian noise before the model sees it, as the paper does for real
occlusions. Writes ``<out-dir>/<name>.png`` (128x128) and, with
``--save-strip``, ``<name>_strip.png`` (input, completed 32x32 and result,
upscaled to 128, next to each other).
"""
import argparse
import os
import os.path as osp


IMAGE_EXTS = ('.png', '.jpg', '.jpeg', '.bmp')


def parse_args(argv=None):
    p = argparse.ArgumentParser(description='Complete and 4x super-resolve '
                                'occluded faces')
    p.add_argument('config', help='model config (e.g. a stage-2 config)')
    p.add_argument('checkpoint', help='trained checkpoint, its .onnx '
                   'export (tools/deployment/pytorch2onnx.py), or "none" for '
                   'a model whose config names its weights (FaceBaseline, '
                   'SequentialRestorer)')
    p.add_argument('inputs', nargs='+', help='face images or folders')
    p.add_argument('--out-dir', required=True, help='where results go')
    hole = p.add_mutually_exclusive_group(required=True)
    hole.add_argument('--occlusion', choices=[f'O{i}' for i in range(1, 7)],
                      help='a fixed face-template occlusion')
    hole.add_argument('--box', help='top,left,height,width at 32 px')
    hole.add_argument('--masks', help='folder of 32x32 masks named like the '
                      'inputs (nonzero = hidden)')
    p.add_argument('--fill', choices=['gaussian', 'uniform', 'zeros'],
                   help='what covers the hidden part (default: the '
                   "config's test pipeline's)")
    p.add_argument('--seed', type=int,
                   help="seed of the fill (default: the config's test seed)")
    p.add_argument('--device', default='cpu')
    p.add_argument('--save-strip', action='store_true',
                   help='also write input | completed | result strips')
    p.add_argument('--overwrite', action='store_true',
                   help='replace results that already exist')
    return p.parse_args(argv)


def list_inputs(paths):
    files = []
    for path in paths:
        if osp.isdir(path):
            files += sorted(
                osp.join(path, f) for f in os.listdir(path)
                if f.lower().endswith(IMAGE_EXTS))
        elif osp.isfile(path):
            files.append(path)
        else:
            raise SystemExit(f'input {path!r} not found')
    if not files:
        raise SystemExit(f'no images ({", ".join(IMAGE_EXTS)}) in {paths}')
    return files


def occlusions_for(args, files):
    import cv2
    from fcsr_mm.data.io import read_image
    if args.occlusion:
        return args.occlusion
    if args.box:
        try:
            box = tuple(int(v) for v in args.box.split(','))
            assert len(box) == 4
        except (ValueError, AssertionError):
            raise SystemExit(f'--box {args.box!r}: expected four integers '
                             'top,left,height,width (e.g. 8,4,12,24)')
        return box
    masks = []
    for f in files:
        stem = osp.splitext(osp.basename(f))[0]
        found = [osp.join(args.masks, stem + e) for e in IMAGE_EXTS
                 if osp.isfile(osp.join(args.masks, stem + e))]
        if not found:
            raise SystemExit(f'no mask for {f} in {args.masks!r} (expected '
                             f'{stem}.png, 32x32, nonzero = hidden)')
        mask = read_image(found[0], cv2.IMREAD_GRAYSCALE)
        if mask.shape != (32, 32) or not mask.any():
            raise SystemExit(f'mask {found[0]}: {mask.shape[1]}x'
                             f'{mask.shape[0]}, {int((mask > 0).sum())} '
                             'hidden pixels; it must be 32x32 with nonzero '
                             'pixels where the face is hidden')
        masks.append(mask)
    return masks


def strip(result):
    import cv2
    import numpy as np
    big = [cv2.resize(result[k], (128, 128), interpolation=cv2.INTER_NEAREST)
           for k in ('input', 'pred_lr') if k in result]
    return np.concatenate(big + [result['pred_img']], axis=1)


def output_paths(args, files):
    """Per input: the result path and, with --save-strip, the strip path;
    refused (nothing written) when two outputs would be the same file or,
    without --overwrite, when one exists."""
    outs = []
    for f in files:
        stem = osp.join(args.out_dir, osp.splitext(osp.basename(f))[0])
        outs.append([stem + '.png'] + ([stem + '_strip.png']
                                       if args.save_strip else []))
    every = [p for group in outs for p in group]
    clash = sorted({p for p in every if every.count(p) > 1})
    if clash:
        raise SystemExit(f'two outputs would both be {clash[0]} (inputs '
                         'with the same name, or an input named like '
                         "another's _strip.png); nothing was written. "
                         'Rename the input.')
    taken = [p for p in every if osp.exists(p)]
    if taken and not args.overwrite:
        raise SystemExit(f'{len(taken)} outputs already exist (e.g. '
                         f'{taken[0]}); nothing was written. Pass --overwrite '
                         'or choose another --out-dir.')
    return outs


def main(argv=None):
    args = parse_args(argv)
    files = list_inputs(args.inputs)
    outs = output_paths(args, files)
    from mmengine.config import Config
    from fcsr_mm.apis import init_restorer, restore_faces
    from fcsr_mm.apis.testing import needs_checkpoint
    from fcsr_mm.data.io import write_image
    occlusion = occlusions_for(args, files)
    occlusions = occlusion if isinstance(occlusion, list) else \
        [occlusion] * len(files)
    checkpoint = None if args.checkpoint == 'none' else args.checkpoint
    if checkpoint is None and needs_checkpoint(Config.fromfile(args.config)):
        raise SystemExit(f'{args.config}: its model needs a trained '
                         'checkpoint ("none" serves only FaceBaseline and '
                         'SequentialRestorer configs)')
    try:
        model = init_restorer(args.config, checkpoint, args.device)
    except (ValueError, FileNotFoundError) as err:
        raise SystemExit(str(err))
    failed = []
    for f, occ, paths in zip(files, occlusions, outs):
        try:  # one unreadable face does not stop the others
            result = restore_faces(model, [f], [occ], fill=args.fill,
                                   seed=args.seed)[0]
        except ValueError as err:
            failed.append(str(err))
            continue
        write_image(paths[0], result['pred_img'])
        if args.save_strip:
            write_image(paths[1], strip(result))
    print(f'{len(files) - len(failed)} faces restored into {args.out_dir}')
    if failed:
        raise SystemExit(f'{len(failed)} of {len(files)} faces failed:\n  '
                         + '\n  '.join(failed))
    return [paths[0] for paths in outs]


if __name__ == '__main__':
    main()
