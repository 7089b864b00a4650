"""The linear-algebra names torch removed in 1.9 and keeps only to say what replaces them (torch/_linalg_utils.py):
matrix_rank, solve, lstsq, eig, symeig, as functions and (but matrix_rank) Tensor methods."""
from __future__ import annotations

from typing import Any, NoReturn

from ..._tensor import Tensor
from ..registry import python_op

_REMOVED = "This function was deprecated since version 1.9 and is now removed."


def _tensor_method(function: Any) -> Any:
    """Tensor.<name>(other) as torch/_tensor.py defines it: a call of the removed function."""
    def method(self: Tensor, other: Any) -> Any:
        return function(self, other)
    return method


@python_op("matrix_rank")
def matrix_rank(input: Any, tol: Any = None, symmetric: bool = False, *, out: Any = None) -> NoReturn:
    raise RuntimeError(_REMOVED + "\nPlease use the `torch.linalg.matrix_rank` function instead. The parameter "
                       "'symmetric' was renamed in `torch.linalg.matrix_rank()` to 'hermitian'.")


def _system_solver(name: str, message: str) -> Any:
    """torch.solve and torch.lstsq: (input, A, *, out=None), each with its own replacement note."""
    def removed(input: Any, A: Any, *, out: Any = None) -> NoReturn:
        raise RuntimeError(_REMOVED + message)
    removed.__name__ = removed.__qualname__ = name  # Python's argument errors name it
    return removed


solve = _system_solver(
    "solve", " `torch.solve` is deprecated in favor of `torch.linalg.solve`. `torch.linalg.solve` has its arguments "
    "reversed and does not return the LU factorization.\n\nTo get the LU factorization see `torch.lu`, which can be "
    "used with `torch.lu_solve` or `torch.lu_unpack`.\nX = torch.solve(B, A).solution should be replaced with:\nX = "
    "torch.linalg.solve(A, B)")
lstsq = _system_solver(
    "lstsq", " `torch.lstsq` is deprecated in favor of `torch.linalg.lstsq`.\n`torch.linalg.lstsq` has reversed "
    "arguments and does not return the QR decomposition in the returned tuple (although it returns other information "
    "about the problem).\n\nTo get the QR decomposition consider using `torch.linalg.qr`.\n\nThe returned solution in "
    "`torch.lstsq` stored the residuals of the solution in the last m - n columns of the returned value whenever "
    "m > n. In torch.linalg.lstsq, the residuals are in the field 'residuals' of the returned named tuple.\n\nThe "
    "unpacking of the solution, as in\nX, _ = torch.lstsq(B, A).solution[:A.size(1)]\nshould be replaced with:\n"
    "X = torch.linalg.lstsq(A, B).solution")


def eig(self: Any, eigenvectors: bool = False, *, e: Any = None, v: Any = None) -> NoReturn:
    raise RuntimeError(
        _REMOVED + " `torch.linalg.eig` returns complex tensors of dtype `cfloat` or `cdouble` rather than real "
        "tensors mimicking complex tensors.\n\nL, _ = torch.eig(A) should be replaced with:\nL_complex = "
        "torch.linalg.eigvals(A)\n\nand\n\nL, V = torch.eig(A, eigenvectors=True) should be replaced with:\n"
        "L_complex, V_complex = torch.linalg.eig(A)")


def symeig(input: Any, eigenvectors: bool = False, upper: bool = True, *, out: Any = None) -> NoReturn:
    raise RuntimeError(
        _REMOVED + " The default behavior has changed from using the upper triangular portion of the matrix by "
        "default to using the lower triangular portion.\n\nL, _ = torch.symeig(A, upper=upper) should be replaced "
        "with:\nL = torch.linalg.eigvalsh(A, UPLO='U' if upper else 'L')\n\nand\n\nL, V = torch.symeig(A, "
        "eigenvectors=True) should be replaced with:\nL, V = torch.linalg.eigh(A, UPLO='U' if upper else 'L')")


python_op("solve", method=_tensor_method(solve))(solve)
python_op("lstsq", method=_tensor_method(lstsq))(lstsq)
python_op("eig", method=lambda self, eigenvectors=False: eig(self, eigenvectors=eigenvectors))(eig)
python_op("symeig", method=lambda self, eigenvectors=False: symeig(self, eigenvectors=eigenvectors))(symeig)
