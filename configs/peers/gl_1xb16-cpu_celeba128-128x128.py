# GLInpaintor completing the 128x128 face inside the 4x block (64x64): the
# second step of "SR, then complete" (MSRResNet -> GL(128) in Fig. 9).
_base_ = [
    '../_base_/models/gl_1xb16.py', '../_base_/datasets/inpaint_faces_128.py',
    '../_base_/inpaint_peer_runtime.py'
]
experiment_name = 'gl_1xb16-cpu_celeba128-128x128'
work_dir = f'./work_dirs/{experiment_name}'
model = dict(
    # 128 px -> 5 stride-2 convs, 64 px crop -> 4 (down to 4x4)
    disc=dict(
        global_disc_cfg=dict(num_convs=5, fc_in_channels=512 * 4 * 4),
        local_disc_cfg=dict(num_convs=4, fc_in_channels=512 * 4 * 4)),
    # mmagic's phases, shortened to what 10 CPU minutes allow
    train_cfg=dict(iter_tc=90, iter_td=95, local_size=(64, 64)))
train_cfg = dict(type='IterBasedTrainLoop', max_iters=100, val_interval=100)
# no precision='auto' here (fp32): mmagic's GLInpaintor.train_step runs its
# networks outside optim_context, where AutocastOptimWrapper's bf16 autocast
# acts, so bf16 would not reach them
