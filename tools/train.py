"""Train a model from a config (mmagic's or mmseg's default scope).

    python tools/train.py configs/fcsr_gan/fcsr-gan_stage2_1xb16-200k_celeba-128x128.py [--resume]
        [--precision {auto,fp32,bf16} | --amp]

A work dir that holds checkpoints is only trained in again with --resume
(continue) or --overwrite-checkpoints (start over).
"""
import argparse
import os.path as osp
import pickle
import time

import fcsr_mm  # noqa: F401  registers components
from fcsr_mm.datasets.face_dataset import FaceDataError
from fcsr_mm.models.finite_guard import NonFiniteLossError
from fcsr_mm.models.state_loading import CheckpointMismatchError
from fcsr_mm.utils.checkpoint_io import (CheckpointReadError,
                                         load_checkpoint_file,
                                         remove_stale_partials,
                                         resume_checkpoint)
from fcsr_mm.engine.launch import (add_common_args, check_inputs,
                                  apply_precision, config_from_args,
                                  error_line, precision_line,
                                  start_cpu_distributed,
                                  use_atomic_checkpoints)
from fcsr_mm.utils.precision import PRECISIONS
from fcsr_mm.engine.hooks import ResumeCheckHook, ResumeMismatchError
from fcsr_mm.engine.work_dir import (describe_removed, nonfinite_advice,
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
    numeric = parser.add_mutually_exclusive_group()
    numeric.add_argument(
        '--precision', choices=PRECISIONS, default=None,
        help='bf16: bf16 autocast, fp32 weights (CPU or GPU; emulated, '
        'and much slower, on a CPU without native bf16); auto: bf16 where '
        'the processor computes it natively (AMX / AVX512-BF16, a bf16 '
        "GPU), fp32 elsewhere; fp32: full precision. Default: the config's "
        'top-level precision, else fp32')
    numeric.add_argument('--amp', action='store_true',
                         help='the same as --precision bf16')
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
    elif cfg.get('load_from'):  # named in one line, not a torch traceback
        try:
            load_checkpoint_file(cfg.load_from)
        except (CheckpointReadError, pickle.UnpicklingError) as err:
            raise SystemExit(error_line(err))


def build_runner(args, cfg, started: float, precision: str = ''):
    from mmengine.runner import Runner
    if not args.resume and not args.overwrite_checkpoints:
        refusal = used_work_dir(cfg.work_dir)
        if refusal:
            raise SystemExit(refusal)
    removed = remove_stale_partials(cfg.work_dir, started)
    runner = Runner.from_cfg(cfg)
    if precision:  # in the run's log (resolving logged before it existed)
        runner.logger.info(precision)
    if removed:
        runner.logger.info(describe_removed(removed))
    if args.resume:
        runner.register_hook(ResumeCheckHook(cfg.load_from))
    return runner


def main(argv=None):
    started = time.time()
    args = parse_args(argv)
    cfg = config_from_args(args)
    plan = apply_precision(cfg, 'bf16' if args.amp else args.precision)
    check_inputs(cfg, REPO_ROOT, ('train_dataloader', 'val_dataloader'))
    use_atomic_checkpoints(cfg)
    resume_from(args, cfg)
    start_cpu_distributed(cfg)
    try:
        build_runner(args, cfg, started,
                     precision_line(plan, cfg.precision)).train()
    except (CheckpointReadError, ResumeMismatchError,
            pickle.UnpicklingError) as err:  # one line
        raise SystemExit(error_line(err))
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
