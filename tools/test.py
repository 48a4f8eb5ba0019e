"""Test a checkpoint with a config's test set and metrics.

    python tools/test.py configs/fcsr_gan/fcsr-gan_stage2_1xb16-200k_celeba-128x128.py work_dirs/.../iter_N.pth

The work is done by ``fcsr_mm.apis.run_test``, which Python callers use too.
"""
import argparse
import os.path as osp
import pickle

from fcsr_mm.apis import run_test
from fcsr_mm.apis.inference_model import needs_checkpoint
from fcsr_mm.engine.launch import (add_common_args, check_inputs,
                                  config_from_args, error_line,
                                  start_cpu_distributed)
from fcsr_mm.utils.precision import PRECISIONS

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Test a checkpoint')
    parser.add_argument('config', help='test config file path')
    parser.add_argument('checkpoint', nargs='?', default=None,
                        help='checkpoint file (not needed for the '
                        'training-free FaceBaseline configs)')
    parser.add_argument('--out', help='dump the metrics to this .json file')
    parser.add_argument('--per-face-out', help="dump every face's scores to "
                        'this .json file (file names and one list per '
                        'metric, in test order)')
    parser.add_argument('--allow-other-config', action='store_true',
                        help='test a checkpoint whose stored training config '
                        'gives another model (e.g. a stage-1 checkpoint '
                        'under a stage-2 config; refused by default)')
    parser.add_argument('--precision', choices=PRECISIONS,
                        help='bf16 (autocast + channels_last) or fp32; auto: '
                        'bf16 where the processor computes it natively '
                        "(default: the config's precision, else auto)")
    add_common_args(parser)
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    if args.checkpoint and not osp.isfile(args.checkpoint):
        raise SystemExit(f'checkpoint {args.checkpoint!r} not found')
    cfg = config_from_args(args)
    start_cpu_distributed(cfg)
    if args.checkpoint or not needs_checkpoint(cfg):  # else run_test says so
        # the checkpoint given replaces the config's load_from
        check_inputs(cfg, REPO_ROOT, ('test_dataloader', ), ('model', ))
    try:
        metrics = run_test(cfg, args.checkpoint, launcher=args.launcher,
                           out=args.out, per_face_out=args.per_face_out,
                           allow_other_config=args.allow_other_config,
                           precision=args.precision)
    except (FileNotFoundError, ValueError,
            pickle.UnpicklingError) as err:  # also from a worker
        raise SystemExit(error_line(err))
    if args.out:
        print(f'Metrics written to {args.out}')
    return metrics


if __name__ == '__main__':
    main()
