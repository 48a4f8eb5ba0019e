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


def test_telea_then_learned_sr(repo, tmp_path):
    """``sr``: an SR network loaded through mmengine's ``Pretrained`` init
    from a checkpoint's generator upsamples Telea's face."""
    import torch
    from mmagic.registry import MODELS
    from mmagic.structures import DataSample
    from mmengine.config import Config
    from mmengine.registry import DefaultScope

    from fcsr_mm.apis import init_restorer
    cfg = osp.join(repo, 'configs/fcsr_stage2_synthetic.py')
    torch.manual_seed(0)
    model = init_restorer(cfg)
    ckpt = str(tmp_path / 'model.pth')
    torch.save({'state_dict': model.state_dict()}, ckpt)
    gen = Config.fromfile(cfg).model.generator
    sr_init = dict(type='Pretrained', checkpoint=ckpt,
                   prefix='generator.sr')  # the '.' added, as mmengine does
    prep = dict(type='DataPreprocessor', mean=[127.5] * 3, std=[127.5] * 3,
                output_channel_order='RGB')
    with DefaultScope.overwrite_default_scope('mmagic'):
        base = MODELS.build(dict(type='FaceBaseline', method='telea',
                                 sr=gen.sr, sr_init_cfg=sr_init,
                                 sr_upsampler=gen.sr_upsampler,
                                 data_preprocessor=prep))
    inputs = torch.rand(2, 3, 32, 32) * 2 - 1
    mask = torch.zeros(2, 1, 32, 32)
    mask[:, :, 4:20, 8:24] = 1
    samples = DataSample(mask_lr=mask)
    samples.set_metainfo({})
    out = base.forward_inference(inputs, samples)
    assert out.pred_img.shape == (2, 3, 128, 128)
    # the same SR module applied to the inpainted 32x32 face (BGR -> RGB)
    expected = model.generator.sr(out.pred_lr.flip(1) / 127.5 - 1)
    expected = ((expected + 1) * 127.5).clamp(0, 255).flip(1)
    torch.testing.assert_close(out.pred_img, expected.detach(), atol=1e-3,
                               rtol=0)
    assert not any(p.requires_grad for p in base.sr.parameters())
    # weights of another SR network (mmengine's Pretrained would only log)
    wider = dict(gen.sr, mid_channels=gen.sr.mid_channels * 2)
    with DefaultScope.overwrite_default_scope('mmagic'), pytest.raises(
            ValueError, match=r"FaceBaseline\.sr: checkpoint .*model\.pth.* "
            r"\(weights under 'generator\.sr\.'\) does not fit .* of another "
            'shape'):
        MODELS.build(dict(type='FaceBaseline', method='telea', sr=wider,
                          sr_init_cfg=sr_init, data_preprocessor=prep))
    with DefaultScope.overwrite_default_scope('mmagic'), pytest.raises(
            ValueError, match="no weights under 'generator.srx.'"):
        MODELS.build(dict(type='FaceBaseline', method='telea', sr=gen.sr,
                          sr_init_cfg=dict(sr_init, prefix='generator.srx'),
                          data_preprocessor=prep))
