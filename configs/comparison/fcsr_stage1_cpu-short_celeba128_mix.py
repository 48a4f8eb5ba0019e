# The comparison's short stage 1 trained on the occlusion mix
# (configs/_base_/datasets/occlusion_mix.py), for the mix pipelines of the
# equal-budget comparison (budget_pipelines_celeba128_mix.yaml).
_base_ = [
    './fcsr_stage1_cpu-short_celeba128.py',
    '../_base_/datasets/occlusion_mix.py'
]
train_dataloader = dict(dataset=dict(pipeline={{_base_.mix_train_pipeline}}))
