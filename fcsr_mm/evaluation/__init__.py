from .hole_metrics import HolePSNR, HoleSSIM, ssim_map

__all__ = ['HolePSNR', 'HoleSSIM', 'ssim_map']
