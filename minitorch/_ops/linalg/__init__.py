"""Linear algebra, one module per job: ``products`` (mm, matmul, addmm..., cross), ``einsum``, ``solvers``
(inv, det, solve), ``diagonals`` (trace, diagonal, diag, tril/triu), the decompositions... Importing a module
declares its ops; ``import minitorch`` imports ``products`` (and what the other eager families use), the others
load on first use (``lazy_ops``)."""
from .solvers import _LinAlgError as LinAlgError  # noqa: F401
