# Training-free baseline: bicubic 4x upsampling of the occluded 32x32 input.
# python tools/test.py configs/baselines/bicubic_synthetic.py
_base_ = ['../fcsr_stage2_synthetic.py']
model = dict(
    _delete_=True,
    type='FaceBaseline',
    method='bicubic',
    data_preprocessor={{_base_.model.data_preprocessor}})
load_from = None
