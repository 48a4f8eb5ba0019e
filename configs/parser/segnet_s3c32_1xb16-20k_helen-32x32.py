# SegNet face parser, 32 px, on Helen.
# The paper's schedule: Adam lr 1e-4, 20k iterations (a GPU run).
_base_ = [
    '../_base_/models/segnet_32.py', '../_base_/datasets/face_parsing_32.py',
    '../_base_/schedules/parser_adam_20k.py', '../_base_/parser_runtime.py'
]
data_root = 'data/helen_parsing'
train_dataloader = dict(
    dataset=dict(type='HelenFaceDataset', data_root=data_root))
val_dataloader = dict(
    dataset=dict(
        type='HelenFaceDataset',
        data_root=data_root,
        data_prefix=dict(img_path='images/test', seg_map_path='labels/test')))
test_dataloader = val_dataloader
