# Occlusion-segmenter data at 32 px (tools/dataset_converters/occluded_faces.py
# writes 128x128 faces and 0/1 labels): shrunk with area interpolation as the
# 32x32 network inputs are made, crops of 36 -> 32, flips, colour jitter.
_base_ = './face_parsing_32.py'
dataset_type = 'OccludedFaceDataset'
data_root = 'data/occluded_faces'
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadFaceAnnotations', num_classes=2),
    dict(type='Resize', scale=(36, 36), keep_ratio=False,
         interpolation='area'),
    dict(type='RandomCrop', crop_size=(32, 32)),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PhotoMetricDistortion'),
    dict(type='PackSegInputs'),
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadFaceAnnotations', num_classes=2),
    dict(type='ResizeFaceForEval', scale=(32, 32)),
    dict(type='PackSegInputs'),
]
train_dataloader = dict(
    batch_size=16,
    dataset=dict(type=dataset_type, data_root=data_root,
                 pipeline=train_pipeline))
val_dataloader = dict(
    dataset=dict(type=dataset_type, data_root=data_root,
                 pipeline=test_pipeline))
test_dataloader = val_dataloader
