"""Parse-vs-ground-truth images for faces scored below their file size."""
import cv2
from mmseg.registry import VISUALIZERS
from mmseg.visualization import SegLocalVisualizer


@VISUALIZERS.register_module()
class FaceSegLocalVisualizer(SegLocalVisualizer):
    """``SegLocalVisualizer`` that first shrinks the image to the label size.

    ``SegVisualizationHook`` reads the image file (128 px) again, while the
    32 px parser's labels and predictions are 32 px; mmseg's drawer needs
    both at one size. Larger faces are drawn unchanged.
    """

    def add_datasample(self, name, image, data_sample=None, *args, **kwargs):
        seg = None
        if data_sample is not None:
            seg = data_sample.get('pred_sem_seg', data_sample.get('gt_sem_seg'))
        if seg is not None and tuple(seg.shape) != image.shape[:2]:
            h, w = seg.shape
            image = cv2.resize(image, (w, h), interpolation=cv2.INTER_AREA)
        return super().add_datasample(name, image, data_sample, *args,
                                      **kwargs)
