"""Op-table cases for shape and movement: views and reshapes, permutations, expansion, repetition,
joining and splitting, flips and rolls, meshgrid and padding."""
from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from op_table import OpCase, ndarray, with_dim
from strategies import ALL, FLOATS, array, shapes

NUMERIC = FLOATS + ("int64",)


def _x(min_dims: int = 0, max_dims: int = 3) -> Any:
    return lambda d, t: [ndarray(d, t, min_dims, max_dims)]


def _x_dim(draw: Any, dtype: str) -> list:
    return with_dim(draw, dtype, keepdim=False)


def _noncontiguous(T: Any, x: Any) -> Any:
    """``x``'s values in a transposed (non-contiguous) layout."""
    return x.t().contiguous().t() if x.dim() == 2 else x


def _dims_pair(draw: Any, dtype: str) -> list:
    x = ndarray(draw, dtype, 1, 4)
    k = draw(st.integers(1, x.ndim))
    src = draw(st.lists(st.integers(-x.ndim, x.ndim - 1), min_size=k, max_size=k, unique_by=lambda d: d % x.ndim))
    dst = draw(st.lists(st.integers(-x.ndim, x.ndim - 1), min_size=k, max_size=k, unique_by=lambda d: d % x.ndim))
    return [x, src, dst]


def _unflatten_inputs(draw: Any, dtype: str) -> list:
    x = ndarray(draw, dtype, 1, 3)
    dim = draw(st.integers(-x.ndim, x.ndim - 1))
    n = x.shape[dim]
    a = draw(st.sampled_from([k for k in range(1, n + 1) if n % k == 0]))
    return [x, dim, draw(st.sampled_from([(a, n // a), (-1, a), (n,), (1, n, 1)]))]


def _squeezable(draw: Any, dtype: str) -> list:
    shape = tuple(draw(st.lists(st.sampled_from([1, 1, 2, 3]), min_size=0, max_size=4)))
    x = array(draw, dtype, shape)
    dims = tuple(draw(st.lists(st.integers(-max(x.ndim, 1), max(x.ndim, 1) - 1), max_size=max(x.ndim, 1),
                               unique_by=lambda d: d % max(x.ndim, 1))))
    return [x, dims]


def _expandable(draw: Any, dtype: str) -> list:
    x = array(draw, dtype, tuple(draw(st.lists(st.sampled_from([1, 2]), max_size=3))))
    target = tuple(draw(st.integers(1, 3)) if s == 1 else s for s in x.shape)
    lead = tuple(draw(st.lists(st.integers(1, 2), max_size=2)))
    return [x, lead + target, lead + tuple(-1 if draw(st.booleans()) else s for s in target)]


def _broadcastable(draw: Any, dtype: str) -> list:
    from strategies import broadcast_shapes
    return [array(draw, dtype, tuple(s)) for s in draw(broadcast_shapes(3))]


def _repeats(draw: Any, dtype: str) -> list:
    x = ndarray(draw, dtype, 0, 3)
    extra = draw(st.integers(0, 2))
    return [x, tuple(draw(st.integers(0, 3)) for _ in range(x.ndim + extra))]


def _repeat_interleave_inputs(draw: Any, dtype: str) -> list:
    x = ndarray(draw, dtype, 1, 3)
    dim = draw(st.integers(-x.ndim, x.ndim - 1))
    counts = np.array(draw(st.lists(st.integers(0, 3), min_size=x.shape[dim], max_size=x.shape[dim])), np.int64)
    return [x, dim, draw(st.integers(0, 3)), counts]


def _joinable(draw: Any, dtype: str) -> list:
    base = list(draw(shapes(1, 3)))
    dim = draw(st.integers(-len(base), len(base) - 1))
    out = []
    for _ in range(draw(st.integers(1, 3))):
        shape = list(base)
        shape[dim] = draw(st.integers(0, 3))
        out.append(array(draw, dtype, tuple(shape)))
    return [dim] + out


def _same_shape(draw: Any, dtype: str) -> list:
    shape = draw(shapes(0, 3))
    return [array(draw, dtype, shape) for _ in range(draw(st.integers(1, 3)))]


def _stackable(draw: Any, dtype: str) -> list:
    """Tensors the h/v/d/column stacks accept: same shape, or 1-D of different lengths at the end."""
    ndim = draw(st.integers(0, 3))
    if ndim == 1 and draw(st.booleans()):
        return [array(draw, dtype, (draw(st.integers(1, 3)),)) for _ in range(draw(st.integers(1, 3)))]
    return _same_shape(draw, dtype)


def _split_inputs(draw: Any, dtype: str) -> list:
    x, dim = with_dim(draw, dtype, keepdim=False)
    n = x.shape[dim]
    cuts = sorted(draw(st.lists(st.integers(0, n), max_size=3)))
    sizes = [b - a for a, b in zip([0] + cuts, cuts + [n])]
    return [x, dim, draw(st.integers(1, n + 1)), sizes]


def _tensor_split_inputs(draw: Any, dtype: str) -> list:
    x, dim = with_dim(draw, dtype, keepdim=False)
    n = x.shape[dim]
    return [x, dim, draw(st.integers(1, n + 2)), draw(st.lists(st.integers(-n - 1, n + 1), max_size=3))]


def _roll_inputs(draw: Any, dtype: str) -> list:
    x = ndarray(draw, dtype, 1, 3)
    dims = draw(st.lists(st.integers(-x.ndim, x.ndim - 1), min_size=1, max_size=x.ndim))
    return [x, tuple(draw(st.integers(-5, 5)) for _ in dims), tuple(dims), draw(st.integers(-5, 5))]


def _rot90_inputs(draw: Any, dtype: str) -> list:
    x = ndarray(draw, dtype, 2, 3)
    dims = draw(st.lists(st.integers(-x.ndim, x.ndim - 1), min_size=2, max_size=2, unique_by=lambda d: d % x.ndim))
    return [x, draw(st.integers(-5, 5)), dims]


def _vectors(draw: Any, dtype: str) -> list:
    return [array(draw, dtype, draw(st.sampled_from([(), (1,), (2,), (3,)]))) for _ in range(draw(st.integers(1, 3)))]


def _pad(T: Any) -> Any:
    return T.nn.functional.pad


def _pad_inputs(mode: str) -> Any:
    def draw_inputs(draw: Any, dtype: str) -> list:
        k = draw(st.integers(1, 3))
        batch = draw(st.integers(1, 2))
        shape = tuple(draw(st.integers(1, 2)) for _ in range(batch)) + tuple(draw(st.integers(2, 4)) for _ in range(k))
        pads = []
        for s in reversed(shape[batch:]):
            # an empty output is avoided (torch's gradient is then garbage), and so are negative circular pads
            # (torch's result then depends on how its slice copies overlap)
            high = s - 1 if mode == "reflect" else s if mode == "circular" else 3
            low = 0 if mode == "circular" else -1
            lo = draw(st.integers(low, high))
            pads += [lo, draw(st.integers(low if s + lo > 2 else 0, high))]
        return [array(draw, dtype, shape), pads]
    return draw_inputs


def _constant_pad_inputs(draw: Any, dtype: str) -> list:
    x = ndarray(draw, dtype, 1, 3)
    pads = []
    for s in reversed(x.shape[x.ndim - draw(st.integers(1, x.ndim)):]):
        pads += [draw(st.integers(-(s // 2), 2)), draw(st.integers(-(s // 2), 2))]
    return [x, pads]


CASES = [
    # ---- views and reshapes
    OpCase("view_as_reshape_as", lambda T, x, s: (x.view_as(x.reshape(s)), x.reshape_as(x.reshape(s))),
           inputs=lambda d, t: [x := ndarray(d, t, 0, 3), d(st.sampled_from([(-1,), (1, -1), x.shape + (1,)]))],
           dtypes=ALL),
    OpCase("reshape_alias", lambda T, x: (_noncontiguous(T, x).reshape(x.shape[::-1] if x.dim() == 2 else -1),
                                          _noncontiguous(T, x).reshape(x.shape + (1,)),
                                          _noncontiguous(T, x)[:, :1].reshape(-1)),
           inputs=_x(2, 2)),
    OpCase("ravel", lambda T, x: (T.ravel(x), x.ravel(), _noncontiguous(T, x).ravel()), inputs=_x(), dtypes=ALL),
    OpCase("is_contiguous", lambda T, x: (x.is_contiguous(), x.t().is_contiguous(), x.t().contiguous().is_contiguous(),
                                          x[:, :1].is_contiguous(), x.expand(2, -1, -1).is_contiguous()),
           inputs=_x(2, 2), grad=False),
    OpCase("unflatten", lambda T, x, dim, sizes: (x.unflatten(dim, sizes), T.unflatten(x, dim, sizes)),
           inputs=_unflatten_inputs, dtypes=ALL),
    OpCase("squeeze_dims", lambda T, x, dims: (x.squeeze(dims), T.squeeze(x, dims), x.unsqueeze(-1).squeeze((-1, 0))),
           inputs=_squeezable, dtypes=ALL),
    OpCase("movedim", lambda T, x, src, dst: (T.movedim(x, src, dst), x.movedim(src[0], dst[0]),
                                              T.moveaxis(x, src, dst), x.moveaxis(tuple(src), tuple(dst))),
           inputs=_dims_pair, dtypes=ALL),
    OpCase("swapaxes", lambda T, x, dim: (T.swapaxes(x, dim, 0), x.swapaxes(0, dim), T.swapdims(x, dim, -1),
                                          x.swapdims(-1, dim)), inputs=_x_dim, dtypes=ALL),
    OpCase("expand_forms", lambda T, x, size, with_minus: (
        x.expand(size), x.expand(*with_minus) if with_minus else x.expand(()), T.broadcast_to(x, size),
        x.broadcast_to(with_minus), x.expand_as(x.expand(size))),
           inputs=_expandable, dtypes=ALL),
    OpCase("broadcast_tensors", lambda T, *xs: T.broadcast_tensors(*xs), inputs=_broadcastable, dtypes=ALL),
    # ---- repetition
    OpCase("repeat", lambda T, x, reps: (x.repeat(reps), x.repeat(*reps) if reps else x.repeat(())),
           inputs=_repeats, dtypes=ALL),
    OpCase("tile", lambda T, x, reps: (T.tile(x, reps), x.tile(reps[:1])), inputs=_repeats, dtypes=ALL),
    OpCase("repeat_interleave", lambda T, x, dim, r, counts: (
        T.repeat_interleave(x, r), x.repeat_interleave(r, dim), x.repeat_interleave(counts, dim),
        T.repeat_interleave(x, T.tensor([r]), dim=dim, output_size=r * x.shape[dim]),
        T.repeat_interleave(counts)), inputs=_repeat_interleave_inputs, dtypes=ALL),
    # ---- joining
    OpCase("cat_forms", lambda T, dim, *xs: (T.cat(xs, dim), T.concat(list(xs), dim=dim), T.concatenate(xs, dim)),
           inputs=_joinable, dtypes=ALL),
    OpCase("cat_mixed_dtypes", lambda T, x: (T.cat([x, x.long()], -1), T.stack([x.bool(), x])), inputs=_x(1, 2)),
    OpCase("cat_legacy_empty", lambda T, x: T.cat([x, T.zeros(0, dtype=x.dtype), x]), inputs=_x(2, 2)),
    OpCase("stack_dims", lambda T, *xs: (T.stack(xs, -1), T.stack(list(xs), 0)), inputs=_same_shape, dtypes=ALL),
    OpCase("hstack_vstack_dstack", lambda T, *xs: (T.hstack(xs), T.vstack(xs), T.row_stack(xs), T.dstack(xs)),
           inputs=_stackable, dtypes=ALL),
    OpCase("column_stack", lambda T, *xs: T.column_stack(xs), inputs=lambda d, t: [
        array(d, t, s) for s in d(st.lists(st.sampled_from([(), (1,)]), min_size=1, max_size=3))] if d(st.booleans())
        else _same_shape(d, t)[:1] * 2, dtypes=ALL),
    OpCase("atleast", lambda T, *xs: (T.atleast_1d(xs[0]), T.atleast_2d(*xs), T.atleast_3d(list(xs))),
           inputs=_vectors, dtypes=ALL),
    # ---- splitting
    OpCase("split", lambda T, x, dim, size, sizes: (T.split(x, size, dim), x.split(size, dim=dim), x.split(sizes, dim),
                                                    T.split(x, sizes, dim=dim)),
           inputs=_split_inputs, dtypes=ALL),
    OpCase("split_with_sizes", lambda T, x, dim, size, sizes: (T.split_with_sizes(x, sizes, dim),
                                                               x.split_with_sizes(sizes, dim)),
           inputs=_split_inputs),
    OpCase("chunk", lambda T, x, dim, n, sizes: (T.chunk(x, n, dim), x.chunk(n + 1, dim)), inputs=_split_inputs,
           dtypes=ALL),
    OpCase("chunk_empty", lambda T, x: x[:0].chunk(3), inputs=_x(1, 2)),
    OpCase("tensor_split", lambda T, x, dim, n, idx: (T.tensor_split(x, n, dim), x.tensor_split(idx, dim),
                                                      T.tensor_split(x, T.tensor(idx, dtype=T.long), dim=dim),
                                                      x.tensor_split(T.tensor(n), dim)),
           inputs=_tensor_split_inputs, dtypes=ALL),
    OpCase("unbind_dim", lambda T, x, dim: (T.unbind(x, dim), x.unbind(dim=dim)), inputs=_x_dim, dtypes=ALL),
    OpCase("narrow", lambda T, x, dim: (T.narrow(x, dim, 0, 1), x.narrow(dim, -1, 1), x.narrow(dim, T.tensor(0), 0)),
           inputs=_x_dim, dtypes=ALL),
    OpCase("select", lambda T, x, dim: (T.select(x, dim, 0), x.select(dim, -1)), inputs=_x_dim, dtypes=ALL),
    # ---- flips, rolls, rotations
    OpCase("flip", lambda T, x, dim: (T.flip(x, (dim,)), x.flip(dim), x.flip([0, dim] if dim % x.dim() else [0]),
                                      T.flip(x, ())), inputs=_x_dim, dtypes=ALL),
    OpCase("fliplr_flipud", lambda T, x: (T.fliplr(x), x.fliplr(), T.flipud(x), x.flipud()), inputs=_x(2, 3),
           dtypes=ALL),
    OpCase("roll", lambda T, x, shifts, dims, s: (T.roll(x, shifts, dims), x.roll(s), x.roll(s, dims[0])),
           inputs=_roll_inputs, dtypes=ALL),
    OpCase("rot90", lambda T, x, k, dims: (T.rot90(x, k, dims), x.rot90(), x.rot90(k, dims)), inputs=_rot90_inputs,
           dtypes=ALL),
    OpCase("rot90_layout", lambda T, x, k: [y.stride() for y in (x.rot90(k), x.rot90(k, (1, 0)))],
           inputs=lambda d, t: _x(2, 3)(d, t) + [d(st.integers(-4, 4))], grad=False),
    OpCase("meshgrid", lambda T, *xs: (T.meshgrid(*xs, indexing="ij"), T.meshgrid(list(xs), indexing="xy")),
           inputs=lambda d, t: [x for x in _vectors(d, t)], dtypes=ALL),
    OpCase("meshgrid_default", lambda T, a, b: T.meshgrid(a, b), inputs=lambda d, t: [
        array(d, t, (2,)), array(d, t, (3,))]),
    # ---- padding
    OpCase("constant_pad_nd", lambda T, x, pads: (T.constant_pad_nd(x, pads), T.constant_pad_nd(x, pads, 1.5),
                                                  _pad(T)(x, pads, value=2)),
           inputs=_constant_pad_inputs, dtypes=ALL),
    *[OpCase("pad_" + mode, lambda T, x, pads, _m=mode: _pad(T)(x, pads, mode=_m),
             inputs=_pad_inputs(mode), dtypes=NUMERIC) for mode in ("reflect", "replicate", "circular")],
]
