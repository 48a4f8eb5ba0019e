"""Face-parsing datasets for mmseg, in the 9-class set of ``face_labels``.

Both read the converters' output (``tools/dataset_converters/helen.py`` and
``celebamask_hq.py``): ``images/<split>/<name>.png`` with
``labels/<split>/<name>.png``. Left and right parts share a class, so
``RandomFlip`` needs no label swap.
"""
import os.path as osp
from typing import List, Optional

from mmseg.datasets import BaseSegDataset
from mmseg.registry import DATASETS

from fcsr_mm.data.face_labels import FACE_CLASSES, FACE_PALETTE
from fcsr_mm.data.occluder_converters import read_kinds

#: classes of the occlusion segmenter's labels
OCCLUSION_CLASSES = ('clear', 'occluder')


class FaceParsingDataset(BaseSegDataset):
    """Shared base: the 9 face classes and a check that no label is missing.

    Args:
        img_suffix (str): Default: '.png'.
        seg_map_suffix (str): Default: '.png'.
        **kwargs: ``BaseSegDataset`` arguments (``data_root``,
            ``data_prefix``, ``pipeline``, ...).
    """
    METAINFO = dict(classes=FACE_CLASSES, palette=FACE_PALETTE)

    def __init__(self, img_suffix='.png', seg_map_suffix='.png', **kwargs):
        super().__init__(img_suffix=img_suffix, seg_map_suffix=seg_map_suffix,
                         reduce_zero_label=False, **kwargs)

    def load_data_list(self) -> List[dict]:
        img_dir = self.data_prefix.get('img_path')
        if not osp.isdir(img_dir):
            raise FileNotFoundError(
                f'{type(self).__name__}: image folder {img_dir!r} not found; '
                'run the converter in tools/dataset_converters/ first')
        data_list = super().load_data_list()
        if not data_list:
            raise FileNotFoundError(f'{type(self).__name__}: no '
                                    f'*{self.img_suffix} images in {img_dir!r}')
        missing = [d['seg_map_path'] for d in data_list
                   if 'seg_map_path' in d and not osp.isfile(d['seg_map_path'])]
        if missing:
            raise FileNotFoundError(
                f'{type(self).__name__}: {len(missing)} label file(s) missing, '
                f'e.g. {missing[0]!r}; every image needs a label map of the '
                'same name')
        return data_list


@DATASETS.register_module()
class HelenFaceDataset(FaceParsingDataset):
    """Helen (Le et al., ECCV 2012) after ``tools/dataset_converters/helen.py``.

    Helen's 11 labels map to the 9 classes by merging the two eyes and the
    two brows (``fcsr_mm.data.face_labels.HELEN_TO_FACE``).
    """


@DATASETS.register_module()
class CelebAMaskHQFaceDataset(FaceParsingDataset):
    """CelebAMask-HQ after ``tools/dataset_converters/celebamask_hq.py``.

    Its 19 labels map to the 9 classes as documented in
    ``fcsr_mm.data.face_labels.CELEBAMASK_HQ_TO_FACE``.
    """


@DATASETS.register_module()
class OccludedFaceDataset(FaceParsingDataset):
    """Aligned faces with their occluders marked (class 1), after
    ``tools/dataset_converters/occluded_faces.py``: the occlusion
    segmenter's data (synthetic occluders and CelebAMask-HQ's eyeglasses
    and hats).

    Args:
        kinds_file (str, optional): The converter's ``meta/kinds_<split>.txt``
            (relative to ``data_root``): each face's occluder kind becomes
            its category (``get_cat_ids``), so mmengine's
            ``ClassBalancedDataset`` can repeat the rare kinds (the few real
            eyeglasses and hats). Default: None (no categories).
        **kwargs: ``FaceParsingDataset`` arguments.
    """
    METAINFO = dict(classes=OCCLUSION_CLASSES, palette=[[0, 0, 0],
                                                        [255, 0, 255]])

    def __init__(self, kinds_file: Optional[str] = None, **kwargs):
        self.kinds_file = kinds_file
        super().__init__(**kwargs)

    def load_data_list(self) -> List[dict]:
        data_list = super().load_data_list()
        if self.kinds_file is None:
            return data_list
        path = osp.join(self.data_root or '', self.kinds_file)
        if not osp.isfile(path):
            raise FileNotFoundError(
                f'{type(self).__name__}: kinds_file {path!r} not found; the '
                'converter writes meta/kinds_<split>.txt (re-run '
                'tools/dataset_converters/occluded_faces.py)')
        kinds = read_kinds(path)
        ids = {k: i for i, k in enumerate(sorted(set(kinds.values())))}
        for info in data_list:
            name = osp.splitext(osp.basename(info['img_path']))[0]
            if name not in kinds:
                raise ValueError(f'{path}: no kind for {name!r}; the list and '
                                 'the images come from different '
                                 'conversions: re-run the converter')
            info['occluder_kind'] = kinds[name]
            info['occluder_kind_id'] = ids[kinds[name]]
        return data_list

    def get_cat_ids(self, idx: int) -> List[int]:
        """The face's occluder kind as its one category."""
        info = self.get_data_info(idx)
        if 'occluder_kind_id' not in info:
            raise ValueError(f'{type(self).__name__}.get_cat_ids needs '
                             'kinds_file (the converter\'s '
                             'meta/kinds_<split>.txt)')
        return [info['occluder_kind_id']]
