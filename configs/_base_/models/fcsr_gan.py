# FCSR-GAN: generator (completion 3.5M + SR 1.2M), discriminators, losses.
# The paper's two stages: fcsr_gan_stage1.py and fcsr_gan_stage2.py.
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
            blend_known=True,
            # beyond the paper (docs/results.md, issue 19): the encoder sees
            # the mask and decoder stages 1-3 the known pixels, so the hole's
            # border need not cross the FC bottleneck (+1.8 dB at 32 px)
            mask_input=True,
            known_skips=(1, 2, 3)),
        sr=dict(
            type='MSRResNet',
            in_channels=3,
            out_channels=3,
            mid_channels=64,
            num_blocks=12,
            upscale_factor=4)),
    # output: what each judges ('lr': the completed 32x32 face, 'hr': the
    # 128x128 result); hole_crop: side of the crop around the hole it sees
    discriminators=dict(
        global_lr=dict(
            type='FCSRDiscriminator', in_size=32, style='dcgan',
            output='lr'),
        local_lr=dict(
            type='FCSRDiscriminator', in_size=16, style='dcgan',
            output='lr', hole_crop=16),
        global_hr=dict(
            type='FCSRDiscriminator', in_size=128, style='srgan',
            fc_channels=100, output='hr'),
        local_hr=dict(
            type='FCSRDiscriminator', in_size=64, style='srgan',
            fc_channels=100, output='hr', hole_crop=64)),
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
    # the schedule: models/fcsr_gan_stage{1,2}.py
    train_cfg=dict(phases=dict()))
optim_wrapper = dict(
    constructor='MultiOptimWrapperConstructor',
    generator=dict(
        type='OptimWrapper',
        optimizer=dict(type='Adam', lr=1e-4, betas=(0.9, 0.999))),
    discriminators=dict(
        type='OptimWrapper',
        optimizer=dict(type='Adam', lr=1e-4, betas=(0.9, 0.999))))
