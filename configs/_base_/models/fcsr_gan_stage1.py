# FCSR-GAN stage 1 (the paper): the completion module alone (32 -> 32), with
# the 32 px discriminators and parser. Curriculum: L1 only -> + local
# adversarial -> 20 L1 + 0.1 local adv + 0.1 global adv + 1 parsing.
# Phases are keyed by name: a derived config states only what differs, e.g.
# model = dict(train_cfg=dict(phases=dict(all=dict(begin=6100)))).
_base_ = './fcsr_gan.py'
model = dict(
    discriminators=dict(global_hr=None, local_hr=None),
    losses=dict(pixel=None, parsing=None, perceptual=None),
    train_cfg=dict(
        phases=dict(
            l1=dict(
                begin=0, train=['completion'], losses=dict(pixel_lr=20.0)),
            local_adv=dict(
                begin=100000,
                train=['completion'],
                losses=dict(pixel_lr=20.0, adv_local_lr=0.1)),
            all=dict(
                begin=150000,
                train=['completion'],
                losses=dict(
                    pixel_lr=20.0,
                    adv_local_lr=0.1,
                    adv_global_lr=0.1,
                    parsing_lr=1.0)))))
# Adam 1e-3 rather than 1e-4 for the completion module: with the known-pixel
# skips it fills holes better (32 px, 800 L1 iterations: 1e-4 23.61 dB,
# 4e-4 24.20, 1e-3 24.41; docs/results.md)
optim_wrapper = dict(generator=dict(optimizer=dict(lr=1e-3)))
