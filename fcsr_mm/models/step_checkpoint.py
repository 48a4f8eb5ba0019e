"""Load a trained mmagic model (a step of ``SequentialRestorer``, the SR
network of ``FaceBaseline``) strictly.

``Pretrained`` init loads with ``strict=False``: a checkpoint of another
config would leave random layers and still produce a benchmark row. Here
the checkpoint must fit the model exactly; else one line names the file,
the model and what differs.
"""
import os.path as osp

import torch

from fcsr_mm.utils.checkpoint_io import load_checkpoint_file

from .state_loading import first_nonfinite, state_mismatch


def load_step_checkpoint(model: torch.nn.Module, checkpoint: str,
                         label: str, prefix: str = '') -> None:
    """Load ``checkpoint`` (a local mmengine checkpoint of ``model``'s
    config, or of a model holding it under ``prefix``, e.g.
    ``'generator.sr'``) into
    ``model``; raise ``ValueError`` naming the file if it is missing,
    unreadable, of another config or holds NaN/inf."""
    if not osp.isfile(checkpoint):
        raise FileNotFoundError(f'{label}: checkpoint {checkpoint!r} not '
                                'found (train it first with its own config)')
    ckpt = load_checkpoint_file(checkpoint)
    state = ckpt.get('state_dict', ckpt) if isinstance(ckpt, dict) else ckpt
    state = {k[7:] if k.startswith('module.') else k: v
             for k, v in state.items()}
    if prefix and not prefix.endswith('.'):  # as mmengine's Pretrained
        prefix += '.'
    state = {k[len(prefix):]: v for k, v in state.items()
             if k.startswith(prefix)}
    if not state:
        raise ValueError(f'{label}: checkpoint {checkpoint!r} has no weights '
                         f'under {prefix!r}; check the prefix')
    problems = state_mismatch(model.state_dict(), state)
    if problems:
        raise ValueError(
            f'{label}: checkpoint {checkpoint!r}'
            f'{f" (weights under {prefix!r})" if prefix else ""} does not '
            f'fit {type(model).__name__} of this config: {"; ".join(problems)}'
            '. It was trained with another config.')
    bad = first_nonfinite(state)
    if bad:
        raise ValueError(f'{label}: checkpoint {checkpoint!r} holds '
                         f'non-finite weights ({bad}); it comes from a run '
                         'that diverged: use an earlier checkpoint')
    model.load_state_dict(state, strict=True)
