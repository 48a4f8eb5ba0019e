# FCSR-GAN stage 1 on the comparison's CPU budget (docs/comparison.md):
# the completion module's L1 phase only, 1,500 iterations (~6 min here).
# No parsing term: the CelebA parsers (docs/parser.md) take about an hour of
# this CPU to train, more than this budget.
_base_ = '../fcsr_stage1_celeba128_cpu.py'
model = dict(
    losses=dict(parsing_lr=None),
    train_cfg=dict(phases=dict(local_adv=None, all=None)))
train_cfg = dict(type='IterBasedTrainLoop', max_iters=1500, val_interval=1500)
param_scheduler = dict(
    generator=dict(
        type='MultiStepLR', milestones=[1200], gamma=0.1, by_epoch=False))
default_hooks = dict(checkpoint=dict(interval=1500))
