"""Every row's CPU faces/s measured in turns (``benchmark.py
--speed-rounds``): one timed test step of each row per round, the order
rotated each round, so a host that slows or speeds up during the run (a
shared machine drifts by tens of percent over an hour) moves every row
alike and the ratios between rows hold; timing each row once, minutes
apart, does not."""
import os.path as osp
import statistics
import time
from typing import Callable, Dict

import torch

from . import rows as bench


def rotated(names: list, shift: int) -> list:
    shift %= max(len(names), 1)
    return names[shift:] + names[:shift]


def seconds_in_turns(steps: Dict[str, Callable[[], None]], rounds: int,
                     warmup: int = 1) -> Dict[str, list]:
    """Wall seconds of each ``steps[name]()`` in ``rounds`` rounds of one
    call per name (after ``warmup`` untimed rounds), the order rotated by
    one each round."""
    names = list(steps)
    for _ in range(warmup):
        for name in names:
            steps[name]()
    seconds: Dict[str, list] = {n: [] for n in names}
    for turn in range(rounds):
        for name in rotated(names, turn):
            start = time.perf_counter()
            steps[name]()
            seconds[name].append(time.perf_counter() - start)
    return seconds


def faces_per_second_in_turns(models: dict, num_faces: int, rounds: int,
                              plan) -> Dict[str, float]:
    """``num_faces`` / median seconds of each row's test step, in turns.

    Args:
        models (dict): Row name -> ``(model, batch)``, the inference model
            (``rows.inference_model``) and a collated batch of
            ``num_faces`` faces.
        num_faces (int): Faces in each batch.
        rounds (int): Timed rounds (one step of every row each).
        plan (Precision): The precision every row computes in.
    """
    def step(model, batch):
        def run():
            with torch.no_grad(), plan.autocast():
                model.test_step(batch)
        return run

    steps = {n: step(m, b) for n, (m, b) in models.items()}
    seconds = seconds_in_turns(steps, rounds)
    return {n: num_faces / statistics.median(s) for n, s in seconds.items()}


def retime_rows(rows: list, results: list, loader: dict, runs_dir: str,
                speed_batch: int, rounds: int, plan) -> None:
    """Every row that ran: its ``faces_s`` in ``results`` measured again in
    turns on ``loader``'s first ``speed_batch`` faces; a row whose model
    cannot be built again keeps its own timing."""
    ok = {r['name'] for r in results if r['status'] == 'ok'}
    models = {}
    for row in (r for r in rows if r['name'] in ok):
        work = osp.join(runs_dir, bench.slug(row['name']))
        try:
            models[row['name']] = (
                bench.inference_model(row, loader, work, plan),
                bench.first_batch(loader, speed_batch))
        except bench.RowFailure as err:
            print(f'  {row["name"]}: timed on its own ({err})', flush=True)
    speeds = faces_per_second_in_turns(models, speed_batch, rounds, plan)
    for r in results:
        if r['name'] in speeds:
            r['faces_s'] = speeds[r['name']]


def note(rounds: int) -> str:
    """How the page's faces/s were measured."""
    if rounds:
        return (f'median of {rounds} rounds taken in turns over all rows, '
                'the order rotated each round')
    return 'each row timed on its own, after its scores'
