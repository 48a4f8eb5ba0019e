"""Benchmark restorers on identical inputs: FCSR-GAN, baselines, mmagic's
inpainters and SR networks, alone or in sequence.

    python tools/analysis/benchmark.py configs/comparison/rows_celeba128.yaml \\
        --out-dir work_dirs/comparison --doc docs/comparison.md

The rows file (YAML or JSON) lists rows: ``name``, ``config``, optional
``checkpoint``, ``train_runs`` (work dirs whose ``wall_time.json`` gives the
training time), ``sequence: true`` for completion/SR sequences and
``ablation: true`` for the reference with one part removed (compared with
it face by face in a table of its own). Every row
runs on each protocol (``random``: the seeded 16x16 block; ``O1`` .. ``O6``)
with the data config's test faces and the same metrics: PSNR/SSIM of the
128x128 face and inside the hole, PSNR of the 32x32 stage where a row has
one, and NIQE; plus parameters, GFLOPs per face and CPU faces/s at one
batch size and thread count. Every row runs in one ``--precision`` (auto:
bf16 autocast + channels_last where the CPU computes bf16 natively, fp32
elsewhere); the page says which. Writes ``results.csv``, ``results.md``
and one bar chart per metric to ``--out-dir`` (and ``--doc``, with its
charts in ``<doc name>/``). A row that fails is marked with the reason,
the others still run, and the exit code is 1. With ``--reuse-scores``,
a row keeps its scores from an earlier run in ``--out-dir`` while nothing
that decides them changed (``fcsr_mm.benchmark.score_cache``).
"""
import argparse
import os
import os.path as osp
import shlex
import shutil
import sys
import time

from mmengine.config import Config

from fcsr_mm.benchmark import rows as bench
from fcsr_mm.benchmark import report, score_cache, speed_in_turns, verdict
from fcsr_mm.benchmark.speed_machine import cpu_label
from fcsr_mm.utils.precision import PRECISIONS, resolve_precision


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('rows', help='rows file (.yaml / .json)')
    p.add_argument('--out-dir', required=True)
    p.add_argument('--protocols', nargs='+', default=list(bench.PROTOCOLS),
                   choices=bench.PROTOCOLS)
    p.add_argument('--data-config',
                   default='configs/_base_/datasets/face_restoration.py',
                   help='config whose test_dataloader gives the faces')
    p.add_argument('--data-root', help='override the data root')
    p.add_argument('--num-faces', type=int,
                   help='the first N test faces (default: all)')
    p.add_argument('--batch-size', type=int, default=8,
                   help='test batch size')
    p.add_argument('--speed-batch', type=int, default=16)
    p.add_argument('--speed-rounds', type=int, default=5,
                   help='after the scores, time every row\'s test step in '
                   'turns, this many rounds (median), so host drift moves '
                   'all rows alike; 0: each row timed on its own, after '
                   'its scores')
    p.add_argument('--threads', type=int, default=2,
                   help='torch CPU threads for every row')
    p.add_argument('--precision', choices=PRECISIONS, default='auto',
                   help='what every row computes in: bf16 (autocast + '
                   'channels_last) or fp32; auto: bf16 where the CPU '
                   'computes it natively, fp32 elsewhere')
    p.add_argument('--grid', type=int, default=6,
                   help='faces in the picture of every row\'s results '
                   '(<out-dir>/faces.png, first protocol; 0: none)')
    p.add_argument('--doc-grid', action='store_true',
                   help='also put that picture in --doc (leave it out for '
                   'faces that must not be copied into a repository, e.g. '
                   '../shared/data)')
    p.add_argument('--reference', help='row the others are compared with '
                   '(default: the first)')
    p.add_argument('--metrics', nargs='+', choices=list(bench.METRICS),
                   help='metric columns of the tables and charts (default: '
                   'all); the CSV has every metric')
    p.add_argument('--doc', help='also write this markdown page')
    p.add_argument('--doc-section', default='main',
                   help='the part of --doc this run writes; other sections '
                   'of the page are kept')
    p.add_argument('--preamble', nargs='+',
                   help='markdown files placed, in order, at the top of '
                   "--doc's section (setup, schedules, a budget's plan.md)")
    p.add_argument('--skip-untrained', action='store_true',
                   help='leave out rows whose checkpoints do not exist yet '
                   '(a budget plan still training); the page names them')
    p.add_argument('--only', nargs='+', metavar='NAME',
                   help='run only these rows of the rows file, in its '
                   'order (e.g. the joint model, the best sequences and '
                   'the baselines on a second dataset)')
    p.add_argument('--reuse-scores', action='store_true',
                   help='take a row\'s scores on a protocol from an earlier '
                   'run in --out-dir when nothing that decides them changed '
                   '(config, files it names, faces, metrics, precision, '
                   'code; fcsr_mm.benchmark.score_cache); speed is always '
                   'measured again, and the page names the kept scores')
    p.add_argument('--overwrite', action='store_true',
                   help='replace results already in --out-dir / --doc')
    return p.parse_args(argv)


def load_rows(path: str) -> list:
    from mmengine.fileio import load
    if not osp.isfile(path):
        raise SystemExit(f'rows file {path!r} not found')
    try:
        rows = load(path)
        if not isinstance(rows, list) or not rows:
            raise ValueError('expected a non-empty list of rows')
        rows = [bench.check_row(r) for r in rows]
    except Exception as err:
        raise SystemExit(f'{path}: {err}')
    names = [r['name'] for r in rows]
    if len(set(names)) != len(names):
        raise SystemExit(f'{path}: row names must be unique, got {names}')
    return rows


def chosen_rows(rows: list, only) -> list:
    """The rows named by ``--only`` (all when None), in the file's order;
    a name the file lacks stops the run before anything is written."""
    try:
        return bench.chosen_by_name(rows, only, 'row')
    except ValueError as err:
        raise SystemExit(str(err))


def untrained_rows(rows: list, skip: bool):
    """``rows`` without those whose checkpoints are missing (when
    ``skip``), and those rows' names."""
    if not skip:
        return rows, []
    kept = [r for r in rows if not bench.missing_checkpoints(r)]
    if not kept:
        raise SystemExit('--skip-untrained: no row has its checkpoints yet')
    return kept, [r['name'] for r in rows if r not in kept]


def run_row(row, args, data_cfg, pictures: dict, plan) -> list:
    """One result dict per protocol, in precision ``plan``; a failure marks
    all of them. The row's results for the picture go into
    ``pictures[name]``."""
    base = dict(name=row['name'], sequence=bool(row.get('sequence')),
                ablation=bool(row.get('ablation')), precision=plan.label)
    wall = bench.train_wall_s(row)
    base['train_min'] = wall / 60 if wall is not None else None
    work = osp.join(args.out_dir, 'runs', bench.slug(row['name']))
    results = []
    try:
        first = bench.test_dataloader(data_cfg, args.protocols[0],
                                      args.data_root, args.num_faces,
                                      args.batch_size)
        # strict weights first: a checkpoint of another config fails here
        cost = bench.row_cost(row, first, work, args.speed_batch,
                              args.grid, plan)
        pictures[row['name']] = cost.pop('faces', [])
        for protocol in args.protocols:
            loader = bench.test_dataloader(data_cfg, protocol,
                                           args.data_root, args.num_faces,
                                           args.batch_size)
            folder = osp.join(work, protocol)
            metrics, kept = score_cache.row_scores(row, loader, folder, plan,
                                                   args.reuse_scores)
            results.append(dict(base, protocol=protocol, status='ok',
                                per_face=osp.join(folder, 'per_face.json'),
                                scores_from=kept, **cost, **metrics))
            print(f'  {protocol}' + (f' (kept from {kept})' if kept else '')
                  + ': ' + ', '.join(
                f'{k} {v:.4g}' for k, v in metrics.items()), flush=True)
    except bench.RowFailure as err:
        done = {r['protocol'] for r in results}
        results += [dict(base, protocol=p, status=f'failed: {err}')
                    for p in args.protocols if p not in done]
        print(f'  FAILED: {err}', flush=True)
    return results


def write_outputs(results, args, rows, header: str, pictures: dict,
                  data_cfg) -> None:
    os.makedirs(args.out_dir, exist_ok=True)
    report.write_csv(results, osp.join(args.out_dir, 'results.csv'))
    charts = report.bar_charts(results, args.out_dir, args.metrics)
    if args.grid:
        loader = bench.test_dataloader(data_cfg, args.protocols[0],
                                       args.data_root, args.num_faces)
        faces = bench.batch_faces(bench.first_batch(loader, args.grid),
                                  args.grid)
        columns = {f'input ({args.protocols[0]})': faces['inputs'],
                   **pictures, 'ground truth': faces['gts']}
        picture = report.face_grid(columns,
                                   osp.join(args.out_dir, 'faces.png'))
        if args.doc_grid:
            charts['faces'] = picture
    reference = args.reference or rows[0]['name']
    body = [header]
    for protocol in args.protocols:
        body += [f'### Protocol: {protocol}\n',
                 report.protocol_table(results, protocol, reference,
                                       args.metrics)]
    if len(args.protocols) > 1:
        for key in args.metrics or bench.METRICS:
            body += [f'### {bench.METRICS[key][0]} per protocol\n',
                     report.occlusion_table(results, key)]
    if any(r.get('sequence') for r in results):
        entries = verdict.comparisons(results, reference)
        body += ['### Joint vs sequence (the paper\'s Fig. 9)\n',
                 report.joint_vs_sequences(results, reference) + '\n',
                 'Paired over the same faces (mean per-face difference, '
                 '95% bootstrap interval over faces, 2,000 resamples); a '
                 'row wins only where the interval excludes zero:\n',
                 verdict.verdict_table(entries, reference),
                 verdict.verdict_text(entries, reference)]
    if any(r.get('ablation') for r in results):
        entries = verdict.ablation_comparisons(results, reference)
        body += [f'### Ablations: {reference} against itself with one part '
                 'removed\n', 'Paired as above; where the reference is '
                 'ahead, the removed part helps:\n',
                 verdict.verdict_table(entries, reference, 'ablation'),
                 verdict.ablation_text(entries, reference)]
    text = '\n'.join(body)
    with open(osp.join(args.out_dir, 'results.md'), 'w') as f:
        f.write(text)
    if args.doc:
        chart_dir = osp.join(osp.splitext(args.doc)[0], args.doc_section)
        os.makedirs(chart_dir, exist_ok=True)
        links = []
        for key, path in charts.items():
            shutil.copy(path, osp.join(chart_dir, osp.basename(path)))
            rel = osp.relpath(osp.join(chart_dir, osp.basename(path)),
                              osp.dirname(osp.abspath(args.doc)))
            links.append(f'![{key}]({rel})')
        pre = ''.join(open(part).read() + '\n' for part in args.preamble or ())
        report.write_doc_section(
            args.doc, args.doc_section,
            pre + text + '\n### Charts\n\n' + '\n'.join(links) + '\n')


def refuse_existing(args) -> None:
    taken = [p for p in [osp.join(args.out_dir, 'results.csv')]
             if osp.exists(p)]
    if args.doc and report.has_doc_section(args.doc, args.doc_section):
        taken.append(f'{args.doc} section {args.doc_section!r}')
    if taken and not args.overwrite:
        raise SystemExit(f'{taken[0]} already exists; nothing was run. Pass '
                         '--overwrite or choose another --out-dir / --doc '
                         '/ --doc-section.')


def main(argv=None):
    args = parse_args(argv)
    import fcsr_mm  # noqa: F401  registers the components
    rows, untrained = untrained_rows(
        chosen_rows(load_rows(args.rows), args.only), args.skip_untrained)
    refuse_existing(args)
    data_cfg = Config.fromfile(args.data_config)
    bench.occlude_step(data_cfg.test_dataloader.dataset.pipeline)
    threads = bench.torch_threads(args.threads)
    plan = resolve_precision(args.precision, 'cpu')
    print(f'precision {args.precision!r}: {plan.label} for every row '
          f'({plan.reason})', flush=True)
    start, results, pictures = time.time(), [], {}
    for row in rows:
        print(f'== {row["name"]} ({row["config"]})', flush=True)
        results += run_row(row, args, data_cfg, pictures, plan)
    if args.speed_rounds:  # the same faces as the first protocol's
        speed_in_turns.retime_rows(
            rows, results, bench.test_dataloader(
                data_cfg, args.protocols[0], args.data_root, args.num_faces),
            osp.join(args.out_dir, 'runs'), args.speed_batch,
            args.speed_rounds, plan)
    minutes = (time.time() - start) / 60
    root = args.data_root or data_cfg.test_dataloader.dataset.data_root
    faces = f'the first {args.num_faces}' if args.num_faces else 'all'
    header = (
        '<!-- written by tools/analysis/benchmark.py; do not edit -->\n'
        f'Command: `python {" ".join(shlex.quote(a) for a in sys.argv)}`\n\n'
        f'Machine: {cpu_label()}, '
        f'{os.cpu_count()} CPU cores; torch threads {threads} for every row; '
        f'speed at batch {args.speed_batch} '
        f'({speed_in_turns.note(args.speed_rounds)}). '
        'Precision (every row): '
        f'{plan.label} (`--precision {args.precision}`: {plan.reason}). '
        f'Benchmark wall time '
        f'{minutes:.1f} min ({time.strftime("%Y-%m-%d")}).\n\n'
        f'Faces: {faces} test faces of `{root}`, identical for every row '
        f'(one occlusion per face and protocol). Protocols: '
        f'{", ".join(args.protocols)}.\n'
        + (f'\nNot trained yet, so not here: {", ".join(untrained)}.\n'
           if untrained else '')
        + score_cache.kept_note(results))
    write_outputs(results, args, rows, header, pictures, data_cfg)
    failed = sorted({r['name'] for r in results if r['status'] != 'ok'})
    print(f'results: {args.out_dir}/results.md, results.csv'
          + (f'; FAILED rows: {failed}' if failed else ''))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
