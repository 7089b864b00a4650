"""torch.linalg. The vector norm lives with the other reductions (``_ops/reduction.py``); the
matrix functions (inv, det, solve, cross, diagonal, matmul) with the other linear algebra
(``_ops/linalg.py``)."""
from ._ops.linalg import LINALG, _LinAlgError as LinAlgError  # noqa: F401
from ._ops.reduction import vector_norm  # noqa: F401

globals().update(LINALG)
