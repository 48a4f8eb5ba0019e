"""Cut a training checkpoint down to the weights inference needs, in fp16:
the file that ships in the package (``fcsr_mm/checkpoints/``).

    python tools/deployment/ship_weights.py work_dirs/stage2/iter_2100.pth \\
        fcsr_mm/checkpoints/fcsr_celeba128_cpu.pth --prefix generator.
    python tools/deployment/ship_weights.py work_dirs/occlusion/seg32/iter_4000.pth \\
        fcsr_mm/checkpoints/occlusion_segnet32.pth

Keeps the state-dict entries that start with ``--prefix`` (all without),
casts floating-point tensors to fp16 (loading casts them back into the fp32
model) and keeps the checkpoint's ``meta`` (its training config and dataset
meta) but not the optimiser or the message hub (nor, with ``--prefix
generator.``, the discriminators and losses). Refuses
to replace an existing file without ``--overwrite``.
"""
import argparse
import os
import os.path as osp


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('checkpoint', help='a checkpoint saved by tools/train.py')
    p.add_argument('out', help='the shipped file')
    p.add_argument('--prefix', action='append', default=[],
                   help='keep the entries under this prefix (repeatable; '
                   'default: every entry)')
    p.add_argument('--fp32', action='store_true', help='keep fp32')
    p.add_argument('--max-mb', type=float, default=10.0,
                   help='refuse a result larger than this (default 10)')
    p.add_argument('--overwrite', action='store_true')
    return p.parse_args(argv)


def shipped_state(ckpt: dict, prefixes, fp16: bool) -> dict:
    """The kept, cast state dict and meta of a training checkpoint."""
    import torch
    state = ckpt.get('state_dict', ckpt)
    kept = {k: v for k, v in state.items()
            if not prefixes or any(k.startswith(p) for p in prefixes)}
    if not kept:
        raise SystemExit(f'no state-dict entry starts with {prefixes}; '
                         f'entries start with {sorted({k.split(".")[0] for k in state})}')
    if fp16:
        kept = {k: v.half() if torch.is_floating_point(v) else v
                for k, v in kept.items()}
    return dict(state_dict=kept, meta=ckpt.get('meta', {}))


def main(argv=None):
    args = parse_args(argv)
    import torch
    from fcsr_mm.utils.checkpoint_io import load_checkpoint_file
    if osp.exists(args.out) and not args.overwrite:
        raise SystemExit(f'{args.out} already exists; pass --overwrite')
    ckpt = load_checkpoint_file(args.checkpoint)
    shipped = shipped_state(ckpt, args.prefix, not args.fp32)
    os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
    tmp = args.out + '.partial'
    torch.save(shipped, tmp)
    mb = os.path.getsize(tmp) / 2**20
    if mb > args.max_mb:
        os.remove(tmp)
        raise SystemExit(f'{mb:.1f} MB is over --max-mb {args.max_mb}')
    os.replace(tmp, args.out)
    print(f'{args.out}: {len(shipped["state_dict"])} tensors, {mb:.2f} MB')
    return args.out


if __name__ == '__main__':
    main()
