# SegNet face parser, 32 px, on Helen.
_base_ = ['./segnet_s3c32_1xb16-20k_celebamask-hq-32x32.py']
data_root = 'data/helen_parsing'
train_dataloader = dict(
    dataset=dict(type='HelenFaceDataset', data_root=data_root))
val_dataloader = dict(
    dataset=dict(
        type='HelenFaceDataset',
        data_root=data_root,
        data_prefix=dict(img_path='images/test', seg_map_path='labels/test')))
test_dataloader = val_dataloader
