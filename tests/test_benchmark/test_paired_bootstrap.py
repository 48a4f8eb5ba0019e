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
    assert mean_o['rival'] == 'A'
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


def test_ablation_rows_are_compared_one_by_one_not_as_sequences(tmp_path):
    """Each ablation row gets its own paired entries per protocol (and the
    mean of O1..O6); the sequence verdict never picks an ablation row, even
    one ahead of every sequence."""
    import json

    from fcsr_mm.benchmark import verdict
    faces = [f'{i}.png' for i in range(300)]
    rng = np.random.default_rng(1)
    base = rng.normal(20, 1, 300)
    results = []
    # joint; 'no fine-tuning' is joint - 0.5 dB on random only (the part
    # it removes helps there), 'no GAN' is joint + 2 dB everywhere
    for name, kind, shift in (('joint', {}, {}),
                              ('seq', dict(sequence=True), {}),
                              ('no fine-tuning', dict(ablation=True),
                               dict(random=-0.5)),
                              ('no GAN', dict(ablation=True), None)):
        for p in ('random',) + verdict.OCCLUSIONS:
            if name == 'seq':
                scores = base - 3
            elif shift is None:
                scores = base + 2
            else:
                scores = base + shift.get(p, 0.0) + rng.normal(0, 0.05, 300)
            path = tmp_path / f'{name}_{p}.json'
            path.write_text(json.dumps(dict(faces=faces,
                                            PSNR=scores.tolist())))
            results.append(dict(name=name, protocol=p, PSNR=float(
                scores.mean()), per_face=str(path), **kind))
    seq = verdict.comparisons(results, 'joint', metrics=('PSNR', ))
    assert {e['rival'] for e in seq} == {'seq'}
    ablations = verdict.ablation_comparisons(results, 'joint',
                                             metrics=('PSNR', ))
    assert [e['rival'] for e in ablations] == \
        ['no fine-tuning'] * 8 + ['no GAN'] * 8
    by = {(e['rival'], e['protocol']): e['metrics']['PSNR']
          for e in ablations}
    assert by['no fine-tuning', 'random']['verdict'] == 'a'
    assert 0.45 < by['no fine-tuning', 'random']['mean'] < 0.55
    assert by['no fine-tuning', 'O3']['verdict'] == 'tie'
    assert by['no GAN', verdict.MEAN_O]['verdict'] == 'b'
    text = verdict.ablation_text(ablations, 'joint')
    assert ('joint is ahead of no fine-tuning beyond the 95% interval on '
            'random; behind it on none') in text
    assert 'joint is ahead of no GAN beyond the 95% interval on none' in text
    table = verdict.verdict_table(ablations, 'joint', 'ablation')
    assert 'PSNR (dB): joint minus ablation [95% CI]' in table
    assert '| random | no fine-tuning | +0.50' in table
