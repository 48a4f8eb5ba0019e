"""tools/dist_train.sh on CPU: two gloo processes train FCSR-GAN stage 1
(separately wrapped generator and discriminators), exit cleanly, and end
with the same weights on both ranks: DDP synchronised the gradients of the
generator and of both discriminators, which each rank computed on other
faces."""
import os
import os.path as osp
import socket
import subprocess
import sys

import pytest
import torch

HELPERS = osp.join(osp.dirname(osp.abspath(__file__)), 'helpers')
# l1 at iteration 0, then 'all' (both discriminators update) at 1
PHASES = {'model.train_cfg.phases.all.begin': 1,
          'model.train_cfg.phases.local_adv.begin': 2}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def dist_env() -> dict:
    return dict(os.environ, PYTHON=sys.executable, PORT=str(free_port()),
                OMP_NUM_THREADS='1', CUDA_VISIBLE_DEVICES='',
                PYTHONPATH=os.pathsep.join(
                    [HELPERS] + os.environ.get('PYTHONPATH', '').split(
                        os.pathsep)))


def config_saving_rank_params(repo, tmp_path):
    """Stage 1 with a hook that saves each rank's parameters."""
    path = tmp_path / 'stage1_rank_params.py'
    base = osp.join(repo, 'configs', 'fcsr_stage1_synthetic.py')
    path.write_text(
        f'_base_ = {base!r}\n'
        "custom_imports = dict(imports=['fcsr_mm', 'rank_params_hook'],\n"
        '                      allow_failed_imports=False)\n'
        "custom_hooks = [dict(type='SaveRankParamsHook', "
        f'out_dir={str(tmp_path)!r})]\n')
    return str(path)


@pytest.mark.skipif(sys.platform != 'linux', reason='torchrun on Linux')
def test_two_process_cpu_training_keeps_ranks_in_sync(
        repo, trained_parsers, synthetic_root, fcsr_options, tmp_path):
    cfg = config_saving_rank_params(repo, tmp_path)
    opts = fcsr_options('fcsr_stage1_synthetic.py', trained_parsers,
                        f'{synthetic_root}/aligned', 2, PHASES.items())
    work = tmp_path / 'work'
    proc = subprocess.run(
        ['bash', osp.join(repo, 'tools', 'dist_train.sh'), cfg, '2',
         '--work-dir', str(work)] + opts,
        env=dist_env(), capture_output=True, text=True, timeout=300)
    log = proc.stdout + proc.stderr
    assert proc.returncode == 0, log[-3000:]
    assert osp.isfile(work / 'iter_2.pth')
    assert 'Distributed launcher: pytorch' in log
    assert 'Distributed training: True' in log

    def params(when, rank):
        return torch.load(tmp_path / f'{when}_rank{rank}.pth',
                          weights_only=True)
    before, after0, after1 = params('before', 0), params('after', 0), \
        params('after', 1)
    assert after0.keys() == after1.keys()
    for name in after0:
        assert torch.equal(after0[name], after1[name]), name
    # and the equality is no accident: the discriminators (both) and the
    # completion module trained
    for part in ('discriminators.module.global_lr.',
                 'discriminators.module.local_lr.',
                 'generator.module.completion.'):
        names = [n for n in after0 if n.startswith(part)]
        assert names, (part, list(after0)[:5])
        assert any(not torch.equal(before[n], after0[n]) for n in names), \
            part
