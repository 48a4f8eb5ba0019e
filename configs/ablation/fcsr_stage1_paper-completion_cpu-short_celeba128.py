# The paper's completion module exactly (no mask input, no known-pixel skips,
# Adam lr 1e-4) on the comparison's stage-1 CPU run: the baseline of the
# 32 px completion study in docs/results.md.
_base_ = '../comparison/fcsr_stage1_cpu-short_celeba128.py'
model = dict(
    generator=dict(completion=dict(mask_input=False, known_skips=())))
optim_wrapper = dict(generator=dict(optimizer=dict(lr=1e-4)))
