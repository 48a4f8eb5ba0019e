"""Stack the first N result images that test runs saved into one PNG.

    python tools/analysis/collect_grid.py WORK_DIR --out grid.png [--num 8]
    python tools/analysis/collect_grid.py fcsr=WORK_DIR telea=TELEA_DIR \\
        --columns input=fcsr:0 Telea=telea:2 completed=fcsr:1 \\
        FCSR-GAN=fcsr:2 truth=fcsr:3 --out grid.png

Each saved image is a row of square panels (FaceGridVisualizer's layout:
occluded input, completed 32x32, 128x128 result, ground truth). With one
run the rows are copied as they are; with ``--columns`` each column is panel
``INDEX`` of run ``RUN``'s image of the same face, under a label, so results
of several models on the same inputs stand side by side.
"""
import argparse
import glob
import os.path as osp

import cv2
import numpy as np


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('runs', nargs='+', help='WORK_DIR of a tools/test.py run, '
                   'or NAME=WORK_DIR (several, with --columns)')
    p.add_argument('--columns', nargs='+', metavar='LABEL=RUN:INDEX',
                   help='panels to show side by side')
    p.add_argument('--out', required=True)
    p.add_argument('--num', type=int, default=8)
    return p.parse_args(argv)


def images_of(work_dir: str) -> dict:
    files = sorted(glob.glob(osp.join(work_dir, '**', 'vis_image', '*.png'),
                             recursive=True))
    if not files:
        raise SystemExit(f'no result images under {work_dir!r}')
    return {osp.basename(f): f for f in files}


def panel(img: np.ndarray, index: int, path: str) -> np.ndarray:
    side = img.shape[0]
    if (index + 1) * side > img.shape[1]:
        raise SystemExit(f'{path} has {img.shape[1] // side} panels; no '
                         f'panel {index}')
    return img[:, index * side:(index + 1) * side]


def label_strip(labels, side: int) -> np.ndarray:
    strip = np.full((24, side * len(labels), 3), 255, np.uint8)
    for i, text in enumerate(labels):
        cv2.putText(strip, text, (i * side + 4, 17), cv2.FONT_HERSHEY_SIMPLEX,
                    0.45, (0, 0, 0), 1, cv2.LINE_AA)
    return strip


def column_rows(runs: dict, columns, num: int):
    spec = []
    for col in columns:
        try:
            label, src = col.split('=', 1)
            run, index = src.rsplit(':', 1)
            spec.append((label, run, int(index)))
        except ValueError:
            raise SystemExit(f'--columns {col!r}: expected LABEL=RUN:INDEX')
        if run not in runs:
            raise SystemExit(f'--columns {col!r}: no run named {run!r} '
                             f'(runs: {sorted(runs)})')
    found = {name: images_of(d) for name, d in runs.items()}
    names = sorted(set.intersection(*(set(f) for f in found.values())))
    if not names:
        raise SystemExit('the runs saved no result image of the same face')
    rows = []
    for name in names[:num]:
        imgs = {r: cv2.imread(f[name]) for r, f in found.items()}
        rows.append(np.concatenate([
            panel(imgs[run], i, found[run][name]) for _, run, i in spec
        ], 1))
    return [label_strip([s[0] for s in spec], rows[0].shape[0])] + rows


def main(argv=None):
    args = parse_args(argv)
    runs = dict(r.split('=', 1) if '=' in r else ('run', r)
                for r in args.runs)
    if args.columns:
        rows = column_rows(runs, args.columns, args.num)
    elif len(runs) == 1:
        files = list(images_of(next(iter(runs.values()))).values())
        rows = [cv2.imread(f) for f in files[:args.num]]
    else:
        raise SystemExit('several runs need --columns')
    width = max(i.shape[1] for i in rows)
    rows = [cv2.copyMakeBorder(i, 0, 4, 0, width - i.shape[1],
                               cv2.BORDER_CONSTANT, value=(255, 255, 255))
            for i in rows]
    cv2.imwrite(args.out, np.concatenate(rows, 0))
    print(f'{len(rows) - bool(args.columns)} results -> {args.out}')


if __name__ == '__main__':
    main()
