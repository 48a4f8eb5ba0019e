"""tools/quickstart.sh on a tiny setting (QUICKSTART_* pointed at a
temporary folder): a re-run skips what is done, continues a stopped stage-2
training with --resume, and its gate decides from the metrics: passed
against bicubic, failed when FCSR-GAN's metrics are no better."""
import json
import os
import os.path as osp
import shutil
import subprocess
import sys

import pytest

GATE_KEYS = ('PSNR', 'SSIM', 'HolePSNR', 'HoleSSIM')


def stopped_stage2(trained_fcsr, out):
    """``out/stage2``: the fixture's stage-2 run as a run stopped before
    its end (checkpoints and ``last_checkpoint``, no final checkpoint)."""
    stage2 = osp.join(out, 'stage2')
    shutil.copytree(trained_fcsr['work_dir'], stage2)
    last = osp.join(stage2, f'iter_{trained_fcsr["iters"][1]}.pth')
    with open(osp.join(stage2, 'last_checkpoint'), 'w') as f:
        f.write(last)


def link(src, dst):
    os.makedirs(osp.dirname(dst), exist_ok=True)
    os.symlink(src, dst)


@pytest.fixture
def quickstart(repo, synthetic_root, synthetic_parser_root, trained_parsers,
               trained_fcsr, tmp_path):
    """``quickstart(gate)`` runs the script on a tmp out dir holding the
    steps done before (data, parsers, stage 1) and a stopped stage 2."""
    data, out = tmp_path / 'data', tmp_path / 'out'
    for name in ('aligned', 'helen'):
        link(osp.join(synthetic_root, name), str(data / name))
    link(synthetic_parser_root, str(data / 'parser'))
    for size in (128, 32):  # trained_parsers ran 6 iterations
        link(trained_parsers[size][1], str(out / f'parser{size}' /
                                           'iter_6.pth'))
    n1, n2 = trained_fcsr['iters']
    link(trained_fcsr['stage1'], str(out / 'stage1' / f'iter_{n1}.pth'))
    stopped_stage2(trained_fcsr, str(out))
    env = dict(os.environ, QUICKSTART_PYTHON=sys.executable,
               QUICKSTART_OUT=str(out), QUICKSTART_DATA=str(data),
               QUICKSTART_ITERS=f'6 6 {n1} {n2 + 1}', OMP_NUM_THREADS='2')

    def untouched():  # what the data steps would rewrite
        return [os.stat(path).st_mtime_ns for path in (
            data / 'aligned' / 'meta' / 'test.txt',
            data / 'parser' / 'labels')]

    def run(gate):
        proc = subprocess.run(
            ['bash', osp.join(repo, 'tools', 'quickstart.sh')],
            env=dict(env, QUICKSTART_GATE=gate), cwd=str(tmp_path),
            capture_output=True, text=True, timeout=600)
        return proc.returncode, proc.stdout + proc.stderr
    return run, out, n2 + 1, untouched


def metrics(out, name):
    with open(out / f'metrics_{name}.json') as f:
        return json.load(f)


@pytest.mark.skipif(sys.platform != 'linux', reason='bash script')
def test_rerun_resumes_tests_and_gates(quickstart):
    run, out, final, untouched = quickstart
    data_before = untouched()
    code, log = run('bicubic')
    assert code == 0, log[-3000:]
    # data, parsers and stage 1 were there: not redone
    assert not any(osp.exists(out / f'{d}.log')
                   for d in ('parser128', 'parser32', 'stage1'))
    assert untouched() == data_before
    # the stopped stage 2 continued from its last checkpoint
    stage2_log = (out / 'stage2.log').read_text()
    assert f'resumed epoch: 0, iter: {final - 1}' in stage2_log
    assert osp.isfile(out / 'stage2' / f'iter_{final}.pth')
    fcsr, bicubic = metrics(out, 'fcsr'), metrics(out, 'bicubic')
    assert all(fcsr[k] > bicubic[k] for k in GATE_KEYS), (fcsr, bicubic)
    assert 'beats bicubic of the occluded input on PSNR and SSIM, whole ' \
        'face and hole: yes' in log
    table = (out / 'results.md').read_text()
    assert f'| FCSR-GAN (quickstart) | {fcsr["PSNR"]:.2f} |' in table
    assert osp.getsize(out / 'results_grid.png') > 1000

    # fed FCSR-GAN metrics no better than Telea's: the default gate fails,
    # naming them; the tests are not run again (metrics newer than stage 2)
    test_log = (out / 'test.log').read_text()
    shutil.copy(out / 'metrics_bicubic.json', out / 'metrics_fcsr.json')
    telea = metrics(out, 'telea')
    assert all(bicubic[k] < telea[k] for k in GATE_KEYS), (bicubic, telea)
    code, log = run('telea')
    assert code == 1, log[-3000:]
    assert 'beats Telea + bicubic on PSNR and SSIM, whole face and hole: ' \
        'NO (PSNR, SSIM, HolePSNR, HoleSSIM not better)' in log
    assert 'metrics newer than' in log
    assert (out / 'test.log').read_text() == test_log


def test_bad_settings_are_named(repo, tmp_path):
    env = dict(os.environ, QUICKSTART_PYTHON=sys.executable,
               QUICKSTART_OUT=str(tmp_path / 'out'))
    for key, value, message in [
            ('QUICKSTART_ITERS', '6 6 8', "QUICKSTART_ITERS='6 6 8': give "
             'four iteration counts'),
            ('QUICKSTART_GATE', 'gl', 'QUICKSTART_GATE=gl: use telea or '
             'bicubic')]:
        proc = subprocess.run(
            ['bash', osp.join(repo, 'tools', 'quickstart.sh')],
            env=dict(env, **{key: value}), capture_output=True, text=True,
            timeout=60)
        assert proc.returncode == 2 and message in proc.stdout, proc.stdout
    assert not osp.exists(tmp_path / 'out')
