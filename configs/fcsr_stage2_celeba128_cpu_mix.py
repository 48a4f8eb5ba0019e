# Stage 2 of the CPU run on the occlusion mix, from the mix-trained stage 1.
_base_ = [
    './fcsr_stage2_celeba128_cpu.py', './_base_/datasets/occlusion_mix.py'
]
load_from = 'work_dirs/fcsr_stage1_celeba128_cpu_mix/iter_6200.pth'
train_dataloader = dict(dataset=dict(pipeline={{_base_.mix_train_pipeline}}))
