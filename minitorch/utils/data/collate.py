"""``default_collate`` (samples -> one batch) and ``default_convert`` (NumPy -> tensors, no batching).

Collation recurses through the first sample's structure: tensors are stacked, NumPy arrays and
scalars become tensors, Python floats float64 and ints int64 tensors, mappings and named tuples keep
their type, other sequences are transposed (tuples come back as lists, as in torch).
"""
from __future__ import annotations

import collections.abc
import copy
import re
from typing import Any, Callable, Sequence

import numpy as np

from ..._creation import as_tensor, tensor
from ..._dtype import float64
from ..._ops.registry import FUNCTIONS
from ..._tensor import Tensor

_STR_OR_OBJECT = re.compile(r"[SaUO]")  # NumPy dtype codes that cannot become tensors

default_collate_err_msg_format = ("default_collate: batch must contain tensors, numpy arrays, numbers, dicts "
                                  "or lists; found {}")


def _rebuild_mapping(elem: Any, values: dict) -> Any:
    """A mapping of ``elem``'s type holding ``values``: a copy for mutable ones, else the type
    called on the dict, else a plain dict."""
    try:
        if isinstance(elem, collections.abc.MutableMapping):
            clone = copy.copy(elem)
            clone.update(values)
            return clone
        return type(elem)(values)
    except TypeError:
        return values


def _rebuild_sequence(elem: Any, items: list) -> Any:
    try:
        if isinstance(elem, collections.abc.MutableSequence):
            clone = copy.copy(elem)
            for i, item in enumerate(items):
                clone[i] = item
            return clone
        return type(elem)(items)
    except TypeError:
        return items


def _is_numpy_value(data: Any) -> bool:
    t = type(data)
    return t.__module__ == "numpy" and t.__name__ not in ("str_", "string_")


def default_convert(data: Any) -> Any:
    """NumPy arrays and scalars (inside any container) to tensors; used when batching is off."""
    if isinstance(data, Tensor):
        return data
    if _is_numpy_value(data):
        if isinstance(data, np.ndarray) and _STR_OR_OBJECT.search(data.dtype.str) is not None:
            return data
        return as_tensor(np.asarray(data))  # as an array, a NumPy scalar keeps its dtype
    if isinstance(data, collections.abc.Mapping):
        return _rebuild_mapping(data, {k: default_convert(data[k]) for k in data})
    if isinstance(data, tuple) and hasattr(data, "_fields"):  # a named tuple
        return type(data)(*(default_convert(d) for d in data))
    if isinstance(data, tuple):
        return [default_convert(d) for d in data]
    if isinstance(data, collections.abc.Sequence) and not isinstance(data, (str, bytes)):
        return _rebuild_sequence(data, [default_convert(d) for d in data])
    return data


def _collate_tensors(batch: list) -> Tensor:
    return FUNCTIONS["stack"](batch, 0)


def _collate_ndarrays(batch: list) -> Tensor:
    if _STR_OR_OBJECT.search(batch[0].dtype.str) is not None:
        raise TypeError(default_collate_err_msg_format.format(batch[0].dtype))
    return _collate_tensors([as_tensor(b) for b in batch])


def _collate_numpy_scalars(batch: list) -> Tensor:
    return as_tensor(np.array(batch))  # the array keeps the scalars' dtype (np.int32 -> int32)


def _collate_floats(batch: list) -> Tensor:
    return tensor(batch, dtype=float64)


def _collate_ints(batch: list) -> Tensor:
    return tensor(batch)


def _collate_strings(batch: list) -> list:
    return batch


# looked up by exact type first, then by isinstance in this order (bool falls to int, as in torch)
_LEAF_COLLATE: dict[Any, Callable[[list], Any]] = {
    Tensor: _collate_tensors,
    np.ndarray: _collate_ndarrays,
    (np.bool_, np.number, np.object_): _collate_numpy_scalars,
    float: _collate_floats,
    int: _collate_ints,
    str: _collate_strings,
    bytes: _collate_strings,
}


def _leaf_collate(elem: Any) -> Callable[[list], Any] | None:
    fn = _LEAF_COLLATE.get(type(elem))
    if fn is not None:
        return fn
    for types, fn in _LEAF_COLLATE.items():
        if isinstance(elem, types):
            return fn
    return None


def default_collate(batch: Sequence[Any]) -> Any:
    """Merge a list of samples into a batch."""
    elem = batch[0]
    leaf = _leaf_collate(elem)
    if leaf is not None:
        return leaf(batch)
    if isinstance(elem, collections.abc.Mapping):
        return _rebuild_mapping(elem, {key: default_collate([d[key] for d in batch]) for key in elem})
    if isinstance(elem, tuple) and hasattr(elem, "_fields"):  # a named tuple
        return type(elem)(*(default_collate(samples) for samples in zip(*batch)))
    if isinstance(elem, collections.abc.Sequence):
        size = len(elem)
        if any(len(sample) != size for sample in batch):
            raise RuntimeError("each element in list of batch should be of equal size")
        columns = [default_collate(samples) for samples in zip(*batch)]  # a column of strings stays a tuple
        return columns if isinstance(elem, tuple) else _rebuild_sequence(elem, columns)
    raise TypeError(default_collate_err_msg_format.format(type(elem)))
