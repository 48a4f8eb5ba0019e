"""Test a config from Python: its test set, its metrics, one call.

    from fcsr_mm.apis import run_test
    metrics = run_test(
        'configs/fcsr_gan/fcsr-gan_stage2_1xb16-200k_celeba-128x128.py',
        'iter_200000.pth', cfg_options={'test_dataloader.batch_size': 16})

``tools/test.py``, the Table I tool and the benchmarks call this. The test
runs in ``precision`` ('auto', 'fp32' or 'bf16'; see
``fcsr_mm.apis.inference_precision``).
"""
import math
import numbers
from typing import Optional, Union

from mmengine.config import Config
from mmengine.model import is_model_wrapper

from fcsr_mm.engine.launch import load_config
from fcsr_mm.engine.hooks import (KeepTestMetricsHook, PerFaceScoresHook,
                                  dump_metrics)
from .inference_model import (load_generator, needs_checkpoint,
                              read_trained_checkpoint)
from .inference_precision import config_precision, precision_test_cfg


def run_test(config: Union[str, Config], checkpoint: Optional[str] = None,
             cfg_options: Optional[dict] = None,
             work_dir: Optional[str] = None, launcher: str = 'none',
             out: Optional[str] = None,
             allow_other_config: bool = False,
             precision: Optional[str] = None,
             per_face_out: Optional[str] = None) -> dict:
    """Run ``config`` over its test set and return the metrics.

    Args:
        config (str | Config): A model config (file or loaded).
        checkpoint (str, optional): Weights to test; the training-free
            ``FaceBaseline`` configs need none. Default: None.
        cfg_options (dict, optional): Overrides, ``{'a.b.c': value}`` as
            ``--cfg-options`` takes them. Default: None.
        work_dir (str, optional): Logs and visualisations go here.
            Default: ``work_dirs/<config name>``.
        launcher (str): 'none', 'pytorch', 'slurm' or 'mpi'. Default: 'none'.
        out (str, optional): Also write the metrics to this JSON file.
        allow_other_config (bool): Test a checkpoint whose stored training
            config gives another model (e.g. a stage-1 checkpoint under a
            stage-2 config), with a warning, instead of refusing it.
            Default: False.
        precision (str, optional): 'auto', 'fp32' or 'bf16' (bf16 autocast
            + channels_last; 'auto': bf16 where the processor has native
            bf16): the config's ``MultiTestLoop`` / ``TestLoop`` runs as
            ``PrecisionMultiTestLoop`` / ``PrecisionTestLoop``. Default:
            None (the config's ``precision``, else 'auto').
        per_face_out (str, optional): Also write every face's scores to
            this JSON file: ``{'faces': [file, ...], metric: [score, ...]}``
            in test order (for paired comparisons). Default: None.

    Returns:
        dict: Metric name -> value (e.g. ``PSNR``, ``SSIM``, ``HolePSNR``).
    """
    import fcsr_mm  # noqa: F401  registers the components
    cfg = load_config(config, cfg_options, work_dir, launcher)
    cfg.test_cfg = precision_test_cfg(cfg.get('test_cfg'),
                                      config_precision(cfg, precision))
    # loaded below, strictly, as the API loads it (and no auto-resume may
    # replace it)
    cfg.load_from, cfg.resume = None, False
    ckpt = read_trained_checkpoint(checkpoint, cfg, allow_other_config) \
        if checkpoint else None  # refused before anything is built
    if not checkpoint and needs_checkpoint(cfg):
        raise ValueError(f'{getattr(cfg, "filename", "the config")} needs a '
                         'checkpoint to test (only models that load their '
                         'own weights, FaceBaseline and SequentialRestorer, '
                         'run without one)')
    from mmengine.runner import Runner
    runner = Runner.from_cfg(cfg)
    if checkpoint:
        model = runner.model.module if is_model_wrapper(runner.model) \
            else runner.model
        load_generator(model, checkpoint, cfg, allow_other_config, ckpt)
    keep = KeepTestMetricsHook()
    runner.register_hook(keep, priority='LOWEST')
    per_face = PerFaceScoresHook()
    if per_face_out:
        runner.register_hook(per_face)
    # mmagic's MultiTestLoop returns nothing; the hook keeps the metrics
    metrics = runner.test() or keep.metrics
    nan = [k for k, v in metrics.items()
           if isinstance(v, numbers.Real) and math.isnan(float(v))]
    if nan:  # e.g. an output that overflowed: no table may show it
        raise ValueError(f'{checkpoint or cfg.filename}: the metrics {nan} '
                         'are NaN (the model gave non-finite results); '
                         'nothing was written')
    if out:
        dump_metrics(metrics, out)
    if per_face_out:
        dump_metrics(per_face.scores, per_face_out)
    return metrics
