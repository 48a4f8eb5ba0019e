# SegNet face parser for 128x128 faces: 4 pooling stages (128 -> 8).
norm_cfg = dict(type='BN', requires_grad=True)
data_preprocessor = dict(
    type='SegDataPreProcessor',
    mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375],
    bgr_to_rgb=True,
    pad_val=0,
    seg_pad_val=255,
    size=(128, 128))
model = dict(
    type='EncoderDecoder',
    data_preprocessor=data_preprocessor,
    backbone=dict(
        type='SegNetEncoder',
        stage_channels=(32, 64, 128, 256),
        stage_convs=(2, 2, 3, 3),
        norm_cfg=norm_cfg),
    decode_head=dict(
        type='SegNetHead',
        in_channels=256,
        channels=32,
        stage_channels=(128, 64, 32, 32),
        stage_convs=(3, 3, 2, 2),
        num_classes=9,
        dropout_ratio=0.1,
        norm_cfg=norm_cfg,
        align_corners=False,
        loss_decode=dict(
            type='CrossEntropyLoss', use_sigmoid=False, loss_weight=1.0)),
    train_cfg=dict(),
    test_cfg=dict(mode='whole'))
