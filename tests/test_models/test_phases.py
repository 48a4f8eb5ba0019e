import pytest

from fcsr_mm.models.phases import PhaseSchedule

LOSSES = ['pixel_lr', 'pixel', 'gan', 'parsing_lr']
DISCS = ['local_lr', 'global_lr']


def _sched(phases):
    return PhaseSchedule(phases, LOSSES, DISCS)


def test_lookup_by_iteration():
    s = _sched([dict(name='a', begin=0, train=['completion'],
                     losses=dict(pixel_lr=1)),
                dict(name='b', begin=10, train=['completion'],
                     losses=dict(pixel_lr=1, adv_local_lr=0.1),
                     discriminators=['local_lr'])])
    assert [s.at(i).name for i in (0, 9, 10, 500)] == ['a', 'a', 'b', 'b']
    assert not s.at(0).needs_sr


@pytest.mark.parametrize('phases,match', [
    ([], 'empty'),
    ([dict(begin=5, train=['sr'], losses=dict(pixel=1))], 'start at iteration 0'),
    ([dict(begin=0, train=['sr'], losses=dict(pixel=1)),
      dict(begin=0, train=['sr'], losses=dict(pixel=1))], 'increasing'),
    ([dict(begin=0, train=['decoder'], losses=dict(pixel=1))], 'decoder'),
    ([dict(begin=0, train=['sr'], losses=dict(l2=1))], "unknown loss 'l2'"),
    ([dict(begin=0, train=['sr'], losses=dict(perceptual=1))], 'not configured'),
    ([dict(begin=0, train=['sr'], losses=dict(adv_global_hr=1))], 'global_hr'),
    ([dict(begin=0, train=['sr'], discriminators=['big'])], 'big'),
    ([dict(begin=0, train=['sr'], colour='red')], 'phase 0'),
])
def test_bad_phase_lists(phases, match):
    with pytest.raises(ValueError, match=match):
        _sched(phases)
