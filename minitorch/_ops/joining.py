"""Splitting one tensor into several (split, chunk, unbind, tensor_split), joining several into one
(cat, stack, hstack..., meshgrid) and repeating (repeat, tile, repeat_interleave).

The pieces of a split are views of their input, as torch's are; ops that torch composes from others
(hstack, chunk, meshgrid, tile, repeat_interleave...) are composed the same way here, so that their
results carry torch's grad_fn names.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from .. import _dtype as D
from .._device import contiguous_format
from .._tensor import Tensor
from .._warn_once import warn_once
from ..autograd.history import view_step
from ..autograd.recording import VARIADIC, defop, record
from .dims import (as_int64, check_numel, check_storage, check_symint_sizes, check_vector_length, fits_numpy,
                   numpy_cannot_hold, parse_size, wrap_dim)
from .inplace import OutCheck
from .registry import compile_callable, op, python_op
from .result_layout import contiguous, in_common_suggested_format
from .signature import Parser, check_tensor_list
from .shape import clone, dim_key, expand, flatten, reshape, select_index, slice_dim, unsqueeze, view
from .views import make_multi_view


# ---- split, chunk, unbind: several views at once ---------------------------------------------------
_CAT_GRADS = {"self": lambda grad, dim: cat(grad, dim)}
SPLIT = defop("split", grads=_CAT_GRADS, num_outputs=-1, complex_vjps=True)
SPLIT_WITH_SIZES = defop("split_with_sizes", grads=_CAT_GRADS, num_outputs=-1, complex_vjps=True)
UNBIND = defop("unbind", grads={"self": lambda grad, dim: stack(grad, dim)}, num_outputs=-1, complex_vjps=True)


def _split_views(op: Any, input: Tensor, dim: int, sizes: Sequence[int]) -> tuple[Tensor, ...]:
    datas, steps, start = [], [], 0
    for s in sizes:
        datas.append(input._data[dim_key(dim, slice(start, start + s))])
        steps.append(view_step(slice_dim, dim, start, start + s, 1))
        start += s
    return make_multi_view(op, datas, input, {"dim": dim}, steps)


def _split_dim(input: Tensor, dim: int) -> int:
    if input._data.ndim == 0:
        raise RuntimeError("split expects at least a 1-dimensional tensor")
    return wrap_dim(dim, input._data.ndim)


def split_method(self: Tensor, split_size: Any, dim: int = 0) -> tuple[Tensor, ...]:
    """``Tensor.split`` (a Python method in torch)."""
    if isinstance(split_size, (list, tuple)):
        return split_with_sizes(self, split_size, dim)
    size = int(split_size)
    if self._data.ndim and size < 0:
        raise RuntimeError("split expects split_size be non-negative, but got split_size=%d" % size)
    d = _split_dim(self, dim)
    n = self._data.shape[d]
    if size == 0 and n != 0:
        raise RuntimeError("split_size can only be 0 if dimension size is 0, but got dimension size of %d" % n)
    count = max(-(-n // size), 1) if size else 1
    return _split_views(SPLIT, self, d, [size] * (count - 1) + [n - size * (count - 1)])


@python_op("split", method=split_method)
def split(tensor: Tensor, split_size_or_sections: Any, dim: int = 0) -> tuple[Tensor, ...]:
    return split_method(tensor, split_size_or_sections, dim)


@op("split_with_sizes(Tensor input, SymIntArrayRef split_sizes, int64_t dim=0)", method=True)
def split_with_sizes(input: Tensor, split_sizes: Sequence[int], dim: int = 0) -> tuple[Tensor, ...]:
    d = _split_dim(input, dim)
    sizes = [int(s) for s in split_sizes]
    if any(s < 0 for s in sizes):
        raise RuntimeError("split_with_sizes expects split_sizes have only non-negative entries, but got "
                           "split_sizes=%s" % sizes)
    n = input._data.shape[d]
    if sum(sizes) != n:
        raise RuntimeError("split_with_sizes expects split_sizes to sum exactly to %d (input tensor's size at "
                           "dimension %d), but got split_sizes=%s" % (n, dim, sizes))
    return _split_views(SPLIT_WITH_SIZES, input, d, sizes)


@op("chunk(Tensor input, int64_t chunks, int64_t dim=0)", method=True)
def chunk(input: Tensor, chunks: int, dim: int = 0) -> tuple[Tensor, ...]:
    if input._data.ndim == 0:
        raise RuntimeError("chunk expects at least a 1-dimensional tensor")
    if chunks <= 0:
        raise RuntimeError("chunk expects `chunks` to be greater than 0, got: %d" % chunks)
    n = input._data.shape[wrap_dim(dim, input._data.ndim)]
    total = as_int64(n + chunks - 1)  # torch's ceil(n / chunks) in int64: the sum wraps, the division truncates
    size = total // chunks if total >= 0 else -(-total // chunks)
    if size == 0 and n == 0:  # an empty dim: `chunks` empty pieces
        check_vector_length(chunks)
        return split_with_sizes(input, [0] * chunks, dim)
    return split(input, size, dim)


@op("unbind(Tensor input, int64_t dim=0)", method=True)
def unbind(input: Tensor, dim: int = 0) -> tuple[Tensor, ...]:
    d = wrap_dim(dim, input._data.ndim)
    if input._data.ndim == 0:  # torch checks the wrapped dim against the sizes, naming it wrapped
        raise IndexError("Dimension specified as %d but tensor has no dimensions" % d)
    n = input._data.shape[d]
    return make_multi_view(UNBIND, [input._data[dim_key(d, i)] for i in range(n)], input, {"dim": d},
                           [view_step(select_index, d, i) for i in range(n)])


@op("tensor_split(Tensor input, SymIntArrayRef indices, int64_t dim=0)",
    "tensor_split(Tensor input, Tensor tensor_indices_or_sections, int64_t dim=0)",
    "tensor_split(Tensor input, SymInt sections, int64_t dim=0)", method=True)
def tensor_split(input: Tensor, indices_or_sections: Any, dim: int = 0) -> tuple[Tensor, ...]:
    """Separate slices (not one multi-output node, as torch composes it)."""
    if input._data.ndim == 0:
        raise RuntimeError("tensor_split expected at least a 1-dimensional tensor, but got a tensor with 0 dims")
    spec = indices_or_sections
    if isinstance(spec, Tensor):
        if spec.dtype is not D.int64:
            raise RuntimeError("tensor_split expected tensor_indices_or_sections to have dtype of long, but got %s"
                               % spec.dtype._cast_name)
        if spec._data.ndim > 1:
            raise RuntimeError("tensor_split expected tensor_indices_or_sections to be a zero-dimensional or "
                               "one-dimensional tensor, but got a tensor with %d dims" % spec._data.ndim)
        spec = spec.item() if spec._data.ndim == 0 else spec.tolist()
    d = wrap_dim(dim, input._data.ndim)
    n = input._data.shape[d]
    if isinstance(spec, (list, tuple)):
        bounds = [0] + [int(i) for i in spec] + [n]
    else:
        if spec <= 0:
            raise RuntimeError("number of sections must be larger than 0, got %d" % spec)
        check_vector_length(spec)
        small, extra = divmod(n, spec)
        bounds = [0]
        for i in range(spec):
            bounds.append(bounds[-1] + small + (i < extra))
    pieces = []
    for start, stop in zip(bounds, bounds[1:]):
        lo, hi, _ = slice(start, stop).indices(n)
        pieces.append(slice_dim(input, d, lo, max(lo, hi)))
    return tuple(pieces)


# ---- cat, stack and their relatives ------------------------------------------------------------------
STACK = defop("stack", VARIADIC, {"*": lambda grad, index, dim: grad.select(dim, index)}, complex_vjps=True)
CAT = defop("cat", VARIADIC, {"*": lambda grad, index, dim, offsets, skipped: grad.new_zeros((0,)) if index in skipped
                              else grad.narrow(dim, offsets[index], offsets[index + 1] - offsets[index])},
            complex_vjps=True)


def _nonempty(fname: str, tensors: Sequence[Tensor]) -> list[Tensor]:
    """The list of tensors (the parser checked its types), refused when empty as torch does."""
    if not tensors:
        raise RuntimeError("%s expects a non-empty TensorList" % fname)
    return list(tensors)


def _common_dtype(tensors: list[Tensor]) -> D.dtype:
    dt = tensors[0].dtype
    for x in tensors[1:]:
        dt = D.promote_types(dt, x.dtype)
    return dt


def _in_dtype(x: Tensor, dt: D.dtype) -> Any:
    """``x``'s data in the common dtype ``dt`` as c10 converts it (NumPy's ``astype`` to complex32 storage would
    write a real number into both parts)."""
    return x._data if x._data.dtype == dt.np else D.cast_np(x._data, dt.np)


# cat's out= (and the stacks', which cat into it): castable to from the promoted inputs, else a TypeError
CAT_OUT = OutCheck("torch.cat(): input types can't be cast to the desired output type %(out)s", exact=False,
                   error=TypeError)


@op("stack(TensorList tensors, int64_t dim=0, *, Tensor out=None)", out_check=CAT_OUT)
def stack(tensors: Any, dim: int = 0) -> Tensor:
    tensors = _nonempty("stack", tensors)
    shape = tensors[0]._data.shape
    d = wrap_dim(dim, len(shape) + 1)
    for i, x in enumerate(tensors):
        if x._data.shape != shape:
            raise RuntimeError("stack expects each tensor to be equal size, but got %s at entry 0 and %s at "
                               "entry %d" % (list(shape), list(x._data.shape), i))
    dt = _common_dtype(tensors)
    data = contiguous(np.stack([_in_dtype(x, dt) for x in tensors], axis=d))
    return record(STACK, data, tensors, {"dim": d})


@op("cat(TensorList tensors, int64_t dim=0, *, Tensor out=None)", aliases=("concat", "concatenate"),
    out_check=CAT_OUT)
def cat(tensors: Any, dim: int = 0) -> Tensor:
    if not tensors:
        raise ValueError("torch.cat(): expected a non-empty list of Tensors")
    tensors = list(tensors)
    for i, x in enumerate(tensors):
        if x._data.ndim == 0:
            raise RuntimeError("zero-dimensional tensor (at position %d) cannot be concatenated" % i)
    # legacy rule: 1-d empty tensors are skipped whatever the other shapes
    skipped = {i for i, x in enumerate(tensors) if x._data.ndim == 1 and x._data.size == 0}
    used = [x for i, x in enumerate(tensors) if i not in skipped]
    ref = used[0] if used else tensors[0]
    d = wrap_dim(dim, ref._data.ndim) if used else dim  # (torch's legacy_cat_wrap_dim: nothing to wrap against)
    dt = _common_dtype(tensors)  # (torch's cat promotes before it compares the shapes)
    for i, x in enumerate(tensors):
        if i in skipped:
            continue
        if x._data.ndim != ref._data.ndim:
            raise RuntimeError("Tensors must have same number of dimensions: got %d and %d"
                               % (ref._data.ndim, x._data.ndim))
        for k in range(ref._data.ndim):
            if k != d and x._data.shape[k] != ref._data.shape[k]:
                raise RuntimeError("Sizes of tensors must match except in dimension %d. Expected size %d "
                                   "but got size %d for tensor number %d in the list."
                                   % (d, ref._data.shape[k], x._data.shape[k], i))
    offsets = [0]
    for i, x in enumerate(tensors):
        offsets.append(offsets[-1] + (0 if i in skipped else x._data.shape[d]))
    # (laid out in the memory format every input suggests, else contiguous: torch's compute_output_memory_format)
    data = in_common_suggested_format(np.concatenate([_in_dtype(x, dt) for x in used], axis=d),
                                      [x._data for x in used]) if used else np.zeros((0,), dt.np)
    return record(CAT, data, tensors, {"dim": d, "offsets": offsets, "skipped": skipped})


def _at_least(fn: Any, name: str) -> Any:
    """torch's atleast_Nd: a Python function taking one tensor, several, or one sequence of them, which
    passes them to its binding (overloads ``(Tensor input)`` and ``(TensorList tensors)``)."""
    binding = compile_callable(Parser(["%s(Tensor input)" % name, "%s(TensorList tensors)" % name]),
                               lambda x: fn(x) if isinstance(x, Tensor) else tuple(fn(t) for t in x), False, name)

    def apply(*tensors: Any) -> Any:
        return binding(tensors[0] if len(tensors) == 1 else tensors)
    apply.__name__ = name
    return apply


def _atleast_1d(x: Tensor) -> Tensor:
    return reshape(x, (1,)) if x._data.ndim == 0 else x


def _atleast_2d(x: Tensor) -> Tensor:
    return {0: lambda: reshape(x, (1, 1)), 1: lambda: unsqueeze(x, 0)}.get(x._data.ndim, lambda: x)()


def _atleast_3d(x: Tensor) -> Tensor:
    return {0: lambda: reshape(x, (1, 1, 1)), 1: lambda: unsqueeze(unsqueeze(x, 0), -1),
            2: lambda: unsqueeze(x, -1)}.get(x._data.ndim, lambda: x)()


atleast_1d = python_op("atleast_1d")(_at_least(_atleast_1d, "atleast_1d"))
atleast_2d = python_op("atleast_2d")(_at_least(_atleast_2d, "atleast_2d"))
atleast_3d = python_op("atleast_3d")(_at_least(_atleast_3d, "atleast_3d"))


@op("hstack(TensorList tensors, *, Tensor out=None)", out_check=CAT_OUT)
def hstack(tensors: Any) -> Tensor:
    parts = [_atleast_1d(x) for x in _nonempty("hstack", tensors)]
    return cat(parts, 0 if parts[0]._data.ndim == 1 else 1)


@op("vstack(TensorList tensors, *, Tensor out=None)", out_check=CAT_OUT, aliases=("row_stack",))
def vstack(tensors: Any) -> Tensor:
    return cat([_atleast_2d(x) for x in _nonempty("vstack", tensors)], 0)


@op("dstack(TensorList tensors, *, Tensor out=None)", out_check=CAT_OUT)
def dstack(tensors: Any) -> Tensor:
    return cat([_atleast_3d(x) for x in _nonempty("dstack", tensors)], 2)


@op("column_stack(TensorList tensors, *, Tensor out=None)", out_check=CAT_OUT)
def column_stack(tensors: Any) -> Tensor:
    parts = _nonempty("column_stack", tensors)
    return cat([reshape(x, (x._data.size, 1)) if x._data.ndim <= 1 else x for x in parts], 1)


@python_op("meshgrid")
def meshgrid(*tensors: Any, indexing: str | None = None) -> tuple[Tensor, ...]:
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    check_tensor_list(tensors)
    if indexing is None:
        warn_once("meshgrid_indexing", "torch.meshgrid: in an upcoming release, it will be required to pass the "
                  "indexing argument. (Triggered internally at /__w/pytorch/pytorch/aten/src/ATen/native/"
                  "TensorShape.cpp:4215.)")
        indexing = "ij"
    if not tensors:
        raise RuntimeError("meshgrid expects a non-empty TensorList")
    for x in tensors[1:]:
        if x.dtype is not tensors[0].dtype:
            raise RuntimeError("meshgrid expects all tensors to have the same dtype")
    if indexing not in ("xy", "ij"):
        raise RuntimeError('torch.meshgrid: indexing must be one of "xy" or "ij", but received: %s' % indexing)
    for x in tensors:
        if x._data.ndim > 1:
            raise RuntimeError("torch.meshgrid: Expected 0D or 1D tensor in the tensor list but got: %s" % x)
    order = list(range(len(tensors)))
    if indexing == "xy" and len(tensors) > 1:  # "xy" is "ij" with the first two inputs swapped
        order[0], order[1] = 1, 0
    shape = tuple(tensors[i]._data.size for i in order)
    grids: list = [None] * len(tensors)
    for pos, i in enumerate(order):
        grids[i] = expand(view(tensors[i], tuple(-1 if k == pos else 1 for k in range(len(shape)))), shape)
    return tuple(grids)


# ---- repeat, tile, repeat_interleave ------------------------------------------------------------------
def _repeat_vjp(grad: Tensor, self_shape: tuple, repeats: tuple) -> Tensor:
    """torch's repeat_backward: zeros for a repeat of 0; else the leading new dims summed away one at a time, then
    each repeated dim (a repeat other than 1) split into (copies, size) and the copies summed in one sum."""
    if 0 in repeats:
        return grad.new_zeros(self_shape)
    for _ in range(len(repeats) - len(self_shape)):
        grad = grad.sum(0)
    split: tuple = ()
    summed: tuple = ()
    for r, s in zip(repeats[len(repeats) - len(self_shape):], self_shape):
        if r != 1:
            summed += (len(split),)
            split += (r,)
        split += (s,)
    grad = grad.reshape(split)
    return grad.sum(summed) if summed else grad


REPEAT = defop("repeat", grads={"self": _repeat_vjp}, widen=False,
               complex_vjps=True)  # (a formula of ops, each rounding)


@op(method=["repeat(SymIntArrayRef repeats)"])
def repeat(self: Tensor, repeats: Any) -> Tensor:
    repeats = parse_size((repeats,), "repeat")
    if len(repeats) < self._data.ndim:
        raise RuntimeError("Number of dimensions of repeat dims can not be smaller than number of dimensions of "
                           "tensor")
    padded = (1,) * (len(repeats) - self._data.ndim) + self._data.shape
    target = tuple(as_int64(r * s) for r, s in zip(repeats, padded))  # (torch's int64 products wrap)
    check_symint_sizes(target)
    check_storage(target, self._data.dtype, numpy_holds=False)
    # torch unfolds the result dim by dim into (copies, size) pairs to copy the input into: each unfold checks its
    # size, and each view counts its elements
    unfolded = list(target)
    for d, (t, r, s) in enumerate(zip(target, repeats, padded)):
        if t != r * s and 0 not in repeats:  # wrapped to a size that fits: torch's unfold of the result refuses it
            raise RuntimeError("maximum size for tensor at dimension %d is %d but size is %d" % (d, t, s))
        unfolded[d] = (t - s) // max(s, 1) + 1
        unfolded.append(s)
        check_numel(unfolded)
    if not fits_numpy(target, self._data.dtype):
        raise numpy_cannot_hold(target)
    if 0 in target:  # (a negative repeat of a size 0 too)
        data = np.zeros(target, self._data.dtype)
    else:
        data = np.tile(self._data.reshape(padded), repeats) if repeats else self._data.copy()
    return record(REPEAT, data, (self,), {"repeats": repeats})


@op("tile(Tensor input, SymIntArrayRef dims)", method=True)
def tile(input: Tensor, dims: Sequence[int]) -> Tensor:
    dims = tuple(dims)
    return repeat(input, (1,) * (input._data.ndim - len(dims)) + dims)


@op("repeat_interleave(Tensor input, Tensor repeats, int64_t? dim=None, *, SymInt? output_size=None)",
    "repeat_interleave(Tensor repeats, *, SymInt? output_size=None)",
    "repeat_interleave(Tensor input, SymInt repeats, int64_t? dim=None, *, SymInt? output_size=None)",
    method=["repeat_interleave(Tensor repeats, int64_t? dim=None, *, SymInt? output_size=None)",
            "repeat_interleave(SymInt repeats, int64_t? dim=None, *, SymInt? output_size=None)"])
def repeat_interleave(input: Tensor, repeats: Any = None, dim: int | None = None, *,
                      output_size: int | None = None) -> Tensor:
    if repeats is None:  # repeat_interleave(repeats): each index repeated repeats[i] times, in repeats' dtype
        return _repeated_indices(input, output_size)
    x = flatten(input) if dim is None else input
    dim = 0 if dim is None else dim
    if isinstance(repeats, Tensor):  # torch composes index_select with the repeated indices
        if repeats._data.ndim > 1:
            raise RuntimeError("repeats must be 0-dim or 1-dim tensor")
        n = x.size(dim)  # (read unwrapped: a 0-d input has no dim)
        d = wrap_dim(dim, x._data.ndim)
        if repeats._data.size == 1:
            repeats = Tensor._make(np.broadcast_to(repeats._data.reshape(1), (n,)))
        elif repeats._data.size != n:
            raise RuntimeError("repeats must have the same size as input along dim, but got repeats.size(0) = %d and "
                               "input.size(0) = %d" % (repeats._data.size, n))
        return x.index_select(d, _repeated_indices(repeats, output_size))
    d = wrap_dim(dim, x._data.ndim)
    n = x._data.shape[d] if x._data.ndim else 1
    if repeats < 0:
        raise RuntimeError("Repeats must be non-negative")
    shape = x._data.shape
    spread_shape = shape[:d + 1] + (repeats,) + shape[d + 1:]
    check_numel(spread_shape)  # (the expanded view's count, then the clone's storage: the view may be beyond NumPy)
    _check_output_size(output_size, as_int64(n * repeats))
    check_storage(spread_shape, x._data.dtype, numpy_holds=bool(x._data.size))
    if not x._data.size:
        # torch's expanded intermediate of ``repeats`` copies may be past what NumPy can hold: one copy gives the same
        # nodes, viewed as the result (flatten's view, with its error for a size that wrapped)
        spread = clone(expand(unsqueeze(x, d + 1), spread_shape[:d + 1] + (1,) + shape[d + 1:]))
        return spread.view(shape[:d] + (as_int64(n * repeats),) + shape[d + 1:])
    spread = expand(unsqueeze(x, d + 1), spread_shape)
    return flatten(clone(spread, memory_format=contiguous_format), d, d + 1)  # (torch's clone: contiguous)


def _repeated_indices(repeats: Tensor, output_size: int | None) -> Tensor:
    """torch's repeat_interleave(repeats) kernel: each index i repeated ``repeats[i]`` times, in repeats' dtype. Given
    ``output_size``, the result is allocated with it before it is checked against the repeats' sum and their signs."""
    if repeats.dtype not in (D.int32, D.int64):
        raise NotImplementedError("\"repeat_interleave_cpu\" not implemented for '%s'" % repeats.dtype._cast_name)
    if repeats._data.ndim != 1:
        raise RuntimeError("repeat_interleave only accept 1D vector as repeat")
    counts = repeats._data
    if not counts.size:  # (torch returns before reading output_size)
        return Tensor._make(np.empty(0, counts.dtype))
    negative = RuntimeError("repeats can not be negative") if np.any(counts < 0) else None
    if output_size is None and negative:
        raise negative
    total = int(counts.sum(dtype=np.int64))
    allocated = total if output_size is None else output_size
    check_symint_sizes((allocated,))
    check_storage((allocated,), counts.dtype)
    if allocated != total:
        raise RuntimeError("allocated size does not match required size")
    if negative:  # (the kernel's own check, as it writes)
        raise negative
    return Tensor._make(np.repeat(np.arange(counts.size, dtype=counts.dtype), counts))


def _check_output_size(output_size: int | None, expected: int) -> None:
    if output_size is not None and output_size != expected:
        raise RuntimeError("repeat_interleave: Invalid output_size, expected %d but got %d" % (expected, output_size))
