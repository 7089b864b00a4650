"""Linear algebra, one module per job: ``products`` (mm, matmul, addmm..., cross), ``einsum``, ``solvers``
(inv, det, solve) and ``diagonals`` (trace, diagonal, diag, tril/triu). Importing the package declares
their ops."""
from . import diagonals, einsum, products, solvers, triangular, decompositions, matrix_functions, norms, eig  # noqa: F401
from . import accumulated_products, factored_solvers, householder, ldl, lowrank, lstsq, lu, removed, tensor_inverses  # noqa: F401
from . import lobpcg, trilinear  # noqa: F401
from .solvers import _LinAlgError as LinAlgError  # noqa: F401
