# Our faces for mmagic's inpainters at 32x32: the FCSR-GAN degradation
# (antialiased bicubic 128 -> 32) and its random 16x16 block, with the hole
# filled as mmagic's inpainters expect (GetMaskedImage: mid-grey).
# The inpainter's gt / mask are the 32 px face and hole.
data_root = 'data/celeba128'
_to_inpainter = dict(type='CopyValues', src_keys=['gt_lr', 'mask_lr'],
                     dst_keys=['gt', 'mask'])
train_pipeline = [
    dict(type='LoadImageFromFile', key='gt', channel_order='bgr'),
    dict(type='Flip', keys=['gt'], flip_ratio=0.5, direction='horizontal'),
    dict(type='DegradeFace', scale=4, gt_size=128),
    dict(type='OccludeFace', occlusion='random', block_size=16),
    _to_inpainter,
    dict(type='GetMaskedImage'),
    dict(type='PackInputs', keys='img', meta_keys=['mask_bbox']),
]
val_pipeline = [
    dict(type='LoadImageFromFile', key='gt', channel_order='bgr'),
    dict(type='DegradeFace', scale=4, gt_size=128),
    dict(type='OccludeFace', occlusion='random', block_size=16, seed=0),
    _to_inpainter,
    dict(type='GetMaskedImage'),
    dict(type='PackInputs', keys='img', meta_keys=['mask_bbox']),
]
_face_set = dict(
    type='FaceImageDataset',
    metainfo=dict(dataset_type='celeba', task_name='inpainting'),
    data_root=data_root,
    data_prefix=dict(gt='images'))
train_dataloader = dict(
    batch_size=16,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(_face_set, ann_file='meta/train.txt',
                 pipeline=train_pipeline))
# validation: the first 100 validation faces
val_dataloader = dict(
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
    type='Evaluator',
    metrics=[dict(type='PSNR'), dict(type='SSIM')])
test_evaluator = val_evaluator
val_cfg = dict(type='MultiValLoop')
test_cfg = dict(type='MultiTestLoop')
