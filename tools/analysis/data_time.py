"""Data loading's share of the training iteration, per phase, from a work dir.

    python tools/analysis/data_time.py work_dirs/fcsr_stage1_celeba128_cpu \\
        --out work_dirs/data_time_stage1.md

Reads the runs' ``vis_data/scalars.json`` (mmengine's json lines: ``iter``,
``time``, ``data_time`` and the ``phase`` index FCSRGAN logs) and prints,
per phase, the median share ``data_time / time`` and iterations/s as a
markdown table.

mmengine logs ``time`` and ``data_time`` as running means over the
``log_processor.window_size`` last iterations (100 in our runtime), so a
logged value mixes phases near a phase's start. Where the lines are every
``k`` iterations from the start and the window is a multiple of ``k``, the
tool recovers the exact totals of each logged interval from the running
means (and says so); otherwise it uses the means as logged (and says that).
Phase names come from the run's dumped config.
"""
import argparse
import glob
import json
import os
import os.path as osp
from collections import Counter
from statistics import median

from mmengine.config import Config

#: mmengine's LogProcessor default window
DEFAULT_WINDOW = 10
#: issue 18: a share above this is to be fixed
LIMIT = 0.10


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('path', help='a training work dir, one run of it '
                   '(TIMESTAMP/) or a scalars .json file')
    p.add_argument('--window', type=int, default=None,
                   help="log_processor.window_size (default: the run's "
                   f'dumped config, else mmengine\'s {DEFAULT_WINDOW})')
    p.add_argument('--out', help='also write the table to this .md file')
    return p.parse_args(argv)


def run_logs(path):
    """The scalars files of ``path`` in run order (timestamp dirs sort in
    time order)."""
    if osp.isfile(path):
        return [path]
    found = sorted(glob.glob(osp.join(path, '*', 'vis_data',
                                      'scalars.json')))
    found += [osp.join(path, 'vis_data', 'scalars.json')] if osp.isfile(
        osp.join(path, 'vis_data', 'scalars.json')) else []
    if not found:  # the logger's own json lines, where no LocalVisBackend
        found = sorted(f for f in glob.glob(
            osp.join(path, '*', 'vis_data', '*.json'))
            if osp.basename(f)[:8].isdigit())
    if not found:
        raise SystemExit(f'{path}: no */vis_data/scalars.json (mmengine '
                         'work dir) and no such .json file; give the work '
                         'dir of a training run')
    return found


def train_lines(file):
    """{iter: line} of the training lines of a json-lines log."""
    out = {}
    with open(file) as f:
        for n, text in enumerate(f, 1):
            if not text.strip():
                continue
            try:
                line = json.loads(text)
            except json.JSONDecodeError as err:
                raise SystemExit(f'{file}:{n}: not a json line ({err})')
            if {'iter', 'time', 'data_time'} <= set(line):
                out[int(line['iter'])] = line
    return out


def merged_lines(files):
    """Lines by iteration of the last run that started from scratch and the
    runs that resumed it (a later run wins where they overlap)."""
    runs = [(f, train_lines(f)) for f in files]
    runs = [(f, r) for f, r in runs if r]
    if not runs:
        raise SystemExit(f'{files[0]}: no training lines with iter, time and'
                         ' data_time')
    first = min(min(r) for _, r in runs)
    start = max(i for i, (_, r) in enumerate(runs) if min(r) == first)
    lines = {}
    for _, r in runs[start:]:
        lines.update(r)
    return lines, [f for f, _ in runs[start:]]


def config_of(log_file):
    """The dumped config next to a run's log (``vis_data/config.py``)."""
    path = osp.join(osp.dirname(log_file), 'config.py')
    if not osp.isfile(path):
        return None
    return Config.fromfile(path, import_custom_modules=False)


def phase_begins(cfg):
    """(begin, name) of the config's phases in begin order (FCSRGAN logs
    the position in this order as ``phase``); empty if unknown."""
    phases = (cfg.get('model', {}).get('train_cfg') or {}).get('phases') \
        if cfg else None
    if isinstance(phases, dict):
        return sorted((v['begin'], k) for k, v in phases.items() if v)
    return []


def split_by_phase_start(blocks, begins):
    """Names of the phases whose intervals include iterations of the phase
    before (a phase start inside a logged interval)."""
    names = {}
    for b in blocks:  # the interval covers 0-based end - iters .. end - 1
        for begin, name in begins:
            if b['end'] - b['iters'] < begin <= b['end'] - 1:
                names[name] = True
    return list(names)


def interval_blocks(lines, window):
    """Per logged interval: ``iters``, total ``time`` and ``data_time`` and
    the ``phase`` of its last iteration, and how they were obtained."""
    iters = sorted(lines)
    steps = Counter(b - a for a, b in zip(iters, iters[1:]))
    k = steps.most_common(1)[0][0] if steps else iters[0]
    # extra lines (e.g. at an 'epoch' end) are off the interval grid
    grid = [i for i in iters if i % k == 0]
    regular = grid == list(range(k, k * len(grid) + 1, k))
    if regular and window <= k:
        how = (f'every {k} iterations, each the mean of its last {window}'
               ' (the window ends inside its interval)')
        blocks = [(i, k, lines[i]['time'] * k, lines[i]['data_time'] * k)
                  for i in grid]
    elif regular and window % k == 0:
        how = (f'every {k} iterations; exact interval totals recovered from'
               f" mmengine's running means over {window} iterations")
        blocks = _recover(grid, lines, window, k)
    else:
        blocks = None
    if blocks is None or any(t <= 0 or d < 0 for _, _, t, d in blocks):
        how = (f'running means over {window} iterations as logged (lines '
               'not every k iterations from the start, or the window not a'
               ' multiple of k): a phase shorter than the window mixes with'
               ' the phase before it')
        blocks = [(i, 1, lines[i]['time'], lines[i]['data_time'])
                  for i in iters]
    return [dict(end=i, iters=n, time=t, data_time=d,
                 phase=int(lines[i].get('phase', 0))) for i, n, t, d in blocks
            ], how


def _recover(grid, lines, window, k):
    """Interval totals B_j from running means m_j over ``window``: S_j =
    m_j * min(j k, window) is the sum of the last window/k intervals, so
    B_j = S_j - S_{j-1} + B_{j-window/k}."""
    n, blocks = window // k, []
    prev = dict(time=0.0, data_time=0.0)
    for j, it in enumerate(grid, 1):
        block = {}
        for key in ('time', 'data_time'):
            total = lines[it][key] * min(j * k, window)
            old = blocks[j - 1 - n][key] if j > n else 0.0
            block[key] = total - prev[key] + old
            prev[key] = total
        blocks.append(block)
    return [(it, k, b['time'], b['data_time']) for it, b in zip(grid, blocks)]


def summarise(blocks, names):
    """One row per phase, in phase order."""
    rows = []
    for index in sorted({b['phase'] for b in blocks}):
        own = [b for b in blocks if b['phase'] == index]
        total = sum(b['time'] for b in own)
        iters = sum(b['iters'] for b in own)
        rows.append(dict(
            phase=names[index] if index < len(names) else str(index),
            index=index, iterations=iters,
            median_share=median(b['data_time'] / b['time'] for b in own),
            share=sum(b['data_time'] for b in own) / total,
            it_s=iters / total))
    return rows


def make_table(rows, meta):
    lines = [f"`{meta['path']}` ({meta['runs']} run(s)); lines "
             f"{meta['how']}.", '',
             '| phase | iterations | median data_time / time | '
             'data_time / time (all) | it / s |', '|---|---|---|---|---|']
    lines += [f"| {r['phase']} | {r['iterations']} | "
              f"{100 * r['median_share']:.1f} % | {100 * r['share']:.1f} % | "
              f"{r['it_s']:.2f} |" for r in rows]
    over = [r['phase'] for r in rows if r['median_share'] > LIMIT]
    lines += ['', f'Over {LIMIT:.0%} (issue 18): '
              + (', '.join(over) if over else 'none') + '.']
    if meta['missing']:
        lines += ['', 'No logged interval ends in: '
                  f"{', '.join(meta['missing'])} (log more often: "
                  'default_hooks.logger.interval).']
    if meta['split']:
        lines += ['', f"Intervals that began in the phase before count for "
                  f"the phase they end in: {', '.join(meta['split'])} (log "
                  "at a divisor of the phases' begins for clean rows)."]
    return '\n'.join(lines) + '\n'


def main(argv=None):
    args = parse_args(argv)
    if not osp.exists(args.path):
        raise SystemExit(f'{args.path!r} not found')
    lines, files = merged_lines(run_logs(args.path))
    cfg = config_of(files[-1])
    window = args.window or (cfg.get('log_processor', {}).get(
        'window_size') if cfg else None) or DEFAULT_WINDOW
    if not isinstance(window, int) or window < 1:
        raise SystemExit(f'window {window!r}: give --window N (the run\'s '
                         'log_processor.window_size, an integer)')
    blocks, how = interval_blocks(lines, window)
    begins = phase_begins(cfg)
    rows = summarise(blocks, [name for _, name in begins])
    seen = {r['phase'] for r in rows}
    table = make_table(rows, dict(
        path=args.path, runs=len(files), how=how,
        missing=[n for _, n in begins if n not in seen],
        split=split_by_phase_start(blocks, begins)))
    print(table)
    if args.out:
        os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
        with open(args.out, 'w') as f:
            f.write(table)
    return rows


if __name__ == '__main__':
    main()
