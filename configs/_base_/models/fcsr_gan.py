# FCSR-GAN: generator (completion 3.5M + SR 1.2M), discriminators, losses.
model = dict(
    type='FCSRGAN',
    data_preprocessor=dict(
        type='DataPreprocessor',
        mean=[127.5, 127.5, 127.5],
        std=[127.5, 127.5, 127.5],
        output_channel_order='RGB',
        data_keys=['gt_img', 'gt_lr']),
    generator=dict(
        type='FCSRGenerator',
        completion=dict(
            type='FCSRCompletionNet',
            fc_size=256,
            pretrained_vgg=None,  # optional local vgg19-dcbb9e9d.pth
            blend_known=True),
        sr=dict(
            type='MSRResNet',
            in_channels=3,
            out_channels=3,
            mid_channels=64,
            num_blocks=12,
            upscale_factor=4)),
    discriminators=dict(
        global_lr=dict(type='FCSRDiscriminator', in_size=32, style='dcgan'),
        local_lr=dict(type='FCSRDiscriminator', in_size=16, style='dcgan'),
        global_hr=dict(
            type='FCSRDiscriminator', in_size=128, style='srgan',
            fc_channels=100),
        local_hr=dict(
            type='FCSRDiscriminator', in_size=64, style='srgan',
            fc_channels=100)),
    losses=dict(
        pixel_lr=dict(type='L1Loss', loss_weight=1.0),
        pixel=dict(type='MSELoss', loss_weight=1.0),
        gan=dict(type='GANLoss', gan_type='vanilla', loss_weight=1.0),
        parsing_lr=dict(
            type='FaceParsingLoss',
            parser_config='configs/parser/'
            'segnet_s3c32_1xb16-10k_celebamask-hq-32x32.py',
            parser_checkpoint='work_dirs/parsers/celebamask32/iter_10000.pth'),
        parsing=dict(
            type='FaceParsingLoss',
            parser_config='configs/parser/'
            'segnet_s4c16_1xb8-6k_celebamask-hq-128x128.py',
            parser_checkpoint='work_dirs/parsers/celebamask128/iter_6000.pth'),
        # phi_{5,4}: conv5_4 after its ReLU
        perceptual=dict(
            type='VGGPerceptualLoss',
            layer_weights={'35': 1.0},
            pretrained=None,  # optional local vgg19-dcbb9e9d.pth
            criterion='mse')),
    train_cfg=dict(phases=[]))
optim_wrapper = dict(
    constructor='MultiOptimWrapperConstructor',
    generator=dict(
        type='OptimWrapper',
        optimizer=dict(type='Adam', lr=1e-4, betas=(0.9, 0.999))),
    discriminators=dict(
        type='OptimWrapper',
        optimizer=dict(type='Adam', lr=1e-4, betas=(0.9, 0.999))))
