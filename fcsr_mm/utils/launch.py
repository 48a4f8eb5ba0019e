"""Config adjustments shared by ``tools/train.py`` and ``tools/test.py``."""
import argparse
import copy
import os
import os.path as osp
from typing import Optional, Union

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


def load_config(config: Union[str, Config],
                cfg_options: Optional[dict] = None,
                work_dir: Optional[str] = None, launcher: str = 'none',
                local_rank: int = 0) -> Config:
    """Read the config, apply ``cfg_options``, ``work_dir`` and the
    launcher, and make distributed runs work without CUDA."""
    if isinstance(config, str):
        if not osp.isfile(config):
            raise FileNotFoundError(f'config file {config!r} not found')
        cfg = Config.fromfile(config)
    else:
        cfg = copy.deepcopy(config)
    if 'LOCAL_RANK' not in os.environ:
        os.environ['LOCAL_RANK'] = str(local_rank)
    cfg.launcher = launcher
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    if work_dir:
        cfg.work_dir = work_dir
    elif cfg.get('work_dir') is None:
        name = osp.splitext(osp.basename(cfg.filename or 'config'))[0]
        cfg.work_dir = osp.join('./work_dirs', name)
    if launcher != 'none' and not torch.cuda.is_available():
        use_cpu_distributed(cfg)
    return cfg


def config_from_args(args: argparse.Namespace) -> Config:
    """``load_config`` with the arguments of ``add_common_args``; a missing
    config file ends the tool with its name."""
    try:
        return load_config(args.config, args.cfg_options, args.work_dir,
                           args.launcher, args.local_rank)
    except FileNotFoundError as err:
        raise SystemExit(str(err))


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
