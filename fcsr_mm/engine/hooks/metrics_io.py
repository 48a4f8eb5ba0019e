"""Write test metrics as JSON (mmagic's ``--out`` chokes on tensors)."""
import json
import os
import os.path as osp

import numpy as np
import torch
from mmengine.hooks import Hook


class KeepTestMetricsHook(Hook):
    """Keeps the metrics of the last test epoch in ``self.metrics``."""

    def __init__(self):
        self.metrics = None

    def after_test_epoch(self, runner, metrics=None) -> None:
        self.metrics = metrics


def to_builtin(value):
    if isinstance(value, torch.Tensor):
        return value.item() if value.numel() == 1 else value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, dict):
        return {k: to_builtin(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_builtin(v) for v in value]
    return value


def dump_metrics(metrics: dict, path: str) -> None:
    os.makedirs(osp.dirname(osp.abspath(path)), exist_ok=True)
    with open(path, 'w') as f:
        json.dump(to_builtin(metrics), f, indent=2)
