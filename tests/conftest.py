"""Shared fixtures: tiny synthetic data sets, tiny trained models (parsers,
FCSR-GAN), random-weight checkpoints and scoped builders, built once per
session. Paths are absolute, so tests run from any directory."""
import functools
import importlib
import importlib.util
import json
import os
import os.path as osp
import sys

import pytest

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
SHARED_DATA = osp.join(osp.dirname(REPO), 'shared', 'data')
os.environ.setdefault('OMP_NUM_THREADS', '2')
# modules the test files share (tests/ is no package: see pytest.ini)
sys.path.insert(0, osp.join(REPO, 'tests', 'helpers'))


def _format_config_once():
    """mmengine's Runner formats its config with yapf four or five times
    (config dump, log, visualizer, message hub, each checkpoint's meta), the
    same text each time, at seconds a go on these CPUs. yapf's FormatCode
    is a pure function of its arguments: keep its answers for the session
    (the text is unchanged; each Runner of the suite starts seconds
    sooner)."""
    from mmengine.config import config as mmengine_config
    format_code = mmengine_config.FormatCode

    @functools.lru_cache(maxsize=128)
    def cached(text, style):
        return format_code(text, style_config=json.loads(style))

    def format_once(text, style_config=None, **kwargs):
        if kwargs or not isinstance(style_config, dict):
            return format_code(text, style_config=style_config, **kwargs)
        return cached(text, json.dumps(style_config, sort_keys=True))

    mmengine_config.FormatCode = format_once


_format_config_once()


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
    """--cfg-options that point every dataloader at ``root`` (and the
    configs' own ``data_root``, which the tools check from any directory).
    The datasets are not serialised: mmengine runs a full ``gc.collect()``
    for that, seconds in a test session's large heap, for a few faces."""
    opts = {'data_root': root}
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        opts[f'{loader}.dataset.data_root'] = root
        opts[f'{loader}.dataset.serialize_data'] = False
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


SEGMENTER_CONFIG = \
    'configs/occlusion/segnet_s3c32_1xb16-4k_occluded-faces-32x32.py'


@pytest.fixture(scope='session')
def trained_segmenter(synthetic_root, tmp_path_factory):
    """The segmenter config trained 4 iterations on occluded synthetic
    faces: (config, checkpoint, data root)."""
    from fcsr_mm.data.occluder_converters import convert_occluded_faces
    data = str(tmp_path_factory.mktemp('occluded') / 'data')
    convert_occluded_faces(osp.join(synthetic_root, 'aligned'), data)
    work = str(tmp_path_factory.mktemp('segmenter'))
    opts = data_options(data)
    opts.update({'train_cfg.max_iters': 4, 'train_cfg.val_interval': 4,
                 'train_dataloader.batch_size': 4,
                 'default_hooks.checkpoint.interval': 4})
    load_tool('train.py').main(
        [osp.join(REPO, SEGMENTER_CONFIG), '--work-dir', work, '--cfg-options']
        + [f'{k}={v}' for k, v in opts.items()])
    return osp.join(REPO, SEGMENTER_CONFIG), osp.join(work, 'iter_4.pth'), data


@pytest.fixture(scope='session')
def data_opts():
    """``data_opts(root)``: overrides that point every dataloader at
    ``root`` (a dict for ``run_test`` / ``cfg.merge_from_dict``)."""
    return data_options



def fcsr_run_options(cfg_name, parsers, data_root, max_iters, extra=()):
    opts = {
        'train_cfg.max_iters': max_iters, 'train_cfg.val_interval': 1000,
        'train_dataloader.batch_size': 2, 'load_from': None,
        'default_hooks.checkpoint.interval': 1,
        'default_hooks.logger.interval': 1,
    }
    opts.update(data_options(data_root))
    for key, size in used_parsing_losses(cfg_name).items():
        opts[f'model.losses.{key}.parser_config'] = parsers[size][0]
        opts[f'model.losses.{key}.parser_checkpoint'] = parsers[size][1]
    opts.update(dict(extra))
    return ['--cfg-options'] + [f'{k}={v}' for k, v in opts.items()]


def used_parsing_losses(cfg_name):
    """The losses of a config that read a trained parser, with its size
    (the parsing losses; stage 1: 32 px, stage 2: 128; a perceptual term on
    a parser's encoder)."""
    from mmengine.config import Config
    losses = Config.fromfile(osp.join(REPO, 'configs', cfg_name)).model.losses
    return {k: 32 if '32x32' in v['parser_config'] else 128
            for k, v in losses.items() if v and 'parser_checkpoint' in v}


@pytest.fixture(scope='session')
def fcsr_options():
    """``fcsr_options(cfg_name, parsers, data_root, max_iters, extra)``:
    --cfg-options for a tiny FCSR-GAN run of ``configs/<cfg_name>``."""
    return fcsr_run_options


def scoped_build(scope: str, cfg: dict, registry: str = 'MODELS'):
    """Build ``cfg`` from ``scope``'s registry (``mmagic`` or ``mmseg``)
    with that default scope for the call only."""
    from mmengine.registry import DefaultScope
    import fcsr_mm  # noqa: F401  registers the components
    registries = importlib.import_module(f'{scope}.registry')
    with DefaultScope.overwrite_default_scope(scope):
        return getattr(registries, registry).build(cfg)


@pytest.fixture(scope='session')
def build_in_scope():
    """``build_in_scope('mmagic', cfg)`` / ``('mmseg', cfg, 'DATASETS')``:
    a component built under that default scope."""
    return scoped_build


@pytest.fixture(scope='session')
def random_checkpoint(tmp_path_factory):
    """``random_checkpoint(config, seed=0)``: the path of a checkpoint
    (``{'state_dict': ...}``) of ``config``'s inference model with seeded
    initial weights: a generator that never trained."""
    import torch

    from fcsr_mm.apis import init_restorer
    folder = tmp_path_factory.mktemp('random_weights')

    def write(config: str, seed: int = 0) -> str:
        path = folder / f'{osp.splitext(osp.basename(config))[0]}_{seed}.pth'
        if not path.exists():
            torch.manual_seed(seed)
            torch.save({'state_dict': init_restorer(config).state_dict()},
                       path)
        return str(path)
    return write


def fcsr_test_options(cfg_name, parsers, data_root):
    """``run_test`` overrides for an FCSR-GAN config on ``data_root``: its
    dataloaders and the tiny parsers its parsing losses build (its
    ``load_from``, the start of training, is left out)."""
    opts = dict(data_options(data_root), load_from=None)
    for key, size in used_parsing_losses(cfg_name).items():
        opts[f'model.losses.{key}.parser_config'] = parsers[size][0]
        opts[f'model.losses.{key}.parser_checkpoint'] = parsers[size][1]
    return opts


# The tiny FCSR-GAN of ``trained_fcsr``: stage 1 in its L1 phase, stage 2 in
# its SR phase (the synthetic configs' later phases begin far beyond).
TRAINED_FCSR = dict(stage1_iters=24, stage2_iters=2, batch_size=4)


@pytest.fixture(scope='session')
def trained_fcsr(trained_parsers, synthetic_root, tmp_path_factory):
    """FCSR-GAN trained a few iterations with tools/train.py on the
    synthetic faces: stage 1 (configs/fcsr_stage1_synthetic.py), then
    stage 2 from its checkpoint. A dict: ``config`` (stage 2),
    ``checkpoint`` (its last), ``work_dir`` (stage 2, a checkpoint per
    iteration and mmengine's ``last_checkpoint``), ``stage1`` (stage 1's
    checkpoint), ``iters`` (stage 1, stage 2) and ``test_options``
    (``run_test`` overrides: the synthetic test faces, the tiny parsers)."""
    train = load_tool('train.py')
    root = osp.join(synthetic_root, 'aligned')
    n1, n2 = TRAINED_FCSR['stage1_iters'], TRAINED_FCSR['stage2_iters']
    batch = {'train_dataloader.batch_size': TRAINED_FCSR['batch_size']}
    s1 = str(tmp_path_factory.mktemp('fcsr_stage1'))
    train.main([osp.join(REPO, 'configs', 'fcsr_stage1_synthetic.py'),
                '--work-dir', s1] + fcsr_run_options(
        'fcsr_stage1_synthetic.py', trained_parsers, root, n1,
        dict(batch, **{'default_hooks.checkpoint.interval': n1}).items()))
    stage1 = osp.join(s1, f'iter_{n1}.pth')
    s2 = str(tmp_path_factory.mktemp('fcsr_stage2'))
    train.main([osp.join(REPO, 'configs', 'fcsr_stage2_synthetic.py'),
                '--work-dir', s2] + fcsr_run_options(
        'fcsr_stage2_synthetic.py', trained_parsers, root, n2,
        dict(batch, load_from=stage1).items()))
    return dict(
        config=osp.join(REPO, 'configs', 'fcsr_stage2_synthetic.py'),
        checkpoint=osp.join(s2, f'iter_{n2}.pth'), work_dir=s2,
        stage1=stage1, iters=(n1, n2),
        test_options=fcsr_test_options('fcsr_stage2_synthetic.py',
                                       trained_parsers, root))


# The faces trained_fcsr is scored on: its 24 training faces with the test
# pipeline's seeded occlusions. On the 3 test faces a model this short-trained
# scores up to 1 dB above or below its initial weights from one iteration to
# the next (measured); on these 24 it is above them from the fourth on.
SCORED_FACES = {'test_dataloader.dataset.ann_file': 'meta/train.txt'}


@pytest.fixture(scope='session')
def trained_fcsr_scores(trained_fcsr, tmp_path_factory):
    """tools/test.py on ``trained_fcsr``'s checkpoint over ``faces`` (the
    overrides of SCORED_FACES): a dict of ``metrics`` (what it returned),
    ``out`` (the --out file it wrote) and ``faces``."""
    work = tmp_path_factory.mktemp('fcsr_scores')
    opts = dict(trained_fcsr['test_options'], **SCORED_FACES,
                **{'visualizer.name': f'vis_scores_{work.name}'})
    out = str(work / 'metrics.json')
    metrics = load_tool('test.py').main(
        [trained_fcsr['config'], trained_fcsr['checkpoint'], '--work-dir',
         str(work), '--out', out, '--cfg-options']
        + [f'{k}={v}' for k, v in opts.items()])
    return dict(metrics=metrics, out=out, faces=dict(SCORED_FACES))


@pytest.fixture(scope='session')
def benchmark_data_config(tmp_path_factory):
    """``benchmark_data_config(ann_file='meta/test.txt')``: the path of the
    benchmark's data config (configs/_base_/datasets/face_restoration.py)
    on that face list, loaded in the test process (for a few faces, workers
    and serialisation only cost)."""
    folder = tmp_path_factory.mktemp('benchmark_data')
    base = osp.join(REPO, 'configs', '_base_', 'datasets',
                    'face_restoration.py')

    def write(ann_file: str = 'meta/test.txt') -> str:
        path = folder / f'{ann_file.replace("/", "_")}.py'
        path.write_text(
            f'_base_ = {base!r}\n'
            'test_dataloader = dict(num_workers=0, persistent_workers=False,'
            f' dataset=dict(ann_file={ann_file!r}, serialize_data=False))\n')
        return str(path)
    return write


def _face_batch(root, occlude=None, count=2):
    """A collated batch of the first ``count`` synthetic training faces
    through the training transforms, with ``OccludeFace(**occlude)``."""
    from mmagic.registry import DATASETS
    from mmengine.dataset import pseudo_collate
    from mmengine.registry import DefaultScope
    pipeline = [
        dict(type='LoadImageFromFile', key='gt', channel_order='bgr'),
        dict(type='DegradeFace'),
        dict(type='OccludeFace', **(occlude or dict(seed=0))),
        dict(type='PackInputs', keys='img', data_keys=['gt_lr', 'mask_lr']),
    ]
    with DefaultScope.overwrite_default_scope('mmagic'):
        ds = DATASETS.build(dict(
            type='BasicImageDataset', ann_file='meta/train.txt',
            data_root=f'{root}/aligned', data_prefix=dict(gt='images'),
            pipeline=pipeline))
    return pseudo_collate([ds[i] for i in range(count)])


@pytest.fixture(scope='session')
def face_batch(synthetic_root):
    """``face_batch(occlude=None, count=2)``: a collated batch of synthetic
    training faces (random seeded block unless ``occlude`` says otherwise:
    ``OccludeFace`` arguments)."""
    return functools.partial(_face_batch, synthetic_root)
