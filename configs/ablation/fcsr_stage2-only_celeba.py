# Table II (b): stage 2 only. The paper's stage 2 (pixel phase, then
# everything with the stage-2 weights) from random weights, without the
# stage-1 completion curriculum: the completion module trains from the start.
_base_ = ['../fcsr_gan/fcsr-gan_stage2_1xb16-200k_celeba-128x128.py']
model = dict(
    train_cfg=dict(
        phases=dict(
            sr=None,
            pixel=dict(
                begin=0, train=['completion', 'sr'],
                losses=dict(pixel=0.5)))))
load_from = None
