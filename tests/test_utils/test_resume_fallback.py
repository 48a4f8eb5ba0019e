"""--resume (auto) past a truncated last checkpoint of an older version."""
import os

import pytest
import torch

from fcsr_mm.utils.checkpoint_io import CheckpointReadError, resume_checkpoint


def save(path, it):
    torch.save({'meta': {'iter': it}, 'state_dict': {'w': torch.ones(3)}},
               path)


def test_resume_falls_back_to_the_newest_whole_checkpoint(tmp_path):
    assert resume_checkpoint(str(tmp_path)) is None  # nothing to resume
    for it in (2, 4, 6):
        save(tmp_path / f'iter_{it}.pth', it)
    last = tmp_path / 'last_checkpoint'
    last.write_text(str(tmp_path / 'iter_6.pth'))
    assert resume_checkpoint(str(tmp_path)) == str(tmp_path / 'iter_6.pth')
    data = (tmp_path / 'iter_6.pth').read_bytes()
    (tmp_path / 'iter_6.pth').write_bytes(data[:len(data) // 2])  # killed
    assert resume_checkpoint(str(tmp_path)) == str(tmp_path / 'iter_4.pth')
    for it in (2, 4):
        (tmp_path / f'iter_{it}.pth').write_bytes(b'')
    with pytest.raises(CheckpointReadError, match='iter_6.pth.*no other'):
        resume_checkpoint(str(tmp_path))
    assert sorted(os.listdir(tmp_path))[0] == 'iter_2.pth'  # nothing deleted


def test_train_tool_resumes_from_the_fallback(tool, tmp_path, monkeypatch,
                                             synthetic_root, data_opts):
    """tools/train.py --resume hands mmengine the whole checkpoint."""
    train = tool('train.py')
    save(tmp_path / 'iter_2.pth', 2)
    (tmp_path / 'iter_4.pth').write_bytes(b'PK\x03\x04 truncated')
    (tmp_path / 'last_checkpoint').write_text(str(tmp_path / 'iter_4.pth'))
    seen = {}

    class Runner:
        @staticmethod
        def from_cfg(cfg):
            seen.update(resume=cfg.resume, load_from=cfg.load_from)
            raise SystemExit(0)
    import mmengine.runner
    monkeypatch.setattr(mmengine.runner, 'Runner', Runner)
    with pytest.raises(SystemExit):
        train.main(['configs/fcsr_stage1_synthetic.py', '--work-dir',
                    str(tmp_path), '--resume', '--cfg-options'] +
                   [f'{k}={v}' for k, v in data_opts(
                       f'{synthetic_root}/aligned').items()])
    assert seen == dict(resume=True, load_from=str(tmp_path / 'iter_2.pth'))
