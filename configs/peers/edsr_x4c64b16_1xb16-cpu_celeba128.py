# mmagic's EDSR x4 (EDSRNet), unchanged, on the same data and schedule as
# MSRResNet. Inherits our MSRResNet config, not mmagic's EDSR one: mmagic's
# EDSR config differs from its MSRResNet config only in the generator and
# schedule, and a config has one data definition to inherit.
_base_ = './msrresnet_x4c64b16_1xb16-cpu_celeba128.py'
experiment_name = 'edsr_x4c64b16_1xb16-cpu_celeba128'
work_dir = f'./work_dirs/{experiment_name}'
model = dict(
    generator=dict(
        _delete_=True,
        type='EDSRNet',
        in_channels=3,
        out_channels=3,
        mid_channels=64,
        num_blocks=16,
        upscale_factor=4,
        res_scale=1,
        # mmagic's DIV2K mean, in the BGR order our pipelines load
        rgb_mean=[0.4040, 0.4371, 0.4488],
        rgb_std=[1.0, 1.0, 1.0]))
# mmagic's EDSR rate
optim_wrapper = dict(optimizer=dict(lr=1e-4))
