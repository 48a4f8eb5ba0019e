# SegNet face parser, 128 px, on the CelebAMask-HQ faces of ../shared/data
# (prepare: python tools/dataset_converters/celebamask_hq.py, 700/100 split).
_base_ = [
    '../_base_/models/segnet_128.py', '../_base_/datasets/face_parsing_128.py',
    '../_base_/schedules/parser_adam_20k.py', '../_base_/parser_runtime.py'
]
