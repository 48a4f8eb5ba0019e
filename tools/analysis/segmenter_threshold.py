"""Choose an occlusion segmenter's ``threshold`` and ``min_area`` on
validation data: the converter's ``val`` split (synthetic occluders) and the
clean CelebA validation faces, never the test faces or the real occluders
that ``occlusion_report.py`` scores.

    python tools/analysis/segmenter_threshold.py CONFIG CHECKPOINT \\
        --data data/occluded_faces --faces data/celeba128 \\
        --thresholds 0.5 0.6 0.7 0.8 --min-areas 3 6 --out work_dirs/thr.md

One row per setting: IoU on the synthetic validation occluders (raw mask, no
margin, as the report scores it), and on the clean faces the share of
pixels and of faces marked (margin and speck removal applied, as ``auto``
uses it). The 1 % pixel limit is issue 23's goal.
"""
import argparse
import itertools
import os.path as osp


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('config')
    p.add_argument('checkpoint')
    p.add_argument('--data', required=True, help='occluded-face data')
    p.add_argument('--faces', required=True, help='aligned faces (its '
                   'meta/val.txt lists the clean validation faces)')
    p.add_argument('--num-clean', type=int, default=500)
    p.add_argument('--thresholds', type=float, nargs='+',
                   default=[0.5, 0.6, 0.7])
    p.add_argument('--min-areas', type=int, nargs='+', default=[6])
    p.add_argument('--margin', type=int, default=1)
    p.add_argument('--threads', type=int, default=2)
    p.add_argument('--out', required=True, help='the markdown table')
    p.add_argument('--overwrite', action='store_true')
    return p.parse_args(argv)


def sweep(segmenter, data: str, clean: list, thresholds, min_areas) -> list:
    """One dict per (threshold, min_area): IoU on ``data``'s val split and
    the clean-face rates."""
    from fcsr_mm.benchmark import occlusion_report as rep
    rows = []
    for thr, area in itertools.product(thresholds, min_areas):
        segmenter.threshold, segmenter.min_area = thr, area
        iou = rep.segmenter_scores(segmenter, data, 'val')['all occluded']
        rows.append(dict(threshold=thr, min_area=area, iou=iou['iou'],
                         **rep.clean_face_rate(segmenter, clean)))
    return rows


def table(rows: list) -> str:
    lines = ['| threshold | min_area | val IoU (synthetic) | clean pixels '
             'marked | clean faces marked |', '|---|---|---|---|---|']
    for r in rows:
        lines.append(f'| {r["threshold"]:g} | {r["min_area"]} | '
                     f'{r["iou"]:.3f} | {100 * r["pixel_rate"]:.2f} % | '
                     f'{100 * r["face_rate"]:.1f} % |')
    return '\n'.join(lines)


def main(argv=None):
    args = parse_args(argv)
    bad = [t for t in args.thresholds if not 0 < t < 1]
    if bad or min(args.min_areas) < 0:
        raise SystemExit(f'--thresholds must lie in (0, 1) and --min-areas '
                         f'be >= 0; got {args.thresholds} and '
                         f'{args.min_areas}')
    if osp.exists(args.out) and not args.overwrite:
        raise SystemExit(f'{args.out} already exists; pass --overwrite')
    import torch
    import fcsr_mm  # noqa: F401
    from fcsr_mm.apis import init_occlusion_segmenter
    from fcsr_mm.data.io import read_image, read_lines
    torch.set_num_threads(args.threads)
    names = read_lines(osp.join(args.faces, 'meta', 'val.txt'))
    clean = [read_image(osp.join(args.faces, 'images', n))
             for n in names[:args.num_clean]]
    segmenter = init_occlusion_segmenter(args.config, args.checkpoint,
                                         args.margin)
    text = table(sweep(segmenter, args.data, clean, args.thresholds,
                       args.min_areas))
    with open(args.out, 'w') as f:
        f.write(f'{len(clean)} clean validation faces of {args.faces}; '
                f'synthetic occluders of {args.data} val\n\n{text}\n')
    print(text)


if __name__ == '__main__':
    main()
