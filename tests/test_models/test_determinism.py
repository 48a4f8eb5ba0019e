"""Seeded training is repeatable: two runs of the same config with the same
randomness.seed end with identical weights (data pipeline draws included,
in a dataloader worker), and another seed gives other weights."""
import os.path as osp

import torch

CONFIG = 'fcsr_stage1_synthetic.py'


def _train(tool, repo, parsers, root, options, work_dir, seed):
    extra = {
        'randomness.seed': seed,
        # one iteration of each phase: L1, + local adv, all terms
        'model.train_cfg.phases.local_adv.begin': 1,
        'model.train_cfg.phases.all.begin': 2,
        # the data pipeline (flip, occlusion place and fill) in a worker
        'train_dataloader.num_workers': 1,
    }
    tool('train.py').main([osp.join(repo, 'configs', CONFIG), '--work-dir',
                           str(work_dir)] + options(CONFIG, parsers, root, 3,
                                                    extra.items()))
    return torch.load(work_dir / 'iter_3.pth', map_location='cpu',
                      weights_only=False)['state_dict']


def test_same_seed_same_weights(tool, repo, trained_parsers, synthetic_root,
                                fcsr_options, tmp_path):
    root = f'{synthetic_root}/aligned'
    runs = [_train(tool, repo, trained_parsers, root, fcsr_options,
                   tmp_path / name, seed)
            for name, seed in (('a', 0), ('b', 0), ('c', 1))]
    a, b, c = runs
    trained = [k for k in a if k.startswith(('generator.completion.',
                                             'discriminators.'))]
    assert trained and a.keys() == b.keys()
    assert all(torch.equal(a[k], b[k]) for k in a), \
        [k for k in a if not torch.equal(a[k], b[k])][:3]
    assert any(not torch.equal(a[k], c[k]) for k in trained)


def test_deterministic_mode_trains_every_phase(tool, repo, trained_parsers,
                                              synthetic_root, fcsr_options,
                                              tmp_path):
    """randomness.deterministic=True through the parsing phases of both
    stages (the parser's unpooling has a deterministic path)."""
    root = f'{synthetic_root}/aligned'
    stages = {
        'fcsr_stage1_synthetic.py': {
            'model.train_cfg.phases.local_adv.begin': 1,
            'model.train_cfg.phases.all.begin': 2},
        'fcsr_stage2_synthetic.py': {'model.train_cfg.phases.all.begin': 1},
    }
    try:
        for cfg, phases in stages.items():
            extra = dict(phases, **{'randomness.deterministic': True})
            work = tmp_path / cfg[:-3]
            tool('train.py').main(
                [osp.join(repo, 'configs', cfg), '--work-dir', str(work)] +
                fcsr_options(cfg, trained_parsers, root, 3, extra.items()))
            assert osp.isfile(work / 'iter_3.pth')
    finally:  # mmengine switched it on for this process
        torch.use_deterministic_algorithms(False)
