# FCSR-GAN stage 2 on CelebA: the whole generator (32 -> 128), starting from
# the stage-1 checkpoint (configs/_base_/models/fcsr_gan_stage2.py).
_base_ = [
    '../_base_/models/fcsr_gan_stage2.py',
    '../_base_/datasets/face_restoration.py', '../_base_/fcsr_runtime.py'
]
load_from = 'work_dirs/fcsr-gan_stage1_1xb16-200k_celeba-32x32/iter_200000.pth'
train_cfg = dict(type='IterBasedTrainLoop', max_iters=200000,
                 val_interval=5000)
default_hooks = dict(
    checkpoint=dict(save_best='PSNR', rule='greater'))
