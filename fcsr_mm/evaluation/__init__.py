from .hole_metrics import HolePSNR, HoleSSIM, ssim_map
from .stage_metrics import StagePSNR

__all__ = ['HolePSNR', 'HoleSSIM', 'StagePSNR', 'ssim_map']
