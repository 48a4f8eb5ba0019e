"""Median-frequency class weights (SegNet's balancing) for the parsers."""
import os.path as osp

import mmcv
import numpy as np
import pytest

from fcsr_mm.parsing.class_weights import (label_counts,
                                           median_frequency_weights)


def write_maps(folder, maps):
    for i, label in enumerate(maps):
        mmcv.imwrite(np.asarray(label, np.uint8), osp.join(folder, f'{i}.png'))


def test_counts_and_weights_follow_segnets_definition(tmp_path):
    a = np.zeros((4, 4), np.uint8)
    a[0, :2] = 1          # class 1: 2 of 16 pixels, only in map a
    a[3, 3] = 255         # ignored
    b = np.full((4, 4), 2, np.uint8)
    b[:2] = 0             # classes 0 and 2: 8 pixels each in map b
    write_maps(tmp_path, [a, b])
    pixels, present, maps = label_counts(str(tmp_path), 3)
    assert maps == 2
    assert pixels.tolist() == [13 + 8, 2, 8]
    assert present.tolist() == [15 + 16, 15, 16]
    weights = median_frequency_weights(pixels, present)
    freq = pixels / present
    assert np.allclose(weights, np.median(freq) / freq)
    # the rarest class gets the largest weight, the median class weight 1
    assert weights.argmax() == 1 and np.isclose(sorted(weights)[1], 1)
    # power 0.5 is the square root: the same order, a smaller spread
    soft = median_frequency_weights(pixels, present, power=0.5)
    assert np.allclose(soft, np.sqrt(weights))
    assert soft.max() / soft.min() < weights.max() / weights.min()


def test_bad_labels_are_named(tmp_path):
    write_maps(tmp_path, [np.full((2, 2), 7, np.uint8)])
    with pytest.raises(ValueError, match=r'0\.png.*label 7 >= num_classes 3'):
        label_counts(str(tmp_path), 3)
    with pytest.raises(FileNotFoundError, match='no .png label maps'):
        label_counts(str(tmp_path / 'missing'), 3)
    with pytest.raises(ValueError, match=r'classes \[1\] never appear'):
        median_frequency_weights([5, 0], [10, 10])
    with pytest.raises(ValueError, match='power must be > 0'):
        median_frequency_weights([5, 5], [10, 10], power=0)



def test_the_128px_parser_config_weights_its_loss(build_in_scope, repo):
    """The config's weights reach mmseg's cross-entropy: the same logits
    give another loss than unweighted, and the inner mouth counts more."""
    import torch
    from mmengine.config import Config
    cfg = Config.fromfile(osp.join(
        repo, 'configs/parser/segnet_s4c16_1xb8-6k_celebamask-hq-128x128.py'))
    weights = cfg.model.decode_head.loss_decode.class_weight
    loss = build_in_scope('mmseg', cfg.model).decode_head.loss_decode
    assert loss.class_weight == weights and len(weights) == 9
    label = torch.tensor([[[6, 6], [1, 1]]])  # half inner mouth, half skin
    says_skin = torch.zeros(1, 9, 2, 2)
    says_skin[:, 1] = 5
    says_mouth = torch.zeros(1, 9, 2, 2)
    says_mouth[:, 6] = 5
    # missing the mouth costs far more than missing the skin
    assert loss(says_skin, label) > 10 * loss(says_mouth, label)
    plain = build_in_scope('mmseg', dict(type='CrossEntropyLoss'))
    assert torch.isclose(plain(says_skin, label), plain(says_mouth, label))


def test_prior_correction_divides_the_weights_out_at_inference(
        build_in_scope, repo):
    """Training sees the raw logits (the weighted loss needs them);
    prediction subtracts log(class_weight), so a class up-weighted 10x
    must be 10x more likely to win."""
    import torch
    from mmengine.config import Config
    cfg = Config.fromfile(osp.join(
        repo, 'configs/parser/segnet_s4c16_1xb8-6k_celebamask-hq-128x128.py'))
    assert cfg.model.decode_head.prior_correction
    model = build_in_scope('mmseg', cfg.model)
    head, x = model.decode_head, torch.rand(1, 3, 32, 32)
    bias = head.logit_bias

    def logits(train, with_bias):
        model.train(train)
        head.logit_bias = bias if with_bias else None
        torch.manual_seed(0)  # the same dropout in training mode
        with torch.no_grad():
            return model(x, mode='tensor')

    w = torch.tensor(cfg.model.decode_head.loss_decode.class_weight)
    assert torch.allclose(logits(False, True), logits(False, False) -
                          w.log().view(1, -1, 1, 1), atol=1e-5)
    assert torch.equal(logits(True, True), logits(True, False))
    head = dict(cfg.model.decode_head, loss_decode=dict(
        type='CrossEntropyLoss'))
    with pytest.raises(ValueError, match='prior_correction needs one '
                       'loss_decode with a class_weight of 9 values'):
        build_in_scope('mmseg', head)


def test_a_parser_trained_without_the_weights_is_refused(build_in_scope,
                                                         repo, tmp_path):
    """The correction travels with the checkpoint: an unweighted parser's
    checkpoint does not load into the corrected config (it would be biased
    against its small classes), and the corrected one loads."""
    import torch
    from mmengine.config import Config

    from fcsr_mm.parsing import build_segmentor
    path = osp.join(repo, 'configs/parser/'
                    'segnet_s4c16_1xb8-6k_celebamask-hq-128x128.py')
    cfg = Config.fromfile(path)
    plain = dict(cfg.model, decode_head=dict(
        cfg.model.decode_head, prior_correction=False,
        loss_decode=dict(type='CrossEntropyLoss')))
    old = tmp_path / 'plain.pth'
    torch.save({'state_dict': build_in_scope('mmseg', plain).state_dict()},
               old)
    with pytest.raises(RuntimeError, match='(?s)does not fit.*logit_bias'):
        build_segmentor(path, str(old))
    new = tmp_path / 'weighted.pth'
    torch.save({'state_dict': build_in_scope('mmseg', cfg.model)
                .state_dict()}, new)
    head = build_segmentor(path, str(new)).decode_head
    w = torch.tensor(cfg.model.decode_head.loss_decode.class_weight)
    assert torch.allclose(head.logit_bias.flatten(), -w.log())
