"""The generator (occluded 32x32 face + hole mask -> completed 32x32 face
and 128x128 face, in the model's value range) as an ONNX graph."""
from typing import Optional

import numpy as np
import torch
from mmengine.config import Config

from fcsr_mm.models.probe_faces import probe_faces
from fcsr_mm.models.value_range import ValueRange
from .inference_model import init_restorer, load_generator, needs_checkpoint

INPUTS = ('img', 'mask')
OUTPUTS = ('pred_lr', 'pred_img')


class _GeneratorGraph(torch.nn.Module):
    """What is exported: the generator at inference, both outputs."""

    def __init__(self, generator: torch.nn.Module):
        super().__init__()
        self.generator = generator

    def forward(self, img: torch.Tensor, mask: torch.Tensor):
        return self.generator(img, mask)


def export_onnx(config: str, checkpoint: Optional[str], out: str,
                opset: int = 17, check_batch: int = 2,
                allow_other_config: bool = False) -> float:
    """Export the generator of ``config`` with ``checkpoint`` to ``out``
    (batch size dynamic) and check it against PyTorch with onnxruntime on
    ``check_batch`` random faces. ``allow_other_config``: as in
    ``init_restorer``.

    Returns:
        float: Largest absolute difference of the outputs, in 0..255.
    """
    cfg = Config.fromfile(config)
    # models that load their own weights (baselines, sequences) are no
    # single generator; others need one with a completion module
    model = init_restorer(cfg, precision='fp32') \
        if needs_checkpoint(cfg) else None  # ONNX runs fp32
    if not hasattr(getattr(model, 'generator', None), 'completion'):
        raise ValueError(f'{config}: builds {cfg.model.type}; the ONNX export '
                         'covers FCSR-GAN generators (a completion module '
                         'taking the face and its mask)')
    if checkpoint is not None:
        load_generator(model, checkpoint, cfg, allow_other_config)
    graph = _GeneratorGraph(model.generator).eval()
    img, mask = probe_faces(check_batch, model.generator.completion.in_size)
    with torch.no_grad():
        want = graph(img, mask)
    for name, value in zip(OUTPUTS, want):  # NaN would compare as no error
        if not torch.isfinite(value).all():
            raise ValueError(f'{config}: the generator gives non-finite '
                             f'{name} on random faces; nothing to export')
    batch = {name: {0: 'batch'} for name in INPUTS + OUTPUTS}
    # the TorchScript exporter: the dynamo one needs onnxscript, which the
    # pinned stack does not carry
    torch.onnx.export(graph, (img, mask), out, input_names=list(INPUTS),
                      output_names=list(OUTPUTS), dynamic_axes=batch,
                      opset_version=opset, dynamo=False)
    import onnxruntime as ort
    session = ort.InferenceSession(out, providers=['CPUExecutionProvider'])
    got = session.run(None, {'img': img.numpy(), 'mask': mask.numpy()})
    scale = max(ValueRange.of(model.data_preprocessor).std)
    return max(float(np.abs(g - w.numpy()).max()) * scale
               for g, w in zip(got, want))
