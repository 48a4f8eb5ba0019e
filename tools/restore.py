"""Restore faces: aligned 32x32 faces with a hidden part -> 128x128 faces.

    python tools/restore.py configs/fcsr_gan/fcsr-gan_stage2_1xb16-200k_celeba-128x128.py CKPT face.png \\
        --occlusion O3 --out-dir restored/
    python tools/restore.py CONFIG CKPT faces/ --box 8,4,12,24 --out-dir out/
    python tools/restore.py CONFIG CKPT faces/ --masks masks/ --out-dir out/
    python tools/restore.py CONFIG CKPT faces/ --occlusion auto --out-dir out/

Inputs are aligned faces (the layout of tools/dataset_converters): 32x32,
or 128x128 which are downscaled first. The hidden part is covered with
Gaussian noise before the model sees it, as the paper does for real
occlusions. Writes ``<out-dir>/<name>.png`` (128x128) and, with
``--save-strip``, ``<name>_strip.png`` (input, completed 32x32 and result,
upscaled to 128, next to each other; with ``--occlusion auto`` the mask
the occlusion segmenter found after the input).
"""
import argparse
import os.path as osp
import re
import sys



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
    hole.add_argument('--occlusion',
                      choices=[f'O{i}' for i in range(1, 7)] + ['auto'],
                      help='a fixed face-template occlusion, or auto: what '
                      'the occlusion segmenter finds (nothing found: '
                      'super-resolution only)')
    hole.add_argument('--box', help='top,left,height,width at 32 px')
    hole.add_argument('--masks', help='folder of 32x32 masks named like the '
                      'inputs (nonzero = hidden)')
    add_auto_arguments(p)
    p.add_argument('--fill', choices=['gaussian', 'uniform', 'zeros'],
                   help='what covers the hidden part (default: the '
                   "config's test pipeline's)")
    p.add_argument('--seed', type=int,
                   help="seed of the fill (default: the config's test seed)")
    p.add_argument('--device', default='cpu')
    p.add_argument('--precision', choices=['auto', 'fp32', 'bf16'],
                   help='bf16 (autocast + channels_last) or fp32; auto: bf16 '
                   'where the processor computes it natively (default: the '
                   "config's precision, else auto; an .onnx model runs "
                   'fp32)')
    p.add_argument('--save-strip', action='store_true',
                   help='also write input | completed | result strips')
    p.add_argument('--overwrite', action='store_true',
                   help='replace results that already exist (never an '
                   'input)')
    p.add_argument('--allow-other-config', action='store_true',
                   help='use a checkpoint whose stored training config gives '
                   'another model (e.g. stage 1 under a stage-2 config)')
    return p.parse_args(glue_negative_box(sys.argv[1:] if argv is None
                                          else argv))


def glue_negative_box(argv):
    """``--box -5,0,10,10`` -> ``--box=-5,0,10,10``: argparse would read a
    value starting with '-' as an option and say only 'expected one
    argument'."""
    argv = list(argv)
    for i, arg in enumerate(argv[:-1]):
        if arg == '--box' and re.fullmatch(r'-[\d,\s-]*', argv[i + 1]):
            argv[i:i + 2] = [f'--box={argv[i + 1]}']
            break
    return argv


def list_inputs(paths):
    from fcsr_mm.apis.restore import expand_faces
    try:
        return expand_faces(paths)
    except ValueError as err:
        raise SystemExit(str(err)) from None


def check_out_dir(out_dir):
    if osp.exists(out_dir) and not osp.isdir(out_dir):
        raise SystemExit(f'--out-dir {out_dir!r} is a file; give a folder '
                         '(it is created if missing)')


def check_device(device):
    """A device this machine has, or one line saying why not."""
    import torch
    try:
        dev = torch.device(device)
    except RuntimeError:
        raise SystemExit(f'--device {device!r}: not a device name; use cpu '
                         'or cuda[:N]')
    if dev.type == 'cuda' and not torch.cuda.is_available():
        raise SystemExit(f'--device {device}: torch {torch.__version__} sees '
                         'no CUDA GPU on this machine; use --device cpu')
    if dev.type == 'cuda' and (dev.index or 0) >= torch.cuda.device_count():
        raise SystemExit(f'--device {device}: this machine has '
                         f'{torch.cuda.device_count()} CUDA GPU(s); use '
                         f'cuda:0 .. cuda:{torch.cuda.device_count() - 1}')
    if dev.type not in ('cpu', 'cuda'):
        raise SystemExit(f'--device {device}: only cpu and cuda[:N] are '
                         'supported')


def parse_box(text):
    """``--box`` as a (top, left, h, w) box that fits the 32x32 face."""
    from fcsr_mm.apis import occlusion_mask
    try:
        box = tuple(int(v) for v in text.split(','))
    except ValueError:
        box = ()
    if len(box) != 4:
        raise SystemExit(f'--box {text!r}: expected four integers '
                         'top,left,height,width (e.g. 8,4,12,24)')
    try:
        occlusion_mask(box)
    except ValueError as err:
        raise SystemExit(f'--box {text}: {err} (top, left >= 0, height, '
                         'width >= 1, top + height and left + width <= 32)')
    return box


def occlusions_for(args, files):
    """One occlusion per input, and the mask files they were read from."""
    import cv2
    from fcsr_mm.apis.restore import IMAGE_EXTS
    from fcsr_mm.data.io import read_image
    if args.occlusion:
        return [args.occlusion] * len(files), []
    if args.box:
        return [parse_box(args.box)] * len(files), []
    masks, paths = [], []
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
        paths.append(found[0])
    return masks, paths


def strip(result, show_mask=False):
    """input | (the mask found, white = hidden) | completed 32x32 | result,
    each 128 px high."""
    import cv2
    import numpy as np
    panels = [result['input']]
    if show_mask:
        panels.append(np.repeat(result['mask'][..., None], 3, 2).astype(
            np.uint8) * 255)
    panels += [result['pred_lr']] if 'pred_lr' in result else []
    big = [cv2.resize(p, (128, 128), interpolation=cv2.INTER_NEAREST)
           for p in panels]
    return np.concatenate(big + [result['pred_img']], axis=1)


def add_auto_arguments(p):
    """--segmenter and --margin: how --occlusion auto finds the occluder
    (this tool and restore_photo.py)."""
    p.add_argument('--segmenter', nargs=2, metavar=('CONFIG', 'CHECKPOINT'),
                   help='occlusion segmenter for --occlusion auto (default: '
                   'the shipped 32 px one)')
    p.add_argument('--margin', type=int, default=1,
                   help='pixels (at 32 px) the found mask grows by')


def check_auto_options(args):
    """--segmenter and --margin serve --occlusion auto only."""
    if args.occlusion != 'auto' and (args.segmenter or args.margin != 1):
        raise SystemExit('--segmenter and --margin choose how --occlusion '
                         'auto finds the occluder; add --occlusion auto')


def load_segmenter(args):
    """The occlusion segmenter of --occlusion auto (None otherwise)."""
    if args.occlusion != 'auto':
        return None
    from fcsr_mm.apis import init_occlusion_segmenter
    config, checkpoint = args.segmenter or (None, None)
    try:
        return init_occlusion_segmenter(config, checkpoint, args.margin,
                                        args.device)
    except (ValueError, FileNotFoundError, RuntimeError) as err:
        raise SystemExit(f'--occlusion auto: {err}')


def output_paths(args, files, sources):
    """Per input: the result path and, with --save-strip, the strip path;
    refused (nothing written) when two outputs would be the same file, when
    one would replace an input or a mask (``sources``; even with
    --overwrite) or, without --overwrite, when one exists."""
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
    inputs = {osp.realpath(p) for p in sources}
    replaced = [p for p in every if osp.realpath(p) in inputs]
    if replaced:
        raise SystemExit(f'{len(replaced)} outputs would replace inputs '
                         f'(e.g. {replaced[0]}); nothing was written. Choose '
                         'an --out-dir that is not an input folder.')
    taken = [p for p in every if osp.exists(p)]
    if taken and not args.overwrite:
        raise SystemExit(f'{len(taken)} outputs already exist (e.g. '
                         f'{taken[0]}); nothing was written. Pass --overwrite '
                         'or choose another --out-dir.')
    return outs


def load_model(args):
    """The restorer of ``args.config``; bad configs and checkpoints end the
    tool with one line."""
    from mmengine.config import Config
    from fcsr_mm.apis import init_restorer
    from fcsr_mm.apis.inference_model import check_restorer_config
    from fcsr_mm.apis.inference_model import needs_checkpoint
    if not osp.isfile(args.config):
        raise SystemExit(f'config {args.config!r} not found')
    cfg = Config.fromfile(args.config)
    checkpoint = None if args.checkpoint == 'none' else args.checkpoint
    try:
        check_restorer_config(cfg, faces=True)
        if checkpoint is None and needs_checkpoint(cfg):
            raise ValueError(f'{args.config}: its model needs a trained '
                             'checkpoint ("none" serves only FaceBaseline and '
                             'SequentialRestorer configs)')
        return init_restorer(cfg, checkpoint, args.device,
                             allow_other_config=args.allow_other_config,
                             precision=args.precision)
    except (ValueError, FileNotFoundError) as err:
        raise SystemExit(str(err))


def restore_all(args, model, files, occlusions, outs, segmenter=None):
    """Restore and write each face; returns the failures (one line each).
    Each file is created only if its name is still free (or replaced with
    --overwrite), so a concurrent run's results are never replaced."""
    from fcsr_mm.apis import restore_faces
    from fcsr_mm.data.io import write_new_image
    failed = []
    for f, occ, paths in zip(files, occlusions, outs):
        try:  # one unreadable face does not stop the others
            result = restore_faces(model, [f], [occ], fill=args.fill,
                                   seed=args.seed, segmenter=segmenter)[0]
            write_new_image(paths[0], result['pred_img'], args.overwrite)
            if args.save_strip:
                write_new_image(paths[1], strip(result, segmenter is not None),
                                args.overwrite)
        except ValueError as err:
            failed.append(str(err))
        except FileExistsError as err:
            failed.append(f'{err.filename}: appeared while this run was '
                          'restoring (another run?); not replaced')
    return failed


def main(argv=None):
    args = parse_args(argv)
    files = list_inputs(args.inputs)
    check_out_dir(args.out_dir)
    check_device(args.device)
    occlusions, mask_files = occlusions_for(args, files)
    outs = output_paths(args, files, files + mask_files)
    check_auto_options(args)
    segmenter = load_segmenter(args)
    model = load_model(args)
    failed = restore_all(args, model, files, occlusions, outs, segmenter)
    print(f'{len(files) - len(failed)} faces restored into {args.out_dir}')
    if failed:
        raise SystemExit(f'{len(failed)} of {len(files)} faces failed:\n  '
                         + '\n  '.join(failed))
    return [paths[0] for paths in outs]


if __name__ == '__main__':
    main()
