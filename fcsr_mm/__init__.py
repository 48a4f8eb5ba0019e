"""fcsr_mm: FCSR-GAN (joint face completion and 4x super-resolution) for
mmagic. Importing the package registers every component: the model side into
mmagic's registries, the face parser side into mmseg's, and the
``'atomic_local'`` file backend into mmengine's; no function of another
library is replaced."""
from .utils.stack_check import check_stack

check_stack()  # before anything imports mmcv.ops / mmagic

from .utils.compat import allow_checkpoint_globals  # noqa: E402
from .version import __version__  # noqa: E402

allow_checkpoint_globals()  # torch's allow-list; mmengine stays as it is

from . import parsing  # noqa: E402,F401  mmseg registries
from . import engine  # noqa: E402,F401  the autocast optim wrapper
from .utils import checkpoint_io  # noqa: E402,F401  'atomic_local' backend
from . import datasets, evaluation, models, visualization  # noqa: E402,F401

__all__ = ['__version__']
