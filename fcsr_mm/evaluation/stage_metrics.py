"""PSNR/SSIM of an intermediate result that only some restorers give.

FCSR-GAN and "complete, then super-resolve" sequences give the completed
32x32 face (``pred_lr``); a single SR network or "super-resolve, then
complete" has none. mmagic's metrics fail on a sample without the key, so
one benchmark over all of them needs metrics that skip such samples.
"""
from mmagic.evaluation.metrics import PSNR, SSIM
from mmagic.registry import METRICS


class _StageMetric:
    """Score the samples whose output has ``pred_key``; report no value at
    all (not 0, not NaN) when none has it."""

    def process(self, data_batch, data_samples) -> None:
        with_stage = [d for d in data_samples
                      if self.pred_key in d.get('output', {})]
        super().process(data_batch, with_stage)

    def compute_metrics(self, results: list) -> dict:
        return super().compute_metrics(results) if results else {}


@METRICS.register_module()
class StagePSNR(_StageMetric, PSNR):
    """mmagic's PSNR over the samples that have ``pred_key``.

    Args:
        **kwargs: mmagic ``PSNR`` arguments (``gt_key``, ``pred_key``,
            ``prefix``, ``crop_border``, ...).
    """


@METRICS.register_module()
class StageSSIM(_StageMetric, SSIM):
    """mmagic's SSIM over the samples that have ``pred_key``.

    Args:
        **kwargs: mmagic ``SSIM`` arguments.
    """
