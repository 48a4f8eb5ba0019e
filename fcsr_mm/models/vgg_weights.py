"""Local VGG-19 weights: nothing is downloaded at run time.

Both the perceptual loss and the completion encoder can start from
torchvision's ImageNet VGG-19 (``vgg19-dcbb9e9d.pth``), given as a local file.
"""
import os.path as osp
from typing import Optional

import torch
import torchvision
from mmengine.logging import print_log

_warned = set()


def warn_once(key: str, msg: str) -> None:
    """Log ``msg`` at WARNING level the first time ``key`` is seen."""
    if key not in _warned:
        _warned.add(key)
        print_log(msg, logger='current', level=30)


def load_vgg19_state(path: str) -> dict:
    """Read a torchvision VGG-19 state dict (or an mmengine checkpoint of
    one) from ``path``; raise with the fix if the file is missing."""
    if not osp.isfile(path):
        raise FileNotFoundError(
            f'VGG-19 weights {path!r} not found. Put torchvision\'s '
            'vgg19-dcbb9e9d.pth (ImageNet) there, or set the option to None '
            'to use a randomly initialised VGG-19 (not comparable to the '
            'paper).')
    state = torch.load(path, map_location='cpu', weights_only=True)
    return state.get('state_dict', state)


def build_vgg19_features(pretrained: Optional[str],
                         user: str) -> torch.nn.Sequential:
    """torchvision VGG-19's convolutional part (``vgg19().features``), with
    ``pretrained`` weights or torchvision's random initialisation. The
    classifier (120 M parameters, ~2 s to initialise on a CPU core) is
    never built: only the features are used.

    Args:
        pretrained (str, optional): Local weights file, or None.
        user (str): Who asks (named in the warning when random).
    """
    vgg = vgg_features(torchvision.models.vgg.cfgs['E'])
    if pretrained:
        state = load_vgg19_state(pretrained)
        state = {k[len('features.'):]: v for k, v in state.items()
                 if k.startswith('features.')}
        missing, _ = vgg.load_state_dict(state, strict=False)
        if missing:
            raise RuntimeError(f'{pretrained!r} is not a VGG-19 state dict '
                               f'(missing features.{missing[0]} ...)')
    else:
        warn_once(
            user, f'{user}: no VGG-19 weights file given, so it uses a '
            'RANDOMLY INITIALISED VGG-19. Training works, but its features '
            'are not ImageNet features and results are not comparable to the '
            'paper. Set `pretrained` to a local copy of torchvision\'s '
            'vgg19-dcbb9e9d.pth to fix this.')
    return vgg


def vgg_features(cfg) -> torch.nn.Sequential:
    """torchvision's ``make_layers`` with the init ``torchvision.models.VGG``
    gives its convolutions."""
    layers = torchvision.models.vgg.make_layers(cfg, batch_norm=False)
    for m in layers.modules():
        if isinstance(m, torch.nn.Conv2d):
            torch.nn.init.kaiming_normal_(m.weight, mode='fan_out',
                                          nonlinearity='relu')
            torch.nn.init.constant_(m.bias, 0)
    return layers
