# Complete at 32 px (mmagic's GLInpaintor), then super-resolve (MSRResNet):
# the paper's "GFC -> SRResNet" sequence of Fig. 9 with mmagic's models.
_base_ = '../_base_/comparison_celeba128.py'
model = dict(steps=[{{_base_.gl32}}, {{_base_.msrresnet}}])
