# SegNet face parser, 32 px (the stage-1 parser), on CelebAMask-HQ.
# Adam lr 1e-3: after 400 iterations it reaches 29.3 mIoU against 12.0 with the
# paper's 1e-4 (docs/parser.md).
_base_ = [
    '../_base_/models/segnet_32.py', '../_base_/datasets/face_parsing_32.py',
    '../_base_/schedules/parser_adam_20k.py', '../_base_/parser_runtime.py'
]
optim_wrapper = dict(optimizer=dict(lr=1e-3))
param_scheduler = [
    dict(type='PolyLR', eta_min=1e-6, power=0.9, begin=0, end=10000,
         by_epoch=False)
]
train_cfg = dict(max_iters=10000, val_interval=1000)
