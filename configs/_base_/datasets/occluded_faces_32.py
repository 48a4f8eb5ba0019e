# Occlusion-segmenter data at 32 px (tools/dataset_converters/occluded_faces.py
# writes aligned 128x128 faces and 0/1 labels): shrunk as FCSR-GAN's 32x32
# inputs are (antialiased bicubic, DegradeFace), to 0.9-1.15 of 32 px and
# cropped or padded back (pad: ignored), flips, colour jitter.
_base_ = './face_parsing_32.py'
dataset_type = 'OccludedFaceDataset'
data_root = 'data/occluded_faces'
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadFaceAnnotations', num_classes=2),
    dict(type='RandomResize', scale=(32, 32), ratio_range=(0.9, 1.15),
         keep_ratio=False, interpolation='bicubic', backend='pillow'),
    dict(type='RandomCrop', crop_size=(32, 32)),
    dict(type='Pad', size=(32, 32), pad_val=dict(img=0, seg=255)),
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
