"""One iteration of every FCSR-GAN config on tiny synthetic data, through
tools/train.py; resume continues in the right phase."""
import json
import os
import os.path as osp

import pytest

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIGS = ['fcsr_stage1_celeba.py', 'fcsr_stage2_celeba.py',
           'fcsr_stage1_celeba128_cpu.py', 'fcsr_stage2_celeba128_cpu.py',
           'fcsr_stage1_synthetic.py', 'fcsr_stage2_synthetic.py'] + [
               'ablation/' + f
               for f in sorted(os.listdir(osp.join(REPO, 'configs/ablation')))
               if f.endswith('.py')
           ]
PARSING_LOSSES = {'parsing_lr': 32, 'parsing': 128}


def options(cfg_name, parsers, data_root, max_iters, extra=()):
    opts = {
        'train_cfg.max_iters': max_iters, 'train_cfg.val_interval': 1000,
        'train_dataloader.batch_size': 2, 'load_from': None,
        'default_hooks.checkpoint.interval': 1,
        'default_hooks.logger.interval': 1,
    }
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        opts[f'{loader}.dataset.data_root'] = data_root
        opts[f'{loader}.num_workers'] = 0
        opts[f'{loader}.persistent_workers'] = False
    for key in used_parsing_losses(cfg_name):
        size = PARSING_LOSSES[key]
        opts[f'model.losses.{key}.parser_config'] = parsers[size][0]
        opts[f'model.losses.{key}.parser_checkpoint'] = parsers[size][1]
    opts.update(dict(extra))
    return ['--cfg-options'] + [f'{k}={v}' for k, v in opts.items()]


def used_parsing_losses(cfg_name):
    """The parsing losses a config builds (stage 1: 32 px, stage 2: 128)."""
    if cfg_name == 'stage1':  # shorthand of the resume test
        return ['parsing_lr']
    from mmengine.config import Config
    losses = Config.fromfile(osp.join(REPO, 'configs', cfg_name)).model.losses
    return [k for k in PARSING_LOSSES if losses.get(k)]


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
                       tmp_path):
    train = tool('train.py')
    train.main([osp.join(repo, 'configs', cfg_name), '--work-dir',
                str(tmp_path)] + options(cfg_name, trained_parsers,
                                         f'{synthetic_root}/aligned', 1))
    assert osp.isfile(tmp_path / 'iter_1.pth')
    assert phases_logged(str(tmp_path)) == {1: 0.0}


def test_resume_continues_in_the_right_phase(tool, repo, trained_parsers,
                                             synthetic_root, tmp_path):
    train = tool('train.py')
    cfg = osp.join(repo, 'configs', 'fcsr_stage1_synthetic.py')
    switch = {'model.train_cfg.phases.1.begin': 1,
              'model.train_cfg.phases.2.begin': 3}
    root = f'{synthetic_root}/aligned'
    train.main([cfg, '--work-dir', str(tmp_path)] + options(
        'stage1', trained_parsers, root, 2, switch.items()))
    train.main([cfg, '--work-dir', str(tmp_path), '--resume'] + options(
        'stage1', trained_parsers, root, 4, switch.items()))
    # iteration i of the log ran at runner.iter i - 1
    assert phases_logged(str(tmp_path)) == {1: 0.0, 2: 1.0, 3: 1.0, 4: 2.0}
