"""mmseg side of the plugin: SegNet, face datasets, the frozen parser."""
from .face_datasets import (CelebAMaskHQFaceDataset, FaceParsingDataset,
                            HelenFaceDataset, OccludedFaceDataset)
from .frozen_parser import FrozenFaceParser, build_segmentor
from .segnet_backbone import SegNetEncoder
from .segnet_head import SegNetHead
from .transforms import LoadFaceAnnotations, ResizeFaceForEval
from .visualizer import FaceSegLocalVisualizer

__all__ = [
    'SegNetEncoder', 'SegNetHead', 'HelenFaceDataset',
    'CelebAMaskHQFaceDataset', 'FaceParsingDataset', 'OccludedFaceDataset',
    'LoadFaceAnnotations', 'ResizeFaceForEval',
    'FrozenFaceParser', 'build_segmentor', 'FaceSegLocalVisualizer'
]
