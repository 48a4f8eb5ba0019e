"""tools/slurm_{train,test}.sh call srun with mmengine's slurm launcher
(a stand-in srun records the command)."""
import os
import os.path as osp
import stat
import subprocess


def _run(repo, tmp_path, script, args):
    srun = tmp_path / 'srun'
    srun.write_text('#!/usr/bin/env bash\nprintf "%s\\n" "$@" > '
                    f'{tmp_path}/srun_args\n')
    srun.chmod(srun.stat().st_mode | stat.S_IEXEC)
    env = dict(os.environ, PATH=f'{tmp_path}:{os.environ["PATH"]}',
               GPUS='16', SRUN_ARGS='--quotatype=auto --time=1')
    subprocess.run(['bash', osp.join(repo, 'tools', script), *args],
                   env=env, check=True)
    return (tmp_path / 'srun_args').read_text().splitlines()


def test_slurm_train_and_test(repo, tmp_path):
    cfg = 'configs/fcsr_gan/fcsr-gan_stage1_1xb16-200k_celeba-32x32.py'
    args = _run(repo, tmp_path, 'slurm_train.sh',
                ['gpu', 'fcsr1', cfg, 'work_dirs/s1', '--amp'])
    assert args[:3] == ['-p', 'gpu', '--job-name=fcsr1']
    assert '--ntasks=16' in args and '--quotatype=auto' in args
    assert args[-5:] == ['tools/train.py', cfg, '--work-dir=work_dirs/s1',
                         '--amp', '--launcher=slurm']
    args = _run(repo, tmp_path, 'slurm_test.sh',
                ['gpu', 'fcsr_test', cfg, 'ckpt.pth', '--out', 'm.json'])
    assert args[-6:] == ['tools/test.py', cfg, 'ckpt.pth', '--out', 'm.json',
                         '--launcher=slurm']
