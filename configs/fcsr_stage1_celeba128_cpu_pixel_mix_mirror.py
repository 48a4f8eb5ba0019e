# The mix-trained stage 1 with the known pixels also mirrored into the
# decoder's skips (mirror_known): a half-face hole sees the other half
# (issue 19, Table I's O1/O2).
_base_ = './fcsr_stage1_celeba128_cpu_pixel_mix.py'
model = dict(generator=dict(completion=dict(mirror_known=True)))
