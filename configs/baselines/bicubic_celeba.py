# Training-free baseline on CelebA test faces: bicubic 4x upsampling of the
# occluded 32x32 input. python tools/test.py configs/baselines/bicubic_celeba.py
_base_ = ['../fcsr_gan/fcsr-gan_stage2_1xb16-200k_celeba-128x128.py']
model = dict(
    _delete_=True,
    type='FaceBaseline',
    method='bicubic',
    data_preprocessor={{_base_.model.data_preprocessor}})
load_from = None
