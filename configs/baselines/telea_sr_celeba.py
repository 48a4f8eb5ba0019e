# Completion and SR in sequence, not jointly: OpenCV Telea inpainting at
# 32 px, then the SR module of the measured CPU FCSR-GAN run (stage 2 after
# its SR phase, docs/results.md). Shows what the learned completion adds.
_base_ = ['../fcsr_stage2_celeba128_cpu.py']
model = dict(
    _delete_=True,
    type='FaceBaseline',
    method='telea',
    # the run's SR module, loaded from its generator
    sr={{_base_.model.generator.sr}},
    sr_upsampler={{_base_.model.generator.sr_upsampler}},
    sr_init_cfg=dict(
        type='Pretrained',
        checkpoint='work_dirs/fcsr_stage2_celeba128_cpu/iter_2100.pth',
        prefix='generator.sr.'),
    data_preprocessor={{_base_.model.data_preprocessor}})
load_from = None
