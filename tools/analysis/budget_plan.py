"""Plan the equal-budget comparison: every pipeline's models get one
stretch of their schedules so that together they train for ``--minutes``
on this machine (``fcsr_mm/benchmark/budget.py`` says how and why).

    python tools/analysis/budget_plan.py \\
        configs/comparison/budget_pipelines_celeba128.yaml --minutes 20 \\
        --out-dir work_dirs/budget_20min
    bash work_dirs/budget_20min/train.sh        # trains what is not trained
    python tools/analysis/benchmark.py work_dirs/budget_20min/rows.yaml ...

With ``--timing-factor 0.2`` each model is timed by a short run of its
own schedule x 0.2 (``<out-dir>/timing``, trained by the ``timing.sh`` the
first call writes) instead of a finished full run; call it again once
those are trained.

Writes ``plan.json`` (per pipeline: the factor, per model its iterations,
``--cfg-options`` and the timing behind them), ``plan.md`` (the same as a
table), ``train.sh`` (one tools/train.py command per model, in order; a
model whose final checkpoint exists is skipped, a stopped one resumes from
its last checkpoint, and each model's training time is kept in its
``wall_time.json``) and ``rows.yaml`` (the benchmark's rows,
pointing at the planned checkpoints). A pipeline with ``budgets: [..]``
is planned only for those minutes; ``--only NAME ...`` plans the named
pipelines alone. Nothing already in ``--out-dir`` is
replaced without ``--overwrite``.
"""
import argparse
import json
import os
import os.path as osp
import shlex
import sys

from mmengine.config import Config
from mmengine.fileio import dump, load

from fcsr_mm.benchmark.budget import plan_pipeline, short_timing_runs
from fcsr_mm.benchmark.rows import chosen_by_name
from fcsr_mm.benchmark.speed_machine import cpu_label

OUTPUTS = ('plan.json', 'plan.md', 'train.sh', 'rows.yaml')


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('pipelines', help='pipelines file (.yaml / .json)')
    p.add_argument('--minutes', type=float, required=True,
                   help='training minutes per pipeline (all its models)')
    p.add_argument('--out-dir', required=True)
    p.add_argument('--timing-factor', type=float,
                   help='time each model by a short run of its schedule '
                   'stretched by this factor (in (0, 1]), under '
                   '<out-dir>/timing, instead of the timing_run folders')
    p.add_argument('--only', nargs='+', metavar='NAME',
                   help='plan only these pipelines of the file, in its '
                   'order (e.g. the joint model, its ablation and the best '
                   'sequence on another machine)')
    p.add_argument('--overwrite', action='store_true')
    return p.parse_args(argv)


def read_pipelines(path: str, minutes: float, only=None) -> list:
    """The file's pipelines planned for ``minutes`` (their ``budgets``),
    only those named by ``only`` when given."""
    if not osp.isfile(path):
        raise SystemExit(f'pipelines file {path!r} not found')
    pipelines = load(path)
    if not isinstance(pipelines, list) or not all(
            isinstance(p, dict) and p.get('name') and p.get('row')
            for p in pipelines):
        raise SystemExit(f'{path}: expected a list of pipelines, each with '
                         'a name and a row')
    try:
        pipelines = chosen_by_name(pipelines, only, 'pipeline')
    except ValueError as err:
        raise SystemExit(f'{path}: {err}')
    return [p for p in pipelines
            if not p.get('budgets') or minutes in p['budgets']]


def _segment_lines(m: dict, python: str, schedule_factor=None) -> list:
    """Train one planned model, resuming a stopped run.

    A stopped run (its ``last_checkpoint`` there, the final one not)
    continues with ``--resume``; the stopped segment's training time counts
    up to its last kept checkpoint (the rest is trained again), so the
    model's ``wall_time.json`` sums the kept segments."""
    opts = ' '.join(shlex.quote(f'{k}={_value(v)}')
                    for k, v in m['options'].items())
    final = shlex.quote(osp.join(m['work_dir'], f'iter_{m["iterations"]}.pth'))
    wd = shlex.quote(m['work_dir'])
    kept, start = f'{wd}/wall_kept_s', f'{wd}/segment_start'
    factor = ('' if schedule_factor is None else
              f', \\"schedule_factor\\": {schedule_factor}')
    return [
        f'if [ ! -f {final} ]; then',
        f'  mkdir -p {wd}; resume=""',
        f'  if [ -f {wd}/last_checkpoint ]; then',
        '    resume="--resume"',
        f'    if [ -f {start} ]; then  # the stopped segment, to its last '
        'checkpoint',
        f'      saved=$(stat -c %Y "$(cat {wd}/last_checkpoint)" '
        f'2>/dev/null || cat {start})',
        f'      seg=$(( saved - $(cat {start}) ))',
        f'      echo $(( $(cat {kept} 2>/dev/null || echo 0) + '
        '(seg > 0 ? seg : 0) )) > ' + kept,
        '    fi',
        '  fi',
        f'  date +%s > {start}',
        f'  {python} tools/train.py {shlex.quote(m["config"])} '
        f'--work-dir {wd} $resume --cfg-options {opts} >> {wd}.log 2>&1',
        f'  echo "{{\\"wall_s\\": $(( $(cat {kept} 2>/dev/null || echo 0) '
        f'+ $(date +%s) - $(cat {start}) )){factor}}}" > {wd}/wall_time.json',
        f'  rm -f {start} {kept}',
        'fi']


def _script_head() -> list:
    return ['#!/usr/bin/env bash',
            '# written by tools/analysis/budget_plan.py: trains each '
            'model once; run it again after a stop to resume',
            'set -euo pipefail', f'cd {shlex.quote(os.getcwd())}',
            '# this checkout, whatever the environment\'s editable install',
            'export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"']


def timing_script(runs: list, factor: float, python: str) -> str:
    """Train the short timing runs; each ``wall_time.json`` states the
    ``schedule_factor`` its seconds are divided by."""
    lines = _script_head()
    for run in runs:
        lines.append(f'# timing {run["name"]}: {run["iterations"]} '
                     f'iterations (its schedule x {factor:g})')
        lines += _segment_lines(run, python, schedule_factor=factor)
    return '\n'.join(lines) + '\n'


def train_script(plans: list, python: str) -> str:
    lines = _script_head()
    for plan in plans:
        for m in plan['models']:
            lines.append(f'# {plan["name"]} / {m["name"]}: {m["iterations"]}'
                         f' iterations (timing run {m["timing_iterations"]} '
                         f'in {m["timing_s"]:.0f} s)')
            lines += _segment_lines(m, python)
    return '\n'.join(lines) + '\n'


def _value(v):
    return json.dumps(v) if isinstance(v, list) else v


def plan_table(plans: list, minutes: float) -> str:
    lines = [f'Budget: {minutes:g} training minutes per pipeline on '
             f'{cpu_label()}, {os.cpu_count()} cores, planned from each '
             "model's timing run.\n",
             '| pipeline | model | factor | iterations | planned min | '
             'timing run (iterations, min) |', '|---|---|---|---|---|---|']
    for plan in plans:
        for m in plan['models']:
            lines.append(
                f'| {plan["name"]} | {m["name"]} | {plan["factor"]:.3f} | '
                f'{m["iterations"]} | {m["planned_s"] / 60:.1f} | '
                f'{m["timing_iterations"]}, {m["timing_s"] / 60:.1f} |')
    return '\n'.join(lines) + '\n'


def _short_timing(pipelines: list, args) -> None:
    """Point the pipelines at short timing runs; stop with the script that
    trains them while any is missing."""
    try:
        runs = short_timing_runs(pipelines, args.timing_factor,
                                 args.out_dir, Config.fromfile)
    except ValueError as err:
        raise SystemExit(str(err))
    if all(osp.isfile(osp.join(r['work_dir'], 'wall_time.json'))
           for r in runs):
        return
    script = osp.join(args.out_dir, 'timing.sh')
    text = timing_script(runs, args.timing_factor, shlex.quote(sys.executable))
    if (osp.exists(script) and not args.overwrite
            and open(script).read() != text):
        raise SystemExit(f'{script} exists with other timing runs; pass '
                         '--overwrite or choose another --out-dir.')
    os.makedirs(args.out_dir, exist_ok=True)
    with open(script, 'w') as f:
        f.write(text)
    raise SystemExit(f'{len(runs)} timing runs to train first: bash {script}'
                     ' (resumable), then run this command again to plan.')


def main(argv=None):
    args = parse_args(argv)
    import fcsr_mm  # noqa: F401  registers the components
    taken = [f for f in OUTPUTS if osp.exists(osp.join(args.out_dir, f))]
    if taken and not args.overwrite:
        raise SystemExit(f'{osp.join(args.out_dir, taken[0])} already '
                         'exists; nothing was planned. Pass --overwrite or '
                         'choose another --out-dir.')
    pipelines = read_pipelines(args.pipelines, args.minutes, args.only)
    if args.timing_factor is not None:
        _short_timing(pipelines, args)
    try:
        plans = [plan_pipeline(p, args.minutes, args.out_dir,
                               Config.fromfile) for p in pipelines]
    except (FileNotFoundError, ValueError) as err:
        raise SystemExit(str(err))
    os.makedirs(args.out_dir, exist_ok=True)
    dump(plans, osp.join(args.out_dir, 'plan.json'), indent=2)
    with open(osp.join(args.out_dir, 'plan.md'), 'w') as f:
        f.write(plan_table(plans, args.minutes))
    with open(osp.join(args.out_dir, 'train.sh'), 'w') as f:
        f.write(train_script(plans, shlex.quote(sys.executable)))
    dump([p['row'] for p in plans], osp.join(args.out_dir, 'rows.yaml'))
    print(plan_table(plans, args.minutes))
    return plans


if __name__ == '__main__':
    main()
