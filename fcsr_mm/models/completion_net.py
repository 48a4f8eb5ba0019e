"""FCSR-GAN's completion module: a 32x32 encoder - FC - decoder."""
from typing import Optional, Sequence

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmcv.cnn import build_norm_layer
from mmengine.model import BaseModule, kaiming_init
from mmagic.registry import MODELS

from .vgg_weights import build_vgg19_features

#: VGG-19 ``features`` indices of conv1_1 .. conv3_4 (the encoder's convs).
VGG19_CONV_INDICES = (0, 2, 5, 7, 10, 12, 14, 16)
VGG19_BLOCKS = ((3, 64, 64), (64, 128, 128), (128, 256, 256, 256, 256))
KNOWN_CHANNELS = 4  # known pixels (RGB, zero in the hole) + the mask


def _convs(widths: Sequence[int], norm_cfg: Optional[dict] = None) -> list:
    layers = []
    for cin, cout in zip(widths[:-1], widths[1:]):
        layers.append(nn.Conv2d(cin, cout, 3, padding=1))
        if norm_cfg:
            layers.append(build_norm_layer(norm_cfg, cout)[1])
        layers.append(nn.ReLU(inplace=True))
    return layers


@MODELS.register_module()
class FCSRCompletionNet(BaseModule):
    """Completion module of FCSR-GAN (Cai et al., FG 2019).

    Encoder: VGG-19 conv1_1 .. pool3, then ``extra_channels`` convs and one
    more pooling; a fully connected bottleneck of ``fc_size``; a decoder that
    mirrors the encoder with nearest upsampling. 32x32 in, 32x32 out. With
    the defaults (the paper's module) it has 3.47M parameters (the paper:
    3.5M); the configs add ``mask_input`` and ``known_skips`` (3.48M), which
    fill holes better at 32 px (docs/results.md).

    Args:
        in_size (int): Input side. Default: 32.
        extra_channels (Sequence[int]): Widths of the two convs after pool3.
            Default: (128, 128).
        fc_size (int): Bottleneck size (the paper sweeps 128..1024).
            Default: 256.
        decoder_channels (Sequence[Sequence[int]]): Conv widths of each
            decoder stage, from the smallest resolution up; each stage starts
            with a 2x upsampling. Default: ((128,), (128, 64), (64, 32),
            (32, 32)).
        pretrained_vgg (str, optional): Local torchvision VGG-19 weights for
            the encoder convs. Default: None (random).
        blend_known (bool): Keep the known (unmasked) input pixels in the
            output and use the prediction only inside the hole. Default: True.
        mask_input (bool): Give the encoder the hole mask as a fourth input
            channel (its first conv gets one more input, zero-initialised
            over VGG weights), so it knows which pixels are fill.
            Default: False (the paper).
        known_skips (Sequence[int]): Decoder stages (0..3, from 4x4 up to
            32x32) whose first conv also sees the known pixels (the input,
            zero in the hole) and the mask at that stage's resolution: the
            border of the hole reaches the decoder without crossing the FC
            bottleneck. Default: () (the paper).
        mirror_known (bool): The ``known_skips`` also carry the known pixels
            and mask mirrored left-right: on an aligned face the mirror image
            of a hole is mostly known (a half-face hole's mirror is the other
            half), and a conv cannot reach across the face. Default: False.
        decoder_norm_cfg (dict, optional): A normalisation layer after each
            decoder conv (e.g. ``dict(type='BN')``, as mmagic's GL decoder).
            Default: None (the paper: none).
        init_cfg (dict, optional): Initialisation. Default: None (He init,
            see ``init_weights``).
    """

    def __init__(self,
                 in_size: int = 32,
                 extra_channels: Sequence[int] = (128, 128),
                 fc_size: int = 256,
                 decoder_channels: Sequence[Sequence[int]] = ((128, ), (128, 64),
                                                              (64, 32), (32, 32)),
                 pretrained_vgg: Optional[str] = None,
                 blend_known: bool = True,
                 mask_input: bool = False,
                 known_skips: Sequence[int] = (),
                 mirror_known: bool = False,
                 decoder_norm_cfg: Optional[dict] = None,
                 init_cfg: Optional[dict] = None):
        super().__init__(init_cfg=init_cfg)
        if in_size % 16:
            raise ValueError(f'in_size must be divisible by 16, got {in_size}')
        if len(decoder_channels) != 4:
            raise ValueError('decoder_channels needs 4 stages (2 -> 4 -> 8 '
                             f'-> 16 -> 32 for a 32 input), got '
                             f'{len(decoder_channels)}')
        self.in_size, self.fc_size = in_size, fc_size
        self.blend_known = blend_known
        self.pretrained_vgg = pretrained_vgg
        self.mask_input = mask_input
        if any(s not in range(4) for s in known_skips):
            raise ValueError(f'known_skips must name decoder stages 0..3, '
                             f'got {tuple(known_skips)}')
        self.known_skips = tuple(sorted(set(known_skips)))
        if mirror_known and not self.known_skips:
            raise ValueError('mirror_known needs known_skips (the decoder '
                             'stages that see the known pixels)')
        self.mirror_known = mirror_known
        skip_channels = KNOWN_CHANNELS * (2 if mirror_known else 1)
        layers = []
        for i, block in enumerate(VGG19_BLOCKS):
            block = (block[0] + int(mask_input and i == 0), *block[1:])
            layers += _convs(block) + [nn.MaxPool2d(2)]
        self.vgg_encoder = nn.Sequential(*layers)
        self.extra_encoder = nn.Sequential(
            *_convs((VGG19_BLOCKS[-1][-1], *extra_channels)), nn.MaxPool2d(2))
        self.bottom = (extra_channels[-1], in_size // 16, in_size // 16)
        flat = extra_channels[-1] * (in_size // 16)**2
        self.fc_encode = nn.Sequential(nn.Flatten(), nn.Linear(flat, fc_size),
                                       nn.ReLU(inplace=True))
        self.fc_decode = nn.Sequential(nn.Linear(fc_size, flat),
                                       nn.ReLU(inplace=True))
        stages, ch = [], extra_channels[-1]
        for i, widths in enumerate(decoder_channels):
            stages += [nn.Upsample(scale_factor=2, mode='nearest')]
            stages += _convs((ch + skip_channels * (i in self.known_skips),
                              *widths), decoder_norm_cfg)
            ch = widths[-1]
        self.decoder = nn.Sequential(*stages, nn.Conv2d(ch, 3, 3, padding=1))
        # ImageNet statistics for the VGG encoder (inputs are in [-1, 1]).
        self.register_buffer('vgg_mean', torch.tensor(
            [0.485, 0.456, 0.406]).view(1, 3, 1, 1), persistent=False)
        self.register_buffer('vgg_std', torch.tensor(
            [0.229, 0.224, 0.225]).view(1, 3, 1, 1), persistent=False)

    def init_weights(self) -> None:
        """He (Kaiming normal) init of every conv and FC layer unless
        ``init_cfg`` says otherwise (PyTorch's default init shrinks the
        signal through this plain, unnormalised stack of ten convs and two FC
        layers, and learning starts far slower), then the VGG-19 weights."""
        if self.init_cfg:
            super().init_weights()
        else:
            for m in self.modules():
                if isinstance(m, (nn.Conv2d, nn.Linear)):
                    kaiming_init(m, nonlinearity='relu',
                                 distribution='normal')
            self._is_init = True
        if self.pretrained_vgg:
            vgg = build_vgg19_features(self.pretrained_vgg,
                                       'FCSRCompletionNet')
            convs = [m for m in self.vgg_encoder if isinstance(m, nn.Conv2d)]
            for conv, idx in zip(convs, VGG19_CONV_INDICES):
                self._load_vgg_conv(conv, vgg[idx])

    @staticmethod
    def _load_vgg_conv(conv: nn.Conv2d, vgg_conv: nn.Conv2d) -> None:
        """VGG weights into ``conv``; an extra mask input starts at zero."""
        if conv.in_channels == vgg_conv.in_channels:
            conv.load_state_dict(vgg_conv.state_dict())
            return
        with torch.no_grad():
            conv.weight.zero_()
            conv.weight[:, :vgg_conv.in_channels] = vgg_conv.weight
            conv.bias.copy_(vgg_conv.bias)

    def forward(self, img: torch.Tensor,
                mask: Optional[torch.Tensor] = None) -> torch.Tensor:
        """Complete ``img`` (N, 3, 32, 32) in [-1, 1]; ``mask`` (N, 1, 32, 32),
        1 = hole, is needed when ``blend_known``."""
        if img.shape[-2:] != (self.in_size, self.in_size) or img.shape[1] != 3:
            raise ValueError(f'FCSRCompletionNet expects (N, 3, {self.in_size}, '
                             f'{self.in_size}) input, got {tuple(img.shape)}')
        needs_mask = self.blend_known or self.mask_input or self.known_skips
        if needs_mask and mask is None:
            raise ValueError('FCSRCompletionNet needs the hole mask (for '
                             'blend_known, mask_input or known_skips)')
        x = ((img + 1) / 2 - self.vgg_mean) / self.vgg_std
        if self.mask_input:
            x = torch.cat([x, mask], 1)
        x = self.fc_encode(self.extra_encoder(self.vgg_encoder(x)))
        x = self.fc_decode(x).view(-1, *self.bottom)
        out = self._decode(x, img, mask)
        if self.blend_known:
            out = mask * out + (1 - mask) * img
        return out

    def _decode(self, x: torch.Tensor, img: torch.Tensor,
                mask: Optional[torch.Tensor]) -> torch.Tensor:
        """The decoder, with the known pixels joined in at
        ``known_skips``."""
        if not self.known_skips:
            return self.decoder(x)
        known = torch.cat([img * (1 - mask), mask], 1)
        if self.mirror_known:
            known = torch.cat([known, known.flip(-1)], 1)
        stage = -1
        for layer in self.decoder:
            x = layer(x)
            if isinstance(layer, nn.Upsample):
                stage += 1
                if stage in self.known_skips:
                    # a static kernel (stage 0 is 4x4 for a 32 input): ONNX
                    # export needs it constant
                    factor = 2**(3 - stage)  # stage 3 is full size
                    x = torch.cat([x, F.avg_pool2d(known, factor)
                                   if factor > 1 else known], 1)
        return x
