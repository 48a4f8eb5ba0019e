from .hole_metrics import HolePSNR, HoleSSIM, ssim_map
from .seam_metric import HoleSeam, HoleTint, border_step
from .stage_metrics import StagePSNR, StageSSIM

__all__ = [
    'HolePSNR', 'HoleSSIM', 'HoleSeam', 'HoleTint', 'border_step', 'StagePSNR',
    'StageSSIM', 'ssim_map'
]
