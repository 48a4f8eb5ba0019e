"""tools/analysis/data_time.py: data loading's share per phase, from logs
written as mmengine writes them (running means over a window) and from a
real tiny training run."""
import json
import os.path as osp

import pytest
from mmengine.logging import HistoryBuffer

#: per-iteration (time, data_time) of each phase: 10 % and 25 % data time
PHASE_A, PHASE_B = (1.0, 0.1), (2.0, 0.5)


def write_run(run_dir, iterations, interval, window, first=1, extra=(),
              phases=True):
    """A run dir as mmengine's LoggerHook + LocalVisBackend write it:
    ``vis_data/scalars.json`` lines every ``interval`` iterations with
    ``time`` / ``data_time`` as the mean of the last ``window`` iterations
    (mmengine's HistoryBuffer), ``phase`` of the iteration, plus lines at
    ``extra`` iterations and a validation line; ``vis_data/config.py`` the
    dumped config."""
    vis = run_dir / 'vis_data'
    vis.mkdir(parents=True)
    bufs = dict(time=HistoryBuffer(), data_time=HistoryBuffer())
    lines = []
    for i, (phase, (t, d)) in enumerate(iterations, first):
        bufs['time'].update(t)
        bufs['data_time'].update(d)
        if i % interval == 0 or i in extra:
            lines.append(dict(loss=1.0, data_time=bufs['data_time'].mean(
                window), time=bufs['time'].mean(window), iter=i, step=i,
                **({'phase': float(phase)} if phases else {})))
    lines.append(dict(PSNR=20.0, data_time=0.5, time=1.0, step=0))
    (vis / 'scalars.json').write_text(
        '\n'.join(json.dumps(x) for x in lines) + '\n')
    (vis / 'config.py').write_text(
        f'log_processor = dict(type="LogProcessor", window_size={window})\n'
        'model = dict(train_cfg=dict(phases=dict(b=dict(begin=6), '
        'a=dict(begin=0), gone=None, c=dict(begin=50))))\n')


def schedule(a=6, b=4):
    """Iteration 1 slow (3x), then ``a`` - 1 more of phase 0 and ``b`` of
    phase 1."""
    first = (0, (3 * PHASE_A[0], 3 * PHASE_A[1]))
    return [first] + [(0, PHASE_A)] * (a - 1) + [(1, PHASE_B)] * b


def test_shares_per_phase_exact(tool, tmp_path):
    write_run(tmp_path / '20260101_000000', schedule(), interval=2, window=4)
    out = tmp_path / 'share.md'
    rows = tool('analysis/data_time.py').main([str(tmp_path), '--out',
                                               str(out)])
    assert [r['phase'] for r in rows] == ['a', 'b']
    a, b = rows
    # the logged means at iteration 8 mix both phases (4-iteration window);
    # the recovered totals do not
    assert a['median_share'] == pytest.approx(0.10)
    assert b['median_share'] == pytest.approx(0.25)
    assert b['share'] == pytest.approx(0.25)
    assert (a['iterations'], b['iterations']) == (6, 4)
    assert a['it_s'] == pytest.approx(6 / (3 + 5 * 1.0))
    assert b['it_s'] == pytest.approx(4 / (4 * 2.0))
    text = out.read_text()
    assert '| a | 6 | 10.0 % | 10.0 % | 0.75 |' in text
    assert '| b | 4 | 25.0 % | 25.0 % | 0.50 |' in text
    assert 'exact interval totals' in text and 'Over 10% (issue 18): b.' \
        in text
    assert 'No logged interval ends in: c (' in text  # begins at 50
    assert 'began in the phase before' not in text


def test_interval_across_a_phase_start(tool, tmp_path):
    # lines every 4: iterations 5-8 hold 2 of phase a and 2 of phase b
    write_run(tmp_path / '1', schedule(), interval=4, window=4)
    out = tmp_path / 'share.md'
    rows = tool('analysis/data_time.py').main([str(tmp_path), '--out',
                                               str(out)])
    assert [(r['phase'], r['iterations']) for r in rows] == [('a', 4),
                                                             ('b', 4)]
    assert rows[1]['median_share'] == pytest.approx(0.6 / 3.0)
    assert 'count for the phase they end in: b (' in out.read_text()


def test_off_grid_lines_and_windows(tool, tmp_path):
    data_time = tool('analysis/data_time.py')
    # an extra line off the interval grid (an 'epoch' end) is left out
    write_run(tmp_path / 'x' / '1', schedule(), interval=2, window=4,
              extra=(5, ))
    rows = data_time.main([str(tmp_path / 'x')])
    assert rows[1]['median_share'] == pytest.approx(0.25)
    # a window within the interval: each line is its interval's mean
    write_run(tmp_path / 'y' / '1', schedule(), interval=2, window=1)
    rows = data_time.main([str(tmp_path / 'y'), '--out',
                           str(tmp_path / 'y.md')])
    assert rows[1]['median_share'] == pytest.approx(0.25)
    # a window that is no multiple of the interval: the means as logged,
    # and the table says so (phase b's first line mixes phase a)
    write_run(tmp_path / 'z' / '1', schedule(), interval=2, window=3)
    rows = data_time.main([str(tmp_path / 'z'), '--out',
                           str(tmp_path / 'z.md')])
    assert 'as logged' in (tmp_path / 'z.md').read_text()
    assert rows[1]['iterations'] == 2  # two lines, not iterations
    assert rows[1]['median_share'] < 0.25


def test_restarts_and_resumes(tool, tmp_path):
    data_time = tool('analysis/data_time.py')
    # an older run from scratch, then a new one from scratch: only the new
    write_run(tmp_path / '20260101_000000', [(0, (9.0, 9.0))] * 4,
              interval=2, window=4)
    write_run(tmp_path / '20260102_000000', schedule(a=4, b=0), interval=2,
              window=4)
    # ... resumed at iteration 4 (mmengine restores the history it kept)
    run = schedule(a=4, b=0) + [(1, PHASE_B)] * 4
    write_run(tmp_path / '20260103_000000', run, interval=2, window=4)
    resumed = tmp_path / '20260103_000000' / 'vis_data' / 'scalars.json'
    lines = [x for x in resumed.read_text().splitlines()
             if json.loads(x).get('iter', 99) > 4]
    resumed.write_text('\n'.join(lines) + '\n')
    rows = data_time.main([str(tmp_path), '--out', str(tmp_path / 't.md')])
    assert [(r['phase'], r['iterations']) for r in rows] == [('a', 4),
                                                             ('b', 4)]
    assert rows[0]['median_share'] == pytest.approx(0.10)
    assert rows[1]['median_share'] == pytest.approx(0.25)
    assert '(2 run(s))' in (tmp_path / 't.md').read_text()


def test_bad_input(tool, tmp_path):
    data_time = tool('analysis/data_time.py')
    with pytest.raises(SystemExit, match='not found'):
        data_time.main([str(tmp_path / 'nope')])
    with pytest.raises(SystemExit, match='no .*scalars.json'):
        data_time.main([str(tmp_path)])
    broken = tmp_path / 'broken.json'
    broken.write_text('{"iter": 1, "time": 1, "data_time": 0}\nnot json\n')
    with pytest.raises(SystemExit, match=r'broken.json:2: not a json line'):
        data_time.main([str(broken)])
    broken.write_text('{"PSNR": 1}\n')
    with pytest.raises(SystemExit, match='no training lines'):
        data_time.main([str(broken)])


def test_real_training_run(tool, trained_fcsr):
    """The stage-2 run of ``trained_fcsr`` (tools/train.py, logger
    interval 1): its SR phase, every iteration."""
    rows = tool('analysis/data_time.py').main([trained_fcsr['work_dir']])
    assert [(r['phase'], r['iterations']) for r in rows] == [
        ('sr', trained_fcsr['iters'][1])]
    assert 0 <= rows[0]['median_share'] < 1 and rows[0]['it_s'] > 0
    assert osp.isdir(trained_fcsr['work_dir'])
