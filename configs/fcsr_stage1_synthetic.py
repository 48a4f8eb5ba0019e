# Stage 1 on the built-in synthetic faces (quickstart): the paper's three
# phases in about four minutes of 2 CPU cores. The L1 phase gets most of the
# budget; the adversarial and parsing phases run as a short fine-tuning at a
# tenth of the generator's rate (as in the measured CelebA CPU run). Parsers:
# the tiny synthetic ones that tools/quickstart.sh trains first.
_base_ = './fcsr_gan/fcsr-gan_stage1_1xb16-200k_celeba-32x32.py'
data_root = 'data/synthetic/aligned'
model = dict(
    # the generator of fcsr_stage2_synthetic.py (a small SR module, idle in
    # stage 1), so that stage 2 loads this checkpoint's generator whole
    generator=dict(
        sr=dict(mid_channels=32, num_blocks=4), sr_upsampler='bicubic'),
    losses=dict(
        parsing_lr=dict(
            parser_config='configs/parser/'
            'segnet_s3c16_1xb16-300_synthetic-32x32.py',
            parser_checkpoint='work_dirs/quickstart/parser32/iter_300.pth')),
    train_cfg=dict(
        phases=dict(local_adv=dict(begin=650), all=dict(begin=675))))
optim_wrapper = dict(
    generator=dict(optimizer=dict(lr=5e-4)),
    discriminators=dict(optimizer=dict(lr=5e-4)))
param_scheduler = dict(
    generator=dict(
        type='MultiStepLR', milestones=[650], gamma=0.1, by_epoch=False),
    discriminators=[])
train_dataloader = dict(
    num_workers=1, dataset=dict(data_root=data_root))
val_dataloader = dict(
    num_workers=1, dataset=dict(data_root=data_root, indices=32))
test_dataloader = dict(num_workers=1, dataset=dict(data_root=data_root))
train_cfg = dict(type='IterBasedTrainLoop', max_iters=700, val_interval=700)
default_hooks = dict(
    logger=dict(interval=50), checkpoint=dict(interval=700))
# bf16 autocast where the processor computes bf16 natively (AMX /
# AVX512-BF16), fp32 elsewhere; tools/train.py --precision overrides it
precision = 'auto'
