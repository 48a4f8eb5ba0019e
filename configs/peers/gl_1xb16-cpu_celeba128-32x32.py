# mmagic's GLInpaintor (global+local, the model closest to the paper's GFC
# peer), unchanged, completing the occluded 32x32 face. Inherits mmagic's
# GL model base, not its CelebA-256 config (whose data and 8-GPU settings
# all change).
_base_ = [
    '../_base_/models/gl_1xb16.py', '../_base_/datasets/inpaint_faces_32.py',
    '../_base_/inpaint_peer_runtime.py'
]
experiment_name = 'gl_1xb16-cpu_celeba128-32x32'
work_dir = f'./work_dirs/{experiment_name}'
model = dict(
    # stride-2 convs down to 4x4: 32 px -> 3 convs, 16 px crop -> 2
    disc=dict(
        global_disc_cfg=dict(num_convs=3, fc_in_channels=256 * 4 * 4),
        local_disc_cfg=dict(num_convs=2, fc_in_channels=128 * 4 * 4)),
    # mmagic's phases, shortened for the CPU budget
    train_cfg=dict(iter_tc=700, iter_td=740, local_size=(16, 16)))
train_cfg = dict(type='IterBasedTrainLoop', max_iters=800, val_interval=800)
# no precision='auto' here (fp32): mmagic's GLInpaintor.train_step runs its
# networks outside optim_context, where AutocastOptimWrapper's bf16 autocast
# acts, so bf16 would not reach them
