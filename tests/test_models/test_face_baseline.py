"""Training-free baselines through tools/test.py (no checkpoint needed)."""
import os.path as osp

import pytest


@pytest.mark.parametrize('method', ['bicubic', 'telea'])
def test_baseline_through_test_tool(method, tool, repo, synthetic_root,
                                    tmp_path):
    test = tool('test.py')
    cfg = osp.join(repo, f'configs/baselines/{method}_synthetic.py')
    opts = [f'visualizer.name=vis_{method}_{tmp_path.name}']
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        opts += [f'{loader}.dataset.data_root={synthetic_root}/aligned',
                 f'{loader}.num_workers=0', f'{loader}.persistent_workers=False']
    metrics = test.main([cfg, '--work-dir', str(tmp_path), '--cfg-options',
                         *opts])
    assert set(metrics) >= {'PSNR', 'SSIM', 'HolePSNR', 'HoleSSIM', 'lr/PSNR'}
    assert 5 < metrics['PSNR'] < 60


def test_model_config_needs_checkpoint(tool, repo):
    test = tool('test.py')
    with pytest.raises(SystemExit, match='needs a checkpoint'):
        test.main([osp.join(repo, 'configs/fcsr_stage2_synthetic.py')])
