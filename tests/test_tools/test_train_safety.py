"""tools/train.py and tools/test.py lose no checkpoint and say in one line
what is wrong: a used work dir, a NaN (and advice that works when
followed), another config's checkpoint under --resume, paths relative to
the repository, data not converted yet."""
import glob
import itertools
import json
import math
import os
import os.path as osp
import re
import time

import pytest
import torch

PARSER_CFG = 'configs/parser/segnet_s3c16_1xb16-300_synthetic-32x32.py'
STAGE1 = 'fcsr_stage1_synthetic.py'
# a warm-up into a rate far too high: 5e-4 for the first update, then 10,
# whose update leaves weights that overflow at the next iteration
WARMUP_TO_10 = {
    'optim_wrapper.generator.optimizer.lr': 10,
    'param_scheduler.generator._delete_': True,
    'param_scheduler.generator.type': 'LinearLR',
    'param_scheduler.generator.start_factor': 5e-5,
    'param_scheduler.generator.by_epoch': False,
    'param_scheduler.generator.begin': 0,
    'param_scheduler.generator.end': 2,
    'default_hooks.checkpoint.max_keep_ckpts': -1,
}


RUNS = itertools.count()


def parser_options(data_opts, root, **extra):
    """One iteration of the tiny parser, no validation. Each run gets its
    own experiment name: mmengine names a run's logger after the config
    and the second it started, so two runs of one config within a second
    in one process would share the first run's log file."""
    opts = dict(data_opts(root), **{
        'train_cfg.max_iters': 1, 'train_dataloader.batch_size': 2,
        'default_hooks.checkpoint.interval': 1, 'val_dataloader': None,
        'val_cfg': None, 'val_evaluator': None,
        'experiment_name': f'train_safety_{next(RUNS)}'}, **extra)
    return ['--cfg-options'] + [f'{k}={v}' for k, v in opts.items()]


def test_a_used_work_dir_is_trained_in_again_only_when_asked(
        tool, repo, data_opts, synthetic_parser_root, tmp_path):
    """Without --resume a used work dir is refused, naming its newest
    checkpoint and the choices; --overwrite-checkpoints starts over there
    and removes the temporary files of writes killed in an earlier run;
    load_from (weights from another dir) is no resume and trains."""
    train = tool('train.py')
    cfg = osp.join(repo, PARSER_CFG)
    work = tmp_path / 'used'
    work.mkdir()
    torch.save({'meta': {'iter': 10}}, work / 'iter_10.pth')
    (work / 'last_checkpoint').write_text(str(work / 'iter_10.pth'))
    old = (work / 'iter_10.pth').read_bytes()
    stale = work / 'iter_12.pth.k3j_x9ab.partial'  # a killed write
    others = [work / 'iter_12.pth.partial', work / 'notes.k3j_x9ab.partial']
    for path in [stale] + others:
        path.write_bytes(b'\0' * 100)
        hours_ago = time.time() - 7200
        os.utime(path, (hours_ago, hours_ago))
    writing = work / 'iter_14.pth.q1w2e3r4.partial'  # a write going on
    writing.write_bytes(b'\0' * 100)
    opts = parser_options(data_opts, synthetic_parser_root)
    with pytest.raises(SystemExit) as err:
        train.main([cfg, '--work-dir', str(work)] + opts)
    msg = str(err.value)
    assert '\n' not in msg and str(work / 'iter_10.pth') in msg
    assert all(c in msg for c in ('--resume', '--work-dir',
                                  '--overwrite-checkpoints'))
    assert stale.exists() and not (work / 'iter_1.pth').exists()

    train.main([cfg, '--work-dir', str(work), '--overwrite-checkpoints']
               + opts)
    assert (work / 'iter_1.pth').is_file()
    assert (work / 'iter_10.pth').read_bytes() == old
    assert not stale.exists()
    assert writing.exists() and all(p.exists() for p in others)
    log = ''.join(open(f).read()
                  for f in glob.glob(str(work / '*' / '*.log')))
    assert re.search(r'removed 1 temporary file.*iter_12\.pth\.k3j_x9ab',
                     log)

    fresh = tmp_path / 'fresh'
    train.main([cfg, '--work-dir', str(fresh)] + parser_options(
        data_opts, synthetic_parser_root, load_from=work / 'iter_1.pth'))
    assert (fresh / 'iter_1.pth').is_file()


@pytest.fixture(scope='module')
def diverged(tool, repo, trained_parsers, synthetic_root, fcsr_options,
             tmp_path_factory):
    """A stage-1 run stopped by a NaN loss: (work dir, message)."""
    work = str(tmp_path_factory.mktemp('diverged'))
    with pytest.raises(SystemExit) as err:
        tool('train.py').main(
            [osp.join(repo, 'configs', STAGE1), '--work-dir', work] +
            fcsr_options(STAGE1, trained_parsers, f'{synthetic_root}/aligned',
                         6, WARMUP_TO_10.items()))
    return work, str(err.value)


def logged(run_dir):
    with open(osp.join(run_dir, 'vis_data', 'scalars.json')) as f:
        return [json.loads(line) for line in f]


def test_the_nonfinite_advice_followed_trains_on(
        diverged, tool, repo, trained_parsers, synthetic_root, fcsr_options):
    """The stop names an earlier checkpoint than the newest and the
    --cfg-options key of the learning rate; resuming from it with a lower
    rate trains on, at that rate (mmengine alone would restore the
    checkpoint's rate, 10, and diverge again)."""
    work, msg = diverged
    assert '\n' not in msg
    nan_at = int(re.search(r'is nan at iteration (\d+)', msg).group(1))
    resume = re.search(r'--resume (\S+)', msg).group(1)
    key = re.search(r'--cfg-options (\S+)=', msg).group(1)
    assert key == 'optim_wrapper.generator.optimizer.lr'
    start = int(re.fullmatch(r'iter_(\d+)\.pth', osp.basename(resume))[1])
    assert start < nan_at - 1  # not the newest, which may be exploded
    assert osp.dirname(resume) == work
    before = set(os.listdir(work))
    end = start + 2
    # mmengine names a run's log folder by the second it starts: on a fast
    # machine the resume could start in the diverged run's second and share
    # its folder
    time.sleep(1.1)
    tool('train.py').main(
        [osp.join(repo, 'configs', STAGE1), '--work-dir', work, '--resume',
         resume] + fcsr_options(STAGE1, trained_parsers,
                                f'{synthetic_root}/aligned', end,
                                dict(WARMUP_TO_10, **{key: 1e-4}).items()))
    (run,) = [d for d in set(os.listdir(work)) - before
              if osp.isdir(osp.join(work, d))]
    records = [r for r in logged(osp.join(work, run)) if 'loss' in r]
    assert [r['iter'] for r in records] == list(range(start + 1, end + 1))
    assert all(math.isfinite(r['loss']) for r in records)
    assert all(r['generator.lr'] <= 1e-4 for r in records)
    group = torch.load(osp.join(work, f'iter_{end}.pth'), map_location='cpu',
                       weights_only=False)['optimizer']['generator'][
                           'param_groups'][0]
    assert group['lr'] == pytest.approx(1e-4)
    assert group['initial_lr'] == pytest.approx(1e-4)
    text = open(glob.glob(osp.join(work, run, '*.log'))[0]).read()
    assert 'schedule rebased' in text


def test_resuming_another_configs_checkpoint_is_one_line(
        diverged, tool, repo, trained_parsers, synthetic_root, fcsr_options,
        tmp_path):
    """A stage-1 checkpoint under --resume with the stage-2 config: the
    file, the config it was trained with, and load_from instead."""
    ckpt = osp.join(diverged[0], 'iter_1.pth')
    stage2 = 'fcsr_stage2_synthetic.py'
    with pytest.raises(SystemExit) as err:
        tool('train.py').main(
            [osp.join(repo, 'configs', stage2), '--work-dir', str(tmp_path),
             '--resume', ckpt] + fcsr_options(
                 stage2, trained_parsers, f'{synthetic_root}/aligned', 2))
    msg = str(err.value)
    assert '\n' not in msg
    assert re.match(rf'{re.escape(ckpt)}: cannot be resumed under .*'
                    rf'{stage2}: it was trained with another config '
                    r'\(fcsr_stage1_synthetic;', msg), msg
    assert f'--cfg-options load_from={ckpt}' in msg


def test_tools_run_from_another_directory_say_where_to_run(
        tool, repo, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runs = [(tool('train.py'), [osp.join(repo, 'configs', STAGE1)]),
            (tool('test.py'),
             [osp.join(repo, 'configs/baselines/bicubic_synthetic.py')])]
    for module, args in runs:
        with pytest.raises(SystemExit) as err:
            module.main(args + ['--work-dir', str(tmp_path / 'w')])
        msg = str(err.value)
        assert '\n' not in msg
        assert re.search(r"='(data|configs)/[^']+' not found from the current"
                         rf' directory {re.escape(str(tmp_path))}.* run from '
                         rf'{re.escape(repo)}', msg), msg


def test_unconverted_data_names_the_converter(tool, repo, tmp_path,
                                              monkeypatch):
    """The CelebA configs before the data is converted: the command that
    makes it, before any model (or parser) is loaded."""
    monkeypatch.chdir(repo)
    root = str(tmp_path / 'celeba128')
    opts = ['--cfg-options'] + [f'{loader}.dataset.data_root={root}'
                                for loader in ('train_dataloader',
                                               'val_dataloader',
                                               'test_dataloader')]
    runs = [(tool('train.py'), 'configs/fcsr_stage1_celeba128_cpu.py'),
            (tool('test.py'), 'configs/baselines/bicubic_celeba.py')]
    for module, cfg in runs:
        with pytest.raises(SystemExit) as err:
            module.main([cfg, '--work-dir', str(tmp_path / 'w')] + opts)
        msg = str(err.value)
        assert '\n' not in msg
        assert msg.startswith(f'{root} not found'), msg
        assert (f'python tools/dataset_converters/celeba.py CELEBA_ROOT '
                f'--out {root}') in msg
