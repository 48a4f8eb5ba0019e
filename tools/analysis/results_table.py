"""Markdown table of test metrics from tools/test.py --out JSON files.

    python tools/analysis/results_table.py "FCSR-GAN=work_dirs/a.json" \
        "bicubic=work_dirs/b.json" --out results.md
    python tools/analysis/results_table.py ... --doc README.md --section results

``--doc`` puts the table (with the command that made it) between the named
section's markers of a markdown page, keeping the rest of the page.
"""
import argparse
import json
import os
import os.path as osp
import shlex
import sys

COLUMNS = [('PSNR', 'PSNR (dB)', 2), ('SSIM', 'SSIM', 4),
           ('HolePSNR', 'hole PSNR (dB)', 2), ('HoleSSIM', 'hole SSIM', 4),
           ('lr/PSNR', '32x32 PSNR (dB)', 2),
           # the colour step across the hole border beyond the ground
           # truth's and the hole's colour cast (grey levels), and mmagic's
           # no-reference NIQE
           ('HoleSeam', 'hole seam', 2), ('HoleTint', 'hole tint', 2),
           ('NIQE', 'NIQE', 3)]


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('rows', nargs='+', help='NAME=metrics.json')
    p.add_argument('--out', help='also write the table to this file')
    p.add_argument('--doc', help='also put it in this page, in --section')
    p.add_argument('--section', default='results')
    p.add_argument('--note', default='', help='a line written under the '
                   'table in --doc (machine, wall time)')
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
    if args.doc:
        from fcsr_mm.benchmark.report import write_doc_section
        command = ' '.join(shlex.quote(a) for a in sys.argv[1:]) \
            if argv is None else ' '.join(map(shlex.quote, argv))
        write_doc_section(args.doc, args.section, table + (
            f'\n{args.note}\n' if args.note else '') + '\nWritten by `python '
            f'tools/analysis/results_table.py {command}`.')
    return table


if __name__ == '__main__':
    main()
