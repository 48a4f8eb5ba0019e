"""Markdown table of test metrics from tools/test.py --out JSON files.

    python tools/analysis/results_table.py "FCSR-GAN=work_dirs/a.json" \
        "bicubic=work_dirs/b.json" --out results.md
"""
import argparse
import json
import os
import os.path as osp

COLUMNS = [('PSNR', 'PSNR (dB)', 2), ('SSIM', 'SSIM', 4),
           ('HolePSNR', 'hole PSNR (dB)', 2), ('HoleSSIM', 'hole SSIM', 4),
           ('lr/PSNR', '32x32 PSNR (dB)', 2),
           # the colour step across the hole border beyond the ground
           # truth's (grey levels), and mmagic's no-reference NIQE
           ('HoleSeam', 'hole seam', 2), ('NIQE', 'NIQE', 3)]


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('rows', nargs='+', help='NAME=metrics.json')
    p.add_argument('--out', help='also write the table to this file')
    return p.parse_args(argv)


def make_table(rows) -> str:
    lines = ['| method | ' + ' | '.join(c[1] for c in COLUMNS) + ' |',
             '|---' * (len(COLUMNS) + 1) + '|']
    for name, metrics in rows:
        cells = [f'{metrics[k]:.{d}f}' if k in metrics else '-'
                 for k, _, d in COLUMNS]
        lines.append(f'| {name} | ' + ' | '.join(cells) + ' |')
    return '\n'.join(lines) + '\n'


def main(argv=None):
    args = parse_args(argv)
    rows = []
    for spec in args.rows:
        name, sep, path = spec.partition('=')
        if not sep or not osp.isfile(path):
            raise SystemExit(f'row {spec!r}: expected NAME=FILE with an '
                             'existing metrics JSON (tools/test.py --out)')
        with open(path) as f:
            rows.append((name, json.load(f)))
    table = make_table(rows)
    print(table)
    if args.out:
        os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
        with open(args.out, 'w') as f:
            f.write(table)
    return table


if __name__ == '__main__':
    main()
