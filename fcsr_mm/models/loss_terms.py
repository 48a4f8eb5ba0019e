"""What each loss term of FCSR-GAN compares with what: one table.

A phase names its terms and weights (``losses=dict(pixel_lr=20.0, ...)``);
this table says, for each term, which loss module scores it, which generator
output it scores, against which target, and (for parsing) which true labels
replace the parse of the target when a dataset has them. Adversarial terms,
``adv_<discriminator>``, are added per configured discriminator, with the
output that discriminator judges (its ``output`` config field).
"""
from dataclasses import dataclass
from typing import Dict, Optional

#: generator output -> (prediction key, ground-truth key in the data sample)
OUTPUTS = {
    'lr': ('pred_lr', 'gt_lr'),    # the completed 32x32 face
    'hr': ('pred_img', 'gt_img'),  # the 128x128 result
}


@dataclass(frozen=True)
class LossTerm:
    """One loss term.

    Attributes:
        loss (str): Key of the loss module in ``model.losses``.
        output (str): 'lr' or 'hr' (see ``OUTPUTS``): what it scores.
        labels (str, optional): Data-sample key of true parsing labels, used
            instead of parsing the target when present. Default: None.
        discriminator (str, optional): For adversarial terms, the
            discriminator whose logits are scored. Default: None.
    """
    loss: str
    output: str
    labels: Optional[str] = None
    discriminator: Optional[str] = None

    @property
    def target(self) -> str:
        return OUTPUTS[self.output][1]


#: The non-adversarial terms.
PIXEL_TERMS = {
    'pixel_lr': LossTerm('pixel_lr', 'lr'),  # L1, completed 32x32 vs gt_lr
    'pixel': LossTerm('pixel', 'hr'),  # MSE, 128x128 result vs gt
    'parsing_lr': LossTerm('parsing_lr', 'lr', labels='gt_seg_lr'),  # 32 px
    'parsing': LossTerm('parsing', 'hr', labels='gt_seg'),  # 128 px parser
    'perceptual': LossTerm('perceptual', 'hr'),  # VGG-19 feature distance
}
#: the loss module every adversarial term uses
GAN_LOSS = 'gan'


def adversarial_term(discriminator: str) -> str:
    """The name of the generator's GAN term against ``discriminator``."""
    return f'adv_{discriminator}'


def loss_terms(disc_outputs: Dict[str, str]) -> Dict[str, LossTerm]:
    """Every term a model can use: the pixel terms and one adversarial term
    per discriminator (``disc_outputs``: discriminator name -> output)."""
    terms = dict(PIXEL_TERMS)
    for name, output in disc_outputs.items():
        terms[adversarial_term(name)] = LossTerm(GAN_LOSS, output,
                                                 discriminator=name)
    return terms
