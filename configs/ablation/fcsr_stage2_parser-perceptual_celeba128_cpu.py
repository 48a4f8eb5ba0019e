# The CPU stage 2 with its perceptual term on the frozen 128 px face parser's
# encoder (deepest stage, 16x16) instead of VGG-19's conv5_4: offline there
# are no ImageNet weights, and a random VGG-19 measures nothing useful
# (issue 19; docs/results.md).
_base_ = '../fcsr_stage2_celeba128_cpu.py'
model = dict(
    losses=dict(
        perceptual=dict(
            _delete_=True,
            type='ParserPerceptualLoss',
            parser_config='configs/parser/'
            'segnet_s4c16_1xb8-6k_celebamask-hq-128x128.py',
            parser_checkpoint='work_dirs/parsers/celebamask128/iter_6000.pth',
            layer_weights={3: 1.0})))
