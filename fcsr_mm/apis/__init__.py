"""Restore faces from Python."""
from .restore import init_restorer, load_face, occlusion_mask, restore_faces

__all__ = ['init_restorer', 'restore_faces', 'occlusion_mask', 'load_face']
