"""Importing fcsr_mm registers every component where configs look for it."""
import fcsr_mm  # noqa: F401

SEG_MODELS = ['SegNetEncoder', 'SegNetHead']
SEG_DATASETS = ['HelenFaceDataset', 'CelebAMaskHQFaceDataset']
SEG_TRANSFORMS = ['LoadFaceAnnotations', 'ResizeFaceForEval']
SEG_VISUALIZERS = ['FaceSegLocalVisualizer']


def test_mmseg_components_registered():
    from mmseg.registry import DATASETS, MODELS, TRANSFORMS, VISUALIZERS
    for name in SEG_MODELS:
        assert name in MODELS.module_dict, name
    for name in SEG_DATASETS:
        assert name in DATASETS.module_dict, name
    for name in SEG_TRANSFORMS:
        assert name in TRANSFORMS.module_dict, name
    for name in SEG_VISUALIZERS:
        assert name in VISUALIZERS.module_dict, name


def test_config_custom_imports_loads_plugin(repo):
    import os.path as osp

    from mmengine.config import Config
    cfg = Config.fromfile(
        osp.join(repo, 'configs/parser/segnet_s3c32_1xb16-10k_celebamask-hq-32x32.py'))
    assert cfg.custom_imports == dict(imports=['fcsr_mm'],
                                      allow_failed_imports=False)
    assert cfg.default_scope == 'mmseg'
