# The second SR network and inpainter in sequence: EDSR, then PConv at
# 128 px inside the 4x hole.
_base_ = '../_base_/comparison_celeba128.py'
model = dict(steps=[{{_base_.edsr}}, {{_base_.pconv128}}])
