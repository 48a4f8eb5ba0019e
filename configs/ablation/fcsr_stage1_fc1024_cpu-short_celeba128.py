# The paper's Fig. 11: the completion module's bottleneck FC at 1024
# (FCSR-GAN uses 256), stage 1 on the comparison's CPU schedule
# (configs/comparison/fcsr_stage1_cpu-short_celeba128.py is the 256 run).
_base_ = '../comparison/fcsr_stage1_cpu-short_celeba128.py'
model = dict(generator=dict(completion=dict(fc_size=1024)))
