"""Refuse, at import, a stack fcsr_mm cannot work with, naming the package,
the version found and the fix (instead of a deep error later)."""
import importlib.util
from typing import Callable, Optional

from packaging.version import Version

#: The ranges tested (docs/installation.md, "Use your own environment").
NUMPY_BELOW = Version('2')
MMCV_RANGE = (Version('2.0.0'), Version('2.2.0'))


def _module_version(name: str) -> Optional[str]:
    if importlib.util.find_spec(name) is None:
        return None
    module = importlib.import_module(name)
    return getattr(module, '__version__', None)


def check_stack(version_of: Callable[[str], Optional[str]] = _module_version,
                has_module: Callable[[str], bool] = lambda n: importlib.util
                .find_spec(n) is not None) -> None:
    """Raise ImportError for numpy >= 2, mmcv outside [2.0, 2.2) or an
    mmcv without ``mmcv._ext``. The arguments exist for tests."""
    numpy = version_of('numpy')
    if numpy and Version(numpy) >= NUMPY_BELOW:
        raise ImportError(
            f'fcsr_mm needs numpy < 2 (mmagic 1.2 uses np.bool8, and its '
            f'NIQE metric failed under numpy 2.4), found numpy {numpy}. '
            'Fix: pip install "numpy<2"')
    mmcv = version_of('mmcv')
    if mmcv is None:
        raise ImportError('fcsr_mm needs mmcv >= 2.0, < 2.2, which is not '
                          'installed. Fix: mim install "mmcv>=2.0.0,<2.2.0" '
                          '(or bash tools/setup_env.sh)')
    low, high = MMCV_RANGE
    if not low <= Version(mmcv) < high:
        raise ImportError(
            f'fcsr_mm needs mmcv >= {low}, < {high} (mmagic and mmseg refuse '
            f'others), found mmcv {mmcv}. Fix: mim install '
            f'"mmcv>={low},<{high}"')
    if not has_module('mmcv._ext'):
        raise ImportError(
            f'mmcv {mmcv} has no mmcv._ext (mmcv-lite, or built with '
            'MMCV_WITH_OPS=0), and mmagic and mmseg import mmcv.ops. Fix: '
            'mim install "mmcv>=2.0.0,<2.2.0" (with its ops), or run '
            'bash tools/setup_env.sh, whose mmcv carries a stand-in _ext')
