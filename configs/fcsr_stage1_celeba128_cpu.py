# Stage 1 on ../shared/data/celeba128 (8,000 training faces), with a schedule
# that fits a few hours of 2 CPU cores: the paper's three phases, shortened.
# Data: python tools/dataset_converters/aligned_faces.py \
#     ../shared/data/celeba128 --out data/celeba128
_base_ = './fcsr_stage1_celeba.py'
model = dict(
    train_cfg=dict(phases=[
        dict(name='l1', begin=0, train=['completion'],
             losses=dict(pixel_lr=20.0)),
        dict(name='l1+local_adv', begin=1200, train=['completion'],
             losses=dict(pixel_lr=20.0, adv_local_lr=0.1),
             discriminators=['local_lr']),
        dict(name='all', begin=1400, train=['completion'],
             losses=dict(pixel_lr=20.0, adv_local_lr=0.1, adv_global_lr=0.1,
                         parsing_lr=1.0),
             discriminators=['local_lr', 'global_lr']),
    ]))
train_cfg = dict(type='IterBasedTrainLoop', max_iters=1600, val_interval=400)
# validate on the first 100 validation faces to keep validation short
val_dataloader = dict(dataset=dict(indices=100))
default_hooks = dict(
    logger=dict(interval=50),
    checkpoint=dict(interval=400, max_keep_ckpts=10))
