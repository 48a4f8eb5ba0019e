# Stage 2 of the shipped model (fcsr_mm/checkpoints/README.md): the SR
# phase of the CPU run alone (MSE, 2,100 iterations), from the pixel-loss
# stage 1; no parser or VGG is needed to train or test it.
_base_ = './fcsr_stage2_celeba128_cpu.py'
model = dict(
    losses=dict(parsing=None),
    train_cfg=dict(phases=dict(
        _delete_=True,
        sr=dict(begin=0, train=['sr'], losses=dict(pixel=0.5)))))
load_from = 'work_dirs/fcsr_stage1_celeba128_cpu_pixel/iter_6000.pth'
train_cfg = dict(max_iters=2100)
