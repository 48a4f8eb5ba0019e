from .transforms import DegradeFace, OccludeFace

__all__ = ['DegradeFace', 'OccludeFace']
