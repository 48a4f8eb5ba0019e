# Super-resolve the occluded face (MSRResNet), then complete at 128 px inside
# the 4x hole (GLInpaintor): the paper's "SRResNet -> GFC" of Fig. 9.
_base_ = '../_base_/comparison_celeba128.py'
model = dict(steps=[{{_base_.msrresnet}}, {{_base_.gl128}}])
