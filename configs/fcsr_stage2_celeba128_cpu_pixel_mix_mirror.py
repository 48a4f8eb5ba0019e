# Stage 2 of the mirrored-skip mix model, from its stage 1.
_base_ = './fcsr_stage2_celeba128_cpu_pixel_mix.py'
model = dict(generator=dict(completion=dict(mirror_known=True)))
load_from = 'work_dirs/fcsr_stage1_celeba128_cpu_pixel_mix_mirror/iter_6000.pth'
