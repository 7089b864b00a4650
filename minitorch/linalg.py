"""torch.linalg. The vector norm lives with the other reductions (``_ops/reduction.py``); the
matrix functions (inv, det, solve, cross, diagonal, matmul) with the other linear algebra
(``_ops/linalg/``), most of which loads on first use (``_ops/lazy_ops.py``)."""
from ._missing import missing_attribute as _missing_attribute
from ._ops import lazy_ops as _lazy_ops
from ._ops.linalg import LinAlgError  # noqa: F401
from ._ops.registry import LINALG

globals().update(dict.items(LINALG))  # (the declared ones: the others are __getattr__'s)
__getattr__, __dir__ = _lazy_ops.namespace_hooks("LINALG", globals(), _missing_attribute(__name__, False))
