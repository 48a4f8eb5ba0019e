"""The precision table as markdown (``benchmark_speed.py --table
precision``), and its place in a document between two markers."""
import re
from typing import List, Optional, Sequence

from .inference_speed import NOT_SUPPORTED
from .speed_machine import Machine

START = '<!-- precision-table:start -->'
END = '<!-- precision-table:end -->'


def section_markers(name: Optional[str] = None):
    """(start, end) markers of the precision table called ``name`` (one per
    machine in a document); None: the unnamed table's."""
    if not name:
        return START, END
    if not re.fullmatch(r'[A-Za-z0-9_.-]+', name):
        raise ValueError(f'section name {name!r}: use letters, digits, '
                         '"_", "." or "-"')
    return (f'<!-- precision-table:{name}:start -->',
            f'<!-- precision-table:{name}:end -->')
#: issue 18's goals where the CPU has native bf16
GOAL_FACES_S, GOAL_INFERENCE_X, GOAL_TRAIN_X, GOAL_BATCH = 200, 5.0, 2.0, 64


def _num(value: Optional[float], fmt: str = '.1f') -> str:
    return '' if value is None else format(value, fmt)


def add_ratios(rows: List[dict], group: Sequence[str], is_base,
               key: str) -> List[dict]:
    """Set ``ratio`` of each row: its ``key`` over that of the row of its
    group (rows equal in ``group`` fields) for which ``is_base(row)``;
    None where either is untimed."""
    bases = {tuple(r[g] for g in group): r[key] for r in rows if is_base(r)}
    for row in rows:
        base = bases.get(tuple(row[g] for g in group))
        row['ratio'] = (row[key] / base if row[key] is not None and base
                        else None)
    return rows


def _label(name: str, note: str) -> str:
    return name + (' (emulated)' if note == 'emulated' else '')


def inference_table(rows: List[dict]) -> List[str]:
    add_ratios(rows, ('batch', ), lambda r: r['name'] == 'fp32', 'faces_s')
    lines = ['| generator inference | batch | faces / s | x fp32 | GFLOP/s '
             '| % of peak (estimate) |', '|---|---|---|---|---|---|']
    for r in rows:
        if r['note'] == 'unsupported':
            lines.append(f"| {r['name']} | {r['batch']} | {NOT_SUPPORTED} "
                         '| | | |')
            continue
        pct = (100 * r['gflops_s'] / r['peak_gflops']
               if r['gflops_s'] and r['peak_gflops'] else None)
        lines.append(f"| {_label(r['name'], r['note'])} | {r['batch']} | "
                     f"{_num(r['faces_s'])} | {_num(r['ratio'], '.2f')} | "
                     f"{_num(r['gflops_s'])} | {_num(pct, '.0f')} |")
    return lines


def train_table(rows: List[dict]) -> List[str]:
    add_ratios(rows, ('config', 'phase'), lambda r: r['precision'] == 'fp32',
               'it_s')
    lines = ['| training phase | trains | loss terms | batch | precision | '
             'it / s | x fp32 |', '|---|---|---|---|---|---|---|']
    for r in rows:
        what = (f"`{r['config']}` `{r['phase']}` | "
                f"{', '.join(r['trains'] + r['discriminators'])} | "
                f"{', '.join(r['terms'])} | {r['batch']}")
        precision = ('bf16 autocast' if r['precision'] == 'bf16'
                     else 'fp32')
        if r['note'] == 'unsupported':
            lines.append(f'| {what} | {precision} | {NOT_SUPPORTED} | |')
            continue
        lines.append(f"| {what} | {_label(precision, r['note'])} | "
                     f"{_num(r['it_s'], '.2f')} | {_num(r['ratio'], '.2f')} |")
    return lines


def goals_line(machine: Machine, infer: List[dict],
               train: List[dict]) -> str:
    """Issue 18's goals, met or not (they apply where bf16 is native)."""
    if not machine.native:
        return ('Issue 18 goals (bf16 >= 200 faces/s at batch 64, >= 5x '
                'fp32; every training phase >= 2x fp32) apply where the CPU '
                'computes bf16 natively: not here; the fp32 channels_last '
                'and onnxruntime rows are the gains this CPU has.')
    found = [r for r in infer if r['name'] == 'channels_last bf16'
             and r['batch'] == GOAL_BATCH and r['faces_s']]
    parts = []
    if found:
        r = found[0]
        ok = r['faces_s'] >= GOAL_FACES_S and (r['ratio'] or 0) >= \
            GOAL_INFERENCE_X
        parts.append(f"inference at batch {GOAL_BATCH}: {r['faces_s']:.0f} "
                     f"faces/s, {_num(r['ratio'], '.2f')}x fp32 "
                     f"({'met' if ok else 'not met'})")
    else:
        parts.append(f'inference at batch {GOAL_BATCH}: not measured')
    for r in train:
        if r['precision'] == 'bf16' and r['ratio'] is not None:
            ok = r['ratio'] >= GOAL_TRAIN_X
            parts.append(f"`{r['phase']}` of {r['config']} "
                         f"{r['ratio']:.2f}x ({'met' if ok else 'not met'})")
    return (f'Issue 18 goals (>= {GOAL_FACES_S} faces/s and >= '
            f'{GOAL_INFERENCE_X:g}x at batch {GOAL_BATCH}; training >= '
            f'{GOAL_TRAIN_X:g}x): ' + '; '.join(parts) + '.')


def precision_table(machine: Machine, software: str, infer: List[dict],
                    train: List[dict], meta: dict) -> str:
    """The whole table: machine, inference, training, peak, goals.

    Args:
        machine (Machine): Where it ran.
        software (str): torch / oneDNN / onnxruntime versions.
        infer, train (list[dict]): ``inference_rows`` / ``train_rows``.
        meta (dict): ``config``, ``threads``, ``warmup``, ``repeats``,
            ``wall_s``, ``command``, ``onnx`` (the export's words).
    """
    flags = ', '.join(machine.bf16_flags) or 'none'
    lines = [
        f"Measured on **{machine.cpu}** ({machine.cores} cores used, "
        f"{meta['threads']} torch threads); bf16 flags: {flags}; "
        f'`native_bf16()`: {machine.native} ({machine.native_reason}); '
        f'{software}.', '',
        f"`{meta['command']}`: {meta['wall_s']:.0f} s for the whole command;"
        f" each row the median of {meta['repeats']} runs after "
        f"{meta['warmup']} warm-up runs, all in one process. Weights are "
        'random (initial weights, random-weight parsers and VGG-19): speed '
        'does not depend on them. Inputs: random 32x32 faces with a 16x16 '
        'hole.', '']
    if infer:
        lines += [f"Generator of `{meta['config']}`: "
                  f"{meta.get('gflop_per_face', 0):.3f} GFLOP per face "
                  "(torch's counter). onnxruntime: "
                  f"{meta.get('onnx', 'not measured')}.", '']
        lines += inference_table(infer) + ['']
    if train:
        lines += ['A real `FCSRGAN.train_step` of the config\'s model and '
                  'optimiser wrappers (bf16: `AutocastOptimWrapper`, as '
                  '`tools/train.py --precision bf16`; contiguous memory '
                  'format), the phase chosen by MessageHub\'s iteration.', '']
        lines += train_table(train) + ['']
    if any(r['note'] == 'unsupported' for r in infer + train):
        lines += [f'bf16 rows say "{NOT_SUPPORTED}": '
                  f'{machine.native_reason}, so bf16 would be emulated, '
                  'far slower than fp32 (`--force-bf16` times it anyway).',
                  '']
    lines += [machine.describe(), '', goals_line(machine, infer, train)]
    return '\n'.join(lines) + '\n'


def _split(content: bytes, path: str, start: str, end: str):
    """(before and with ``start``, from ``end`` on) of ``content``."""
    for marker in (start, end):
        count = content.count(marker.encode())
        if count != 1:
            raise ValueError(
                f'{path}: needs exactly one {marker!r} line (has {count}); '
                f'put {start} and {end} around the section the table goes '
                'in')
    head, rest = content.split(start.encode())
    if end.encode() not in rest:
        raise ValueError(f'{path}: {end!r} comes before {start!r}; put the '
                         'end marker after the start marker')
    _, tail = rest.split(end.encode())
    return head + start.encode(), end.encode() + tail


def check_section(path: str, start: str = START, end: str = END) -> None:
    """Refuse (``ValueError``) a file ``replace_section`` cannot fill, before
    anything is measured."""
    with open(path, 'rb') as f:
        _split(f.read(), path, start, end)


def replace_section(path: str, text: str, start: str = START,
                    end: str = END) -> None:
    """Replace what lies between the ``start`` and ``end`` markers of
    ``path`` with ``text``; every other byte of the file stays as it is.

    Raises:
        ValueError: The file lacks either marker, has one twice, or has
            them in the wrong order.
    """
    with open(path, 'rb') as f:
        head, tail = _split(f.read(), path, start, end)
    body = b'\n' + text.strip('\n').encode() + b'\n'
    with open(path, 'wb') as f:
        f.write(head + body + tail)
