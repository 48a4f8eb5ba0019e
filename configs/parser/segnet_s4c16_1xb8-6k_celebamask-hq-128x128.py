# SegNet face parser, 128 px (the stage-2 parser), on the CelebAMask-HQ faces
# of ../shared/data (prepare: python tools/dataset_converters/celebamask_hq.py
# ../shared/data/celebamask_hq --out data/celebamask_hq_parsing).
# Sized for a CPU schedule: widths 16..128, 6k iterations, Adam lr 1e-3
# (measured better than the paper's 1e-4 for short schedules, docs/parser.md).
_base_ = [
    '../_base_/models/segnet_128.py', '../_base_/datasets/face_parsing_128.py',
    '../_base_/schedules/parser_adam_20k.py', '../_base_/parser_runtime.py'
]
model = dict(
    backbone=dict(stage_channels=(16, 32, 64, 128)),
    decode_head=dict(
        in_channels=128, channels=16, stage_channels=(64, 32, 16, 16)))
optim_wrapper = dict(optimizer=dict(lr=1e-3))
param_scheduler = [
    dict(type='PolyLR', eta_min=1e-6, power=0.9, begin=0, end=6000,
         by_epoch=False)
]
train_cfg = dict(max_iters=6000, val_interval=1000)
