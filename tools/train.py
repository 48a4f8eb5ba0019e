"""Train a model from a config (mmagic's or mmseg's default scope).

    python tools/train.py configs/fcsr_stage2_celeba.py [--resume] [--amp]
"""
import argparse

import fcsr_mm  # noqa: F401  registers components, applies compat fixes
from fcsr_mm.models.state_loading import CheckpointMismatchError
from fcsr_mm.utils.checkpoint_io import (CheckpointReadError,
                                         resume_checkpoint)
from fcsr_mm.utils.launch import add_common_args, config_from_args, enable_amp


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Train a model')
    parser.add_argument('config', help='train config file path')
    parser.add_argument('--resume', nargs='?', const='auto', default=None,
                        help='resume from the latest checkpoint in the work '
                        'dir, or from the checkpoint given')
    parser.add_argument('--amp', action='store_true',
                        help='automatic mixed precision (CUDA only)')
    add_common_args(parser)
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    cfg = config_from_args(args)
    if args.amp:
        enable_amp(cfg)
    if args.resume == 'auto':  # past a truncated last checkpoint, if any
        try:
            cfg.resume, cfg.load_from = True, resume_checkpoint(cfg.work_dir)
        except CheckpointReadError as err:
            raise SystemExit(str(err))
    elif args.resume:
        cfg.resume, cfg.load_from = True, args.resume
    from mmengine.runner import Runner
    runner = Runner.from_cfg(cfg)
    try:
        runner.train()
    except CheckpointReadError as err:  # --resume / load_from: one line
        raise SystemExit(str(err))
    except CheckpointMismatchError as err:
        source = cfg.load_from or f'the last checkpoint in {cfg.work_dir}'
        raise SystemExit(f'{source}: {err}')
    print(f'Checkpoints and logs: {cfg.work_dir}')


if __name__ == '__main__':
    main()
