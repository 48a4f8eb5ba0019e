# Runtime of the face parser (mmseg scope).
default_scope = 'mmseg'
custom_imports = dict(imports=['fcsr_mm'], allow_failed_imports=False)
env_cfg = dict(
    cudnn_benchmark=False,
    mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0),
    dist_cfg=dict(backend='nccl'))
vis_backends = [dict(type='LocalVisBackend')]
visualizer = dict(
    type='FaceSegLocalVisualizer', vis_backends=vis_backends, name='visualizer',
    alpha=0.6)
log_processor = dict(by_epoch=False)
log_level = 'INFO'
load_from = None
resume = False
default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=50, log_metric_by_epoch=False),
    param_scheduler=dict(type='ParamSchedulerHook'),
    # written whole or not at all (fcsr_mm's 'atomic_local' file backend)
    checkpoint=dict(type='CheckpointHook', by_epoch=False, interval=1000,
                    max_keep_ckpts=2, save_best='mIoU', rule='greater',
                    backend_args=dict(backend='atomic_local')),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    # parses drawn next to the ground truth, every 20th validation face
    visualization=dict(type='SegVisualizationHook', draw=True, interval=20))
# seeded by default: two runs of a config give the same result
randomness = dict(seed=0)
