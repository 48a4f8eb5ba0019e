# Our faces for mmagic's inpainters at 128x128 (the second step of "SR, then
# complete"): the clean 128 px face with the 4x hole of the same random
# 16x16 block (OccludeFace's ``mask``); the local crop's box at 128 px.
_base_ = './inpaint_faces_32.py'
_to_inpainter = dict(type='CopyValues', src_keys=['mask_bbox_hr'],
                     dst_keys=['mask_bbox'])
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
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=val_pipeline))
test_dataloader = dict(dataset=dict(pipeline=val_pipeline))
