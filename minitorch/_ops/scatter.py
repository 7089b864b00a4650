"""Writing by index: scatter / scatter_add, index_add / index_fill / index_copy, put, and gather, the
read that is their adjoint (each one's VJP is written with the others). Every writing op has an
out-of-place form and an in-place ``op_`` derived from it by the record. (Reading by index - ``t[key]``,
index_select, take, the masked ops - and ``t[key] = v`` live in ``indexing.py``.)"""
from __future__ import annotations

from functools import partial
from typing import Any, Callable

import numpy as np

from .. import _dtype as D
from .._creation import check_new_tensor, requiring_grad
from .._tensor import Tensor
from .._overlap import warn_if_expanded
from .._warn_once import warn_once
from .dims import parse_size, wrap_dim
from .inplace import apart_from_inputs, finish
from .limited_dtypes import kernel_reached
from .preserve_format import empty_like_array
from .registry import adopt, op
from .scalar_cast import checked_scalar
from ..autograd.recording import defop, has_memory_to_write, record


def _key(index: np.ndarray, dim: int) -> tuple:
    """A fancy-index key that addresses ``out[..., index[i, j, ...], ...]`` along ``dim``."""
    if not index.ndim:
        return (index,)
    key: list[np.ndarray] = list(np.indices(index.shape, sparse=True))
    key[dim] = index
    return tuple(key)


def _dim_key(dim: int, index: np.ndarray) -> tuple:
    return (slice(None),) * dim + (index,)


def _combine_at(ufunc: Any, view: np.ndarray, key: tuple, part: Any) -> None:
    """``ufunc.at(view, key, part)`` as torch's scatter kernels combine: float16 and bfloat16 in a float32 copy of
    ``view`` (their opmath buffer), rounded once at the end, not at each step."""
    acc = view.astype(D.opmath_np(view.dtype), copy=False)
    ufunc.at(acc, key, np.asarray(part).astype(acc.dtype, copy=False))
    if acc is not view:
        view[...] = acc


# ---- gather, scatter, scatter_add --------------------------------------------------------------
def _nonempty_size(a: np.ndarray, k: int) -> int:
    return a.shape[k] if a.ndim else 1


def _check_gather_index(fname: str, input: Tensor, dim: int, index: Any, src: Any = None,
                        check_reduce: Callable[[], None] | None = None) -> int:
    """torch's checks on gather/scatter arguments, in its order (an empty index's dtype is not looked at; the
    ``reduce`` argument's check before the indices' bounds); returns the wrapped dim."""
    d = wrap_dim(dim, input._data.ndim)
    idx, shape = index._data, input._data.shape
    if idx.size and index.dtype not in (D.int64, D.int32):
        raise RuntimeError("%s(): Expected dtype int32/int64 for index" % fname.rstrip("_"))
    if isinstance(src, Tensor) and src.dtype is not input.dtype:
        raise RuntimeError("scatter(): Expected self.dtype to be equal to src.dtype")
    if not idx.size:  # (no shape or bounds to check: the reduce argument still is)
        if check_reduce is not None:
            check_reduce()
        return d
    gather = fname == "gather"
    if max(idx.ndim, 1) != max(input._data.ndim, 1):  # a 0-d tensor counts as 1-d
        raise RuntimeError("Index tensor must have the same number of dimensions as %s tensor"
                           % ("input" if gather else "self"))
    dims = range(max(idx.ndim, 1))  # (a 0-d index has size 1 in its one dim, as c10's ensure_nonempty_size)
    too_big = [k for k in dims if k != d and _nonempty_size(idx, k) > (shape[k] if shape else 1)]
    if gather and too_big:
        raise RuntimeError("Size does not match at dimension %d expected index %s to be no larger than self %s apart "
                           "from dimension %d" % (too_big[0], list(idx.shape), list(shape), d))
    src_small = False
    if isinstance(src, Tensor) and not too_big:  # a 0-d src has size 1; one with fewer dims fails on size(d)
        src_small = any(_nonempty_size(idx, k) > (src._data.shape[wrap_dim(k, src._data.ndim)] if src._data.ndim
                                                  else 1) for k in dims)
    if isinstance(src, Tensor) and max(src._data.ndim, 1) != max(idx.ndim, 1):  # (after the sizes are read)
        raise RuntimeError("Index tensor must have the same number of dimensions as src tensor")
    if not gather and (too_big or src_small):
        raise RuntimeError("Expected index %s to be no larger than self %s apart from dimension %d%s"
                           % (list(idx.shape), list(shape), d, " and to be no larger size than src %s"
                              % list(src._data.shape) if isinstance(src, Tensor) else ""))
    if check_reduce is not None:
        check_reduce()
    size = shape[d] if shape else 1
    bad = idx[(idx < 0) | (idx >= size)]
    if bad.size:
        raise RuntimeError("index %d is out of bounds for dimension %d with size %d" % (bad.flat[0], d, size))
    return d


# (torch's node saves self, whose sizes its formula reads)
GATHER = defop("gather", ("self",), {"self": lambda grad, self, dim, index: grad.new_zeros(
    self.shape).scatter_add(dim, index, grad)}, complex_vjps=True, saved_attrs=("index",))
SCATTER_ADD = defop("scatter_add", ("self", "src"), {
    "self": lambda grad: grad, "src": lambda grad, dim, index: grad.gather(dim, index)}, complex_vjps=True,
    saved_attrs=("index",))
SCATTER = defop("scatter", ("self", "src"), {
    "self": lambda grad, dim, index: grad.scatter(dim, index, 0.0),
    "src": lambda grad, dim, index: grad.gather(dim, index)}, complex_vjps=True, saved_attrs=("index",))
SCATTER_VALUE = defop("scatter", ("self",), {"self": lambda grad, dim, index: grad.scatter(dim, index, 0.0)},
                      grad_name="ScatterBackward1", complex_vjps=True, saved_attrs=("index",))


def _no_derivative(name: str) -> Callable:
    def vjp(grad: Tensor) -> Tensor:
        raise RuntimeError("derivative for aten::%s is not implemented" % name)
    return vjp


# scatter's deprecated ``reduce=`` has no derivative in torch: its node is named NotImplemented
SCATTER_REDUCE = {name: defop(name, ("self", "src"), {"self": _no_derivative(name), "src": _no_derivative(name)},
                              grad_name="NotImplemented") for name in ("scatter", "scatter_")}


@op("gather(Tensor input, int64_t dim, Tensor index, *, bool sparse_grad=False, Tensor out=None)", method=True,
    out_check=True, out_rule=apart_from_inputs)
def gather(input: Tensor, dim: int, index: Tensor, *, sparse_grad: bool = False) -> Tensor:
    d = _check_gather_index("gather", input, dim, index)
    if not index._data.size:  # (torch checks nothing else of an empty index: its shape is the result's)
        data = np.empty(index._data.shape, input._data.dtype)
    elif input._data.ndim:
        data = input._data[_key(index._data.astype(np.intp, copy=False), d)]
    else:
        data = np.broadcast_to(input._data, index._data.shape).copy()
    return record(GATHER, np.asarray(data), (input,), {"dim": d, "index": index})


def _scatter_data(input: Tensor, d: int, index: Tensor, src: Any, ufunc: Any) -> np.ndarray:
    """``input`` with ``src`` (a tensor's leading block, or a scalar) written (or combined by ``ufunc``)
    at ``index`` along ``d``."""
    out = input._data.copy()
    if not index._data.size:  # nothing written (torch checks no more of an empty index)
        return out
    view = out.reshape(out.shape or (1,))  # a 0-d input is written as one element
    idx = index._data.astype(np.intp, copy=False)
    key = _key(idx.reshape(idx.shape or (1,)), d)
    if isinstance(src, Tensor):
        part = src._data.reshape(src._data.shape or (1,))[tuple(slice(0, s) for s in (idx.shape or (1,)))]
        part = part.astype(input.dtype.np, copy=False)
    else:
        part = checked_scalar(src, input.dtype)
    if ufunc is None:
        view[key] = part
    else:
        _combine_at(ufunc, view, key, part)
    return out


_REDUCE = {"add": np.add, "multiply": np.multiply}


def _check_reduce(reduce: str) -> None:
    if reduce not in _REDUCE:
        raise RuntimeError("reduce argument must be either add or multiply.")


def _scatter(self: Tensor, dim: int, index: Tensor, source: Any, *, reduce: str | None = None,
             inplace: bool = False) -> Tensor:
    fname = "scatter_" if inplace else "scatter"
    if reduce is not None and isinstance(source, Tensor):  # (torch warns before any check)
        warn_once("scatter_reduce_src", "The reduce argument of torch.scatter with Tensor src is deprecated and will "
                  "be removed in a future PyTorch release. Use torch.scatter_reduce instead for more reduction "
                  "options. (Triggered internally at /__w/pytorch/pytorch/aten/src/ATen/native/"
                  "TensorAdvancedIndexing.cpp:225.)", stacklevel=3)
    d = _check_gather_index(fname, self, dim, index, source, None if reduce is None else partial(_check_reduce, reduce))
    attrs = {"dim": d, "index": index}
    if reduce is not None:
        data = _scatter_data(self, d, index, source, _REDUCE[reduce])
        return finish(SCATTER_REDUCE[fname], self, data, (self, source), attrs, inplace)
    data = _scatter_data(self, d, index, source, None)
    if isinstance(source, Tensor):
        return finish(SCATTER, self, data, (self, source), attrs, inplace)
    return finish(SCATTER_VALUE, self, data, (self,), attrs, inplace)


def _scatter_inplace(self: Tensor, dim: int, index: Tensor, source: Any, *, reduce: str | None = None) -> Tensor:
    """Not derived: torch's in-place reduce records its own node (aten::scatter_ has no derivative)."""
    return _scatter(self, dim, index, source, reduce=reduce, inplace=True)


op("scatter(Tensor input, int64_t dim, Tensor index, Tensor src, *, Tensor out=None)",
   "scatter(Tensor input, int64_t dim, Tensor index, Tensor src, *, c10::string_view reduce, Tensor out=None)",
   "scatter(Tensor input, int64_t dim, Tensor index, Scalar value, *, Tensor out=None)",
   "scatter(Tensor input, int64_t dim, Tensor index, Scalar value, *, c10::string_view reduce, Tensor out=None)",
   method=True, inplace=_scatter_inplace, out_check=True, out_rule=apart_from_inputs)(_scatter)


@op("scatter_add(Tensor input, int64_t dim, Tensor index, Tensor src, *, Tensor out=None)", method=True, inplace=True,
    out_check=True, out_rule=apart_from_inputs)
def _scatter_add(self: Tensor, dim: int, index: Tensor, src: Tensor) -> Tensor:
    d = _check_gather_index("scatter", self, dim, index, src)  # torch's shared check names scatter
    data = _scatter_data(self, d, index, src, np.add)
    return record(SCATTER_ADD, data, (self, src), {"dim": d, "index": index})


# ---- index_add, index_fill, index_copy --------------------------------------------------------
INDEX_ADD = defop("index_add", ("self", "source"), {
    "self": lambda grad: grad,
    # (torch's formula scales by alpha itself, not its conjugate)
    "source": lambda grad, dim, index, source, alpha: _times(grad.index_select(dim, index).expand_as(source), alpha)},
    complex_vjps=True,
    saved_attrs=("index",))
INDEX_FILL = defop("index_fill", ("self",), {"self": lambda grad, dim, index: grad.index_fill(dim, index, 0)},
                   complex_vjps=True, saved_attrs=("index",))
INDEX_FILL_TENSOR = defop("index_fill", ("self", "value"), {
    "self": lambda grad, dim, index: grad.index_fill(dim, index, 0),
    # each filled position once, however often the index repeats it (torch's _unique of the index)
    "value": lambda grad, dim, index: grad.index_select(dim, Tensor._make(np.unique(index._data))).sum()},
    grad_name="IndexFillBackward1", complex_vjps=True, saved_attrs=("index",))
INDEX_COPY = defop("index_copy", ("self", "source"), {
    "self": lambda grad, dim, index: grad.index_fill(dim, index, 0),
    "source": lambda grad, dim, index, source: grad.index_select(dim, index).expand_as(source)}, complex_vjps=True,
    saved_attrs=("index",))


def _times(x: Tensor, alpha: Any) -> Tensor:
    return x if alpha == 1 else x * alpha


def _along(t: Tensor) -> np.ndarray:
    """``t``'s data with a 0-d tensor seen as one element, so that a dim and a key apply."""
    return t._data.reshape(t._data.shape or (1,))


def _check_index_source(fname: str, self: Tensor, dim: int, index: Tensor, source: Tensor) -> int:
    """torch's checks on the arguments of index_add/index_reduce; returns the wrapped dim."""
    d = wrap_dim(dim, self._data.ndim)
    if index._data.ndim > 1:
        raise IndexError("%s(): Index is supposed to be a vector, but got dim: %d with type: %s and size: %s"
                         % (fname, index._data.ndim, index.dtype._cast_name, list(index._data.shape)))
    if index.dtype not in (D.int64, D.int32):
        raise RuntimeError("%s(): Expected dtype int32/int64 for index but got: %s" % (fname, index.dtype._cast_name))
    if source.dtype is not self.dtype:
        raise RuntimeError("%s(): self (%s) and source (%s) must have the same scalar type"
                           % (fname, self.dtype._cast_name, source.dtype._cast_name))
    if d != 0 and d >= source._data.ndim:
        raise RuntimeError("%s(): Indexing dim %d is out of bounds of the source tensor with dim %d"
                           % (fname, d, source._data.ndim))
    count = source._data.shape[d] if source._data.ndim else 1
    if index._data.size != count:
        if not source._data.ndim:  # (torch's message reads source.size(dim), which a 0-d source refuses)
            raise IndexError("Dimension specified as 0 but tensor has no dimensions")
        raise RuntimeError("%s(): Number of indices (%d) should be equal to source.size(dim): (%d), for dim: %d"
                           % (fname, index._data.size, count, d))
    if self._data.ndim != source._data.ndim or any(
            a != b for k, (a, b) in enumerate(zip(self._data.shape, source._data.shape)) if k != d):
        raise RuntimeError("source tensor shape must match self tensor shape, excluding the specified dimension. Got "
                           "self.shape = %s source.shape = %s" % (list(self._data.shape), list(source._data.shape)))
    return d


@op("index_add(Tensor input, int64_t dim, Tensor index, Tensor source, *, Scalar alpha=1, Tensor out=None)",
    method=True, inplace=True, out_check=True, out_rule=apart_from_inputs)
def _index_add(self: Tensor, dim: int, index: Tensor, source: Tensor, *, alpha: Any = 1) -> Tensor:
    d = _check_index_source("index_add_", self, dim, index, source)
    data = self._data.copy()
    if self._data.ndim <= 1:  # (torch's kernel for a vector or a scalar checks each index with its own message,
        kernel_reached()      # after its dtype dispatch)
        size = _along(self).shape[0]
        if np.any((index._data < 0) | (index._data >= size)):
            raise IndexError("index out of range in self")
    elif not data.size:  # (its kernel for a matrix returns at once for an empty self: no index is checked)
        return record(INDEX_ADD, data, (self, source), {"dim": d, "index": index, "alpha": alpha})
    idx = _checked_indices(index, self, d, "")
    src = _along(source)
    if alpha == 1 and data.ndim > 1 and d in (0, data.ndim - 1) and index.dtype is D.int64:
        _combine_at(np.add, data, _dim_key(d, idx), src)  # (torch's kernel runs scatter_add on these)
    else:  # slice by slice, each addition rounded
        np.add.at(_along_view(data), _dim_key(d, idx), src * checked_scalar(alpha, self.dtype) if alpha != 1 else src)
    return record(INDEX_ADD, data, (self, source), {"dim": d, "index": index, "alpha": alpha})


def _along_view(data: np.ndarray) -> np.ndarray:
    return data.reshape(data.shape or (1,))


def _checked_indices(index: Tensor, self: Tensor, d: int, prefix: str, negative: bool = False,
                     error: type = RuntimeError) -> np.ndarray:
    """``index`` as a flat array, refusing entries outside the dim (negative ones wrap when allowed)."""
    size = _along(self).shape[d]
    idx = index._data.reshape(-1).astype(np.intp, copy=False)
    bad = idx[(idx < (-size if negative else 0)) | (idx >= size)]
    if bad.size:
        raise error("%sindex %d is out of bounds for dimension %d with size %d" % (prefix, bad[0], d, size))
    return idx % size if negative and size else idx


def _index_fill_inplace(self: Tensor, dim: int, index: Tensor, value: Any) -> Tensor:
    """Tensor.index_fill_: torch's kernel skips the overlap check, warning, and writes an expanded self through its
    shared memory."""
    result = _index_fill(self, dim, index, value)
    warn_if_expanded("index_fill_", self._data, stacklevel=4)
    return adopt(self, result, overlapping=True)


@op("index_fill(Tensor input, int64_t dim, Tensor index, Tensor value)",
    "index_fill(Tensor input, int64_t dim, Tensor index, Scalar value)", method=True, inplace=_index_fill_inplace)
def _index_fill(self: Tensor, dim: int, index: Tensor, value: Any) -> Tensor:
    if isinstance(value, Tensor) and value._data.ndim:  # torch's tensor overload checks it before anything
        raise RuntimeError("index_fill_ only supports a 0-dimensional value tensor, but got tensor with %d "
                           "dimension(s)." % value._data.ndim)
    if index.dtype is not D.int64:
        raise IndexError("index_fill_(): Expected dtype int64 for index.")
    complex_value = value.is_complex() if isinstance(value, Tensor) else isinstance(value, complex)
    if complex_value and not self.is_complex():  # (before the dim is wrapped)
        raise RuntimeError("index_fill_(): Converting complex Scalar to non-complex type is not supported")
    d = wrap_dim(dim, self._data.ndim)
    if index._data.ndim > 1:
        raise RuntimeError("Index has to be a vector/scalar")
    kernel_reached()  # (the kernel checks the indices' bounds: after its dtype refusal)
    idx = _checked_indices(index, self, d, "", negative=True, error=IndexError)
    data = empty_like_array(self._data, self._data.dtype)  # (torch fills a clone: laid out as self)
    np.copyto(data, self._data)
    # (the value converted as c10 converts it: complex32's storage takes a cast, not a Python complex)
    _along_view(data)[_dim_key(d, idx)] = D.cast_np(np.asarray(checked_scalar(value, self.dtype)), data.dtype)
    attrs = {"dim": d, "index": index}
    if isinstance(value, Tensor):
        return record(INDEX_FILL_TENSOR, data, (self, value), attrs)
    return record(INDEX_FILL, data, (self,), attrs)


def _index_copy_inplace(self: Tensor, dim: int, index: Tensor, source: Tensor) -> Tensor:
    """index_copy_: torch's meta function checks the output's memory right after wrapping the dim, before the rest."""
    wrap_dim(dim, self._data.ndim)
    has_memory_to_write(self)
    return adopt(self, _index_copy(self, dim, index, source))


@op("index_copy(Tensor input, int64_t dim, Tensor index, Tensor source, *, Tensor out=None)", method=True,
    inplace=lambda self, dim, index, source: _index_copy_inplace(self, dim, index, source), out_check=True,
    out_rule=apart_from_inputs)
def _index_copy(self: Tensor, dim: int, index: Tensor, source: Tensor) -> Tensor:
    d = wrap_dim(dim, self._data.ndim)
    if index._data.ndim > 1:
        raise IndexError("index_copy_(): Index should have dimension 1 or 0 (got %d)" % index._data.ndim)
    if not source._data.ndim and index._data.size != 1:
        raise IndexError("index_copy_(): When source is scalar, index should have one element (got %d)"
                         % index._data.size)
    if self._data.ndim and source._data.ndim and self._data.ndim != source._data.ndim:
        raise IndexError("index_copy_(): When source and destination are not scalars, their dimensionality must "
                         "match. Source dimensionality (%d), destination dimensionality (%d)"
                         % (source._data.ndim, self._data.ndim))
    if index.dtype is not D.int64:
        raise RuntimeError("index_copy_(): Expected a long tensor for index, but got %s" % index.dtype._cast_name)
    if self.dtype is not source.dtype:
        raise RuntimeError("index_copy_(): self and source expected to have the same dtype, but got (self) %s and "
                           "(source) %s" % (self.dtype._cast_name, source.dtype._cast_name))
    dst_slice = [s for k, s in enumerate(self._data.shape) if k != d]
    src_slice = [s for k, s in enumerate(source._data.shape) if k != d]
    if self._data.ndim and dst_slice != src_slice:
        raise RuntimeError("index_copy_(): Source/destination tensor must have same slice shapes. Destination slice "
                           "shape: %s at dimension %d and source slice shape: %s at dimension 0."
                           % (" ".join(map(str, dst_slice)), d, " ".join(map(str, src_slice))))
    count = _along(source).shape[d] if source._data.ndim > d else 1
    if index._data.size != count:
        raise IndexError("index_copy_(): Number of indices (%d) should be equal to source.size(dim) (%d)"
                         % (index._data.size, count))
    idx = _checked_indices(index, self, d, "index_copy_(): ", error=IndexError)
    data = self._data.copy()
    _along_view(data)[_dim_key(d, idx)] = _along(source)
    return record(INDEX_COPY, data, (self, source), {"dim": d, "index": index})


# ---- put --------------------------------------------------------------------------------------
PUT = defop("put", ("self", "source"), {
    "self": lambda grad, index, source, accumulate: grad if accumulate else grad.put(
        index, source.new_zeros(source.shape), False),
    "source": lambda grad, index, source: grad.take(index).reshape(source.shape)}, complex_vjps=True,
    saved_attrs=("index",))


@op("put(Tensor input, Tensor index, Tensor source, bool accumulate=False)", method=True, inplace=True)
def _put(self: Tensor, index: Tensor, source: Tensor, accumulate: bool = False) -> Tensor:
    if index.dtype is not D.int64:
        raise RuntimeError("put_(): Expected a long tensor for index, but got %s" % index.dtype._cast_name)
    if self.dtype is not source.dtype:
        raise RuntimeError("put_(): self and source expected to have the same dtype, but got self.dtype = %s and "
                           "source.dtype = %s" % (self.dtype._cast_name, source.dtype._cast_name))
    if index._data.size != source._data.size:
        raise IndexError("put_(): Expected source and index to have the same number of elements, but got "
                         "source.numel() = %d, index.numel() = %d" % (source._data.size, index._data.size))
    n = self._data.size
    idx = index._data.reshape(-1).astype(np.intp, copy=False)
    bad = idx[(idx < -n) | (idx >= n)]
    if bad.size:
        raise IndexError("out of range: tried to access index %d on a tensor of %d elements." % (bad[0], n))
    data = self._data.copy()
    flat = data.reshape(-1)
    if accumulate:
        np.add.at(flat, idx, source._data.reshape(-1))
    else:
        flat[idx] = source._data.reshape(-1)
    return record(PUT, data, (self, source), {"index": index, "accumulate": accumulate})


_NEW = "(SymIntArrayRef size, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, " \
       "bool? pin_memory=False, bool? requires_grad=False)"


def _new_filled(value: Any) -> Callable:
    def new(self: Tensor, size: Any, *, dtype: Any = None, layout: Any = None, device: Any = None,
            pin_memory: Any = False, requires_grad: Any = False) -> Tensor:
        return _new_full(self, size, value, dtype=dtype, requires_grad=requires_grad)
    return new


@op(method=["new_full(SymIntArrayRef size, Scalar fill_value, *, ScalarType? dtype=None, Layout? layout=None, "
            "Device? device=None, bool? pin_memory=False, bool? requires_grad=False)"])
def _new_full(self: Tensor, size: Any, fill_value: Any, *, dtype: Any = None, layout: Any = None,
              device: Any = None, pin_memory: Any = False, requires_grad: Any = False) -> Tensor:
    dt = dtype or self.dtype
    shape = parse_size((size,))
    value = check_new_tensor(shape, dt, bool(requires_grad), fill_value)
    return requiring_grad(Tensor._make(np.full(shape, value, dt.np)), bool(requires_grad))


new_zeros = op(method=["new_zeros" + _NEW])(_new_filled(0))
new_ones = op(method=["new_ones" + _NEW])(_new_filled(1))
new_empty = op(method=["new_empty" + _NEW])(_new_filled(0))  # (torch's memory is uninitialised: zeros here)


# ---- scatter_reduce, index_reduce -------------------------------------------------------------
def _identity(reduce: str, dtype: np.dtype) -> Any:
    """The value a scattered-to position starts from when ``include_self=False``."""
    if reduce in ("amax", "amin"):
        if D.is_floating_np(dtype) or dtype.kind == "c":
            return -np.inf if reduce == "amax" else np.inf
        if dtype == np.bool_:
            return reduce == "amin"
        info = np.iinfo(dtype)
        return info.min if reduce == "amax" else info.max
    return 1 if reduce == "prod" else 0


_REDUCE_UFUNC = {"sum": np.add, "mean": np.add, "prod": np.multiply, "amax": np.maximum, "amin": np.minimum}


def _reduced_data(self: Tensor, d: int, index: np.ndarray, src: Tensor, reduce: str, include_self: bool,
                  opmath: bool = True) -> np.ndarray:
    """``self`` with ``src[i, j, ...]`` combined by ``reduce`` into ``self[..., index[i, j, ...], ...]``;
    float16/bfloat16 combined in float32 (``opmath``: scatter's kernels) or rounded at each step (index_reduce's
    slice by slice ops)."""
    out = self._data.copy()
    if not index.size:  # nothing combined (torch checks no more of an empty index)
        return out
    view = _along_view(out)
    idx = index.reshape(index.shape or (1,))
    key = _key(idx, d)
    bounds = tuple(slice(0, size) for size in np.shape(idx))
    part = _along(src)[bounds]
    if not include_self:
        view[key] = _identity(reduce, out.dtype)
    if opmath:
        _combine_at(_REDUCE_UFUNC[reduce], view, key, part)
    else:
        _REDUCE_UFUNC[reduce].at(view, key, part)
    if reduce == "mean":  # (the sum, rounded, divided by the counts in the dtype's compute type)
        count = np.ones(view.shape, np.int64) if include_self else np.zeros(view.shape, np.int64)
        np.add.at(count, key, 1)
        np.maximum(count, 1, out=count)
        divide = np.true_divide if D.is_floating_np(out.dtype) or out.dtype.kind == "c" else np.floor_divide
        view[...] = divide(view.astype(D.opmath_np(out.dtype), copy=False), count).astype(out.dtype, copy=False)
    return out


def _product_again(self: Tensor, d: int, index: Tensor, src: Tensor, include_self: bool, opmath: bool) -> Tensor:
    """``self`` with ``src``'s products scattered in again, by scatter_reduce (``opmath``) or index_reduce (rounding
    each step), recorded as that op (so that it is differentiable again)."""
    data = _reduced_data(self, d, index._data.astype(np.intp), src, "prod", include_self, opmath=opmath)
    return record(SCATTER_REDUCE_TWO if opmath else INDEX_REDUCE, data, (self, src),
                  _reduce_attrs(d, index, "prod", include_self))


def _reduce_grads(grad: Tensor, self: Tensor, src: Tensor, dim: int, index: Tensor, reduce: str,
                  include_self: bool, result: Tensor, opmath: bool) -> tuple[Tensor, Tensor]:
    """The gradients of ``self.scatter_reduce(dim, index, src, reduce, include_self)`` for self and src
    (``index`` has src's shape), written with minitorch ops so that they are differentiable again; ``opmath``:
    scatter_reduce's (products again in float32), else index_reduce's (rounding each step)."""
    if reduce == "sum":
        grad_self, grad_src = grad, grad.gather(dim, index)
    elif reduce == "mean":
        count = (grad.new_ones(grad.shape) if include_self else grad.new_zeros(grad.shape)).scatter_add(
            dim, index, grad.new_ones(index.shape))
        grad_self = grad / count.masked_fill(count == 0, 1)
        grad_src = grad_self.gather(dim, index)
    elif reduce == "prod":
        # the product of the other factors, without dividing by a zero factor
        masked_self = self.masked_fill(self == 0, 1)
        grad_self = grad * _product_again(masked_self, dim, index, src, include_self, opmath) / masked_self
        src_zero = src == 0
        zeros_there = self.new_zeros(self.shape).scatter_add(dim, index, src_zero.to(self.dtype)).gather(dim, index)
        single_zero = src_zero & (zeros_there == 1)
        others = _product_again(self, dim, index, src.masked_fill(single_zero, 1), include_self, opmath)
        grad_src = (grad * others).gather(dim, index).where(
            single_zero, (grad * result).gather(dim, index) / src.masked_fill(src_zero, 1))
    else:  # amax, amin: the gradient is shared evenly among the elements equal to the result
        self_is_result = (self == result).to(grad.dtype)
        src_is_result = (src == result.gather(dim, index)).to(grad.dtype)
        share = grad / self_is_result.scatter_add(dim, index, src_is_result)
        grad_self, grad_src = self_is_result * share, src_is_result * share.gather(dim, index)
    if not include_self:
        grad_self = grad_self.scatter(dim, index, 0)
    return grad_self, grad_src


def _reduce_vjp(which: int, opmath: bool) -> Callable:
    def vjp(grad: Tensor, self: Tensor, src: Tensor, dim: int, index: Tensor, reduce: str, include_self: bool,
            result: Tensor) -> Tensor:
        return _reduce_grads(grad, self, src, dim, index, reduce, include_self, result, opmath)[which]
    return vjp


def _reduce_op(name: str, opmath: bool) -> Any:
    """A reducing scatter's node; index_reduce's source is called ``src`` too (its ``index`` is spread to the
    source's shape), so that both share the VJPs: FunctionsManual's formulas, run op by op (each step rounding in
    float16/bfloat16). torch has no complex derivative for either (index_reduce's kernel refuses complex first)."""
    return defop(name, ("self", "src"), {"self": _reduce_vjp(0, opmath), "src": _reduce_vjp(1, opmath)}, widen=False,
                 complex_grad=False)


def _check_reduction(reduce: str) -> None:
    """scatter_reduce's check of its ``reduce`` argument (after the operands', before the indices' bounds)."""
    if reduce not in _REDUCE_UFUNC:
        raise RuntimeError("reduce argument must be either sum, prod, mean, amax or amin, got %s" % reduce)


SCATTER_REDUCE_TWO = _reduce_op("scatter_reduce", True)
INDEX_REDUCE = _reduce_op("index_reduce", False)


def _reduce_attrs(d: int, index: Tensor, reduce: str, include_self: bool) -> dict:
    return {"dim": d, "index": index, "reduce": reduce, "include_self": include_self}


@op("scatter_reduce(Tensor input, int64_t dim, Tensor index, Tensor src, c10::string_view reduce, *, "
    "bool include_self=True, Tensor out=None)", method=True, inplace=True, out_check=True, out_rule=apart_from_inputs)
def _scatter_reduce(self: Tensor, dim: int, index: Tensor, src: Tensor, reduce: str, *,
                    include_self: bool = True) -> Tensor:
    d = _check_gather_index("scatter", self, dim, index, src, partial(_check_reduction, reduce))
    data = _reduced_data(self, d, index._data.astype(np.intp), src, reduce, include_self)
    return record(SCATTER_REDUCE_TWO, data, (self, src), _reduce_attrs(d, index, reduce, include_self))


@op("index_reduce(Tensor input, int64_t dim, Tensor index, Tensor source, c10::string_view reduce, *, "
    "bool include_self=True, Tensor out=None)", method=True, inplace=True, out_check=True, out_rule=apart_from_inputs)
def _index_reduce(self: Tensor, dim: int, index: Tensor, source: Tensor, reduce: str, *,
                  include_self: bool = True) -> Tensor:
    if reduce not in ("prod", "mean", "amax", "amin"):
        raise RuntimeError("index_reduce(): Expected reduce to be one of prod, mean, amax or amin but got %s." % reduce)
    d = _check_index_source("index_reduce_", self, dim, index, source)
    warn_once("index_reduce", "index_reduce() is in beta and the API may change at any time. (Triggered internally at "
              "/__w/pytorch/pytorch/aten/src/ATen/native/TensorAdvancedIndexing.cpp:1523.)")
    idx = index._data.reshape(-1).astype(np.int64)
    bad = idx[(idx < 0) | (idx >= _along(self).shape[d])]
    if bad.size:
        raise IndexError("index out of range in self")
    # index_reduce is scatter_reduce with the index spread over the source's other dims
    spread = np.ascontiguousarray(np.broadcast_to(np.moveaxis(idx[(None,) * (max(source._data.ndim, 1) - 1)], -1, d),
                                                  _along(source).shape)).reshape(source._data.shape)
    data = _reduced_data(self, d, spread, source, reduce, include_self, opmath=False)
    return record(INDEX_REDUCE, data, (self, source), _reduce_attrs(d, Tensor._make(spread), reduce, include_self))
