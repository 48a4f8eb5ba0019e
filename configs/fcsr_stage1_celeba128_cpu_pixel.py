# Stage 1 of the shipped model (fcsr_mm/checkpoints/README.md): the L1 phase
# of the CPU run alone, 6,000 iterations. The adversarial and parsing phases
# are left out: at CPU budgets they have not improved a measured number yet
# (docs/results.md), and without them no face parser is needed.
_base_ = './fcsr_stage1_celeba128_cpu.py'
model = dict(
    losses=dict(parsing_lr=None),
    train_cfg=dict(phases=dict(
        _delete_=True,
        l1=dict(begin=0, train=['completion'], losses=dict(pixel_lr=20.0)))))
train_cfg = dict(max_iters=6000)
