"""An optimiser wrapper that trains in bf16 autocast on the CPU or a GPU."""
from contextlib import contextmanager

import torch
from mmengine.logging import print_log
from mmengine.optim import OptimWrapper
from mmagic.registry import OPTIM_WRAPPERS as MMAGIC_OPTIM_WRAPPERS
from mmseg.registry import OPTIM_WRAPPERS as MMSEG_OPTIM_WRAPPERS

from fcsr_mm.utils.precision import PRECISIONS, Precision, resolve_precision


@MMAGIC_OPTIM_WRAPPERS.register_module()
@MMSEG_OPTIM_WRAPPERS.register_module()
class AutocastOptimWrapper(OptimWrapper):
    """``OptimWrapper`` whose ``optim_context`` runs the forward passes in
    the precision that ``precision`` resolves to (see
    ``fcsr_mm.utils.precision``) on the device of the model it wraps.

    Ours because mmengine's ``AmpOptimWrapper`` refuses the CPU; bf16 needs
    no loss scaling (fp32's exponent range), so there is none. Weights and
    optimiser state stay fp32; the loss is reduced and back-propagated from
    fp32. A model whose ``train_step`` runs its forward outside
    ``optim_context`` (mmagic's GLInpaintor and PConvInpaintor) gets no
    autocast from it; its first backward says so (once).

    Args:
        precision (str): 'auto', 'fp32' or 'bf16'. Default: 'auto'.
        **kwargs: ``OptimWrapper``'s arguments (``optimizer``, ``clip_grad``,
            ``accumulative_counts``).
    """

    def __init__(self, precision: str = 'auto', **kwargs):
        super().__init__(**kwargs)
        if precision not in PRECISIONS:
            raise ValueError(f'AutocastOptimWrapper: precision={precision!r};'
                             f' use one of {PRECISIONS}')
        self.precision = precision
        self._plans = {}
        self._entered = self._warned = False

    def plan(self, model: torch.nn.Module) -> Precision:
        """The resolved precision on ``model``'s device (resolved once)."""
        param = next(model.parameters(), None)
        device = param.device.type if param is not None else 'cpu'
        if device not in self._plans:
            self._plans[device] = resolve_precision(self.precision, device)
        return self._plans[device]

    @contextmanager
    def optim_context(self, model: torch.nn.Module):
        self._entered = True
        with super().optim_context(model), self.plan(model).autocast():
            yield

    def backward(self, loss: torch.Tensor, **kwargs) -> None:
        if not self._entered and not self._warned:
            self._warn_no_context(loss.device.type)
        super().backward(loss.float(), **kwargs)

    def _warn_no_context(self, device: str) -> None:
        """A bf16 run that would silently compute in fp32."""
        self._warned = True
        if resolve_precision(self.precision, device).name == 'bf16':
            print_log('AutocastOptimWrapper: a backward without '
                      'optim_context: this model\'s train_step runs its '
                      'forward outside optim_context, so it trains in fp32, '
                      'not bf16', logger='current', level=30)
