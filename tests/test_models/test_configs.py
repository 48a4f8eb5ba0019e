"""Every config under configs/ loads and its networks build; one iteration
of every FCSR-GAN config on tiny synthetic data, through tools/train.py;
resume continues in the right phase."""
import glob
import json
import os
import os.path as osp

import pytest

# at collection time, for the parameters (the ``repo`` fixture comes later)
REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
EVERY_CONFIG = sorted(
    osp.relpath(p, osp.join(REPO, 'configs'))
    for p in glob.glob(osp.join(REPO, 'configs', '**', '*.py'),
                       recursive=True))
CONFIGS = ['fcsr_gan/fcsr-gan_stage1_1xb16-200k_celeba-32x32.py',
           'fcsr_gan/fcsr-gan_stage2_1xb16-200k_celeba-128x128.py',
           'fcsr_stage1_celeba128_cpu.py', 'fcsr_stage2_celeba128_cpu.py',
           'fcsr_stage1_synthetic.py', 'fcsr_stage2_synthetic.py',
           'fcsr_stage1_celeba128_cpu_mix.py',
           'fcsr_stage2_celeba128_cpu_mix.py',
           'fcsr_stage1_celeba128_cpu_pixel.py',
           'fcsr_stage2_celeba128_cpu_pixel.py',
           'fcsr_stage1_celeba128_cpu_pixel_mix.py',
           'fcsr_stage2_celeba128_cpu_pixel_mix.py'] + [
               'ablation/' + f
               for f in sorted(os.listdir(osp.join(REPO, 'configs/ablation')))
               if f.endswith('.py')
           ]


def names_a_checkpoint(cfg) -> bool:
    """Whether a model config loads weights from files (sequences of
    trained peers, an SR network initialised from a checkpoint)."""
    if isinstance(cfg, dict):
        return 'checkpoint' in cfg or any(names_a_checkpoint(v)
                                          for v in cfg.values())
    if isinstance(cfg, (list, tuple)):
        return any(names_a_checkpoint(v) for v in cfg)
    return False


def built_networks(cfg, build_in_scope) -> list:
    """What a config's model builds without files: FCSR-GAN's generator and
    discriminators (its losses read trained parsers), other models whole."""
    model = cfg.model
    if model.type != 'FCSRGAN':
        return [build_in_scope(cfg.get('default_scope', 'mmagic'), model)]
    from mmagic.registry import MODELS
    from mmengine.registry import DefaultScope

    from fcsr_mm.models.discriminators import build_discriminators
    with DefaultScope.overwrite_default_scope('mmagic'):
        discriminators, _ = build_discriminators(
            model.get('discriminators'), MODELS)
    return [build_in_scope('mmagic', model.generator), discriminators]


@pytest.mark.parametrize('cfg_name', EVERY_CONFIG)
def test_every_config_loads_and_builds(cfg_name, repo, build_in_scope):
    from mmengine.config import Config
    cfg = Config.fromfile(osp.join(repo, 'configs', cfg_name))
    if cfg_name.startswith('_base_') or 'model' not in cfg \
            or names_a_checkpoint(cfg.model):
        return  # partial configs; models that load trained peers
    for net in built_networks(cfg, build_in_scope):
        assert sum(p.numel() for p in net.parameters()) > 0 or \
            cfg.model.type == 'FaceBaseline', cfg.model.type


def test_rows_files_parse_and_name_configs(tool, repo):
    """The benchmark's rows files read through its rows reader, and every
    row's config exists (paths are relative to the repository)."""
    bench = tool('analysis/benchmark.py')
    files = sorted(glob.glob(osp.join(repo, 'configs', '**', 'rows_*.yaml'),
                             recursive=True))
    assert files
    for path in files:
        rows = bench.load_rows(path)
        for row in rows:
            assert osp.isfile(osp.join(repo, row['config'])), (path, row)


def phases_logged(work_dir):
    scalars = sorted(osp.join(work_dir, d) for d in os.listdir(
        work_dir) if osp.isdir(osp.join(work_dir, d, 'vis_data')))
    out = {}
    for run in scalars:
        with open(osp.join(run, 'vis_data', 'scalars.json')) as f:
            for line in f:
                rec = json.loads(line)
                if 'phase' in rec:
                    out[rec['iter']] = rec['phase']
    return out


@pytest.mark.parametrize('cfg_name', CONFIGS)
def test_one_iteration(cfg_name, tool, repo, trained_parsers, synthetic_root,
                       fcsr_options, tmp_path):
    train = tool('train.py')
    train.main([osp.join(repo, 'configs', cfg_name), '--work-dir',
                str(tmp_path)] + fcsr_options(cfg_name, trained_parsers,
                                         f'{synthetic_root}/aligned', 1))
    assert osp.isfile(tmp_path / 'iter_1.pth')
    assert phases_logged(str(tmp_path)) == {1: 0.0}


def test_resume_continues_in_the_right_phase(tool, repo, trained_parsers,
                                             synthetic_root, fcsr_options,
                                             tmp_path):
    train = tool('train.py')
    cfg = osp.join(repo, 'configs', 'fcsr_stage1_synthetic.py')
    switch = {'model.train_cfg.phases.local_adv.begin': 1,
              'model.train_cfg.phases.all.begin': 3}
    root = f'{synthetic_root}/aligned'
    train.main([cfg, '--work-dir', str(tmp_path)] + fcsr_options(
        'fcsr_stage1_synthetic.py', trained_parsers, root, 2, switch.items()))
    train.main([cfg, '--work-dir', str(tmp_path), '--resume'] + fcsr_options(
        'fcsr_stage1_synthetic.py', trained_parsers, root, 4, switch.items()))
    # iteration i of the log ran at runner.iter i - 1
    assert phases_logged(str(tmp_path)) == {1: 0.0, 2: 1.0, 3: 1.0, 4: 2.0}


def test_metafile_lists_existing_configs_under_their_names(repo):
    """configs/fcsr_gan/metafile.yml, mmagic's model-index format."""
    import yaml
    with open(osp.join(repo, 'configs/fcsr_gan/metafile.yml')) as f:
        meta = yaml.safe_load(f)
    names = [c['Name'] for c in meta['Collections']]
    assert names == ['FCSR-GAN']
    assert osp.isfile(osp.join(repo, meta['Collections'][0]['README']))
    models = meta['Models']
    assert len({m['Name'] for m in models}) == len(models)
    for model in models:
        assert osp.isfile(osp.join(repo, model['Config'])), model['Config']
        assert model['In Collection'] == 'FCSR-GAN'
        if model['Config'].startswith('configs/fcsr_gan/'):
            assert model['Name'] == osp.splitext(
                osp.basename(model['Config']))[0]
