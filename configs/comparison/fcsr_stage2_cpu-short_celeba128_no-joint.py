# Ablation of the comparison's stage 2 (issue 20, Fig. 9): the same schedule
# without the joint fine-tuning phase, so the completion module stays frozen
# from stage 1 and only the SR module trains, with the pixel loss, to the
# end (its learning rate still drops where that phase would have begun).
_base_ = './fcsr_stage2_cpu-short_celeba128.py'
model = dict(train_cfg=dict(phases=dict(all=None)))
