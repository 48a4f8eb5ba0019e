"""Whether a checkpoint was trained with a config like the one it is used
with, from the config mmengine's Runner stores in every checkpoint's
``meta['cfg']``.

A stage-1 checkpoint fits a stage-2 config weight for weight (the same
generator), so the strict load takes it, and the result is scored with an
SR module that never trained (21.90 vs 22.55 dB). The weights cannot tell;
the stored config can.
"""
from typing import List, Optional

from mmengine.config import Config
from mmengine.logging import print_log


class OtherConfigError(ValueError):
    """A checkpoint trained with a config whose model differs in a way that
    changes the results."""


def stored_config(ckpt: dict) -> Optional[Config]:
    """The training config a Runner checkpoint holds (None: a checkpoint
    saved otherwise, e.g. ``torch.save`` of a state dict)."""
    meta = ckpt.get('meta') if isinstance(ckpt, dict) else None
    text = meta.get('cfg') if isinstance(meta, dict) else None
    if not isinstance(text, str):
        return None
    try:
        return Config.fromstring(text, '.py')
    except Exception as err:  # noqa: BLE001  an old or edited text
        print_log(f'the config stored in the checkpoint could not be read '
                  f'({type(err).__name__}); not compared', logger='current',
                  level=30)
        return None


def trained_modules(model_cfg) -> set:
    """The generator modules a schedule (``train_cfg.phases``) trains."""
    phases = (model_cfg.get('train_cfg') or {}).get('phases') or {}
    return {m for p in phases.values() if p for m in p.get('train', [])}


def model_differences(trained: Config, given: Config) -> List[str]:
    """What makes a model trained with ``trained`` give other results than
    the model of ``given``: another model type, another generator, or a
    module ``given`` trains that ``trained`` never did. Losses and
    discriminators are left out: inference does not use them."""
    old, new = trained.get('model', {}), given.get('model', {})
    if old.get('type') != new.get('type'):
        return [f'model {old.get("type")} vs {new.get("type")}']
    problems = []
    if _plain(old.get('generator')) != _plain(new.get('generator')):
        keys = sorted(_differing_keys(_plain(old.get('generator')) or {},
                                      _plain(new.get('generator')) or {}))
        problems.append(f'another generator ({", ".join(keys[:3])} differ)')
    never = sorted(trained_modules(new) - trained_modules(old))
    if trained_modules(old) and never:
        problems.append(f'its training never trained {", ".join(never)}, '
                        'which this config trains')
    return problems


def check_trained_config(ckpt: dict, cfg: Config, checkpoint: str,
                         allow: bool = False) -> None:
    """Refuse (or with ``allow``, warn about) ``checkpoint`` when the
    config it was trained with gives another model than ``cfg``.

    Raises:
        OtherConfigError: naming the checkpoint, both configs and what
            differs.
    """
    trained = stored_config(ckpt)
    if trained is None:
        return
    problems = model_differences(trained, cfg)
    if not problems:
        return
    name = (ckpt.get('meta') or {}).get('experiment_name') or 'another config'
    given = getattr(cfg, 'filename', None) or 'the given config'
    text = (f'checkpoint {checkpoint!r} was trained with {name}, whose model '
            f'differs from that of {given}: {"; ".join(problems)}')
    if allow:
        print_log(f'{text}; used anyway, as asked', logger='current',
                  level=30)
        return
    raise OtherConfigError(
        f'{text}. Give the config it was trained with (a stage-1 '
        'checkpoint is the start of stage 2: its load_from), or allow it '
        '(--allow-other-config, allow_other_config=True)')


def _plain(value):
    """Plain dicts and lists (a config's text turns tuples into lists)."""
    if hasattr(value, 'to_dict'):
        value = value.to_dict()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _differing_keys(a: dict, b: dict, prefix: str = '') -> List[str]:
    keys = []
    for k in set(a) | set(b):
        x, y = a.get(k), b.get(k)
        if isinstance(x, dict) and isinstance(y, dict):
            keys += _differing_keys(x, y, f'{prefix}{k}.')
        elif x != y:
            keys.append(f'{prefix}{k}')
    return keys
