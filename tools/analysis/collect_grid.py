"""Stack the first N result images that a test run saved into one PNG.

    python tools/analysis/collect_grid.py WORK_DIR --out grid.png [--num 8]
Each row: occluded input (enlarged), completed 32x32 (enlarged), 128x128
result, ground truth (FaceGridVisualizer's layout).
"""
import argparse
import glob
import os.path as osp

import cv2
import numpy as np


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('work_dir', help='work dir of a tools/test.py run')
    p.add_argument('--out', required=True)
    p.add_argument('--num', type=int, default=8)
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    files = sorted(glob.glob(osp.join(args.work_dir, '**', 'vis_image',
                                      '*.png'), recursive=True))[:args.num]
    if not files:
        raise SystemExit(f'no result images under {args.work_dir!r}')
    imgs = [cv2.imread(f) for f in files]
    width = max(i.shape[1] for i in imgs)
    imgs = [cv2.copyMakeBorder(i, 0, 4, 0, width - i.shape[1],
                               cv2.BORDER_CONSTANT, value=(255, 255, 255))
            for i in imgs]
    cv2.imwrite(args.out, np.concatenate(imgs, 0))
    print(f'{len(files)} results -> {args.out}')


if __name__ == '__main__':
    main()
