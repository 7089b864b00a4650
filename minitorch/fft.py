"""torch.fft: the functions whose inputs and outputs are real (``_ops/fft.py``, loaded on first use: ``lazy_ops``)."""
from ._missing import missing_attribute as _missing_attribute
from ._ops import lazy_ops as _lazy_ops
from ._ops.registry import FFT as _FFT

globals().update(dict.items(_FFT))  # (and those of the op modules loaded on first use:)
__getattr__, __dir__ = _lazy_ops.namespace_hooks("FFT", globals(), _missing_attribute(__name__, False))
