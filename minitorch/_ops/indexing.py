"""Indexing: ``t[key]``, ``t[key] = v``, the writes copy_/fill_/zero_/index_put_, index_select, take,
take_along_dim and the masked ops.

Like torch, a key is applied in two stages: its basic parts (ints, slices, None, Ellipsis) as a chain
of views (SelectBackward0, SliceBackward0, UnsqueezeBackward0), then its advanced parts (integer and
boolean tensors or lists) as one IndexBackward0 on the result. Ints are basic in torch (unlike
NumPy, where an int beside an array is advanced), which decides the result's layout.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .. import _dtype as D
from .._tensor import Tensor
from .dims import broadcast_error, c_type_name, wrap_dim
from .inplace import apply_inplace
from .keyed import KeyedOp
from .promotion import check_broadcast
from .registry import METHODS, both, check_tensor, defop, method, record
from .shape import alias, cat, select_index, slice_dim, unsqueeze


INDEX = KeyedOp("index", "IndexBackward0", "IndexPutBackward0")


def _index(input: Tensor, key: tuple) -> Tensor:
    try:
        return INDEX.gather(input, key)
    except IndexError as e:
        raise IndexError(str(e).replace("axis", "dimension")) from None


def _is_int(x: Any) -> bool:
    if isinstance(x, (int, np.integer)) and not isinstance(x, (bool, np.bool_)):
        return True
    return isinstance(x, Tensor) and x._data.ndim == 0 and x.dtype.category == D.INTEGRAL


def _advanced_array(x: Any) -> np.ndarray:
    if isinstance(x, Tensor):
        if x.dtype.category == D.FLOATING:
            raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
        return x._data if x.dtype is D.bool else x._data.astype(np.int64, copy=False)
    arr = np.asarray(x.tolist() if hasattr(x, "tolist") and not isinstance(x, np.ndarray) else x)
    if arr.dtype.kind == "f":
        raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
    return arr if arr.dtype == np.bool_ else arr.astype(np.int64)


def _consumed(item: Any) -> int:
    """How many of the input's dims a key item indexes."""
    if item is None:
        return 0
    if isinstance(item, np.ndarray):
        return item.ndim if item.dtype == np.bool_ else 1
    return 1


def _normalize(key: Any) -> list:
    items = list(key) if isinstance(key, tuple) else [key]
    out = []
    for it in items:
        if it is None or it is Ellipsis or isinstance(it, slice) or _is_int(it):
            out.append(int(it) if _is_int(it) else it)
        elif isinstance(it, (bool, np.bool_)):
            out.append(np.asarray(bool(it)))
        else:
            out.append(_advanced_array(it))
    return out


def _apply_basic(t: Tensor, key: Any) -> tuple[Tensor, tuple | None]:
    """Apply the basic part of ``key``; return the view and the advanced key left to apply."""
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
    if ellipses:
        items[ellipses[0]:ellipses[0] + 1] = [slice(None)] * (ndim - used)
    single_slice = not isinstance(key, tuple) and isinstance(key, slice)
    out, d = t, 0
    advanced: list = []  # (dim in the result, array)
    for it in items:
        if isinstance(it, int):
            out = select_index(out, d, it)
        elif isinstance(it, slice):
            start, stop, step = _slice_bounds(it, out._data.shape[d])
            if single_slice or (start, stop, step) != (0, out._data.shape[d], 1):
                out = slice_dim(out, d, start, stop, step)
            d += 1
        elif it is None:
            out = unsqueeze(out, d)
            d += 1
        else:
            advanced.append((d, it))
            d += _consumed(it)
    if not advanced:
        return (alias(t) if out is t else out), None
    npkey: list = []
    covered = 0  # dims of ``out`` the key has reached
    for pos, arr in advanced:
        npkey.extend([slice(None)] * (pos - covered))
        npkey.append(arr)
        covered = pos + _consumed(arr)
    return out, tuple(npkey)


@method("__getitem__")
def getitem(self: Tensor, key: Any) -> Tensor:
    out, adv = _apply_basic(self, key)
    return out if adv is None else _index(out, adv)


# ---- writes ---------------------------------------------------------------------------------
COPY = defop("copy_", ("self", "src"), {"self": lambda grad: grad * 0, "src": lambda grad: grad},
             grad_name="CopyBackwards")
FILL = defop("fill_", grads={"self": lambda grad: grad * 0}, grad_name="FillBackward0")
FILL_TENSOR = defop("fill_", ("self", "value"), {"self": lambda grad: grad * 0,
                                                 "value": lambda grad: grad.sum()}, grad_name="FillBackward1")
ZERO = defop("zero_", grads={"self": lambda grad: grad * 0})
INDEX_PUT = defop("index_put_", ("self", "values"), {
    "self": lambda grad, key, accumulate: grad if accumulate else _index_put(grad, key, 0.0),
    "values": lambda grad, key: _index(grad, key)}, grad_name="IndexPutBackward0")


def _index_put(t: Tensor, key: tuple, value: Any) -> Tensor:
    out = t.clone()
    out._data[key] = value
    return out


@method("copy_")
def copy_(self: Tensor, src: Any, non_blocking: bool = False) -> Tensor:
    if not isinstance(src, Tensor):
        raise TypeError("copy_(): argument 'src' (position 1) must be Tensor, not %s" % type(src).__name__)
    try:
        data = np.broadcast_to(src._data, self._data.shape)
    except ValueError:
        check_broadcast(self._data, src._data)
        raise
    return apply_inplace(COPY, self, data, (self, src))


@method("fill_")
def fill_(self: Tensor, value: Any) -> Tensor:
    if isinstance(value, Tensor):
        if value._data.ndim:
            raise RuntimeError("fill_ only supports 0-dimension value tensor but got tensor with %d "
                               "dimensions." % value._data.ndim)
        return apply_inplace(FILL_TENSOR, self, value._data, (self, value))
    return apply_inplace(FILL, self, value, (self,))


@method("zero_")
def zero_(self: Tensor) -> Tensor:
    return apply_inplace(ZERO, self, 0, (self,))


@method("index_put_")
def index_put_(self: Tensor, indices: Any, values: Any, accumulate: bool = False) -> Tensor:
    key = tuple(_advanced_array(i) for i in indices)
    v = values if isinstance(values, Tensor) else Tensor._make(np.asarray(values, self.dtype.np))
    data = self._data.copy()
    try:
        if accumulate:
            np.add.at(data, key, v._data.astype(self.dtype.np, copy=False))
        else:
            data[key] = v._data
    except IndexError as e:
        raise IndexError(str(e).replace("axis", "dimension")) from None
    return apply_inplace(INDEX_PUT, self, data, (self, v), {"key": key, "accumulate": accumulate})


@method("__setitem__")
def setitem(self: Tensor, key: Any, value: Any) -> None:
    target, adv = _apply_basic(self, key)
    if adv is not None:
        index_put_(target, adv, value)
    elif isinstance(value, Tensor):
        copy_(target, value)
    else:
        fill_(target, value)


METHODS["index_put"] = lambda self, indices, values, accumulate=False: index_put_(
    self.clone(), indices, values, accumulate)
