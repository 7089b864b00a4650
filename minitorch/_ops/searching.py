"""Searching sorted data and membership: searchsorted, bucketize, isin, unique_consecutive, msort, argwhere."""
from __future__ import annotations

from typing import Any

import numpy as np

from .. import _dtype as D
from .._tensor import Tensor
from .._warn_once import warn_once
from ..autograd.recording import defop, record
from .dims import flat_batch, strided, wrap_dim
from .limited_dtypes import isin_sorts
from .promotion import as_array
from .registry import op, python_op
from .signature import Parser


def _binary_search(boundaries: np.ndarray, values: np.ndarray, right: bool) -> np.ndarray:
    """torch's lower/upper bound, per row of ``boundaries`` (its last dim) and the values of the matching row of
    ``values``: a bisection on ``!(boundary >= value)`` (``>`` for right), so NaN compares as torch's does."""
    n = boundaries.shape[-1]
    rows = flat_batch(boundaries)
    vals = flat_batch(values) if boundaries.ndim > 1 else values.reshape(1, values.size)
    lo = np.zeros(vals.shape, np.int64)
    hi = np.full(vals.shape, n, np.int64)
    row_index = np.arange(len(rows))[:, None]
    for _ in range(max(n, 1).bit_length()):
        active = lo < hi
        mid = (lo + hi) // 2
        pivot = rows[row_index, np.minimum(mid, n - 1)] if n else np.zeros(vals.shape, rows.dtype)
        below = ~(pivot > vals) if right else ~(pivot >= vals)
        lo = np.where(active & below, mid + 1, lo)
        hi = np.where(active & ~below, mid, hi)
    return lo.reshape(values.shape)


def _common(boundaries: Tensor, values: Any) -> tuple[np.ndarray, np.ndarray]:
    """Both operands in their promoted dtype (torch compares them so)."""
    dt = D.result_type_of((D.operand_key(boundaries), D.operand_key(values)))
    return as_array(boundaries, dt), np.asarray(as_array(values, dt))


def _check_sorter(sorted_sequence: Tensor, sorter: Tensor) -> None:
    """torch's checks of ``sorter``, before those of the values."""
    fname = "torch.searchsorted(): "
    if tuple(sorter.shape) != tuple(sorted_sequence.shape):
        raise RuntimeError(fname + "boundary and sorter must have the same size, but got boundary tensor %sand got "
                           "sorter tensor %s" % (list(sorted_sequence.shape), list(sorter.shape)))
    if sorter.dtype is not D.int64:
        raise RuntimeError(fname + "sorter must be a tensor of long dtype but got dtype %s" % sorter.dtype._cast_name)
    order = sorter._data
    # torch's check: min >= 0 && max < boundaries.sizes().back(), whose back() of a 0-d tensor's empty shape raises
    if order.size and order.min() >= 0 and not sorted_sequence._data.ndim:
        raise RuntimeError("ArrayRef: attempted to access back() of empty list")
    if order.size and (order.min() < 0 or order.max() >= sorted_sequence._data.shape[-1]):
        raise RuntimeError(fname + "sorter index out of range")


_NON_CONTIGUOUS = ("torch.searchsorted(): %s tensor is non-contiguous, this will lower the performance due to extra "
                   "data copy when converting non-contiguous tensor to contiguous, please use contiguous %s tensor if "
                   "possible. This message will only appear once per program. (Triggered internally at "
                   "/__w/pytorch/pytorch/aten/src/ATen/native/BucketizationUtils.h:%d.)")


def _searchsorted(sorted_sequence: Tensor, input: Any, out_int32: bool, right: bool, side: str | None,
                  sorter: Tensor | None) -> Tensor:
    fname = "torch.searchsorted(): "
    if side is not None:
        if side not in ("left", "right"):
            raise RuntimeError(fname + "side can only be 'left' or 'right' but got %s" % side)
        if side == "left" and right:
            raise RuntimeError(fname + "side and right can't be set to opposites, got side of left while right was "
                               "True")
        right = side == "right"
    if sorter is not None:
        _check_sorter(sorted_sequence, sorter)
    value_shape = tuple(input.shape) if isinstance(input, Tensor) else ()
    if sorted_sequence.ndim != 1 and not value_shape:
        raise RuntimeError(fname + "input value can be a scalar only when boundaries tensor dimension is 1, but we got "
                           "boundaries tensor dim(%d) and input value's dim(0) numel(1)" % sorted_sequence.ndim)
    if sorted_sequence.ndim == 0:
        raise RuntimeError(fname + "boundaries tensor should have positive dimension, but got 0 dimension")
    if sorted_sequence.ndim > 1 and tuple(sorted_sequence.shape[:-1]) != value_shape[:-1]:
        raise RuntimeError(fname + "boundaries tensor should be 1 dimension or the first N-1 dimensions of boundaries "
                           "tensor and input value tensor must match, but we got boundaries tensor %s and input value "
                           "tensor %s" % (list(sorted_sequence.shape), list(value_shape)))
    for name, line, t in (("input value", 32, input), ("boundary", 38, sorted_sequence), ("sorter", 44, sorter)):
        if isinstance(t, Tensor) and not t.is_contiguous():
            warn_once("searchsorted_" + name, _NON_CONTIGUOUS % (name, name, line), stacklevel=None)
    boundaries, values = _common(sorted_sequence, input)
    if boundaries.dtype == np.bool_ and values.size:  # (no values: no kernel)
        raise NotImplementedError('"searchsorted_out_cpu" not implemented for \'Bool\'')
    if sorter is not None:
        boundaries = np.take_along_axis(boundaries, sorter._data, -1)
    index = _binary_search(boundaries, values, right)
    return Tensor._make(np.asarray(index, np.int32 if out_int32 else np.int64))


def _searchsorted_out(positional: list, keywords: dict, out: Tensor) -> None:
    """searchsorted's and bucketize's out=: int64, or int32 given out_int32 (searchsorted_maybe_trim_input_tensors's
    check, before the kernel)."""
    flag = keywords["out_int32"]
    if out.dtype is not (D.int32 if flag else D.int64):
        raise RuntimeError("torch.searchsorted(): output tensor's dtype is wrong, it can only be Int(int32) or "
                           "Long(int64) depending on whether out_int32 flag is True, but we got output tensor's dtype "
                           "%s and out_int32 flag is %s" % (out.dtype._cast_name, "True" if flag else "False"))


@op("searchsorted(Tensor sorted_sequence, Tensor input, *, bool out_int32=False, bool right=False, "
    "c10::string_view? side=None, Tensor? sorter=None, Tensor out=None)",
    "searchsorted(Tensor sorted_sequence, Scalar self, *, bool out_int32=False, bool right=False, "
    "c10::string_view? side=None, Tensor? sorter=None, Tensor out=None)", out_rule=_searchsorted_out)
def searchsorted(sorted_sequence: Tensor, input: Any, *, out_int32: bool = False, right: bool = False,
                 side: str | None = None, sorter: Tensor | None = None) -> Tensor:
    """Where each value of ``input`` would be inserted into the (innermost rows of) ``sorted_sequence``."""
    return _searchsorted(sorted_sequence, input, out_int32, right, side, sorter)


@op("bucketize(Tensor input, Tensor boundaries, *, bool out_int32=False, bool right=False, Tensor out=None)",
    "bucketize(Scalar self, Tensor boundaries, *, bool out_int32=False, bool right=False)", out_rule=_searchsorted_out)
def bucketize(input: Any, boundaries: Tensor, *, out_int32: bool = False, right: bool = False) -> Tensor:
    """The bucket of each value of ``input`` between the 1-d ``boundaries``."""
    if boundaries.ndim != 1:
        raise RuntimeError("boundaries tensor must be 1 dimension, but got dim(%d)" % boundaries.ndim)
    return _searchsorted(boundaries, input, out_int32, right, None, None)


_ISIN = ("isin(Tensor elements, Tensor test_elements, *, bool assume_unique=False, bool invert=False, "
         "Tensor out=None)",
         "isin(Scalar element, Tensor test_elements, *, bool assume_unique=False, bool invert=False, Tensor out=None)",
         "isin(Tensor elements, Scalar test_element, *, bool assume_unique=False, bool invert=False, Tensor out=None)")


_NOT_SORTABLE = (D.bool, D.complex64, D.complex128)  # what torch's isin refuses before promoting


@op(*_ISIN, out_check=True)
def isin(elements: Any, test_elements: Any, *, assume_unique: bool = False, invert: bool = False) -> Tensor:
    """Whether each element is one of ``test_elements`` (NaN is in nothing), in torch's three forms: a number to
    look for is eq (ne, inverted); few test elements per element are compared in the operands' result type (a number
    element as a wrapped number); many are sorted, each side made unique, then concatenated: promoted as tensors."""
    for x in (elements, test_elements):  # each operand's own dtype (a number's in double), then the promoted one
        own = x.dtype if isinstance(x, Tensor) else D.complex128 if type(x) is complex else D.scalar_dtype(x)
        if own in _NOT_SORTABLE:
            raise RuntimeError("Unsupported input type encountered for isin(): %s" % own._cast_name)
    if isinstance(elements, Tensor) and not elements._data.size:  # (nothing to look up: no promotion either)
        return Tensor._make(np.zeros(elements.shape, bool))
    if not isinstance(test_elements, Tensor):
        return elements.ne(test_elements) if invert else elements.eq(test_elements)
    if isin_sorts(elements, test_elements):
        sides = [x.dtype if isinstance(x, Tensor) else D.scalar_dtype(x) for x in (elements, test_elements)]
        for side in sides:  # (each side's unique, before the concatenation promotes)
            if side is D.complex32 or side in D.FLOAT8:
                raise NotImplementedError("\"unique\" not implemented for '%s'" % side._cast_name)
        dt = D.promote_types(*sides)
    else:
        dt = D.result_type_of((D.operand_key(elements), D.operand_key(test_elements)))
        if dt.is_complex:
            raise NotImplementedError("\"isin_default_cpu\" not implemented for '%s'" % dt._cast_name)
        test_elements.to(dt).view(-1)  # (torch's flattening, in the promoted dtype: a layout it cannot view refused)
    a, b = np.asarray(as_array(elements, dt)), np.asarray(as_array(test_elements, dt))
    return Tensor._make(np.asarray(np.isin(a, b, invert=invert)))


# ---- unique_consecutive --------------------------------------------------------------------------
def _unique_consecutive_grad(grad: Tensor) -> Tensor:
    raise NotImplementedError("the derivative for 'unique_consecutive' is not implemented.")


UNIQUE_CONSECUTIVE = defop("unique_consecutive", grads={"self": _unique_consecutive_grad})


def check_unique_dim(data: np.ndarray, axis: int) -> None:
    """torch's unique along a dim refuses a tensor empty along another dim."""
    if any(not size for k, size in enumerate(data.shape) if k != axis):
        raise RuntimeError("There are 0 sized dimensions, and they aren't selected, so unique cannot be applied")


def _run_starts(data: np.ndarray, axis: int) -> np.ndarray:
    """Whether each slice along ``axis`` starts a run (differs from the one before; NaN differs from itself)."""
    moved = np.moveaxis(data, axis, 0)
    moved = moved.reshape(len(moved), moved[0].size if len(moved) else 0)  # (not -1: NumPy cannot infer it when empty)
    starts = np.ones(len(moved), bool)
    starts[1:] = (moved[1:] != moved[:-1]).any(1)
    return starts


# the binding torch.unique_consecutive's Python wrapper calls: its argument errors
_UNIQUE_CONSECUTIVE_BINDING = Parser(["unique_consecutive(Tensor input, bool return_inverse=False, "
                                      "bool return_counts=False, int64_t? dim=None)"])


@python_op("unique_consecutive", method=True)
def unique_consecutive(input: Tensor, return_inverse: bool = False, return_counts: bool = False,
                       dim: int | None = None) -> Any:
    """Collapse each run of equal consecutive elements (slices along ``dim``) to one."""
    _UNIQUE_CONSECUTIVE_BINDING.parse((input, return_inverse, return_counts, dim), {})
    data = input._data
    axis = None if dim is None else wrap_dim(dim, data.ndim)
    if axis is not None:
        check_unique_dim(data, axis)
    flat = data.reshape(-1) if axis is None else data
    starts = _run_starts(flat, 0 if axis is None else axis) if flat.size or axis is not None else np.ones(0, bool)
    first = np.flatnonzero(starts)
    values = flat[first] if axis is None else np.take(flat, first, axis)
    inverse = np.cumsum(starts) - 1
    counts = np.diff(np.append(first, len(starts)))
    out = record(UNIQUE_CONSECUTIVE, np.ascontiguousarray(values), (input,))
    extras = []
    if return_inverse:
        extras.append(Tensor._make(inverse.reshape(data.shape if axis is None else (-1,)).astype(np.int64)))
    if return_counts:
        extras.append(Tensor._make(counts.astype(np.int64)))
    return (out, *extras) if extras else out


@op("msort(Tensor input, *, Tensor out=None)", method=True, out_check=True)
def msort(input: Tensor) -> Tensor:
    """``input`` sorted along its first dim."""
    return input.sort(0).values


def nonzero_rows(data: np.ndarray) -> np.ndarray:
    """The indices of ``data``'s nonzero elements, one row each, laid out as torch's nonzero lays them: the
    transpose of a contiguous (dims, count) array, whose strides are (1, count) even when count is 0."""
    found = np.argwhere(data).astype(np.int64)
    count, dims = found.shape
    memory = np.ascontiguousarray(found.T)
    return strided(memory, (count, dims), (memory.itemsize, count * memory.itemsize))


@op("argwhere(Tensor input)", method=True)
def argwhere(input: Tensor) -> Tensor:
    """The indices of the nonzero elements, one row each."""
    return Tensor._make(nonzero_rows(input._data))
