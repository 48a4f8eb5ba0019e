"""torch >= 2.6 loads with weights_only=True: Runner checkpoints must resume,
and a checkpoint carrying anything else must be refused."""
import os
import os.path as osp
import pickle

import pytest
import torch
import torch.nn as nn
from mmengine.model import BaseModel
from mmengine.runner import Runner, load_checkpoint

import fcsr_mm  # noqa: F401  adds mmengine's globals to torch's allow-list
from fcsr_mm.utils.checkpoint_io import (AtomicLocalBackend,
                                         CheckpointReadError,
                                         load_checkpoint_file)


class ToyModel(BaseModel):

    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(2, 1)

    def forward(self, inputs, labels=None, mode='tensor'):
        out = self.linear(inputs)
        if mode == 'loss':
            return dict(loss=((out.squeeze(1) - labels)**2).mean())
        return out


class ToyData(torch.utils.data.Dataset):

    def __len__(self):
        return 8

    def __getitem__(self, i):
        return dict(inputs=torch.tensor([i, 1.0]), labels=torch.tensor(i * 0.5))


def _runner(work_dir, max_iters, resume=False, backend_args=None):
    return Runner(
        model=ToyModel(),
        work_dir=str(work_dir),
        train_dataloader=dict(dataset=ToyData(), batch_size=2,
                              sampler=dict(type='InfiniteSampler',
                                           shuffle=False),
                              collate_fn=dict(type='default_collate')),
        optim_wrapper=dict(optimizer=dict(type='Adam', lr=0.01)),
        param_scheduler=dict(type='MultiStepLR', milestones=[2, 4],
                             by_epoch=False),
        train_cfg=dict(by_epoch=False, max_iters=max_iters),
        default_hooks=dict(checkpoint=dict(type='CheckpointHook',
                                           by_epoch=False, interval=2,
                                           backend_args=backend_args),
                           logger=dict(type='LoggerHook', interval=1)),
        resume=resume,
        default_scope='mmengine',
        experiment_name=f'toy_{os.getpid()}_{max_iters}_{resume}')


def test_runner_checkpoint_resumes(tmp_path):
    _runner(tmp_path, 2).train()
    ckpt = tmp_path / 'iter_2.pth'
    assert ckpt.is_file()
    runner = _runner(tmp_path, 4, resume=True)
    runner.train()
    assert runner.iter == 4
    assert (tmp_path / 'iter_4.pth').is_file()
    # the plain weights load through mmengine's loader too
    load_checkpoint(ToyModel(), str(tmp_path / 'iter_4.pth'))


class _Evil:

    def __reduce__(self):
        return (os.getcwd, ())


class _GetattrEscape:

    def __reduce__(self):
        from mmengine.logging import HistoryBuffer
        return (getattr, (HistoryBuffer, '__init__'))


@pytest.mark.parametrize('payload,what', [(_Evil(), 'getcwd'),
                                          (_GetattrEscape(), '__init__')])
def test_tampered_checkpoint_is_refused(tmp_path, payload, what):
    _runner(tmp_path, 2).train()
    ckpt = torch.load(tmp_path / 'iter_2.pth', weights_only=True)
    ckpt['meta']['extra'] = payload
    bad = tmp_path / 'tampered.pth'
    torch.save(ckpt, bad)
    with pytest.raises(pickle.UnpicklingError) as err:
        load_checkpoint_file(str(bad))
    msg = str(err.value)
    assert 'Refused to load checkpoint' in msg and 'tampered.pth' in msg
    assert what in msg


def test_safety_is_not_switched_off():
    assert os.environ.get('TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD') in (None, '0')
    with pytest.raises(pickle.UnpicklingError):
        import io
        buf = io.BytesIO()
        torch.save({'x': _Evil()}, buf)
        buf.seek(0)
        torch.load(buf)


def test_checkpoint_writes_are_atomic(tmp_path, monkeypatch):
    """A write that dies midway leaves no file under the final name (and no
    temporary file); a complete one replaces the old file whole."""
    import os
    target = tmp_path / 'iter_2.pth'
    AtomicLocalBackend().put(b'old', str(target))

    def dying_fsync(fd):
        raise KeyboardInterrupt  # the job is killed while writing

    monkeypatch.setattr(os, 'fsync', dying_fsync)
    with pytest.raises(KeyboardInterrupt):
        AtomicLocalBackend().put(b'new but never finished', str(target))
    with pytest.raises(KeyboardInterrupt):
        AtomicLocalBackend().put_text('never finished', str(target))
    assert target.read_bytes() == b'old'
    assert sorted(p.name for p in tmp_path.iterdir()) == ['iter_2.pth']
    monkeypatch.undo()
    AtomicLocalBackend().put(b'new', str(target))
    assert target.read_bytes() == b'new'


def test_the_checkpoint_hook_writes_through_the_atomic_backend(
        tmp_path, monkeypatch):
    """What tools/train.py sets (backend_args) reaches the Runner's
    checkpoint and last_checkpoint writes."""
    from fcsr_mm.engine.launch import use_atomic_checkpoints
    from mmengine.config import Config
    cfg = Config(dict(default_hooks=dict(checkpoint=dict(
        type='CheckpointHook', interval=2))))
    use_atomic_checkpoints(cfg)
    backend_args = cfg.default_hooks.checkpoint.backend_args
    assert backend_args == dict(backend='atomic_local')
    written = []
    put = AtomicLocalBackend.put
    monkeypatch.setattr(AtomicLocalBackend, 'put', lambda self, obj, path: (
        written.append(os.path.basename(str(path))), put(self, obj, path)))
    _runner(tmp_path, 2, backend_args=dict(backend_args)).train()
    # (mmengine writes last_checkpoint with open(), after the checkpoint)
    assert written == ['iter_2.pth']
    # a config that names its own backend keeps it
    cfg.default_hooks.checkpoint.backend_args = dict(backend='local')
    use_atomic_checkpoints(cfg)
    assert cfg.default_hooks.checkpoint.backend_args == dict(backend='local')
    # nor is it forced on file_client_args (mmengine refuses both) or on a
    # remote out_dir (the backend name would win over the URI's prefix)
    for other in (dict(file_client_args=dict(backend='disk')),
                  dict(out_dir='s3://bucket/ckpts')):
        cfg = Config(dict(default_hooks=dict(checkpoint=dict(
            type='CheckpointHook', **other))))
        use_atomic_checkpoints(cfg)
        assert 'backend_args' not in cfg.default_hooks.checkpoint


def test_importing_fcsr_mm_replaces_nothing_in_mmengine():
    """Registration only: mmengine's loader, file backend and distributed
    init are its own functions, in a fresh interpreter too."""
    import subprocess
    import sys
    code = (
        'import fcsr_mm, mmengine.dist.utils as d\n'
        'import mmengine.runner.checkpoint as c\n'
        'from mmengine.fileio.backends import LocalBackend\n'
        'fns = [LocalBackend.put, LocalBackend.put_text, d._init_dist_pytorch,\n'
        '       d.init_dist, c.CheckpointLoader._schemes[""]]\n'
        'assert c.CheckpointLoader._schemes[""] is c.load_from_local\n'
        'print(all(f.__module__.startswith("mmengine.") for f in fns))\n')
    out = subprocess.run([sys.executable, '-c', code], capture_output=True,
                         text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == 'True'


def test_truncated_checkpoint_is_named_in_one_line(tool, repo, data_opts,
                                                   synthetic_parser_root,
                                                   tmp_path):
    import torch
    good = tmp_path / 'good.pth'
    torch.save({'state_dict': {'w': torch.zeros(1000)}}, good)
    data = good.read_bytes()
    (tmp_path / 'cut.pth').write_bytes(data[:len(data) // 2])
    (tmp_path / 'text.pth').write_text('not a checkpoint')
    for name in ('cut.pth', 'text.pth'):
        with pytest.raises(CheckpointReadError,
                           match=rf'{name}: not a complete checkpoint'):
            load_checkpoint_file(str(tmp_path / name))
    train = tool('train.py')
    cfg = osp.join(repo, 'configs/parser/'
                   'segnet_s3c16_1xb16-300_synthetic-32x32.py')
    opts = [f'{k}={v}' for k, v in data_opts(synthetic_parser_root).items()]
    with pytest.raises(SystemExit, match=r'cut\.pth: not a complete') as err:
        train.main([cfg, '--work-dir', str(tmp_path / 'w'), '--resume',
                    str(tmp_path / 'cut.pth'), '--cfg-options', *opts])
    assert '\n' not in str(err.value)


@pytest.mark.parametrize('umask', [0o022, 0o027])
def test_checkpoints_get_the_mode_of_a_new_file(tmp_path, umask):
    """Not mkstemp's 0600: what the umask gives any new file."""
    previous = os.umask(umask)
    try:
        AtomicLocalBackend().put(b'weights', str(tmp_path / 'iter_2.pth'))
        (tmp_path / 'plain').write_bytes(b'')
    finally:
        os.umask(previous)
    mode = (tmp_path / 'iter_2.pth').stat().st_mode & 0o777
    assert mode == (tmp_path / 'plain').stat().st_mode & 0o777
    assert mode == 0o666 & ~umask


def test_a_refused_checkpoint_stops_the_tools_in_one_line(tmp_path, tool):
    """tools/test.py names the file and the refused global in one line."""
    _runner(tmp_path, 2).train()
    ckpt = torch.load(tmp_path / 'iter_2.pth', weights_only=True)
    ckpt['meta']['extra'] = _Evil()
    bad = tmp_path / 'tampered.pth'
    torch.save(ckpt, bad)
    with pytest.raises(pickle.UnpicklingError) as err:
        load_checkpoint_file(str(bad))
    assert '\n' not in str(err.value) and 'getcwd' in str(err.value)
