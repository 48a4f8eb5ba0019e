# Aligned 128x128 faces -> 32x32 input with one occluded block (FCSR-GAN).
# BasicImageDataset that names missing listed files and empty lists up front
dataset_type = 'FaceImageDataset'
data_root = 'data/celeba128'
train_pipeline = [
    dict(type='LoadImageFromFile', key='gt', channel_order='bgr'),
    dict(type='Flip', keys=['gt'], flip_ratio=0.5, direction='horizontal'),
    dict(type='DegradeFace', scale=4, gt_size=128),
    # the paper: one random 16x16 block on the 32x32 input
    dict(type='OccludeFace', occlusion='random', block_size=16,
         fill='gaussian'),
    dict(type='PackInputs', keys='img', data_keys=['gt_lr', 'mask_lr'],
         meta_keys=['occlusion']),
]
# Test: the same random 16x16 block, fixed per image (seeded by file name).
# Table I's fixed occlusions: --cfg-options
# "test_dataloader.dataset.pipeline.2.occlusion=O1" (O1 .. O6).
test_pipeline = [
    dict(type='LoadImageFromFile', key='gt', channel_order='bgr'),
    dict(type='DegradeFace', scale=4, gt_size=128),
    dict(type='OccludeFace', occlusion='random', block_size=16,
         fill='gaussian', seed=0),
    dict(type='PackInputs', keys='img', data_keys=['gt_lr', 'mask_lr'],
         meta_keys=['occlusion']),
]
train_dataloader = dict(
    batch_size=16,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        ann_file='meta/train.txt',
        metainfo=dict(dataset_type='celeba', task_name='fcsr'),
        data_root=data_root,
        data_prefix=dict(gt='images'),
        pipeline=train_pipeline))
test_dataloader = dict(
    batch_size=8,
    num_workers=2,
    persistent_workers=True,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        ann_file='meta/test.txt',
        metainfo=dict(dataset_type='celeba', task_name='fcsr'),
        data_root=data_root,
        data_prefix=dict(gt='images'),
        pipeline=test_pipeline))
val_dataloader = dict(
    test_dataloader,
    dataset=dict(test_dataloader['dataset'], ann_file='meta/val.txt'))
# RGB/BGR 0..255 over the whole 128x128 face, inside the hole, and for the
# completed 32x32 face.
val_evaluator = dict(
    type='Evaluator',
    metrics=[
        dict(type='PSNR'),
        dict(type='SSIM'),
        dict(type='HolePSNR'),
        dict(type='HoleSSIM'),
        # the colour step across the hole border beyond the ground truth's
        dict(type='HoleSeam'),
        # the filled hole's colour cast against the ground truth's
        dict(type='HoleTint'),
        dict(type='PSNR', gt_key='gt_lr', pred_key='pred_lr', prefix='lr'),
        dict(type='HoleSeam', gt_key='gt_lr', pred_key='pred_lr',
             mask_key='mask_lr', prefix='lr'),
        # mmagic's no-reference NIQE of the 128x128 result (lower is more
        # natural): what the adversarial phases are for (issue 19)
        dict(type='NIQE', input_order='CHW', convert_to='gray'),
    ])
test_evaluator = val_evaluator
val_cfg = dict(type='MultiValLoop')
test_cfg = dict(type='MultiTestLoop')
