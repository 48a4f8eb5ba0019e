# SegNet face parser, 128 px, on Helen (the paper's parser data; prepare:
# python tools/dataset_converters/helen.py HELEN_ROOT --out data/helen_parsing).
_base_ = ['./segnet_s4c32_1xb8-20k_celebamask-hq-128x128.py']
data_root = 'data/helen_parsing'
train_dataloader = dict(
    dataset=dict(type='HelenFaceDataset', data_root=data_root))
val_dataloader = dict(
    dataset=dict(
        type='HelenFaceDataset',
        data_root=data_root,
        data_prefix=dict(img_path='images/test', seg_map_path='labels/test')))
test_dataloader = val_dataloader
