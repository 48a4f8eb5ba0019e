# mmagic's GLInpaintor model base for one process: BN instead of SyncBN
# (mmagic's base is set up for 8 GPUs) and its phases to be set by the
# config: completion (L1) alone to iter_tc, discriminators alone to
# iter_td, then jointly.
_base_ = 'mmagic::_base_/models/base_gl.py'
_bn = dict(type='BN')
model = dict(
    encdec=dict(
        encoder=dict(norm_cfg=_bn),
        decoder=dict(norm_cfg=_bn),
        dilation_neck=dict(norm_cfg=_bn)),
    disc=dict(
        global_disc_cfg=dict(norm_cfg=_bn), local_disc_cfg=dict(norm_cfg=_bn)),
    train_cfg=dict(disc_step=1, start_iter=0))
