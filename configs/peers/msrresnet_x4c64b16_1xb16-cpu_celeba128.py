# mmagic's MSRResNet x4 (SRResNet in the paper's Fig. 9), unchanged, trained
# on our degradation: aligned 128x128 CelebA faces, antialiased bicubic to
# 32x32 (the FCSR-GAN input without its hole). Peer of FCSR-GAN in
# docs/comparison.md; the schedule fits the CPU budget stated there.
_base_ = 'mmagic::srgan_resnet/msrresnet_x4c64b16_1xb16-1000k_div2k.py'
custom_imports = dict(imports=['fcsr_mm'], allow_failed_imports=False)
experiment_name = 'msrresnet_x4c64b16_1xb16-cpu_celeba128'
work_dir = f'./work_dirs/{experiment_name}'
data_root = 'data/celeba128'
# images load as BGR, like every fcsr_mm pipeline (the composite restorer
# converts with each model's data preprocessor)
train_pipeline = [
    dict(type='LoadImageFromFile', key='gt', channel_order='bgr'),
    dict(type='Flip', keys=['gt'], flip_ratio=0.5, direction='horizontal'),
    dict(type='DegradeFace', scale=4, gt_size=128, out_key='img'),
    dict(type='PackInputs', keys='img'),
]
val_pipeline = [
    dict(type='LoadImageFromFile', key='gt', channel_order='bgr'),
    dict(type='DegradeFace', scale=4, gt_size=128, out_key='img'),
    dict(type='PackInputs', keys='img'),
]
_face_set = dict(
    type='FaceImageDataset',
    metainfo=dict(dataset_type='celeba', task_name='sisr'),
    data_root=data_root,
    data_prefix=dict(gt='images'))
train_dataloader = dict(
    _delete_=True,
    batch_size=16,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(_face_set, ann_file='meta/train.txt',
                 pipeline=train_pipeline))
# validation: the first 100 validation faces
val_dataloader = dict(
    _delete_=True,
    batch_size=8,
    num_workers=2,
    persistent_workers=True,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(_face_set, ann_file='meta/val.txt', indices=100,
                 pipeline=val_pipeline))
test_dataloader = dict(
    val_dataloader,
    dataset=dict(val_dataloader['dataset'], ann_file='meta/test.txt',
                 indices=None))
val_evaluator = dict(
    _delete_=True,
    type='Evaluator',
    metrics=[dict(type='PSNR'), dict(type='SSIM')])
test_evaluator = val_evaluator
# CPU schedule (docs/comparison.md states its wall time beside FCSR-GAN's)
# mmagic's rate (2e-4), constant over this short schedule
train_cfg = dict(type='IterBasedTrainLoop', max_iters=300, val_interval=300)
param_scheduler = dict(
    _delete_=True, type='ConstantLR', factor=1.0, by_epoch=False)
default_hooks = dict(
    logger=dict(interval=20),
    checkpoint=dict(interval=100, max_keep_ckpts=2, out_dir=None))
custom_hooks = []
randomness = dict(seed=0)
# bf16 autocast where the processor computes bf16 natively (AMX /
# AVX512-BF16), fp32 elsewhere; tools/train.py --precision overrides it
precision = 'auto'
