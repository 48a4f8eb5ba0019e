"""The completion module's options beyond the paper: the mask as an input
channel and the known pixels joined into the decoder (issue 19)."""
import pytest
import torch

from fcsr_mm.models.completion_net import FCSRCompletionNet


def face_and_mask(n=2):
    torch.manual_seed(0)
    img = torch.rand(n, 3, 32, 32) * 2 - 1
    mask = torch.zeros(n, 1, 32, 32)
    mask[..., 8:24, 8:24] = 1
    return img, mask


@pytest.mark.parametrize('kwargs', [
    dict(), dict(mask_input=True),
    dict(mask_input=True, known_skips=(1, 2, 3)),
    dict(mask_input=True, known_skips=(0, 1, 2, 3)),
    dict(mask_input=True, known_skips=(1, 2, 3),
         decoder_norm_cfg=dict(type='BN')),
    dict(mask_input=True, known_skips=(1, 2, 3), mirror_known=True)])
def test_variants_keep_the_paper_size(kwargs):
    net = FCSRCompletionNet(**kwargs)
    net.init_weights()
    params = sum(p.numel() for p in net.parameters())
    assert 3.5e6 * 0.9 <= params <= 3.5e6 * 1.1, params
    img, mask = face_and_mask()
    out = net(img, mask)
    assert out.shape == img.shape
    # the known pixels pass through unchanged
    assert torch.equal(out * (1 - mask), img * (1 - mask))


def test_known_skips_bring_the_border_to_the_decoder():
    """With skips, the hole's prediction depends on the known pixels even
    when the bottleneck's code is held fixed."""
    img, mask = face_and_mask(1)
    moved = img.clone()
    moved[..., 24:, :] += 0.5  # known pixels below the hole
    for skips, depends in (((), False), ((3, ), True)):
        net = FCSRCompletionNet(known_skips=skips).eval()
        net.init_weights()
        code = {}
        net.fc_decode.register_forward_hook(
            lambda m, i, o: code.setdefault('x', o) if 'x' not in code
            else code['x'])
        with torch.no_grad():
            a = net(img, mask)
            b = net(moved, mask)  # the decoder sees the first code again
        changed = not torch.allclose(a * mask, b * mask)
        assert changed == depends, skips


def test_mirror_known_lets_the_hole_see_its_mirror():
    """A left-half hole's prediction depends on the right half through the
    mirrored skip only: with the code held fixed and skips at 32 px, a
    change far right of the hole reaches the hole only when mirrored."""
    torch.manual_seed(0)
    img = torch.rand(1, 3, 32, 32) * 2 - 1
    mask = torch.zeros(1, 1, 32, 32)
    mask[..., :, :12] = 1  # the left part hidden
    moved = img.clone()
    moved[..., 24:] += 0.5  # known pixels 12+ columns right of the hole
    for mirror in (False, True):
        net = FCSRCompletionNet(known_skips=(3, ), mirror_known=mirror).eval()
        net.init_weights()
        code = {}
        net.fc_decode.register_forward_hook(
            lambda m, i, o: code.setdefault('x', o) if 'x' not in code
            else code['x'])
        with torch.no_grad():
            a, b = net(img, mask), net(moved, mask)
        # columns 0..3 lie beyond the receptive field of the 32 px convs
        # from column 24 on; only the mirror brings 24..31 to 0..7
        changed = not torch.allclose(a[..., :4], b[..., :4])
        assert changed == mirror
    with pytest.raises(ValueError, match='mirror_known needs known_skips'):
        FCSRCompletionNet(mirror_known=True)


def test_mask_channel_is_seen_and_starts_at_zero_over_vgg(tmp_path):
    import torchvision
    vgg = torchvision.models.vgg19()
    path = str(tmp_path / 'vgg19.pth')
    torch.save(vgg.state_dict(), path)
    net = FCSRCompletionNet(mask_input=True, pretrained_vgg=path)
    net.init_weights()
    first = net.vgg_encoder[0]
    assert first.in_channels == 4
    assert torch.equal(first.weight[:, :3], vgg.features[0].weight)
    assert not first.weight[:, 3].any()


def test_bad_skips_and_missing_mask_are_refused():
    with pytest.raises(ValueError, match='known_skips must name'):
        FCSRCompletionNet(known_skips=(4, ))
    net = FCSRCompletionNet(mask_input=True, blend_known=False)
    with pytest.raises(ValueError, match='needs the hole mask'):
        net(torch.zeros(1, 3, 32, 32))


def test_decoder_norm_follows_every_decoder_conv_only():
    """A norm layer after each decoder conv; the encoder stays VGG's."""
    net = FCSRCompletionNet(decoder_norm_cfg=dict(type='BN'))
    decoder = list(net.decoder)
    convs = [i for i, m in enumerate(decoder[:-1])
             if isinstance(m, torch.nn.Conv2d)]
    assert all(isinstance(decoder[i + 1], torch.nn.BatchNorm2d)
               for i in convs)
    assert not any(isinstance(m, torch.nn.BatchNorm2d)
                   for m in net.vgg_encoder.modules())
    plain = FCSRCompletionNet()
    assert not any(isinstance(m, torch.nn.BatchNorm2d)
                   for m in plain.modules())


def test_default_configs_use_the_measured_module_and_the_ablation_the_papers(
        repo, build_in_scope):
    import os.path as osp

    from mmengine.config import Config
    built = {}
    for name in ('comparison/fcsr_stage1_cpu-short_celeba128.py',
                 'ablation/fcsr_stage1_paper-completion_cpu-short_celeba128.py'):
        cfg = Config.fromfile(osp.join(repo, 'configs', name))
        built[name.split('/')[0]] = (
            build_in_scope('mmagic', cfg.model.generator).completion,
            cfg.optim_wrapper.generator.optimizer.lr)
    ours, ours_lr = built['comparison']
    paper, paper_lr = built['ablation']
    assert ours.mask_input and ours.known_skips == (1, 2, 3)
    assert not paper.mask_input and paper.known_skips == ()
    assert (ours_lr, paper_lr) == (1e-3, 1e-4)
