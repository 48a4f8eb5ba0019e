# Stage 1 of the CPU run on the occlusion mix, the paper's 16x16 block and
# the shapes of the occlusion segmenter's synthetic occluders (sunglasses,
# masks, hands...; issue 23 item 4): the holes `--occlusion auto` gives the
# model at test time. Pair with a stage 2 from its checkpoint.
_base_ = './fcsr_stage1_mix-square_celeba128_cpu.py'
train_dataloader = dict(
    dataset=dict(pipeline=[
        dict(type='LoadImageFromFile', key='gt', channel_order='bgr'),
        dict(type='Flip', keys=['gt'], flip_ratio=0.5,
             direction='horizontal'),
        dict(type='DegradeFace', scale=4, gt_size=128),
        dict(type='OccludeFace', occlusion='mix', fill='gaussian',
             mix=dict(block=dict(weight=0.5), template=dict(weight=0.25),
                      strokes=dict(weight=0.25), square=dict(weight=0.3),
                      occluder=dict(weight=0.3))),
        dict(type='PackInputs', keys='img', data_keys=['gt_lr', 'mask_lr'],
             meta_keys=['occlusion']),
    ]))
