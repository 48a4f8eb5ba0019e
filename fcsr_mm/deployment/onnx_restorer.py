"""Run an exported generator with onnxruntime behind the model interface
``fcsr_mm.apis.restore_faces`` uses (``cfg``, ``test_step``): the config's
pipeline and data preprocessor around the ONNX graph."""
import os.path as osp
from typing import List

import numpy as np
import torch
from mmengine.config import Config
from mmagic.structures import DataSample


class OnnxRestorer:
    """An exported FCSR-GAN generator (tools/deployment/pytorch2onnx.py).

    Args:
        cfg (Config): The config it was exported from (pipeline, value
            range).
        onnx_file (str): The ``.onnx`` file.
        threads (int): onnxruntime intra-op threads (0: its default).
    """

    def __init__(self, cfg: Config, onnx_file: str, threads: int = 0):
        import onnxruntime as ort
        from mmagic.registry import MODELS
        if not osp.isfile(onnx_file):
            raise FileNotFoundError(f'ONNX model {onnx_file!r} not found')
        opts = ort.SessionOptions()
        if threads:
            opts.intra_op_num_threads = threads
        try:
            self.session = ort.InferenceSession(
                onnx_file, opts, providers=['CPUExecutionProvider'])
        except Exception as err:
            raise ValueError(f'{onnx_file}: not an ONNX model onnxruntime can '
                             f'load ({type(err).__name__}: '
                             f'{str(err).splitlines()[0][:200]}); export one '
                             'with tools/deployment/pytorch2onnx.py') from err
        names = [i.name for i in self.session.get_inputs()]
        if names != ['img', 'mask']:
            raise ValueError(f'{onnx_file}: inputs {names}, expected '
                             "['img', 'mask'] (an FCSR-GAN generator export)")
        self.cfg = cfg
        self.data_preprocessor = MODELS.build(
            dict(cfg.model.data_preprocessor, data_keys=[]))

    def run(self, img: torch.Tensor, mask: torch.Tensor):
        """Model-range (N, 3, 32, 32) and (N, 1, 32, 32) -> the generator's
        two outputs as tensors."""
        lr, hr = self.session.run(None, {
            'img': img.float().numpy(), 'mask': mask.float().numpy()})
        return torch.from_numpy(lr), torch.from_numpy(hr)

    def test_step(self, data: dict) -> List[DataSample]:
        """As ``BaseModel.test_step``: ``output.pred_lr`` / ``pred_img`` of
        each sample, 0..255 in the loaded channel order."""
        data = self.data_preprocessor(data, False)
        inputs, samples = data['inputs'], data['data_samples']
        pred_lr, pred = self.run(inputs, samples.mask_lr)
        destruct = self.data_preprocessor.destruct
        out = DataSample(pred_img=destruct(pred, samples),
                         pred_lr=destruct(pred_lr, samples))
        results = samples.split()
        for sample, pred_sample in zip(results, out.split()):
            sample.output = pred_sample
        return results

    def eval(self):
        return self

    def to(self, device):
        if str(device) != 'cpu':
            raise ValueError('OnnxRestorer runs on the CPU (onnxruntime)')
        return self
