"""Sorting and selection: sort, argsort, topk, kthvalue, median, mode; unique, nonzero, bincount.

Among equal values, the index torch returns is whatever its CPU kernel's algorithm leaves there: a
stable sort for ``sort(stable=True)`` and for long 1-d integer tensors (fbgemm's radix sort);
otherwise libstdc++'s introsort (sort, argsort, mode), introselect or heap select followed by a sort
(topk), and a Sedgewick quickselect (kthvalue). Rows whose answer those algorithms could change (ties
where they matter) are replayed through a Python transcription of them below; every other row takes
NumPy's stable sort, which then agrees. (median compares (value, index) pairs: it has no ties.)
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from .. import _dtype as D
from .. import return_types
from .._tensor import Tensor
from ..autograd.engine import type_string
from .conversion import copy_source
from .dims import INT64_MAX, check_storage, flat_batch, wrap_dim
from .limited_dtypes import kernel_reached, refuse_kernel
from .preserve_format import laid_out_like
from .inplace import OutCheck
from .reduction import _evenly, _select_back
from .registry import op, python_op
from .result_layout import contiguous
from .searching import check_unique_dim, nonzero_rows
from .signature import type_name
from ..autograd.recording import defop, record


# ---- libstdc++'s algorithms, replayed on one row ----------------------------------------------
# ``a`` is a list of (key, original index) pairs; only keys are compared, with ``<``. Each function
# follows the libstdc++ routine of the same name (bits/stl_algo.h, bits/stl_heap.h), so that equal
# keys end up in the same order as in torch.
_SORT_THRESHOLD = 16  # std::sort leaves runs this short to a final insertion sort


def _unguarded_linear_insert(a: list, i: int, first: int) -> None:
    item = a[i]
    j = i - 1
    while j >= first and item[0] < a[j][0]:  # (libstdc++ relies on a smaller element to stop it)
        a[j + 1] = a[j]
        j -= 1
    a[j + 1] = item


def _insertion_sort(a: list, first: int, last: int) -> None:
    # the order of the comparisons matters for keys that are not totally ordered (NaN in mode)
    for i in range(first + 1, last):
        if a[i][0] < a[first][0]:
            a[first:i + 1] = [a[i]] + a[first:i]
        else:
            _unguarded_linear_insert(a, i, first)


def _move_median_to_first(a: list, result: int, x: int, y: int, z: int) -> None:
    kx, ky, kz = a[x][0], a[y][0], a[z][0]
    if kx < ky:
        m = y if ky < kz else z if kx < kz else x
    else:
        m = x if kx < kz else z if ky < kz else y
    a[result], a[m] = a[m], a[result]


def _unguarded_partition_pivot(a: list, first: int, last: int) -> int:
    _move_median_to_first(a, first, first + 1, first + (last - first) // 2, last - 1)
    pivot = a[first][0]
    lo, hi = first + 1, last
    while True:
        while a[lo][0] < pivot:
            lo += 1
        hi -= 1
        while pivot < a[hi][0]:
            hi -= 1
        if not lo < hi:
            return lo
        a[lo], a[hi] = a[hi], a[lo]
        lo += 1


def _adjust_heap(a: list, first: int, hole: int, length: int, item: tuple) -> None:
    top = hole
    child = hole
    while child < (length - 1) // 2:
        child = 2 * (child + 1)
        if a[first + child][0] < a[first + child - 1][0]:
            child -= 1
        a[first + hole] = a[first + child]
        hole = child
    if length % 2 == 0 and child == (length - 2) // 2:
        child = 2 * (child + 1)
        a[first + hole] = a[first + child - 1]
        hole = child - 1
    parent = (hole - 1) // 2  # __push_heap
    while hole > top and a[first + parent][0] < item[0]:
        a[first + hole] = a[first + parent]
        hole = parent
        parent = (hole - 1) // 2
    a[first + hole] = item


def _pop_heap(a: list, first: int, last: int, result: int) -> None:
    item = a[result]
    a[result] = a[first]
    _adjust_heap(a, first, 0, last - first, item)


def _heap_select(a: list, first: int, middle: int, last: int) -> None:
    length = middle - first
    if length >= 2:  # __make_heap
        for parent in range((length - 2) // 2, -1, -1):
            _adjust_heap(a, first, parent, length, a[first + parent])
    for i in range(middle, last):
        if a[i][0] < a[first][0]:
            _pop_heap(a, first, middle, i)


def _partial_sort(a: list, first: int, middle: int, last: int) -> None:
    _heap_select(a, first, middle, last)
    while middle - first > 1:  # __sort_heap
        middle -= 1
        _pop_heap(a, first, middle, middle)


def _introsort_loop(a: list, first: int, last: int, depth: int) -> None:
    while last - first > _SORT_THRESHOLD:
        if depth == 0:
            _partial_sort(a, first, last, last)
            return
        depth -= 1
        cut = _unguarded_partition_pivot(a, first, last)
        _introsort_loop(a, cut, last, depth)
        last = cut


def _std_sort(a: list, first: int = 0, last: int | None = None) -> None:
    last = len(a) if last is None else last
    if last - first > 1:
        _introsort_loop(a, first, last, 2 * ((last - first).bit_length() - 1))
        # __final_insertion_sort
        _insertion_sort(a, first, min(last, first + _SORT_THRESHOLD))
        for i in range(first + _SORT_THRESHOLD, last):
            _unguarded_linear_insert(a, i, first)


def _nth_element(a: list, nth: int) -> None:
    first, last = 0, len(a)
    depth = 2 * ((last - first).bit_length() - 1)
    while last - first > 3:
        if depth == 0:
            _heap_select(a, first, nth + 1, last)
            a[first], a[nth] = a[nth], a[first]
            return
        depth -= 1
        cut = _unguarded_partition_pivot(a, first, last)
        if cut <= nth:
            first = cut
        else:
            last = cut
    _insertion_sort(a, first, last)


def _quick_select(a: list, k: int) -> None:
    """torch's quick_select_template (Sorting.cpp), ascending: the k-th smallest ends at ``a[k]``."""
    lo, hi = 0, len(a) - 1
    while hi > lo:
        if hi == lo + 1:
            if a[lo][0] > a[hi][0]:
                a[lo], a[hi] = a[hi], a[lo]
            return
        mid = (lo + hi) >> 1
        a[mid], a[lo + 1] = a[lo + 1], a[mid]
        if a[lo + 1][0] > a[hi][0]:
            a[lo + 1], a[hi] = a[hi], a[lo + 1]
        if a[lo][0] > a[hi][0]:
            a[lo], a[hi] = a[hi], a[lo]
        if a[lo + 1][0] > a[lo][0]:
            a[lo + 1], a[lo] = a[lo], a[lo + 1]
        i, j = lo + 1, hi
        pivot = a[lo][0]
        while True:
            i += 1
            while pivot > a[i][0]:
                i += 1
            j -= 1
            while a[j][0] > pivot:
                j -= 1
            if j < i:
                break
            a[i], a[j] = a[j], a[i]
        a[lo], a[j] = a[j], a[lo]
        if j <= k:
            lo = i
        if j >= k:
            hi = j - 1


def _pairs(keys: np.ndarray) -> list:
    return list(zip(keys.tolist(), range(len(keys))))


# ---- rows: the sorted dim last, everything else flattened ----------------------------------------
def _rows(data: np.ndarray, d: int) -> np.ndarray:
    if data.ndim == 0:
        return data.reshape(1, 1)
    return flat_batch(np.moveaxis(data, d, -1))


def _unrows(rows: np.ndarray, shape: tuple, d: int) -> np.ndarray:
    """The inverse of ``_rows`` for a result of ``rows.shape[1]`` elements along ``d``."""
    if not shape:
        return rows.reshape(())
    kept = shape[:d] + shape[d + 1:]
    return np.moveaxis(rows.reshape(kept + (rows.shape[1],)), -1, d)


def stable_argsort(a: np.ndarray, axis: int = -1) -> np.ndarray:
    """A stable argsort, NaN last (ml_dtypes' bfloat16 sorts NaN elsewhere: it is sorted as float32, exactly)."""
    return np.argsort(a.astype(np.float32) if a.dtype == D.bfloat16.np else a, axis=axis, kind="stable")


def _differs(s: np.ndarray) -> np.ndarray:
    """For rows sorted by NumPy: whether each neighbour pair differs (NaNs compare equal, as under
    torch's comparators, which order NaN above everything)."""
    out = s[:, 1:] != s[:, :-1]
    if D.is_floating_np(s.dtype):
        out &= ~(np.isnan(s[:, 1:]) & np.isnan(s[:, :-1]))
    return out


def _ranks(row: np.ndarray) -> np.ndarray:
    """Each element's rank among the distinct values of ``row`` (NaN highest): integer keys that
    order as torch's comparators do."""
    order = stable_argsort(row)
    ranks = np.empty(len(row), np.int64)
    ranks[order] = np.concatenate([[0], np.cumsum(_differs(row[order][None])[0])])
    return ranks


def _stable_order(rows: np.ndarray, descending: bool) -> np.ndarray:
    if not descending:
        return stable_argsort(rows, 1)
    # a stable ascending sort of the reversed rows, reversed: descending, equal values in their
    # original order, NaN first
    n = rows.shape[1]
    return n - 1 - stable_argsort(rows[:, ::-1], 1)[:, ::-1]


def _tied(rows: np.ndarray, order: np.ndarray) -> np.ndarray:
    """Rows with equal values among the places ``order`` (a slice of their sorted order) names."""
    return ~_differs(np.take_along_axis(rows, order, 1)).all(1)


def _keys(row: np.ndarray, descending: bool) -> np.ndarray:
    ranks = _ranks(row)
    return -ranks if descending else ranks


# ---- sort / argsort -----------------------------------------------------------------------------
# torch sorts a 1-d integer tensor this long ascending with fbgemm's radix sort, which is stable
_RADIX_MIN = 32768


def _sort_order(data: np.ndarray, d: int, descending: bool, stable: bool) -> np.ndarray:
    if data.dtype.kind == "c" or data.dtype == D.complex32.np:  # NumPy would order them lexicographically
        raise RuntimeError(" Sort does not support complex dtypes on CPU")
    rows = _rows(data, d)
    order = _stable_order(rows, descending)
    radix = data.ndim == 1 and data.dtype.kind in "iu" and not descending and data.size >= _RADIX_MIN
    if not (stable or radix) and rows.shape[1] > _SORT_THRESHOLD:  # shorter rows: std::sort is stable
        for r in np.flatnonzero(_tied(rows, order)):
            a = _pairs(_keys(rows[r], descending))
            _std_sort(a)
            order[r] = [i for _, i in a]
    return _unrows(order, data.shape, d)


def _check_dim_size(name: str, data: np.ndarray, d: int) -> None:
    if data.ndim and data.shape[d] == 0:
        raise IndexError("%s(): Expected reduction dim %d to have non-zero size." % (name, d))


SORT = defop("sort", grads={"self": _select_back}, grad_name="SortBackward0", saved_outputs=("indices",))
# (sort(stable=...))
SORT_STABLE = defop("sort", grads={"self": _select_back}, grad_name="SortBackward1", saved_outputs=("indices",))
_NOT_GIVEN = object()  # sort's ``stable`` when the call did not name it


@op("sort(Tensor input, *, bool? stable, int64_t dim=-1, bool descending=False, TensorList[2] out=None)",
    "sort(Tensor input, int64_t dim=-1, bool descending=False, *, TensorList[2] out=None)", method=True, out_check=True)
def sort(input: Tensor, dim: int = -1, descending: bool = False, *, stable: Any = _NOT_GIVEN) -> Any:
    """``stable`` given at all (None included) selects torch's first overload, whose node is SortBackward1."""
    d = wrap_dim(dim, input._data.ndim)
    idx = _sort_order(input._data, d, descending, stable is not _NOT_GIVEN and bool(stable))
    return _selection(SORT if stable is _NOT_GIVEN else SORT_STABLE, return_types.sort, input, idx, d, True,
                      like_input=True)


@op("argsort(Tensor input, *, bool stable, int64_t dim=-1, bool descending=False, Tensor out=None)",
    "argsort(Tensor input, int64_t dim=-1, bool descending=False)", method=True, out_check=True)
def argsort(input: Tensor, dim: int = -1, descending: bool = False, *, stable: bool = False) -> Tensor:
    d = wrap_dim(dim, input._data.ndim)
    return Tensor._make(laid_out_like(input._data, _sort_order(input._data, d, descending, stable).astype(np.int64)))


# ---- topk / kthvalue / median / mode ------------------------------------------------------------
def _topk_order(rows: np.ndarray, k: int, largest: bool, sorted: bool) -> np.ndarray:  # noqa: A002
    """topk_impl_loop: a heap-based partial sort when k * 64 <= n, else nth_element(k - 1) and a sort
    of the k - 1 before it (none when not ``sorted``, leaving nth_element's order)."""
    n = rows.shape[1]
    full = _stable_order(rows, largest)
    order = full[:, :k].copy()
    if n <= 3 or k == 0:  # nth_element is then one insertion sort: stable
        return order
    partial = k * 64 <= n
    if not (sorted or partial) and k > 1:
        replay = np.ones(len(rows), bool)  # the unsorted order is nth_element's, ties or not
    else:
        replay = _tied(rows, full[:, :k + 1])
    for r in np.flatnonzero(replay):
        a = _pairs(_keys(rows[r], largest))
        if partial:
            _partial_sort(a, 0, k, n)
        else:
            _nth_element(a, k - 1)
            if sorted:
                _std_sort(a, 0, k - 1)
        order[r] = [i for _, i in a[:k]]
    return order


def _selection(op: Any, result_type: type, input: Tensor, idx: np.ndarray, d: int, keepdim: bool,
               like_input: bool = False) -> Any:
    """The named tuple of the elements of ``input`` at ``idx`` along ``d`` and their indices (both laid out as
    ``empty_like(input)`` when ``like_input``: sort's; else contiguous)."""
    data = input._data
    values = np.take_along_axis(data, idx, d) if data.ndim else data.copy()
    if not keepdim and data.ndim:
        idx, values = np.squeeze(idx, d), np.squeeze(values, d)
    idx = idx.astype(np.int64, copy=False)
    if like_input:
        idx, values = laid_out_like(data, idx), laid_out_like(data, values)
    else:
        idx, values = contiguous(idx), contiguous(values)
    indices = Tensor._make(idx)
    out = record(op, values, (input,), {"dim": d, "indices": indices, "keepdim": keepdim})
    return result_type(out, indices)


def _one_per_row(idx: np.ndarray, shape: tuple, d: int) -> np.ndarray:
    """One index per row, as an index array along ``d`` (kept, size 1)."""
    return _unrows(idx.reshape(idx.size, 1), shape, d)


TOPK = defop("topk", grads={"self": _select_back}, saved_outputs=("indices",))


@op("topk(Tensor input, SymInt k, int64_t dim=-1, bool largest=True, bool sorted=True, *, TensorList[2] out=None)",
    method=True, out_check=True)
def topk(input: Tensor, k: int, dim: int = -1, largest: bool = True, sorted: bool = True) -> Any:  # noqa: A002
    data = input._data
    d = wrap_dim(dim, data.ndim)
    if k < 0 or k > (data.shape[d] if data.ndim else 1):
        raise RuntimeError("selected index k out of range")
    if input.dtype.is_complex:
        raise RuntimeError(" topk does not support complex dtypes on CPU")
    if input.dtype is D.bool:
        raise RuntimeError("topk does not support bool dtypes on CPU")
    # (a 0-d input is its own top-k, even for k == 0)
    idx = _unrows(_topk_order(_rows(data, d), k, largest, sorted), data.shape, d) if data.ndim else np.zeros((), int)
    return _selection(TOPK, return_types.topk, input, idx, d, True)


def _refused_by_selection_kernel(kernel: str, input: Tensor) -> None:
    """torch's kthvalue and median kernels have no Bool or ComplexHalf case (the other limited dtypes: the table's)."""
    if input.dtype is D.bool or input.dtype is D.complex32:
        raise NotImplementedError('"%s" not implemented for \'%s\'' % (kernel, input.dtype._cast_name))


KTHVALUE = defop("kthvalue", grads={"self": _select_back}, complex_grad=False, saved_outputs=("indices",))


@op("kthvalue(Tensor input, SymInt k, int64_t dim=-1, bool keepdim=False, *, TensorList[2] out=None)", method=True,
    out_check=(OutCheck("output values must be of same type as input"),
               OutCheck("output indices must be of scalar type Long")))
def kthvalue(input: Tensor, k: int, dim: int = -1, keepdim: bool = False) -> Any:
    data = input._data
    d = wrap_dim(dim, data.ndim)
    _check_dim_size("kthvalue", data, d)
    if k < 1 or k > (data.shape[d] if data.ndim else 1):
        raise RuntimeError("kthvalue(): selected number k out of range for dimension %d" % d)
    _refused_by_selection_kernel("kthvalue_cpu", input)
    rows = _rows(data, d)
    order = stable_argsort(rows, 1)
    idx = order[:, k - 1].copy()
    # the quickselect may pick another of the values equal to the k-th: replay those rows
    for r in np.flatnonzero(_tied(rows, order[:, max(k - 2, 0):k + 1])):
        a = _pairs(_ranks(rows[r]))
        _quick_select(a, k - 1)
        idx[r] = a[k - 1][1]
    return _selection(KTHVALUE, return_types.kthvalue, input, _one_per_row(idx, data.shape, d), d, keepdim)


MEDIAN = defop("median", grads={"self": _evenly}, grad_name="MedianBackward0", complex_grad=False)
MEDIAN_DIM = defop("median", grads={"self": _select_back}, grad_name="MedianBackward1", complex_grad=False,
                   saved_outputs=("indices",))


def median_out(positional: list, keywords: dict, out: tuple) -> None:
    """median's and nanmedian's out= along a dim (checkScalarType, checkSameType), before the kernel: int64 indices,
    then values of the input's dtype."""
    input, (values, indices) = positional[0], out
    if indices.dtype is not D.int64:
        raise RuntimeError("Expected tensor for argument #1 'indices' to have scalar type Long; but got %s instead "
                           "(while checking arguments for median)" % type_string(indices.dtype))
    if values.dtype is not input.dtype:
        raise RuntimeError("Expected tensor for 'values' to have the same type as tensor for argument #2 'self'; but "
                           "type %s does not equal %s (while checking arguments for median)"
                           % (type_string(values.dtype), type_string(input.dtype)))


@op("median(Tensor input)", "median(Tensor input, int64_t dim, bool keepdim=False, *, TensorList[2] out=None)",
    method=True, out_rule=median_out)
def median(input: Tensor, dim: int | None = None, keepdim: bool = False) -> Any:
    """The lower median; along ``dim``, the index of the first NaN if there is one, else of the
    median in the order (value, index), which is how torch's nth_element compares."""
    data = input._data
    if dim is None:
        if not data.size:
            return record(MEDIAN, D.cast_np(np.asarray(np.nan), data.dtype), (input,))
        _refused_by_selection_kernel("median_cpu", input)
        flat = data.reshape(-1)
        flat = flat[stable_argsort(flat)]
        value = flat[-1] if D.is_floating_np(data.dtype) and np.isnan(flat[-1]) else flat[(flat.size - 1) // 2]
        return record(MEDIAN, np.asarray(value), (input,))
    d = wrap_dim(dim, data.ndim)
    _check_dim_size("median", data, d)
    _refused_by_selection_kernel("median_out", input)
    rows = _rows(data, d)
    idx = stable_argsort(rows, 1)[:, (rows.shape[1] - 1) // 2]
    if D.is_floating_np(data.dtype):
        nan = np.isnan(rows)
        idx = np.where(nan.any(1), np.argmax(nan, 1), idx)
    return _selection(MEDIAN_DIM, return_types.median, input, _one_per_row(idx, data.shape, d), d, keepdim)


def _mode_replay(row: np.ndarray) -> int:
    """torch's mode kernel on one row: std::sort of (value, index) by value, then the last element
    of the first longest run of equal values."""
    a = _pairs(row)
    _std_sort(a)
    best, best_count, count = 0, 0, 0
    for i in range(len(a)):
        count += 1
        if i == len(a) - 1 or a[i][0] != a[i + 1][0]:
            if count > best_count:
                best, best_count = i, count
            count = 0
    return a[best][1]


def _mode_index(rows: np.ndarray) -> np.ndarray:
    n = rows.shape[1]
    order = stable_argsort(rows, 1)
    s = np.take_along_axis(rows, order, 1)
    pos = np.arange(n)
    starts = np.concatenate([np.ones((len(rows), 1), bool), s[:, 1:] != s[:, :-1]], 1)
    ends = np.concatenate([s[:, 1:] != s[:, :-1], np.ones((len(rows), 1), bool)], 1)
    run = pos - np.maximum.accumulate(np.where(starts, pos, 0), axis=1) + 1  # run length so far
    best = np.argmax(np.where(ends, run, 0), axis=1)  # the first longest run: the smallest value
    idx = order[np.arange(len(rows)), best]  # its last element: the largest index, as a stable sort
    # beyond 16 elements std::sort is not stable, and NaN (unordered by <) scrambles it anyway
    replay = (run[np.arange(len(rows)), best] > 1) & (n > _SORT_THRESHOLD)
    if D.is_floating_np(rows.dtype):
        replay |= np.isnan(rows).any(1)
    for r in np.flatnonzero(replay):
        idx[r] = _mode_replay(rows[r])
    return idx


MODE = defop("mode", grads={"self": _select_back}, complex_grad=False, saved_outputs=("indices",))


@op("mode(Tensor input, int64_t dim=-1, bool keepdim=False, *, TensorList[2] out=None)", method=True,
    out_check=(OutCheck("expected scalar type '%(result)s' but got '%(out)s' for values output"),
               OutCheck("expected scalar type '%(result)s' but got '%(out)s' for indices output")))
def mode(input: Tensor, dim: int = -1, keepdim: bool = False) -> Any:
    data = input._data
    d = wrap_dim(dim, data.ndim)
    _check_dim_size("mode", data, d)
    idx = _one_per_row(_mode_index(_rows(data, d)), data.shape, d)
    return _selection(MODE, return_types.mode, input, idx, d, keepdim)


# ---- unique / nonzero / bincount ----------------------------------------------------------------
def _no_derivative(name: str) -> Callable:
    def vjp(grad: Tensor) -> None:
        raise NotImplementedError("the derivative for '%s' is not implemented." % name)
    return vjp


UNIQUE = defop("_unique2", grads={"self": _no_derivative("_unique2")}, grad_name="Unique2Backward0")
UNIQUE_DIM = defop("unique_dim", grads={"self": _no_derivative("unique_dim")}, grad_name="UniqueDimBackward0")


@python_op("unique", method=True)
def unique(input: Tensor, sorted: bool = True, return_inverse: bool = False,  # noqa: A002
           return_counts: bool = False, dim: int | None = None) -> Any:
    """torch.unique (torch/functional.py; ``Tensor.unique`` calls it). Sorted whatever ``sorted`` says, as
    torch's CPU kernel; NaNs are all distinct."""
    if not isinstance(input, Tensor):  # the error of the kernel torch.unique calls
        raise TypeError("%s(): argument 'input' (position 1) must be Tensor, not %s"
                        % ("_unique2" if dim is None else "unique_dim", type_name(input)))
    data = input._data
    if dim is None:
        values, inverse, counts = np.unique(data.reshape(-1), return_inverse=True, return_counts=True,
                                            equal_nan=False)
        inverse, op = inverse.reshape(data.shape), UNIQUE
    else:
        refuse_kernel("unique_dim", input.dtype)  # (torch's whole kernel, its dim's checks too, is in its dispatch)
        if not data.ndim:
            raise IndexError("Dimension specified as %d but tensor has no dimensions" % dim)
        d = wrap_dim(dim, data.ndim)
        check_unique_dim(data, d)
        values, inverse, counts = np.unique(data, return_inverse=True, return_counts=True, axis=d)
        inverse, op = inverse.reshape(-1), UNIQUE_DIM
    out = [record(op, values, (input,))]
    if return_inverse:
        out.append(Tensor._make(inverse.astype(np.int64)))
    if return_counts:
        out.append(Tensor._make(counts.astype(np.int64)))
    return out[0] if len(out) == 1 else tuple(out)


@op("nonzero(Tensor input, *, bool as_tuple=False, Tensor out=None)",
    method=["nonzero()", "nonzero(*, bool as_tuple)"],
    out_check=OutCheck("nonzero: Expected out tensor to have scalar type Long but got scalar type%(out)s"))
def nonzero(input: Tensor, *, as_tuple: bool = False) -> Any:
    data = input._data
    if as_tuple:  # a 0-d input counts as 1-d here
        return tuple(Tensor._make(i.astype(np.int64)) for i in np.nonzero(np.atleast_1d(data)))
    return Tensor._make(nonzero_rows(data))


def _bincount_grad(grad: Tensor) -> None:
    raise RuntimeError("derivative for aten::bincount is not implemented")


BINCOUNT = defop("bincount", ("weights", "self"), {"weights": _bincount_grad}, grad_name="NotImplemented")


@op("bincount(Tensor input, Tensor? weights=None, SymInt minlength=0)", method=True)
def bincount(input: Tensor, weights: Tensor | None = None, minlength: int = 0) -> Tensor:
    if input.dtype.category != D.INTEGRAL:
        raise NotImplementedError('"bincount_cpu" not implemented for \'%s\'' % input.dtype._cast_name)
    kernel_reached()  # (torch checks all below, and allocates the counts, inside its kernel: uint16-64 refused first)
    if minlength < 0:
        raise RuntimeError("minlength should be >= 0")
    data = input._data
    if data.ndim == 1 and not data.size:  # counts of nothing: int64 zeros, whatever the weights
        check_storage((minlength,), np.dtype(np.int64))
        return Tensor._make(np.zeros(minlength, np.int64))
    if data.ndim != 1 or data.min() < 0:
        raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
    top = int(data.max())
    if top >= INT64_MAX:  # (the bin count, top + 1, must fit in int64)
        raise RuntimeError("maximum value of input overflowed, it should be < %d but got %d" % (INT64_MAX, top))
    if weights is not None and (weights._data.ndim != 1 or weights._data.shape != data.shape):
        raise RuntimeError("weights should be 1-d and have the same length as input")
    # float and double weights keep their dtype; others (the reduced floats too) count in double
    out_dtype = D.int64 if weights is None else weights.dtype if weights.dtype in (D.float32, D.float64) else D.float64
    check_storage((max(top + 1, minlength),), out_dtype.np)
    if weights is None:
        return Tensor._make(np.bincount(data, minlength=minlength).astype(np.int64))
    # (torch counts in weights.to(double): complex weights give their real part, with the copy's warning)
    counts = np.bincount(data, weights=copy_source(weights, D.float64).astype(np.float64), minlength=minlength)
    return record(BINCOUNT, counts.astype(out_dtype.np), (weights, input))
