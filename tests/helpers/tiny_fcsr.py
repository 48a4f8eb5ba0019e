"""The synthetic stage configs with narrower networks, for tests that step
the whole FCSR-GAN (test_learning.py, test_bf16_training.py)."""
import json
import os
import os.path as osp

from mmengine.config import Config

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
STAGE1, STAGE2 = 'fcsr_stage1_synthetic.py', 'fcsr_stage2_synthetic.py'
#: narrower networks; the schedules, weights and optimisers stay the configs'
TINY = {
    'model.generator.completion.fc_size': 32,
    'model.generator.completion.extra_channels': (32, 32),
    'model.generator.completion.decoder_channels': ((32, ), (32, 16),
                                                    (16, 16), (16, 16)),
    'model.generator.sr.mid_channels': 8,
    'model.generator.sr.num_blocks': 1,
}
TINY_DISCRIMINATORS = {
    STAGE1: {'model.discriminators.global_lr.base_channels': 8,
             'model.discriminators.local_lr.base_channels': 8},
    STAGE2: {'model.discriminators.global_hr.base_channels': 8,
             'model.discriminators.global_hr.fc_channels': 8,
             'model.discriminators.local_hr.base_channels': 8,
             'model.discriminators.local_hr.fc_channels': 8},
}
PARSERS = {'parsing_lr': 32, 'parsing': 128}


def tiny_config(name: str, parsers: dict) -> Config:
    """Stage config ``name``, narrower, with the tiny trained ``parsers``
    ({32: (config, checkpoint), 128: ...}); the perceptual term on conv1_1
    + ReLU only (its mechanics are checked in test_loss_modules.py; deeper
    layers cost seconds a step at 128 px)."""
    cfg = Config.fromfile(osp.join(REPO, 'configs', name))
    cfg.merge_from_dict(dict(TINY, **TINY_DISCRIMINATORS[name]))
    for key, size in PARSERS.items():
        if cfg.model.losses.get(key):
            loss = cfg.model.losses[key]
            loss.parser_config, loss.parser_checkpoint = parsers[size]
    if cfg.model.losses.get('perceptual'):
        cfg.model.losses.perceptual.layer_weights = {'1': 1.0}
    return cfg


def losses_logged(work_dir, prefixes=('loss', )) -> dict:
    """``{(iter, key): value}`` of the scalars a run logged whose key starts
    with one of ``prefixes``."""
    out = {}
    for d in os.listdir(work_dir):
        path = osp.join(work_dir, d, 'vis_data', 'scalars.json')
        if osp.isfile(path):
            for line in open(path):
                rec = json.loads(line)
                out.update({(rec['iter'], k): v for k, v in rec.items()
                            if k.startswith(tuple(prefixes))})
    return out
