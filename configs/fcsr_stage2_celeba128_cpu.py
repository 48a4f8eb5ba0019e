# Stage 2 on ../shared/data/celeba128 with a schedule for a few CPU hours:
# SR module alone (completion frozen), then everything with the paper's
# stage-2 weights. Starts from the CPU stage-1 run.
_base_ = './fcsr_stage2_celeba.py'
model = dict(
    # the 128 px parser run was still finishing when this run started; its
    # 5,000-iteration checkpoint (mIoU in docs/parser.md) is the one used
    losses=dict(
        parsing=dict(parser_checkpoint='work_dirs/parsers/celebamask128/'
                     'iter_5000.pth')),
    train_cfg=dict(phases=[
        dict(name='sr', begin=0, train=['sr'], losses=dict(pixel=0.5)),
        dict(name='all', begin=400, train=['completion', 'sr'],
             losses=dict(pixel=0.5, adv_local_hr=1e-3, adv_global_hr=1e-3,
                         perceptual=1.0, parsing=0.5),
             discriminators=['local_hr', 'global_hr']),
    ]))
load_from = 'work_dirs/fcsr_stage1_celeba128_cpu/iter_1600.pth'
train_cfg = dict(type='IterBasedTrainLoop', max_iters=480, val_interval=80)
val_dataloader = dict(dataset=dict(indices=100))
default_hooks = dict(
    logger=dict(interval=20),
    checkpoint=dict(interval=80, max_keep_ckpts=10, save_best=None))
