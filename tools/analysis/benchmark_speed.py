"""Speed and memory of the FCSR-GAN generator: inference and one training
step, per batch size, on CPU or CUDA.

    python tools/analysis/benchmark_speed.py configs/fcsr_stage2_celeba.py \\
        --batch-sizes 1 16 --device cpu --out work_dirs/bench/cpu.md

Times are medians over ``--repeats`` runs after ``--warmup`` runs. Memory:
peak CUDA allocation on a GPU; on CPU each row runs in a fresh process and
reports how far its peak resident size grew over its size after building
the model (activations, gradients, optimiser state). Weights are the
config's initial ones: speed does not depend on them.
"""
import argparse
import os
import os.path as osp



def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('config')
    p.add_argument('--batch-sizes', type=int, nargs='+', default=[1, 16])
    p.add_argument('--device', default='cpu')
    p.add_argument('--threads', type=int, default=None,
                   help='torch CPU threads (default: torch decides)')
    p.add_argument('--warmup', type=int, default=2)
    p.add_argument('--repeats', type=int, default=5)
    p.add_argument('--no-train', action='store_true',
                   help='time inference only')
    p.add_argument('--out', help='also write the table to this .md file')
    return p.parse_args(argv)


def run_row(kwargs):
    """One row in a fresh process on CPU (a clean peak memory), in this
    process on CUDA (its allocator counts the peak)."""
    from fcsr_mm.utils.benchmark import bench_generator
    if kwargs['device'].startswith('cuda'):
        return bench_generator(**kwargs)
    import multiprocessing as mp
    with mp.get_context('spawn').Pool(1) as pool:
        return pool.apply(bench_generator, kwds=kwargs)


def machine(device, threads):
    import torch
    if device.startswith('cuda'):
        return torch.cuda.get_device_name(torch.device(device))
    from fcsr_mm.utils.benchmark import cpu_name
    return f'{cpu_name()} ({os.cpu_count()} cores), {threads} torch threads'


def main(argv=None):
    args = parse_args(argv)
    import torch
    if not osp.isfile(args.config):
        raise SystemExit(f'config {args.config!r} not found')
    if args.device.startswith('cuda') and not torch.cuda.is_available():
        raise SystemExit(f'--device {args.device}: CUDA is not available '
                         'here; use --device cpu')
    modes = ['inference'] + ([] if args.no_train else ['train step'])
    common = dict(config=osp.abspath(args.config), device=args.device,
                  warmup=args.warmup, repeats=args.repeats,
                  threads=args.threads or 0)
    rows = [run_row(dict(common, batch=b, mode=m))
            for m in modes for b in args.batch_sizes]
    where = machine(args.device, rows[0]['threads'])
    lines = [
        f'`{osp.basename(args.config)}` generator, '
        f"{rows[0]['params'] / 1e6:.2f} M parameters, 32x32 -> 128x128, "
        f'on {where} (torch {torch.__version__}); median of '
        f'{args.repeats} runs after {args.warmup} warm-up runs.', '',
        '| mode | batch | ms / batch | faces / s | peak memory (MiB) |',
        '|---|---|---|---|---|'
    ]
    lines += [f"| {r['mode']} | {r['batch']} | {r['ms']:.1f} | "
              f"{r['faces_s']:.1f} | {r['mem_mib']:.0f} |" for r in rows]
    text = '\n'.join(lines)
    print(text)
    if args.out:
        os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
        with open(args.out, 'w') as f:
            f.write(text + '\n')
    return rows


if __name__ == '__main__':
    main()
