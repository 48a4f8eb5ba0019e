"""Restore faces and test configs from Python."""
from .inference_model import init_restorer, load_generator
from .face_detectors import FACE_DETECTORS, Detection, MTCNNDetector
from .occlusion_auto import init_occlusion_segmenter
from .onnx_export import export_onnx
from .photo import restore_photo
from .restore import load_face, occlusion_mask, restore_faces
from .testing import run_test

__all__ = [
    'init_restorer', 'restore_faces', 'occlusion_mask', 'load_face',
    'run_test', 'export_onnx', 'load_generator', 'restore_photo',
    'FACE_DETECTORS', 'Detection', 'MTCNNDetector',
    'init_occlusion_segmenter'
]
