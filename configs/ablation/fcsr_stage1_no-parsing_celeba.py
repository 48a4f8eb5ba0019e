# Stage 1 without the parsing loss (for Table II (c) and (e)): the paper's
# curriculum with 20 L1 + 0.1 local adv + 0.1 global adv in its last phase.
_base_ = ['../fcsr_gan/fcsr-gan_stage1_1xb16-200k_celeba-32x32.py']
model = dict(
    losses=dict(parsing_lr=None),
    train_cfg=dict(phases=dict(all=dict(losses=dict(parsing_lr=None)))))
