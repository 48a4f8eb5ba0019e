# FCSR-GAN stage 2 on CelebA: the whole generator (32 -> 128), starting from
# the stage-1 checkpoint. Completion frozen while the SR module learns, then
# everything fine-tuned with 0.5 MSE + 1e-3 local adv + 1e-3 global adv +
# 1.0 perceptual + 0.5 parsing (128 px parser).
_base_ = [
    './_base_/models/fcsr_gan.py', './_base_/datasets/face_restoration.py',
    './_base_/fcsr_runtime.py'
]
model = dict(
    discriminators=dict(global_lr=None, local_lr=None),
    losses=dict(pixel_lr=None, parsing_lr=None),
    train_cfg=dict(phases=[
        dict(name='sr', begin=0, train=['sr'], losses=dict(pixel=0.5)),
        dict(name='all', begin=100000, train=['completion', 'sr'],
             losses=dict(pixel=0.5, adv_local_hr=1e-3, adv_global_hr=1e-3,
                         perceptual=1.0, parsing=0.5),
             discriminators=['local_hr', 'global_hr']),
    ]))
load_from = 'work_dirs/fcsr_stage1_celeba/iter_200000.pth'
train_cfg = dict(type='IterBasedTrainLoop', max_iters=200000,
                 val_interval=5000)
default_hooks = dict(
    checkpoint=dict(save_best='PSNR', rule='greater'))
