# SegNet face parser, 128 px (the stage-2 parser), on the CelebAMask-HQ faces
# of ../shared/data (prepare: python tools/dataset_converters/celebamask_hq.py
# ../shared/data/celebamask_hq --out data/celebamask_hq_parsing).
# Sized for a CPU schedule: widths 16..128, 6k iterations, Adam lr 1e-3
# (measured better than the paper's 1e-4 for short schedules, docs/parser.md).
_base_ = [
    '../_base_/models/segnet_128.py', '../_base_/datasets/face_parsing_128.py',
    '../_base_/schedules/parser_adam_20k.py', '../_base_/parser_runtime.py'
]
# Median-frequency class weights (SegNet's balancing, from
#   python tools/analysis/parser_class_weights.py THIS_CONFIG):
# without them this parser never predicted the inner mouth; with them it
# over-predicts the small classes, which prior_correction divides out at
# inference (docs/parser.md).
model = dict(
    backbone=dict(stage_channels=(16, 32, 64, 128)),
    decode_head=dict(
        in_channels=128, channels=16, stage_channels=(64, 32, 16, 16),
        prior_correction=True,
        loss_decode=dict(class_weight=[
            0.073, 0.034, 1.000, 1.856, 0.408, 2.090, 1.678, 1.278, 0.061])))
optim_wrapper = dict(optimizer=dict(lr=1e-3))
param_scheduler = [
    dict(type='PolyLR', eta_min=1e-6, power=0.9, begin=0, end=6000,
         by_epoch=False)
]
train_cfg = dict(max_iters=6000, val_interval=1000)
