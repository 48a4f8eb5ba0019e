# SegNet face parser for 32x32 faces: 3 pooling stages (32 -> 4).
_base_ = './segnet_128.py'
model = dict(
    data_preprocessor=dict(size=(32, 32)),
    backbone=dict(stage_channels=(32, 64, 128), stage_convs=(2, 2, 3)),
    decode_head=dict(
        in_channels=128, stage_channels=(64, 32, 32), stage_convs=(3, 2, 2)))
