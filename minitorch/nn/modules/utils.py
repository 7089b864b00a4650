"""torch.nn.modules.utils: the int-or-tuple argument helpers."""
from .._utils import _ntuple, _pair, _single, _triple  # noqa: F401
