"""Measure ``--occlusion auto`` (issue 23) and write docs/occlusion.md: the
occlusion segmenter's mask IoU by kind on held-out synthetic occluders and on
CelebAMask-HQ's real eyeglasses and hats, the pixels it marks on clean test
faces, and end to end the restored faces against the clean ones with the
predicted mask, the true mask, no mask and Telea with the predicted mask.

    python tools/analysis/occlusion_report.py CONFIG CKPT \\
        --segmenter SEG_CONFIG SEG_CKPT --data data/occluded_faces \\
        --faces data/celeba128 --num 300 --out-dir work_dirs/occlusion_report \\
        [--doc docs/occlusion.md]

``--data``: tools/dataset_converters/occluded_faces.py's output (splits val,
val_real). ``--faces``: aligned faces with meta/test.txt (never training
faces). Writes ``report.json`` and ``report.md`` in ``--out-dir``.
"""
import argparse
import json
import os
import os.path as osp
import shlex
import sys
import time


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('config', help='the FCSR-GAN config')
    p.add_argument('checkpoint', help='or "none" for a training-free '
                   'restorer')
    p.add_argument('--segmenter', nargs=2, metavar=('CONFIG', 'CHECKPOINT'),
                   help='default: the shipped one')
    p.add_argument('--margin', type=int, default=1)
    p.add_argument('--data', required=True, help='occluded-face data')
    p.add_argument('--faces', required=True, help='aligned test faces')
    p.add_argument('--num', type=int, default=300,
                   help='test faces for the clean rate and end to end')
    p.add_argument('--telea', default='configs/baselines/telea_celeba.py')
    p.add_argument('--seed', type=int, default=0)
    p.add_argument('--threads', type=int, default=2)
    p.add_argument('--out-dir', required=True)
    p.add_argument('--doc', help="also put the report in this page's "
                   "'measured' section")
    p.add_argument('--overwrite', action='store_true')
    return p.parse_args(argv)


def iou_table(scores, title):
    lines = [f'| {title} | faces | IoU |', '|---|---|---|']
    for kind, s in scores.items():
        iou = '-' if s['iou'] is None else f'{s["iou"]:.3f}'
        lines.append(f'| {kind} | {s["faces"]} | {iou} |')
    return '\n'.join(lines)


def e2e_table(table):
    lines = ['| restored with | PSNR (dB) | SSIM | PSNR inside the occluder '
             '(dB) |', '|---|---|---|---|']
    for way, s in table.items():
        lines.append(f'| {way} | {s["psnr"]:.2f} | {s["ssim"]:.4f} | '
                     f'{s["occluder_psnr"]:.2f} |')
    kinds = list(next(iter(table.values()))['by_kind'])
    lines += ['', 'PSNR (dB) by occluder kind:', '',
              '| restored with | ' + ' | '.join(kinds) + ' |',
              '|---|' + '---|' * len(kinds)]
    for way, s in table.items():
        lines.append(f'| {way} | ' + ' | '.join(
            f'{s["by_kind"][k]["psnr"]:.2f}' for k in kinds) + ' |')
    return '\n'.join(lines)


def goals(report):
    """The issue's goals, each with its measured number."""
    syn = report['synthetic']['all occluded']['iou']
    real = report['real'].get('real_eyeglasses', {})
    glasses = real.get('iou') if real.get('iou') is not None else float('nan')
    clean = report['clean']['pixel_rate']
    e2e = report['end_to_end']
    auto, true, none = (e2e[k]['psnr'] for k in list(e2e)[:3])
    rows = [('IoU on synthetic occluders >= 0.7', f'{syn:.3f}', syn >= 0.7),
            ('IoU on real eyeglasses >= 0.5',
             f'{glasses:.3f} ({real.get("faces", 0)} faces)', glasses >= 0.5),
            ('< 1 % of pixels marked on clean faces', f'{100 * clean:.2f} %',
             clean < 0.01),
            ('auto within 0.5 dB of the true mask',
             f'{auto - true:+.2f} dB', auto - true >= -0.5),
            ('auto at least 2 dB above no mask', f'{auto - none:+.2f} dB',
             auto - none >= 2)]
    return '\n'.join(['| goal | measured | met |', '|---|---|---|'] + [
        f'| {g} | {m} | {"yes" if ok else "no"} |' for g, m, ok in rows])


def main(argv=None):
    args = parse_args(argv)
    out_md = osp.join(args.out_dir, 'report.md')
    out_json = osp.join(args.out_dir, 'report.json')
    taken = [p for p in (out_md, out_json) if osp.exists(p)]
    if taken and not args.overwrite:
        raise SystemExit(f'{taken[0]} already exists; pass --overwrite')
    import torch
    import fcsr_mm  # noqa: F401
    from fcsr_mm.apis import init_occlusion_segmenter, init_restorer
    from fcsr_mm.apis.shipped import find_in_repo
    from fcsr_mm.benchmark import occlusion_report as rep
    from fcsr_mm.benchmark.speed_machine import cpu_label
    torch.set_num_threads(args.threads)
    start = time.time()
    seg_cfg, seg_ckpt = args.segmenter or (None, None)
    segmenter = init_occlusion_segmenter(seg_cfg, seg_ckpt, args.margin)
    samples = rep.occluded_test_faces(args.faces, args.num, args.seed)
    report = dict(
        synthetic=rep.sample_scores(segmenter, samples),
        # real occluders: only where the converter had CelebAMask-HQ
        real=rep.segmenter_scores(segmenter, args.data, 'val_real')
        if osp.isfile(osp.join(args.data, 'meta', 'kinds_val_real.txt'))
        else {},
        clean=rep.clean_face_rate(segmenter, [s['clean'] for s in samples]),
        end_to_end=rep.end_to_end(
            init_restorer(args.config, None if args.checkpoint == 'none'
                          else args.checkpoint),
            init_restorer(find_in_repo(args.telea)), segmenter, samples))
    minutes = (time.time() - start) / 60
    c = report['clean']
    text = '\n'.join([
        '<!-- written by tools/analysis/occlusion_report.py; do not edit -->',
        f'Command: `python {" ".join(shlex.quote(a) for a in sys.argv)}`\n',
        f'Machine: {cpu_label()}, {os.cpu_count()} cores, torch threads '
        f'{args.threads}; wall time {minutes:.1f} min. Masks at 32x32 (a '
        'true pixel is hidden when half of it is); IoU of the predicted mask '
        f'before its margin; the restorations use margin {args.margin} '
        f'(the true mask: {rep.TRUE_MASK_MARGIN}, whatever the margin).\n',
        '### Goals\n', goals(report), '',
        f'### Mask IoU, synthetic occluders on the first {args.num} CelebA '
        'test faces\n', iou_table(report['synthetic'], 'kind'), '',
        '### Mask IoU, real occluders (CelebAMask-HQ validation faces)\n',
        iou_table(report['real'], 'kind') if report['real'] else
        'Not measured: --data has no val_real split (its converter ran '
        'without --celebamask).', '',
        f'### Clean faces\n\nOn {c["faces"]} clean CelebA test faces, '
        f'`auto` marks {100 * c["pixel_rate"]:.2f} % of the pixels; '
        f'{100 * c["face_rate"]:.1f} % of the faces get a non-empty mask.\n',
        f'### End to end ({args.num} CelebA test faces, one synthetic '
        'occluder each, kinds in turn)\n', e2e_table(report['end_to_end'])])
    os.makedirs(args.out_dir, exist_ok=True)
    with open(out_json, 'w') as f:
        json.dump(report, f, indent=2)
    with open(out_md, 'w') as f:
        f.write(text + '\n')
    if args.doc:  # the page's prose stays; its 'measured' section is ours
        from fcsr_mm.benchmark.report import write_doc_section
        write_doc_section(args.doc, 'measured', text)
    print(text)
    return report


if __name__ == '__main__':
    main()
