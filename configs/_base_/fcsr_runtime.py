# Runtime of the FCSR-GAN model (mmagic scope).
default_scope = 'mmagic'
custom_imports = dict(imports=['fcsr_mm'], allow_failed_imports=False)
env_cfg = dict(
    cudnn_benchmark=False,
    mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0),
    dist_cfg=dict(backend='nccl'))
default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=100),
    param_scheduler=dict(type='ParamSchedulerHook'),
    checkpoint=dict(
        type='CheckpointHook',
        interval=5000,
        by_epoch=False,
        max_keep_ckpts=3,
        save_optimizer=True,
        # written whole or not at all (fcsr_mm's 'atomic_local' file backend)
        backend_args=dict(backend='atomic_local')),
    sampler_seed=dict(type='DistSamplerSeedHook'))
# grids: occluded input, completed 32x32, 128x128 result, ground truth
custom_hooks = [dict(type='BasicVisualizationHook', interval=50)]
vis_backends = [dict(type='LocalVisBackend')]
visualizer = dict(
    type='FaceGridVisualizer',
    vis_backends=vis_backends,
    fn_key='gt_path',
    img_keys=['input', 'pred_lr', 'pred_img', 'gt_img'],
    bgr2rgb=True)
log_processor = dict(type='LogProcessor', window_size=100, by_epoch=False)
log_level = 'INFO'
load_from = None
resume = False
# GAN training: generator and discriminators are wrapped separately; frozen
# modules and idle discriminators leave parameters unused in some phases.
model_wrapper_cfg = dict(
    type='MMSeparateDistributedDataParallel',
    broadcast_buffers=False,
    find_unused_parameters=True)
# seeded by default: two runs of a config give the same result
randomness = dict(seed=0)
