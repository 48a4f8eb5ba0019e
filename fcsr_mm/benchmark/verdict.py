"""The Fig. 9 question answered with intervals: per protocol, the joint
(reference) row against the best completion/SR sequence on the same faces,
each metric's mean per-face difference with its paired bootstrap interval,
"wins" only where the interval excludes zero; and the same against each
ablation row (the joint model with one part removed)."""
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
                samples: int = 2000,
                rivals: Optional[Sequence[str]] = None) -> List[Dict]:
    """One entry per protocol (and the mean of O1..O6 when all six ran):
    the best of the ``rivals`` rows (default: the sequence rows) by mean
    PSNR and, per metric, the reference's paired difference to it
    (``paired_difference``); the entry's ``rival`` names that row."""
    if rivals is None:
        rivals = [r['name'] for r in results if r.get('sequence')]
    rivals = set(rivals) - {reference}
    out, groups = [], []
    for p in PROTOCOLS:
        ref = _row(results, reference, p)
        others = [r for r in results if r['name'] in rivals
                  and r['protocol'] == p and r.get('per_face')]
        if ref is None or not others:
            continue
        best = max(others, key=lambda r: r['PSNR'])
        groups.append((p, read_scores(ref['per_face']),
                       read_scores(best['per_face']), best['name']))
    mean_o = _mean_of_occlusions(results, reference, rivals)
    if mean_o:
        groups.append(mean_o)
    for protocol, joint, rival, rival_name in groups:
        entry = dict(protocol=protocol, rival=rival_name, metrics={})
        for m in metrics:
            if m not in joint or m not in rival:
                continue
            a, b = aligned_scores(joint, rival, m)
            entry['metrics'][m] = paired_difference(
                a, b, higher_is_better=METRICS[m][2], samples=samples)
        out.append(entry)
    return out


def ablation_comparisons(results: List[dict], reference: str,
                         **kwargs) -> List[Dict]:
    """``comparisons`` of the reference with each ablation row (a row with
    ``ablation: true``: the reference with one part removed) in turn: what
    that part is worth, face by face."""
    names = dict.fromkeys(r['name'] for r in results if r.get('ablation'))
    return [e for name in names
            for e in comparisons(results, reference, rivals=[name], **kwargs)]


def _mean_of_occlusions(results: List[dict], reference: str, rivals):
    """The mean-of-O1..O6 group: the rival best on the mean PSNR over the
    six protocols, both rows' scores averaged per face."""

    def rows_of(name):
        return [_row(results, name, o) for o in OCCLUSIONS]
    complete = [n for n in sorted(rivals) if all(rows_of(n))]
    if not complete or not all(rows_of(reference)):
        return None  # no rival (or no joint row) ran all six
    best = max(complete, key=lambda n: np.mean([r['PSNR']
                                                for r in rows_of(n)]))
    joint = [read_scores(r['per_face']) for r in rows_of(reference)]
    rival = [read_scores(r['per_face']) for r in rows_of(best)]
    return (MEAN_O, _mean_over_protocols(joint), _mean_over_protocols(rival),
            best)


def _cell(d: Dict, decimals: int) -> str:
    return (f'{d["mean"]:+.{decimals}f} [{d["low"]:+.{decimals}f}, '
            f'{d["high"]:+.{decimals}f}]')


def verdict_table(entries: List[Dict], reference: str,
                  rival: str = 'sequence') -> str:
    """A markdown table: protocol, the rival row (the best sequence, or an
    ablation), each metric's difference (reference minus rival) with its
    95% interval, and who wins."""
    if not entries:
        return (f'No protocol has per-face scores of both {reference} and a '
                f'{rival} row, so no paired comparison could be made.\n')
    metrics = list(dict.fromkeys(m for e in entries for m in e['metrics']))
    head = ['protocol', 'best sequence' if rival == 'sequence' else rival] + [
        f'{METRICS[m][0]}: {reference} minus {rival} [95% CI]'
        for m in metrics] + ['verdict']
    lines = ['| ' + ' | '.join(head) + ' |', '|---' * len(head) + '|']
    for e in entries:
        cells = [_cell(e['metrics'][m], METRICS[m][1]) if m in e['metrics']
                 else '-' for m in metrics]
        lines.append(f'| {e["protocol"]} | {e["rival"]} | '
                     + ' | '.join(cells) + f' | {_words(e, reference)} |')
    return '\n'.join(lines) + '\n'


def _words(entry: Dict, reference: str) -> str:
    said = []
    for m, d in entry['metrics'].items():
        who = {'a': reference, 'b': entry['rival']}.get(d['verdict'])
        said.append(f'{m}: {who} wins' if who else f'{m}: no clear winner')
    return '; '.join(said)


def verdict_text(entries: List[Dict], reference: str,
                 metric: str = 'PSNR') -> str:
    """The verdict in sentences, beside the paper's claim."""
    if not entries:
        return ''
    won, lost, tied = _split(entries, metric)
    text = [f'In {metric}, {reference} beats the best sequence beyond the '
            f'95% interval on {_listed(won)}; the sequence beats it on '
            f'{_listed(lost)}; neither is ahead beyond the noise on '
            f'{_listed(tied)}.', f'The paper: "{PAPER_CLAIM}" (Fig. 9).']
    return ' '.join(text) + '\n'


def ablation_text(entries: List[Dict], reference: str,
                  metric: str = 'PSNR') -> str:
    """Per ablation row, in sentences: where the part it removes helps
    (the reference ahead beyond the interval), hurts, or makes no
    difference beyond the noise."""
    lines = []
    for name in dict.fromkeys(e['rival'] for e in entries):
        mine = [e for e in entries if e['rival'] == name]
        won, lost, tied = _split(mine, metric)
        lines.append(f'In {metric}, {reference} is ahead of {name} beyond '
                     f'the 95% interval on {_listed(won)}; behind it on '
                     f'{_listed(lost)}; no difference beyond the noise on '
                     f'{_listed(tied)}.')
    return ' '.join(lines) + '\n' if lines else ''


def _split(entries: List[Dict], metric: str):
    """Protocols the reference wins, loses and ties on ``metric``."""
    won = [e['protocol'] for e in entries
           if e['metrics'].get(metric, {}).get('verdict') == 'a']
    lost = [e['protocol'] for e in entries
            if e['metrics'].get(metric, {}).get('verdict') == 'b']
    return won, lost, [e['protocol'] for e in entries
                       if e['protocol'] not in won + lost]


def _listed(names: List[str]) -> str:
    return ', '.join(names) if names else 'none'
