# Stage 1 on ../shared/data/celeba128 (8,000 training faces), with a schedule
# that fits ~25 minutes of 2 CPU cores: the paper's three phases, with the
# L1 phase given most of the budget and the adversarial/parsing phases run as
# a short fine-tuning at a tenth of the generator's learning rate (at this
# length their discriminators are barely trained; see docs/results.md).
# Data: python tools/dataset_converters/aligned_faces.py \
#     ../shared/data/celeba128 --out data/celeba128
_base_ = './fcsr_gan/fcsr-gan_stage1_1xb16-200k_celeba-32x32.py'
model = dict(
    train_cfg=dict(
        phases=dict(local_adv=dict(begin=6000), all=dict(begin=6100))))
train_cfg = dict(type='IterBasedTrainLoop', max_iters=6200, val_interval=1200)
# generator: the base's 1e-3, then 1e-4 for the last 1,200 L1 iterations and
# the adversarial phases; discriminators keep 1e-4 (they start from scratch)
param_scheduler = dict(
    generator=dict(
        type='MultiStepLR', milestones=[4800], gamma=0.1, by_epoch=False),
    discriminators=[])
# validate on the first 100 validation faces to keep validation short
val_dataloader = dict(dataset=dict(indices=100))
default_hooks = dict(
    logger=dict(interval=50),
    checkpoint=dict(interval=1200, max_keep_ckpts=10))
# bf16 autocast where the processor computes bf16 natively (AMX /
# AVX512-BF16), fp32 elsewhere; tools/train.py --precision overrides it
precision = 'auto'
