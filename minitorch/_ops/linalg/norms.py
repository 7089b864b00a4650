"""Matrix norms and what is built on them: linalg.matrix_norm, linalg.norm, linalg.cond, linalg.matrix_rank.
Composed of other ops as torch composes them (so with its grad_fn names); the vector norm is a reduction
(``_ops/reduction.py``)."""
from __future__ import annotations

from typing import Any

import numpy as np

from ... import _dtype as D
from ..._tensor import Tensor
from ..cpp_format import cpp_double
from ..dims import wrap_dim
from ..reduction import check_norm_dtype, vector_norm
from ..inplace import OutCheck, castable_result
from ..registry import LINALG, linalg_op, python_op, write_out
from .decompositions import check_matrix, svdvals
from .matrix_functions import _info, _kept, _tolerances, check_default_rtol, check_not_complex_tolerance
from .solvers import (_check_square, check_floating, check_matrix_dims, check_square_shape, inverse_of,
                      require_lapack_dtype, svd_arrays)

INF = float("inf")
_NUMBER_ORDS = (2, -2, 1, -1, INF, -INF)


def _backshift(dims: tuple[int, int], ndim: int) -> list[int]:
    """The permutation moving ``dims`` to the end (in that order)."""
    return [d for d in range(ndim) if d not in dims] + list(dims)


def _max_min(values: Tensor, ord: Any, dim: int, keepdim: bool) -> Tensor:
    """amax over ``dim`` for a positive order, amin for a negative one. torch's max over an empty dim (a norm of an
    empty matrix) is zeros without history, where amax would refuse; amin still refuses."""
    if ord > 0 and values.shape[dim] == 0:
        shape = list(values.shape)
        if keepdim:
            shape[dim] = 1
        else:
            del shape[dim]
        return values.new_zeros(shape)
    return (values.amax if ord > 0 else values.amin)(dim, keepdim)


def _spectral(A: Tensor, ord: Any, dims: tuple[int, int], keepdim: bool) -> Tensor:
    """The 2-norm family (largest/smallest singular value, their sum for 'nuc') over ``dims``."""
    permutation = _backshift(dims, A.ndim)
    s = svdvals(A.permute(permutation))
    result = s.sum(-1, keepdim) if ord == "nuc" else _max_min(s, ord, -1, keepdim)
    if keepdim:
        result = result.unsqueeze(-1).permute(list(np.argsort(permutation)))
    return result


_MATRIX_NORM_SIGNATURES = (
    "linalg_matrix_norm(Tensor input, Scalar ord, IntArrayRef dim={-2,-1}, bool keepdim=False, *, "
    "ScalarType? dtype=None, Tensor out=None)",
    "linalg_matrix_norm(Tensor input, c10::string_view ord=\"fro\", IntArrayRef dim={-2,-1}, bool keepdim=False, *, "
    "ScalarType? dtype=None, Tensor out=None)")


@linalg_op(*_MATRIX_NORM_SIGNATURES,
           out_check=OutCheck("linalg.matrix_norm expected out tensor dtype %(result)s but got: %(out)s"))
def matrix_norm(input: Tensor, ord: Any = "fro", dim: Any = (-2, -1), keepdim: bool = False, *,
                dtype: D.dtype | None = None) -> Tensor:
    fname = "linalg.matrix_norm"
    if isinstance(ord, str) and ord not in ("fro", "nuc"):  # (torch checks a named order first)
        raise RuntimeError("%s: Order %s not supported." % (fname, ord))
    if ord not in ("fro", "nuc") + _NUMBER_ORDS:
        raise RuntimeError("%s: Order %s not supported." % (fname, _format_ord(ord)))
    if input._data.ndim < 2:
        raise RuntimeError("%s: The input tensor A must have at least 2 dimensions." % fname)
    check_floating(fname, input, low_precision=ord not in ("nuc", 2, -2))  # (the SVD has no half kernel)
    dim = tuple(dim)
    if len(dim) != 2:
        raise RuntimeError("%s: dim must be a 2-tuple. Got %s" % (fname, " ".join(str(d) for d in dim)))
    d0, d1 = (wrap_dim(d, input.ndim) for d in dim)
    if d0 == d1:
        raise RuntimeError("%s: dims must be different. Got (%d, %d)" % (fname, dim[0], dim[1]))
    check_norm_dtype(fname, input, dtype)  # (after the dims, as torch's _linalg_matrix_norm_checks)
    # (torch's vector norms convert to ``dtype`` themselves: no node of their own; its SVD takes a converted input)
    if ord == "fro":
        return vector_norm(input, 2, (d0, d1), keepdim, dtype=dtype)
    if ord in ("nuc", 2, -2):
        return _spectral(input if dtype is None else input.to(dtype), ord, (d0, d1), keepdim)
    if ord in (INF, -INF):
        d0, d1 = d1, d0
    if not keepdim and d0 < d1:
        d1 -= 1
    return _max_min(vector_norm(input, 1, (d0,), keepdim, dtype=dtype), ord, d1, keepdim)


def _format_ord(ord: Any) -> str:
    if isinstance(ord, str):
        return ord
    return cpp_double(ord)


@python_op("norm", method=True)
def torch_norm(input: Tensor, p: Any = "fro", dim: Any = None, keepdim: bool = False, out: Any = None,
               dtype: D.dtype | None = None) -> Tensor:
    """torch.norm (torch/functional.py; ``Tensor.norm`` calls it): a vector norm, except for the matrix norms
    named by strings (over every dim when none is given, which torch's matrix_norm refuses unless 2-D)."""
    if not isinstance(input, Tensor):  # torch reads input.layout first
        raise AttributeError("'%s' object has no attribute 'layout'" % type(input).__name__)
    dims = [dim] if isinstance(dim, int) else dim
    # (torch.linalg's bindings, which refuse the dtypes their kernels lack)
    if not isinstance(p, str) or p == "fro" and (dims is None or len(dims) <= 2):
        result = LINALG["vector_norm"](input, 2 if p is None or p == "fro" else p, dims, keepdim, dtype=dtype)
    else:
        result = LINALG["matrix_norm"](input, p, list(range(input.ndim)) if dims is None else dims, keepdim,
                                       dtype=dtype)
    return result if out is None else write_out(out, result)


_NORM_SIGNATURES = (
    "linalg_norm(Tensor input, Scalar? ord=None, IntArrayRef[1]? dim=None, bool keepdim=False, *, "
    "ScalarType? dtype=None, Tensor out=None)",
    "linalg_norm(Tensor input, c10::string_view ord, IntArrayRef[1]? dim=None, bool keepdim=False, *, "
    "ScalarType? dtype=None, Tensor out=None)")


@linalg_op(*_NORM_SIGNATURES, out_check=OutCheck("linalg.norm expected out tensor dtype %(result)s but got: %(out)s"))
def norm(input: Tensor, ord: Any = None, dim: Any = None, keepdim: bool = False, *,
         dtype: D.dtype | None = None) -> Tensor:
    """A vector norm over one dim (or all, when neither ord nor dim is given), a matrix norm over two."""
    if dim is not None:
        dim = (dim,) if isinstance(dim, int) else tuple(dim)
        if len(dim) not in (1, 2):
            raise RuntimeError("linalg.norm: If dim is specified, it must be of length 1 or 2. Got %s" % list(dim))
    elif ord is not None and input.ndim not in (1, 2):
        raise RuntimeError("linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D. Got %dD."
                           % input.ndim)
    matrix = isinstance(ord, str) or (dim is not None and len(dim) == 2) or (
        dim is None and ord is not None and input.ndim == 2)
    if matrix:
        return matrix_norm(input, "fro" if ord is None else ord, dim or (-2, -1), keepdim, dtype=dtype)
    return vector_norm(input, 2 if ord is None else ord, dim, keepdim, dtype=dtype)


@linalg_op("linalg_cond(Tensor input, Scalar? p=None, *, Tensor out=None)",
           "linalg_cond(Tensor input, c10::string_view p, *, Tensor out=None)",
           out_check=castable_result("linalg.cond"))
def cond(input: Tensor, p: Any = None) -> Tensor:
    """The 2-norm condition number from the singular values; the others as norm(A) * norm(A^-1)."""
    if not isinstance(p, str) and input._data.ndim < 2:  # (a named order is checked with the matrix, below)
        raise RuntimeError("linalg.cond: The input tensor must have at least 2 dimensions.")
    if isinstance(p, str):  # a named order's matrix is checked before the order itself
        check_square_shape("linalg.cond(ord=%s)" % _format_ord(p), input)
    if p is not None and p not in ("fro", "nuc") + _NUMBER_ORDS:
        raise RuntimeError("linalg.cond got an invalid norm type: %s" % _format_ord(p))
    if not input._data.size:  # torch's 0 for an empty matrix, before any kernel refuses its dtype
        return Tensor._make(np.zeros(input.shape[:-2], input.dtype.to_real().np))
    if p is None or p in (2, -2):
        s = svdvals(input)
        k = s.shape[-1]
        largest, smallest = s.narrow(-1, 0, 1), s.narrow(-1, k - 1, 1)
        return (smallest / largest if p == -2 else largest / smallest).squeeze(-1)
    _check_square("linalg.cond(ord=%s)" % _format_ord(p), input)
    if p == "nuc":  # (torch's: one SVD for both norms)
        s = svdvals(input)
        return s.sum(-1) * s.reciprocal().sum(-1)
    # torch inverts with inv_ex and marks the singular matrices' inverses infinite in place: that write to a
    # saved output makes its backward refuse (version counter), which minitorch's does alike
    singular = Tensor._make(_info(input) > 0)[..., None, None]
    inverse = inverse_of(input, check_errors=False)
    inverse.masked_fill_(singular, INF)
    return (matrix_norm(input, p) * matrix_norm(inverse, p)).nan_to_num(INF, INF)


_RANK_SIGNATURES = (
    "linalg_matrix_rank(Tensor input, *, Tensor? atol=None, Tensor? rtol=None, bool hermitian=False, Tensor out=None)",
    "linalg_matrix_rank(Tensor input, *, double? atol=None, double? rtol=None, bool hermitian=False, Tensor out=None)",
    "linalg_matrix_rank(Tensor input, Tensor tol, bool hermitian=False, *, Tensor out=None)",
    "linalg_matrix_rank(Tensor input, double tol, bool hermitian=False, *, Tensor out=None)")


@linalg_op(*_RANK_SIGNATURES, out_check=castable_result("torch.linalg.matrix_rank"))
def matrix_rank(input: Tensor, tol: Any = None, hermitian: bool = False, *, atol: Any = None,
                rtol: Any = None) -> Tensor:
    """How many singular values (eigenvalue magnitudes, when hermitian) exceed max(atol, rtol * the largest)."""
    check_matrix_dims("torch.linalg.matrix_rank", input, "input")
    if tol is not None:
        atol, rtol = tol, 0.0
    if rtol is None:
        check_default_rtol(input)
    check_not_complex_tolerance(atol, "torch.linalg.matrix_rank", "atol")
    check_not_complex_tolerance(rtol, "torch.linalg.matrix_rank", "rtol")
    if not input._data.size:  # (no nonzero row: rank 0, before any factorization's checks)
        return Tensor._make(np.zeros(input._data.shape[:-2], np.int64))
    if hermitian:  # linalg.eigvalsh's checks, then svdvals'
        check_square_shape("linalg.eigh", input)
        require_lapack_dtype("linalg_eigh_cpu", input)
        values = np.linalg.eigvalsh(input._data)
    else:
        check_matrix("linalg.svd", input)
        require_lapack_dtype("linalg_svd_cpu", input)
        values = svd_arrays(input._data, compute_uv=False)
    atol_v, rtol_v = _tolerances(input, atol, rtol)
    return Tensor._make(_kept(values, atol_v, rtol_v).sum(-1).astype(np.int64))
