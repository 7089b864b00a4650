"""Op-table cases for the rest of torch's shape/view/creation surface: reducing scatters (scatter_reduce,
index_reduce), the in-place shape methods, the splitting and *_scatter / *_copy functions, and creation
helpers."""
from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from cases_indexing import _gather_inputs, _index_source
from op_table import OpCase
from strategies import ALL, FLOATS, array

NUMERIC = FLOATS + ("int64",)
SCATTER_REDUCTIONS = ("sum", "prod", "mean", "amax", "amin")


def _squeezable_matrix(draw: Any, dtype: str) -> list:
    return [array(draw, dtype, (draw(st.integers(1, 3)), 1, draw(st.integers(1, 3))))]


def _inplace_views(T: Any, x: Any) -> tuple:
    """Each in-place view op on a non-leaf copy of ``x`` (2-d or 3-d with a size-1 middle dim)."""
    def fresh() -> Any:
        return x * 1
    return (fresh().squeeze_(), fresh().squeeze_(1), fresh().squeeze_((0, 1)), fresh().unsqueeze_(-1),
            fresh().transpose_(0, 2), fresh().swapaxes_(1, 0), fresh().swapdims_(-1, 0), fresh().squeeze_(1).t_(),
            fresh().as_strided_((2,), (1,), 0) if x.numel() >= 2 else fresh())


def _matrix(draw: Any, dtype: str) -> list:
    return [array(draw, dtype, (draw(st.integers(1, 6)), draw(st.integers(1, 4))))]


def _storage_view(draw: Any, dtype: str) -> list:
    """A 1-d array and a view (size, stride, offset) inside it."""
    n = draw(st.integers(1, 12))
    size = tuple(draw(st.lists(st.integers(0, 3), max_size=3)))
    stride = tuple(draw(st.integers(0, 3)) for _ in size)
    reach = sum((k - 1) * s for k, s in zip(size, stride)) if 0 not in size else 0
    offset = draw(st.integers(0, max(n - 1 - reach, 0)))
    return [array(draw, dtype, (max(n, offset + reach + 1),)), size, stride, offset]


def _cube(draw: Any, dtype: str) -> list:
    return [array(draw, dtype, (draw(st.sampled_from([1, 2, 4])), 4, draw(st.sampled_from([2, 4]))))]


def _view_copies(T: Any, x: Any) -> tuple:
    """Each ``*_copy`` function on a 3-d ``x`` (sizes (1|2|4, 4, 2|4))."""
    return (T.t_copy(x[0]), T.alias_copy(x), T.transpose_copy(x, 0, 2), T.unsqueeze_copy(x, -1), T.squeeze_copy(x),
            T.squeeze_copy(x, 0), T.squeeze_copy(x, (0, 2)), T.permute_copy(x, (2, 0, 1)),
            T.expand_copy(x[:1], (3, 4, x.shape[2])), T.select_copy(x, 1, -1), T.diagonal_copy(x, 1, 1, 2),
            T.as_strided_copy(x, (2, 2), (1, 2), 1), T.unfold_copy(x, 1, 2, 1), T.narrow_copy(x, 1, 1, 2),
            x.narrow_copy(-1, 0, 1), T.view_copy(x, (-1,)),
            T.view_copy(x, T.int32 if x.dtype == T.float32 else x.dtype),
            T.slice_copy(x, 1, 1, None, 2), T.slice_copy(x), T.detach_copy(x.detach()),
            T.view_as_real_copy(T.view_as_complex_copy(x.detach()[..., :2].contiguous())),
            *T.split_copy(x, 3, 1), *T.split_with_sizes_copy(x, [1, 3], 1), *T.unbind_copy(x, 2))


def _unsafe_splits(T: Any, x: Any) -> tuple:
    return (*T.unsafe_split(x, 3, 1), *x.unsafe_split(2), *T.unsafe_chunk(x, 3, -1), *x.unsafe_chunk(2, 1),
            *T.unsafe_split_with_sizes(x, [1, 3], 1), *x.unsafe_split_with_sizes([4], 1))


def _directional_splits(T: Any, x: Any) -> tuple:
    return (*T.hsplit(x, 2), *x.hsplit([1, 3]), *T.vsplit(x, [1]), *x.vsplit(x.shape[0]), *T.dsplit(x, 2),
            *x.dsplit([1]), *T.hsplit(x[0, 0], 2))


def _region_scatters(T: Any, x: Any) -> tuple:
    src = x.sum(0)
    return (T.select_scatter(x, src * 2, 0, -1), x.select_scatter(src, 0, 0),
            T.slice_scatter(x, x[:, 1::2] * 3, 1, 1, None, 2), x.slice_scatter(x * 2),
            T.diagonal_scatter(x, x.diagonal(1, 1, 2) + 1, 1, 1, 2), x.diagonal_scatter(x.diagonal() * 0, 0))


def _with_reduction(inputs: Any, reductions: tuple) -> Any:
    return lambda d, t: inputs(d, t) + [d(st.sampled_from(reductions)), d(st.booleans())]


CASES = [
    OpCase("scatter_reduce", lambda T, x, dim, idx, src, r, inc: (
        T.scatter_reduce(x, dim, idx, src, r, include_self=inc), x.scatter_reduce(dim, idx, src, reduce=r),
        (x * 1).scatter_reduce_(dim, idx, src, r, include_self=inc)),
        inputs=_with_reduction(_gather_inputs, SCATTER_REDUCTIONS), dtypes=NUMERIC),
    OpCase("index_reduce", lambda T, x, dim, idx, src, r, inc: (
        T.index_reduce(x, dim, idx, src, r, include_self=inc), x.index_reduce(dim, idx, src, reduce=r),
        (x * 1).index_reduce_(dim, idx, src, r, include_self=inc)),
        inputs=_with_reduction(_index_source, SCATTER_REDUCTIONS[1:]), dtypes=NUMERIC),
    # ---- in-place shape methods
    OpCase("inplace_views", _inplace_views, inputs=_squeezable_matrix, dtypes=ALL),
    OpCase("as_strided", lambda T, x, size, stride, offset: (
        x.as_strided(size, stride, offset), T.as_strided(x * 1, size, stride), (x * 1)[1:].as_strided(size, stride)
        if x.numel() > offset + 1 + sum((k - 1) * s for k, s in zip(size, stride)) or 0 in size else x),
        inputs=_storage_view, dtypes=ALL),
    # torch's gradient for self is wrong (it returns the written region's gradient, not the rest's): self is
    # compared by value only
    OpCase("as_strided_scatter", lambda T, x, size, stride, offset: (
        T.as_strided_scatter(x.detach(), x.new_ones(size) * x.sum(), size, stride, offset),
        x.detach().as_strided_scatter(T.ones(size, dtype=x.dtype), size, stride)),
        inputs=_storage_view, dtypes=ALL),
    OpCase("fill_diagonal_", lambda T, x: ((x * 1).fill_diagonal_(2.5), (x * 1).fill_diagonal_(-1, wrap=True)),
           inputs=_matrix),
    OpCase("fill_diagonal_of_view", lambda T, x: (x * 1).t().fill_diagonal_(3, True), inputs=_matrix),
    OpCase("resize_", lambda T, x: (x.detach().clone().resize_(2, 1)[:1], x.detach().clone().resize_as_(x[:1]),
                                    x.detach().clone().t().contiguous().resize_(x.numel() // 2)),
           inputs=_matrix, dtypes=ALL, grad=False),
    # ---- splitting, *_copy, *_scatter, sum_to_size
    OpCase("view_copies", _view_copies, inputs=_cube),
    OpCase("view_copies_all_dtypes", lambda T, x: (T.t_copy(x[0]), T.split_copy(x, 1), T.squeeze_copy(x)),
           inputs=_cube, dtypes=ALL),
    OpCase("unsafe_splits", _unsafe_splits, inputs=_cube, dtypes=ALL),
    OpCase("directional_splits", _directional_splits, inputs=_cube, dtypes=ALL),
    OpCase("region_scatters", _region_scatters, inputs=_cube, dtypes=ALL),
    OpCase("sum_to_size", lambda T, x: (x.sum_to_size(1, 4, 1), x.sum_to_size(4, x.shape[2]), x.sum_to_size(x.shape),
                                        x.sum_to_size(1, 1, 1), x.sum_to_size([4, 1])), inputs=_cube, dtypes=NUMERIC),
    # ---- queries, torch.fill / torch.detach, strided factories (their values are uninitialised in torch: only
    # shapes, strides and dtypes are compared)
    OpCase("tensor_queries", lambda T, x: (T.is_nonzero(x.sum() > 0), x[:1, :1, :1].is_nonzero(),
                                           T.is_same_size(x, x[0]), x.is_same_size(x * 1), T.is_signed(x),
                                           x.is_signed(), x.bool().is_signed(), x.to(T.uint8).is_signed()),
           inputs=_cube, dtypes=ALL, grad=False),
    OpCase("fill_detach", lambda T, x: (T.fill(x, 2.5), T.fill(x, x.sum()), T.fill(x, x.detach().sum()),
                                        T.detach(x)), inputs=_cube, dtypes=ALL),
    OpCase("strided_factories", lambda T, x: [(t.shape, t.stride(), t.dtype, t.requires_grad) for t in (
        T.empty_strided((2, 3), (1, 2)), T.empty_strided((2, 0), (5, 1), dtype=x.dtype, requires_grad=True),
        T.empty_permuted((2, 3, 4), (2, 0, 1)), T.empty_permuted(x.shape, (1, 2, 0), dtype=T.int64),
        x.new_empty_strided((2, 2), (1, 2)), x.new_empty_strided((3,), (2,), dtype=T.float64))],
           inputs=_cube, grad=False),
]
