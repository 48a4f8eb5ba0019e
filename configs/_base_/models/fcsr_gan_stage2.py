# FCSR-GAN stage 2 (the paper): the whole generator (32 -> 128), from a
# stage-1 checkpoint, with the 128 px discriminators and parser. The SR
# module learns alone (completion frozen, MSE), then everything is
# fine-tuned with 0.5 MSE + 1e-3 local adv + 1e-3 global adv + 1.0
# perceptual + 0.5 parsing. The discriminators that update follow from the
# adversarial terms.
_base_ = './fcsr_gan.py'
model = dict(
    discriminators=dict(global_lr=None, local_lr=None),
    losses=dict(pixel_lr=None, parsing_lr=None),
    train_cfg=dict(
        phases=dict(
            sr=dict(begin=0, train=['sr'], losses=dict(pixel=0.5)),
            all=dict(
                begin=100000,
                train=['completion', 'sr'],
                losses=dict(
                    pixel=0.5,
                    adv_local_hr=1e-3,
                    adv_global_hr=1e-3,
                    perceptual=1.0,
                    parsing=0.5)))))
