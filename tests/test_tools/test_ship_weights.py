"""tools/deployment/ship_weights.py: the generator alone in fp16 loads
strictly into the inference model and restores like the full checkpoint."""
import os.path as osp

import numpy as np
import pytest
import torch


def test_shipped_generator_restores_like_the_checkpoint(trained_fcsr, tool,
                                                        synthetic_root,
                                                        tmp_path):
    from fcsr_mm.apis import init_restorer, restore_faces
    ship = tool('deployment/ship_weights.py')
    out = str(tmp_path / 'shipped.pth')
    ship.main([trained_fcsr['checkpoint'], out, '--prefix', 'generator.'])
    saved = torch.load(out, weights_only=False)
    assert saved['state_dict'] and all(k.startswith('generator.')
                                       for k in saved['state_dict'])
    assert all(v.dtype == torch.float16 for v in saved['state_dict'].values()
               if torch.is_floating_point(v))
    assert osp.getsize(out) < osp.getsize(trained_fcsr['checkpoint']) / 2
    full = init_restorer(trained_fcsr['config'], trained_fcsr['checkpoint'],
                         precision='fp32')
    small = init_restorer(trained_fcsr['config'], out, precision='fp32')
    face = osp.join(synthetic_root, 'aligned', 'images',
                    open(osp.join(synthetic_root, 'aligned', 'meta',
                                  'test.txt')).readline().strip())
    a = restore_faces(full, [face], 'O3')[0]['pred_img'].astype(int)
    b = restore_faces(small, [face], 'O3')[0]['pred_img'].astype(int)
    assert np.abs(a - b).max() <= 3
    with pytest.raises(SystemExit, match='already exists'):
        ship.main([trained_fcsr['checkpoint'], out])
    with pytest.raises(SystemExit, match='no state-dict entry'):
        ship.main([trained_fcsr['checkpoint'], str(tmp_path / 'x.pth'),
                   '--prefix', 'nothing.'])
    with pytest.raises(SystemExit, match='over --max-mb'):
        ship.main([trained_fcsr['checkpoint'], str(tmp_path / 'y.pth'),
                   '--max-mb', '0.001'])
    assert not osp.exists(tmp_path / 'y.pth')
