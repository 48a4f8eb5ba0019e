"""Equal training budgets for the comparison's pipelines (issue 20): every
model's iteration schedule is stretched by one factor per pipeline so that
the pipeline's models together train for the budget's minutes.

The factor comes from a short timing run of each model's schedule on this
machine (its ``wall_time.json``): stretching every iteration count of a
schedule (phases, learning-rate steps, the end) by ``f`` stretches its
training time by about ``f``, because each phase keeps its share. So the
planned iterations are fixed numbers, written down before training, and a
rerun of the plan repeats them exactly (a stop on the clock would not).
"""
import json
import os.path as osp
from typing import Dict, List, Mapping

from .rows import slug

#: keys of a by-iteration scheduler that count iterations
SCHEDULER_KEYS = ('milestones', 'periods', 'begin', 'end')
#: mmagic's GL inpainters: the iterations their phases switch at
GL_PHASE_KEYS = ('iter_tc', 'iter_td')
#: one training precision for every model: mmagic's GL and PConv train steps
#: run their networks outside the optimiser's autocast, so bf16 cannot reach
#: them, and FCSR-GAN or the SR networks in bf16 would get several times the
#: iterations in the same minutes
TRAIN_PRECISION = dict(precision='fp32')


def fixed_options(model: Mapping) -> dict:
    """A model's fixed ``--cfg-options``: its own and the precision."""
    return dict(model.get('cfg_options') or {}, **TRAIN_PRECISION)


def _stretch(value: int, factor: float) -> int:
    return max(1, int(round(value * factor)))


def _scheduler_options(node, path: str, factor: float, out: dict) -> None:
    if isinstance(node, (list, tuple)):
        for i, item in enumerate(node):
            _scheduler_options(item, f'{path}.{i}', factor, out)
    elif isinstance(node, Mapping) and 'type' in node:
        if node.get('by_epoch', True):  # mmengine's default
            raise ValueError(f'{path}: a by-epoch scheduler cannot be '
                             'stretched by iterations; set by_epoch=False')
        for key in SCHEDULER_KEYS:
            if key not in node or node[key] is None:
                continue
            value = node[key]
            if key == 'end' and value > 10**8:  # mmengine's INF default
                continue
            out[f'{path}.{key}'] = ([_stretch(v, factor) for v in value]
                                    if isinstance(value, (list, tuple))
                                    else int(round(value * factor)))
    elif isinstance(node, Mapping):  # per optimiser: {name: schedulers}
        for name, sub in node.items():
            _scheduler_options(sub, f'{path}.{name}', factor, out)


def schedule_options(cfg, factor: float) -> Dict[str, object]:
    """``--cfg-options`` that stretch ``cfg``'s iteration schedule by
    ``factor``: the end (``train_cfg.max_iters``), validation and checkpoint
    intervals, FCSR-GAN's phase begins, GL's phase switches and every
    by-iteration learning-rate step.

    Raises ``ValueError`` when a schedule is not by iteration or stretched
    phases would collide.
    """
    train = cfg.get('train_cfg') or {}
    if 'max_iters' not in train:
        raise ValueError(f'{getattr(cfg, "filename", "config")}: '
                         'train_cfg has no max_iters (an epoch-based '
                         'schedule cannot be given an iteration budget)')
    end = _stretch(train['max_iters'], factor)
    out = {'train_cfg.max_iters': end}
    if 'val_interval' in train:
        out['train_cfg.val_interval'] = min(
            end, _stretch(train['val_interval'], factor))
    ckpt = (cfg.get('default_hooks') or {}).get('checkpoint') or {}
    if 'interval' in ckpt:
        out['default_hooks.checkpoint.interval'] = min(
            end, _stretch(ckpt['interval'], factor))
    model_train = (cfg.get('model') or {}).get('train_cfg') or {}
    begins = {}
    for name, phase in (model_train.get('phases') or {}).items():
        if phase and 'begin' in phase:
            begins[name] = int(round(phase['begin'] * factor))
            out[f'model.train_cfg.phases.{name}.begin'] = begins[name]
    for key in GL_PHASE_KEYS:
        if key in model_train:
            out[f'model.train_cfg.{key}'] = _stretch(model_train[key],
                                                     factor)
    if len(set(begins.values())) != len(begins) or any(
            b >= end for b in begins.values() if b):
        raise ValueError(f'stretched by {factor:.3g}, the phases '
                         f'{begins} collide or pass the end {end}: the '
                         'budget is too small for this schedule')
    _scheduler_options(cfg.get('param_scheduler'), 'param_scheduler',
                       factor, out)
    return out


def timing_seconds(timing_run: str) -> float:
    """Seconds of the full schedule, from a finished timing run's
    ``wall_time.json`` (tools/analysis/train_comparison.sh, or budget_plan's
    timing.sh).

    A timing run of the schedule stretched by ``schedule_factor`` (a short
    one) counts ``wall_s / schedule_factor``: every phase keeps its share,
    so its time scales with the factor; startup and validation do not, so
    a short timing run errs towards fewer planned iterations (the machine's
    speed drifting within a run can still push a run over its share).
    """
    path = osp.join(timing_run, 'wall_time.json')
    if not osp.isfile(path):
        raise FileNotFoundError(
            f'{path} not found: train the timing run first '
            '(bash tools/analysis/train_comparison.sh, or budget_plan.py '
            '--timing-factor)')
    with open(path) as f:
        timing = json.load(f)
    return float(timing['wall_s']) / float(timing.get('schedule_factor', 1))


def pipeline_factor(seconds: List[float], minutes: float) -> float:
    """The one factor that fits a pipeline's models (their timing runs'
    seconds) into ``minutes``."""
    total = sum(seconds)
    if total <= 0 or minutes <= 0:
        raise ValueError(f'a budget needs positive timing seconds and '
                         f'minutes, got {seconds} and {minutes}')
    return minutes * 60 / total


def final_checkpoint(work_dir: str, options: Mapping) -> str:
    """Where a planned run's last checkpoint lands."""
    return osp.join(work_dir, f'iter_{options["train_cfg.max_iters"]}.pth')


def plan_pipeline(pipeline: Mapping, minutes: float, out_dir: str,
                  load_config) -> Dict:
    """One pipeline's plan: per model its work dir, the stretched schedule
    (``--cfg-options``), iterations and the timing behind them, and the
    benchmark row that tests the trained models.

    Args:
        pipeline (Mapping): ``name``, ``row`` (a benchmark row without
            name) and ``models``: each ``name``, ``config``, ``timing_run``,
            optional ``cfg_options`` (fixed overrides, e.g. the occlusion
            mix), ``load_from`` (another model of the pipeline: its final
            checkpoint) and ``into`` ('checkpoint' or a row config key that
            receives this model's final checkpoint).
        minutes (float): The pipeline's budget.
        out_dir (str): The plan's folder (runs go to
            ``<out_dir>/<pipeline>/<model>``).
        load_config (callable): Path -> mmengine Config.
    """
    models = pipeline.get('models') or []
    row = dict(pipeline['row'], name=pipeline['name'])
    if not models:  # training-free
        return dict(name=pipeline['name'], models=[], row=row)
    seconds = [timing_seconds(m['timing_run']) for m in models]
    factor = pipeline_factor(seconds, minutes)
    planned, finals = [], {}
    for model, secs in zip(models, seconds):
        cfg = load_config(model['config'])
        fixed = fixed_options(model)
        cfg.merge_from_dict(fixed)
        options = dict(fixed, **schedule_options(cfg, factor))
        work_dir = osp.join(out_dir, slug(pipeline['name']), model['name'])
        if model.get('load_from'):
            if model['load_from'] not in finals:
                raise ValueError(f'{pipeline["name"]}: {model["name"]} loads '
                                 f'from {model["load_from"]!r}, which is not '
                                 'an earlier model of the pipeline')
            options['load_from'] = finals[model['load_from']]
        finals[model['name']] = final_checkpoint(work_dir, options)
        into = model.get('into')
        if into == 'checkpoint':
            row['checkpoint'] = finals[model['name']]
        elif into:
            row.setdefault('cfg_options', {})[into] = finals[model['name']]
        planned.append(dict(
            name=model['name'], config=model['config'], work_dir=work_dir,
            options=options, iterations=options['train_cfg.max_iters'],
            timing_run=model['timing_run'], timing_s=secs,
            timing_iterations=cfg.train_cfg.max_iters,
            planned_s=secs * factor))
    row['train_runs'] = [m['work_dir'] for m in planned]
    return dict(name=pipeline['name'], minutes=minutes, factor=factor,
                models=planned, row=row)


def short_timing_runs(pipelines: List[Mapping], factor: float, out_dir: str,
                      load_config) -> List[Dict]:
    """Point every model of ``pipelines`` at a short timing run of its own
    (its schedule stretched by ``factor``, under ``<out_dir>/timing``),
    one per config and fixed options, shared by the pipelines that train
    it. Returns those runs (name, config, work_dir, options, iterations),
    to be trained before planning.
    """
    if not 0 < factor <= 1:
        raise ValueError(f'a timing factor shortens a schedule: it lies in '
                         f'(0, 1], got {factor}')
    runs = {}
    for pipeline in pipelines:
        for model in pipeline.get('models') or []:
            fixed = fixed_options(model)
            key = (model['config'], json.dumps(fixed, sort_keys=True))
            if key not in runs:
                cfg = load_config(model['config'])
                cfg.merge_from_dict(fixed)
                name = osp.splitext(osp.basename(model['config']))[0]
                if any(r['name'] == name for r in runs.values()):
                    name = f'{name}_{len(runs)}'
                options = dict(fixed, **schedule_options(cfg, factor))
                if model.get('load_from'):  # speed does not need weights
                    options['load_from'] = None
                runs[key] = dict(
                    name=name, config=model['config'],
                    work_dir=osp.join(out_dir, 'timing', name),
                    options=options,
                    iterations=options['train_cfg.max_iters'])
            model['timing_run'] = runs[key]['work_dir']
    return list(runs.values())
