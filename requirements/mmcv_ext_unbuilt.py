"""``mmcv._ext`` for an mmcv installed without its compiled ops.

fcsr_mm's default install (tools/setup_env.sh). mmagic and mmseg import
``mmcv.ops``, whose modules look their kernels up in ``mmcv._ext`` when they
are imported; FCSR-GAN, its face parser and the mmagic restorers it is
compared with call none of those kernels. This module answers the look-ups
with functions that raise when called: importing works, and using an op fails
at once with the fix. ``FCSR_MMCV_OPS=1 bash tools/setup_env.sh`` compiles
mmcv's real ops instead (about 12 minutes on 2 CPU cores).
"""


def __getattr__(name: str):
    if name.startswith('__'):
        raise AttributeError(name)

    def unbuilt(*args, **kwargs):
        raise RuntimeError(
            f'mmcv op {name!r} is not compiled in this environment: '
            'tools/setup_env.sh installs mmcv without its compiled ops, '
            'which FCSR-GAN does not use. Rebuild with '
            '`FCSR_MMCV_OPS=1 bash tools/setup_env.sh` to use it.')

    unbuilt.__name__ = name
    return unbuilt
