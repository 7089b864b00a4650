"""linalg.tensorinv and linalg.tensorsolve: inv and solve on a tensor seen as a square matrix, composed as torch
composes them (so with its grad_fn names)."""
from __future__ import annotations

import math
from typing import Any

from ..._tensor import Tensor
from ..registry import linalg_op
from .solvers import inv, solve


@linalg_op("linalg_tensorinv(Tensor input, int64_t ind=2, *, Tensor out=None)")
def tensorinv(input: Tensor, ind: int = 2) -> Tensor:
    if ind <= 0:
        raise RuntimeError("Expected a strictly positive integer for 'ind', but got %d" % ind)
    shape = tuple(input.shape)
    if ind > len(shape):  # (torch slices the sizes at ind unchecked)
        raise RuntimeError("ArrayRef: invalid slice, N = %d; size = %d" % (ind, len(shape)))
    rows, cols = math.prod(shape[:ind]), math.prod(shape[ind:])
    if rows != cols:
        raise RuntimeError("Expected self to satisfy the requirement prod(self.shape[ind:]) == prod(self.shape[:ind]), "
                           "but got %d != %d" % (cols, rows))
    return inv(input.reshape(rows, rows)).reshape(shape[ind:] + shape[:ind])


@linalg_op("linalg_tensorsolve(Tensor input, Tensor other, IntArrayRef? dims=None, *, Tensor out=None)")
def tensorsolve(A: Tensor, B: Tensor, dims: Any = None) -> Tensor:
    if dims is not None:  # those dims of A move to its end, in order (torch's movedim: a 0-d A takes dim 0 or -1)
        ndim = A.ndim
        A = A.movedim(list(dims), list(range(ndim - len(dims), ndim)))
    if A.ndim < B.ndim:  # torch sizes A.shape[B.ndim:] as a vector of negative length
        raise RuntimeError("cannot create std::vector larger than max_size()")
    result_shape = tuple(A.shape[B.ndim:])
    result_size, b_size = math.prod(result_shape), B.numel()
    if result_size != b_size:  # (torch's message names other's numel; A's other sizes meet the reshape below)
        raise RuntimeError("Expected self to satisfy the requirement prod(self.shape[other.ndim:]) == "
                           "prod(self.shape[:other.ndim]), but got %d != %d" % (result_size, b_size))
    return solve(A.reshape(result_size, result_size), B.flatten()).reshape(result_shape)
