"""CPU speed of the generator in PyTorch and in onnxruntime, same faces.

    python tools/deployment/onnx_speed.py configs/fcsr_gan/fcsr-gan_stage2_1xb16-200k_celeba-128x128.py \\
        CKPT.pth fcsr.onnx --batch-sizes 1 16 --threads 2 --out onnx_speed.md

Both run the generator alone (32x32 face + mask -> both outputs) on the
same random faces with a 16x16 hole, with the same number of threads;
median of ``--repeats`` after ``--warmup`` runs.
"""
import argparse
import os
import os.path as osp
import platform


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('config')
    p.add_argument('checkpoint')
    p.add_argument('onnx')
    p.add_argument('--batch-sizes', type=int, nargs='+', default=[1, 16])
    p.add_argument('--threads', type=int, default=2)
    p.add_argument('--warmup', type=int, default=2)
    p.add_argument('--repeats', type=int, default=5)
    p.add_argument('--out', help='also write the table to this file')
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    for path in (args.config, args.checkpoint, args.onnx):
        if not osp.isfile(path):
            raise SystemExit(f'{path!r} not found')
    import torch
    from fcsr_mm.apis import init_restorer
    from fcsr_mm.deployment import OnnxRestorer
    from fcsr_mm.benchmark.timing import median_seconds
    torch.set_num_threads(args.threads)
    gen = init_restorer(args.config, args.checkpoint,
                        precision='fp32').generator.eval()
    ort = OnnxRestorer(init_restorer(args.config, args.onnx).cfg, args.onnx,
                       threads=args.threads)
    rows = ['| runtime | batch | ms / batch | faces / s |', '|---|---|---|---|']
    for batch in args.batch_sizes:
        img = torch.rand(batch, 3, 32, 32) * 2 - 1
        mask = torch.zeros(batch, 1, 32, 32)
        mask[..., 8:24, 8:24] = 1

        def run_torch():
            with torch.no_grad():
                gen(img, mask)

        for name, fn in (('PyTorch', run_torch),
                         ('onnxruntime', lambda: ort.run(img, mask))):
            sec = median_seconds(fn, 'cpu', args.warmup, args.repeats)
            rows.append(f'| {name} | {batch} | {sec * 1e3:.1f} | '
                        f'{batch / sec:.1f} |')
    import onnxruntime
    head = (f'`{osp.basename(args.config)}` generator on {platform.machine()} '
            f'({os.cpu_count()} cores), {args.threads} threads (torch '
            f'{torch.__version__}, onnxruntime {onnxruntime.__version__}); '
            f'median of {args.repeats} runs after {args.warmup} warm-up '
            'runs.\n\n')
    table = head + '\n'.join(rows) + '\n'
    print(table)
    if args.out:
        with open(args.out, 'w') as f:
            f.write(table)
    return table


if __name__ == '__main__':
    main()
