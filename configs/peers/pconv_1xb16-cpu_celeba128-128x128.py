# mmagic's partial-convolution inpainter (PConv, stage 1: BN trained),
# completing the 128x128 face inside the 4x block. Without its VGG-16
# perceptual/style term: mmagic's PerceptualLoss downloads ImageNet VGG-16
# when built, which this offline setup cannot (its L1 hole/valid and TV
# terms are kept).
_base_ = [
    'mmagic::_base_/models/base_pconv.py',
    '../_base_/datasets/inpaint_faces_128.py', '../_base_/inpaint_peer_runtime.py'
]
experiment_name = 'pconv_1xb16-cpu_celeba128-128x128'
work_dir = f'./work_dirs/{experiment_name}'
model = dict(
    encdec=dict(
        encoder=dict(norm_cfg=dict(type='BN', requires_grad=True),
                     norm_eval=False),
        decoder=dict(norm_cfg=dict(type='BN'))),
    loss_composed_percep=None,
    loss_out_percep=False,
    train_cfg=dict(disc_step=0, start_iter=0))
# mmagic's PConv stage-1 rate (2e-4)
optim_wrapper = dict(optimizer=dict(lr=0.0002))
train_cfg = dict(type='IterBasedTrainLoop', max_iters=120, val_interval=120)
# no precision='auto' here (fp32): mmagic's PConvInpaintor.train_step runs its
# networks outside optim_context, where AutocastOptimWrapper's bf16 autocast
# acts, so bf16 would not reach them
