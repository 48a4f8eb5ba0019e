# Tiny 128 px parser on the synthetic faces (quickstart and tests). Data:
# tools/quickstart.sh writes data/synthetic/helen and converts it with the
# Helen converter to data/synthetic/parser.
_base_ = ['./segnet_s4c32_1xb8-20k_helen-128x128.py']
data_root = 'data/synthetic/parser'
model = dict(
    backbone=dict(stage_channels=(8, 16, 32, 64), stage_convs=(1, 1, 1, 1)),
    decode_head=dict(
        in_channels=64,
        channels=8,
        stage_channels=(32, 16, 8, 8),
        stage_convs=(1, 1, 1, 1)))
train_dataloader = dict(
    num_workers=1, dataset=dict(data_root=data_root))
val_dataloader = dict(num_workers=1, dataset=dict(data_root=data_root))
test_dataloader = val_dataloader
optim_wrapper = dict(optimizer=dict(lr=1e-3))
param_scheduler = [
    dict(type='PolyLR', eta_min=1e-5, power=0.9, begin=0, end=200,
         by_epoch=False)
]
train_cfg = dict(max_iters=200, val_interval=200)
default_hooks = dict(
    logger=dict(interval=50),
    checkpoint=dict(interval=200),
    visualization=dict(interval=50))
# bf16 autocast where the processor computes bf16 natively (AMX /
# AVX512-BF16), fp32 elsewhere; tools/train.py --precision overrides it
precision = 'auto'
