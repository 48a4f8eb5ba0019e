"""Speed and memory of the FCSR-GAN generator: inference and one training
step, per batch size, on CPU or CUDA; or (``--table precision``) the
precision table of this CPU: inference in fp32, channels_last fp32,
channels_last bf16 and onnxruntime, training phases in fp32 and bf16.

    python tools/analysis/benchmark_speed.py configs/fcsr_gan/fcsr-gan_stage2_1xb16-200k_celeba-128x128.py \\
        --batch-sizes 1 16 --device cpu --out work_dirs/bench/cpu.md
    python tools/analysis/benchmark_speed.py configs/fcsr_gan/fcsr-gan_stage2_1xb16-200k_celeba-128x128.py \\
        --table precision --threads 2 --update-doc docs/benchmarks.md

Times are medians over ``--repeats`` runs after ``--warmup`` runs. Memory:
peak CUDA allocation on a GPU; on CPU each row runs in a fresh process and
reports how far its peak resident size grew over its size after building
the model (activations, gradients, optimiser state). Weights are the
config's initial ones: speed does not depend on them.

The precision table (``fcsr_mm/benchmark/speed_table.py``) runs every row in
this process on the CPU; ``--update-doc`` writes it between the
``<!-- precision-table:start -->`` and ``<!-- precision-table:end -->``
markers of a document, leaving the rest of it as it was.
"""
import argparse
import os
import os.path as osp
import shlex
import sys
import tempfile
import time
import warnings

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
STAGE1 = osp.join(REPO, 'configs', 'fcsr_gan',
                  'fcsr-gan_stage1_1xb16-200k_celeba-32x32.py')


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('config')
    p.add_argument('--table', choices=['memory', 'precision'],
                   default='memory',
                   help='memory: time and memory per mode and batch (the '
                   'default); precision: the precision table of this CPU')
    p.add_argument('--batch-sizes', type=int, nargs='+', default=None,
                   help='default: 1 16 (memory), 1 16 64 (precision)')
    p.add_argument('--device', default='cpu')
    p.add_argument('--threads', type=int, default=None,
                   help='torch CPU threads (default: torch decides)')
    p.add_argument('--warmup', type=int, default=2)
    p.add_argument('--repeats', type=int, default=5)
    p.add_argument('--no-train', action='store_true',
                   help='time inference only')
    p.add_argument('--out', help='also write the table to this .md file')
    g = p.add_argument_group('precision table')
    g.add_argument('--phases', nargs='+', default=None, metavar='CONFIG:PHASE',
                   help='training rows (PHASE: a phase name, first or last);'
                   ' default: the stage-1 config\'s l1 (the config with '
                   'stage2 -> stage1 in its name, else '
                   'configs/fcsr_gan/fcsr-gan_stage1_1xb16-200k_celeba-32x32'
                   '.py), CONFIG:first, '
                   'CONFIG:last')
    g.add_argument('--train-batch', type=int, default=16,
                   help='faces per training iteration (default: 16)')
    g.add_argument('--force-bf16', action='store_true',
                   help='time the bf16 rows on a CPU without native bf16 '
                   '(emulated: far slower; labelled so)')
    g.add_argument('--update-doc', metavar='FILE',
                   help='write the table between the precision-table '
                   'markers of FILE (e.g. docs/benchmarks.md)')
    g.add_argument('--doc-section', metavar='NAME',
                   help='with --update-doc: the markers named NAME '
                   '(<!-- precision-table:NAME:start -->), one table per '
                   'machine; default: the unnamed markers')
    return p.parse_args(argv)


def run_row(kwargs):
    """One row in a fresh process on CPU (a clean peak memory), in this
    process on CUDA (its allocator counts the peak)."""
    from fcsr_mm.benchmark.timing import bench_generator
    if kwargs['device'].startswith('cuda'):
        return bench_generator(**kwargs)
    import multiprocessing as mp
    with mp.get_context('spawn').Pool(1) as pool:
        return pool.apply(bench_generator, kwds=kwargs)


def machine(device, threads):
    import torch
    if device.startswith('cuda'):
        return torch.cuda.get_device_name(torch.device(device))
    from fcsr_mm.benchmark.timing import cpu_name
    return f'{cpu_name()} ({os.cpu_count()} cores), {threads} torch threads'


def default_phases(config):
    """Stage 1's L1 phase, then the first and last phases of ``config``."""
    name = osp.basename(config)
    stage1 = osp.join(osp.dirname(config), name.replace('stage2', 'stage1'))
    if 'stage2' not in name or not osp.isfile(stage1):
        stage1 = STAGE1
    return [f'{stage1}:l1', f'{config}:first', f'{config}:last']


def onnx_runner(config, cfg, folder, threads):
    """onnxruntime's run of the config's generator (initial weights),
    exported as tools/deployment/pytorch2onnx.py does, and its words."""
    try:
        import onnxruntime  # noqa: F401
    except ImportError:
        return None, 'not installed, row left out'
    from fcsr_mm.apis import export_onnx
    from fcsr_mm.deployment import OnnxRestorer
    path = osp.join(folder, 'generator.onnx')
    with warnings.catch_warnings():  # the tracer's, on shape checks
        warnings.simplefilter('ignore')
        diff = export_onnx(config, None, path)
    return (OnnxRestorer(cfg, path, threads=threads).run,
            'the same generator exported by `fcsr_mm.apis.export_onnx`'
            f' (largest output difference from PyTorch {diff:.1e} grey '
            'levels), CPUExecutionProvider, as many threads')


def precision_rows(args, threads, host, bf16):
    """The inference and training rows of the precision table."""
    import torch
    from fcsr_mm.apis import init_restorer
    from fcsr_mm.models.complexity import count_flops
    from fcsr_mm.benchmark.inference_speed import inference_rows
    from fcsr_mm.models.probe_faces import probe_faces
    from fcsr_mm.benchmark.train_speed import train_rows
    torch.manual_seed(0)
    model = init_restorer(args.config, precision='fp32')
    gen = model.generator.eval()
    mask = probe_faces(1)[1]
    flops = count_flops(lambda x: gen(x, mask), (1, 3, 32, 32))
    with tempfile.TemporaryDirectory() as tmp:
        onnx_run, onnx_words = onnx_runner(args.config, model.cfg, tmp,
                                           threads)
        infer = inference_rows(
            gen, args.batch_sizes or [1, 16, 64], bf16, onnx_run, flops,
            host.peak_gflops, args.warmup, args.repeats)
    train = [] if args.no_train else train_rows(
        args.phases, args.train_batch, bf16,
        args.warmup, args.repeats, root=REPO)
    return infer, train, dict(onnx=onnx_words, gflop_per_face=flops / 1e9)


def precision_main(args, argv, started):
    """``--table precision``: measure, write the table, return the rows."""
    import torch
    from fcsr_mm.benchmark.speed_machine import measuring_machine, software
    from fcsr_mm.benchmark.speed_table import (check_section, precision_table,
                                           replace_section, section_markers)
    from fcsr_mm.benchmark.train_speed import check_phase_specs
    if args.device != 'cpu':
        raise SystemExit(f'--table precision measures the CPU (oneDNN, '
                         f'onnxruntime, its peak); drop --device '
                         f'{args.device}')
    if args.update_doc:
        try:  # before minutes of measuring
            markers = section_markers(args.doc_section)
            check_section(args.update_doc, *markers)
        except (OSError, ValueError) as err:
            raise SystemExit(f'--update-doc: {err}')
    args.phases = args.phases or default_phases(args.config)
    if not args.no_train:
        try:
            check_phase_specs(args.phases)
        except ValueError as err:
            raise SystemExit(f'--phases: {err}')
    if args.threads:
        torch.set_num_threads(args.threads)
    threads = torch.get_num_threads()
    machine = measuring_machine(threads)
    bf16 = ('native' if machine.native else
            'emulated' if args.force_bf16 else 'unsupported')
    infer, train, meta = precision_rows(args, threads, machine, bf16)
    command = 'python tools/analysis/benchmark_speed.py ' + shlex.join(
        sys.argv[1:] if argv is None else argv)
    text = precision_table(machine, software(), infer, train, dict(
        meta, config=osp.basename(args.config), threads=threads,
        warmup=args.warmup, repeats=args.repeats, command=command,
        wall_s=time.perf_counter() - started))
    print(text)
    if args.out:
        os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
        with open(args.out, 'w') as f:
            f.write(text)
    if args.update_doc:
        replace_section(args.update_doc, text, *markers)
    return dict(inference=infer, train=train, text=text)


def main(argv=None):
    started = time.perf_counter()
    args = parse_args(argv)
    import torch
    if not osp.isfile(args.config):
        raise SystemExit(f'config {args.config!r} not found')
    if args.device.startswith('cuda') and not torch.cuda.is_available():
        raise SystemExit(f'--device {args.device}: CUDA is not available '
                         'here; use --device cpu')
    if args.table == 'precision':
        return precision_main(args, argv, started)
    args.batch_sizes = args.batch_sizes or [1, 16]
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
