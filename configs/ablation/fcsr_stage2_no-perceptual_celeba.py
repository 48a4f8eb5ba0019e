# Table II (d): without the perceptual loss.
_base_ = ['../fcsr_stage2_celeba.py']
model = dict(
    losses=dict(perceptual=None),
    train_cfg=dict(phases=dict(all=dict(losses=dict(perceptual=None)))))
load_from = 'work_dirs/fcsr_stage1_celeba/iter_200000.pth'
