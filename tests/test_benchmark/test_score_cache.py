"""--reuse-scores: a row's scores are kept only while nothing that decides
them changes; anything that does sends the row back to the test."""
import csv
import json
import os.path as osp

import pytest
from mmengine.config import Config

from fcsr_mm.benchmark import rows as bench
from fcsr_mm.benchmark import score_cache

TELEA = 'configs/baselines/telea_synthetic.py'


def loader_on(repo, root, protocol='random', faces=4):
    data = Config.fromfile(osp.join(repo, 'configs/_base_/datasets/'
                                    'face_restoration.py'))
    return bench.test_dataloader(data, protocol, str(root), faces)


def test_the_key_follows_everything_that_decides_the_scores(repo, tmp_path):
    root = tmp_path / 'faces'
    (root / 'images').mkdir(parents=True)
    (root / 'images' / 'a.png').write_bytes(b'x' * 10)
    ckpt = tmp_path / 'model.pth'
    ckpt.write_bytes(b'weights')
    row = dict(name='telea', config=osp.join(repo, TELEA),
               checkpoint=str(ckpt))

    def key(r=row, protocol='random', precision='fp32', faces=4):
        return score_cache.score_key(r, loader_on(repo, root, protocol,
                                                  faces),
                                     bench.EVALUATOR, precision)

    first = key()
    assert key() == first  # nothing changed
    changed = {
        'protocol': key(protocol='O3'),
        'precision': key(precision='bf16 autocast + channels_last'),
        'faces': key(faces=8),
        'cfg_options': key(dict(row, cfg_options={'model.inpaint_radius': 5})),
        'metrics': score_cache.score_key(
            row, loader_on(repo, root), bench.EVALUATOR[:2], 'fp32'),
    }
    ckpt.write_bytes(b'weights after more training')
    changed['checkpoint'] = key()
    (root / 'images' / 'b.png').write_bytes(b'y')
    changed['data'] = key()
    assert first not in changed.values()
    assert len(set(changed.values())) == len(changed), changed


def test_kept_scores_need_their_key_and_their_per_face_file(tmp_path):
    score_cache.save_scores(str(tmp_path), 'k1', {'PSNR': 20.5})
    assert score_cache.load_scores(str(tmp_path), 'k1') is None  # no faces
    (tmp_path / 'per_face.json').write_text('{}')
    kept = score_cache.load_scores(str(tmp_path), 'k1')
    assert kept['metrics'] == {'PSNR': 20.5} and kept['date']
    assert score_cache.load_scores(str(tmp_path), 'k2') is None


def test_a_second_benchmark_keeps_the_scores_and_measures_speed_again(
        tool, repo, synthetic_root, benchmark_data_config, tmp_path,
        monkeypatch):
    rows = tmp_path / 'rows.json'
    rows.write_text(json.dumps([
        dict(name='Telea', config=osp.join(repo, TELEA)),
        dict(name='bicubic', config=osp.join(
            repo, 'configs/baselines/bicubic_synthetic.py'))]))
    data, out = benchmark_data_config(), tmp_path / 'out'
    tested = []
    real = bench.test_row
    monkeypatch.setattr(bench, 'test_row',
                        lambda row, *a, **k: tested.append(row['name'])
                        or real(row, *a, **k))

    def run(*extra):
        tested.clear()
        code = tool('analysis/benchmark.py').main([
            str(rows), '--out-dir', str(out), '--data-config', data,
            '--data-root', osp.join(synthetic_root, 'aligned'),
            '--num-faces', '4', '--threads', '1', '--speed-batch', '2',
            '--batch-size', '2', '--protocols', 'random', '--grid', '0',
            '--overwrite', *extra])
        assert code == 0
        with open(out / 'results.csv') as f:
            return {r['name']: r for r in csv.DictReader(f)}

    first = run()
    assert tested == ['Telea', 'bicubic']
    assert not first['Telea']['scores_from']
    assert 'Scores kept' not in (out / 'results.md').read_text()
    again = run('--reuse-scores')
    assert tested == []
    for name in ('Telea', 'bicubic'):
        assert again[name]['scores_from']
        for key in ('PSNR', 'SSIM', 'HolePSNR', 'NIQE'):
            assert again[name][key] == first[name][key], (name, key)
        assert float(again[name]['faces_s']) > 0
    md = (out / 'results.md').read_text()
    assert 'Scores kept from earlier runs' in md and 'Telea (random 20' in md
    assert 'median of 5 rounds taken in turns over all rows' in md
    # without the flag every row is tested again (and each row's speed
    # timed on its own)
    run('--speed-rounds', '0')
    assert 'each row timed on its own' in (out / 'results.md').read_text()
    assert tested == ['Telea', 'bicubic']
    # one row's config changed: only that row is tested again
    rows.write_text(json.dumps([
        dict(name='Telea', config=osp.join(repo, TELEA),
             cfg_options={'model.inpaint_radius': 5}),
        dict(name='bicubic', config=osp.join(
            repo, 'configs/baselines/bicubic_synthetic.py'))]))
    run('--reuse-scores')
    assert tested == ['Telea']


@pytest.mark.parametrize('results,expected', [
    ([dict(name='a', protocol='random', scores_from=None)], ''),
    ([dict(name='a', protocol='random', scores_from='2026-12-03 18:00'),
      dict(name='a', protocol='O1', scores_from='2026-12-03 18:05'),
      dict(name='b', protocol='random', scores_from=None)],
     'a (random 2026-12-03 18:00, O1 2026-12-03 18:05).'),
])
def test_the_page_names_the_kept_scores(results, expected):
    note = score_cache.kept_note(results)
    assert note.endswith(expected + ('\n' if expected else ''))
