"""Test a checkpoint with a config's test set and metrics.

    python tools/test.py configs/fcsr_stage2_celeba.py work_dirs/.../iter_N.pth
"""
import argparse
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))
import fcsr_mm  # noqa: E402,F401  registers components, applies compat fixes
from fcsr_mm.utils.launch import add_common_args, load_config  # noqa: E402


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Test a checkpoint')
    parser.add_argument('config', help='test config file path')
    parser.add_argument('checkpoint', nargs='?', default=None,
                        help='checkpoint file (not needed for the '
                        'training-free FaceBaseline configs)')
    parser.add_argument('--out', help='dump the metrics to this .json file')
    add_common_args(parser)
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    if args.checkpoint and not osp.isfile(args.checkpoint):
        raise SystemExit(f'checkpoint {args.checkpoint!r} not found')
    cfg = load_config(args)
    if args.checkpoint:
        cfg.load_from = args.checkpoint
    elif cfg.model.get('type') != 'FaceBaseline':
        raise SystemExit(f'{args.config} needs a checkpoint to test')
    from mmengine.runner import Runner
    from fcsr_mm.utils.metrics_io import KeepTestMetricsHook
    runner = Runner.from_cfg(cfg)
    keep = KeepTestMetricsHook()
    runner.register_hook(keep, priority='LOWEST')
    # mmagic's MultiTestLoop returns nothing; the hook keeps the metrics
    metrics = runner.test() or keep.metrics
    if args.out:
        from fcsr_mm.utils.metrics_io import dump_metrics
        dump_metrics(metrics, args.out)
        print(f'Metrics written to {args.out}')
    return metrics


if __name__ == '__main__':
    main()
