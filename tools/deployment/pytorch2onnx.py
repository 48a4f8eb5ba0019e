"""Export a trained FCSR-GAN generator to ONNX and check it with onnxruntime.

    python tools/deployment/pytorch2onnx.py configs/fcsr_gan/fcsr-gan_stage2_1xb16-200k_celeba-128x128.py \\
        work_dirs/fcsr-gan_stage2_1xb16-200k_celeba-128x128/iter_200000.pth --out fcsr.onnx

Inputs ``img`` (N, 3, 32, 32, the config's value range) and ``mask``
(N, 1, 32, 32, 1 = hole); outputs ``pred_lr`` and ``pred_img``. The batch
size is dynamic. The ``.onnx`` file then stands in for the checkpoint in
``tools/restore.py`` and ``fcsr_mm.apis.init_restorer`` (same config).
"""
import argparse
import math
import os
import os.path as osp


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('config')
    p.add_argument('checkpoint')
    p.add_argument('--out', required=True, help='.onnx file to write')
    p.add_argument('--opset', type=int, default=17)
    p.add_argument('--overwrite', action='store_true')
    p.add_argument('--allow-other-config', action='store_true',
                   help='export a checkpoint whose stored training config '
                   'gives another model (refused by default)')
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    if not args.out.endswith('.onnx'):
        raise SystemExit(f'--out {args.out!r}: give a .onnx file name')
    if osp.exists(args.out) and not args.overwrite:
        raise SystemExit(f'{args.out} already exists; nothing was written. '
                         'Pass --overwrite or choose another --out.')
    for path in (args.config, args.checkpoint):
        if not osp.isfile(path):
            raise SystemExit(f'{path!r} not found')
    from fcsr_mm.apis import export_onnx
    partial = args.out + '.partial'  # moved into place once checked
    try:
        try:
            diff = export_onnx(args.config, args.checkpoint, partial,
                               args.opset,
                               allow_other_config=args.allow_other_config)
        except ValueError as err:  # a config or checkpoint it cannot export
            raise SystemExit(str(err))
        if not math.isfinite(diff) or diff > 0.5:
            raise SystemExit(f'the ONNX outputs differ from PyTorch by {diff:.2f} '
                             'grey levels; nothing was written')
        os.replace(partial, args.out)
    finally:
        if osp.exists(partial):
            os.remove(partial)
    print(f'wrote {args.out}; onnxruntime vs PyTorch: largest difference '
          f'{diff:.2e} (0..255 scale)')
    return diff


if __name__ == '__main__':
    main()
