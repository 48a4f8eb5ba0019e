"""``BasicImageDataset`` that checks its list when it loads it."""
import logging
import os.path as osp

from mmengine.logging import print_log

from mmagic.datasets import BasicImageDataset
from mmagic.registry import DATASETS


@DATASETS.register_module()
class FaceImageDataset(BasicImageDataset):
    """mmagic's ``BasicImageDataset``, refusing at build time (not at some
    later iteration) an empty list or listed images that do not exist,
    naming the list and the files; an image that cannot be loaded (e.g. a
    corrupt file) is named with its path.

    Args:
        skip_bad_images (bool): For training sets: instead of stopping, log
            an image that cannot be loaded (path, reason, how many were
            skipped so far in this process) and train on another one
            (mmengine refetches a random index). Keep it False for test
            sets, whose faces must all be scored. Default: False.
        **kwargs: ``BasicImageDataset`` arguments.
    """

    def __init__(self, *args, skip_bad_images: bool = False, **kwargs):
        self.skip_bad_images = skip_bad_images
        self.skipped = 0
        super().__init__(*args, **kwargs)

    def prepare_data(self, idx):
        try:
            return super().prepare_data(idx)
        except Exception as err:
            path = str(self.get_data_info(idx).get('gt_path', idx))
            if self.skip_bad_images:
                self.skipped += 1
                print_log(f'skipped {path} ({type(err).__name__}: {err}); '
                          f'{self.skipped} image(s) skipped so far in this '
                          'process', logger='current', level=logging.WARNING)
                return None  # mmengine's dataset fetches another index
            if path in str(err):  # already named (e.g. DegradeFace)
                raise
            raise ValueError(f'{path}: could not be loaded as a face image '
                             f'({type(err).__name__}: {err}); replace or '
                             'unlist it, or set skip_bad_images=True on a '
                             'training set') from err

    def load_data_list(self):
        data_list = super().load_data_list()
        source = self.ann_file if self.use_ann_file else \
            self.data_prefix.get('gt', self.data_root)
        if not data_list:
            raise ValueError(f'{source}: names no image; list the faces '
                             '(one file name per line) or fix data_root')
        missing = [d[key] for d in data_list for key in d
                   if key.endswith('_path') and not osp.isfile(d[key])]
        if missing:
            raise FileNotFoundError(
                f'{len(missing)} image(s) listed in {source} do not exist, '
                f'e.g. {missing[:3]}; fix the list, data_root or '
                'data_prefix (or rerun the dataset converter)')
        return data_list
