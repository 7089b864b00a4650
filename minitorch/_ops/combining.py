"""Tensors built from others by combination: block_diag, cartesian_prod, combinations, vander, diagflat; and the
index helpers broadcast_shapes and unravel_index."""
from __future__ import annotations

import itertools
from typing import Any, Sequence

import numpy as np

from .. import _dtype as D
from .._size import Size
from .._tensor import Tensor
from ..autograd.recording import VARIADIC, defop, record
from .dims import check_allocatable, check_numel, check_vector_length
from .joining import meshgrid, stack
from .registry import op, python_op

BLOCK_DIAG = defop("block_diag", VARIADIC, {"*": lambda grad, index, corners: grad[
    corners[index][0]:corners[index + 1][0], corners[index][1]:corners[index + 1][1]]}, complex_vjps=True)


@python_op("block_diag")
def block_diag(*tensors: Tensor) -> Tensor:
    """The tensors (0-d, 1-d as a row, or 2-d) along the diagonal of one matrix, zeros elsewhere."""
    blocks = []
    for i, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise TypeError("expected Tensor as element %d in argument 0, but got %s" % (i, type(t).__name__))
        if t.ndim > 2:
            raise RuntimeError("torch.block_diag: Input tensors must have 2 or fewer dimensions. Input %d has %d "
                               "dimensions" % (i, t.ndim))
        blocks.append(t._data.reshape((1,) * (2 - t.ndim) + t._data.shape))
    dt = D.result_type_of(tuple(D.operand_key(t) for t in tensors)) if tensors else D.get_default_dtype()
    corners = [(0, 0)]
    for b in blocks:
        corners.append((corners[-1][0] + b.shape[0], corners[-1][1] + b.shape[1]))
    out = np.zeros(corners[-1] if tensors else (1, 0), dt.np)  # torch's answer for no tensors: 1 x 0
    for b, (r, c), (r2, c2) in zip(blocks, corners, corners[1:]):
        out[r:r2, c:c2] = D.cast_np(b, dt.np)  # (c10's conversion: complex32 storage, reduced floats)
    return record(BLOCK_DIAG, out, tensors, {"corners": corners})


def _check_vector(t: Tensor, position: int = 0) -> None:
    if not isinstance(t, Tensor):
        raise TypeError("expected Tensor as element %d in argument 0, but got %s" % (position, type(t).__name__))
    if t.ndim != 1:
        raise RuntimeError("Expect a 1D vector, but got shape %s" % list(t.shape))


@python_op("cartesian_prod")
def cartesian_prod(*tensors: Tensor) -> Tensor:
    """Every combination of one element from each 1-d tensor, one row each (the tensor itself for one)."""
    for i, t in enumerate(tensors):
        _check_vector(t, i)
    if len(tensors) == 1:
        return tensors[0]
    return stack([g.reshape(-1) for g in meshgrid(*tensors, indexing="ij")], 1)


_NUMPY_MAX_DIMS = 64


@op("combinations(Tensor input, int64_t r=2, bool with_replacement=False)")
def combinations(input: Tensor, r: int = 2, with_replacement: bool = False) -> Tensor:
    """The r-element combinations of a 1-d tensor's elements, one row each, in lexicographic order.

    Built as torch builds it, so that the gradient adds up in torch's order: column k is the k-th of r meshgrid
    copies of the input (a view expanded to (n,) * r) masked by the combinations' positions; each input
    element's gradient from column k is a sum over the grid, and the r columns' gradients are then added."""
    _check_vector(input)
    if r < 0:
        raise RuntimeError("Expect a non-negative number, but got %d" % r)
    if r == 0:
        return input.new_zeros((0,))
    check_vector_length(r)  # (torch's meshgrid of r copies of the input)
    n = input.shape[0]
    check_numel((n,) * r)
    check_allocatable(n ** r)  # (torch's first tensor of the grid's size: its bool mask)
    choose = itertools.combinations_with_replacement if with_replacement else itertools.combinations
    picks = np.array(list(choose(range(n), r)), np.int64).reshape(-1, r)
    mask = np.zeros(n ** r, np.bool_)
    mask[picks @ (n ** np.arange(r - 1, -1, -1, dtype=np.int64))] = True
    if r > _NUMPY_MAX_DIMS:  # (n is 0 or 1 here: each grid folded to 3 dims, its mask alike: torch's graph and values)
        shapes = [(n ** k, n, n ** (r - 1 - k)) for k in range(r)]
        grids = [input.view(1, n, 1).expand(shape) for shape in shapes]
    else:
        shapes = [(n,) * r] * r
        grids = [input.view((1,) * k + (n,) + (1,) * (r - 1 - k)).expand(shapes[k]) for k in range(r)]
    return stack([grid.masked_select(Tensor._make(mask.reshape(shape))) for grid, shape in zip(grids, shapes)], 1)


@op("vander(Tensor x, int64_t? N=None, bool increasing=False)")
def vander(x: Tensor, N: int | None = None, increasing: bool = False) -> Tensor:  # noqa: N803 - torch's name
    """The Vandermonde matrix of a 1-d tensor: columns of powers, decreasing unless ``increasing``."""
    if x.ndim != 1:
        raise RuntimeError("x must be a one-dimensional tensor.")
    n = x.shape[0] if N is None else N
    if n < 0:
        raise RuntimeError("N must be non-negative.")
    dt = D.promote_types(x.dtype, D.int64)
    result = x.new_empty((x.shape[0], n), dtype=dt)
    if n > 0:
        result.select(1, 0).fill_(1)
    if n > 1:  # torch's steps: x copied into the columns after the first, then their running product copied over
        # them, which modifies the input that cumprod saved (torch's backward refuses it: its version moved on)
        result.narrow(1, 1, n - 1).copy_(x.unsqueeze(1))
        result.narrow(1, 1, n - 1).copy_(result.narrow(1, 1, n - 1).cumprod(1))
    return result if increasing else result.flip(1)


@op("diagflat(Tensor input, int64_t offset=0)", method=True)
def diagflat(input: Tensor, offset: int = 0) -> Tensor:
    """The flattened input on the ``offset``-th diagonal of a square matrix."""
    return input.reshape(-1).diag_embed(offset)


@python_op("broadcast_shapes")
def broadcast_shapes(*shapes: Any) -> Size:
    """The shape the given shapes broadcast to, with torch's error for those that do not."""
    sizes = []
    for s in shapes:
        if isinstance(s, int):
            sizes.append((s,))
        elif isinstance(s, (tuple, list, str)):  # a string fails as torch's does, comparing its characters
            sizes.append(tuple(s))
        elif s is not None:  # torch passes None over
            raise RuntimeError("Input shapes should be of type ints, a tuple of ints, or a list of ints, got %s" % s)
    result: list[int] = [1] * max((len(s) for s in sizes), default=0)
    for index, shape in enumerate(sizes):
        for i in range(-1, -len(shape) - 1, -1):
            if shape[i] < 0:
                raise ValueError("Attempting to broadcast a dimension with negative length!")
            if shape[i] == 1 or shape[i] == result[i]:
                continue
            if result[i] != 1:
                raise RuntimeError("Attempting to broadcast a dimension of length %d at %d! Mismatching argument at "
                                   "index %d had %s; but expected shape should be broadcastable to %s"
                                   % (shape[i], i, index, tuple(shape), result))
            result[i] = shape[i]
    return Size(result)


@python_op("unravel_index")
def unravel_index(indices: Tensor, shape: int | Sequence[int]) -> tuple:
    """The coordinates of flat indices in an array of ``shape`` (wrapping as torch: by floor division and
    modulo)."""
    if not isinstance(indices, Tensor):
        raise TypeError("expected 'indices' to be a tensor, but got %s" % type(indices))
    if indices.dtype.category != D.INTEGRAL or indices.dtype is D.bool:
        raise TypeError("expected 'indices' to be integer dtype, but got %s" % indices.dtype)
    dims = (shape,) if isinstance(shape, int) else tuple(shape)
    flat = indices._data.astype(np.int64)
    coordinates = []
    for size in reversed(dims):
        coordinates.append(np.mod(flat, size))
        flat = np.floor_divide(flat, size)
    return tuple(Tensor._make(np.asarray(c)) for c in reversed(coordinates))
