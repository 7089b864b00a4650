"""Diagonals and triangles: trace, diagonal (a view), diag_embed, diag, tril, triu."""
from __future__ import annotations

from typing import Any

import numpy as np

from ... import _dtype as D
from ..._tensor import Tensor
from ...autograd.history import view_step
from ...autograd.recording import defop, record
from ..dims import as_int64, check_storage, check_symint_sizes, wrap_dim
from ..registry import linalg_op, op
from ..result_layout import contiguous
from ..views import make_view

def _trace_vjp(grad: Tensor, self_shape: tuple) -> Tensor:
    return grad * Tensor._make(np.eye(*self_shape, dtype=grad.dtype.np))


TRACE = defop("trace", grads={"self": _trace_vjp}, complex_vjps=True)


@op("trace(Tensor input)", method=True)
def trace(input: Tensor) -> Tensor:
    if input.dtype is D.bool or input.dtype is D.complex32:  # (torch's kernel dispatch comes before its dims check)
        raise NotImplementedError("\"trace\" not implemented for '%s'" % input.dtype._cast_name)
    if input._data.ndim != 2:
        raise RuntimeError("trace: expected a matrix, but got tensor with dim %d" % input._data.ndim)
    dt = input.dtype if input.dtype.category >= D.FLOATING else D.int64
    if dt.category < D.FLOATING or not input._data.size:
        return record(TRACE, np.asarray(np.trace(input._data, dtype=dt.np)), (input,))
    # torch's kernel: the diagonal added one by one from 0 in the CPU accumulation type (double for float32,
    # complex128 for complex64, float for the reduced floats), rounded once
    diagonal = np.diagonal(input._data).astype(_TRACE_ACC.get(dt.np, dt.np))
    return record(TRACE, np.asarray(np.add.accumulate(diagonal)[-1] + diagonal.dtype.type(0)).astype(dt.np), (input,))


_TRACE_ACC = {np.dtype(np.float32): np.float64, np.dtype(np.complex64): np.complex128, D.float16.np: np.float32,
              D.bfloat16.np: np.float32}


def within_matrix(offset: int, rows: int, cols: int) -> int:
    """A diagonal's offset clamped to the matrix (NumPy takes a C long: torch's int64 extremes overflow it); the
    diagonals past either corner are all empty alike."""
    return min(max(offset, -rows), cols)


def _diagonal_view(x: np.ndarray, offset: int, dim1: int, dim2: int) -> np.ndarray:
    """NumPy's diagonal view, writable as torch's is (NumPy returns it read-only)."""
    d = np.diagonal(x, within_matrix(offset, x.shape[dim1], x.shape[dim2]), dim1, dim2)
    if x.flags.writeable:
        d.flags.writeable = True
    return d


def _embed_diagonal(values: Tensor, shape: tuple, offset: int, dim1: int, dim2: int) -> np.ndarray:
    out = np.zeros(shape, values.dtype.np)
    _diagonal_view(out, offset, dim1, dim2)[...] = values._data
    return out


DIAGONAL_BACKWARD = defop("diagonal_backward", ("grad",), {
    "grad": lambda g, offset, dim1, dim2: diagonal(g, offset, dim1, dim2)}, grad_name="DiagonalBackwardBackward0",
                          complex_vjps=True)


def _diagonal_vjp(grad: Tensor, self_shape: tuple, offset: int, dim1: int, dim2: int) -> Tensor:
    attrs = {"offset": offset, "dim1": dim1, "dim2": dim2}
    return record(DIAGONAL_BACKWARD, _embed_diagonal(grad, self_shape, offset, dim1, dim2), (grad,), attrs)


DIAGONAL = defop("diagonal", grads={"self": _diagonal_vjp},
                 complex_vjps=True)
DIAGONAL_COPY = defop("diagonal_copy", grads={"self": _diagonal_vjp}, grad_name="DiagonalBackward0_copy",
                      complex_vjps=True)
DIAG_EMBED = defop("diag_embed", grads={"self": lambda grad, offset, dim1, dim2: diagonal(grad, offset, dim1, dim2)},
                   complex_vjps=True)


def _diagonal_dims(ndim: int, dim1: int, dim2: int) -> tuple[int, int]:
    d1, d2 = wrap_dim(dim1, ndim), wrap_dim(dim2, ndim)
    if d1 == d2:
        raise RuntimeError("diagonal dimensions cannot be identical %d, %d" % (dim1, dim2))
    return d1, d2


@op("diagonal(Tensor input, int64_t offset=0, int64_t dim1=0, int64_t dim2=1)", method=True)
def diagonal(input: Tensor, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:
    d1, d2 = _diagonal_dims(input._data.ndim, dim1, dim2)
    attrs = {"offset": offset, "dim1": d1, "dim2": d2}
    return make_view(DIAGONAL, _diagonal_view(input._data, offset, d1, d2), input, attrs,
                     view_step(diagonal, offset, d1, d2))


@linalg_op("linalg_diagonal(Tensor A, *, int64_t offset=0, int64_t dim1=-2, int64_t dim2=-1)")
def linalg_diagonal(A: Tensor, *, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:
    return diagonal(A, offset, dim1, dim2)


@op("diag_embed(Tensor input, int64_t offset=0, int64_t dim1=-2, int64_t dim2=-1)", method=True)
def diag_embed(input: Tensor, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:
    ndim = input._data.ndim + 1
    d1, d2 = _diagonal_dims(ndim, dim1, dim2)
    n = as_int64((input._data.shape[-1] if input._data.ndim else 1) + as_int64(abs(offset)))
    shape = list(input._data.shape[:-1])
    for d in sorted((d1, d2)):
        shape.insert(d, n)
    check_symint_sizes(shape)
    check_storage(tuple(shape), input.dtype.np)
    attrs = {"offset": offset, "dim1": d1, "dim2": d2}
    return record(DIAG_EMBED, _embed_diagonal(input, tuple(shape), offset, d1, d2), (input,), attrs)


@op("diag(Tensor input, int64_t diagonal=0, *, Tensor out=None)", method=True, out_check=True)
def diag(input: Tensor, diagonal: int = 0) -> Tensor:
    ndim = input._data.ndim
    if ndim == 1:
        return diag_embed(input, diagonal, 0, 1)
    if ndim != 2:
        raise RuntimeError("diag(): Supports 1D or 2D tensors. Got %dD" % ndim)
    attrs = {"offset": diagonal, "dim1": 0, "dim2": 1}
    data = np.diagonal(input._data, within_matrix(diagonal, *input._data.shape))
    return record(DIAGONAL_COPY, data.copy(), (input,), attrs)


TRIL = defop("tril", grads={"self": lambda grad, diagonal: grad.tril(diagonal)}, complex_vjps=True)
TRIU = defop("triu", grads={"self": lambda grad, diagonal: grad.triu(diagonal)}, complex_vjps=True)


def _triangle(name: str, node: Any, np_fn: Any, input: Tensor, diagonal: int) -> Tensor:
    if input._data.ndim < 2:
        raise RuntimeError("%s: input tensor must have at least 2 dimensions" % name)
    offset = within_matrix(diagonal, *input._data.shape[-2:])
    return record(node, contiguous(np_fn(input._data, offset)), (input,), {"diagonal": diagonal})


@op("tril(Tensor input, SymInt diagonal=0, *, Tensor out=None)", method=True, inplace=True, overlapping=True,
    out_check=True)
def tril(input: Tensor, diagonal: int = 0) -> Tensor:
    return _triangle("tril", TRIL, np.tril, input, diagonal)


@op("triu(Tensor input, SymInt diagonal=0, *, Tensor out=None)", method=True, inplace=True, overlapping=True,
    out_check=True)
def triu(input: Tensor, diagonal: int = 0) -> Tensor:
    return _triangle("triu", TRIU, np.triu, input, diagonal)


