from .face_dataset import FaceImageDataset
from .transforms import DegradeFace, OccludeFace

__all__ = ['DegradeFace', 'OccludeFace', 'FaceImageDataset']
