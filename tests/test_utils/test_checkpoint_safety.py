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

import fcsr_mm  # noqa: F401  applies the allow-list


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


def _runner(work_dir, max_iters, resume=False):
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
                                           by_epoch=False, interval=2),
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
        load_checkpoint(ToyModel(), str(bad))
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

    from mmengine.fileio.backends import LocalBackend
    import fcsr_mm  # noqa: F401  applies the patch
    target = tmp_path / 'iter_2.pth'
    LocalBackend().put(b'old', str(target))

    def dying_fsync(fd):
        raise KeyboardInterrupt  # the job is killed while writing

    monkeypatch.setattr(os, 'fsync', dying_fsync)
    with pytest.raises(KeyboardInterrupt):
        LocalBackend().put(b'new but never finished', str(target))
    assert target.read_bytes() == b'old'
    assert sorted(p.name for p in tmp_path.iterdir()) == ['iter_2.pth']
    monkeypatch.undo()
    LocalBackend().put(b'new', str(target))
    assert target.read_bytes() == b'new'


def test_truncated_checkpoint_is_named_in_one_line(tool, repo, data_opts,
                                                   synthetic_parser_root,
                                                   tmp_path):
    import torch
    good = tmp_path / 'good.pth'
    torch.save({'state_dict': {'w': torch.zeros(1000)}}, good)
    data = good.read_bytes()
    (tmp_path / 'cut.pth').write_bytes(data[:len(data) // 2])
    (tmp_path / 'text.pth').write_text('not a checkpoint')
    from mmengine.runner import load_checkpoint

    from fcsr_mm.utils.checkpoint_io import CheckpointReadError
    for name in ('cut.pth', 'text.pth'):
        with pytest.raises(CheckpointReadError,
                           match=rf'{name}: not a complete checkpoint'):
            load_checkpoint(torch.nn.Linear(2, 2), str(tmp_path / name))
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
    from mmengine.fileio.backends import LocalBackend
    previous = os.umask(umask)
    try:
        LocalBackend().put(b'weights', str(tmp_path / 'iter_2.pth'))
        (tmp_path / 'plain').write_bytes(b'')
    finally:
        os.umask(previous)
    mode = (tmp_path / 'iter_2.pth').stat().st_mode & 0o777
    assert mode == (tmp_path / 'plain').stat().st_mode & 0o777
    assert mode == 0o666 & ~umask
