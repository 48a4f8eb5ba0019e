"""Table I: test one model on the six fixed occlusions O1 .. O6.

    python tools/analysis/occlusion_table.py configs/fcsr_gan/fcsr-gan_stage2_1xb16-200k_celeba-128x128.py \\
        work_dirs/fcsr-gan_stage2_1xb16-200k_celeba-128x128/iter_200000.pth --out-dir work_dirs/table1

Runs ``fcsr_mm.apis.run_test`` once per occlusion (the config's ``OccludeFace`` switched
to O1 .. O6), keeps each run's metrics in ``<out-dir>/O<i>.json`` and writes
``<out-dir>/table.md``: our PSNR/SSIM per occlusion and their mean, next to
FCSR-GAN's numbers in the paper. The checkpoint may be left out for the
training-free baselines (configs/baselines/).
"""
import argparse
import os.path as osp

from mmengine.config import DictAction

OCCLUSIONS = ('O1', 'O2', 'O3', 'O4', 'O5', 'O6')
NAMES = dict(O1='left half', O2='right half', O3='both eyes', O4='left eye',
             O5='right eye', O6='mouth')
# FCSR-GAN in the paper's Table I (PSNR dB, SSIM)
PAPER = dict(O1=(20.65, 0.793), O2=(20.56, 0.795), O3=(19.26, 0.745),
             O4=(20.34, 0.764), O5=(19.99, 0.767), O6=(20.51, 0.816))


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('config')
    p.add_argument('checkpoint', nargs='?', default=None)
    p.add_argument('--out-dir', required=True)
    p.add_argument('--occlusions', nargs='+', default=list(OCCLUSIONS),
                   choices=OCCLUSIONS)
    p.add_argument('--cfg-options', nargs='+', action=DictAction,
                   default={}, help='config overrides, key=value')
    p.add_argument('--overwrite', action='store_true',
                   help='replace metrics already in --out-dir')
    return p.parse_args(argv)


def occlude_index(config: str) -> int:
    """Position of ``OccludeFace`` in the config's test pipeline."""
    from mmengine.config import Config
    pipeline = Config.fromfile(config).test_dataloader.dataset.pipeline
    for i, step in enumerate(pipeline):
        if step.get('type') == 'OccludeFace':
            return i
    raise SystemExit(f'{config}: its test pipeline has no OccludeFace step '
                     'to switch to O1 .. O6')


def make_table(results: dict) -> str:
    lines = [
        '| occlusion | PSNR (dB) | SSIM | hole PSNR (dB) | hole SSIM '
        '| paper PSNR | paper SSIM |', '|---|---|---|---|---|---|---|'
    ]
    for name, m in results.items():
        lines.append(
            f'| {name} {NAMES[name]} | {m["PSNR"]:.2f} | {m["SSIM"]:.4f} | '
            f'{m.get("HolePSNR", float("nan")):.2f} | '
            f'{m.get("HoleSSIM", float("nan")):.4f} | '
            f'{PAPER[name][0]:.2f} | {PAPER[name][1]:.3f} |')
    if len(results) == len(OCCLUSIONS):
        mean = {k: sum(m.get(k, float('nan')) for m in results.values()) / 6
                for k in ('PSNR', 'SSIM', 'HolePSNR', 'HoleSSIM')}
        lines.append(
            f'| mean | {mean["PSNR"]:.2f} | {mean["SSIM"]:.4f} | '
            f'{mean["HolePSNR"]:.2f} | {mean["HoleSSIM"]:.4f} | 20.22 | '
            '0.780 |')
    return '\n'.join(lines) + '\n'


def main(argv=None):
    args = parse_args(argv)
    if not osp.isfile(args.config):
        raise SystemExit(f'config {args.config!r} not found')
    outs = {o: osp.join(args.out_dir, f'{o}.json') for o in args.occlusions}
    taken = [p for p in list(outs.values())
             + [osp.join(args.out_dir, 'table.md')] if osp.exists(p)]
    if taken and not args.overwrite:
        raise SystemExit(f'{taken[0]} already exists; nothing was run. Pass '
                         '--overwrite or choose another --out-dir.')
    from fcsr_mm.apis import run_test
    index = occlude_index(args.config)
    results = {}
    for occ, out in outs.items():
        opts = {f'test_dataloader.dataset.pipeline.{index}.occlusion': occ,
                # one visualizer per run: mmengine keeps them by name
                'visualizer.name': f'occlusion_table_{occ}_{id(results)}',
                **args.cfg_options}
        results[occ] = run_test(args.config, args.checkpoint, opts,
                                work_dir=osp.join(args.out_dir, occ), out=out)
    table = make_table(results)
    with open(osp.join(args.out_dir, 'table.md'), 'w') as f:
        f.write(table)
    print(table)
    return results


if __name__ == '__main__':
    main()
