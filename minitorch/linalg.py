"""torch.linalg. The vector norm lives with the other reductions (``_ops/reduction.py``); the
matrix functions (inv, det, solve, ...) are to be added here as they land in ``_ops/linalg.py``."""
from ._ops.reduction import vector_norm  # noqa: F401
