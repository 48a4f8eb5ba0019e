"""Each test face's own score, not only the mean: what a paired comparison
of two restorers on the same faces needs (the benchmark's intervals)."""
from typing import Dict, List

from mmengine.hooks import Hook


def _metric_name(metric) -> str:
    prefix = getattr(metric, 'prefix', None)
    return f'{prefix}/{metric.metric}' if prefix else metric.metric


def _sample_key(sample) -> str:
    for key in ('gt_path', 'img_path', 'key'):
        value = sample.metainfo.get(key) if hasattr(sample, 'metainfo') \
            else None
        if value:
            return str(value)
    raise ValueError('PerFaceScoresHook: a test sample has no gt_path, '
                     'img_path or key to name its face')


class PerFaceScoresHook(Hook):
    """Keeps every sample-wise metric's score of every test face, in test
    order, with the faces' file names (single process: the scores of one
    rank).

    After the test, ``scores`` is ``{'faces': [name, ...], metric: [value,
    ...]}`` (metric names as the test logs them, e.g. ``lr/PSNR``).
    """
    priority = 'LOWEST'

    def before_test_epoch(self, runner) -> None:
        self.scores: Dict[str, List] = {'faces': []}
        self._seen: Dict[int, int] = {}

    def after_test_iter(self, runner, batch_idx, data_batch=None,
                        outputs=None) -> None:
        self.scores['faces'] += [_sample_key(s) for s in outputs or []]
        for metric in runner.test_loop.evaluator.metrics:
            results = getattr(metric, 'results', None)
            name = getattr(metric, 'metric', None)
            if not isinstance(results, list) or not isinstance(name, str):
                continue  # not a sample-wise metric
            new = results[self._seen.get(id(metric), 0):]
            self._seen[id(metric)] = len(results)
            scale = getattr(metric, 'scaling', 1)
            self.scores.setdefault(_metric_name(metric), []).extend(
                float(r[name]) * scale for r in new
                if isinstance(r, dict) and name in r)
