# Stage 2 on the built-in synthetic faces (quickstart): the SR module alone,
# then all terms with the paper's stage-2 weights as a short fine-tuning at a
# tenth of the rate (an all-terms iteration costs ten SR ones here); a small
# SR module (32 channels, 4 blocks) and a shallower perceptual layer keep it
# within minutes on CPU.
_base_ = './fcsr_gan/fcsr-gan_stage2_1xb16-200k_celeba-128x128.py'
data_root = 'data/synthetic/aligned'
model = dict(
    # residual on a bicubic base, as in the measured CelebA CPU run; the
    # same generator as fcsr_stage1_synthetic.py, whose checkpoint it loads
    generator=dict(
        sr=dict(mid_channels=32, num_blocks=4), sr_upsampler='bicubic'),
    discriminators=dict(
        global_hr=dict(base_channels=16), local_hr=dict(base_channels=16)),
    losses=dict(
        parsing=dict(
            parser_config='configs/parser/'
            'segnet_s4c8_1xb8-200_synthetic-128x128.py',
            parser_checkpoint='work_dirs/quickstart/parser128/iter_200.pth'),
        # conv2_2 after ReLU, instead of the base's conv5_4 (not beside it)
        perceptual=dict(layer_weights={'_delete_': True, '8': 1.0})),
    train_cfg=dict(
        phases=dict(
            all=dict(
                begin=350,
                # the paper's weights, except parsing: the tiny synthetic
                # parser (200 iterations) is unsure even on ground truth, and
                # at 0.5 its cross-entropy dominated and printed grid
                # artefacts
                losses=dict(parsing=0.02)))))
load_from = 'work_dirs/quickstart/stage1/iter_700.pth'
optim_wrapper = dict(
    generator=dict(optimizer=dict(lr=2e-4)),
    discriminators=dict(optimizer=dict(lr=1e-4)))
param_scheduler = dict(
    generator=dict(
        type='MultiStepLR', milestones=[350], gamma=0.1, by_epoch=False),
    discriminators=[])
train_dataloader = dict(
    batch_size=8, num_workers=1, dataset=dict(data_root=data_root))
val_dataloader = dict(
    num_workers=1, dataset=dict(data_root=data_root, indices=32))
test_dataloader = dict(num_workers=1, dataset=dict(data_root=data_root))
train_cfg = dict(type='IterBasedTrainLoop', max_iters=370, val_interval=370)
default_hooks = dict(
    logger=dict(interval=50),
    checkpoint=dict(interval=370, save_best=None))
# bf16 autocast where the processor computes bf16 natively (AMX /
# AVX512-BF16), fp32 elsewhere; tools/train.py --precision overrides it
precision = 'auto'
