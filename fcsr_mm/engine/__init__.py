"""The runner side, as mmagic's ``engine``: hooks, the autocast optimiser
wrapper, and what tools/train.py and tools/test.py set up before mmengine's
Runner (config loading, precision, work directories)."""
from .optimizers import autocast_optim_wrapper  # noqa: F401  registers it
