# Face-parsing data at 128 px: converter output (train 144x144, test 128x128).
# The paper: random 128 crops of 144 faces, flips and shifts.
dataset_type = 'CelebAMaskHQFaceDataset'
data_root = 'data/celebamask_hq_parsing'
train_split, val_split = 'train', 'val'
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadFaceAnnotations'),
    dict(type='RandomCrop', crop_size=(128, 128)),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PhotoMetricDistortion'),
    dict(type='PackSegInputs'),
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadFaceAnnotations'),
    dict(type='PackSegInputs'),
]
train_dataloader = dict(
    batch_size=8,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        data_prefix=dict(
            img_path=f'images/{train_split}',
            seg_map_path=f'labels/{train_split}'),
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=1,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        data_prefix=dict(
            img_path=f'images/{val_split}', seg_map_path=f'labels/{val_split}'),
        pipeline=test_pipeline))
test_dataloader = val_dataloader
val_evaluator = dict(type='IoUMetric', iou_metrics=['mIoU', 'mFscore'])
test_evaluator = val_evaluator
