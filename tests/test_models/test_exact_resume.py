"""A run stopped and resumed ends bit-identical to the straight run:
weights, optimiser states and logged losses, when stopped exactly at a phase
boundary, inside a phase at a learning-rate step, and inside the last phase
(tiny synthetic data; the data pipeline runs in a worker)."""
import os.path as osp

import pytest
import torch
from tiny_fcsr import losses_logged as tiny_losses_logged

CONFIG = 'fcsr_stage1_synthetic.py'
# phases: l1 [0, 2), local_adv [2, 4), all [4, 6); generator lr x0.1 at 3
EXTRA = {
    'model.train_cfg.phases.local_adv.begin': 2,
    'model.train_cfg.phases.all.begin': 4,
    'param_scheduler.generator.milestones': '[3]',
    'train_dataloader.num_workers': 1,
    'default_hooks.checkpoint.max_keep_ckpts': -1,
}
MAX_ITERS = 6


@pytest.fixture(scope='module')
def run(tool, repo, trained_parsers, synthetic_root, fcsr_options):
    def _run(work_dir, resume=None):
        args = [osp.join(repo, 'configs', CONFIG), '--work-dir',
                str(work_dir)]
        if resume:
            args += ['--resume', resume]
        tool('train.py').main(args + fcsr_options(
            CONFIG, trained_parsers, f'{synthetic_root}/aligned', MAX_ITERS,
            EXTRA.items()))
        return torch.load(osp.join(work_dir, f'iter_{MAX_ITERS}.pth'),
                          map_location='cpu', weights_only=False)
    return _run


def losses_logged(work_dir):
    return tiny_losses_logged(work_dir, ('loss', 'generator.lr'))


def same_optimizers(a, b):
    for name in a:
        sa, sb = a[name]['state'], b[name]['state']
        assert sa.keys() == sb.keys(), name
        for key in sa:
            for field in sa[key]:
                assert torch.equal(torch.as_tensor(sa[key][field]),
                                   torch.as_tensor(sb[key][field])), \
                    (name, key, field)


def test_resume_is_exact(run, tmp_path_factory):
    straight_dir = tmp_path_factory.mktemp('straight')
    straight = run(straight_dir)
    straight_losses = losses_logged(straight_dir)
    lrs = [straight_losses[(i, 'generator.lr')] for i in range(1, 7)]
    assert lrs[:3] == [lrs[0]] * 3 and lrs[3:] == [lrs[0] / 10] * 3, lrs
    # stop at: a phase boundary, a lr step inside a phase, inside 'all'
    for stop in (2, 3, 5):
        work = tmp_path_factory.mktemp(f'resumed_from_{stop}')
        resumed = run(work, osp.join(straight_dir, f'iter_{stop}.pth'))
        for key, value in straight['state_dict'].items():
            assert torch.equal(value, resumed['state_dict'][key]), (stop, key)
        same_optimizers(straight['optimizer'], resumed['optimizer'])
        logged = losses_logged(work)
        assert logged, stop
        for key, value in logged.items():
            assert value == straight_losses[key], (stop, key)
