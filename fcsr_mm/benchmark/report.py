"""Tables, charts and the comparison page of ``tools/analysis/benchmark.py``.

A result is one dict per (row, protocol): ``name``, ``protocol``,
``status`` ('ok' or 'failed: <reason>'), the metric keys of
``fcsr_mm.benchmark.rows.METRICS`` and the cost keys ``params``,
``gflops``, ``faces_s``, ``train_min``.
"""
import csv
import math
import os
import os.path as osp
from typing import Dict, List, Optional

from fcsr_mm.benchmark.rows import METRICS, PROTOCOLS

COST = [('params', 'params (M)', lambda v: f'{v / 1e6:.2f}'),
        ('gflops', 'GFLOPs / face', lambda v: f'{v:.2f}'),
        ('faces_s', 'CPU faces/s', lambda v: f'{v:.1f}'),
        ('train_min', 'train (CPU min)', lambda v: f'{v:.1f}')]
CSV_FIELDS = (['name', 'protocol', 'status'] + list(METRICS)
              + [c[0] for c in COST] + ['precision', 'scores_from'])


def _cell(result: dict, key: str, fmt) -> str:
    value = result.get(key)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return '-'
    return fmt(value)


def _metric_fmt(key: str):
    return lambda v: f'{v:.{METRICS[key][1]}f}'


def write_csv(results: List[dict], path: str) -> None:
    with open(path, 'w', newline='') as f:
        writer = csv.DictWriter(f, CSV_FIELDS, extrasaction='ignore')
        writer.writeheader()
        writer.writerows(results)


def protocol_table(results: List[dict], protocol: str,
                   reference: Optional[str] = None,
                   metrics: Optional[List[str]] = None) -> str:
    """The ``metrics`` (default: all) and costs of each row on one
    protocol; with a ``reference`` row, each row's parameters and speed
    relative to the reference's."""
    metrics = metrics or list(METRICS)
    rows = [r for r in results if r['protocol'] == protocol]
    ref = next((r for r in rows if r['name'] == reference), None)
    head = ([METRICS[k][0] for k in metrics] + [c[1] for c in COST]
            + (['params / ref', 'speed / ref'] if ref else []))
    lines = ['| method | ' + ' | '.join(head) + ' |',
             '|---' * (len(head) + 1) + '|']
    for r in rows:
        if not r['status'].startswith('ok'):
            lines.append(f'| {r["name"]} | **{r["status"]}** |'
                         + ' |' * (len(head) - 1))
            continue
        cells = [_cell(r, k, _metric_fmt(k)) for k in metrics]
        cells += [_cell(r, k, fmt) for k, _, fmt in COST]
        if ref:
            cells += [_ratio(r, ref, 'params'), _ratio(r, ref, 'faces_s')]
        lines.append(f'| {r["name"]} | ' + ' | '.join(cells) + ' |')
    return '\n'.join(lines) + '\n'


def _ratio(row: dict, ref: dict, key: str) -> str:
    if not row.get(key) or not ref.get(key):
        return '-'
    return f'{row[key] / ref[key]:.2f}x'


def occlusion_table(results: List[dict], key: str) -> str:
    """One metric of each row on every protocol, with the mean over O1..O6
    (the paper's Table I layout)."""
    protocols = [p for p in PROTOCOLS if any(r['protocol'] == p
                                             for r in results)]
    fixed = [p for p in protocols if p != 'random']
    names = list(dict.fromkeys(r['name'] for r in results))
    by = {(r['name'], r['protocol']): r for r in results}
    head = protocols + (['mean O1-O6'] if len(fixed) == 6 else [])
    lines = [f'| {METRICS[key][0]} | ' + ' | '.join(head) + ' |',
             '|---' * (len(head) + 1) + '|']
    fmt = _metric_fmt(key)
    for name in names:
        cells = [_cell(by.get((name, p), {}), key, fmt) for p in protocols]
        if len(fixed) == 6:
            vals = [by.get((name, p), {}).get(key) for p in fixed]
            cells.append(fmt(sum(vals) / 6) if all(
                v is not None for v in vals) else '-')
        lines.append(f'| {name} | ' + ' | '.join(cells) + ' |')
    return '\n'.join(lines) + '\n'


def bar_charts(results: List[dict], out_dir: str,
               metrics: Optional[List[str]] = None) -> Dict[str, str]:
    """One PNG per metric (default: all) and faces/s: rows grouped by
    protocol."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    names = list(dict.fromkeys(r['name'] for r in results))
    protocols = [p for p in PROTOCOLS if any(r['protocol'] == p
                                             for r in results)]
    by = {(r['name'], r['protocol']): r for r in results}
    charts = {}
    keys = list(metrics or METRICS) + ['faces_s']
    for key in keys:
        title = METRICS[key][0] if key in METRICS else 'CPU faces/s'
        if not any(r.get(key) is not None for r in results):
            continue
        fig, ax = plt.subplots(figsize=(max(6, 1.2 * len(protocols)
                                            * max(1, len(names) / 4)), 4))
        width = 0.8 / max(len(names), 1)
        for i, name in enumerate(names):
            vals = [by.get((name, p), {}).get(key) for p in protocols]
            xs = [j + i * width for j in range(len(protocols))]
            ax.bar(xs, [v if v is not None else 0 for v in vals], width,
                   label=name)
        ax.set_xticks([j + 0.4 - width / 2 for j in range(len(protocols))])
        ax.set_xticklabels(protocols)
        better = 'higher' if METRICS.get(key, (0, 0, True))[2] else 'lower'
        ax.set_ylabel(f'{title}, {better} is better')
        ax.set_title('no bar: failed or not applicable', fontsize=8)
        ax.legend(fontsize=7, loc='center left', bbox_to_anchor=(1, 0.5))
        fig.tight_layout()
        slug = key.replace('/', '_')
        path = osp.join(out_dir, f'{slug}.png')
        fig.savefig(path, dpi=100)
        plt.close(fig)
        charts[key] = path
    return charts


def joint_vs_sequences(results: List[dict], reference: str) -> str:
    """The Fig. 9 question in one sentence: does the reference (joint) row
    beat the best completion/SR sequence, by how much, and where not."""
    wins, losses, gaps = [], [], []
    for p in PROTOCOLS:
        ref = next((r for r in results if r['name'] == reference
                    and r['protocol'] == p and r.get('PSNR') is not None),
                   None)
        seqs = [r for r in results if r.get('sequence') and r['protocol'] == p
                and r.get('PSNR') is not None]
        if ref is None or not seqs:
            continue
        best = max(seqs, key=lambda r: r['PSNR'])
        gap = ref['PSNR'] - best['PSNR']
        gaps.append(gap)
        (wins if gap > 0 else losses).append(
            f'{p} ({gap:+.2f} dB vs {best["name"]})')
    if not gaps:
        return (f'No protocol has both {reference} and a sequence row, so '
                'the Fig. 9 comparison could not be made.')
    text = (f'{reference} beats the best completion/SR sequence in PSNR on '
            f'{len(wins)} of {len(gaps)} protocols (mean difference '
            f'{sum(gaps) / len(gaps):+.2f} dB)')
    if losses:
        text += '; it does not on ' + ', '.join(losses)
    return text + '.'


def write_doc_section(doc: str, section: str, text: str) -> None:
    """Put ``text`` in ``doc`` between this section's markers: replaced if
    the section is there, appended if not; other sections are kept."""
    start = f'<!-- benchmark section: {section} -->'
    end = f'<!-- end of benchmark section: {section} -->'
    block = f'{start}\n{text.rstrip()}\n{end}\n'
    old = open(doc).read() if osp.isfile(doc) else ''
    if start in old and end in old:
        head, rest = old.split(start, 1)
        new = head + block + rest.split(end, 1)[1].lstrip('\n')
    else:
        new = old + ('\n' if old else '') + block
    tmp = f'{doc}.partial'  # whole or not at all: the page is not lost
    with open(tmp, 'w') as f:
        f.write(new)
    os.replace(tmp, doc)


def has_doc_section(doc: str, section: str) -> bool:
    return osp.isfile(doc) and (
        f'<!-- benchmark section: {section} -->' in open(doc).read())


def face_grid(columns: Dict[str, list], path: str) -> str:
    """One face per line, one column per entry of ``columns`` (title ->
    HxWx3 uint8 BGR images); a failed row has an empty column."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    import numpy as np
    num = max(len(v) for v in columns.values())
    fig, axes = plt.subplots(num, len(columns), squeeze=False,
                             figsize=(1.45 * len(columns), 1.45 * num))
    for j, (title, faces) in enumerate(columns.items()):
        axes[0, j].set_title(title, fontsize=6)
        for i in range(num):
            ax = axes[i, j]
            ax.axis('off')
            if i < len(faces):
                face = np.ascontiguousarray(faces[i][..., ::-1])
                ax.imshow(face, interpolation='nearest')
    fig.tight_layout(pad=0.2)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
