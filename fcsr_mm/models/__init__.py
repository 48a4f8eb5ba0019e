"""mmagic side of the plugin: FCSR-GAN's networks, losses and model."""
from .completion_net import FCSRCompletionNet
from .discriminators import FCSRDiscriminator
from .face_baseline import FaceBaseline
from .sequential_restorer import SequentialRestorer
from .face_restorer import FaceRestorer
from .fcsr_gan import FCSRGAN
from .fcsr_generator import FCSRGenerator
from .losses import (FaceParsingLoss, ParserPerceptualLoss,
                     VGGPerceptualLoss)

__all__ = [
    'FCSRCompletionNet', 'FCSRGenerator', 'FCSRDiscriminator', 'FCSRGAN',
    'FaceParsingLoss', 'ParserPerceptualLoss', 'VGGPerceptualLoss',
    'FaceBaseline', 'FaceRestorer',
    'SequentialRestorer'
]
