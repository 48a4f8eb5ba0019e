"""faces/s in turns: every row timed in each round, the order rotated, so a
host that slows during the run leaves the ratios between rows intact."""
import pytest

from fcsr_mm.benchmark import speed_in_turns
from fcsr_mm.benchmark.timing import median_seconds


class DriftingHost:
    """A fake clock: each step costs its work times a slowdown that grows
    with the time already spent (a host getting 5% slower per unit)."""

    def __init__(self):
        self.now, self.calls = 0.0, []

    def clock(self):
        return self.now

    def step(self, name, work):
        def run():
            self.calls.append(name)
            self.now += work * (1 + 0.05 * self.now)
        return run


def test_rounds_rotate_the_order_and_time_every_row(monkeypatch):
    host = DriftingHost()
    monkeypatch.setattr(speed_in_turns.time, 'perf_counter', host.clock)
    steps = {n: host.step(n, 1.0) for n in 'abc'}
    seconds = speed_in_turns.seconds_in_turns(steps, rounds=3, warmup=1)
    assert host.calls == list('abc' 'abc' 'bca' 'cab')
    assert {n: len(s) for n, s in seconds.items()} == {'a': 3, 'b': 3,
                                                      'c': 3}


def test_drift_moves_every_row_alike_in_turns_but_not_one_after_another(
        monkeypatch):
    """Two rows of equal cost: in turns their ratio stays near 1; timed
    one after the other (the old way) the second looks slower."""
    host = DriftingHost()
    monkeypatch.setattr(speed_in_turns.time, 'perf_counter', host.clock)
    steps = {n: host.step(n, 1.0) for n in ('joint', 'sequence')}
    seconds = speed_in_turns.seconds_in_turns(steps, rounds=5)
    med = {n: sorted(s)[2] for n, s in seconds.items()}
    assert med['sequence'] / med['joint'] == pytest.approx(1, abs=0.06)

    import fcsr_mm.benchmark.timing as timing
    monkeypatch.setattr(timing.time, 'perf_counter', host.clock)
    apart = {n: median_seconds(f, 'cpu', 1, 3) for n, f in steps.items()}
    assert apart['sequence'] / apart['joint'] > 1.15


def test_faces_per_second_of_two_models(monkeypatch):
    host = DriftingHost()
    monkeypatch.setattr(speed_in_turns.time, 'perf_counter', host.clock)

    class Model:
        def __init__(self, work):
            self.work = work

        def test_step(self, batch):
            host.now += self.work * batch

    class Plan:
        @staticmethod
        def autocast():
            import contextlib
            return contextlib.nullcontext()

    speeds = speed_in_turns.faces_per_second_in_turns(
        {'fast': (Model(0.1), 1), 'slow': (Model(0.4), 1)}, num_faces=16,
        rounds=3, plan=Plan())
    assert speeds['fast'] / speeds['slow'] == pytest.approx(4, rel=0.15)
    assert speeds['fast'] == pytest.approx(16 / 0.1, rel=0.15)


def test_the_page_says_how_speed_was_measured():
    assert 'median of 5 rounds taken in turns' in speed_in_turns.note(5)
    assert 'on its own' in speed_in_turns.note(0)
