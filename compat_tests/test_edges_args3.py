"""torch's argument checks, their order and messages (issue 10, deep sweep 4), one table per class of fix, each
case run under torch and minitorch:

- repeated dims: ops that build torch's dim bitset (flip, squeeze, var/std, gradient) refuse a repeated dim
  before they wrap the dims after it, while the reductions wrap the whole list first;
- linalg.lu_solve checks the pivots' dtype right after LU's and B's dtypes (before their shapes); lu_unpack
  reads (and checks) the pivots only when it unpacks them;
- histc of a bool input fails in the linspace that builds its edges (after the range check);
- index_select from an empty self of two or more dims: torch's own bounds check and messages;
- linalg.vector_norm refuses an empty input for a norm without identity (its dims wrapped) before the dtype=;
- lstm's parameter count: the oneDNN path's message only for the input dtypes torch sends down it (float32,
  bfloat16), the generic "incorrect number" message for the others;
- index_put: indices that land past the last dim once masks are expanded name that dim (torch reads its size);
  index arrays that broadcast to nothing select nothing and are not bounds-checked;
- histogram with a bin count sizes its edges (count and storage) before it reads the data or its dtype, as histc;
- masked_fill_ broadcasts self with the mask (self named first) after its value and mask dtype checks;
"""
from __future__ import annotations

from typing import Any, Callable

import pytest

from harness import check


def ones(T: Any, *shape: int, dtype: str = "float32") -> Any:
    return T.ones(shape, dtype=getattr(T, dtype))


REPEATED_DIMS: dict[str, Callable] = {
    "flip_0d_repeat_then_huge": lambda T: T.flip(T.tensor(3), [0, 0, -2 ** 63]),
    "flip_repeat_then_out_of_range": lambda T: T.flip(ones(T, 3), [0, 0, 5]),
    "flip_out_of_range_then_repeat": lambda T: T.flip(ones(T, 3), [0, 5, 0]),
    "flip_negative_repeat": lambda T: ones(T, 2, 3).flip([1, -1]),
    "squeeze_repeat_then_huge": lambda T: ones(T, 3, 1).squeeze([-1, 1, 2 ** 63 - 1]),
    "squeeze_repeat": lambda T: ones(T, 3, 1).squeeze([1, -1]),
    "std_repeat_then_out_of_range": lambda T: ones(T, 3, 1).std([0, 0, 5]),
    "var_repeat_then_out_of_range": lambda T: T.var(ones(T, 3, 1), [1, -1, 7]),
    "gradient_repeat_then_out_of_range": lambda T: T.gradient(ones(T, 3, 3), dim=[0, 0, 5]),
    # reductions wrap every dim first: the out-of-range dim wins
    "sum_out_of_range_wins": lambda T: ones(T, 3, 1).sum([0, 0, 5]),
    "amax_out_of_range_wins": lambda T: ones(T, 3, 1).amax([0, 0, 5]),
    "sum_repeat": lambda T: ones(T, 3, 1).sum([0, -2]),
}


@pytest.mark.parametrize("name", sorted(REPEATED_DIMS))
def test_repeated_dims(name: str) -> None:
    check(lambda T: REPEATED_DIMS[name](T), [], grad=False)


def bool_mask(T: Any, *shape: int) -> Any:
    return ones(T, *shape, dtype="bool")


MASKED_FILL_INPLACE: dict[str, Callable] = {
    "empty_self_tensor_value": lambda T: ones(T, 0, dtype="bool").masked_fill_(bool_mask(T, 2), T.tensor(1)),
    "sizes_differ": lambda T: ones(T, 3).masked_fill_(bool_mask(T, 2), 1),
    "mask_dtype_first": lambda T: ones(T, 0).masked_fill_(ones(T, 2, dtype="uint8"), 1),
    "value_dims_first": lambda T: ones(T, 0).masked_fill_(bool_mask(T, 2), T.ones(2)),
    "mask_wider_than_self": lambda T: ones(T, 3, 1).masked_fill_(bool_mask(T, 2), 1),
    "mask_more_dims": lambda T: ones(T, 2).masked_fill_(bool_mask(T, 3, 2), 1),
    "mask_broadcasts": lambda T: ones(T, 3, 2).masked_fill_(bool_mask(T, 3, 1), 1),
    "function_names_mask_first": lambda T: ones(T, 3, 1).masked_fill(bool_mask(T, 2, 3), 1),
}


@pytest.mark.parametrize("name", sorted(MASKED_FILL_INPLACE))
def test_masked_fill_inplace_shapes(name: str) -> None:
    check(lambda T: MASKED_FILL_INPLACE[name](T), [], grad=False)


def int_pivots(T: Any, *shape: int, dtype: str = "int32") -> Any:
    return ones(T, *shape, dtype=dtype)


LU_PIVOTS: dict[str, Callable] = {
    "lu_solve_pivots_dtype_before_lu_dims": lambda T: T.linalg.lu_solve(
        ones(T, 1, dtype="float16"), int_pivots(T, 3, 1, dtype="int8"), ones(T, 3, 1, dtype="float16")),
    "lu_solve_pivots_dtype_before_square": lambda T: T.linalg.lu_solve(
        ones(T, 2, 3), int_pivots(T, 3, dtype="int8"), ones(T, 3, 1)),
    "lu_solve_pivots_dtype_before_b_dims": lambda T: T.linalg.lu_solve(
        ones(T, 2, 2), int_pivots(T, 3, dtype="int8"), ones(T, 3)),
    "lu_solve_dtypes_before_pivots_dtype": lambda T: T.linalg.lu_solve(
        ones(T, 2, 2), int_pivots(T, 3, dtype="int8"), ones(T, 3, 1, dtype="float16")),
    "lu_solve_shapes_after_pivots_dtype": lambda T: T.linalg.lu_solve(ones(T, 2, 2), int_pivots(T, 3), ones(T, 3, 1)),
    "lu_unpack_pivots_not_unpacked": lambda T: T.lu_unpack(
        ones(T, 3, 1, dtype="uint8"), int_pivots(T, 3, 0, 2, dtype="uint8"), unpack_pivots=False),
    "lu_unpack_out_of_range_pivots_not_unpacked": lambda T: T.lu_unpack(
        ones(T, 3, 3), int_pivots(T, 3) * 9, unpack_pivots=False),
    "lu_unpack_nothing_unpacked": lambda T: T.lu_unpack(
        ones(T, 3, 3), int_pivots(T, 3, dtype="uint8"), unpack_data=False, unpack_pivots=False),
    "lu_unpack_pivots_dtype": lambda T: T.lu_unpack(ones(T, 3, 3), int_pivots(T, 3, dtype="uint8"), unpack_data=False),
    "lu_unpack_lu_dims_first": lambda T: T.lu_unpack(ones(T, 3), int_pivots(T, 3, dtype="uint8"), unpack_pivots=False),
}


@pytest.mark.parametrize("name", sorted(LU_PIVOTS))
def test_lu_pivots_checks(name: str) -> None:
    check(lambda T: LU_PIVOTS[name](T), [], grad=False)


def index(T: Any, *values: int) -> Any:
    return T.tensor(values if len(values) != 1 else values[0])


HISTC_AND_INDEX_SELECT: dict[str, Callable] = {
    "histc_bool_0d": lambda T: T.histc(T.tensor(True), max=True),
    "histc_bool_range_given": lambda T: T.tensor([True, False]).histc(min=0, max=1),
    "histc_bool_range_checked_first": lambda T: T.histc(T.tensor([True]), min=1, max=0),
    "histc_int_kernel": lambda T: T.histc(ones(T, 2, dtype="int32")),
    "index_select_empty_self_0d_index": lambda T: ones(T, 2, 0, dtype="uint8").index_select(-2, index(T, 4)),
    "index_select_empty_axis": lambda T: ones(T, 0, 2).index_select(0, T.tensor([0])),
    "index_select_empty_self_first_bad_id": lambda T: ones(T, 0, 2).index_select(1, index(T, 1, 5, -1)),
    "index_select_empty_self_negative_id": lambda T: ones(T, 2, 0).index_select(0, T.tensor([-1])),
    "index_select_empty_self_in_bounds": lambda T: ones(T, 0, 2).index_select(1, index(T, 1, 0)),
    "index_select_empty_1d_self": lambda T: ones(T, 0).index_select(0, T.tensor([1])),
}


@pytest.mark.parametrize("name", sorted(HISTC_AND_INDEX_SELECT))
def test_histc_and_index_select_checks(name: str) -> None:
    check(lambda T: HISTC_AND_INDEX_SELECT[name](T), [], grad=False)


VECTOR_NORM_EMPTY: dict[str, Callable] = {
    "expanded_empty_dim_out_of_range": lambda T: T.linalg.vector_norm(
        ones(T, 1, dtype="float16").expand(0), ord=-176, dim=-3, dtype=T.uint8),
    "empty_no_dim": lambda T: T.linalg.vector_norm(ones(T, 0), ord=-1, dtype=T.uint8),
    "empty_dim_inf": lambda T: T.linalg.vector_norm(ones(T, 0, 2), ord=float("inf"), dim=(0,), dtype=T.complex64),
    "nonempty_dim_then_dtype": lambda T: T.linalg.vector_norm(ones(T, 0, 2), ord=-1, dim=(1,), dtype=T.int32),
    "input_dtype_first": lambda T: T.linalg.vector_norm(ones(T, 0, dtype="int32"), ord=-1, dtype=T.uint8),
    "positive_ord_dtype_first": lambda T: T.linalg.vector_norm(ones(T, 0, 2), ord=0, dim=(1, 7), dtype=T.uint8),
}


@pytest.mark.parametrize("name", sorted(VECTOR_NORM_EMPTY))
def test_vector_norm_empty_before_dtype(name: str) -> None:
    check(lambda T: VECTOR_NORM_EMPTY[name](T), [], grad=False)


def lstm_three_params(T: Any, dtype: str, packed: bool) -> Any:
    """An LSTM given three weights, a count no layer stride divides."""
    x = ones(T, 2, 1, 2, dtype=dtype)
    hx = [T.zeros(1, 1, 3), T.zeros(1, 1, 3, dtype=T.float64)]
    params = [ones(T, 12, 2), ones(T, 12, 3), ones(T, 12)]
    if packed:
        return T.lstm(x, T.tensor([1, 1]), hx, params, False, 1, 0.0, False, False)
    return T.lstm(x, hx, params, False, 1, 0.0, False, False, False)


@pytest.mark.parametrize("packed", [False, True])
@pytest.mark.parametrize("dtype", ["float32", "bfloat16", "float64", "int64"])
def test_lstm_parameter_count_message(dtype: str, packed: bool) -> None:
    check(lambda T: lstm_three_params(T, dtype, packed), [], grad=False)


INDEX_PUT: dict[str, Callable] = {
    "mask_then_index_past_last_dim": lambda T: T.index_put(
        ones(T, 2, 2, 3, dtype="int16"), [bool_mask(T, 2, 2, 3), T.tensor(-1)], T.tensor(5, dtype=T.int16)),
    "two_dim_mask_then_two_indices": lambda T: T.index_put(
        ones(T, 2, 2, 3), [bool_mask(T, 2, 2), T.tensor(-1), T.tensor(0)], T.tensor(5.)),
    "too_many_indices_first": lambda T: T.index_put(ones(T, 2, 3), [T.tensor(0)] * 3, T.tensor(5.)),
    "empty_broadcast_accumulate": lambda T: ones(T, 0, 0, dtype="int32").index_put(
        [T.tensor([[7]], dtype=T.int32).expand(0, 0), T.tensor(-2 ** 31, dtype=T.int32)],
        T.tensor([], dtype=T.int32), accumulate=True),
    "empty_broadcast_out_of_bounds": lambda T: ones(T, 2, 2).index_put(
        [T.tensor([7]).expand(0), T.tensor(9)], T.tensor(1.)),
    "empty_broadcast_inplace": lambda T: ones(T, 2, 2).index_put_(
        [T.tensor([7]).expand(0), T.tensor(9)], T.tensor(1.), accumulate=True),
    "in_bounds_still_written": lambda T: ones(T, 2, 2).index_put([T.tensor([1, 0])], T.tensor(3.)),
    "out_of_bounds_still_checked": lambda T: ones(T, 2, 2).index_put([T.tensor([1, 5])], T.tensor(3.)),
}


@pytest.mark.parametrize("name", sorted(INDEX_PUT))
def test_index_put_checks(name: str) -> None:
    check(lambda T: INDEX_PUT[name](T), [], grad=False)


HISTOGRAM_EDGES: dict[str, Callable] = {
    "bins_sum_wraps": lambda T: T.histogram(ones(T, 3, 2, 1, dtype="float64"), bins=2 ** 63 - 1),
    "edges_storage_overflow": lambda T: T.histogram(ones(T, 3, dtype="float64"), bins=2 ** 62),
    "edges_before_dtype": lambda T: T.tensor([[[0, 2 ** 31 - 1]]], dtype=T.int32).histogram(bins=2 ** 63 - 1),
    "dtype_with_small_bins": lambda T: T.tensor([[[0, 2 ** 31 - 1]]], dtype=T.int32).histogram(bins=3),
    "histc_bins_sum_wraps": lambda T: T.histc(ones(T, 3), bins=2 ** 63 - 1),
    "range_checked_after_edges": lambda T: T.histogram(ones(T, 3, dtype="float64"), bins=2, range=(2.0, 1.0)),
}


@pytest.mark.parametrize("name", sorted(HISTOGRAM_EDGES))
def test_histogram_edges_sized_first(name: str) -> None:
    check(lambda T: HISTOGRAM_EDGES[name](T), [], grad=False)
