# Stage 1 of the CPU run trained on the occlusion mix
# (configs/_base_/datasets/occlusion_mix.py). The test set keeps the paper's
# seeded 16x16 block; O1..O6 through --cfg-options (docs/training.md).
_base_ = [
    './fcsr_stage1_celeba128_cpu.py', './_base_/datasets/occlusion_mix.py'
]
train_dataloader = dict(dataset=dict(pipeline={{_base_.mix_train_pipeline}}))
