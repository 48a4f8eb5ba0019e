"""The paired bootstrap of the benchmark's intervals, on constructed
scores: a known difference is recovered, equal restorers tie, lower-is-
better metrics flip the verdict, mismatched faces are refused."""
import numpy as np
import pytest

from fcsr_mm.benchmark.paired_bootstrap import (aligned_scores,
                                                paired_difference)


def faces(n=1000, seed=0):
    """Per-face difficulty shared by both restorers (what pairing removes)
    plus each one's own noise."""
    rng = np.random.default_rng(seed)
    return rng.normal(22, 3, n), rng


def test_a_known_difference_is_recovered_with_its_interval():
    base, rng = faces()
    a = base + 0.4 + rng.normal(0, 0.5, base.size)
    b = base + rng.normal(0, 0.5, base.size)
    d = paired_difference(a, b)
    assert d['faces'] == 1000 and d['verdict'] == 'a'
    assert d['low'] < 0.4 < d['high'] and d['low'] > 0.3
    # about 1.96 standard errors each side of the mean
    se = np.std(a - b) / np.sqrt(1000)
    assert d['high'] - d['low'] == pytest.approx(2 * 1.96 * se, rel=0.15)
    # the same faces give the same interval
    assert paired_difference(a, b) == d


def test_equal_restorers_tie_and_identical_ones_give_zero():
    base, rng = faces(seed=1)
    a = base + rng.normal(0, 0.5, base.size)
    b = base + rng.normal(0, 0.5, base.size)
    d = paired_difference(a, b)
    assert d['verdict'] == 'tie' and d['low'] < 0 < d['high']
    same = paired_difference(a, a)
    assert same['mean'] == same['low'] == same['high'] == 0.0
    assert same['verdict'] == 'tie'


def test_lower_is_better_flips_the_winner():
    base, rng = faces(seed=2)
    niqe_a = base - 1.0 + rng.normal(0, 0.3, base.size)
    d = paired_difference(niqe_a, base, higher_is_better=False)
    assert d['mean'] < 0 and d['verdict'] == 'a'
    assert paired_difference(base, niqe_a,
                             higher_is_better=False)['verdict'] == 'b'


def test_bad_pairs_are_refused():
    with pytest.raises(ValueError, match='two equal, non-empty lists'):
        paired_difference([1.0, 2.0], [1.0])
    with pytest.raises(ValueError, match='NaN/inf'):
        paired_difference([1.0, float('inf')], [1.0, 2.0])
    one = {'faces': ['a.png', 'b.png'], 'PSNR': [20.0, 21.0]}
    other = {'faces': ['b.png', 'a.png'], 'PSNR': [20.0, 21.0]}
    with pytest.raises(ValueError, match='different faces'):
        aligned_scores(one, other, 'PSNR')
    with pytest.raises(ValueError, match=r"no per-face 'SSIM'.*\['PSNR'\]"):
        aligned_scores(one, dict(one), 'SSIM')
    assert aligned_scores(one, dict(one), 'PSNR') == ([20.0, 21.0],
                                                      [20.0, 21.0])


def test_the_verdict_over_the_six_occlusions(tmp_path):
    """The mean-of-O1..O6 entry pairs per-face means over the six
    protocols, against the sequence best on that mean."""
    import json

    from fcsr_mm.benchmark import verdict
    faces = [f'{i}.png' for i in range(200)]
    rng = np.random.default_rng(0)
    results = []
    for name, shift, seq in (('joint', 1.0, False), ('A', 0.0, True),
                             ('B', -0.5, True)):
        for p in ('random',) + verdict.OCCLUSIONS:
            scores = rng.normal(20 + shift, 1, 200)
            path = tmp_path / f'{name}_{p}.json'
            path.write_text(json.dumps(dict(faces=faces,
                                            PSNR=scores.tolist())))
            results.append(dict(name=name, protocol=p, sequence=seq,
                                PSNR=float(scores.mean()),
                                per_face=str(path)))
    entries = verdict.comparisons(results, 'joint', metrics=('PSNR', ))
    assert [e['protocol'] for e in entries] == [
        'random', *verdict.OCCLUSIONS, verdict.MEAN_O]
    mean_o = entries[-1]
    assert mean_o['sequence'] == 'A'
    d = mean_o['metrics']['PSNR']
    assert d['verdict'] == 'a' and 0.8 < d['mean'] < 1.2
    # the six protocols' noise averages out: a narrower interval
    one = entries[1]['metrics']['PSNR']
    assert d['high'] - d['low'] < one['high'] - one['low']
    text = verdict.verdict_text(entries, 'joint')
    assert 'joint beats the best sequence beyond the 95% interval on ' \
        'random, O1' in text
    table = verdict.verdict_table(entries, 'joint')
    assert '| mean of O1..O6 | A |' in table
