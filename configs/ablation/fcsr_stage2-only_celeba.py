# Table II (b): stage 2 only. The paper's stage 2 (SR phase, then everything
# with the stage-2 weights) from random weights, without the stage-1
# completion curriculum.
_base_ = ['../fcsr_stage2_celeba.py']
model = dict(
    train_cfg=dict(phases=[
        dict(name='pixel', begin=0, train=['completion', 'sr'],
             losses=dict(pixel=0.5)),
        dict(name='all', begin=100000, train=['completion', 'sr'],
             losses=dict(pixel=0.5, adv_local_hr=1e-3, adv_global_hr=1e-3,
                         perceptual=1.0, parsing=0.5),
             discriminators=['local_hr', 'global_hr']),
    ]))
load_from = None
