# The adversarial/perceptual/parsing fine-tuning of the CPU stage 2 on its
# own, from the pixel-loss model (stage 2 at the end of its SR phase), so
# every variant of the schedule study (docs/results.md, "Adversarial
# phases") starts from the same weights. Variants change this through
# --cfg-options (tools/analysis/variant_runs.sh ... finetune ...).
_base_ = '../fcsr_stage2_celeba128_cpu.py'
model = dict(train_cfg=dict(phases=dict(sr=None, all=dict(begin=0))))
load_from = 'work_dirs/fcsr_stage2_celeba128_cpu/iter_2100.pth'
# the CPU run's fine-tuning rate, held
param_scheduler = dict(generator=[], discriminators=[])
optim_wrapper = dict(generator=dict(optimizer=dict(lr=1e-5)))
train_cfg = dict(max_iters=80, val_interval=100000)
default_hooks = dict(checkpoint=dict(interval=80))
