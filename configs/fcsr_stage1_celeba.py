# FCSR-GAN stage 1 on CelebA: the completion module alone (32 -> 32).
# Curriculum (the paper): L1 only -> + local adversarial -> 20 L1 + 0.1 local
# adv + 0.1 global adv + 1 parsing (32 px parser).
# Data: python tools/dataset_converters/celeba.py CELEBA_ROOT --out data/celeba128
# (or aligned_faces.py ../shared/data/celeba128 --out data/celeba128).
_base_ = [
    './_base_/models/fcsr_gan.py', './_base_/datasets/face_restoration.py',
    './_base_/fcsr_runtime.py'
]
model = dict(
    discriminators=dict(global_hr=None, local_hr=None),
    losses=dict(pixel=None, parsing=None, perceptual=None),
    train_cfg=dict(phases=[
        dict(name='l1', begin=0, train=['completion'],
             losses=dict(pixel_lr=20.0)),
        dict(name='l1+local_adv', begin=100000, train=['completion'],
             losses=dict(pixel_lr=20.0, adv_local_lr=0.1),
             discriminators=['local_lr']),
        dict(name='all', begin=150000, train=['completion'],
             losses=dict(pixel_lr=20.0, adv_local_lr=0.1, adv_global_lr=0.1,
                         parsing_lr=1.0),
             discriminators=['local_lr', 'global_lr']),
    ]))
train_cfg = dict(type='IterBasedTrainLoop', max_iters=200000,
                 val_interval=5000)
