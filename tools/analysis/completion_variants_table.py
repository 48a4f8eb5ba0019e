"""The markdown table of the 32 px completion study from the results files
that ``tools/analysis/completion_variants.sh`` appends to.

    python tools/analysis/completion_variants_table.py RESULTS.txt [...] \
        [--label NAME="what it is" ...] [--ref GL32]

One row per run (the last line of a name wins); ``--ref`` adds each run's
difference to that run's 32x32 PSNR.
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
                                     f'completion_variants.sh: {line!r}')
                runs[m[1]] = dict(iters=int(m[2]), train_s=int(m[3]),
                                  metrics=json.loads(m[5]))
    return runs


def psnr_32(metrics: dict) -> float:
    """The 32x32 PSNR: FCSR-GAN logs it as lr/PSNR, GL(32)'s output is the
    32 px face itself."""
    return metrics.get('lr/PSNR', metrics['PSNR'])


def table(runs, labels=None, ref=None):
    labels = labels or {}
    if ref is not None and ref not in runs:
        raise KeyError(f'--ref {ref}: no such run; runs: {sorted(runs)}')
    rows = ['| run | what | iterations | train s | 32x32 PSNR (dB) | '
            f'{"vs " + ref + " (dB) | " if ref else ""}32 px seam | '
            '128 px PSNR (dB) |', '|---' * (7 + bool(ref)) + '|']
    for name, run in runs.items():
        m = run['metrics']
        lr = psnr_32(m)
        diff = f'{lr - psnr_32(runs[ref]["metrics"]):+.2f} | ' if ref else ''
        seam = m.get('lr/HoleSeam')
        hr = m.get('PSNR') if 'lr/PSNR' in m else None
        rows.append(
            f'| {name} | {labels.get(name, "")} | {run["iters"]} | '
            f'{run["train_s"]} | {lr:.2f} | {diff}'
            f'{"-" if seam is None else f"{seam:.2f}"} | '
            f'{"-" if hr is None else f"{hr:.2f}"} |')
    return '\n'.join(rows)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('results', nargs='+')
    p.add_argument('--label', action='append', default=[],
                   metavar='NAME=TEXT')
    p.add_argument('--ref', help='run whose 32x32 PSNR the others are '
                   'compared with')
    args = p.parse_args(argv)
    labels = dict(kv.split('=', 1) for kv in args.label)
    out = table(read_results(args.results), labels, args.ref)
    print(out)
    return out


if __name__ == '__main__':
    main()
