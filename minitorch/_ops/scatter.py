"""gather / scatter / scatter_add: each one's VJP is written with the others."""
from __future__ import annotations

from typing import Any

import numpy as np

from .._tensor import Tensor
from .dims import wrap_dim
from .inplace import apply_inplace
from .registry import METHODS, both, check_tensor, defop, method, record


def _key(index: np.ndarray, dim: int) -> tuple:
    """A fancy-index key that addresses ``out[..., index[i, j, ...], ...]`` along ``dim``."""
    key = list(np.indices(index.shape, sparse=True)) if index.ndim else []
    if not index.ndim:
        return (index,)
    key[dim] = index
    return tuple(key)


def _check_index(fname: str, input: Tensor, dim: int, index: Tensor) -> int:
    check_tensor(fname, input)
    if not isinstance(index, Tensor) or index.dtype.np != np.int64:
        raise RuntimeError("%s(): Expected dtype int64 for index" % fname)
    d = wrap_dim(dim, input._data.ndim)
    if index._data.ndim != input._data.ndim and index._data.size:
        raise RuntimeError("Index tensor must have the same number of dimensions as %s tensor"
                           % ("input" if fname == "gather" else "self"))
    idx = index._data
    size = input._data.shape[d] if input._data.ndim else 1
    if idx.size and (idx.min() < -size or idx.max() >= size):
        bad = idx.max() if idx.max() >= size else idx.min()
        raise RuntimeError("index %d is out of bounds for dimension %d with size %d" % (bad, d, size))
    return d


GATHER = defop("gather", ("self",), {"self": lambda grad, self_shape, dim, index: grad.new_zeros(
    self_shape).scatter_add(dim, index, grad)})
SCATTER_ADD = defop("scatter_add", ("self", "src"), {
    "self": lambda grad: grad, "src": lambda grad, dim, index: grad.gather(dim, index)})
SCATTER = defop("scatter", ("self", "src"), {
    "self": lambda grad, dim, index: grad.scatter(dim, index, 0.0),
    "src": lambda grad, dim, index: grad.gather(dim, index)})


@both("gather")
def gather(input: Tensor, dim: int, index: Tensor, *, sparse_grad: bool = False) -> Tensor:
    d = _check_index("gather", input, dim, index)
    return record(GATHER, input._data[_key(index._data, d)], (input,), {"dim": d, "index": index})


def _src_part(src: Any, index: np.ndarray, dtype: Any) -> Any:
    if not isinstance(src, Tensor):
        return dtype.np.type(src)
    return src._data[tuple(slice(0, s) for s in index.shape)].astype(dtype.np, copy=False)


def _scatter_data(input: Tensor, d: int, index: Tensor, src: Any, add: bool) -> np.ndarray:
    out = input._data.copy()
    key = _key(index._data, d)
    part = _src_part(src, index._data, input.dtype)
    if add:
        np.add.at(out, key, part)
    else:
        out[key] = part
    return out


@both("scatter")
def scatter(input: Tensor, dim: int, index: Tensor, src: Any = None, *, value: Any = None,
            reduce: str | None = None) -> Tensor:
    d = _check_index("scatter", input, dim, index)
    source = value if src is None else src
    if reduce == "add":
        return scatter_add(input, d, index, source)
    return record(SCATTER, _scatter_data(input, d, index, source, False), (input, source),
                  {"dim": d, "index": index})


@both("scatter_add")
def scatter_add(input: Tensor, dim: int, index: Tensor, src: Tensor) -> Tensor:
    d = _check_index("scatter_add", input, dim, index)
    return record(SCATTER_ADD, _scatter_data(input, d, index, src, True), (input, src),
                  {"dim": d, "index": index})


@method("scatter_")
def scatter_(self: Tensor, dim: int, index: Tensor, src: Any = None, *, value: Any = None,
             reduce: str | None = None) -> Tensor:
    d = _check_index("scatter_", self, dim, index)
    source = value if src is None else src
    data = _scatter_data(self, d, index, source, reduce == "add")
    op = SCATTER_ADD if reduce == "add" else SCATTER
    return apply_inplace(op, self, data, (self, source), {"dim": d, "index": index})


@method("scatter_add_")
def scatter_add_(self: Tensor, dim: int, index: Tensor, src: Tensor) -> Tensor:
    d = _check_index("scatter_add_", self, dim, index)
    return apply_inplace(SCATTER_ADD, self, _scatter_data(self, d, index, src, True), (self, src),
                         {"dim": d, "index": index})


METHODS["new_zeros"] = lambda self, *size, dtype=None, device=None, requires_grad=False: _new_filled(
    self, size, 0, dtype, requires_grad)
METHODS["new_ones"] = lambda self, *size, dtype=None, device=None, requires_grad=False: _new_filled(
    self, size, 1, dtype, requires_grad)


def _new_filled(self: Tensor, size: tuple, value: Any, dtype: Any, requires_grad: bool) -> Tensor:
    from .dims import parse_size
    dt = dtype or self.dtype
    return Tensor._make(np.full(parse_size(size, "new_zeros"), value, dt.np), requires_grad)
