"""The base of the project's restorers: an occluded 32x32 face (and its
hole, ``mask_lr``) in, the 128x128 face out (``pred_img``) and, where the
model completes at 32 px, the completed face (``pred_lr``)."""
from typing import Optional, Tuple

import torch
from mmengine.model import BaseModel
from mmagic.models.base_models import BaseEditModel
from mmagic.structures import DataSample


class FaceRestorer(BaseEditModel):
    """``BaseEditModel`` for models that build their own parts.

    ``BaseEditModel.__init__`` builds one generator and one pixel loss;
    ``FCSRGAN`` has several losses and discriminators, the baselines and
    sequences none, so this runs mmengine's ``BaseModel`` construction and
    keeps ``train_cfg``/``test_cfg`` as mmagic's models do.

    A subclass implements :meth:`restore`; ``forward_tensor`` and
    ``forward_inference`` (mmagic's ``mode='tensor'`` / ``'predict'``) come
    from it. Training refuses with :attr:`train_refusal` unless the subclass
    trains (``FCSRGAN`` overrides :meth:`forward_train` and ``train_step``).

    Args:
        train_cfg (dict, optional): Kept as ``self.train_cfg``.
        test_cfg (dict, optional): Kept as ``self.test_cfg``.
        init_cfg (dict, optional): mmengine init config.
        data_preprocessor (dict, optional): mmagic ``DataPreprocessor``.
    """

    #: why ``mode='loss'`` is refused (a training-free model's message)
    train_refusal = 'this model is not trained with tools/train.py'

    def __init__(self, train_cfg: Optional[dict] = None,
                 test_cfg: Optional[dict] = None,
                 init_cfg: Optional[dict] = None,
                 data_preprocessor: Optional[dict] = None):
        BaseModel.__init__(self, init_cfg=init_cfg,
                           data_preprocessor=data_preprocessor)
        self.train_cfg, self.test_cfg = train_cfg, test_cfg

    def restore(self, inputs: torch.Tensor, data_samples: DataSample
                ) -> Tuple[Optional[torch.Tensor], torch.Tensor]:
        """``(pred_lr or None, pred_img)``, 0..255 BGR like the ground
        truth, fp32.

        Args:
            inputs (Tensor): The preprocessed occluded faces (N, 3, 32, 32).
            data_samples (DataSample): Holds ``mask_lr`` (N, 1, 32, 32).
        """
        raise NotImplementedError

    def forward_tensor(self, inputs: torch.Tensor,
                       data_samples: Optional[DataSample] = None,
                       **kwargs) -> torch.Tensor:
        """The 128x128 results, 0..255 BGR (``FCSRGAN`` returns its
        generator's output in the model's value range, as mmagic's editors
        do)."""
        return self.restore(inputs, data_samples)[1]

    def forward_inference(self, inputs: torch.Tensor,
                          data_samples: Optional[DataSample] = None,
                          **kwargs) -> DataSample:
        """``pred_img`` and, where there is one, ``pred_lr``."""
        pred_lr, pred = self.restore(inputs, data_samples)
        out = DataSample(pred_img=pred)
        if pred_lr is not None:
            out.pred_lr = pred_lr
        return out

    def forward_train(self, inputs, data_samples=None, **kwargs):
        raise RuntimeError(self.train_refusal)
