# OpenCV Telea at 32 px, then mmagic's MSRResNet trained on our data
# (FaceBaseline: Telea is no mmagic model, so no SequentialRestorer step).
_base_ = '../baselines/telea_celeba.py'
model = dict(
    sr=dict(type='MSRResNet', in_channels=3, out_channels=3, mid_channels=64,
            num_blocks=16, upscale_factor=4),
    sr_init_cfg=dict(
        type='Pretrained',
        checkpoint='work_dirs/msrresnet_x4c64b16_1xb16-cpu_celeba128/'
        'iter_300.pth',
        prefix='generator.'),
    # MSRResNet's own value range (configs/peers/msrresnet_*.py)
    data_preprocessor=dict(mean=[0.] * 3, std=[255.] * 3))
