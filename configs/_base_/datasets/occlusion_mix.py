# The training occlusion mix that covers Table I (issue 19): blocks of many
# sizes and aspects up to half the face, the six face-part templates with
# jitter, free-form strokes (fcsr_mm/datasets/occlusion_mix.py). A *_mix
# config puts `mix_train_pipeline` in place of its base's training pipeline.
# The 'square' kind (the paper's 16x16 block) is one more weight to try if
# the mix loses too much on the random 16x16 test: square=dict(weight=0.3).
occlusion_mix = dict(
    block=dict(weight=0.5), template=dict(weight=0.25),
    strokes=dict(weight=0.25))
mix_train_pipeline = [
    dict(type='LoadImageFromFile', key='gt', channel_order='bgr'),
    dict(type='Flip', keys=['gt'], flip_ratio=0.5, direction='horizontal'),
    dict(type='DegradeFace', scale=4, gt_size=128),
    dict(type='OccludeFace', occlusion='mix', mix=occlusion_mix,
         fill='gaussian'),
    dict(type='PackInputs', keys='img', data_keys=['gt_lr', 'mask_lr'],
         meta_keys=['occlusion']),
]
# The mix plus the paper's 16x16 block and the shapes of the occlusion
# segmenter's synthetic occluders (sunglasses, masks, hands...; issue 23
# item 4): also the holes `--occlusion auto` gives the model at test time.
occluder_mix = dict(occlusion_mix, square=dict(weight=0.3),
                    occluder=dict(weight=0.3))
# the same pipeline with this mix in its OccludeFace step
occluder_mix_train_pipeline = [
    dict(step, mix=occluder_mix) if step['type'] == 'OccludeFace' else step
    for step in mix_train_pipeline
]
