"""tools/train.py trains a parser config; tools/test.py scores it (mIoU)."""
import json
import os.path as osp


def test_train_then_test_prints_miou(trained_parsers, synthetic_parser_root,
                                     data_opts, tool, tmp_path, capsys):
    cfg, ckpt = trained_parsers[32]
    assert osp.isfile(ckpt)
    test = tool('test.py')
    opts = [f'{k}={v}' for k, v in data_opts(synthetic_parser_root).items()]
    opts += ['default_hooks.visualization.interval=1',
             f'visualizer.name=vis_{tmp_path.name}']
    out = tmp_path / 'metrics.json'
    metrics = test.main([cfg, ckpt, '--work-dir', str(tmp_path), '--out',
                         str(out), '--cfg-options', *opts])
    assert 0 <= metrics['mIoU'] <= 100
    assert 'mIoU' in json.loads(out.read_text())
    # parses drawn next to the ground truth
    vis = list(tmp_path.glob('**/vis_data/vis_image/*.png'))
    assert vis, 'no visualisation written'


def test_checkpoint_has_dataset_meta(trained_parsers):
    import torch
    _, ckpt = trained_parsers[128]
    meta = torch.load(ckpt, weights_only=True, map_location='cpu')['meta']
    assert meta['dataset_meta']['classes'][3] == 'eyes'
