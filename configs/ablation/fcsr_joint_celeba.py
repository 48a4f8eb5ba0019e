# Table II (a): both stages trained together from scratch. One stage: the
# whole generator (completion + SR) from random weights, with every loss of
# both stages at the paper's weights (stage 1's on the completed 32x32 face,
# stage 2's on the 128x128 result) after a pixel-loss warm-up. No stage-1
# checkpoint. Its own schedule, so it starts from the model with all four
# discriminators and every loss.
_base_ = [
    '../_base_/models/fcsr_gan.py', '../_base_/datasets/face_restoration.py',
    '../_base_/fcsr_runtime.py'
]
model = dict(
    train_cfg=dict(
        phases=dict(
            pixel=dict(
                begin=0,
                train=['completion', 'sr'],
                losses=dict(pixel_lr=20.0, pixel=0.5)),
            all=dict(
                begin=100000,
                train=['completion', 'sr'],
                losses=dict(
                    pixel_lr=20.0,
                    adv_local_lr=0.1,
                    adv_global_lr=0.1,
                    parsing_lr=1.0,
                    pixel=0.5,
                    adv_local_hr=1e-3,
                    adv_global_hr=1e-3,
                    perceptual=1.0,
                    parsing=0.5)))))
train_cfg = dict(type='IterBasedTrainLoop', max_iters=200000,
                 val_interval=5000)
default_hooks = dict(
    checkpoint=dict(save_best='PSNR', rule='greater'))
