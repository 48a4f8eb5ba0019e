# The comparison's short stage 2 on the occlusion mix, from the mix-trained
# short stage 1.
_base_ = [
    './fcsr_stage2_cpu-short_celeba128.py',
    '../_base_/datasets/occlusion_mix.py'
]
load_from = 'work_dirs/fcsr_stage1_cpu-short_celeba128_mix/iter_1500.pth'
train_dataloader = dict(dataset=dict(pipeline={{_base_.mix_train_pipeline}}))
