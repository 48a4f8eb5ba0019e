"""Config adjustments shared by ``tools/train.py`` and ``tools/test.py``."""
import argparse
import os
import os.path as osp

import torch
from mmengine.config import Config, DictAction

DDP_WRAPPERS = ('MMDistributedDataParallel',
                'MMSeparateDistributedDataParallel')


def add_common_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument('--work-dir', help='the dir to save logs and models')
    parser.add_argument(
        '--cfg-options', nargs='+', action=DictAction,
        help='override config settings, key=value (e.g. '
        'train_cfg.max_iters=100 "model.generator.fc_size=512")')
    parser.add_argument('--launcher',
                        choices=['none', 'pytorch', 'slurm', 'mpi'],
                        default='none', help='job launcher')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)


def load_config(args: argparse.Namespace) -> Config:
    """Read the config, apply ``--cfg-options``, ``--work-dir`` and the
    launcher, and make distributed runs work without CUDA."""
    if not osp.isfile(args.config):
        raise SystemExit(f'config file {args.config!r} not found')
    if 'LOCAL_RANK' not in os.environ:
        os.environ['LOCAL_RANK'] = str(args.local_rank)
    cfg = Config.fromfile(args.config)
    cfg.launcher = args.launcher
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    if args.work_dir:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir') is None:
        cfg.work_dir = osp.join('./work_dirs',
                                osp.splitext(osp.basename(args.config))[0])
    if args.launcher != 'none' and not torch.cuda.is_available():
        use_cpu_distributed(cfg)
    return cfg


def use_cpu_distributed(cfg: Config) -> None:
    """gloo backend and ``device_ids=None`` for DDP without CUDA."""
    env_cfg = cfg.setdefault('env_cfg', {})
    env_cfg.setdefault('dist_cfg', {})['backend'] = 'gloo'
    wrapper = dict(cfg.get('model_wrapper_cfg') or {})
    wrapper.setdefault('type', 'MMDistributedDataParallel')
    if wrapper['type'] in DDP_WRAPPERS:
        wrapper['device_ids'] = None
        wrapper.setdefault('broadcast_buffers', False)
    cfg.model_wrapper_cfg = wrapper


def enable_amp(cfg: Config) -> None:
    """Switch every ``OptimWrapper`` of the config to ``AmpOptimWrapper``."""
    if not torch.cuda.is_available():
        raise SystemExit('--amp needs a CUDA GPU (mmengine\'s AmpOptimWrapper '
                         'does not run on CPU); drop --amp on this machine')
    optim = cfg.optim_wrapper
    wrappers = [optim] if 'type' in optim else [
        v for v in optim.values() if isinstance(v, dict) and 'type' in v
    ]
    for w in wrappers:
        if w['type'] not in ('OptimWrapper', 'AmpOptimWrapper'):
            raise SystemExit(f'--amp supports OptimWrapper only, got '
                             f'{w["type"]}')
        w['type'] = 'AmpOptimWrapper'
        w.setdefault('loss_scale', 'dynamic')
