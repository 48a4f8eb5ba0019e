# Table II (d): without the perceptual loss.
_base_ = ['../fcsr_gan/fcsr-gan_stage2_1xb16-200k_celeba-128x128.py']
model = dict(
    losses=dict(perceptual=None),
    train_cfg=dict(phases=dict(all=dict(losses=dict(perceptual=None)))))
load_from = 'work_dirs/fcsr-gan_stage1_1xb16-200k_celeba-32x32/iter_200000.pth'
