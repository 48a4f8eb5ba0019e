# mmagic's inpainting runtime, for a peer trained on the CPU budget: our
# components, seeding, short logs, a checkpoint every 100 iterations in
# work_dir (mmagic's runtime writes to ./work_dirs/ directly).
_base_ = 'mmagic::_base_/inpaint_default_runtime.py'
custom_imports = dict(imports=['fcsr_mm'], allow_failed_imports=False)
default_hooks = dict(
    logger=dict(interval=20),
    checkpoint=dict(interval=100, max_keep_ckpts=2, out_dir=None))
custom_hooks = []
randomness = dict(seed=0)
