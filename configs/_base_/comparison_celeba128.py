# mmagic restorers in sequence on the benchmark's inputs (docs/comparison.md):
# the occluded 32x32 face in, the 128x128 face out. Each step is an mmagic
# model trained on our data with its config in configs/peers/
# (tools/analysis/train_comparison.sh); a derived config lists its steps.
_base_ = ['./datasets/face_restoration.py', './fcsr_runtime.py']
model = dict(
    type='SequentialRestorer',
    steps=[],
    # undone to 0..255 before the first step; each step has its own
    data_preprocessor=dict(
        type='DataPreprocessor', mean=[127.5] * 3, std=[127.5] * 3))
# the steps, as trained by tools/analysis/train_comparison.sh
gl32 = dict(
    role='inpaint',
    config='configs/peers/gl_1xb16-cpu_celeba128-32x32.py',
    checkpoint='work_dirs/gl_1xb16-cpu_celeba128-32x32/iter_800.pth')
gl128 = dict(
    role='inpaint',
    config='configs/peers/gl_1xb16-cpu_celeba128-128x128.py',
    checkpoint='work_dirs/gl_1xb16-cpu_celeba128-128x128/iter_100.pth')
pconv128 = dict(
    role='inpaint',
    config='configs/peers/pconv_1xb16-cpu_celeba128-128x128.py',
    checkpoint='work_dirs/pconv_1xb16-cpu_celeba128-128x128/iter_120.pth')
msrresnet = dict(
    role='sr',
    config='configs/peers/msrresnet_x4c64b16_1xb16-cpu_celeba128.py',
    checkpoint='work_dirs/msrresnet_x4c64b16_1xb16-cpu_celeba128/iter_300.pth')
edsr = dict(
    role='sr',
    config='configs/peers/edsr_x4c64b16_1xb16-cpu_celeba128.py',
    checkpoint='work_dirs/edsr_x4c64b16_1xb16-cpu_celeba128/iter_300.pth')
# test-only: each step trains with its own config
train_dataloader = None
custom_hooks = []
load_from = None
