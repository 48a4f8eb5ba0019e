"""ONNX export of the FCSR-GAN generator and an onnxruntime restorer that
the API and tools/restore.py use like the PyTorch model."""
from .onnx_export import export_onnx
from .onnx_restorer import OnnxRestorer

__all__ = ['export_onnx', 'OnnxRestorer']
