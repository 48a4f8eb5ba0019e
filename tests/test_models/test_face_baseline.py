"""Training-free baselines through tools/test.py (no checkpoint needed)."""
import os.path as osp

import pytest

KEYS = ('PSNR', 'SSIM', 'HolePSNR', 'HoleSSIM', 'HoleSeam', 'NIQE',
        'lr/PSNR', 'lr/HoleSeam')


def test_telea_beats_bicubic_in_the_hole(tool, repo, synthetic_root,
                                         data_opts, tmp_path):
    """Both baselines through tools/test.py on the same faces: outside the
    hole they are the same bicubic upsampling, inside Telea's inpainting
    beats the noise bicubic enlarges (measured on the 3 synthetic test
    faces: 4 dB and 0.4 SSIM in the hole, 3 dB over the face)."""
    test = tool('test.py')
    metrics = {}
    for method in ('bicubic', 'telea'):
        opts = dict(data_opts(osp.join(synthetic_root, 'aligned')),
                    **{'visualizer.name': f'vis_{method}_{tmp_path.name}'})
        metrics[method] = test.main(
            [osp.join(repo, f'configs/baselines/{method}_synthetic.py'),
             '--work-dir', str(tmp_path / method), '--cfg-options']
            + [f'{k}={v}' for k, v in opts.items()])
    bicubic, telea = metrics['bicubic'], metrics['telea']
    assert set(bicubic) >= set(KEYS) and set(telea) >= set(KEYS)
    assert telea['HolePSNR'] > bicubic['HolePSNR'] + 2
    assert telea['HoleSSIM'] > bicubic['HoleSSIM'] + 0.2
    assert telea['PSNR'] > bicubic['PSNR'] + 1
    assert telea['lr/PSNR'] > bicubic['lr/PSNR'] + 2
    # the enlarged noise shows its border; Telea's fill blends into it
    assert telea['HoleSeam'] < bicubic['HoleSeam'] - 5
    assert telea['lr/HoleSeam'] < bicubic['lr/HoleSeam'] - 5
    # the hole is a quarter of the face: the whole-face gain is smaller
    assert telea['PSNR'] - bicubic['PSNR'] < \
        telea['HolePSNR'] - bicubic['HolePSNR']


def test_model_config_needs_checkpoint(tool, repo):
    test = tool('test.py')
    with pytest.raises(SystemExit, match='needs a checkpoint'):
        test.main([osp.join(repo, 'configs/fcsr_stage2_synthetic.py')])


def test_telea_then_learned_sr(repo, random_checkpoint, build_in_scope):
    """``sr``: an SR network loaded through mmengine's ``Pretrained`` init
    from a checkpoint's generator upsamples Telea's face."""
    import torch
    from mmagic.structures import DataSample
    from mmengine.config import Config

    from fcsr_mm.apis import init_restorer
    cfg = osp.join(repo, 'configs/fcsr_stage2_synthetic.py')
    ckpt = random_checkpoint(cfg)
    model = init_restorer(cfg, ckpt)
    gen = Config.fromfile(cfg).model.generator
    sr_init = dict(type='Pretrained', checkpoint=ckpt,
                   prefix='generator.sr')  # the '.' added, as mmengine does
    prep = dict(type='DataPreprocessor', mean=[127.5] * 3, std=[127.5] * 3,
                output_channel_order='RGB')
    base = build_in_scope('mmagic', dict(
        type='FaceBaseline', method='telea', sr=gen.sr, sr_init_cfg=sr_init,
        sr_upsampler=gen.sr_upsampler, data_preprocessor=prep))
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
    with pytest.raises(
            ValueError, match=r"FaceBaseline\.sr: checkpoint .*\.pth.* "
            r"\(weights under 'generator\.sr\.'\) does not fit .* of another "
            'shape'):
        build_in_scope('mmagic', dict(
            type='FaceBaseline', method='telea', sr=wider,
            sr_init_cfg=sr_init, data_preprocessor=prep))
    with pytest.raises(ValueError, match="no weights under 'generator.srx.'"):
        build_in_scope('mmagic', dict(
            type='FaceBaseline', method='telea', sr=gen.sr,
            sr_init_cfg=dict(sr_init, prefix='generator.srx'),
            data_preprocessor=prep))
