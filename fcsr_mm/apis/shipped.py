"""The models that ship with the package (``fcsr_mm/checkpoints/``, model
cards in its README.md), so the tools work right after setup:
``tools/restore_photo.py photo.jpg`` and ``--occlusion auto``."""
import os.path as osp

_PACKAGE = osp.dirname(osp.dirname(osp.abspath(__file__)))
_REPO = osp.dirname(_PACKAGE)
CHECKPOINTS = osp.join(_PACKAGE, 'checkpoints')

#: FCSR-GAN trained by configs/fcsr_stage{1,2}_celeba128_cpu_pixel.py
RESTORER_CONFIG = 'configs/fcsr_stage2_celeba128_cpu_pixel.py'
RESTORER_CHECKPOINT = osp.join(CHECKPOINTS, 'fcsr_celeba128_cpu.pth')
#: the 32 px occlusion segmenter (issue 23)
SEGMENTER_CONFIG = \
    'configs/occlusion/segnet_s3c32_1xb16-4k_occluded-faces-32x32.py'
SEGMENTER_CHECKPOINT = osp.join(CHECKPOINTS, 'occlusion_segnet32.pth')


def find_in_repo(path: str) -> str:
    """``path`` as given if it exists (or is absolute), else inside the
    repository, so a default config works from any folder."""
    if osp.exists(path) or osp.isabs(path):
        return path
    inside = osp.join(_REPO, path)
    return inside if osp.exists(inside) else path
