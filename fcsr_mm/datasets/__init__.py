from .face_dataset import FaceImageDataset
from .transforms import CentreBBox, DegradeFace, OccludeFace

__all__ = ['CentreBBox', 'DegradeFace', 'OccludeFace', 'FaceImageDataset']
