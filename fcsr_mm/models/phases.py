"""The training schedule as data: phases that start at given iterations.

Each phase says which generator modules train, which loss terms count with
what weight, and which discriminators update. The phase of an iteration is
looked up from the iteration itself, so a resumed run lands in the right one.
"""
from dataclasses import dataclass, field
from typing import Dict, List, Sequence, Tuple

GENERATOR_MODULES = ('completion', 'sr')
#: loss term -> (loss module key in ``losses``, output it scores)
PIXEL_TERMS = {
    'pixel_lr': ('pixel_lr', 'lr'),      # L1, completed 32x32 vs gt_lr
    'pixel': ('pixel', 'hr'),            # MSE, 128x128 result vs gt
    'parsing_lr': ('parsing_lr', 'lr'),  # 32 px parser cross-entropy
    'parsing': ('parsing', 'hr'),        # 128 px parser cross-entropy
    'perceptual': ('perceptual', 'hr'),  # VGG-19 feature distance
}
ADV_PREFIX = 'adv_'  # 'adv_<discriminator name>': generator's GAN loss


@dataclass
class Phase:
    """One phase of the schedule.

    Attributes:
        name (str): Shown in logs.
        begin (int): First iteration of the phase.
        train (tuple[str]): Generator modules that learn.
        losses (dict[str, float]): Loss term -> weight.
        discriminators (tuple[str]): Discriminators that update.
    """
    name: str
    begin: int
    train: Tuple[str, ...]
    losses: Dict[str, float] = field(default_factory=dict)
    discriminators: Tuple[str, ...] = ()

    @property
    def needs_sr(self) -> bool:
        """Whether the SR module has to run (it trains or is scored)."""
        return 'sr' in self.train or any(
            self.output_of(term) == 'hr' for term in self.losses)

    @staticmethod
    def output_of(term: str) -> str:
        """'lr' or 'hr': which generator output a term scores."""
        if term.startswith(ADV_PREFIX):
            return 'lr' if term.endswith('_lr') else 'hr'
        return PIXEL_TERMS[term][1]


class PhaseSchedule:
    """Ordered, validated phases.

    Args:
        phases (Sequence[dict]): Phase dicts (see :class:`Phase`).
        loss_keys (Sequence[str]): Loss modules the model has.
        disc_keys (Sequence[str]): Discriminators the model has.
    """

    def __init__(self, phases: Sequence[dict], loss_keys: Sequence[str],
                 disc_keys: Sequence[str]):
        if not phases:
            raise ValueError('train_cfg.phases is empty: give at least one '
                             'phase starting at iteration 0')
        self.phases: List[Phase] = []
        for i, cfg in enumerate(phases):
            cfg = dict(cfg)
            cfg.setdefault('name', f'phase{i}')
            cfg['train'] = tuple(cfg.get('train', ()))
            cfg['discriminators'] = tuple(cfg.get('discriminators', ()))
            try:
                phase = Phase(**cfg)
            except TypeError as err:
                raise ValueError(f'phase {i}: {err}') from err
            self._check(phase, loss_keys, disc_keys)
            self.phases.append(phase)
        begins = [p.begin for p in self.phases]
        if begins[0] != 0 or any(b2 <= b1 for b1, b2 in zip(begins, begins[1:])):
            raise ValueError(f'phases must start at iteration 0 and in '
                             f'increasing order, got begins {begins}')

    @staticmethod
    def _check(phase: Phase, loss_keys, disc_keys) -> None:
        where = f'phase {phase.name!r}'
        unknown = set(phase.train) - set(GENERATOR_MODULES)
        if unknown:
            raise ValueError(f'{where} trains unknown module(s) '
                             f'{sorted(unknown)}; choose from '
                             f'{GENERATOR_MODULES}')
        for term in phase.losses:
            if term.startswith(ADV_PREFIX):
                disc = term[len(ADV_PREFIX):]
                if disc not in disc_keys:
                    raise ValueError(f'{where}: loss {term!r} needs a '
                                     f'discriminator {disc!r}; the model has '
                                     f'{sorted(disc_keys)}')
            elif term not in PIXEL_TERMS:
                raise ValueError(
                    f'{where}: unknown loss {term!r}; known: '
                    f'{sorted(PIXEL_TERMS)} and adv_<discriminator>')
            elif PIXEL_TERMS[term][0] not in loss_keys:
                raise ValueError(f'{where}: loss {term!r} is not configured '
                                 f'in model.losses (has {sorted(loss_keys)})')
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

    def __iter__(self):
        return iter(self.phases)
