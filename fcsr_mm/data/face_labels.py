"""The parser's label set and the one place where source labels map onto it.

The set is Helen's 11 labels with the two eyes merged and the two brows
merged (FCSR-GAN, Sec. III): no class is left/right specific, so horizontal
flips never need a label swap.
"""
import numpy as np

#: The 9 parser classes, index = label value.
FACE_CLASSES = ('background', 'skin', 'brows', 'eyes', 'nose', 'upper_lip',
                'inner_mouth', 'lower_lip', 'hair')
#: RGB colour per class (for visualisation).
FACE_PALETTE = [[0, 0, 0], [255, 204, 153], [0, 170, 0], [0, 102, 255],
                [255, 153, 0], [204, 0, 102], [80, 0, 40], [255, 51, 153],
                [120, 70, 20]]

#: Helen's label files ``<name>_lbl00.png`` .. ``_lbl10.png``, in order.
HELEN_LABELS = ('background', 'face_skin', 'left_brow', 'right_brow',
                'left_eye', 'right_eye', 'nose', 'upper_lip', 'inner_mouth',
                'lower_lip', 'hair')
#: Helen label index -> parser class.
HELEN_TO_FACE = (0, 1, 2, 2, 3, 3, 4, 5, 6, 7, 8)

#: CelebAMask-HQ's 19 labels (as in ``../shared/data/celebamask_hq``).
CELEBAMASK_HQ_LABELS = ('background', 'skin', 'nose', 'eyeglasses',
                        'left_eye', 'right_eye', 'left_brow', 'right_brow',
                        'left_ear', 'right_ear', 'inner_mouth', 'upper_lip',
                        'lower_lip', 'hair', 'hat', 'earring', 'necklace',
                        'neck', 'cloth')
#: CelebAMask-HQ label -> parser class. Helen has no glasses, ears, hat,
#: jewellery, neck or cloth: glasses (drawn over the eye region) and ears
#: count as skin, as Helen's face-skin masks include them; hat, earring,
#: necklace, neck and cloth are outside Helen's face and count as background.
CELEBAMASK_HQ_TO_FACE = (0, 1, 4, 1, 3, 3, 2, 2, 1, 1, 6, 5, 7, 8, 0, 0, 0,
                         0, 0)


def lookup_table(mapping) -> np.ndarray:
    """A 256-entry uint8 table for ``table[label]``; unknown values -> 255."""
    table = np.full(256, 255, np.uint8)
    table[:len(mapping)] = mapping
    return table
