from .face_grid import FaceGridVisualizer

__all__ = ['FaceGridVisualizer']
