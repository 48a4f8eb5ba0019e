"""Parameters and FLOPs of a model built from a config (either scope).

    python tools/analysis/model_complexity.py CONFIG [--shape 3 128 128]
For an mmseg segmentor the whole encoder-decoder is measured; for an mmagic
model each sub-network listed by --modules (default: every child network with
parameters) is reported, and FLOPs for those that take one image.
"""
import argparse
import os.path as osp

import fcsr_mm  # noqa: F401


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('config')
    p.add_argument('--shape', type=int, nargs=3, default=None,
                   help='input C H W (default: from the config)')
    return p.parse_args(argv)


def count_params(module) -> int:
    return sum(p.numel() for p in module.parameters())


def segmentor_complexity(model, shape):
    """Params and FLOPs of an mmseg segmentor on one ``shape`` input."""
    from fcsr_mm.models.complexity import count_flops
    model.eval()
    return count_params(model), count_flops(
        lambda x: model(x, mode='tensor'), (1, *shape))


def build_from_config(path):
    from mmengine.config import Config
    from mmengine.registry import DefaultScope
    cfg = Config.fromfile(path)
    scope = cfg.get('default_scope', 'mmagic')
    with DefaultScope.overwrite_default_scope(scope):
        if scope == 'mmseg':
            from mmseg.registry import MODELS
        else:
            from mmagic.registry import MODELS
        return cfg, scope, MODELS.build(cfg.model)


def main(argv=None):
    args = parse_args(argv)
    cfg, scope, model = build_from_config(args.config)
    if scope == 'mmseg':
        size = cfg.model.data_preprocessor.get('size') or (128, 128)
        shape = args.shape or (3, *size)
        params, flops = segmentor_complexity(model, shape)
        print(f'{osp.basename(args.config)}: {params / 1e6:.3f} M parameters, '
              f'{flops / 1e9:.3f} GFLOPs for input {shape}')
        return params, flops
    from fcsr_mm.models.complexity import report_model_complexity
    return report_model_complexity(model, args.shape)


if __name__ == '__main__':
    main()
