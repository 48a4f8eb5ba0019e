"""Training iterations per second of FCSR-GAN phases in fp32 and bf16
(``benchmark_speed.py --table precision``): a real ``train_step`` of the
config's model and optimiser wrappers on random faces of the right shapes.

Speed does not depend on the weights, so the networks keep random ones:
the configs' initial weights, a random-weight checkpoint written for each
frozen parser, VGG-19 without its pretrained file.
"""
import copy
import os.path as osp
import tempfile
from typing import List, Optional, Sequence, Tuple

import torch
from mmengine.config import Config
from mmengine.logging import MessageHub, MMLogger
from mmengine.optim import build_optim_wrapper
from mmengine.registry import DefaultScope
from mmagic.registry import MODELS
from mmagic.structures import DataSample
from mmseg.registry import MODELS as SEG_MODELS

from fcsr_mm.engine.launch import apply_precision, optim_wrapper_cfgs
from .timing import median_seconds

#: phase names that pick by position in the schedule
FIRST, LAST = 'first', 'last'
#: config keys of pretrained weight files (random weights instead)
PRETRAINED_KEYS = ('pretrained', 'pretrained_vgg')


def parse_phase_spec(spec: str) -> Tuple[str, str]:
    """``'CONFIG:PHASE'`` -> (config, phase); PHASE is a phase name, 'first'
    or 'last'."""
    config, sep, phase = spec.rpartition(':')
    if not sep or not config or not phase:
        raise ValueError(f'phase {spec!r}: give CONFIG:PHASE, e.g. '
                         'configs/fcsr_gan/fcsr-gan_stage2_1xb16-200k_celeba-128x128.py'
                         ':last (PHASE: a phase '
                         "name, 'first' or 'last')")
    return config, phase


def check_phase_specs(specs: Sequence[str]) -> None:
    """Refuse (``ValueError``) specs whose config is missing or has no such
    phase, from the configs alone (before anything is built or timed)."""
    for spec in specs:
        config, name = parse_phase_spec(spec)
        if not osp.isfile(config):
            raise ValueError(f'phase {spec!r}: config {config!r} not found')
        phases = Config.fromfile(config).model.get('train_cfg', {}).get(
            'phases') or {}
        names = [k for k, v in phases.items() if v is not None] \
            if isinstance(phases, dict) else [p.get('name') for p in phases]
        if not names:
            raise ValueError(f'phase {spec!r}: {config} has no '
                             'model.train_cfg.phases (not an FCSR-GAN '
                             'training config)')
        if name not in names + [FIRST, LAST]:
            raise ValueError(f'phase {spec!r}: {config} has phases {names} '
                             '(or give first / last)')


def random_parser_checkpoint(parser_config: str, folder: str) -> str:
    """A checkpoint of ``parser_config``'s segmentor with random weights
    (written once into ``folder``)."""
    name = osp.splitext(osp.basename(parser_config))[0]
    path = osp.join(folder, f'random_{name}.pth')
    if not osp.isfile(path):
        model = copy.deepcopy(Config.fromfile(parser_config).model)
        model.pop('pretrained', None)
        model['train_cfg'] = None
        model['_scope_'] = 'mmseg'
        torch.save({'state_dict': SEG_MODELS.build(model).state_dict()},
                   path)
    return path


def _randomise(node, folder: str, root: str):
    """``node`` (a config's model) with random parsers and no pretrained
    files, in place."""
    if isinstance(node, dict):
        if node.get('parser_config'):
            parser = node['parser_config']
            if not osp.isabs(parser) and not osp.isfile(parser):
                parser = osp.join(root, parser)
            node['parser_config'] = parser
            node['parser_checkpoint'] = random_parser_checkpoint(parser,
                                                                 folder)
        for key, value in node.items():
            if key in PRETRAINED_KEYS and isinstance(value, str):
                node[key] = None
            else:
                _randomise(value, folder, root)
    elif isinstance(node, (list, tuple)):
        for value in node:
            _randomise(value, folder, root)


def random_weight_config(config: str, folder: str, root: str) -> Config:
    """``config`` with random-weight parsers and VGG-19 (no files needed).

    Args:
        config (str): An FCSR-GAN config.
        folder (str): Where the parser checkpoints are written.
        root (str): Relative parser configs are looked up here when they
            are not found from the working directory.
    """
    cfg = Config.fromfile(config)
    _randomise(cfg.model, folder, root)
    return cfg


def set_wrappers(cfg: Config, precision: str) -> Config:
    """A copy of ``cfg`` whose optimiser wrappers train in ``precision``
    ('fp32' or 'bf16'): bf16 through ``launch.apply_precision`` (what
    ``tools/train.py --precision bf16`` does), fp32 as the config's
    ``OptimWrapper`` (an ``AutocastOptimWrapper`` held at fp32)."""
    cfg = copy.deepcopy(cfg)
    if precision == 'bf16':
        apply_precision(cfg, 'bf16')
    else:
        for wrapper in optim_wrapper_cfgs(cfg.optim_wrapper):
            if wrapper.get('type') == 'AutocastOptimWrapper':
                wrapper['precision'] = 'fp32'
    return cfg


def training_batch(batch: int, lr: int, scale: int, seed: int = 0) -> dict:
    """``batch`` random faces as the training pipeline packs them: 0..255
    BGR inputs (``lr`` px), ground truths at ``lr`` and ``lr * scale`` px,
    a centred hole of half the side."""
    g = torch.Generator().manual_seed(seed)
    hr, q = lr * scale, lr // 4

    def face(size):
        return torch.randint(0, 256, (3, size, size), generator=g,
                             dtype=torch.uint8)

    inputs, samples = [], []
    for _ in range(batch):
        mask_lr = torch.zeros(1, lr, lr)
        mask_lr[:, q:q + lr // 2, q:q + lr // 2] = 1
        mask = torch.zeros(1, hr, hr)
        mask[:, q * scale:(q + lr // 2) * scale,
             q * scale:(q + lr // 2) * scale] = 1
        inputs.append(face(lr))
        samples.append(DataSample(
            gt_img=face(hr), gt_lr=face(lr), mask_lr=mask_lr, mask=mask,
            metainfo=dict(gt_channel_order='bgr', gt_color_type='color',
                          mask_bbox=[q, q, lr // 2, lr // 2])))
    return dict(inputs=inputs, data_samples=samples)


def pick_phase(model, name: str, where: str):
    """The phase of ``model``'s schedule called ``name`` ('first'/'last':
    by position)."""
    phases = list(model.phases)
    if name == FIRST:
        return phases[0]
    if name == LAST:
        return phases[-1]
    for phase in phases:
        if phase.name == name:
            return phase
    raise ValueError(f'{where}: no phase {name!r}; its phases: '
                     f'{[p.name for p in phases]} (or first / last)')


def build_trainer(cfg: Config) -> torch.nn.Module:
    """The config's model with its initial weights, as the Runner builds
    it (mmagic scope, ``init_weights``)."""
    torch.manual_seed(0)
    with DefaultScope.overwrite_default_scope('mmagic'):
        model = MODELS.build(copy.deepcopy(cfg.model))
    # init_weights logs every parameter at INFO: thousands of lines
    logger = MMLogger.get_current_instance()
    level = logger.level
    logger.setLevel('WARNING')
    try:
        model.init_weights()
    finally:
        logger.setLevel(level)
    return model


def seconds_per_step(model, cfg: Config, phase, batch: dict, warmup: int,
                     repeats: int) -> float:
    """Median seconds of ``model.train_step`` in ``phase`` (MessageHub's
    'iter' set to its begin; restored after) with ``cfg``'s wrappers."""
    with DefaultScope.overwrite_default_scope('mmagic'):
        optim = build_optim_wrapper(model, copy.deepcopy(cfg.optim_wrapper))
    hub = MessageHub.get_current_instance()
    before = hub.get_info('iter', 0)
    hub.update_info('iter', phase.begin)
    try:
        model.train()
        # a fresh copy each step: the data preprocessor rewrites samples
        return median_seconds(
            lambda: model.train_step(copy.deepcopy(batch), optim), 'cpu',
            warmup, repeats)
    finally:
        hub.update_info('iter', before)


def train_rows(specs: Sequence[str], batch: int, bf16: str,
               warmup: int = 2, repeats: int = 5, root: str = '.',
               folder: Optional[str] = None) -> List[dict]:
    """Iterations/s of each ``CONFIG:PHASE`` of ``specs`` in fp32 and bf16.

    Args:
        specs (Sequence[str]): e.g.
            ``configs/fcsr_gan/fcsr-gan_stage1_1xb16-200k_celeba-32x32.py:l1``.
        batch (int): Faces per iteration.
        bf16 (str): 'native' or 'emulated' (timed; emulated rows are
            labelled) or 'unsupported' (the bf16 rows say so, untimed).
        warmup, repeats (int): Untimed and timed steps.
        root (str): Where relative parser configs are found.
        folder (str): Where random parser checkpoints go (default: a
            temporary folder).
    Returns:
        list[dict]: One row per phase and precision: ``config``, ``phase``,
        ``trains``, ``terms``, ``batch``, ``precision``, ``it_s`` (None if
        not timed) and ``note``.
    """
    specs = [parse_phase_spec(s) for s in specs]
    rows, models = [], {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = folder or tmp
        for config, name in specs:
            if not osp.isfile(config):
                raise FileNotFoundError(f'phase {config}:{name}: config '
                                        f'{config!r} not found')
            if config not in models:
                cfg = random_weight_config(config, folder, root)
                models[config] = (cfg, build_trainer(cfg))
            cfg, model = models[config]
            phase = pick_phase(model, name, config)
            gen = model.generator
            data = training_batch(batch, gen.completion.in_size,
                                  getattr(gen.sr, 'upscale_factor', 4))
            row = dict(config=osp.basename(config), phase=phase.name,
                       trains=list(phase.train), terms=list(phase.losses),
                       discriminators=list(phase.discriminators),
                       batch=batch)
            for precision in ('fp32', 'bf16'):
                note = '' if precision == 'fp32' or bf16 == 'native' \
                    else bf16
                it_s = None
                if note != 'unsupported':
                    it_s = 1 / seconds_per_step(
                        model, set_wrappers(cfg, precision), phase, data,
                        warmup, repeats)
                rows.append(dict(row, precision=precision, it_s=it_s,
                                 note=note))
    return rows
