"""Reading by index, and ``t[key] = v``: ``t[key]``, index_select, take, take_along_dim, the masked ops,
and the writes that ``t[key] = v`` is made of (copy_, fill_, zero_, index_put_). (Writing by an index
tensor along a dim - scatter, index_add/fill/copy, put - lives in ``scatter.py``.)

``__getitem__`` and ``__setitem__`` are hand-written Python methods, as in torch (not parser ops):
``x[0]`` is the hot path, and a key is no signature.

Like torch, a key is applied in two stages: its basic parts (ints, slices, None, Ellipsis) as a chain
of views (SelectBackward0, SliceBackward0, UnsqueezeBackward0), then its advanced parts (integer and
boolean tensors or lists) as one IndexBackward0 on the result. Ints are basic in torch (unlike
NumPy, where an int beside an array is advanced), which decides the result's layout.
"""
from __future__ import annotations

import math
import numbers
import warnings
from typing import Any

import numpy as np

from .. import _dtype as D
from .._creation import tensor
from .._tensor import Tensor
from .dims import broadcast_pair, element_strides, wrap_dim
from .inplace import OutCheck, apart_from_inputs, finish
from .._overlap import warn_if_expanded
from ..autograd.recording import (check_inplace, check_output_shape, defop, has_memory_to_write,
                                  record, record_inplace)
from .conversion import converted, copy_source
from .keyed import KeyedOp, reads_nothing
from .limited_dtypes import refuse_kernel
from .preserve_format import empty_like_array
from .pointwise import zero_grad
from .promotion import check_broadcast
from .registry import op, python_method
from .cpu_loops import iteration_order
from .result_layout import contiguous, dense_in_order, with_strides
from .scalar_cast import checked_scalar, fill_scalar
from .signature import type_name
from .joining import cat
from .shape import alias, select_index, slice_dim, unsqueeze

_INT64 = np.iinfo(np.int64)


def _index_layout(result: np.ndarray, input: np.ndarray, key: tuple) -> np.ndarray:
    """``input[key]`` (``key``: full slices and index arrays) laid out as torch's index kernel allocates it: by
    TensorIterator's rule over the input restrided (the indexed dims' strides 0, the indices' broadcast shape in
    their place: first when the index arrays are not adjacent) and the index arrays, the input first."""
    if not result.size or result.ndim < 2:
        return result
    arrays: list[np.ndarray] = []  # (each index array, a mask as its nonzero positions per dim)
    dims: list[int] = []  # (the input dims they index)
    d = 0
    for k in key if isinstance(key, tuple) else (key,):
        if isinstance(k, np.ndarray):
            if k.dtype == np.bool_ and not k.ndim:  # (a 0-d mask indexes no dim: a new one; not modelled)
                return result
            parts = np.nonzero(k) if k.dtype == np.bool_ else (k,)  # (a mask: its nonzero positions, per dim)
            arrays += parts
            dims += range(d, d + len(parts))
            d += len(parts)
        else:
            d += 1
    index_shape = np.broadcast_shapes(*(a.shape for a in arrays))
    kept = [i for i in range(input.ndim) if i not in dims]
    lead = dims[0] if dims == list(range(dims[0], dims[-1] + 1)) else 0  # (where the index dims go)
    strides = element_strides(input)
    restrided = [strides[i] for i in kept[:lead]] + [0] * len(index_shape) + [strides[i] for i in kept[lead:]]
    n_after = len(kept) - lead
    operands = [restrided]
    for a in arrays:
        own = element_strides(np.broadcast_to(a, index_shape))
        operands.append([0] * lead + list(own) + [0] * n_after)
    perm = iteration_order(result.shape, operands)
    return with_strides(result, dense_in_order(result.shape, perm[::-1]))


INDEX = KeyedOp("index", "IndexBackward0", "IndexPutBackward0", each_add_rounded=True, laid_out=_index_layout)


def _index(input: Tensor, key: tuple) -> Tensor:
    _check_bounds(input._data.shape, key)
    return INDEX.gather(input, key)


def _check_bounds(shape: tuple, key: tuple) -> None:
    """torch's index kernels' bounds check, in their order: element by element of the index arrays' broadcast,
    each array in turn within an element; the error names the index's place among the indices (a mask counts as
    one per dim it covers), not the dim it indexes (NumPy checks one dim after another, and words it otherwise)."""
    placed, d, place = [], 0, 0  # (place in the indices, dim indexed, index array)
    for k in key:
        if isinstance(k, np.ndarray) and k.dtype != np.bool_ and d < len(shape):
            placed.append((place, d, k))
        if isinstance(k, np.ndarray):
            place += _consumed(k)
        d += _consumed(k)
    if not placed:
        return
    arrays = [a.reshape(-1) for a in np.broadcast_arrays(*(k for _, _, k in placed))]
    bad = np.stack([(a < -shape[d]) | (a >= shape[d]) for (_, d, _), a in zip(placed, arrays)], -1)
    if bad.any():
        element = int(np.argmax(bad.any(1)))
        j = int(np.argmax(bad[element]))
        place, d, _ = placed[j]
        raise IndexError("index %d is out of bounds for dimension %d with size %d"
                         % (arrays[j][element], place, shape[d]))


def _slice_bounds(s: slice, size: int) -> tuple[int, int, int]:
    step = 1 if s.step is None else int(s.step)
    if step == 0:
        raise ValueError("slice step cannot be zero")
    if step < 0:
        raise ValueError("step must be greater than zero")
    start, stop, _ = slice(s.start, s.stop, step).indices(size)
    return start, max(stop, start), step


def _spans(s: slice, size: int) -> bool:
    """Whether torch skips the slice as all of a dim: written from 0 (not a negative start) by 1 to the end."""
    return (s.start is None or int(s.start) == 0) and (s.step is None or int(s.step) == 1) and (
        s.stop is None or int(s.stop) >= size)


def _is_int(x: Any) -> bool:
    if isinstance(x, (int, np.integer)) and not isinstance(x, (bool, np.bool_)):
        return True
    return isinstance(x, Tensor) and x._data.ndim == 0 and x.dtype.category == D.INTEGRAL and x.dtype is not D.uint8


def _zero_dim_byte(x: Any) -> bool:
    return isinstance(x, Tensor) and x._data.ndim == 0 and x.dtype is D.uint8


_BYTE_MASK = ("indexing with dtype torch.uint8 is now deprecated, please use a dtype torch.bool instead. (Triggered "
              "internally at /__w/pytorch/pytorch/aten/src/ATen/native/IndexingUtils.h:37.)")


_INDEX_DTYPES = frozenset(np.dtype(t) for t in (np.int64, np.int32, np.uint8, np.bool_))


def _array_index(data: np.ndarray) -> np.ndarray:
    """A tensor's (or an ndarray's) values as an index: a bool mask (a uint8 one is read as a mask: its users warn,
    ``warn_byte_mask``), an int64 or int32 one as int64; torch takes no other dtype."""
    if data.dtype not in _INDEX_DTYPES:
        raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
    if data.dtype == np.uint8:
        return data.astype(np.bool_)
    return data if data.dtype == np.bool_ else data.astype(np.int64, copy=False)


def _byte_masks(key: Any) -> bool:
    """Whether a key (or index_put's list of indices) holds a uint8 tensor or array, which torch reads as a mask."""
    items = key if isinstance(key, (tuple, list)) else (key,)
    return any(isinstance(k, (Tensor, np.ndarray)) and k.dtype in (D.uint8, np.uint8) and k.ndim for k in items)


def _warn_byte_mask() -> None:
    warnings.warn(_BYTE_MASK, UserWarning, stacklevel=4)


_INVALID_INDEX = ("only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid indices "
                  "(got %s)")


def _advanced_array(x: Any) -> np.ndarray:
    if isinstance(x, (Tensor, np.ndarray)):
        return _array_index(x._data if isinstance(x, Tensor) else x)
    if not isinstance(x, (list, tuple, str, bytes)):
        raise IndexError(_INVALID_INDEX % type_name(x))
    # torch reads a sequence as torch.tensor does (its errors too), then keeps bools and casts the rest to
    # int64 (a float truncates)
    arr = tensor(x)._data
    return arr if arr.dtype == np.bool_ else arr.astype(np.int64)


def _consumed(item: Any) -> int:
    """How many of the input's dims a key item indexes."""
    if item is None:
        return 0
    if isinstance(item, np.ndarray):
        return item.ndim if item.dtype == np.bool_ else 1
    return 1


def _key_items(key: Any) -> list:
    """The items of a key. A short list holding a sequence, tensor, slice, None or Ellipsis is read as a
    tuple of items (NumPy's old heuristic, deprecated but kept by torch), with torch's warning."""
    if isinstance(key, tuple):
        return list(key)
    if isinstance(key, list) and len(key) < 32 and any(
            k is None or k is Ellipsis or isinstance(k, (Tensor, list, tuple, slice, np.ndarray)) for k in key):
        warnings.warn("Using a non-tuple sequence for multidimensional indexing is deprecated and will be changed in "
                      "pytorch 2.9; use x[tuple(seq)] instead of x[seq]. In pytorch 2.9 this will be interpreted as "
                      "tensor index, x[torch.tensor(seq)], which will result either in an error or a different result "
                      "(Triggered internally at /__w/pytorch/pytorch/torch/csrc/autograd/python_variable_indexing.cpp"
                      ":349.)", UserWarning, stacklevel=4)
        return list(key)
    return [key]


def _normalize(key: Any) -> list:
    out = []
    for it in _key_items(key):
        if it is None or it is Ellipsis or isinstance(it, slice) or _is_int(it):
            out.append(int(it) if _is_int(it) else it)
        elif isinstance(it, bool) or _zero_dim_byte(it):  # (torch reads a 0-d uint8 tensor as a bool)
            out.append(np.asarray(it if isinstance(it, bool) else bool(it)))
        elif isinstance(it, (float, complex, np.inexact, np.bool_)):  # (a NumPy bool is no Python bool to torch)
            raise IndexError(_INVALID_INDEX % type_name(it))
        else:
            out.append(_advanced_array(it))
    return out


def _apply_basic(t: Tensor, key: Any, write: bool = False) -> tuple[Tensor, tuple | None]:
    """Apply the basic part of ``key``; return the view and the advanced key left to apply.

    A full slice is skipped, and a key that selects all of ``t`` gives ``t``'s alias, except that a
    lone ``t[:]`` is a slice view; when writing (``write``), ``t`` itself is the target.
    """
    items = _normalize(key)
    ndim = t._data.ndim
    ellipses = [i for i, it in enumerate(items) if it is Ellipsis]  # (``in`` would compare arrays)
    if len(ellipses) > 1:
        raise IndexError("an index can only have a single ellipsis ('...')")
    used = sum(_consumed(it) for it in items if it is not Ellipsis)
    if used > ndim:
        if ndim == 0 and any(isinstance(it, int) for it in items):
            raise IndexError("invalid index of a 0-dim tensor. Use `tensor.item()` in Python or "
                             "`tensor.item<T>()` in C++ to convert a 0-dim tensor to a number")
        raise IndexError("too many indices for tensor of dimension %d" % ndim)
    positions = list(range(len(items)))  # each item's place in the key: torch's errors name it as the dim
    if ellipses:
        e = ellipses[0]
        items[e:e + 1] = [slice(None)] * (ndim - used)
        positions[e:e + 1] = [e] * (ndim - used)
    single_slice = not write and not isinstance(key, tuple) and isinstance(key, slice)
    out, d = t, 0
    advanced: list = []  # (dim in the result, array)
    for it, position in zip(items, positions):
        if isinstance(it, int):
            out = select_index(out, d, it, position)
        elif isinstance(it, slice):
            start, stop, step = _slice_bounds(it, out._data.shape[d])
            if single_slice or not _spans(it, out._data.shape[d]):
                out = slice_dim(out, d, start, stop, step)
            d += 1
        elif it is None:
            out = unsqueeze(out, d)
            d += 1
        elif it.ndim == 0 and it.dtype == np.bool_:
            # a bool (or 0-d bool or uint8 tensor): torch unsqueezes a dim and indexes it with [0] (True) or
            # nothing (False), a long index tensor (an UnsqueezeBackward0 under its IndexBackward0)
            out = unsqueeze(out, d)
            advanced.append((d, np.zeros(1 if it else 0, np.int64)))
            d += 1
        else:
            advanced.append((d, it))
            d += _consumed(it)
    if not advanced:
        return (alias(t) if out is t and not write else out), None
    npkey: list = []
    covered = 0  # dims of ``out`` the key has reached
    shape = out._data.shape
    for pos, arr in advanced:
        npkey.extend([slice(None)] * (pos - covered))
        npkey.append(arr)
        covered = pos + _consumed(arr)
        _check_mask(arr, shape, pos)
    _check_index_shapes([a for _, a in advanced])
    _check_empty_dims(advanced, shape)
    return out, _unread_when_empty(tuple(npkey), shape)


def _unread_when_empty(key: tuple, shape: tuple) -> tuple:
    """``key``, or, when the result of indexing ``shape`` with it is empty, ``key`` with in-bounds (zero) indices:
    torch's kernels loop over the result's elements, reading no index of an empty one (nor does the backward)."""
    if math.prod(_indexed_shape(shape, key)):
        return key
    return tuple(np.zeros_like(k) if isinstance(k, np.ndarray) and k.dtype != np.bool_ else k for k in key)


def _check_mask(arr: np.ndarray, shape: tuple, pos: int) -> None:
    """A mask indexing the dims from ``pos`` on has their sizes (a dim past the end read as ``size(dim)`` reads it)."""
    if arr.dtype != np.bool_:
        return
    for k, s in enumerate(arr.shape):
        if s != (shape[pos + k] if pos + k < len(shape) else wrap_dim(pos + k, len(shape))):
            raise IndexError("The shape of the mask %s at index %d does not match the shape of the indexed tensor %s "
                             "at index %d" % (list(arr.shape), k, list(shape), pos + k))


def _indexed_shape(shape: tuple, key: tuple) -> tuple:
    """The shape of ``x[key]`` for an ``x`` of ``shape`` (``key``: full slices and index arrays), no index read:
    the arrays' broadcast shape (a mask's, its count) replaces the dims they index, in place when the arrays are
    adjacent, else first."""
    arrays = [i for i, k in enumerate(key) if isinstance(k, np.ndarray)]
    broadcast = np.broadcast_shapes(*[(int(key[i].sum()),) if key[i].dtype == np.bool_ and key[i].ndim
                                      else key[i].shape for i in arrays])
    before: list = []
    after: list = []
    d = 0
    for i, k in enumerate(key):
        if isinstance(k, np.ndarray):
            d += k.ndim if k.dtype == np.bool_ else 1
        else:
            (before if i < arrays[0] else after).append(shape[d])
            d += 1
    after += shape[d:]
    if arrays[-1] - arrays[0] == len(arrays) - 1:  # adjacent
        return tuple(before) + broadcast + tuple(after)
    return broadcast + tuple(before + after)


def _index_shapes(arrays: list) -> list:
    """The index arrays' shapes, a mask counting as its nonzero positions."""
    return [(int(a.sum()),) if a.dtype == np.bool_ and a.ndim else a.shape for a in arrays]


def _check_index_shapes(arrays: list) -> None:
    """The index arrays (a mask counting as its nonzero positions) must broadcast together."""
    shapes = _index_shapes(arrays)
    try:
        np.broadcast_shapes(*shapes)
    except ValueError:
        raise IndexError("shape mismatch: indexing tensors could not be broadcast together with shapes %s"
                         % ", ".join(str(list(s)) for s in shapes)) from None


@python_method("__getitem__")
def getitem(self: Tensor, key: Any) -> Tensor:
    if type(key) is int and self._data.ndim:  # ``x[i]``, the commonest key: what _apply_basic does for it
        return select_index(self, 0, key)
    out, adv = _apply_basic(self, key)
    if adv is None:
        return out
    if _byte_masks(key):
        _warn_byte_mask()
    return _index(out, adv)


# ---- writes ---------------------------------------------------------------------------------
COPY = defop("copy_", ("self", "src"), {"self": zero_grad, "src": lambda grad: grad},
             grad_name="CopyBackwards", complex_vjps=True)
FILL = defop("fill_", grads={"self": zero_grad}, grad_name="FillBackward2", complex_vjps=True)
FILL_TENSOR = defop("fill_", ("self", "value"), {"self": zero_grad,
                                                 "value": lambda grad: grad.sum()}, grad_name="FillBackward3",
                   real_part=False, complex_vjps=True)
ZERO = defop("zero_", grads={"self": zero_grad}, complex_vjps=True)
INDEX_PUT = defop("index_put_", ("self", "values"), {
    "self": lambda grad, key, accumulate: grad if accumulate else _zero_at(grad, key),
    "values": lambda grad, key: _index(grad, key)}, grad_name="IndexPutBackward0", complex_vjps=True)


def _zero_at(grad: Tensor, key: Any) -> Tensor:
    """``grad`` with the positions at ``key`` zeroed (differentiable). A fill, not a product with a 0/1 mask:
    a NaN or infinite gradient at an overwritten position must give 0, as torch's, not NaN. torch writes the zeros
    with index_put_: its kernel's refusals, not masked_fill's."""
    refuse_kernel("index_put", grad.dtype)
    mask = np.zeros(grad._data.shape, np.bool_)
    if not reads_nothing(key):
        mask[key] = True
    return _masked_fill(grad, Tensor._make(mask), 0, False)


@op(method=["copy_(Tensor other, bool non_blocking=False)"])
def copy_(self: Tensor, src: Any, non_blocking: bool = False) -> Tensor:
    if not isinstance(src, Tensor):  # torch's parser takes a Python number as a tensor here
        src = Tensor._make(np.asarray(src))
    check_inplace(self, (src,))  # (autograd's refusal before the shapes are checked)
    if src._data.shape != self._data.shape:
        check_broadcast(self._data, src._data)
        check_output_shape(self, src._data.shape)
    # (copy_ into an integral self records nothing, whatever src requires: torch's copy_ is not differentiable there)
    op = COPY if self.dtype.category >= D.FLOATING else None
    source = np.broadcast_to(copy_source(src, self.dtype, self._data.size), self._data.shape)
    if self.dtype is D.bfloat16:  # (the copy kernel's lanes make its NaNs)
        source = converted(source, self.dtype, self._data)
    return record_inplace(op, self, source, (self, src))


@op("fill_(Tensor input, Tensor value)", "fill_(Tensor input, Scalar value)")
@op(method=["fill_(Tensor value)", "fill_(Scalar value)"])
def fill_(self: Tensor, value: Any) -> Tensor:
    if isinstance(value, Tensor):
        check_inplace(self, (value,))  # (torch refuses a write into a leaf before looking at the value)
        if value._data.ndim:
            raise RuntimeError("fill_ only supports 0-dimension value tensor but got tensor with %d "
                               "dimensions." % value._data.ndim)
        return record_inplace(FILL_TENSOR, self, copy_source(value, self.dtype, self._data.size), (self, value))
    check_inplace(self)  # (before the number is converted)
    # (torch's fill_ of a number skips the overlap check: every element of an expanded self is the value)
    return record_inplace(FILL, self, fill_scalar(value, self.dtype, self._data.size), (self,), overlapping=True)


@op("zero_(Tensor input)")
@op(method=["zero_()"])
def zero_(self: Tensor) -> Tensor:
    return record_inplace(ZERO, self, 0, (self,), overlapping=True)


def _fills_mask(key: tuple, values: Tensor, accumulate: bool) -> bool:
    """Whether torch's index_put_ writes ``values`` as masked_fill_ does: one value, a single mask as the only
    index array (the value converted to the dtype, not checked against it)."""
    arrays = [k for k in key if isinstance(k, np.ndarray)]
    return not accumulate and values._data.size == 1 and len(arrays) == 1 and arrays[0].dtype == np.bool_


def _expands_to(shape: tuple, target: tuple) -> bool:
    try:
        return np.broadcast_shapes(shape, target) == target
    except ValueError:
        return False


def _put_at(self: Tensor, key: tuple, values: Any, accumulate: bool, byte_mask: bool, in_place: bool = True) -> Tensor:
    """Write (or add) ``values`` into ``self`` at the NumPy advanced-index ``key`` (``byte_mask``: the key's mask was
    a uint8 one): torch checks the value's shape against the indexing result's, then its dtype, then its kernel
    refuses the limited dtypes it lacks, and the indices' bounds come last. ``in_place=False``: into a copy (torch's
    out-of-place index_put, one IndexPutBackward0 node whose edges lead to ``self`` and ``values`` themselves)."""
    if not isinstance(values, Tensor):
        values = Tensor._make(np.asarray(checked_scalar(values, self.dtype) if isinstance(values, numbers.Number)
                                         else values, self.dtype.np))
    written = values._data
    if _fills_mask(key, values, accumulate):
        if byte_mask:  # torch's masked_fill_ takes a bool mask only
            raise RuntimeError("masked_fill_ only supports boolean masks, but got mask with dtype unsigned char")
        refuse_kernel("masked_fill", self.dtype)
        written = np.asarray(checked_scalar(values.item(), self.dtype), self.dtype.np)
    else:
        if byte_mask:
            _warn_byte_mask()
        result = _indexed_shape(self._data.shape, key)
        if not _expands_to(written.shape, result):
            raise RuntimeError("shape mismatch: value tensor of shape %s cannot be broadcast to indexing result of "
                               "shape %s" % (list(written.shape), list(result)))
        if values.dtype is not self.dtype:
            raise RuntimeError("Index put requires the source and destination dtypes match, got %s for the destination "
                               "and %s for the source." % (self.dtype._cast_name, values.dtype._cast_name))
        refuse_kernel("index_put", self.dtype)
    data = empty_like_array(self._data, self._data.dtype)  # (the out-of-place result is a clone of self: its layout)
    data[...] = self._data
    # (index arrays that broadcast to nothing select nothing: torch reads none of their indices)
    if all(np.broadcast_shapes(*(k.shape for k in key if isinstance(k, np.ndarray)))):
        _check_bounds(data.shape, key)
        if accumulate:
            np.add.at(data, key, written)
        else:
            data[key] = written
    attrs = {"key": key, "accumulate": accumulate}
    if not in_place:
        return record(INDEX_PUT, data, (self, values), attrs)
    return record_inplace(INDEX_PUT, self, data, (self, values), attrs, overlapping=True)


def _indices_key(indices: Any, shape: tuple) -> tuple:
    ndim = len(shape)
    if len(indices) > ndim:
        raise IndexError("too many indices for tensor of dimension %d (got %d)" % (ndim, len(indices)))
    arrays = [_advanced_array(i) for i in indices]
    position = 0
    for arr in arrays:
        _check_mask(arr, shape, position)
        position += _consumed(arr)
    if position > ndim:  # (masks expanded, an index lands past the last dim: torch reads that dim's size)
        wrap_dim(ndim, ndim)
    _check_index_shapes(arrays)
    _check_empty_dims(list(zip(np.cumsum([0] + [_consumed(a) for a in arrays]), arrays)), shape)
    return _unread_when_empty(tuple(arrays), shape)


def _check_empty_dims(placed: list, shape: tuple) -> None:
    """torch's AdvancedIndex refuses an index into an empty dim once the (broadcast) indices select anything, before
    it looks at the values or at each index's bounds (``placed``: each index array with the dim it starts at)."""
    if not math.prod(np.broadcast_shapes(*_index_shapes([arr for _, arr in placed]))):
        return
    for position, arr in placed:
        if arr.dtype != np.bool_ and shape[position] == 0:
            raise IndexError("index is out of bounds for dimension with size 0")


@op(method=["index_put_(c10::List<::std::optional<Tensor>> indices, Tensor values, bool accumulate=False)"])
def index_put_(self: Tensor, indices: Any, values: Any, accumulate: bool = False) -> Tensor:
    check_inplace(self, (values,))  # (torch refuses a write into a leaf before looking at the indices)
    warn_if_expanded("index_put_", self._data, stacklevel=4)  # (before the indices are read)
    key = _indices_key(indices, self._data.shape)
    masks = [i for i in indices if i is not None]
    if (not accumulate and isinstance(values, Tensor) and values._data.size == 1 and len(masks) == 1
            and masks[0].dtype is D.bool):  # (torch's canDispatchToMaskedFill: its masked_fill_ warns too; a uint8
        # mask meets masked_fill_'s dtype error first)
        warn_if_expanded("masked_fill_", self._data, stacklevel=4)
    return _put_at(self, key, values, accumulate, _byte_masks(indices))


@op("index_put(Tensor input, c10::List<::std::optional<Tensor>> indices, Tensor values, bool accumulate=False)",
    method=True)
def index_put(input: Tensor, indices: Any, values: Any, accumulate: bool = False) -> Tensor:
    return _put_at(input, _indices_key(indices, input._data.shape), values, accumulate, _byte_masks(indices),
                   in_place=False)


def _setitem_number(value: int | float, dt: D.dtype) -> Any:
    """torch's setitem reads an int as a C long long, and writes a number into a float16 tensor by a plain cast
    (inf beyond its range); into any other dtype it goes through fill_'s checked conversion."""
    if type(value) is int and not _INT64.min <= value <= _INT64.max:
        raise ValueError("Overflow when unpacking long long")
    if dt is not D.float16:
        return value
    with np.errstate(over="ignore"):
        return np.float16(value)


@python_method("__setitem__")
def setitem(self: Tensor, key: Any, value: Any) -> None:
    """torch's copy into the indexed region: a same-shaped tensor is copied, a 0-d one fills, any other
    loses its leading size-1 dims and broadcasts; advanced keys go through index_put_."""
    target, adv = _apply_basic(self, key, write=True)
    if type(value) in (int, float):
        value = _setitem_number(value, self.dtype)
    if isinstance(value, Tensor) and not (adv is None and value._data.shape == target._data.shape
                                          or adv is None and value._data.ndim == 0):
        shape = value._data.shape
        lead = next((i for i, s in enumerate(shape) if s != 1), len(shape))
        if adv is None:  # (torch's copy_to views the value whatever its leading dims, and expands it if it must)
            value = value.view(shape[lead:])
            if value._data.shape != target._data.shape:
                value = value.expand(target._data.shape)
        elif lead:
            value = value.view(shape[lead:])
    if adv is not None:
        _warn_expanded_setitem(target, key, value)
        _put_at(target, adv, value, False, _byte_masks(key))
    elif isinstance(value, Tensor) and value._data.shape == target._data.shape:
        copy_(target, value)
    elif isinstance(value, Tensor):
        has_memory_to_write(target)  # (torch copies the 0-d value in: its overlap check, which fill_ skips)
        fill_(target, value)
    else:
        has_memory_to_write(target)
        check_inplace(target)  # (before the number is converted, as fill_)
        # torch writes a 0-d tensor of the number: fill_ with it (a 0-d target: copy_), whose source has no history
        # (an edge to nothing)
        op = COPY if not target._data.ndim else FILL_TENSOR
        record_inplace(op, target, fill_scalar(value, target.dtype, target._data.size), (target, None),
                       overlapping=True)


def _warn_expanded_setitem(target: Tensor, key: Any, value: Any) -> None:
    """torch's warnings for an indexed write into an expanded tensor: index_put_'s, then masked_fill_'s when the key
    is one boolean mask and the value a number (torch's setitem runs masked_fill_ there)."""
    warn_if_expanded("index_put_", target._data, stacklevel=4)
    mask = key[0] if isinstance(key, tuple) and len(key) == 1 else key
    if isinstance(mask, Tensor) and mask.dtype is D.bool and (not isinstance(value, Tensor) or not value._data.ndim):
        warn_if_expanded("masked_fill_", target._data, stacklevel=4)


# ---- index_select, take, take_along_dim ----------------------------------------------------------
def _contiguous_result(result: np.ndarray, input: np.ndarray, key: Any) -> np.ndarray:
    return contiguous(result)  # (torch allocates index_select's result contiguous)


INDEX_SELECT = KeyedOp("index_select", "IndexSelectBackward0", "IndexAddBackward0", laid_out=_contiguous_result)
# torch's backward of index_select, index_add_ into zeros, runs scatter_add (float16/bfloat16 added in float32) along
# the first or last of two or more dims with an int64 index, and otherwise adds slice by slice in the dtype
INDEX_SELECT_BY_SLICES = KeyedOp("index_select", "IndexSelectBackward0", "IndexAddBackward0", each_add_rounded=True,
                                  laid_out=_contiguous_result)
TAKE = KeyedOp("take", "TakeBackward0", "PutBackward0", each_add_rounded=True)


def _index_array(index: Tensor) -> np.ndarray:
    return index._data.astype(np.intp, copy=False)


@op("index_select(Tensor input, int64_t dim, Tensor index, *, Tensor out=None)", method=True,
    out_rule=apart_from_inputs, out_check=OutCheck("index_select(): self and result must have the same scalar type"))
def index_select(input: Tensor, dim: int, index: Tensor) -> Tensor:
    d = wrap_dim(dim, input._data.ndim)
    if index._data.ndim > 1:
        raise IndexError("index_select(): Index is supposed to be a vector")
    if input._data.ndim == 0 and index._data.size != 1:
        raise RuntimeError("index_select(): Index to scalar can have only 1 value, got %d value(s)" % index._data.size)
    if index.dtype not in (D.int64, D.int32):
        raise RuntimeError("index_select(): Expected dtype int32 or int64 for index")
    idx = _index_array(index).reshape(-1)
    size = input._data.shape[d] if input._data.ndim else 1
    if idx.size and input._data.ndim > 1 and not input._data.size:
        _check_empty_self_bounds(idx, size)
    if idx.size and (idx.min() < 0 or idx.max() >= size):
        raise IndexError("index out of range in self")
    if input._data.ndim == 0:
        return INDEX_SELECT.gather(input, ..., ())
    scatter_add = input._data.ndim > 1 and d in (0, input._data.ndim - 1) and index.dtype is D.int64
    return (INDEX_SELECT if scatter_add else INDEX_SELECT_BY_SLICES).gather(input, (slice(None),) * d + (idx,))


def _check_empty_self_bounds(idx: np.ndarray, size: int) -> None:
    """torch's own bounds check (and messages) for index_select from an empty self of two or more dims."""
    if size <= 0:
        raise RuntimeError("index_select(): self indexing axis dim should be positive")
    bad = idx[(idx < 0) | (idx >= size)]
    if bad.size:
        raise RuntimeError("INDICES element is out of DATA bounds, id=%d axis_dim=%d" % (bad[0], size))


@op("take(Tensor input, Tensor index, *, Tensor out=None)", method=True, out_rule=apart_from_inputs,
    out_check=OutCheck("take(): self and out expected to have the same dtype, but got self.dtype = %(result)s and "
                       "out.dtype = %(out)s"))
def take(input: Tensor, index: Tensor) -> Tensor:
    if index.dtype is not D.int64:
        raise RuntimeError("take(): Expected a long tensor for index, but got %s" % index.dtype._cast_name)
    n = input._data.size
    idx = _index_array(index)
    if not n and idx.size:
        raise IndexError("take(): tried to take from an empty tensor")
    bad = idx[(idx < -n) | (idx >= n)]
    if bad.size:
        raise IndexError("out of range: tried to access index %d on a tensor of %d elements." % (bad.flat[0], n))
    shape = input._data.shape or (1,)  # a 0-d input is read as one element
    return TAKE.gather(input, np.unravel_index(idx % max(n, 1), shape), shape)


@op("take_along_dim(Tensor input, Tensor indices, int64_t? dim=None, *, Tensor out=None)", method=True,
    out_check=True)
def take_along_dim(input: Tensor, indices: Tensor, dim: int | None = None) -> Tensor:
    """torch's composition: a gather, after broadcasting ``input`` and ``indices`` but along ``dim``."""
    if dim is None:  # (views, as torch's: a layout that cannot be flattened without a copy is refused)
        return input.view(-1).gather(0, indices.view(-1))
    if input._data.ndim != indices._data.ndim:
        raise RuntimeError("torch.take_along_dim(): input and indices should have the same number of dimensions, "
                           "but got %d dimensions for input, and %d dimensions for indices"
                           % (input._data.ndim, indices._data.ndim))
    if indices.dtype is not D.int64:
        raise RuntimeError("torch.take_along_dim(): dtype of indices should be Long but got %s"
                           % indices.dtype._cast_name)
    d = wrap_dim(dim, input._data.ndim)
    if not input._data.ndim:  # torch reads the dim's size
        raise IndexError("Dimension specified as %d but tensor has no dimensions" % dim)
    shape_in, shape_idx = list(input._data.shape), list(indices._data.shape)

    def along(shape: list, size: int) -> tuple:
        return tuple(shape[:d] + [size] + shape[d + 1:])
    target_idx = broadcast_pair(along(shape_in, shape_idx[d]), indices._data.shape)
    target_in = broadcast_pair(along(shape_idx, shape_in[d]), input._data.shape)
    # torch wraps the indices into the dim (Python's modulo: any integer is in range; a size 0 divides by zero)
    return input.broadcast_to(target_in).gather(d, indices.broadcast_to(target_idx).remainder(target_in[d]))


# ---- masked ops -----------------------------------------------------------------------------------
MASKED_SELECT = KeyedOp("masked_select", "MaskedSelectBackward0", "MaskedScatterBackward0",
                        backward_kernel="masked_scatter")
MASKED_FILL = defop("masked_fill", ("self",), {"self": lambda grad, mask: grad.masked_fill(mask, 0)},
                    grad_name="MaskedFillBackward0", complex_vjps=True, saved_attrs=("mask",))
MASKED_FILL_TENSOR = defop("masked_fill", ("self", "value"), {
    "self": lambda grad, mask: grad.masked_fill(mask, 0),
    "value": lambda grad, mask: grad.masked_select(mask).sum()}, grad_name="MaskedFillBackward1", complex_vjps=True,
    saved_attrs=("mask",))


def _masked_shape(input: Tensor, mask: Tensor) -> tuple:
    """The shape ``input`` and ``mask`` broadcast to (torch's message names the mask first)."""
    return broadcast_pair(mask._data.shape, input._data.shape)


def _masked_scatter_source_grad(grad: Tensor, mask: Tensor, source_shape: tuple) -> Tensor:
    """The masked elements of ``grad``, in order, padded with zeros to the source's size."""
    picked = grad.masked_select(mask)
    missing = int(np.prod(source_shape)) - picked._data.size
    if missing > 0:
        picked = cat([picked, picked.new_zeros((missing,))])
    return picked.reshape(source_shape)


MASKED_SCATTER = defop("masked_scatter", ("self", "source"), {
    "self": lambda grad, mask: grad.masked_fill(mask, 0),
    "source": lambda grad, mask, source_shape: _masked_scatter_source_grad(grad, mask, source_shape)},
                       complex_vjps=True, saved_attrs=("mask",))


@op("masked_select(Tensor input, Tensor mask, *, Tensor out=None)", method=True,
    out_check=OutCheck("masked_select(): self and result must have the same scalar type"))
def masked_select(input: Tensor, mask: Tensor) -> Tensor:
    if mask.dtype is not D.bool:
        raise RuntimeError("masked_select: expected BoolTensor for mask")
    shape = _masked_shape(input, mask) or (1,)  # a 0-d pair is read as one element
    return MASKED_SELECT.gather(input, np.nonzero(np.broadcast_to(mask._data, shape)), shape)


def _masked_fill(self: Tensor, mask: Tensor, value: Any, inplace: bool) -> Tensor:
    shape = self._data.shape if inplace else _masked_shape(self, mask)
    if isinstance(value, Tensor) and value._data.ndim:
        raise RuntimeError("masked_fill_ only supports a 0-dimensional value tensor, but got tensor with %d "
                           "dimension(s)." % value._data.ndim)
    if mask.dtype is not D.bool:
        raise RuntimeError("masked_fill_ only supports boolean masks, but got mask with dtype %s"
                           % mask.dtype.cpp_name)
    if inplace:  # (torch's message names self first here)
        broadcast_pair(self._data.shape, mask._data.shape)
    fill = checked_scalar(value, self.dtype)
    data = np.where(mask._data, fill, self._data)
    if not inplace and data.shape != shape:
        data = np.broadcast_to(data, shape).copy()
    op, inputs = (MASKED_FILL_TENSOR, (self, value)) if isinstance(value, Tensor) else (MASKED_FILL, (self,))
    if inplace:  # (torch's masked_fill_ skips the overlap check: an expanded self is written through its memory)
        warn_if_expanded("masked_fill_", self._data, stacklevel=5)
        return record_inplace(op, self, data, inputs, {"mask": mask}, overlapping=True)
    return record(op, contiguous(data), inputs, {"mask": mask})  # (torch fills a contiguous clone)


def masked_fill_(self: Tensor, mask: Tensor, value: Any) -> Tensor:
    """Not derived: the in-place form keeps ``self``'s shape where the function broadcasts it to the mask's."""
    return _masked_fill(self, mask, value, True)


@op("masked_fill(Tensor input, Tensor mask, Tensor value)", "masked_fill(Tensor input, Tensor mask, Scalar value)",
    method=True, inplace=masked_fill_)
def masked_fill(input: Tensor, mask: Tensor, value: Any) -> Tensor:
    return _masked_fill(input, mask, value, False)


def _masked_scatter(self: Tensor, mask: Tensor, source: Tensor, inplace: bool) -> Tensor:
    if inplace:
        has_memory_to_write(self)  # (torch's first check)
    shape = self._data.shape if inplace else _masked_shape(self, mask)
    if source.dtype is not self.dtype:
        raise RuntimeError("masked_scatter: expected self and source to have same dtypes but got%s and %s"
                           % (self.dtype._cast_name, source.dtype._cast_name))
    if inplace:
        mask.expand(shape)  # (torch expands the mask to self's shape before it looks at its dtype)
    if mask.dtype is D.uint8:  # (a warning each time, before the kernel refuses it)
        warnings.warn("masked_scatter_ received a mask with dtype torch.uint8, this behavior is now deprecated,please "
                      "use a mask with dtype torch.bool instead. (Triggered internally at "
                      "/__w/pytorch/pytorch/aten/src/ATen/native/TensorAdvancedIndexing.cpp:3130.)", UserWarning,
                      stacklevel=5 if inplace else 4)
    if mask.dtype is not D.bool:
        raise RuntimeError("masked_scatter_ only supports boolean masks, but got mask with dtype %s"
                           % mask.dtype._cast_name)
    full = np.broadcast_to(mask._data, shape)
    count = int(np.count_nonzero(full))
    if count > source._data.size:
        raise RuntimeError("Number of elements of source < number of ones in mask")
    data = np.broadcast_to(self._data, shape).copy()
    data[full] = source._data.reshape(-1)[:count]
    return finish(MASKED_SCATTER, self, data, (self, source), {"mask": mask}, inplace)


def masked_scatter_(self: Tensor, mask: Tensor, source: Tensor) -> Tensor:
    """Not derived: the in-place form keeps ``self``'s shape where the function broadcasts it to the mask's."""
    return _masked_scatter(self, mask, source, True)


@op("masked_scatter(Tensor input, Tensor mask, Tensor source)", method=True, inplace=masked_scatter_)
def masked_scatter(input: Tensor, mask: Tensor, source: Tensor) -> Tensor:
    return _masked_scatter(input, mask, source, False)
