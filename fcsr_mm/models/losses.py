"""The losses FCSR-GAN adds to mmagic's: face parsing, a perceptual loss
that loads VGG-19 from a local file (mmagic's always downloads), and one on
a frozen face parser's encoder (for machines without ImageNet weights)."""
from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmagic.models.losses.perceptual_loss import (PerceptualLoss,
                                                  PerceptualVGG)
from mmagic.registry import MODELS

from fcsr_mm.parsing.frozen_parser import FrozenFaceParser

from .value_range import ValueRange
from .vgg_weights import build_vgg19_features


def frozen_parser(parser_config: str, parser_checkpoint: str,
                  value_range: Optional[ValueRange]) -> FrozenFaceParser:
    """The trained parser, reading inputs in ``value_range`` (None: [-1, 1]
    RGB)."""
    vr = value_range or ValueRange()
    return FrozenFaceParser(parser_config, parser_checkpoint, vr.mean,
                            vr.std, input_order=vr.order)


def feature_criterion(name: str):
    """'mse' (the paper's squared distance) or 'l1'."""
    criteria = {'mse': F.mse_loss, 'l1': F.l1_loss}
    if name not in criteria:
        raise ValueError(f"criterion must be 'mse' or 'l1', got {name!r}")
    return criteria[name]


@MODELS.register_module()
class FaceParsingLoss(nn.Module):
    """Per-pixel cross-entropy of a frozen face parser (FCSR-GAN Sec. III).

    The parser (a trained mmseg segmentor, see ``configs/parser``) parses
    the restored face; the target is the parse of the ground truth (CelebA
    has no labels) or true labels when the dataset has them.

    Args:
        parser_config (str): The parser's mmseg config.
        parser_checkpoint (str): Its trained checkpoint.
        loss_weight (float): Default: 1.0.
        value_range (ValueRange, optional): The inputs' range and channel
            order; ``FCSRGAN`` passes its data preprocessor's. Default: None
            ([-1, 1] RGB).
        target (str): Without labels, what the parse of the result is
            compared with: 'hard', the paper's cross-entropy against the
            argmax parse of the ground truth (lowest for a result the parser
            is surer of than of the ground truth), or 'soft', the KL
            divergence from the ground truth's class probabilities (0 for a
            result that parses as the ground truth does). Default: 'hard'.
    """
    #: FCSRGAN passes its data preprocessor's ``ValueRange``
    takes_value_range = True

    def __init__(self, parser_config: str, parser_checkpoint: str,
                 loss_weight: float = 1.0,
                 value_range: Optional[ValueRange] = None,
                 target: str = 'hard'):
        super().__init__()
        if target not in ('hard', 'soft'):
            raise ValueError(f"FaceParsingLoss: target must be 'hard' or "
                             f"'soft', got {target!r}")
        self.loss_weight = loss_weight
        self.target = target
        self.parser = frozen_parser(parser_config, parser_checkpoint,
                                    value_range)

    def forward(self, pred: torch.Tensor, gt: Optional[torch.Tensor] = None,
                gt_seg: Optional[torch.Tensor] = None) -> torch.Tensor:
        """``pred``/``gt``: (N, 3, H, W) in [-1, 1] RGB; ``gt_seg``: (N, H, W)
        or (N, 1, H, W) integer labels, used instead of parsing ``gt``."""
        if gt_seg is None and gt is None:
            raise ValueError('FaceParsingLoss needs gt or gt_seg')
        logits = self.parser(pred)
        if gt_seg is None:
            with torch.no_grad():
                gt_logits = self.parser(gt)
            if self.target == 'soft':
                return self.loss_weight * F.kl_div(
                    F.log_softmax(logits, 1), F.log_softmax(gt_logits, 1),
                    reduction='none', log_target=True).sum(1).mean()
            gt_seg = gt_logits.argmax(1)
        gt_seg = gt_seg.long().reshape(pred.shape[0], *pred.shape[-2:])
        return self.loss_weight * F.cross_entropy(logits, gt_seg,
                                                  ignore_index=255)


class LocalPerceptualVGG(PerceptualVGG):
    """``PerceptualVGG`` built from a local weights file (or random)."""

    def __init__(self, layer_name_list, vgg_type='vgg19',
                 use_input_norm=True, pretrained=None):
        nn.Module.__init__(self)
        if vgg_type != 'vgg19':
            raise ValueError('only vgg19 is supported (the paper\'s)')
        self.layer_name_list = layer_name_list
        self.use_input_norm = use_input_norm
        features = build_vgg19_features(pretrained, 'VGGPerceptualLoss')
        num_layers = max(map(int, layer_name_list)) + 1
        self.vgg_layers = features[:num_layers]
        self.register_buffer('mean', torch.Tensor(
            [0.485, 0.456, 0.406]).view(1, 3, 1, 1))
        self.register_buffer('std', torch.Tensor(
            [0.229, 0.224, 0.225]).view(1, 3, 1, 1))
        self.vgg_layers.requires_grad_(False)
        self.eval()

    def train(self, mode: bool = True):
        return super().train(False)


@MODELS.register_module()
class VGGPerceptualLoss(PerceptualLoss):
    """mmagic's ``PerceptualLoss`` on a VGG-19 from a local file.

    Args:
        layer_weights (dict): VGG ``features`` index -> weight. The paper's
            phi_{5,4} (conv5_4 after ReLU) is ``{'35': 1.0}``.
        pretrained (str, optional): Local torchvision VGG-19 weights; None
            gives a random VGG-19 with a warning (once). Default: None.
        criterion (str): 'mse' (the paper's squared distance) or 'l1'.
            Default: 'mse'.
        perceptual_weight (float): Default: 1.0.
        value_range (ValueRange, optional): The inputs' range and channel
            order; ``FCSRGAN`` passes its data preprocessor's. Default: None
            ([-1, 1] RGB).
    """
    #: FCSRGAN passes its data preprocessor's ``ValueRange``
    takes_value_range = True

    def __init__(self, layer_weights: dict, pretrained: Optional[str] = None,
                 criterion: str = 'mse', perceptual_weight: float = 1.0,
                 value_range: Optional[ValueRange] = None):
        nn.Module.__init__(self)
        self.value_range = value_range or ValueRange()
        self.norm_img = False  # forward maps inputs to [0, 1] RGB itself
        self.perceptual_weight = perceptual_weight
        self.style_weight = 0.0
        self.layer_weights = self.layer_weights_style = layer_weights
        self.vgg = LocalPerceptualVGG(list(layer_weights), 'vgg19', True,
                                      pretrained)
        self.vgg_style = None
        self.criterion = feature_criterion(criterion)

    def forward(self, x: torch.Tensor, gt: torch.Tensor) -> torch.Tensor:
        """``x``/``gt``: (N, 3, H, W) in the model's value range."""
        x, gt = (self.value_range.to_pixels(t, 'rgb') / 255 for t in (x, gt))
        return super().forward(x, gt)[0]


@MODELS.register_module()
class ParserPerceptualLoss(nn.Module):
    """Perceptual loss on the encoder of a frozen face parser.

    The paper's perceptual term needs VGG-19 with ImageNet weights, which an
    offline machine lacks (a random VGG-19 measures nothing useful); the
    project's own 128 px parser is trained on faces, offline, and its
    encoder features say where brows, eyes and lips are.

    Args:
        parser_config (str): The parser's mmseg config (a SegNet).
        parser_checkpoint (str): Its trained checkpoint.
        layer_weights (dict): Encoder stage (0 = the first, at full size)
            -> weight. Default: ``{3: 1.0}`` (the deepest stage of the
            128 px parser, 16x16).
        criterion (str): 'mse' (as the paper's squared distance) or 'l1'.
            Default: 'mse'.
        loss_weight (float): Default: 1.0.
        value_range (ValueRange, optional): The inputs' range and channel
            order; ``FCSRGAN`` passes its data preprocessor's. Default: None
            ([-1, 1] RGB).
    """
    #: FCSRGAN passes its data preprocessor's ``ValueRange``
    takes_value_range = True

    def __init__(self, parser_config: str, parser_checkpoint: str,
                 layer_weights: Optional[dict] = None,
                 criterion: str = 'mse', loss_weight: float = 1.0,
                 value_range: Optional[ValueRange] = None):
        super().__init__()
        self.criterion = feature_criterion(criterion)
        self.layer_weights = {int(k): float(w) for k, w in
                              (layer_weights or {3: 1.0}).items()}
        self.loss_weight = loss_weight
        self.parser = frozen_parser(parser_config, parser_checkpoint,
                                    value_range)
        stages = len(getattr(self.parser.segmentor.backbone, 'stages', ()))
        bad = [k for k in self.layer_weights if not 0 <= k < stages]
        if bad:
            raise ValueError(f'{parser_config}: layer_weights name stages '
                             f'{bad}; its encoder has stages 0..{stages - 1}')

    def forward(self, pred: torch.Tensor, gt: torch.Tensor) -> torch.Tensor:
        """``pred``/``gt``: (N, 3, H, W) in the model's value range."""
        with torch.no_grad():
            want = self.parser.encoder_features(gt)
        got = self.parser.encoder_features(pred)
        return self.loss_weight * sum(
            w * self.criterion(got[k], want[k])
            for k, w in self.layer_weights.items())
