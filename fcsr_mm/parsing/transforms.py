"""Checked label loading and evaluation resizing for the face parser."""
import cv2
import numpy as np
from mmcv.transforms import BaseTransform
from mmseg.datasets.transforms import LoadAnnotations
from mmseg.registry import TRANSFORMS

from fcsr_mm.data.face_labels import FACE_CLASSES


@TRANSFORMS.register_module()
class LoadFaceAnnotations(LoadAnnotations):
    """mmseg's ``LoadAnnotations`` that rejects bad label maps by name.

    Checks that every value is a face class (or ``ignore_index``) and that
    the label map has the image's size.

    Args:
        num_classes (int): Valid labels are ``0 .. num_classes - 1``.
            Default: 9.
        ignore_index (int): Also allowed. Default: 255.
        **kwargs: ``LoadAnnotations`` arguments.
    """

    def __init__(self, num_classes: int = len(FACE_CLASSES),
                 ignore_index: int = 255, **kwargs):
        super().__init__(**kwargs)
        self.num_classes = num_classes
        self.ignore_index = ignore_index

    def _load_seg_map(self, results: dict) -> None:
        super()._load_seg_map(results)
        seg = results['gt_seg_map']
        path = results['seg_map_path']
        bad = (seg >= self.num_classes) & (seg != self.ignore_index)
        if bad.any():
            raise ValueError(
                f'label map {path!r} has value(s) '
                f'{sorted(np.unique(seg[bad]).tolist())[:5]} outside the '
                f'{self.num_classes} face classes 0..{self.num_classes - 1}; '
                're-run the converter in tools/dataset_converters/')
        if 'img_shape' in results and \
                tuple(results['img_shape'][:2]) != seg.shape[:2]:
            raise ValueError(
                f'label map {path!r} is {seg.shape[1]}x{seg.shape[0]} but '
                f'image {results.get("img_path")!r} is '
                f'{results["img_shape"][1]}x{results["img_shape"][0]}')


@TRANSFORMS.register_module()
class ResizeFaceForEval(BaseTransform):
    """Resize image (area) and label map (nearest) and make the new size the
    original one, so predictions are scored at this size.

    mmseg scores predictions at ``ori_shape``; the 32 px parser must be
    scored on 32x32 labels, not on the 128x128 files it was made from.

    Args:
        scale (tuple[int, int]): Output (width, height).
    """

    def __init__(self, scale):
        self.scale = tuple(scale)

    def transform(self, results: dict) -> dict:
        results['img'] = cv2.resize(results['img'], self.scale,
                                    interpolation=cv2.INTER_AREA)
        if 'gt_seg_map' in results:
            results['gt_seg_map'] = cv2.resize(
                results['gt_seg_map'], self.scale,
                interpolation=cv2.INTER_NEAREST)
        shape = results['img'].shape[:2]
        results['img_shape'] = results['ori_shape'] = shape
        results['scale_factor'] = (1.0, 1.0)
        return results

    def __repr__(self):
        return f'{type(self).__name__}(scale={self.scale})'
