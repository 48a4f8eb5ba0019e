# Stage 1 of the CPU run (all its phases) on the occlusion mix, the paper's
# 16x16 block and the shapes of the occlusion segmenter's synthetic
# occluders (issue 23 item 4); configs/fcsr_stage1_celeba128_cpu_pixel_mix.py
# is its pixel-loss schedule. Pair with a stage 2 from its checkpoint.
_base_ = '../fcsr_stage1_celeba128_cpu_mix.py'
train_dataloader = dict(
    dataset=dict(pipeline={{_base_.occluder_mix_train_pipeline}}))
