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
