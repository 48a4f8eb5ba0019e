"""tools/dist_test.sh on CPU: two gloo processes test the trained FCSR-GAN
checkpoint, each on half of the faces, and the metrics gathered from both
are those of one process over all the faces."""
import json
import os
import os.path as osp
import socket
import subprocess
import sys

import pytest

KEYS = ('PSNR', 'SSIM', 'HolePSNR', 'HoleSSIM', 'lr/PSNR')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


@pytest.mark.skipif(sys.platform != 'linux', reason='torchrun on Linux')
def test_two_process_test_gives_the_single_process_metrics(
        repo, trained_fcsr, trained_fcsr_scores, tmp_path):
    opts = dict(trained_fcsr['test_options'], **trained_fcsr_scores['faces'])
    out = tmp_path / 'metrics.json'
    env = dict(os.environ, PYTHON=sys.executable, PORT=str(free_port()),
               OMP_NUM_THREADS='1', CUDA_VISIBLE_DEVICES='')
    proc = subprocess.run(
        ['bash', osp.join(repo, 'tools', 'dist_test.sh'),
         trained_fcsr['config'], trained_fcsr['checkpoint'], '2',
         '--work-dir', str(tmp_path / 'work'), '--out', str(out),
         '--cfg-options'] + [f'{k}={v}' for k, v in opts.items()],
        env=env, capture_output=True, text=True, timeout=300, cwd=tmp_path)
    log = proc.stdout + proc.stderr
    assert proc.returncode == 0, log[-3000:]
    assert 'Distributed launcher: pytorch' in log
    single = trained_fcsr_scores['metrics']
    with open(out) as f:
        both = json.load(f)
    for key in KEYS:
        assert both[key] == pytest.approx(single[key], abs=1e-4), key
