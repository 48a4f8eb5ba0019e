# Face-parsing data at 32 px: the same converter output, shrunk with area
# interpolation (as the 32x32 network inputs are made), crops of 36 -> 32.
_base_ = './face_parsing_128.py'
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadFaceAnnotations'),
    dict(type='Resize', scale=(36, 36), keep_ratio=False,
         interpolation='area'),
    dict(type='RandomCrop', crop_size=(32, 32)),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PhotoMetricDistortion'),
    dict(type='PackSegInputs'),
]
# scored at 32x32 (labels shrunk with nearest neighbour)
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadFaceAnnotations'),
    dict(type='ResizeFaceForEval', scale=(32, 32)),
    dict(type='PackSegInputs'),
]
train_dataloader = dict(batch_size=16, dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=test_pipeline))
test_dataloader = val_dataloader
