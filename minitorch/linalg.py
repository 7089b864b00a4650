"""torch.linalg. The vector norm lives with the other reductions (``_ops/reduction.py``); the
matrix functions (inv, det, solve, cross, diagonal, matmul) with the other linear algebra
(``_ops/linalg/``)."""
from ._ops.linalg import LinAlgError  # noqa: F401
from ._ops.registry import LINALG

globals().update(LINALG)
