# Table II (c): without the perceptual and parsing losses (in both stages).
_base_ = ['../fcsr_gan/fcsr-gan_stage2_1xb16-200k_celeba-128x128.py']
model = dict(
    losses=dict(perceptual=None, parsing=None),
    train_cfg=dict(
        phases=dict(all=dict(losses=dict(perceptual=None, parsing=None)))))
load_from = 'work_dirs/fcsr_stage1_no-parsing_celeba/iter_200000.pth'
