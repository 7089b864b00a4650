"""torch.cpu: here only its ``amp`` package (the deprecated CPU spellings of torch.amp)."""
from . import amp  # noqa: F401
