"""Shared fixtures: tiny synthetic data sets built once per session."""
import importlib.util
import os
import os.path as osp

import pytest

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
SHARED_DATA = osp.join(osp.dirname(REPO), 'shared', 'data')
os.environ.setdefault('OMP_NUM_THREADS', '2')


def load_tool(relpath: str):
    """Import a script under tools/ as a module."""
    path = osp.join(REPO, 'tools', relpath)
    name = 'tool_' + relpath.replace('/', '_').replace('.py', '')
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope='session')
def synthetic_root(tmp_path_factory):
    """30 synthetic faces in both layouts."""
    from fcsr_mm.data.synthetic_writer import write_synthetic_faces
    root = str(tmp_path_factory.mktemp('synthetic'))
    write_synthetic_faces(root, num=30, seed=3, canvas=160, workers=1,
                          overwrite=True)
    return root


@pytest.fixture(scope='session')
def synthetic_parser_root(synthetic_root, tmp_path_factory):
    """The synthetic Helen layout after the Helen converter."""
    from fcsr_mm.data.parser_converters import convert_helen
    out = str(tmp_path_factory.mktemp('parser') / 'parser')
    convert_helen(osp.join(synthetic_root, 'helen'), out)
    return out


@pytest.fixture(scope='session')
def repo():
    return REPO


@pytest.fixture(scope='session')
def tool():
    """``tool('train.py')`` imports tools/train.py as a module."""
    return load_tool


@pytest.fixture(scope='session')
def shared_data():
    if not osp.isdir(SHARED_DATA):
        pytest.skip(f'{SHARED_DATA} not present')
    return SHARED_DATA


PARSER_CONFIGS = {
    128: 'configs/parser/segnet_s4c8_1xb8-200_synthetic-128x128.py',
    32: 'configs/parser/segnet_s3c16_1xb16-300_synthetic-32x32.py',
}


def data_options(root, workers=0):
    """--cfg-options that point every dataloader at ``root``."""
    opts = {}
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        opts[f'{loader}.dataset.data_root'] = root
        opts[f'{loader}.num_workers'] = workers
        opts[f'{loader}.persistent_workers'] = False
    return opts


@pytest.fixture(scope='session')
def trained_parsers(synthetic_parser_root, tmp_path_factory):
    """Tiny 128 and 32 px parsers trained for a few iterations with
    tools/train.py: {size: (config, checkpoint)}."""
    train = load_tool('train.py')
    out = {}
    for size, cfg in PARSER_CONFIGS.items():
        work = str(tmp_path_factory.mktemp(f'parser{size}'))
        opts = data_options(synthetic_parser_root)
        opts.update({'train_cfg.max_iters': 6, 'train_cfg.val_interval': 6,
                     'default_hooks.checkpoint.interval': 6})
        train.main([osp.join(REPO, cfg), '--work-dir', work, '--cfg-options']
                   + [f'{k}={v}' for k, v in opts.items()])
        out[size] = (osp.join(REPO, cfg), osp.join(work, 'iter_6.pth'))
    return out


@pytest.fixture(scope='session')
def data_opts():
    """``data_opts(root)``: overrides that point every dataloader at
    ``root`` (a dict for ``run_test`` / ``cfg.merge_from_dict``)."""
    return data_options


PARSING_LOSSES = {'parsing_lr': 32, 'parsing': 128}


def fcsr_run_options(cfg_name, parsers, data_root, max_iters, extra=()):
    opts = {
        'train_cfg.max_iters': max_iters, 'train_cfg.val_interval': 1000,
        'train_dataloader.batch_size': 2, 'load_from': None,
        'default_hooks.checkpoint.interval': 1,
        'default_hooks.logger.interval': 1,
    }
    opts.update(data_options(data_root))
    for key in used_parsing_losses(cfg_name):
        size = PARSING_LOSSES[key]
        opts[f'model.losses.{key}.parser_config'] = parsers[size][0]
        opts[f'model.losses.{key}.parser_checkpoint'] = parsers[size][1]
    opts.update(dict(extra))
    return ['--cfg-options'] + [f'{k}={v}' for k, v in opts.items()]


def used_parsing_losses(cfg_name):
    """The parsing losses a config builds (stage 1: 32 px, stage 2: 128)."""
    from mmengine.config import Config
    losses = Config.fromfile(osp.join(REPO, 'configs', cfg_name)).model.losses
    return [k for k in PARSING_LOSSES if losses.get(k)]


@pytest.fixture(scope='session')
def fcsr_options():
    """``fcsr_options(cfg_name, parsers, data_root, max_iters, extra)``:
    --cfg-options for a tiny FCSR-GAN run of ``configs/<cfg_name>``."""
    return fcsr_run_options
