"""The Fig. 9 question answered with intervals: per protocol, the joint
(reference) row against the best completion/SR sequence on the same faces,
each metric's mean per-face difference with its paired bootstrap interval,
"wins" only where the interval excludes zero."""
import json
from typing import Dict, List, Optional, Sequence

import numpy as np

from .paired_bootstrap import aligned_scores, paired_difference
from .rows import METRICS, PROTOCOLS

#: what the paper says (Fig. 9), quoted beside the verdict
PAPER_CLAIM = ('the joint model beats GFC->SRResNet and SRResNet->GFC run in '
               'sequence, on all six occlusions')
OCCLUSIONS = tuple(p for p in PROTOCOLS if p != 'random')
MEAN_O = 'mean of O1..O6'


def read_scores(path: str) -> Dict:
    with open(path) as f:
        return json.load(f)


def _mean_over_protocols(per_protocol: Sequence[Dict]) -> Dict:
    """Per-face mean over protocols (the same faces in each)."""
    first = per_protocol[0]
    for other in per_protocol[1:]:
        aligned_scores(first, other, next(k for k in first if k != 'faces'))
    keys = set.intersection(*(set(s) for s in per_protocol)) - {'faces'}
    return dict(faces=first['faces'],
                **{k: list(np.mean([s[k] for s in per_protocol], axis=0))
                   for k in keys})


def _row(results, name, protocol):
    return next((r for r in results if r['name'] == name
                 and r['protocol'] == protocol and r.get('per_face')), None)


def comparisons(results: List[dict], reference: str,
                metrics: Sequence[str] = ('PSNR', 'SSIM'),
                samples: int = 2000) -> List[Dict]:
    """One entry per protocol (and the mean of O1..O6 when all six ran):
    the best sequence by mean PSNR and, per metric, the reference's paired
    difference to it (``paired_difference``)."""
    out, by_protocol = [], {}
    for p in PROTOCOLS:
        ref = _row(results, reference, p)
        seqs = [r for r in results if r.get('sequence') and r['protocol'] == p
                and r.get('per_face')]
        if ref is None or not seqs:
            continue
        best = max(seqs, key=lambda r: r['PSNR'])
        by_protocol[p] = (read_scores(ref['per_face']),
                          read_scores(best['per_face']), best['name'])
    groups = [(p, *by_protocol[p]) for p in by_protocol]
    mean_o = _mean_of_occlusions(results, reference)
    if mean_o:
        groups.append(mean_o)
    for protocol, joint, seq, seq_name in groups:
        entry = dict(protocol=protocol, sequence=seq_name, metrics={})
        for m in metrics:
            if m not in joint or m not in seq:
                continue
            a, b = aligned_scores(joint, seq, m)
            entry['metrics'][m] = paired_difference(
                a, b, higher_is_better=METRICS[m][2], samples=samples)
        out.append(entry)
    return out


def _mean_of_occlusions(results: List[dict], reference: str):
    """The mean-of-O1..O6 group: the sequence best on the mean PSNR over
    the six protocols, both rows' scores averaged per face."""
    seqs = {r['name'] for r in results if r.get('sequence')}

    def rows_of(name):
        return [_row(results, name, o) for o in OCCLUSIONS]
    complete = [n for n in seqs if all(rows_of(n))]
    if not complete or not all(rows_of(reference)):
        return None  # no sequence (or no joint row) ran all six
    best = max(complete, key=lambda n: np.mean([r['PSNR']
                                                for r in rows_of(n)]))
    joint = [read_scores(r['per_face']) for r in rows_of(reference)]
    seq = [read_scores(r['per_face']) for r in rows_of(best)]
    return (MEAN_O, _mean_over_protocols(joint), _mean_over_protocols(seq),
            best)


def _cell(d: Dict, decimals: int) -> str:
    return (f'{d["mean"]:+.{decimals}f} [{d["low"]:+.{decimals}f}, '
            f'{d["high"]:+.{decimals}f}]')


def verdict_table(entries: List[Dict], reference: str) -> str:
    """A markdown table: protocol, best sequence, each metric's difference
    (reference minus sequence) with its 95% interval, and who wins."""
    if not entries:
        return (f'No protocol has per-face scores of both {reference} and a '
                'sequence row, so no paired comparison could be made.\n')
    metrics = list(dict.fromkeys(m for e in entries for m in e['metrics']))
    head = ['protocol', 'best sequence'] + [
        f'{METRICS[m][0]}: {reference} minus sequence [95% CI]'
        for m in metrics] + ['verdict']
    lines = ['| ' + ' | '.join(head) + ' |', '|---' * len(head) + '|']
    for e in entries:
        cells = [_cell(e['metrics'][m], METRICS[m][1]) if m in e['metrics']
                 else '-' for m in metrics]
        lines.append(f'| {e["protocol"]} | {e["sequence"]} | '
                     + ' | '.join(cells) + f' | {_words(e, reference)} |')
    return '\n'.join(lines) + '\n'


def _words(entry: Dict, reference: str) -> str:
    said = []
    for m, d in entry['metrics'].items():
        who = {'a': reference, 'b': entry['sequence']}.get(d['verdict'])
        said.append(f'{m}: {who} wins' if who else f'{m}: no clear winner')
    return '; '.join(said)


def verdict_text(entries: List[Dict], reference: str,
                 metric: str = 'PSNR') -> str:
    """The verdict in sentences, beside the paper's claim."""
    if not entries:
        return ''
    won = [e['protocol'] for e in entries
           if e['metrics'].get(metric, {}).get('verdict') == 'a']
    lost = [e['protocol'] for e in entries
            if e['metrics'].get(metric, {}).get('verdict') == 'b']
    tied = [e['protocol'] for e in entries
            if e['protocol'] not in won + lost]
    text = [f'In {metric}, {reference} beats the best sequence beyond the '
            f'95% interval on {_listed(won)}; the sequence beats it on '
            f'{_listed(lost)}; neither is ahead beyond the noise on '
            f'{_listed(tied)}.', f'The paper: "{PAPER_CLAIM}" (Fig. 9).']
    return ' '.join(text) + '\n'


def _listed(names: List[str]) -> str:
    return ', '.join(names) if names else 'none'
