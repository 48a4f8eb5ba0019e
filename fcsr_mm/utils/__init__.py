from .compat import allow_checkpoint_globals, checkpoint_safe_globals

__all__ = ['allow_checkpoint_globals', 'checkpoint_safe_globals']
