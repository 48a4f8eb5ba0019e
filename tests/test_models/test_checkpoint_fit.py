"""load_from / test.py with checkpoints: stage 1 -> stage 2 loads quietly
(the generator, no wall of unexpected keys); a checkpoint of another config
is refused naming the file and the mismatched generator weights."""
import os.path as osp

import pytest
import torch

PAPER_STAGE2 = 'fcsr_gan/fcsr-gan_stage2_1xb16-200k_celeba-128x128.py'


def test_stage1_checkpoint_into_stage2_and_a_misfit(
        tool, repo, trained_parsers, synthetic_root, fcsr_options, tmp_path,
        capfd):
    root = f'{synthetic_root}/aligned'
    train = tool('train.py')
    s1 = 'fcsr_stage1_synthetic.py'
    train.main([osp.join(repo, 'configs', s1), '--work-dir',
                str(tmp_path / 's1')] +
               fcsr_options(s1, trained_parsers, root, 1))
    ckpt = str(tmp_path / 's1' / 'iter_1.pth')
    capfd.readouterr()
    s2 = 'fcsr_stage2_synthetic.py'
    train.main([osp.join(repo, 'configs', s2), '--work-dir',
                str(tmp_path / 's2')] +
               fcsr_options(s2, trained_parsers, root, 1,
                            {'load_from': ckpt}.items()))
    log = capfd.readouterr()
    text = log.out + log.err
    assert 'unexpected key' not in text and 'missing keys' not in text
    assert 'FCSRGAN: generator loaded' in text
    s1_state = torch.load(ckpt, map_location='cpu',
                          weights_only=False)['state_dict']
    s2_state = torch.load(tmp_path / 's2' / 'iter_1.pth', map_location='cpu',
                          weights_only=False)['state_dict']
    # stage 2's first phase trains the SR module only: completion as loaded
    comp = [k for k in s1_state if k.startswith('generator.completion.')]
    assert comp and all(torch.equal(s1_state[k], s2_state[k]) for k in comp)
    # the stage-2 synthetic SR module (32 channels) does not fit the CelebA
    # stage-2 config's (64 channels)
    misfit = osp.join(repo, 'configs', PAPER_STAGE2)
    with pytest.raises(SystemExit, match=r'iter_1\.pth: the checkpoint does '
                       r'not fit the generator.*generator\.sr\.'):
        train.main([misfit, '--work-dir', str(tmp_path / 'x')] +
                   fcsr_options(PAPER_STAGE2, trained_parsers,
                                root, 1, {'load_from': str(
                                    tmp_path / 's2' / 'iter_1.pth')}.items()))
    # test.py reads the config stored in the checkpoint first ...
    test = tool('test.py')
    args = [misfit, str(tmp_path / 's2' / 'iter_1.pth'), '--work-dir',
            str(tmp_path / 't')] + fcsr_options(PAPER_STAGE2,
                                                trained_parsers, root, 1)
    with pytest.raises(SystemExit, match=r"iter_1\.pth' was trained with "
                       r'fcsr_stage2_synthetic_\d+_\d+, whose model differs '
                       r'from that of .*fcsr-gan_stage2_1xb16-200k_'
                       r'celeba-128x128\.py: another '
                       r'generator \(sr\.mid_channels, sr\.num_blocks, '
                       r'sr_upsampler differ\)'):
        test.main(args)
    # ... and, told to go on, the strict load still refuses the misfit
    with pytest.raises(SystemExit, match=r'iter_1\.pth: the checkpoint does '
                       r'not fit'):
        test.main(args + ['--allow-other-config'])
    # a stage-1 checkpoint fits stage 2's generator weight for weight, but
    # its SR module never trained: the stored config tells
    with pytest.raises(SystemExit, match=r"iter_1\.pth' was trained with "
                       r'fcsr_stage1_synthetic_.*never trained sr'):
        test.main([osp.join(repo, 'configs', s2), ckpt, '--work-dir',
                   str(tmp_path / 't2')] +
                  fcsr_options(s2, trained_parsers, root, 1))


def test_the_loss_networks_keep_the_files_the_config_names(
        trained_parsers, capfd):
    """A checkpoint's copy of a frozen parser (saved before the parser was
    retrained) never replaces the parser the config names."""
    from fcsr_model import build, model_cfg
    model = build(model_cfg(trained_parsers))
    own = {k: v.clone() for k, v in model.state_dict().items()}
    stale = dict(own)
    parser_keys = [k for k in own if k.startswith('losses.parsing.')
                   and own[k].is_floating_point()]
    assert parser_keys
    for k in parser_keys:
        stale[k] = own[k] + 1.0
    generator_key = next(k for k in own if k.startswith('generator.'))
    stale[generator_key] = own[generator_key] + 1.0
    capfd.readouterr()
    model.load_state_dict(stale)
    text = ''.join(capfd.readouterr())
    state = model.state_dict()
    assert all(torch.equal(state[k], own[k]) for k in parser_keys)
    assert torch.equal(state[generator_key], stale[generator_key])
    assert "copies of losses parsing differ" in text
