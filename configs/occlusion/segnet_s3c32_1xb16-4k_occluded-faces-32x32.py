# The occlusion segmenter (issue 23): SegNet at 32 px, the stage-1 parser's
# network with two classes (clear, occluder), on synthetic occluders and
# CelebAMask-HQ's eyeglasses and hats. 32 px because that is the face
# FCSR-GAN completes: the mask it needs lives at 32x32, and a larger
# segmenter would see the same 32 px face upsampled.
_base_ = [
    '../_base_/models/segnet_32.py', '../_base_/datasets/occluded_faces_32.py',
    '../_base_/schedules/parser_adam_20k.py', '../_base_/parser_runtime.py'
]
model = dict(decode_head=dict(num_classes=2))
optim_wrapper = dict(optimizer=dict(lr=1e-3))
param_scheduler = [
    dict(type='PolyLR', eta_min=1e-6, power=0.9, begin=0, end=4000,
         by_epoch=False)
]
train_cfg = dict(max_iters=4000, val_interval=1000)
default_hooks = dict(checkpoint=dict(save_best='mIoU', max_keep_ckpts=1))
# How its probabilities become a mask at inference (OcclusionSegmenter),
# chosen for these weights on validation faces only
# (tools/analysis/segmenter_threshold.py): fewer clean pixels and faces
# marked than 0.5 / 3 for a slightly lower synthetic IoU.
occluder_mask = dict(threshold=0.6, min_area=6)
