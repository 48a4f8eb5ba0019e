"""The markdown table of a study from the results files that
``tools/analysis/variant_runs.sh`` appends to.

    python tools/analysis/variant_runs_table.py RESULTS.txt [...] \
        [--label NAME="what it is" ...] [--ref GL32] [--kind completion]

One row per run (the last line of a name wins). ``--kind completion``: the
32 px completion study (32x32 PSNR, seam, 128 px PSNR; ``--ref`` adds each
run's 32x32 PSNR difference); ``--kind finetune``: the adversarial-phase
study (PSNR, SSIM, hole PSNR, hole seam, NIQE; ``--ref`` adds the PSNR and
NIQE differences).
"""
import argparse
import json
import re

LINE = re.compile(r'^(\S+) iters=(\d+) train_s=(\d+) test_s=(\d+) (\{.*\})$')


def read_results(paths):
    """``{name: dict(iters, train_s, metrics)}`` from the results files."""
    runs = {}
    for path in paths:
        with open(path) as f:
            for n, line in enumerate(f, 1):
                m = LINE.match(line.strip())
                if not m:
                    raise ValueError(f'{path}:{n}: not a results line of '
                                     f'variant_runs.sh: {line!r}')
                runs[m[1]] = dict(iters=int(m[2]), train_s=int(m[3]),
                                  metrics=json.loads(m[5]))
    return runs


def psnr_32(metrics: dict) -> float:
    """The 32x32 PSNR: FCSR-GAN logs it as lr/PSNR, GL(32)'s output is the
    32 px face itself."""
    return metrics.get('lr/PSNR', metrics['PSNR'])


def _num(value, decimals):
    return '-' if value is None else f'{value:.{decimals}f}'


def completion_cells(m: dict, ref_m: dict = None):
    lr = psnr_32(m)
    cells = [_num(lr, 2)]
    if ref_m is not None:
        cells.append(f'{lr - psnr_32(ref_m):+.2f}')
    hr = m.get('PSNR') if 'lr/PSNR' in m else None
    return cells + [_num(m.get('lr/HoleSeam'), 2), _num(hr, 2)]


def finetune_cells(m: dict, ref_m: dict = None):
    cells = [_num(m.get('PSNR'), 2), _num(m.get('SSIM'), 4),
             _num(m.get('HolePSNR'), 2), _num(m.get('HoleSeam'), 2),
             _num(m.get('NIQE'), 3)]
    if ref_m is not None:
        cells += [f'{m["PSNR"] - ref_m["PSNR"]:+.2f}',
                  f'{m["NIQE"] - ref_m["NIQE"]:+.3f}']
    return cells


KINDS = {
    'completion': (completion_cells,
                   lambda ref: ['32x32 PSNR (dB)'] + (
                       [f'vs {ref} (dB)'] if ref else []) + [
                       '32 px seam', '128 px PSNR (dB)']),
    'finetune': (finetune_cells,
                 lambda ref: ['PSNR (dB)', 'SSIM', 'hole PSNR (dB)',
                              'hole seam', 'NIQE'] + (
                     [f'PSNR vs {ref} (dB)', f'NIQE vs {ref}'] if ref
                     else [])),
}


def table(runs, labels=None, ref=None, kind='completion'):
    labels = labels or {}
    if ref is not None and ref not in runs:
        raise KeyError(f'--ref {ref}: no such run; runs: {sorted(runs)}')
    cells, titles = KINDS[kind]
    head = ['run', 'what', 'iterations', 'train s'] + titles(ref)
    rows = ['| ' + ' | '.join(head) + ' |', '|---' * len(head) + '|']
    ref_m = runs[ref]['metrics'] if ref else None
    for name, run in runs.items():
        row = [name, labels.get(name, ''), str(run['iters']),
               str(run['train_s'])] + cells(run['metrics'], ref_m)
        rows.append('| ' + ' | '.join(row) + ' |')
    return '\n'.join(rows)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('results', nargs='+')
    p.add_argument('--label', action='append', default=[],
                   metavar='NAME=TEXT')
    p.add_argument('--ref', help='run the others are compared with')
    p.add_argument('--kind', choices=sorted(KINDS), default='completion')
    args = p.parse_args(argv)
    labels = dict(kv.split('=', 1) for kv in args.label)
    out = table(read_results(args.results), labels, args.ref, args.kind)
    print(out)
    return out


if __name__ == '__main__':
    main()
