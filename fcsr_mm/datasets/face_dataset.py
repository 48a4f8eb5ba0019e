"""``BasicImageDataset`` that checks its list when it loads it."""
import logging
import os.path as osp
from typing import Optional

from mmengine.logging import print_log

from mmagic.datasets import BasicImageDataset
from mmagic.registry import DATASETS


class FaceDataError(ValueError):
    """Listed faces that cannot be loaded (named in the message)."""


def converter_command(data_root: str) -> str:
    """The command that writes the aligned faces into ``data_root``."""
    if osp.basename(osp.normpath(data_root)) == 'aligned':  # synthetic
        return (f'python tools/dataset_converters/synthetic_faces.py --out '
                f'{osp.dirname(osp.normpath(data_root))} --num 2000')
    return (f'python tools/dataset_converters/celeba.py CELEBA_ROOT --out '
            f'{data_root} (faces already aligned, e.g. ../shared/data/'
            f'celeba128: aligned_faces.py FACES_DIR --out {data_root})')


def missing_data(data_root: Optional[str], ann_path: str) -> Optional[str]:
    """One line naming what is missing (``data_root``, or the list at
    ``ann_path``, already joined with it) and the converter that makes it;
    None when the list exists or there is none."""
    if not ann_path or osp.isfile(ann_path):
        return None
    missing = data_root if data_root and not osp.isdir(data_root) \
        else ann_path
    return (f'{missing} not found: the faces are not converted yet; make '
            'them with '
            f'{converter_command(data_root or osp.dirname(ann_path))}')


@DATASETS.register_module()
class FaceImageDataset(BasicImageDataset):
    """mmagic's ``BasicImageDataset``, refusing at build time (not at some
    later iteration) a missing or empty list or listed images that do not
    exist, naming the list and the files; an image that cannot be loaded
    (e.g. a corrupt file) is named with its path.

    Args:
        skip_bad_images (bool): For training sets: instead of stopping, log
            an image that cannot be loaded (path, reason, how many were
            skipped so far in this process) and train on another one
            (mmengine refetches a random index). Keep it False for test
            sets, whose faces must all be scored. Default: False.
        max_bad_in_a_row (int): With ``skip_bad_images``, stop after this
            many failed loads in a row, or once every listed image has
            failed: the data, not an odd image, is broken. Default: 100.
        **kwargs: ``BasicImageDataset`` arguments.
    """

    def __init__(self, *args, skip_bad_images: bool = False,
                 max_bad_in_a_row: int = 100, **kwargs):
        self.skip_bad_images = skip_bad_images
        self.max_bad_in_a_row = max_bad_in_a_row
        self.skipped, self.bad_in_a_row = 0, 0
        self.bad_indices = set()
        super().__init__(*args, **kwargs)

    @property
    def source(self) -> str:
        """The list (or folder) the images come from."""
        return self.ann_file if self.use_ann_file else \
            self.data_prefix.get('gt', self.data_root)

    def prepare_data(self, idx):
        try:
            data = super().prepare_data(idx)
        except Exception as err:
            path = str(self.get_data_info(idx).get('gt_path', idx))
            if self.skip_bad_images:
                return self._skip(idx, path, err)
            if path in str(err):  # already named (e.g. DegradeFace)
                raise
            raise FaceDataError(f'{path}: could not be loaded as a face image '
                                f'({type(err).__name__}: {err}); replace or '
                                'unlist it, or set skip_bad_images=True on a '
                                'training set') from err
        self.bad_in_a_row = 0
        return data

    def _skip(self, idx: int, path: str, err: Exception):
        self.skipped += 1
        self.bad_in_a_row += 1
        self.bad_indices.add(idx)
        reason = f'{type(err).__name__}: {err}'
        if len(self.bad_indices) >= len(self) or \
                self.bad_in_a_row >= self.max_bad_in_a_row:
            raise FaceDataError(
                f'{self.source}: {len(self.bad_indices)} of the {len(self)} '
                f'listed images could not be loaded ({self.bad_in_a_row} '
                f'failed in a row, e.g. {path}: {reason}); check data_root '
                'and data_prefix, or rerun the dataset converter')
        print_log(f'skipped {path} ({reason}); {self.skipped} image(s) '
                  'skipped so far in this process', logger='current',
                  level=logging.WARNING)
        return None  # mmengine's dataset fetches another index

    def load_data_list(self):
        if self.use_ann_file:
            missing = missing_data(self.data_root, self.ann_file)
            if missing:
                raise FileNotFoundError(missing)
        data_list = super().load_data_list()
        if not data_list:
            raise ValueError(f'{self.source}: names no image; list the faces '
                             '(one file name per line) or fix data_root')
        missing = [d[key] for d in data_list for key in d
                   if key.endswith('_path') and not osp.isfile(d[key])]
        if missing:
            raise FileNotFoundError(
                f'{len(missing)} image(s) listed in {self.source} do not '
                f'exist, e.g. {missing[:3]}; fix the list, data_root or '
                'data_prefix (or rerun the dataset converter)')
        return data_list
