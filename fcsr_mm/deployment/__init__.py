"""The onnxruntime restorer that the API and tools/restore.py use like the
PyTorch model (the export itself is ``fcsr_mm.apis.export_onnx``: it builds
the model through the API)."""
from .onnx_restorer import OnnxRestorer

__all__ = ['OnnxRestorer']
