"""fcsr_mm.apis and tools/restore.py on a tiny random-weight model."""
import os
import os.path as osp
import re

import cv2
import numpy as np
import pytest
import torch

from fcsr_mm.apis import init_restorer, load_face, occlusion_mask, \
    restore_faces

CONFIG = 'configs/fcsr_stage2_synthetic.py'
PAPER_STAGE2 = 'fcsr_gan/fcsr-gan_stage2_1xb16-200k_celeba-128x128.py'


@pytest.fixture(scope='module')
def model(repo):
    torch.manual_seed(0)
    return init_restorer(osp.join(repo, CONFIG))


@pytest.fixture(scope='module')
def faces(synthetic_root):
    folder = osp.join(synthetic_root, 'aligned', 'images')
    return [osp.join(folder, f) for f in sorted(os.listdir(folder))[:3]]


def test_restore_shapes_and_known_pixels(model, faces):
    out = restore_faces(model, faces, occlusion='O3')
    hole = occlusion_mask('O3')
    assert len(out) == 3
    for path, result in zip(faces, out):
        assert result['input'].shape == result['pred_lr'].shape == (32, 32, 3)
        assert result['pred_img'].shape == (128, 128, 3)
        assert all(result[k].dtype == np.uint8
                   for k in ('input', 'pred_lr', 'pred_img'))
        np.testing.assert_array_equal(result['mask'], hole)  # what it filled
        face = load_face(path)  # the 128 px face, downscaled
        # outside the hole: the input as given; inside: noise, then the model
        np.testing.assert_array_equal(result['input'][~hole], face[~hole])
        np.testing.assert_array_equal(result['pred_lr'][~hole], face[~hole])
        assert np.abs(result['input'][hole].astype(int)
                      - face[hole].astype(int)).mean() > 10


def test_the_api_takes_a_baseline_config(repo, faces):
    """Models without losses/discriminators (FaceBaseline here) build as
    they are: the API strips those only where the config has them."""
    base = init_restorer(osp.join(repo, 'configs/baselines/telea_synthetic.py'))
    hole = occlusion_mask('O3')
    for path, result in zip(faces, restore_faces(base, faces, 'O3')):
        assert result['pred_img'].shape == (128, 128, 3)
        face = load_face(path)
        np.testing.assert_array_equal(result['pred_lr'][~hole], face[~hole])
        assert np.abs(result['pred_lr'][hole].astype(int)
                      - result['input'][hole]).mean() > 10  # Telea filled


def test_occlusion_forms_agree_and_seed_repeats(model, faces):
    box = (20, 8, 10, 16)
    mask = np.zeros((32, 32), np.uint8)
    mask[20:30, 8:24] = 255
    by_box = restore_faces(model, faces[:1], occlusion=box, seed=3)[0]
    by_mask = restore_faces(model, faces[:1], occlusion=[mask], seed=3)[0]
    np.testing.assert_array_equal(by_box['pred_img'], by_mask['pred_img'])
    other = restore_faces(model, faces[:1], occlusion=box, seed=4)[0]
    assert not np.array_equal(by_box['input'], other['input'])
    # a 32x32 array in and its 128 px original in give the same input
    small, big = load_face(faces[0]), cv2.imread(faces[0])
    a, b = (restore_faces(model, [f], occlusion=box, seed=3)[0]
            for f in (small, big))
    np.testing.assert_array_equal(a['input'], b['input'])
    np.testing.assert_array_equal(a['pred_img'], b['pred_img'])


def test_api_input_is_the_test_set_input(model, repo, synthetic_root):
    """The same face and occlusion give the same input tensor through the
    config's test dataset and through restore_faces."""
    from mmagic.registry import DATASETS
    from mmengine.config import Config
    from mmengine.registry import DefaultScope
    cfg = Config.fromfile(osp.join(repo, CONFIG))
    ds_cfg = dict(cfg.test_dataloader.dataset.to_dict(),
                  data_root=f'{synthetic_root}/aligned')
    ds_cfg['pipeline'][2]['occlusion'] = 'O4'
    with DefaultScope.overwrite_default_scope('mmagic'):
        dataset = DATASETS.build(ds_cfg)
    for i in (0, 1):
        sample = dataset[i]
        path = dataset.get_data_info(i)['gt_path']
        via_api = restore_faces(model, [path], occlusion='O4')[0]['input']
        expected = sample['inputs'].permute(1, 2, 0).numpy()
        np.testing.assert_array_equal(via_api, expected)
    # the random test block is the dataset's too (seeded by the file name)
    ds_cfg['pipeline'][2]['occlusion'] = 'random'
    with DefaultScope.overwrite_default_scope('mmagic'):
        dataset = DATASETS.build(ds_cfg)
    path = dataset.get_data_info(0)['gt_path']
    via_api = restore_faces(model, [path], occlusion='random')[0]['input']
    np.testing.assert_array_equal(
        via_api, dataset[0]['inputs'].permute(1, 2, 0).numpy())


def test_checkpoint_round_trip(model, faces, repo, tmp_path):
    ckpt = str(tmp_path / 'model.pth')
    torch.save({'state_dict': model.state_dict()}, ckpt)
    torch.manual_seed(123)
    loaded = init_restorer(osp.join(repo, CONFIG), ckpt)
    fresh = init_restorer(osp.join(repo, CONFIG))
    a, b, c = (restore_faces(m, faces[:2], occlusion='O6')
               for m in (model, loaded, fresh))
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x['pred_img'], y['pred_img'])
    assert not np.array_equal(a[0]['pred_img'], c[0]['pred_img'])


@pytest.mark.parametrize('occlusion,match', [
    ('O7', 'unknown occlusion'),
    ('random', 'no fixed hole'),
    ((1, 2, 3), 'not a name'),
    ((30, 0, 8, 8), 'does not fit'),
    (np.zeros((32, 32)), 'hides no pixel'),
    (np.ones((16, 16)), 'must be 32x32'),
])
def test_bad_occlusions(occlusion, match):
    with pytest.raises(ValueError, match=match):
        occlusion_mask(occlusion)


def test_bad_inputs(model, faces, tmp_path):
    wrong = str(tmp_path / 'wide.png')
    cv2.imwrite(wrong, np.zeros((40, 50, 3), np.uint8))
    with pytest.raises(ValueError, match=r'wide\.png: the face is 50x40'):
        restore_faces(model, [wrong], occlusion='O1')
    corrupt = str(tmp_path / 'corrupt.png')
    open(corrupt, 'wb').write(b'not a png')
    with pytest.raises(ValueError, match=r'corrupt\.png: could not be read'):
        restore_faces(model, [corrupt], occlusion='O1')
    with pytest.raises(ValueError, match=r'<array 0>: .*must be 32x32'):
        restore_faces(model, [cv2.imread(faces[0])],
                      occlusion=np.ones((16, 16)))
    with pytest.raises(ValueError, match='2 occlusions for 3 faces'):
        restore_faces(model, faces, occlusion=['O1', 'O2'])
    with pytest.raises(FileNotFoundError, match='missing.pth'):
        init_restorer(CONFIG, str(tmp_path / 'missing.pth'))
    with pytest.raises(RuntimeError, match='inference only'):
        model.train_step({}, None)


def test_restore_cli(repo, tool, faces, model, tmp_path):
    ckpt = str(tmp_path / 'model.pth')
    torch.save({'state_dict': model.state_dict()}, ckpt)
    restore = tool('restore.py')
    out_dir = str(tmp_path / 'out')
    args = [osp.join(repo, CONFIG), ckpt, *faces[:2], '--out-dir', out_dir,
            '--box', '8,4,12,24', '--save-strip']
    outs = restore.main(args)
    assert sorted(os.listdir(out_dir)) == sorted(
        [osp.basename(o) for o in outs]
        + [osp.basename(o)[:-4] + '_strip.png' for o in outs])
    assert cv2.imread(outs[0]).shape == (128, 128, 3)
    assert cv2.imread(outs[0][:-4] + '_strip.png').shape == (128, 384, 3)
    before = open(outs[0], 'rb').read()
    with pytest.raises(SystemExit, match='already exist'):
        restore.main(args[:-1] + ['--seed', '5'])
    assert open(outs[0], 'rb').read() == before
    with pytest.raises(SystemExit, match='four integers'):
        restore.main(args[:4] + ['--out-dir', str(tmp_path / 'b'),
                                 '--box', '1,2,3'])
    with pytest.raises(SystemExit, match='no mask for'):
        restore.main(args[:4] + ['--out-dir', str(tmp_path / 'c'),
                                 '--masks', str(tmp_path)])
    masks = tmp_path / 'masks'
    masks.mkdir()
    for f in faces[:2]:
        cv2.imwrite(str(masks / osp.basename(f)), np.zeros((64, 64), np.uint8))
    with pytest.raises(SystemExit, match=r'mask .*: 64x64, 0 hidden pixels'):
        restore.main(args[:4] + ['--out-dir', str(tmp_path / 'd'),
                                 '--masks', str(masks)])
    assert not osp.exists(tmp_path / 'd')


def test_checkpoint_of_another_config_is_refused(repo, faces, tmp_path):
    """A CelebA checkpoint (a 64-channel SR module) with the synthetic
    config (32 channels): refused with both names, not restored with random
    layers."""
    other = init_restorer(osp.join(repo, 'configs', PAPER_STAGE2))
    ckpt = str(tmp_path / 'stage1.pth')
    torch.save({'state_dict': other.state_dict()}, ckpt)
    with pytest.raises(ValueError, match=r'stage1\.pth.* does not fit the '
                       r'model of .*fcsr_stage2_synthetic\.py.*of another '
                       r'shape'):
        init_restorer(osp.join(repo, CONFIG), ckpt)
    sr_only = {k: v for k, v in other.state_dict().items()
               if not k.startswith('generator.completion.')}
    torch.save({'state_dict': sr_only}, ckpt)
    with pytest.raises(ValueError, match='weights missing'):
        init_restorer(osp.join(repo, 'configs', PAPER_STAGE2), ckpt)


def test_restore_cli_keeps_going_and_never_overwrites(repo, tool, faces,
                                                      model, tmp_path):
    ckpt = str(tmp_path / 'model.pth')
    torch.save({'state_dict': model.state_dict()}, ckpt)
    restore = tool('restore.py')
    folder = tmp_path / 'in'
    folder.mkdir()
    for f in faces[:2]:
        cv2.imwrite(str(folder / osp.basename(f)), cv2.imread(f))
    (folder / 'broken.png').write_bytes(b'not a png')
    out_dir = tmp_path / 'out'
    base = [osp.join(repo, CONFIG), ckpt, str(folder), '--out-dir',
            str(out_dir), '--occlusion', 'O3']
    # one corrupt face: the others are restored, the failure is named
    with pytest.raises(SystemExit, match=r'1 of 3 faces failed:\n.*'
                       r'broken\.png: could not be read'):
        restore.main(base)
    assert sorted(os.listdir(out_dir)) == sorted(
        osp.basename(f) for f in faces[:2])
    # an existing strip is not replaced without --overwrite
    strip = out_dir / (osp.splitext(osp.basename(faces[0]))[0]
                       + '_strip.png')
    strip.write_bytes(b'keep')
    (folder / 'broken.png').unlink()
    for f in os.listdir(out_dir):
        if not f.endswith('_strip.png'):
            os.remove(out_dir / f)
    with pytest.raises(SystemExit, match='_strip.png'):
        restore.main(base + ['--save-strip'])
    assert strip.read_bytes() == b'keep'
    # an input named like another's strip would overwrite it
    stem = osp.splitext(osp.basename(faces[0]))[0]
    cv2.imwrite(str(folder / f'{stem}_strip.png'), cv2.imread(faces[0]))
    with pytest.raises(SystemExit, match='two outputs would both be'):
        restore.main(base[:4] + [str(tmp_path / 'o2'), '--occlusion', 'O3',
                                 '--save-strip'])
    assert not osp.exists(tmp_path / 'o2')


def test_restore_cli_runs_a_baseline_without_checkpoint(repo, tool, faces,
                                                        tmp_path):
    restore = tool('restore.py')
    args = [faces[0], '--out-dir', str(tmp_path / 'out'), '--occlusion', 'O3']
    written = restore.main(
        [osp.join(repo, 'configs/baselines/telea_synthetic.py'), 'none']
        + args)
    assert cv2.imread(written[0]).shape == (128, 128, 3)
    with pytest.raises(SystemExit, match=r'fcsr_stage2_synthetic\.py: its '
                       'model needs a trained checkpoint'):
        restore.main([osp.join(repo, CONFIG), 'none'] + args[:2]
                     + [str(tmp_path / 'o2'), '--occlusion', 'O3'])
    assert not osp.exists(tmp_path / 'o2')


def test_an_sr_first_sequence_restores_without_pred_lr(repo, tool, faces,
                                                        tmp_path):
    """SR, then completion at 128 px (the paper's SRResNet -> GFC): no
    completed 32x32 face, so results and strips go without it. Tiny
    untrained steps stand in for the comparison's trained ones."""
    from mmengine.config import Config
    cfg = Config.fromfile(
        osp.join(repo, 'configs/comparison/msrresnet_gl128_celeba128.py'))
    cfg.model.steps = [
        dict(role='sr', model=dict(
            type='BaseEditModel', pixel_loss=dict(type='L1Loss'),
            generator=dict(type='MSRResNet', in_channels=3, out_channels=3,
                           mid_channels=8, num_blocks=1, upscale_factor=4),
            data_preprocessor=dict(type='DataPreprocessor', mean=[0.] * 3,
                                   std=[255.] * 3))),
        dict(role='inpaint', model=dict(
            type='GLInpaintor', encdec=dict(type='GLEncoderDecoder'),
            disc=None, loss_l1_hole=dict(type='L1Loss'),
            data_preprocessor=dict(type='DataPreprocessor', mean=[127.5],
                                   std=[127.5])))]
    config = str(tmp_path / 'sr_then_gl.py')
    cfg.dump(config)
    out = restore_faces(init_restorer(config), faces[:2], 'O3')
    assert [sorted(r) for r in out] == [['input', 'mask', 'pred_img']] * 2
    assert out[0]['pred_img'].shape == (128, 128, 3)
    restore = tool('restore.py')
    args = [faces[0], '--out-dir', str(tmp_path / 'out'), '--occlusion', 'O3']
    written = restore.main([config, 'none'] + args + ['--save-strip'])
    strip = cv2.imread(written[0].replace('.png', '_strip.png'))
    assert strip.shape == (128, 256, 3)  # input | result
    # its weights come from its config: a checkpoint as well is refused
    with pytest.raises(SystemExit, match=r'\(SequentialRestorer\) loads '
                       'the weights its config names; give no checkpoint'):
        restore.main([config, written[0]] + args[:2]
                     + [str(tmp_path / 'o2'), '--occlusion', 'O3'])


def test_a_misfit_checkpoint_of_an_mmagic_model_is_one_line(repo, tmp_path):
    """mmengine's strict load lists every key; the API gives counts."""
    ckpt = tmp_path / 'other.pth'
    torch.save({'state_dict': {'generator.x': torch.zeros(1)}}, ckpt)
    config = osp.join(repo, 'configs/peers/'
                      'msrresnet_x4c64b16_1xb16-cpu_celeba128.py')
    with pytest.raises(ValueError) as err:
        init_restorer(config, str(ckpt))
    assert '\n' not in str(err.value)
    assert re.search(r'other\.pth.* does not fit the model of .*msrresnet.*'
                     r'74 weights missing \(e\.g\. generator\.conv_first\.'
                     r'weight\); 1 unknown weights \(e\.g\. generator\.x\)',
                     str(err.value))


def test_run_test_loads_as_strictly_as_the_api(repo, tmp_path):
    """mmengine's Runner would load a misfit checkpoint non-strictly (a
    warning, random layers, a table row); run_test refuses it."""
    from fcsr_mm.apis import run_test
    ckpt = tmp_path / 'other.pth'
    torch.save({'state_dict': {'generator.x': torch.zeros(1)}}, ckpt)
    config = osp.join(repo, 'configs/peers/'
                      'msrresnet_x4c64b16_1xb16-cpu_celeba128.py')
    with pytest.raises(ValueError, match=r'other\.pth: the checkpoint does '
                       r'not fit the model of .*74 weights missing'):
        run_test(config, str(ckpt), work_dir=str(tmp_path / 'w'))


def test_the_cli_writes_what_the_api_returns(repo, tool, faces, model,
                                             tmp_path):
    """Same faces, box, mask, fill and seed: restore.py's files are the
    API's results, pixel for pixel."""
    ckpt = str(tmp_path / 'model.pth')
    torch.save({'state_dict': model.state_dict()}, ckpt)
    restore = tool('restore.py')
    box = (8, 4, 12, 24)
    mask = np.zeros((32, 32), np.uint8)
    mask[18:28, 6:26] = 255
    masks = tmp_path / 'masks'
    masks.mkdir()
    for f in faces[:2]:
        cv2.imwrite(str(masks / osp.basename(f)), mask)
    cases = {
        'box': (['--box', '8,4,12,24', '--fill', 'uniform', '--seed', '3'],
                dict(occlusion=box, fill='uniform', seed=3)),
        'masks': (['--masks', str(masks), '--fill', 'zeros'],
                  dict(occlusion=[mask, mask], fill='zeros')),
    }
    results = {}
    for name, (cli, api) in cases.items():
        out_dir = str(tmp_path / f'out_{name}')
        written = restore.main([osp.join(repo, CONFIG), ckpt, *faces[:2],
                                '--out-dir', out_dir, *cli])
        want = restore_faces(model, faces[:2], **api)
        for path, result in zip(written, want):
            np.testing.assert_array_equal(cv2.imread(path),
                                          result['pred_img'])
        results[name] = want
    # the fill reaches the model's input: zeros in the hole, not the
    # config's noise
    assert (results['masks'][0]['input'][mask > 0] == 0).all()
    default = restore_faces(model, faces[:1], [mask])[0]
    assert default['input'][mask > 0].std() > 20
