"""A row's scores on one protocol, kept beside its per-face scores so a
later benchmark (``--reuse-scores``) can take them instead of testing the
row again, but only when nothing that makes them has changed.

The key covers what decides the scores: the row's resolved config (its
``_base_`` files and ``cfg_options`` merged), the content of every file the
config names (checkpoints, a sequence's step configs), the test loader (data
root, face list, protocol, batch size), every file under the data root (name
and size), the metrics, the precision, the package's model, data and
metric code (every ``fcsr_mm`` source outside ``benchmark/``, which only
reports) and the library versions. Speed is never reused: it is measured
again in every run.
"""
import functools
import hashlib
import json
import os
import os.path as osp
import time
from typing import Optional

from mmengine.config import Config

FILE_NAME = 'scores.json'
_PACKAGE = osp.dirname(osp.dirname(osp.abspath(__file__)))


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _config_digest(cfg: Config) -> str:
    return _digest(json.dumps(cfg.to_dict(), sort_keys=True, default=str))


def _file_digest(path: str) -> str:
    """A config by its resolved content (its bases included), any other
    file by its bytes."""
    if path.endswith('.py'):
        return _config_digest(Config.fromfile(path))
    sha = hashlib.sha256()
    with open(path, 'rb') as f:
        for block in iter(lambda: f.read(1 << 22), b''):
            sha.update(block)
    return sha.hexdigest()


def _named_files(value) -> list:
    """Every existing file a config value names, at any depth."""
    if isinstance(value, dict):
        return [p for v in value.values() for p in _named_files(v)]
    if isinstance(value, (list, tuple)):
        return [p for v in value for p in _named_files(v)]
    return [value] if isinstance(value, str) and osp.isfile(value) else []


def _tree_digest(root: str) -> str:
    """Names and sizes of every file under ``root``."""
    entries = []
    for folder, _, files in os.walk(root):
        for name in files:
            path = osp.join(folder, name)
            entries.append(f'{osp.relpath(path, root)}:{osp.getsize(path)}')
    return _digest('\n'.join(sorted(entries)))


@functools.lru_cache(maxsize=1)
def code_digest() -> str:
    """The package's sources outside ``benchmark/`` and the versions of the
    libraries that run the rows."""
    import mmagic
    import mmcv
    import mmengine
    import torch
    parts = [f'torch {torch.__version__} mmagic {mmagic.__version__} '
             f'mmcv {mmcv.__version__} mmengine {mmengine.__version__}']
    for folder, dirs, files in os.walk(_PACKAGE):
        dirs[:] = sorted(d for d in dirs if d not in ('benchmark',
                                                       '__pycache__'))
        for name in sorted(f for f in files if f.endswith('.py')):
            path = osp.join(folder, name)
            with open(path) as f:
                parts.append(osp.relpath(path, _PACKAGE) + '\n' + f.read())
    return _digest('\n'.join(parts))


def score_key(row: dict, loader: dict, evaluator: list, precision: str,
              ) -> str:
    """The digest of everything that decides ``row``'s scores on
    ``loader`` (which carries the protocol)."""
    cfg = Config.fromfile(row['config'])
    cfg.merge_from_dict(row.get('cfg_options') or {})
    named = sorted(set(_named_files(cfg.to_dict()) + [
        p for p in [row.get('checkpoint')] if p]))
    root = loader['dataset'].get('data_root')
    parts = dict(
        config=_config_digest(cfg),
        files={p: _file_digest(p) for p in named},
        loader=json.dumps(loader, sort_keys=True, default=str),
        data=_tree_digest(root) if root else '',
        evaluator=json.dumps(evaluator, sort_keys=True),
        precision=precision, code=code_digest())
    return _digest(json.dumps(parts, sort_keys=True))


def load_scores(folder: str, key: str) -> Optional[dict]:
    """The kept record (``metrics``, ``date``) of ``folder`` when its key
    is ``key`` and its per-face scores are still there; None otherwise."""
    path = osp.join(folder, FILE_NAME)
    if not osp.isfile(path) or not osp.isfile(osp.join(folder,
                                                       'per_face.json')):
        return None
    with open(path) as f:
        kept = json.load(f)
    return kept if kept.get('key') == key else None


def row_scores(row: dict, loader: dict, folder: str, plan,
               reuse: bool) -> tuple:
    """``(metrics, date)`` of ``row`` on ``loader`` in precision ``plan``:
    the kept scores of ``folder`` and their date when ``reuse`` and the key
    matches, else a new test (its per-face scores and record written to
    ``folder``) and None; raises ``RowFailure``."""
    from .rows import EVALUATOR, RowFailure, test_row
    try:
        key = score_key(row, loader, EVALUATOR, plan.label)
    except Exception as err:  # e.g. a config that does not load
        raise RowFailure.of(err) from err
    kept = load_scores(folder, key) if reuse else None
    if kept:
        return kept['metrics'], kept['date']
    metrics = test_row(row, loader, folder, plan,
                       osp.join(folder, 'per_face.json'))
    save_scores(folder, key, metrics)
    return metrics, None


def save_scores(folder: str, key: str, metrics: dict) -> None:
    os.makedirs(folder, exist_ok=True)
    record = dict(key=key, date=time.strftime('%Y-%m-%d %H:%M'),
                  metrics={k: float(v) for k, v in metrics.items()})
    with open(osp.join(folder, FILE_NAME), 'w') as f:
        json.dump(record, f, indent=1)


def kept_note(results: list) -> str:
    """The page's line naming the scores taken from earlier runs (empty
    when every row was tested in this run)."""
    kept = {}
    for r in results:
        if r.get('scores_from'):
            kept.setdefault(r['name'], []).append(
                f'{r["protocol"]} {r["scores_from"]}')
    if not kept:
        return ''
    return ('\nScores kept from earlier runs (`--reuse-scores`: the same '
            'config, checkpoints, faces, metrics, precision and code; '
            'speed measured in this run): ' + '; '.join(
                f'{name} ({", ".join(v)})' for name, v in kept.items())
            + '.\n')
