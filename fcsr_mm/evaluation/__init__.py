from .hole_metrics import HolePSNR, HoleSSIM, ssim_map
from .stage_metrics import StagePSNR, StageSSIM

__all__ = ['HolePSNR', 'HoleSSIM', 'StagePSNR', 'StageSSIM', 'ssim_map']
