"""Op-table cases for indexing: ``t[key]`` and ``t[key] = v`` with every kind of key, index_select,
gather/scatter, the index_* and masked_* families, take/put, each with its in-place form."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
from hypothesis import strategies as st

from op_table import OpCase, ndarray, with_dim
from strategies import ALL, FLOATS, array

NUMERIC = FLOATS + ("int64",)


def _key_item(draw: Any, size: int) -> Any:
    """One item of an indexing key for a dim of ``size``."""
    kind = draw(st.sampled_from(["int", "slice", "none", "list", "tensor", "mask", "ellipsis"]))
    if kind == "int":
        return draw(st.integers(-size, size - 1))
    if kind == "slice":
        return slice(draw(st.one_of(st.none(), st.integers(-size - 1, size + 1))),
                     draw(st.one_of(st.none(), st.integers(-size - 1, size + 1))), draw(st.sampled_from([None, 1, 2])))
    if kind == "none":
        return None
    if kind == "ellipsis":
        return Ellipsis
    idx = draw(st.lists(st.integers(-size, size - 1), min_size=1, max_size=3))
    if kind == "list":
        return idx
    if kind == "mask":
        return np.array(draw(st.lists(st.booleans(), min_size=size, max_size=size)))
    return np.array(idx if draw(st.booleans()) else [idx[:1]] * 2, np.int64)


def _keyed(draw: Any, dtype: str) -> list:
    """An array and a key mixing basic and advanced items (at most one ellipsis)."""
    x = ndarray(draw, dtype, 1, 4)
    key, dim, seen_ellipsis = [], 0, False
    while dim < x.ndim and draw(st.integers(0, 3)):
        item = _key_item(draw, x.shape[dim])
        if item is Ellipsis:
            if seen_ellipsis:
                continue
            seen_ellipsis = True
            dim = max(dim, x.ndim - 1)
        elif item is not None:
            dim += 1
        key.append(item)
    return [x, key]


def _as_key(T: Any, key: list) -> tuple:
    """The key with its arrays as ``T`` tensors (masks as bool tensors)."""
    return tuple(T.tensor(k) if isinstance(k, np.ndarray) else k for k in key)


def _value_for(draw: Any, dtype: str, shape: tuple) -> np.ndarray:
    """A value that broadcasts to ``shape`` (one of its suffixes, with some dims 1)."""
    suffix = shape[draw(st.integers(0, len(shape))):]
    return array(draw, dtype, tuple(1 if draw(st.booleans()) else s for s in suffix))


def _setitem_inputs(draw: Any, dtype: str) -> list:
    x, key = _keyed(draw, dtype)
    import torch
    try:
        shape = tuple(torch.from_numpy(x)[_as_key(torch, key)].shape)
    except IndexError:
        shape = ()
    return [x, key, _value_for(draw, dtype, shape)]


def _setitem(T: Any, x: Any, key: list, value: Any) -> Any:
    out = x * 1 if x.is_floating_point() else x.clone()  # a non-leaf: written in place, it gets the history
    out[_as_key(T, key)] = value
    return out


def _index_dim(draw: Any, dtype: str, count: int | None = None) -> list:
    x, dim = with_dim(draw, dtype, keepdim=False)
    size = x.shape[dim]
    n = draw(st.integers(0, 4)) if count is None else count
    return [x, dim, np.array(draw(st.lists(st.integers(0, size - 1), min_size=n, max_size=n)), np.int64)]


def _gather_inputs(draw: Any, dtype: str) -> list:
    x, dim = with_dim(draw, dtype, keepdim=False)
    shape = tuple(draw(st.integers(1, s)) if k != dim else draw(st.integers(1, 4)) for k, s in enumerate(x.shape))
    index = np.array(draw(st.lists(st.integers(0, x.shape[dim] - 1), min_size=int(np.prod(shape)),
                                   max_size=int(np.prod(shape)))), np.int64).reshape(shape)
    return [x, dim, index, array(draw, dtype, shape)]


def _index_source(draw: Any, dtype: str) -> list:
    """self, dim, index and a source shaped like self but along dim (index_add/index_copy)."""
    x, dim, index = _index_dim(draw, dtype)
    source = array(draw, dtype, x.shape[:dim] + (index.size,) + x.shape[dim + 1:])
    return [x, dim, index, source]


def _unique_index_source(draw: Any, dtype: str) -> list:
    """As ``_index_source`` with distinct indices (index_copy's result is otherwise unspecified)."""
    x, dim = with_dim(draw, dtype, keepdim=False)
    index = np.array(draw(st.permutations(range(x.shape[dim])))[:draw(st.integers(0, x.shape[dim]))], np.int64)
    return [x, dim, index, array(draw, dtype, x.shape[:dim] + (index.size,) + x.shape[dim + 1:])]


def _masked(draw: Any, dtype: str) -> list:
    """An array, a mask broadcasting with it (either may be the smaller), and a source long enough to scatter."""
    full = ndarray(draw, dtype, 0, 3).shape

    def part() -> tuple:
        return tuple(1 if draw(st.booleans()) else s for s in full[draw(st.integers(0, len(full))):])
    x = array(draw, dtype, part())
    mask = array(draw, "bool", part())
    size = int(np.prod(np.broadcast_shapes(x.shape, mask.shape)))
    return [x, mask, array(draw, dtype, (size + draw(st.integers(0, 2)),))]


def _flat_index(draw: Any, dtype: str, unique: bool = False) -> list:
    x = ndarray(draw, dtype, 0, 3)
    n = x.size
    picks = draw(st.permutations(range(-n, 0) if draw(st.booleans()) else range(n)))[:draw(st.integers(0, n))] \
        if unique else draw(st.lists(st.integers(-n, n - 1), max_size=4))
    shape = draw(st.sampled_from([(len(picks),), (1, len(picks))]))
    return [x, np.array(picks, np.int64).reshape(shape), array(draw, dtype, shape)]


def _non_leaf(T: Any, x: Any) -> Any:
    """A copy of ``x`` that in-place ops may write (a non-leaf when ``x`` requires grad)."""
    return x.clone()


def _inplace(method: str) -> Callable:
    """``x.<method>(...)`` on a non-leaf copy of ``x``."""
    return lambda T, x, *args: getattr(_non_leaf(T, x), method)(*args)


CASES = [
    # ---- t[key]
    OpCase("getitem_keys", lambda T, x, key: x[_as_key(T, key)], inputs=_keyed, dtypes=ALL),
    OpCase("getitem_layout", lambda T, x: (x[0, :, [1, 0]], x[:, [0, 1], :, [1, 1]], x[[0], :, [1]], x[..., [0, 1], 0],
                                          x[None, [1], None, [0, 1]], x[T.tensor([[0], [1]]), [0, 1]], x[:, 1:, [1, 0]],
                                          x[1, [0, 1], 0, 1:]),
           inputs=lambda d, t: [array(d, t, (2, 3, 2, 3))]),
    OpCase("getitem_masks", lambda T, x: (x[x > 0], x[(x > 0)[..., 0]], x[True], x[False], x[None, x[..., 0] > 0],
                                         x[..., T.tensor([True, False, True])], x[T.tensor(True)]),
           inputs=lambda d, t: [array(d, t, (2, 2, 3))]),
    OpCase("getitem_tensor_scalars", lambda T, x: (x[T.tensor(1)], x[T.tensor(-1), T.tensor([0])], x[[True, False]],
                                                  x[[[0, 1], [1, 0]]], x[(0, 1)], x[[0, 1]]),
           inputs=lambda d, t: [array(d, t, (2, 3))]),
    # ---- t[key] = value
    OpCase("setitem_keys", _setitem, inputs=_setitem_inputs, dtypes=NUMERIC),
    OpCase("setitem_scalar_values", lambda T, x: [_setitem(T, x, key, v) for key, v in (
        ([0], 2.5), ([slice(None), [0, 1]], -1), ([x > 0], 0), ([Ellipsis, 0], T.tensor(3.0)))],
        inputs=lambda d, t: [array(d, t, (3, 2))], dtypes=NUMERIC),
    OpCase("setitem_accumulates_nothing", lambda T, x, v: _setitem(T, x, [[0, 0]], v),
           inputs=lambda d, t: [array(d, t, (3, 2)), array(d, t, (2, 2))], grad=False),
    OpCase("index_put", lambda T, x, v, acc: (x.index_put((T.tensor([0, 2, 0]),), v, accumulate=acc),
                                             x.clone().index_put_((T.tensor([1]), T.tensor([0])), v[:1, 0], acc)),
           inputs=lambda d, t: [array(d, t, (3, 2)), array(d, t, (3, 2)), d(st.booleans())], dtypes=NUMERIC),
    OpCase("copy_fill_zero", lambda T, x, y: (x.clone().copy_(y), x.clone().fill_(2), x.clone().fill_(y[0, 0]),
                                              x.clone().zero_(), x.clone().copy_(y.double())),
           inputs=lambda d, t: [array(d, t, (2, 3)), array(d, t, (1, 3))], dtypes=NUMERIC),
    # ---- index_select, gather, scatter
    OpCase("index_select", lambda T, x, dim, idx: (T.index_select(x, dim, idx),
                                                   x.index_select(dim, idx.int())),
           inputs=_index_dim, dtypes=ALL),
    OpCase("gather_dims", lambda T, x, dim, idx, src: (T.gather(x, dim, idx), x.gather(dim, idx.int())),
           inputs=_gather_inputs, dtypes=ALL),
    OpCase("scatter", lambda T, x, dim, idx, src: (T.scatter(x, dim, idx, src), x.scatter(dim, idx, 1.5),
                                                   x.scatter(dim, idx, value=-2)),
           inputs=_gather_inputs, dtypes=NUMERIC),
    OpCase("scatter_", lambda T, x, dim, idx, src: (x.clone().scatter_(dim, idx, src),
                                                    x.clone().scatter_(dim, idx, 2)),
           inputs=_gather_inputs, dtypes=NUMERIC),
    OpCase("scatter_reduce_arg", lambda T, x, dim, idx, src, r: (
        x.scatter(dim, idx, src.detach(), reduce=r), x.detach().scatter(dim, idx, 2.0, reduce=r),
        type(x.scatter(dim, idx, 2.0, reduce=r).grad_fn).__name__),
        inputs=lambda d, t: _gather_inputs(d, t) + [d(st.sampled_from(["add", "multiply"]))], dtypes=NUMERIC,
        grad=False),
    OpCase("scatter_add", lambda T, x, dim, idx, src: (T.scatter_add(x, dim, idx, src),
                                                       x.scatter_add(dim, idx, src),
                                                       x.clone().scatter_add_(dim, idx, src)),
           inputs=_gather_inputs, dtypes=NUMERIC),
    # ---- index_add, index_fill, index_copy
    OpCase("index_add", lambda T, x, dim, idx, src: (T.index_add(x, dim, idx, src),
                                                     x.index_add(dim, idx, src, alpha=2),
                                                     x.clone().index_add_(dim, idx.int(), src)),
           inputs=_index_source, dtypes=NUMERIC),
    OpCase("index_fill", lambda T, x, dim, idx, value: (T.index_fill(x, dim, idx, 1.5),
                                                        x.index_fill(dim, idx, value[0]),
                                                        x.clone().index_fill_(dim, idx.flip(0), -1)),
           inputs=lambda d, t: _index_dim(d, t) + [array(d, t, (1,))], dtypes=NUMERIC),
    OpCase("index_copy", lambda T, x, dim, idx, src: (T.index_copy(x, dim, idx, src),
                                                      x.clone().index_copy_(dim, idx, src)),
           inputs=_unique_index_source, dtypes=ALL),
    OpCase("index_ops_0d", lambda T, x: (x.index_add(0, T.tensor([0]), x * 2), x.index_fill(0, T.tensor(0), 3),
                                         x.index_copy(0, T.tensor([0]), x + 1), x.index_select(0, T.tensor([0]))),
           inputs=lambda d, t: [array(d, t, ())], dtypes=NUMERIC),
    # ---- masked ops
    OpCase("masked_fill", lambda T, x, mask, src: (T.masked_fill(x, mask, 2), x.masked_fill(mask, src[0]),
                                                   x.masked_fill(mask, True)),
           inputs=_masked, dtypes=ALL),
    OpCase("masked_fill_", lambda T, x, mask, src: (x.expand(np.broadcast_shapes(x.shape, mask.shape)).clone()
                                                    .masked_fill_(mask, src[0]),),
           inputs=_masked, dtypes=NUMERIC),
    OpCase("masked_select", lambda T, x, mask, src: (T.masked_select(x, mask), x.masked_select(mask)),
           inputs=_masked, dtypes=ALL),
    OpCase("masked_scatter", lambda T, x, mask, src: (T.masked_scatter(x, mask, src),
                                                      x.masked_scatter(mask, src)),
           inputs=_masked, dtypes=ALL),
    OpCase("masked_scatter_", lambda T, x, mask, src: x.expand(np.broadcast_shapes(x.shape, mask.shape)).clone()
           .masked_scatter_(mask, src), inputs=_masked, dtypes=NUMERIC),
    # ---- take, take_along_dim, put
    OpCase("take", lambda T, x, idx, src: (T.take(x, idx), x.take(idx)), inputs=_flat_index,
           dtypes=ALL),
    OpCase("take_along_dim", lambda T, x, dim, idx, src: (T.take_along_dim(x, idx, dim),
                                                          x.take_along_dim(idx, dim=dim),
                                                          T.take_along_dim(x, idx)),
           inputs=_gather_inputs, dtypes=ALL),
    OpCase("take_along_dim_broadcast", lambda T, x: T.take_along_dim(x, T.tensor([[[1]], [[0]]]), 2),
           inputs=lambda d, t: [array(d, t, (1, 3, 2))]),
    OpCase("take_along_dim_fewer_dims", lambda T, x: T.take_along_dim(x, T.tensor([[0], [1]]), 1),
           inputs=lambda d, t: [array(d, t, (1, 3, 2))], raises=True),
    OpCase("put", lambda T, x, idx, src: (T.put(x, idx, src), x.put(idx, src),
                                          x.clone().put_(idx, src), x.put(idx, src, accumulate=True),
                                          x.clone().put_(idx, src, True)),
           inputs=lambda d, t: _flat_index(d, t, unique=True), dtypes=NUMERIC),
    OpCase("put_accumulate", lambda T, x, idx, src: x.put(idx, src, accumulate=True), inputs=_flat_index,
           dtypes=NUMERIC),
]
