# FCSR-GAN stage 2 on the comparison's CPU budget: the SR module alone for
# 300 iterations (as long as the SR peers train), then 20 iterations of all
# the paper's stage-2 terms at 1e-5 (without the parsing term, as stage 1).
# Iterations 300 and 320 are both rows.
_base_ = '../fcsr_stage2_celeba128_cpu.py'
model = dict(
    losses=dict(parsing=None),
    train_cfg=dict(
        phases=dict(all=dict(begin=300, losses=dict(parsing=None)))))
load_from = 'work_dirs/fcsr_stage1_cpu-short_celeba128/iter_1500.pth'
param_scheduler = dict(
    generator=[
        dict(type='MultiStepLR', milestones=[300], gamma=0.05,
             by_epoch=False)
    ])
train_cfg = dict(type='IterBasedTrainLoop', max_iters=320, val_interval=320)
default_hooks = dict(checkpoint=dict(interval=20, max_keep_ckpts=2))
