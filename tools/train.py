"""Train a model from a config (mmagic's or mmseg's default scope).

    python tools/train.py configs/fcsr_stage2_celeba.py [--resume] [--amp]

A work dir that holds checkpoints is only trained in again with --resume
(continue) or --overwrite-checkpoints (start over).
"""
import argparse
import os.path as osp
import time

import fcsr_mm  # noqa: F401  registers components, applies compat fixes
from fcsr_mm.datasets.face_dataset import FaceDataError
from fcsr_mm.models.finite_guard import NonFiniteLossError
from fcsr_mm.models.state_loading import CheckpointMismatchError
from fcsr_mm.utils.checkpoint_io import (CheckpointReadError,
                                         remove_stale_partials,
                                         resume_checkpoint)
from fcsr_mm.utils.launch import (add_common_args, check_inputs,
                                  config_from_args, enable_amp, error_line)
from fcsr_mm.utils.resume_check import ResumeCheckHook, ResumeMismatchError
from fcsr_mm.utils.work_dir import (describe_removed, nonfinite_advice,
                                    used_work_dir)

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Train a model')
    parser.add_argument('config', help='train config file path')
    start = parser.add_mutually_exclusive_group()
    start.add_argument('--resume', nargs='?', const='auto', default=None,
                       help='resume from the latest checkpoint in the work '
                       'dir, or from the checkpoint given')
    start.add_argument('--overwrite-checkpoints', action='store_true',
                       help='start over in a work dir that holds '
                       'checkpoints (they are replaced as this run reaches '
                       'their iterations)')
    parser.add_argument('--amp', action='store_true',
                        help='automatic mixed precision (CUDA only)')
    add_common_args(parser)
    return parser.parse_args(argv)


def resume_from(args, cfg) -> None:
    """Set ``cfg.resume`` / ``cfg.load_from`` from ``--resume``."""
    if args.resume == 'auto':  # past a truncated last checkpoint, if any
        try:
            cfg.resume, cfg.load_from = True, resume_checkpoint(cfg.work_dir)
        except CheckpointReadError as err:
            raise SystemExit(str(err))
    elif args.resume:
        cfg.resume, cfg.load_from = True, args.resume


def build_runner(args, cfg, started: float):
    from mmengine.runner import Runner
    if not args.resume and not args.overwrite_checkpoints:
        refusal = used_work_dir(cfg.work_dir)
        if refusal:
            raise SystemExit(refusal)
    removed = remove_stale_partials(cfg.work_dir, started)
    runner = Runner.from_cfg(cfg)
    if removed:
        runner.logger.info(describe_removed(removed))
    if args.resume:
        runner.register_hook(ResumeCheckHook(cfg.load_from))
    return runner


def main(argv=None):
    started = time.time()
    args = parse_args(argv)
    cfg = config_from_args(args)
    if args.amp:
        enable_amp(cfg)
    check_inputs(cfg, REPO_ROOT, ('train_dataloader', 'val_dataloader'))
    resume_from(args, cfg)
    try:
        build_runner(args, cfg, started).train()
    except (CheckpointReadError, ResumeMismatchError) as err:  # one line
        raise SystemExit(str(err))
    except CheckpointMismatchError as err:
        source = cfg.load_from or f'the last checkpoint in {cfg.work_dir}'
        raise SystemExit(f'{source}: {err}')
    except NonFiniteLossError as err:
        raise SystemExit(f'{err.what}; ' + nonfinite_advice(
            cfg, args.config, err.iteration, err.part,
            work_dir_given=bool(args.work_dir),
            other_options=bool(args.cfg_options)))
    except (FaceDataError, FileNotFoundError) as err:  # e.g. in a worker
        raise SystemExit(error_line(err))
    print(f'Checkpoints and logs: {cfg.work_dir}')


if __name__ == '__main__':
    main()
