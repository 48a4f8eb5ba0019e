"""FCSR-GAN's own loss modules: FaceParsingLoss (its target, a frozen
parser, the gradient to the restored face) and VGGPerceptualLoss (layer
weights, criterion, value range, the random-VGG warning)."""
import copy
import os.path as osp
import logging

import pytest
import torch
import torch.nn.functional as F
from mmagic.registry import MODELS
from mmengine.logging import MessageHub, MMLogger
from mmengine.optim import build_optim_wrapper
from mmengine.registry import DefaultScope

import fcsr_mm  # noqa: F401
from fcsr_mm.models import vgg_weights
from fcsr_mm.models.losses import (FaceParsingLoss, ParserPerceptualLoss,
                                   VGGPerceptualLoss)
from fcsr_mm.models.value_range import ValueRange

IMAGENET_MEAN = torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1)
IMAGENET_STD = torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1)


def images(n=2, size=32, seed=0):
    """Smooth random faces-to-be in [-1, 1] (upsampled noise)."""
    g = torch.Generator().manual_seed(seed)
    small = torch.rand(n, 3, size // 4, size // 4, generator=g) * 2 - 1
    return F.interpolate(small, size=size, mode='bilinear',
                         align_corners=False)


# ------------------------------------------------------------------ parsing
@pytest.fixture(scope='module')
def parsing32(trained_parsers):
    return FaceParsingLoss(*trained_parsers[32])


def test_parsing_target_is_the_parse_of_gt_unless_labels_are_given(
        parsing32):
    pred, gt = images(seed=0), images(seed=1)
    parser = parsing32.parser
    with torch.no_grad():
        parse = parser(gt).argmax(1)
        no_labels = parsing32(pred, gt)
        assert torch.allclose(no_labels,
                              F.cross_entropy(parser(pred), parse),
                              rtol=1e-6, atol=0)
        # labels equal to the parse of gt: the same loss, (N, 1, H, W) too
        assert torch.equal(parsing32(pred, gt, parse), no_labels)
        assert torch.equal(parsing32(pred, gt, parse[:, None]), no_labels)
        # other labels replace the parse of gt (then gt is not needed)
        other = (parse + 1) % parser.num_classes
        with_other = parsing32(pred, gt, other)
        assert not torch.allclose(with_other, no_labels)
        assert torch.equal(parsing32(pred, None, other), with_other)
        assert torch.allclose(with_other,
                              F.cross_entropy(parser(pred), other),
                              rtol=1e-6, atol=0)
    with pytest.raises(ValueError, match='needs gt or gt_seg'):
        parsing32(pred)


def test_soft_parsing_target_is_zero_for_the_ground_truth_itself(
        trained_parsers):
    soft = FaceParsingLoss(*trained_parsers[32], target='soft')
    hard = FaceParsingLoss(*trained_parsers[32])
    pred, gt = images(seed=0), images(seed=1)
    with torch.no_grad():
        # the hard target still scores the ground truth above zero: the
        # parser is not sure of it; the soft one is zero there
        assert hard(gt, gt) > 0.01
        assert soft(gt, gt).abs() < 1e-5
        log_p, log_q = (F.log_softmax(soft.parser(t), 1) for t in (gt, pred))
        kl = (log_p.exp() * (log_p - log_q)).sum(1).mean()
        assert torch.allclose(soft(pred, gt), kl, rtol=1e-5)
        # true labels are hard targets either way
        labels = log_p.argmax(1)
        assert torch.equal(soft(pred, gt, labels), hard(pred, gt, labels))
    with pytest.raises(ValueError, match="target must be 'hard' or 'soft', "
                       "got 'argmax'"):
        FaceParsingLoss(*trained_parsers[32], target='argmax')


def test_parsing_gradient_reaches_the_prediction_not_the_parser(parsing32):
    pred = images(seed=0).requires_grad_()
    parsing32(pred, images(seed=1)).backward()
    assert pred.grad is not None and pred.grad.abs().sum() > 0
    assert all(not p.requires_grad and p.grad is None
               for p in parsing32.parameters())


PHASES = dict(
    parse_lr=dict(begin=0, train=['completion'],
                  losses=dict(parsing_lr=1.0)),
    parse_hr=dict(begin=1, train=['sr'], losses=dict(parsing=1.0)))


def parsing_model(parsers):
    (c32, k32), (c128, k128) = parsers[32], parsers[128]
    cfg = dict(
        type='FCSRGAN',
        data_preprocessor=dict(type='DataPreprocessor', mean=[127.5] * 3,
                               std=[127.5] * 3, output_channel_order='RGB',
                               data_keys=['gt_img', 'gt_lr']),
        generator=dict(type='FCSRGenerator',
                       completion=dict(type='FCSRCompletionNet', fc_size=32),
                       sr=dict(type='MSRResNet', in_channels=3,
                               out_channels=3, mid_channels=8, num_blocks=1,
                               upscale_factor=4)),
        losses=dict(
            parsing_lr=dict(type='FaceParsingLoss', parser_config=c32,
                            parser_checkpoint=k32),
            parsing=dict(type='FaceParsingLoss', parser_config=c128,
                         parser_checkpoint=k128)),
        train_cfg=dict(phases=copy.deepcopy(PHASES)))
    with DefaultScope.overwrite_default_scope('mmagic'):
        model = MODELS.build(cfg)
        model.init_weights()
        optim = build_optim_wrapper(model, dict(
            constructor='MultiOptimWrapperConstructor',
            generator=dict(type='OptimWrapper',
                           optimizer=dict(type='Adam', lr=1e-3))))
    return model, optim


@pytest.fixture(scope='module')
def batch(face_batch):
    return face_batch()


def test_parsers_stay_frozen_and_in_eval_mode_while_the_model_trains(
        trained_parsers, batch):
    """A phase whose only term is parsing moves the generator module it
    trains (the gradient reaches it through the parser) and leaves the
    parser's weights and statistics as loaded."""
    model, optim = parsing_model(trained_parsers)
    model.train()
    parsers = [model.losses['parsing_lr'].parser,
               model.losses['parsing'].parser]
    hub = MessageHub.get_current_instance()
    for phase, module in (('parse_lr', 'completion'), ('parse_hr', 'sr')):
        hub.update_info('iter', PHASES[phase]['begin'])
        loaded = {k: v.clone() for k, v in model.losses.state_dict().items()}
        trained = {k: v.clone() for k, v in
                   getattr(model.generator, module).state_dict().items()}
        model.train_step(copy.deepcopy(batch), optim)
        for parser in parsers:
            assert all(not m.training for m in parser.segmentor.modules())
            assert all(not p.requires_grad for p in parser.parameters())
        after = model.losses.state_dict()
        assert all(torch.equal(v, after[k]) for k, v in loaded.items())
        now = getattr(model.generator, module).state_dict()
        assert any(not torch.equal(v, now[k]) for k, v in trained.items()
                   if v.is_floating_point()), phase


# --------------------------------------------------------------- perceptual
#: conv1_1 and conv2_1 after their ReLUs
LAYERS = {'1': 1.0, '6': 1.0}


def perceptual(layer_weights=LAYERS, **kwargs):
    """Seeded: every instance has the same random VGG-19 (a VGG-19 build
    takes seconds, so the tests build few)."""
    torch.manual_seed(0)
    return VGGPerceptualLoss(layer_weights, **kwargs)


@pytest.fixture(scope='module')
def vgg_loss():
    return perceptual()


@pytest.fixture(scope='module')
def faces():
    return images(size=64, seed=0), images(size=64, seed=1)


def layer_distances(loss, x, gt, criterion=F.mse_loss):
    """Per layer of ``LAYERS``: the criterion on VGG ``features[:layer + 1]``
    of ImageNet-normalised [0, 1] RGB images (what torchvision's VGG-19
    expects), computed here from the loss's VGG layers."""
    def features(img, layer):
        norm = ((img + 1) / 2 - IMAGENET_MEAN) / IMAGENET_STD
        return loss.vgg.vgg_layers[:int(layer) + 1](norm)

    return {k: criterion(features(x, k), features(gt, k)) for k in LAYERS}


def test_perceptual_loss_is_the_weighted_sum_of_its_layers(vgg_loss, faces):
    with torch.no_grad():
        shares = layer_distances(vgg_loss, *faces)
        assert all(s > 0 for s in shares.values())
        both = vgg_loss(*faces)
        assert torch.allclose(both, shares['1'] + shares['6'], rtol=1e-5,
                              atol=0)
        # a layer with weight 0 adds nothing
        zero = perceptual({'1': 1.0, '6': 0.0})(*faces)
        assert torch.allclose(zero, shares['1'], rtol=1e-6, atol=0)
        # doubling one layer's weight adds that layer's share once more
        doubled = perceptual({'1': 1.0, '6': 2.0})(*faces)
        assert torch.allclose(doubled - both, shares['6'], rtol=1e-4, atol=0)


def test_perceptual_criterion_is_the_configured_one(vgg_loss, faces):
    """mse (the default and the paper's) and l1 (configured)."""
    with torch.no_grad():
        mse = layer_distances(vgg_loss, *faces)
        assert torch.allclose(vgg_loss(*faces), sum(mse.values()),
                              rtol=1e-5, atol=0)
        l1_loss = perceptual(criterion='l1')
        l1 = layer_distances(l1_loss, *faces, F.l1_loss)
        assert torch.allclose(l1_loss(*faces), sum(l1.values()), rtol=1e-5,
                              atol=0)
    with pytest.raises(ValueError, match="'mse' or 'l1'"):
        perceptual(criterion='l2')


def test_perceptual_loss_reads_images_in_the_model_value_range(vgg_loss,
                                                               faces):
    """The same faces given as [-1, 1] RGB (``vgg_loss``) and as a data
    preprocessor with per-channel mean/std and BGR order would give them
    have the same loss."""
    mean, std = (103.53, 116.28, 123.675), (57.375, 57.12, 58.395)  # BGR
    bgr = ValueRange(mean, std, 'bgr')
    bgr_faces = [bgr.from_pixels(((t + 1) * 127.5).flip(1), 'bgr')
                 for t in faces]
    assert not torch.allclose(bgr_faces[0], faces[0].flip(1))
    with torch.no_grad():
        expected = vgg_loss(*faces)
        loss = perceptual(value_range=bgr)(*bgr_faces)
        assert torch.allclose(loss, expected, rtol=1e-4, atol=0)


class Records(logging.Handler):

    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def test_random_vgg_warning_is_logged_once(monkeypatch):
    monkeypatch.setattr(vgg_weights, '_warned', set())
    logger = MMLogger.get_current_instance()
    records = Records()
    logger.addHandler(records)
    try:
        x, gt = images(size=32, seed=0), images(size=32, seed=1)
        for _ in range(2):
            loss = VGGPerceptualLoss({'1': 1.0})
            with torch.no_grad():
                loss(x, gt), loss(x, gt)
    finally:
        logger.removeHandler(records)
    warnings = [m for m in records.messages if 'VGGPerceptualLoss' in m]
    assert len(warnings) == 1, warnings
    assert 'RANDOMLY INITIALISED' in warnings[0]
    assert 'vgg19-dcbb9e9d.pth' in warnings[0]


def test_the_quickstart_perceptual_term_is_conv2_2_alone(repo):
    """The synthetic stage 2 replaces the base's conv5_4 layer, not adds
    conv2_2 beside it (a merged dict ran VGG to conv5_4, 5x the step)."""
    from mmengine.config import Config
    cfg = Config.fromfile(osp.join(repo, 'configs/fcsr_stage2_synthetic.py'))
    assert dict(cfg.model.losses.perceptual.layer_weights) == {'8': 1.0}


# ------------------------------------------- perceptual on a parser encoder
@pytest.fixture(scope='module')
def parser_features(trained_parsers):
    return ParserPerceptualLoss(*trained_parsers[128],
                                layer_weights={1: 0.5, 3: 2.0})


def test_parser_perceptual_loss_is_the_weighted_feature_distance(
        parser_features):
    pred, gt = images(size=128, seed=0), images(size=128, seed=1)
    with torch.no_grad():
        assert float(parser_features(gt, gt)) == 0
        got = parser_features.parser.encoder_features(pred)
        want = parser_features.parser.encoder_features(gt)
        # the encoder's stages, full size first (four for the 128 px one)
        assert [f.shape[-1] for f in got] == [128, 64, 32, 16]
        expected = 0.5 * F.mse_loss(got[1], want[1]) + \
            2.0 * F.mse_loss(got[3], want[3])
        assert torch.allclose(parser_features(pred, gt), expected)


def test_parser_perceptual_gradient_reaches_the_prediction_only(
        parser_features):
    pred = images(size=128, seed=0).requires_grad_()
    parser_features(pred, images(size=128, seed=1)).backward()
    assert pred.grad is not None and pred.grad.abs().sum() > 0
    assert all(not p.requires_grad and p.grad is None
               for p in parser_features.parameters())


def test_parser_perceptual_loss_refuses_bad_settings(trained_parsers):
    with pytest.raises(ValueError, match=r'stages \[4\]; its encoder has '
                       r'stages 0\.\.3'):
        ParserPerceptualLoss(*trained_parsers[128], layer_weights={4: 1.0})
    with pytest.raises(ValueError, match="criterion must be 'mse' or 'l1'"):
        ParserPerceptualLoss(*trained_parsers[128], criterion='huber')
