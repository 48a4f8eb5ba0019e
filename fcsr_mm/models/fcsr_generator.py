"""FCSR-GAN's generator: the completion module, then the SR module."""
from typing import Optional, Tuple

import torch
from mmengine.model import BaseModule
from mmagic.registry import MODELS


@MODELS.register_module()
class FCSRGenerator(BaseModule):
    """Completion (32 -> 32) followed by 4x super-resolution (32 -> 128).

    Args:
        completion (dict): Config of the completion module
            (``FCSRCompletionNet``).
        sr (dict): Config of the SR module; mmagic's ``MSRResNet`` with 12
            blocks of 64 channels has the paper's 1.2M parameters.
        init_cfg (dict, optional): Initialisation. Default: None.
    """

    def __init__(self, completion: dict, sr: dict,
                 init_cfg: Optional[dict] = None):
        super().__init__(init_cfg=init_cfg)
        self.completion = MODELS.build(completion)
        self.sr = MODELS.build(sr)

    def forward(self, img: torch.Tensor, mask: Optional[torch.Tensor] = None,
                with_sr: bool = True, freeze_completion: bool = False
                ) -> Tuple[torch.Tensor, Optional[torch.Tensor]]:
        """Returns the completed 32x32 face and (if ``with_sr``) the
        128x128 face. ``freeze_completion`` runs the completion module
        without building its graph (stage 2, phase 1)."""
        with torch.set_grad_enabled(torch.is_grad_enabled()
                                    and not freeze_completion):
            pred_lr = self.completion(img, mask)
        return pred_lr, (self.sr(pred_lr) if with_sr else None)
