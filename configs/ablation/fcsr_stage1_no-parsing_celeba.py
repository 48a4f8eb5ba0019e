# Stage 1 without the parsing loss (for Table II (c) and (e)): the paper's
# curriculum with 20 L1 + 0.1 local adv + 0.1 global adv in its last phase.
_base_ = ['../fcsr_stage1_celeba.py']
model = dict(
    losses=dict(parsing_lr=None),
    train_cfg=dict(phases=[
        dict(name='l1', begin=0, train=['completion'],
             losses=dict(pixel_lr=20.0)),
        dict(name='l1+local_adv', begin=100000, train=['completion'],
             losses=dict(pixel_lr=20.0, adv_local_lr=0.1),
             discriminators=['local_lr']),
        dict(name='all', begin=150000, train=['completion'],
             losses=dict(pixel_lr=20.0, adv_local_lr=0.1, adv_global_lr=0.1),
             discriminators=['local_lr', 'global_lr']),
    ]))
