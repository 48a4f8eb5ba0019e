# Tiny 32 px parser on the synthetic faces (quickstart and tests).
_base_ = ['./segnet_s3c32_1xb16-20k_helen-32x32.py']
data_root = 'data/synthetic/parser'
model = dict(
    backbone=dict(stage_channels=(16, 32, 64), stage_convs=(1, 1, 2)),
    decode_head=dict(
        in_channels=64,
        channels=16,
        stage_channels=(32, 16, 16),
        stage_convs=(2, 1, 1)))
train_dataloader = dict(
    num_workers=1, dataset=dict(data_root=data_root))
val_dataloader = dict(num_workers=1, dataset=dict(data_root=data_root))
test_dataloader = val_dataloader
optim_wrapper = dict(optimizer=dict(lr=1e-3))
param_scheduler = [
    dict(type='PolyLR', eta_min=1e-5, power=0.9, begin=0, end=300,
         by_epoch=False)
]
train_cfg = dict(max_iters=300, val_interval=300)
default_hooks = dict(
    logger=dict(interval=50),
    checkpoint=dict(interval=300),
    visualization=dict(interval=50))
# bf16 autocast where the processor computes bf16 natively (AMX /
# AVX512-BF16), fp32 elsewhere; tools/train.py --precision overrides it
precision = 'auto'
