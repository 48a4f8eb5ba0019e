# GL(32) trained on FCSR-GAN's occlusion mix (configs/_base_/datasets/
# occlusion_mix.py), for the comparison's mix pipelines: where FCSR-GAN
# trains on the mix, its inpainter peer does too. The test set keeps the
# seeded 16x16 block; the benchmark sets O1..O6.
_base_ = [
    './gl_1xb16-cpu_celeba128-32x32.py', '../_base_/datasets/occlusion_mix.py'
]
experiment_name = 'gl_1xb16-cpu_celeba128-32x32_mix'
work_dir = f'./work_dirs/{experiment_name}'
train_dataloader = dict(
    dataset=dict(pipeline=[
        dict(type='LoadImageFromFile', key='gt', channel_order='bgr'),
        dict(type='Flip', keys=['gt'], flip_ratio=0.5,
             direction='horizontal'),
        dict(type='DegradeFace', scale=4, gt_size=128),
        dict(type='OccludeFace', occlusion='mix',
             mix={{_base_.occlusion_mix}}),
        dict(type='CopyValues', src_keys=['gt_lr', 'mask_lr'],
             dst_keys=['gt', 'mask']),
        dict(type='GetMaskedImage'),
        # the local discriminator's 16x16 crop, centred on holes of any size
        dict(type='CentreBBox', key='mask_bbox', size=(16, 16)),
        dict(type='PackInputs', keys='img', meta_keys=['mask_bbox']),
    ]))
