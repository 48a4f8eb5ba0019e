# Table II (d): without the perceptual loss.
_base_ = ['../fcsr_stage2_celeba.py']
model = dict(
    losses=dict(perceptual=None),
    train_cfg=dict(phases=[
        dict(name='sr', begin=0, train=['sr'], losses=dict(pixel=0.5)),
        dict(name='all', begin=100000, train=['completion', 'sr'],
             losses=dict(pixel=0.5, adv_local_hr=1e-3, adv_global_hr=1e-3,
                         parsing=0.5),
             discriminators=['local_hr', 'global_hr']),
    ]))
load_from = 'work_dirs/fcsr_stage1_celeba/iter_200000.pth'
