# SegNet face parser, 32 px (the stage-1 parser), on CelebAMask-HQ.
_base_ = [
    '../_base_/models/segnet_32.py', '../_base_/datasets/face_parsing_32.py',
    '../_base_/schedules/parser_adam_20k.py', '../_base_/parser_runtime.py'
]
