"""tools/dist_train.sh on CPU: two gloo processes train FCSR-GAN stage 1
(separately wrapped generator and discriminators) and exit cleanly."""
import os
import os.path as osp
import socket
import subprocess
import sys

import pytest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


@pytest.mark.skipif(sys.platform != 'linux', reason='torchrun on Linux')
def test_two_process_cpu_training(repo, trained_parsers, synthetic_root,
                                  fcsr_options, tmp_path):
    cfg = osp.join(repo, 'configs', 'fcsr_stage1_synthetic.py')
    opts = fcsr_options('fcsr_stage1_synthetic.py', trained_parsers,
                        f'{synthetic_root}/aligned', 2,
                        {'model.train_cfg.phases.local_adv.begin': 1}.items())
    env = dict(os.environ, PYTHON=sys.executable, PORT=str(_free_port()),
               OMP_NUM_THREADS='1', CUDA_VISIBLE_DEVICES='')
    proc = subprocess.run(
        ['bash', osp.join(repo, 'tools', 'dist_train.sh'), cfg, '2',
         '--work-dir', str(tmp_path)] + opts,
        env=env, capture_output=True, text=True, timeout=300)
    log = proc.stdout + proc.stderr
    assert proc.returncode == 0, log[-3000:]
    assert osp.isfile(tmp_path / 'iter_2.pth')
    assert 'Distributed launcher: pytorch' in log
    assert 'Distributed training: True' in log
