# Stage 1 of the shipped model's schedule (the L1 phase, 6,000 iterations)
# trained on the occlusion mix with the paper's block and the occluder
# shapes (issues 19 and 23): the model for large and real occlusions. The
# test set keeps the paper's seeded 16x16 block.
_base_ = [
    './fcsr_stage1_celeba128_cpu_pixel.py',
    './_base_/datasets/occlusion_mix.py'
]
train_dataloader = dict(
    dataset=dict(pipeline={{_base_.occluder_mix_train_pipeline}}))
