"""Equal budgets (issue 20): schedules stretch by one factor per pipeline,
the plan names fixed iterations, its training script trains a tiny run to
exactly them, and the pipelines file of the comparison reads."""
import json
import os.path as osp
import subprocess

import pytest
from mmengine.config import Config
from mmengine.fileio import load

from fcsr_mm.benchmark.budget import (pipeline_factor, schedule_options,
                                      short_timing_runs, timing_seconds)


def config(repo, name):
    return Config.fromfile(osp.join(repo, 'configs', name))


def test_fcsr_and_gl_schedules_stretch_every_iteration_count(repo):
    fcsr = schedule_options(config(repo, 'fcsr_stage1_celeba128_cpu.py'),
                            0.5)
    assert fcsr == {
        'train_cfg.max_iters': 3100, 'train_cfg.val_interval': 600,
        'default_hooks.checkpoint.interval': 600,
        'model.train_cfg.phases.l1.begin': 0,
        'model.train_cfg.phases.local_adv.begin': 3000,
        'model.train_cfg.phases.all.begin': 3050,
        'param_scheduler.generator.milestones': [2400]}
    stage2 = schedule_options(config(repo, 'fcsr_stage2_celeba128_cpu.py'),
                              2)
    assert stage2['param_scheduler.generator.0.milestones'] == [3000]
    assert stage2['param_scheduler.generator.1.milestones'] == [4200]
    assert stage2['model.train_cfg.phases.all.begin'] == 4200
    gl = schedule_options(config(repo, 'peers/gl_1xb16-cpu_celeba128-32x32.py'),
                          1.5)
    assert (gl['train_cfg.max_iters'], gl['model.train_cfg.iter_tc'],
            gl['model.train_cfg.iter_td']) == (1200, 1050, 1110)


def test_schedules_that_cannot_stretch_are_refused(repo):
    cfg = config(repo, 'fcsr_stage1_celeba128_cpu.py')
    with pytest.raises(ValueError, match='phases .* collide'):
        schedule_options(cfg, 1e-4)
    cfg.param_scheduler = dict(type='MultiStepLR', milestones=[3])
    with pytest.raises(ValueError, match='by-epoch scheduler'):
        schedule_options(cfg, 2)
    with pytest.raises(ValueError, match='positive'):
        pipeline_factor([0.0], 20)
    assert pipeline_factor([300.0, 900.0], 40) == pytest.approx(2.0)


def test_the_comparison_pipelines_files_read(tool, repo):
    mod = tool('analysis/budget_plan.py')
    path = osp.join(repo, 'configs/comparison/budget_pipelines_celeba128.yaml')
    twenty = mod.read_pipelines(path, 20)
    eighty = mod.read_pipelines(path, 80)
    assert len(twenty) == 8 and len(eighty) == 5
    mix = mod.read_pipelines(path.replace('.yaml', '_mix.yaml'), 20)
    assert len(mix) == 4
    for p in twenty + mix:
        assert osp.isfile(osp.join(repo, p['row']['config'])), p['name']
        for m in p.get('models', []):
            assert osp.isfile(osp.join(repo, m['config'])), m['name']


def test_only_the_named_pipelines_are_planned(tool, repo):
    """--only keeps the named pipelines in the file's order, still only
    those planned for the budget; an unknown name lists the file's."""
    mod = tool('analysis/budget_plan.py')
    path = osp.join(repo, 'configs/comparison/budget_pipelines_celeba128.yaml')
    names = ['GL(32) -> MSRResNet', 'FCSR-GAN without joint fine-tuning',
             'FCSR-GAN (joint)']
    assert [p['name'] for p in mod.read_pipelines(path, 20, names)] == \
        names[::-1]
    assert [p['name'] for p in mod.read_pipelines(path, 80, names)] == \
        ['FCSR-GAN (joint)', 'GL(32) -> MSRResNet']
    with pytest.raises(SystemExit, match=r"no pipeline named \['GL'\].*"
                       r"'FCSR-GAN \(joint\)'"):
        mod.read_pipelines(path, 20, ['GL'])


def test_a_planned_tiny_run_trains_to_its_iterations(
        tool, repo, synthetic_parser_root, data_opts, tmp_path, monkeypatch):
    """Plan a one-model pipeline from a timing run of 60 s: a budget of
    0.02 min stretches the synthetic parser's 300 iterations (and its
    learning-rate decay) to 6, and the written train.sh trains exactly the
    planned iterations, once."""
    cfg_name = 'configs/parser/segnet_s3c16_1xb16-300_synthetic-32x32.py'
    timing = tmp_path / 'timing'
    timing.mkdir()
    (timing / 'wall_time.json').write_text(json.dumps({'wall_s': 60.0}))
    fixed = dict(data_opts(synthetic_parser_root),
                 **{'visualizer.name': f'vis_budget_{tmp_path.name}'})
    pipelines = tmp_path / 'pipelines.json'
    pipelines.write_text(json.dumps([
        dict(name='tiny parser', row=dict(config=cfg_name),
             models=[dict(name='parser', config=cfg_name,
                          timing_run=str(timing), cfg_options=fixed,
                          into='checkpoint')]),
        dict(name='bicubic', budgets=[80],
             row=dict(config='configs/baselines/bicubic_synthetic.py'))]))
    monkeypatch.chdir(repo)
    out = tmp_path / 'plan'
    plans = tool('analysis/budget_plan.py').main(
        [str(pipelines), '--minutes', '0.02', '--out-dir', str(out)])
    assert [p['name'] for p in plans] == ['tiny parser']  # bicubic: 80 only
    (model, ) = plans[0]['models']
    assert plans[0]['factor'] == pytest.approx(0.02)
    assert model['iterations'] == 6
    assert model['options']['param_scheduler.0.end'] == 6
    rows = load(str(out / 'rows.yaml'))
    assert rows[0]['checkpoint'] == osp.join(model['work_dir'], 'iter_6.pth')
    assert rows[0]['train_runs'] == [model['work_dir']]
    assert '| tiny parser | parser |' in (out / 'plan.md').read_text()
    subprocess.run(['bash', str(out / 'train.sh')], check=True)
    assert osp.isfile(osp.join(model['work_dir'], 'iter_6.pth'))
    assert not osp.isfile(osp.join(model['work_dir'], 'iter_7.pth'))
    wall = json.load(open(osp.join(model['work_dir'], 'wall_time.json')))
    # trained once: a second run of the script skips it
    subprocess.run(['bash', str(out / 'train.sh')], check=True)
    assert json.load(open(osp.join(model['work_dir'],
                                   'wall_time.json'))) == wall
    with pytest.raises(SystemExit, match='plan.json already exists'):
        tool('analysis/budget_plan.py').main(
            [str(pipelines), '--minutes', '0.02', '--out-dir', str(out)])


def test_a_plan_from_short_timing_runs(tool, repo, synthetic_parser_root,
                                       data_opts, tmp_path, monkeypatch):
    """--timing-factor: the first call writes timing.sh and stops; once
    it has trained the 3-iteration timing run (the parser's 300 x 0.01),
    the second call plans from it."""
    cfg_name = 'configs/parser/segnet_s3c16_1xb16-300_synthetic-32x32.py'
    fixed = dict(data_opts(synthetic_parser_root),
                 **{'visualizer.name': f'vis_timing_{tmp_path.name}'})
    pipelines = tmp_path / 'pipelines.json'
    pipelines.write_text(json.dumps([dict(
        name='tiny parser', row=dict(config=cfg_name),
        models=[dict(name='parser', config=cfg_name, cfg_options=fixed,
                     timing_run='never/used', into='checkpoint')])]))
    monkeypatch.chdir(repo)
    out = tmp_path / 'plan'
    args = [str(pipelines), '--minutes', '1', '--out-dir', str(out),
            '--timing-factor', '0.01']
    budget_plan = tool('analysis/budget_plan.py')
    with pytest.raises(SystemExit, match='1 timing runs to train first'):
        budget_plan.main(args)
    assert not (out / 'plan.json').exists()
    subprocess.run(['bash', str(out / 'timing.sh')], check=True)
    timing = out / 'timing' / 'segnet_s3c16_1xb16-300_synthetic-32x32'
    assert (timing / 'iter_3.pth').is_file()
    wall = json.loads((timing / 'wall_time.json').read_text())
    assert wall['schedule_factor'] == 0.01
    (plan, ) = budget_plan.main(args)
    (model, ) = plan['models']
    assert model['timing_run'] == str(timing)
    assert model['timing_s'] == pytest.approx(wall['wall_s'] / 0.01)
    assert model['iterations'] == round(300 * plan['factor'])


def test_short_timing_runs_time_each_model_once(repo, tmp_path):
    """Every model of the comparison gets one short timing run (a model
    shared by pipelines is timed once), stretched by the factor, and its
    seconds count for the full schedule."""
    pipelines = load(osp.join(
        repo, 'configs/comparison/budget_pipelines_celeba128.yaml'))
    runs = short_timing_runs(pipelines, 0.2, str(tmp_path),
                             lambda p: Config.fromfile(osp.join(repo, p)))
    assert len(runs) == 8
    by_config = {r['config']: r for r in runs}
    sr = by_config['configs/peers/msrresnet_x4c64b16_1xb16-cpu_celeba128.py']
    users = [m for p in pipelines for m in p.get('models', [])
             if m['config'] == sr['config']]
    assert len(users) == 3
    assert {m['timing_run'] for m in users} == {sr['work_dir']}
    stage2 = by_config['configs/comparison/fcsr_stage2_cpu-short_celeba128.py']
    assert stage2['iterations'] == 64 and stage2['options']['load_from'] is None
    assert stage2['options']['model.train_cfg.phases.all.begin'] == 60
    # the ablation: stage 1 timed with the joint model's, its stage 2
    # without the joint fine-tuning phase
    frozen = by_config[
        'configs/comparison/fcsr_stage2_cpu-short_celeba128_no-joint.py']
    assert frozen['iterations'] == 64 and not any(
        'phases.all' in k for k in frozen['options'])
    stage1 = [m for p in pipelines for m in p.get('models', [])
              if m['name'] == 'stage1']
    assert len(stage1) == 2 and len({m['timing_run'] for m in stage1}) == 1
    run = tmp_path / 'run'
    run.mkdir()
    (run / 'wall_time.json').write_text(
        json.dumps({'wall_s': 30, 'schedule_factor': 0.2}))
    assert timing_seconds(str(run)) == pytest.approx(150)
    with pytest.raises(ValueError, match=r'in \(0, 1\]'):
        short_timing_runs(pipelines, 2, str(tmp_path), Config.fromfile)


FAKE_TRAINER = r'''#!/usr/bin/env bash
# stands in for "python tools/train.py CFG --work-dir WD [--resume] ...":
# without --resume it saves iteration 3 five seconds into the segment and
# dies (a stopped session); with it, it finishes
wd=$4
if [ "$5" != "--resume" ]; then
  echo fresh >> "$wd/calls"; touch "$wd/iter_3.pth"
  touch -d @$(( $(cat "$wd/segment_start") + 5 )) "$wd/iter_3.pth"
  echo "$PWD/$wd/iter_3.pth" > "$wd/last_checkpoint"; exit 1
fi
echo resumed >> "$wd/calls"; touch "$wd/iter_6.pth"
'''


def test_a_stopped_run_resumes_and_keeps_its_training_time(tool, tmp_path,
                                                           monkeypatch):
    """train.sh after a stop: the model continues with --resume from its
    last checkpoint, and its wall time adds the stopped segment up to that
    checkpoint."""
    budget_plan = tool('analysis/budget_plan.py')
    fake = tmp_path / 'fake_python'
    fake.write_text(FAKE_TRAINER)
    fake.chmod(0o755)
    monkeypatch.chdir(tmp_path)
    plan = dict(name='p', models=[dict(
        name='m', config='c.py', work_dir='runs/p/m', iterations=6,
        timing_iterations=300, timing_s=60.0,
        options={'train_cfg.max_iters': 6})])
    script = tmp_path / 'train.sh'
    script.write_text(budget_plan.train_script([plan], str(fake)))
    first = subprocess.run(['bash', str(script)])
    assert first.returncode != 0            # stopped: nothing claims done
    wd = tmp_path / 'runs' / 'p' / 'm'
    assert not (wd / 'wall_time.json').exists()
    subprocess.run(['bash', str(script)], check=True)
    assert (wd / 'calls').read_text().split() == ['fresh', 'resumed']
    wall = json.load(open(wd / 'wall_time.json'))['wall_s']
    assert 5 <= wall <= 30                   # the kept 5 s + this segment
    assert not (wd / 'segment_start').exists()
    subprocess.run(['bash', str(script)], check=True)  # done: skipped
    assert (wd / 'calls').read_text().split() == ['fresh', 'resumed']
