"""PhaseSchedule: named phases, merged configs, derived discriminators,
the older list form, bad schedules."""
import pytest
from mmengine.config import Config

from fcsr_mm.models.loss_terms import loss_terms
from fcsr_mm.models.phases import PhaseSchedule

LOSSES = ['pixel_lr', 'pixel', 'gan', 'parsing_lr']
DISCS = {'local_lr': 'lr', 'global_lr': 'lr'}
STAGE1 = dict(
    l1=dict(begin=0, train=['completion'], losses=dict(pixel_lr=1)),
    local_adv=dict(begin=10, train=['completion'],
                   losses=dict(pixel_lr=1, adv_local_lr=0.1)),
    all=dict(begin=20, train=['completion'],
             losses=dict(pixel_lr=1, adv_local_lr=0.1, adv_global_lr=0.1,
                         parsing_lr=1.0)))


def _sched(phases):
    return PhaseSchedule(phases, loss_terms(DISCS), LOSSES, list(DISCS))


def test_lookup_by_iteration_and_derived_discriminators():
    s = _sched(STAGE1)
    assert [s.at(i).name for i in (0, 9, 10, 500)] == [
        'l1', 'l1', 'local_adv', 'all']
    assert not s.at(0).needs_sr
    assert s.at(10).discriminators == ('local_lr', )
    assert s.at(20).discriminators == ('local_lr', 'global_lr')
    # given explicitly, the list wins (e.g. a discriminator warm-up)
    s = _sched(dict(STAGE1, l1=dict(STAGE1['l1'],
                                    discriminators=['global_lr'])))
    assert s.at(0).discriminators == ('global_lr', )


def test_phases_are_ordered_by_begin_not_by_key():
    s = _sched(dict(all=STAGE1['all'], l1=STAGE1['l1']))
    assert [p.name for p in s] == ['l1', 'all']
    assert s.index(s.at(25)) == 1


def test_a_derived_config_states_only_what_differs(tmp_path):
    base = tmp_path / 'base.py'
    base.write_text(f'model = dict(train_cfg=dict(phases={STAGE1!r}))\n')
    derived = tmp_path / 'derived.py'
    derived.write_text(
        "_base_ = './base.py'\n"
        'model = dict(train_cfg=dict(phases=dict(\n'
        '    local_adv=None, all=dict(begin=5, losses=dict(parsing_lr=None)))))\n')
    phases = Config.fromfile(str(derived)).model.train_cfg.phases
    s = _sched(phases)
    assert [(p.name, p.begin) for p in s] == [('l1', 0), ('all', 5)]
    assert s.at(5).losses == dict(pixel_lr=1, adv_local_lr=0.1,
                                  adv_global_lr=0.1)
    assert s.at(5).train == ('completion', )


def test_the_list_form_still_works():
    listed = [dict(name=k, **v) for k, v in STAGE1.items()]
    s = _sched(listed)
    assert [(p.name, p.begin, p.discriminators) for p in s] == [
        (p.name, p.begin, p.discriminators) for p in _sched(STAGE1)]


@pytest.mark.parametrize('phases,match', [
    ({}, 'empty'),
    (dict(a=None), 'empty'),
    (dict(a=dict(begin=5, train=['sr'], losses=dict(pixel=1))),
     'one at iteration 0'),
    (dict(a=dict(begin=0, train=['sr'], losses=dict(pixel=1)),
          b=dict(begin=0, train=['sr'], losses=dict(pixel=1))),
     'distinct begins'),
    (dict(a=dict(begin=0, losses=dict(pixel=1))),
     r"phase 'a' trains no generator module.*no `losses`"),
    (dict(a=dict(begin=0)), r"phase 'a' trains nothing"),
    (dict(a=dict(train=['sr'])), 'no begin'),
    (dict(a=dict(begin=0, train=['decoder'], losses=dict(pixel=1))),
     'decoder'),
    (dict(a=dict(begin=0, train=['sr'], losses=dict(l2=1))),
     "unknown loss 'l2'"),
    (dict(a=dict(begin=0, train=['sr'], losses=dict(perceptual=1))),
     'model.losses.perceptual'),
    (dict(a=dict(begin=0, train=['sr'], losses=dict(adv_global_hr=1))),
     "unknown loss 'adv_global_hr'.*adv_global_lr"),
    (dict(a=dict(begin=0, train=['sr'], discriminators=['big'])), 'big'),
    (dict(a=dict(begin=0, train=['sr'], colour='red')), "phase 'a'"),
    ([dict(name='a', begin=0), dict(name='a', begin=1)], 'two phases'),
    ('l1', 'dict of phases'),
])
def test_bad_schedules(phases, match):
    with pytest.raises((ValueError, TypeError), match=match):
        _sched(phases)
