# Stage 2 on ../shared/data/celeba128 with a schedule for ~85 minutes of
# 2 CPU cores: the SR module alone (completion frozen, MSE, Adam 2e-4 as
# mmagic trains MSRResNet), then everything with the paper's stage-2 weights
# as a short fine-tuning at 1e-5. Starts from the CPU stage-1 run.
_base_ = './fcsr_gan/fcsr-gan_stage2_1xb16-200k_celeba-128x128.py'
model = dict(
    # the SR module adds its residual to a bicubic (not bilinear) upsampling,
    # so it starts from bicubic and only has to learn what bicubic misses
    generator=dict(sr_upsampler='bicubic'),
    train_cfg=dict(phases=dict(all=dict(begin=2100))))
load_from = 'work_dirs/fcsr_stage1_celeba128_cpu/iter_6200.pth'
optim_wrapper = dict(generator=dict(optimizer=dict(lr=2e-4)))
# generator: 2e-4, 1e-4 for the last 600 SR iterations, 1e-5 for the
# fine-tuning; discriminators keep 1e-4
param_scheduler = dict(
    generator=[
        dict(type='MultiStepLR', milestones=[1500], gamma=0.5,
             by_epoch=False),
        dict(type='MultiStepLR', milestones=[2100], gamma=0.1,
             by_epoch=False)
    ],
    discriminators=[])
train_cfg = dict(type='IterBasedTrainLoop', max_iters=2180, val_interval=700)
val_dataloader = dict(dataset=dict(indices=100))
default_hooks = dict(
    logger=dict(interval=20),
    checkpoint=dict(interval=700, max_keep_ckpts=10, save_best=None))
# bf16 autocast where the processor computes bf16 natively (AMX /
# AVX512-BF16), fp32 elsewhere; tools/train.py --precision overrides it
precision = 'auto'
