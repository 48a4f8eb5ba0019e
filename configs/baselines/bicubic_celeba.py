# Training-free baseline on CelebA test faces: bicubic 4x upsampling of the
# occluded 32x32 input. python tools/test.py configs/baselines/bicubic_celeba.py
_base_ = ['../fcsr_stage2_celeba.py']
model = dict(
    _delete_=True,
    type='FaceBaseline',
    method='bicubic',
    data_preprocessor={{_base_.model.data_preprocessor}})
load_from = None
