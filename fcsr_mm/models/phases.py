"""The training schedule as data: named phases that start at given iterations.

Each phase says which generator modules train, which loss terms count with
what weight, and which discriminators update (by default: those its
adversarial terms need). Phases are keyed by name, so a derived config merges
into its base and states only what differs::

    phases=dict(all=dict(begin=2100))                     # move a phase
    phases=dict(all=dict(losses=dict(perceptual=None)))   # drop a term
    phases=dict(local_adv=None)                           # drop a phase
    phases=dict(warm=dict(begin=2000, discriminators=['local_hr']))
        # train=[]: the discriminators warm up on the generator's fakes

The phase of an iteration is looked up from the iteration itself, so a
resumed run lands in the right one.
"""
from dataclasses import dataclass, field
from typing import Dict, List, Mapping, Sequence, Tuple, Union

from .loss_terms import LossTerm

GENERATOR_MODULES = ('completion', 'sr')


@dataclass
class Phase:
    """One phase of the schedule.

    Attributes:
        name (str): Shown in logs.
        begin (int): First iteration of the phase.
        train (tuple[str]): Generator modules that learn.
        losses (dict[str, float]): Loss term -> weight.
        discriminators (tuple[str]): Discriminators that update.
        terms (dict[str, LossTerm]): What each of ``losses`` compares.
    """
    name: str
    begin: int
    train: Tuple[str, ...] = ()
    losses: Dict[str, float] = field(default_factory=dict)
    discriminators: Tuple[str, ...] = ()
    terms: Dict[str, LossTerm] = field(default_factory=dict, repr=False)

    @property
    def needs_sr(self) -> bool:
        """Whether the SR module has to run (it trains or is scored)."""
        return 'sr' in self.train or any(t.output == 'hr'
                                         for t in self.terms.values())

    @property
    def adversarial(self) -> Dict[str, LossTerm]:
        """The phase's adversarial terms."""
        return {k: t for k, t in self.terms.items() if t.discriminator}


def _named(phases: Union[Mapping, Sequence]) -> Dict[str, dict]:
    """Phase configs by name, from the dict form or the older list form."""
    if isinstance(phases, Mapping):
        out = {}
        for name, cfg in phases.items():
            if cfg is None:  # removed by a derived config
                continue
            cfg = dict(cfg)
            if cfg.pop('name', name) != name:
                raise ValueError(f'phase {name!r} has name={cfg["name"]!r}; '
                                 'in the dict form the key is the name')
            out[name] = cfg
        return out
    if isinstance(phases, (list, tuple)):  # backward compatible list form
        out = {}
        for i, cfg in enumerate(phases):
            cfg = dict(cfg)
            name = cfg.pop('name', f'phase{i}')
            if name in out:
                raise ValueError(f'two phases are named {name!r}')
            out[name] = cfg
        return out
    raise TypeError(f'train_cfg.phases must be a dict of phases by name, got '
                    f'{type(phases).__name__}')


class PhaseSchedule:
    """Ordered, validated phases.

    Args:
        phases (dict | list): Phase configs keyed by name (see the module
            docstring); a list of dicts with ``name`` keys is accepted too.
            Keys of a phase: ``begin`` (required), ``train``, ``losses``
            (None weights drop a term), ``discriminators`` (default: the
            ones its adversarial terms use).
        terms (dict[str, LossTerm]): The loss terms the model knows.
        loss_keys (Sequence[str]): Loss modules the model has.
        disc_keys (Sequence[str]): Discriminators the model has.
    """

    def __init__(self, phases: Union[Mapping, Sequence],
                 terms: Mapping[str, LossTerm], loss_keys: Sequence[str],
                 disc_keys: Sequence[str]):
        named = _named(phases)
        if not named:
            raise ValueError('train_cfg.phases is empty: give at least one '
                             'phase starting at iteration 0')
        built = [self._build(n, c, terms) for n, c in named.items()]
        for phase in built:
            self._check(phase, loss_keys, disc_keys)
        self.phases: List[Phase] = sorted(built, key=lambda p: p.begin)
        begins = [(p.name, p.begin) for p in self.phases]
        if begins[0][1] != 0 or len({b for _, b in begins}) != len(begins):
            raise ValueError(f'phases need distinct begins with one at '
                             f'iteration 0, got {dict(begins)}')

    @staticmethod
    def _build(name: str, cfg: dict, terms: Mapping[str, LossTerm]) -> Phase:
        where = f'phase {name!r}'
        if 'begin' not in cfg:
            raise ValueError(f'{where} has no begin (its first iteration)')
        losses = {k: float(w) for k, w in (cfg.pop('losses', None)
                                           or {}).items() if w is not None}
        unknown = [k for k in losses if k not in terms]
        if unknown:
            raise ValueError(f'{where}: unknown loss {unknown[0]!r}; known: '
                             f'{sorted(terms)}')
        phase_terms = {k: terms[k] for k in losses}
        discs = cfg.pop('discriminators', None)
        if discs is None:  # those its adversarial terms need
            discs = [t.discriminator for t in phase_terms.values()
                     if t.discriminator]
        try:
            return Phase(name=name, begin=int(cfg.pop('begin')),
                         train=tuple(cfg.pop('train', ())), losses=losses,
                         discriminators=tuple(discs), terms=phase_terms,
                         **cfg)
        except TypeError as err:
            raise ValueError(f'{where}: {err}') from err

    @staticmethod
    def _check(phase: Phase, loss_keys, disc_keys) -> None:
        where = f'phase {phase.name!r}'
        unknown = set(phase.train) - set(GENERATOR_MODULES)
        if unknown:
            raise ValueError(f'{where} trains unknown module(s) '
                             f'{sorted(unknown)}; choose from '
                             f'{GENERATOR_MODULES}')
        for name, term in phase.terms.items():
            if term.loss not in loss_keys:
                raise ValueError(f'{where}: loss {name!r} needs '
                                 f'model.losses.{term.loss}, which is not '
                                 f'configured (has {sorted(loss_keys)})')
        if not phase.train and (phase.losses or not phase.discriminators):
            raise ValueError(
                f'{where} trains no generator module (train=[]): such a '
                'phase warms up discriminators only, so it needs '
                '`discriminators` and no `losses`'
                if phase.losses else f'{where} trains nothing: give `train` '
                '(generator modules) or `discriminators` to warm up')
        missing = set(phase.discriminators) - set(disc_keys)
        if missing:
            raise ValueError(f'{where} updates unknown discriminator(s) '
                             f'{sorted(missing)}; the model has '
                             f'{sorted(disc_keys)}')

    def at(self, iteration: int) -> Phase:
        """The phase that iteration ``iteration`` belongs to."""
        current = self.phases[0]
        for phase in self.phases:
            if phase.begin <= iteration:
                current = phase
        return current

    def index(self, phase: Phase) -> int:
        """Position of ``phase`` in begin order (logged as ``phase``)."""
        return self.phases.index(phase)

    def __iter__(self):
        return iter(self.phases)
