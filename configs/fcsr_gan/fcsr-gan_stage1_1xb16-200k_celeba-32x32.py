# FCSR-GAN stage 1 on CelebA: the completion module alone (32 -> 32), the
# paper's curriculum (configs/_base_/models/fcsr_gan_stage1.py).
# Data: python tools/dataset_converters/celeba.py CELEBA_ROOT --out data/celeba128
# (or aligned_faces.py ../shared/data/celeba128 --out data/celeba128).
_base_ = [
    '../_base_/models/fcsr_gan_stage1.py',
    '../_base_/datasets/face_restoration.py', '../_base_/fcsr_runtime.py'
]
train_cfg = dict(type='IterBasedTrainLoop', max_iters=200000,
                 val_interval=5000)
