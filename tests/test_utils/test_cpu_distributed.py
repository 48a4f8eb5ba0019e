"""The tools start a CPU torchrun run's gloo group themselves (mmengine's
init_dist would call torch.cuda.set_device)."""
import datetime

import pytest
import torch
from mmengine.config import Config

from fcsr_mm.engine import launch


@pytest.fixture
def calls(monkeypatch):
    made = []
    monkeypatch.setattr(torch.cuda, 'is_available', lambda: False)
    monkeypatch.setattr(torch.distributed, 'is_initialized', lambda: False)
    monkeypatch.setattr(torch.distributed, 'init_process_group',
                        lambda backend, **kw: made.append((backend, kw)))
    monkeypatch.setattr(launch.atexit, 'register', lambda fn: None)
    return made


def test_gloo_group_with_mmengines_dist_cfg(calls):
    cfg = Config(dict(launcher='pytorch', env_cfg=dict(dist_cfg=dict(
        backend='nccl', timeout=1800, port=29500, init_backend='torch'))))
    launch.start_cpu_distributed(cfg)
    assert calls == [('gloo', dict(timeout=datetime.timedelta(seconds=1800)))]


@pytest.mark.parametrize('launcher', ['none', 'slurm', 'mpi'])
def test_other_launchers_are_left_to_mmengine(calls, launcher):
    launch.start_cpu_distributed(Config(dict(launcher=launcher)))
    assert calls == []
