"""Run restorers side by side on identical inputs (``tools/analysis/
benchmark.py``): FCSR-GAN, the training-free baselines, mmagic's editors
and sequences of them (``SequentialRestorer``).

Every row's config keeps its model; its test data, metrics and test loop
are replaced by the benchmark's (one data config, one protocol at a time),
so all rows see the same faces with the same occlusion, and are scored by
the same metrics, and all run in the same precision (one resolved
``fcsr_mm.utils.precision.Precision``: bf16 autocast + channels_last or
fp32; outputs come back as fp32 for the metrics).
"""
import copy
import os.path as osp
from typing import List, Optional

import torch
from mmengine.config import Config

from fcsr_mm.utils.precision import Precision, resolve_precision
from fcsr_mm.utils.tensor_image import tensor_to_image
from fcsr_mm.apis import init_restorer, run_test
from fcsr_mm.apis.inference_precision import predict
from .restorer_cost import faces_per_second, run_params, step_flops

PROTOCOLS = ('random', 'O1', 'O2', 'O3', 'O4', 'O5', 'O6')
# metric key -> (column title, decimals, higher is better)
METRICS = {
    'PSNR': ('PSNR (dB)', 2, True),
    'SSIM': ('SSIM', 4, True),
    'HolePSNR': ('hole PSNR (dB)', 2, True),
    'HoleSSIM': ('hole SSIM', 4, True),
    'HoleSeam': ('hole seam (grey levels)', 2, False),
    'HoleTint': ('hole tint (grey levels)', 2, False),
    'lr/PSNR': ('32x32 PSNR (dB)', 2, True),
    'lr/SSIM': ('32x32 SSIM', 4, True),
    'NIQE': ('NIQE', 3, False),
}
EVALUATOR = [
    dict(type='PSNR'),
    dict(type='SSIM'),
    dict(type='HolePSNR'),
    dict(type='HoleSSIM'),
    # the colour step across the hole border beyond the ground truth's
    dict(type='HoleSeam'),
    # the filled hole's colour cast against the ground truth's
    dict(type='HoleTint'),
    # only rows with a 32x32 stage (pred_lr) get this column
    dict(type='StagePSNR', gt_key='gt_lr', pred_key='pred_lr', prefix='lr'),
    dict(type='StageSSIM', gt_key='gt_lr', pred_key='pred_lr', prefix='lr'),
    # mmagic's no-reference NIQE (its parameters ship with mmagic)
    dict(type='NIQE', input_order='CHW', convert_to='gray'),
]


def slug(name: str) -> str:
    """A row or pipeline name as a folder name."""
    return ''.join(c if c.isalnum() else '_' for c in name).strip('_')[:60]


def chosen_by_name(items: list, only, what: str = 'row') -> list:
    """The items (rows, pipelines) named by ``only`` (all when None), in
    their file's order; a name the file lacks raises ``ValueError`` naming
    the file's items, before anything runs."""
    if not only:
        return items
    names = [item['name'] for item in items]
    unknown = [n for n in only if n not in names]
    if unknown:
        raise ValueError(f'--only: no {what} named {unknown} in the file; '
                         f'its {what}s are {names}')
    return [item for item in items if item['name'] in only]


class RowFailure(Exception):
    """A row that could not be run; the message says why."""

    @classmethod
    def of(cls, err: Exception) -> 'RowFailure':
        """The error's type and first line, for the row's status."""
        first = (str(err).strip().splitlines() or [''])[0]
        return cls(f'{type(err).__name__}: {first[:300]}')


def check_row(row: dict) -> dict:
    """A row of the rows file: ``name``, ``config``, optional
    ``checkpoint``, ``train_runs`` (work dirs with ``wall_time.json``),
    ``sequence`` (true for completion/SR run in sequence), ``ablation``
    (true for the reference row with one part removed) and
    ``cfg_options`` (``{'a.b': value}`` overrides of the config, e.g. the
    checkpoints of a sequence's steps)."""
    if not isinstance(row, dict) or not row.get('name') \
            or not row.get('config'):
        raise ValueError(f'each row needs a name and a config, got {row!r}')
    unknown = set(row) - {'name', 'config', 'checkpoint', 'train_runs',
                          'sequence', 'ablation', 'cfg_options'}
    if unknown:
        raise ValueError(f'row {row["name"]!r}: unknown fields '
                         f'{sorted(unknown)}')
    return row


def missing_checkpoints(row: dict) -> List[str]:
    """The checkpoint files a row names (its ``checkpoint`` and every
    ``cfg_options`` value ending in ``.pth``) that do not exist yet."""
    paths = [row.get('checkpoint')] + [
        v for v in (row.get('cfg_options') or {}).values()
        if isinstance(v, str) and v.endswith('.pth')]
    return [p for p in paths if p and not osp.isfile(p)]


def occlude_step(pipeline: list) -> dict:
    """The ``OccludeFace`` step of a test pipeline."""
    for step in pipeline:
        if step.get('type') == 'OccludeFace':
            return step
    raise ValueError('the benchmark data config\'s test pipeline has no '
                     'OccludeFace step to set the protocol')


def test_dataloader(data_cfg: Config, protocol: str,
                    data_root: Optional[str] = None,
                    num_faces: Optional[int] = None,
                    batch_size: Optional[int] = None) -> dict:
    """The benchmark's test dataloader for ``protocol``: 'random' (the
    seeded 16x16 block of the data config) or 'O1' .. 'O6'."""
    if protocol not in PROTOCOLS:
        raise ValueError(f'protocol {protocol!r}: choose from {PROTOCOLS}')
    loader = copy.deepcopy(data_cfg.test_dataloader.to_dict())
    dataset = loader['dataset']
    if data_root:
        dataset['data_root'] = data_root
    if num_faces:
        dataset['indices'] = num_faces
    if batch_size:
        loader['batch_size'] = batch_size
    occlude_step(dataset['pipeline'])['occlusion'] = protocol
    return loader


def row_config(row: dict, loader: dict, work_dir: str) -> Config:
    """The row's config with the benchmark's data, metrics and test loop,
    and no visualisation hooks."""
    if not osp.isfile(row['config']):
        raise RowFailure(f'config {row["config"]!r} not found')
    try:
        cfg = Config.fromfile(row['config'])
        cfg.merge_from_dict(row.get('cfg_options') or {})
    except Exception as err:  # a broken config fails its row only
        raise RowFailure(f'config {row["config"]}: {err}') from err
    cfg.test_dataloader = copy.deepcopy(loader)
    cfg.test_evaluator = copy.deepcopy(EVALUATOR)
    cfg.test_cfg = dict(type='MultiTestLoop')
    # test only: a peer's training config keeps its model and preprocessor
    cfg.train_dataloader = cfg.train_cfg = cfg.optim_wrapper = None
    cfg.val_dataloader = cfg.val_cfg = cfg.val_evaluator = None
    cfg.param_scheduler = None
    cfg.custom_hooks = []
    cfg.work_dir = work_dir
    cfg.load_from = None
    cfg.log_level = 'WARNING'
    return cfg


def row_checkpoint(row: dict) -> Optional[str]:
    ckpt = row.get('checkpoint')
    if ckpt and not osp.isfile(ckpt):
        raise RowFailure(f'checkpoint {ckpt!r} not found')
    return ckpt or None


def test_row(row: dict, loader: dict, work_dir: str,
             plan: Optional[Precision] = None,
             per_face_out: Optional[str] = None) -> dict:
    """Metrics of ``row`` on ``loader``'s faces in ``plan`` (default: fp32;
    raises ``RowFailure``); with ``per_face_out``, every face's scores are
    written there too (``run_test``)."""
    cfg = row_config(row, loader, work_dir)
    try:
        # the name resolves to the same plan on the same machine
        return run_test(cfg, row_checkpoint(row),
                        precision=plan.name if plan else 'fp32',
                        per_face_out=per_face_out)
    except RowFailure:
        raise
    except Exception as err:  # the reason goes in the row, others still run
        raise RowFailure.of(err) from err


def first_batch(loader: dict, batch_size: int) -> dict:
    from mmengine.runner import Runner
    loader = dict(copy.deepcopy(loader), batch_size=batch_size,
                  num_workers=0, persistent_workers=False)
    return next(iter(Runner.build_dataloader(loader)))


def batch_faces(batch: dict, num: int) -> dict:
    """The first ``num`` inputs (occluded 32x32) and ground truths of a
    collated batch, as HxWx3 uint8 BGR arrays."""
    return dict(inputs=[tensor_to_image(x) for x in batch['inputs'][:num]],
                gts=[tensor_to_image(s.gt_img) for s in batch['data_samples'][:num]])


def inference_model(row: dict, loader: dict, work_dir: str,
                    plan: Precision) -> torch.nn.Module:
    """The API's inference model of ``row`` in ``plan`` (no losses or
    discriminators built); raises ``RowFailure``."""
    cfg = row_config(row, loader, work_dir)
    try:
        return init_restorer(cfg, row_checkpoint(row), precision=plan.name)
    except RowFailure:
        raise
    except Exception as err:
        raise RowFailure.of(err) from err


def row_cost(row: dict, loader: dict, work_dir: str,
             speed_batch: int = 16, grid_faces: int = 0,
             plan: Optional[Precision] = None) -> dict:
    """Parameters run, GFLOPs per face and faces/s at ``speed_batch``, in
    ``plan`` (default: fp32); with ``grid_faces``, also ``faces``: the
    row's results for the first faces of the speed batch (HxWx3 uint8
    BGR), for a picture."""
    plan = plan or resolve_precision('fp32', 'cpu')
    model = inference_model(row, loader, work_dir, plan)
    try:
        one = first_batch(loader, 1)
        batch = first_batch(loader, speed_batch)
        with plan.autocast():
            cost = dict(params=run_params(model, one),
                        gflops=step_flops(model, one) / 1e9,
                        faces_s=faces_per_second(model, batch, speed_batch))
        if grid_faces:
            outs = predict(model, batch)[:grid_faces]
            cost['faces'] = [tensor_to_image(o.output.pred_img) for o in outs]
    except RowFailure:
        raise
    except Exception as err:
        raise RowFailure.of(err) from err
    return cost


def train_wall_s(row: dict) -> Optional[float]:
    """Training wall time of the row's runs (their ``wall_time.json``,
    written by tools/analysis/train_comparison.sh); None if unknown."""
    import json
    runs: List[str] = row.get('train_runs') or []
    total = 0.0
    for run in runs:
        path = osp.join(run, 'wall_time.json')
        if not osp.isfile(path):
            return None
        with open(path) as f:
            total += json.load(f)['wall_s']
    return total if runs else None


def torch_threads(threads: int) -> int:
    if threads:
        torch.set_num_threads(threads)
    return torch.get_num_threads()
