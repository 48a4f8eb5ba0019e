# Stage 2 (the SR phase, 2,100 iterations) from the mix-trained pixel
# stage 1, on the same occlusion mix.
_base_ = [
    './fcsr_stage2_celeba128_cpu_pixel.py',
    './_base_/datasets/occlusion_mix.py'
]
load_from = 'work_dirs/fcsr_stage1_celeba128_cpu_pixel_mix/iter_6000.pth'
train_dataloader = dict(
    dataset=dict(pipeline={{_base_.occluder_mix_train_pipeline}}))
