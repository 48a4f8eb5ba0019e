"""How hard each loss term of a phase pulls on the generator: per term, its
weighted value and the norm of its gradient on the weights the phase trains,
beside the pixel term's, and the cosine between the two (docs/results.md).

    python tools/analysis/loss_balance.py CONFIG CHECKPOINT [--phase all] \
        [--batches 4] [--ref pixel] [--out table.md] [--cfg-options ...]

Batches come from the config's training pipeline; the discriminators are
the checkpoint's (or freshly initialised where it has none, as in a run
that enters the phase from that checkpoint).
"""
import argparse
import os.path as osp
import tempfile
from typing import Dict

import torch
from mmengine.config import DictAction

import fcsr_mm  # noqa: F401


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('config')
    p.add_argument('checkpoint')
    p.add_argument('--phase', default='all', help='phase name (default: all)')
    p.add_argument('--batches', type=int, default=4)
    p.add_argument('--ref', help="the term the others are compared with "
                   "(default: 'pixel' or 'pixel_lr', whichever the phase has)")
    p.add_argument('--out', help='also write the table here')
    p.add_argument('--cfg-options', nargs='+', action=DictAction, default={})
    return p.parse_args(argv)


def find_phase(model, name: str):
    for phase in model.phases:
        if phase.name == name:
            return phase
    raise ValueError(f'no phase {name!r}; the schedule has '
                     f'{[p.name for p in model.phases]}')


def term_gradients(model, data: dict, phase) -> Dict[str, torch.Tensor]:
    """Each generator loss term of ``phase`` on one preprocessed batch:
    ``{term: (weighted value, flattened gradient on the trained weights)}``."""
    from mmengine.logging import MessageHub
    MessageHub.get_current_instance().update_info('iter', phase.begin)
    losses = model(data['inputs'], data['data_samples'], mode='loss')
    params = [p for p in model.generator.parameters() if p.requires_grad]
    out = {}
    for key, loss in losses.items():
        grads = torch.autograd.grad(loss, params, retain_graph=True,
                                    allow_unused=True)
        flat = torch.cat([(torch.zeros_like(p) if g is None else g).flatten()
                          for p, g in zip(params, grads)])
        out[key[len('loss_'):]] = (loss.detach(), flat.double())
    return out


def balance(batches, model, phase, ref=None):
    """Rows ``(term, weight, mean value, mean grad norm, norm / ref norm,
    mean cosine to ref)`` over ``batches`` (raw dataloader batches)."""
    sums = {}
    for batch in batches:
        data = model.data_preprocessor(batch, True)
        terms = term_gradients(model, data, phase)
        ref = ref or next((k for k in ('pixel', 'pixel_lr') if k in terms),
                          None)
        if ref not in terms:
            raise ValueError(f'--ref {ref}: the phase has no such term; it '
                             f'has {sorted(terms)}')
        g_ref = terms[ref][1]
        for key, (value, grad) in terms.items():
            cos = torch.nn.functional.cosine_similarity(grad, g_ref, dim=0)
            acc = sums.setdefault(key, [0.0, 0.0, 0.0])
            for i, v in enumerate((value, grad.norm(), cos)):
                acc[i] += float(v) / len(batches)
    return ref, [(k, phase.losses[k], v, n, n / sums[ref][1], c)
                 for k, (v, n, c) in sums.items()]


def table(ref, rows) -> str:
    lines = [f'| term | weight | weighted loss | gradient norm | vs {ref} | '
             f'cosine to {ref} |', '|---|---|---|---|---|---|']
    lines += [f'| {k} | {w:g} | {v:.4g} | {n:.4g} | {r:.3g} | {c:+.3f} |'
              for k, w, v, n, r, c in rows]
    return '\n'.join(lines) + '\n'


def main(argv=None):
    args = parse_args(argv)
    from mmengine.runner import Runner
    from fcsr_mm.engine.launch import load_config
    cfg = load_config(args.config, args.cfg_options,
                      work_dir=tempfile.mkdtemp(prefix='loss_balance_'))
    cfg.load_from, cfg.resume = None, False
    cfg.train_dataloader.num_workers = 0
    cfg.train_dataloader.persistent_workers = False
    runner = Runner.from_cfg(cfg)
    model = runner.model
    model.init_weights()  # what the checkpoint lacks starts as in training
    runner.load_checkpoint(args.checkpoint)
    phase = find_phase(model, args.phase)
    loader = iter(runner.train_dataloader)
    batches = [next(loader) for _ in range(args.batches)]
    ref, rows = balance(batches, model, phase, args.ref)
    out = table(ref, rows)
    print(f'{osp.basename(args.config)}, phase {phase.name!r}, '
          f'{args.batches} batches of {len(batches[0]["inputs"])}:\n{out}')
    if args.out:
        with open(args.out, 'w') as f:
            f.write(out)
    return rows


if __name__ == '__main__':
    main()
