# Completion and SR in sequence, not jointly: OpenCV Telea inpainting at
# 32 px, then the SR module of the measured CPU FCSR-GAN run (stage 2 after
# its SR phase, docs/results.md). Shows what the learned completion adds.
_base_ = ['./bicubic_celeba.py']
model = dict(
    method='telea',
    sr_model=dict(
        config='configs/fcsr_stage2_celeba128_cpu.py',
        checkpoint='work_dirs/fcsr_stage2_celeba128_cpu/iter_2100.pth'))
