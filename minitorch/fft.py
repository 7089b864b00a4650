"""torch.fft: the functions whose inputs and outputs are real (``_ops/fft.py``)."""
from ._ops import fft as _fft  # noqa: F401  (declares the fft ops)
from ._ops.registry import FFT as _FFT

globals().update(_FFT)
