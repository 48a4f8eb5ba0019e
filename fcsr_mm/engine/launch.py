"""Config adjustments and checks shared by ``tools/train.py`` and
``tools/test.py``."""
import argparse
import atexit
import copy
import datetime
import os
import os.path as osp
import re
from typing import Iterator, List, Optional, Sequence, Tuple, Union

import torch
from mmengine.config import Config, DictAction

from fcsr_mm.datasets.face_dataset import missing_data
from fcsr_mm.utils.checkpoint_io import ATOMIC_BACKEND
from fcsr_mm.utils.precision import (Precision, PrecisionError,
                                     resolve_precision)

DDP_WRAPPERS = ('MMDistributedDataParallel',
                'MMSeparateDistributedDataParallel')
# config keys whose string values are files or folders (data, parsers,
# checkpoints, the steps of a SequentialRestorer, optional VGG weights)
PATH_KEYS = ('data_root', 'load_from', 'parser_config', 'parser_checkpoint',
             'config', 'checkpoint', 'pretrained', 'pretrained_vgg')


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


def start_cpu_distributed(cfg: Config) -> None:
    """Start the gloo process group of a torchrun (``--launcher pytorch``)
    run without CUDA.

    mmengine's ``init_dist`` calls ``torch.cuda.set_device`` whatever the
    backend; with the group already up, the Runner skips it. At exit the
    group is torn down after a barrier (gloo workers may abort otherwise).
    The Slurm and MPI launchers are left to mmengine (they need CUDA).
    """
    import torch.distributed as dist
    if cfg.launcher != 'pytorch' or torch.cuda.is_available() \
            or dist.is_initialized():
        return
    dist_cfg = dict(cfg.get('env_cfg', {}).get('dist_cfg', {}))
    for key in ('backend', 'init_backend', 'port'):  # mmengine's own keys
        dist_cfg.pop(key, None)
    if isinstance(dist_cfg.get('timeout'), (int, float)):  # as init_dist
        dist_cfg['timeout'] = datetime.timedelta(seconds=dist_cfg['timeout'])
    dist.init_process_group('gloo', **dist_cfg)
    atexit.register(_shutdown_process_group)


def _shutdown_process_group() -> None:
    import torch.distributed as dist
    if not (dist.is_available() and dist.is_initialized()):
        return
    try:
        dist.monitored_barrier(timeout=datetime.timedelta(seconds=120))
    finally:
        dist.destroy_process_group()


def use_atomic_checkpoints(cfg: Config) -> None:
    """The ``CheckpointHook`` writes through ``AtomicLocalBackend`` unless
    the config names its own backend (our runtime bases name it; this
    covers the peers' configs, which inherit mmagic's runtimes)."""
    hook = (cfg.get('default_hooks') or {}).get('checkpoint')
    if hook is None or hook.get('backend_args') \
            or hook.get('file_client_args') \
            or '://' in str(hook.get('out_dir') or ''):  # not a local folder
        return
    hook['backend_args'] = dict(backend=ATOMIC_BACKEND)


#: the wrapper types ``apply_precision`` switches to bf16 autocast
AUTOCAST_CONVERTIBLE = ('OptimWrapper', 'AutocastOptimWrapper')


def train_device() -> str:
    """Where ``tools/train.py`` computes: the GPU when there is one."""
    return 'cuda' if torch.cuda.is_available() else 'cpu'


def optim_wrapper_cfgs(optim_wrapper: dict) -> List[dict]:
    """The wrapper dicts of ``cfg.optim_wrapper``: the one wrapper, or each
    of a ``MultiOptimWrapperConstructor``'s (``generator``,
    ``discriminators``, ...). Both constructors default a missing ``type``
    to ``OptimWrapper``, so a wrapper is a dict with an ``optimizer``."""
    if 'optimizer' in optim_wrapper:
        return [optim_wrapper]
    return [w for w in optim_wrapper.values()
            if isinstance(w, dict) and 'optimizer' in w]


def apply_precision(cfg: Config, precision: Optional[str] = None
                    ) -> Precision:
    """Train in ``precision`` (default: the config's top-level
    ``precision``, and 'fp32' without one): resolve it on this machine
    (``fcsr_mm.utils.precision``) and, where it resolves to bf16, switch
    every optimiser wrapper to ``AutocastOptimWrapper`` (with the
    precision asked for), whose ``optim_context`` runs the
    forward passes and losses in bf16 autocast (weights stay fp32; bf16
    needs no loss scaler, on CPU or GPU). fp32 leaves the config alone.

    Training keeps the contiguous memory format: the measured training
    speed-up (issue 18: 2-2.9x on AMX) is bf16 autocast alone.

    Args:
        cfg (Config): The run's config, changed in place (its
            ``precision`` becomes the one asked for).
        precision (str, optional): 'auto', 'fp32' or 'bf16'; None: the
            config's.

    Returns:
        Precision: the resolved precision (``precision_line`` words it).
    """
    requested = precision or cfg.get('precision') or 'fp32'
    try:
        plan = resolve_precision(requested, train_device())
    except PrecisionError as err:
        raise SystemExit(f'{err} (--precision or the config\'s top-level '
                         '"precision")')
    cfg.precision = requested
    if plan.name != 'bf16':
        return plan
    wrappers = optim_wrapper_cfgs(cfg.get('optim_wrapper') or {})
    if not wrappers:
        raise SystemExit(f'precision {requested!r} ({plan.name}): the '
                         'config has no optim_wrapper with an optimizer to '
                         'switch to AutocastOptimWrapper')
    for w in wrappers:
        kind = w.get('type', 'OptimWrapper')
        if kind not in AUTOCAST_CONVERTIBLE:
            raise SystemExit(
                f'precision {requested!r} trains in bf16 through '
                f'AutocastOptimWrapper, which replaces OptimWrapper only; '
                f'this config\'s optim_wrapper has type {kind!r}: use '
                "OptimWrapper there, or --precision fp32")
        # the wrapper resolves what was asked for on its model's device:
        # the same answer, logged once, and a dumped config re-run on a
        # CPU without bf16 ('auto') stays fp32 there
        w['type'], w['precision'] = 'AutocastOptimWrapper', requested
    return plan


def precision_line(plan: Precision, requested: str) -> str:
    """The training precision in words, for the run's log."""
    how = ('bf16 autocast (fp32 weights), contiguous memory format'
           if plan.name == 'bf16' else 'fp32')
    return (f'training precision {requested!r} on {plan.device_type}: '
            f'{how} ({plan.reason})')


def config_paths(cfg, prefix: str = '') -> Iterator[Tuple[str, str]]:
    """``(dotted key, path)`` of the relative paths under ``PATH_KEYS``
    (URLs and ``scope::`` names left out)."""
    items = cfg.items() if isinstance(cfg, dict) else enumerate(cfg)
    for key, value in items:
        name = f'{prefix}{key}'
        if isinstance(value, (dict, list, tuple)):
            yield from config_paths(value, name + '.')
        elif key in PATH_KEYS and isinstance(value, str) and value and \
                not osp.isabs(value) and '://' not in value and \
                '::' not in value:
            yield name, value


def check_inputs(cfg: Config, repo_root: str, dataloaders: Sequence[str],
                 sections: Sequence[str] = ('model', 'load_from')) -> None:
    """End the tool with one line, before anything is built, when a path
    the run reads (under ``sections`` and ``dataloaders``) is not found from
    here, or the face lists of ``dataloaders`` are not converted yet."""
    # Paths resolve from the current directory, as in OpenMMLab's tools:
    # resolving them from the repository would change what a relative path
    # given on the command line means.
    cwd = os.getcwd()
    if osp.realpath(cwd) != osp.realpath(repo_root):
        # only what this run reads: other loaders (an mmagic base's
        # set5_dataloader) and variables (data_root) are not opened
        used = {k: cfg[k] for k in (*sections, *dataloaders)
                if cfg.get(k) is not None}
        for key, path in config_paths(used):
            if not osp.exists(path):
                raise SystemExit(
                    f'{key}={path!r} not found from the current directory '
                    f'{cwd}: the configs hold paths relative to the '
                    f'repository root; run from {repo_root} (cd {repo_root}) '
                    f'or give it as an absolute path (--cfg-options '
                    f'{key}=/abs/path)')
    for loader in dataloaders:
        dataset = (cfg.get(loader) or {}).get('dataset') or {}
        if dataset.get('type') != 'FaceImageDataset':
            continue
        root, ann = dataset.get('data_root'), dataset.get('ann_file', '')
        if ann and root and not osp.isabs(ann):
            ann = osp.join(root, ann)
        missing = missing_data(root, ann)
        if missing:
            raise SystemExit(missing)


def error_line(err: BaseException) -> str:
    """The message of ``err`` as one line: a DataLoader worker re-raises
    the original error with its whole traceback as the message."""
    text = str(err).strip()
    if 'Original Traceback' in text:  # the original error is the last line
        return re.sub(r'^[\w.]+: ', '', text.splitlines()[-1], count=1)
    return text
