"""torch's exceptions, their order and messages, and its warnings (issue 10, deep sweep 6), one table per class of
fix, each case run under torch and minitorch:

- a promotion torch refuses (float8, uint16-64) comes in TensorIterator's order: after an in-place output's overlap
  and shape checks and the operands' broadcast check (binary, ternary and special pointwise ops);
- cat and its relatives (hstack, vstack, dstack, column_stack) promote before they compare the shapes; ``equal``
  compares the values in the operands' common dtype (int64 2**24 + 1 equals float32 2**24), once the shapes match;
- a broadcast gradient is summed by torch's sum, which has no float8 (nor ComplexHalf) kernel: the backward of an
  expanded float8 input refuses ("sum_cpu"), an empty one gives zeros;
- roll clones an empty tensor before it reads a dim; its backward's negated shifts meet torch's check of symbolic
  sizes (2**63 - 1 rolls forward, its backward refuses);
- addr expands its input to the product's shape: a 0-d input promotes as a dims-tier operand (float64 and int64
  results were float32 and int8; a uint16 input was computed); addr_ names its size mismatch as torch;
- dropout's errors come from the ops torch's kernels run: alpha dropout's ``noise.add(-1)`` makes a bool noise
  int64, native_dropout multiplies by a bool mask (refused for uint16-64 and float8);
- binomial's and multinomial's "floating-point dtypes" checks are c10's isFloatingType (the float8s pass them and
  meet the next check); multinomial refuses float8 in the kernel torch reaches (aminmax, or multinomial's own);
- a one-element fill goes through torch's scalar fast path, unchecked for the float8s as for float16 (full, fill,
  full_like, new_full: inf, saturation or NaN as each float8 rounds);
- pow of an integral or bool tensor reads a Python int exponent as an int64 before promoting (2**63 is refused
  there, not promoted to uint64), then as the base's dtype;
- sizes below -2**62 (c10's symbolic ints) are refused by the registration wrapper of the op torch reaches before
  its own checks: torch.convolution's under conv1d/2d/3d and conv_transpose (stride, padding, dilation,
  output_padding), empty's under empty_permuted (after its layout checks, each index checked in turn);
- a transposed convolution's negative dilation is refused with the plain message, before the groups checks;
- repeat_interleave with a number of repeats sizes the expanded view (numel) and its clone (storage) as torch
  before NumPy is asked to hold the view;
- polygamma_'s backward reads n + 1 as an int64 as the out-of-place one does (the largest n wraps negative);
- scatter's and scatter_reduce's ``reduce`` argument is checked before the indices' bounds, and for an empty index
  (a KeyError leaked);
- ldexp of a floating input and an integral or bool exponent (torch's own kernel) writes an output made like the
  input: torch's resize warning when the exponent broadcasts it larger, then the bool exponent's refusal after the
  broadcast check; ldexp_ checks its output's memory and shape before that refusal;
- square-matrix linalg of a float8 matrix is refused as torch refuses float16 ("Low precision dtypes", lu_cpu), or
  at the kernel a float8 meets first (cholesky's tril, matrix_exp's exp/sum/abs/le): inv and solve returned
  float64, det/slogdet/cholesky computed;
- the SVD of an empty input is made without LAPACK: no ``driver=`` refusal, no kernel dtype refusal (float16);
- soft_margin_loss computes in a fresh tensor made like its input (its shape checked, no overlap refusal for an
  expanded input) and in the input's dtype (a float64 target made a float32 input's loss float64); its backward is
  torch's, step by step in the input's dtype (a uint8 target's negation wraps; float16 rounds each step);
- group_norm's bias message prints the weight's shape ([0] without a weight), as torch's does;
- index_copy_ checks its output's memory right after the dim (torch's meta function), before the index checks;
"""
from __future__ import annotations

from typing import Any, Callable

import ml_dtypes
import numpy as np
import pytest

from harness import assert_same_warnings, check


def full(T: Any, *shape: int, dtype: str = "float32", value: Any = 0) -> Any:
    return T.full(shape, value, dtype=getattr(T, dtype))


PROMOTION_ORDER: dict[str, Callable] = {
    "add_broadcast_first": lambda T: full(T, 2, 3, dtype="uint8").add(full(T, 2, dtype="uint16")),
    "add_refused_once_shapes_broadcast": lambda T: full(T, 2, 3, dtype="uint8").add(full(T, 3, dtype="uint16")),
    "add_inplace_output_shape_first": lambda T: full(T, 3, dtype="uint8").add_(full(T, 2, 3, dtype="uint16")),
    "add_inplace_overlap_first": lambda T: full(T, 1, dtype="uint8").expand(3).add_(full(T, 2, 3, dtype="uint16")),
    "remainder_inplace_overlap_before_broadcast": lambda T: full(T, 1, dtype="int32").expand(2, 1).remainder_(
        full(T, 3, 1, dtype="uint64")),
    "le_inplace_output_shape_first": lambda T: full(T, dtype="float8_e5m2fnuz").le_(full(T, 1, 2, 2, dtype="int32")),
    "bitwise_and_inplace_output_shape": lambda T: full(T, 2, dtype="float8_e4m3fnuz").bitwise_and_(
        full(T, 1, 2, dtype="uint8")),
    "logical_and_broadcast_first": lambda T: full(T, 2, dtype="float8_e5m2").logical_and(full(T, 3, dtype="int8")),
    "logical_and_inplace_broadcast": lambda T: full(T, 1, 2, 3, dtype="uint16").logical_and_(
        full(T, 1, 1, 0, dtype="int32")),
    "gcd_broadcast_first": lambda T: full(T, 3, 3, 3, dtype="float8_e8m0fnu").gcd(full(T, 0, dtype="uint64")),
    "subtract_broadcast_first": lambda T: full(T, 1, 3, 3, dtype="uint16").subtract(full(T, 2, 2, dtype="uint8")),
    "floor_divide_inplace_broadcast": lambda T: full(T, 0, 2, 0, dtype="uint64").floor_divide_(
        full(T, 2, 0, 3, dtype="float8_e8m0fnu")),
    "lt_inplace_broadcast": lambda T: full(T, 2, dtype="int8").lt_(full(T, 3, dtype="float8_e5m2")),
    "addcmul_broadcast_first": lambda T: full(T, 2, 3, dtype="uint8").addcmul(
        full(T, 2, dtype="uint64"), full(T, 3, dtype="uint8")),
    "addcmul_inplace_broadcast_first": lambda T: full(T, 2, 3, dtype="uint8").addcmul_(
        full(T, 3, 2, dtype="uint64"), full(T, 3, 2, dtype="uint8")),
    "igammac_inplace_overlap_first": lambda T: full(T, 1, dtype="int16").expand(3).igammac_(
        full(T, 0, 1, 3, dtype="float8_e4m3fn")),
    "zeta_broadcast_first": lambda T: T.special.zeta(full(T, 2, dtype="float16"), full(T, 3, dtype="uint64")),
    "add_refused_promotion_still_refused": lambda T: full(T, 2, 3, dtype="uint8").add_(full(T, 3, dtype="uint16")),
}


@pytest.mark.parametrize("name", sorted(PROMOTION_ORDER))
def test_promotion_order(name: str) -> None:
    check(PROMOTION_ORDER[name], [], grad=False)


JOINING_AND_EQUAL: dict[str, Callable] = {
    "cat_promotes_before_ndim": lambda T: T.cat([full(T, 3, 0, dtype="float8_e4m3fnuz"), full(T, 1, 3, 1,
                                                                                           dtype="bool")]),
    "cat_dim_before_promotion": lambda T: T.cat([full(T, 3, dtype="float8_e4m3fnuz"), full(T, 3, dtype="bool")],
                                                dim=5),
    "cat_zero_dim_first": lambda T: T.cat([full(T, 3, 0, dtype="float8_e4m3fnuz"), full(T, dtype="bool")]),
    "hstack_promotes_first": lambda T: T.hstack([full(T, 3, dtype="uint16"), full(T, 2, 3, dtype="int8")]),
    "vstack_promotes_first": lambda T: T.vstack([full(T, 3, dtype="uint16"), full(T, 2, 2, dtype="int8")]),
    "dstack_promotes_first": lambda T: T.dstack([full(T, dtype="int64"), full(T, 3, dtype="uint16"),
                                                 full(T, 3, 2, 2, dtype="int64")]),
    "column_stack_promotes_first": lambda T: T.column_stack([full(T, 3, dtype="uint16"),
                                                             full(T, 2, 2, 2, dtype="int8")]),
    "cat_sizes_still_checked": lambda T: T.cat([full(T, 3, 2), full(T, 2, 3, dtype="float64")]),
    "equal_promotion_refused": lambda T: full(T, 0, 2, dtype="float16").equal(full(T, 0, 2, dtype="float8_e8m0fnu")),
    "equal_sizes_before_promotion": lambda T: full(T, 1, 2, dtype="float16").equal(
        full(T, 0, 2, dtype="float8_e8m0fnu")),
    "equal_int_uint16_refused": lambda T: full(T, 1, 2, dtype="int16").equal(full(T, 1, 2, dtype="uint16")),
    "equal_in_common_dtype": lambda T: T.tensor([16777217]).equal(T.tensor([16777216.0])),
    "equal_float64_float32": lambda T: T.tensor([1.1], dtype=T.float64).equal(T.tensor([1.1])),
    "equal_int16_float16": lambda T: T.tensor(2049, dtype=T.int16).equal(T.tensor(2048.0, dtype=T.float16)),
    "equal_complex32_refused": lambda T: full(T, 0, dtype="complex32").equal(full(T, 0, dtype="complex32")),
    "equal_complex32_complex64": lambda T: T.tensor([1 + 2j], dtype=T.complex64).equal(
        T.tensor([1 + 2j], dtype=T.complex32)),
    "equal_nan": lambda T: T.tensor([float("nan")]).equal(T.tensor([float("nan")])),
}


@pytest.mark.parametrize("name", sorted(JOINING_AND_EQUAL))
def test_joining_and_equal(name: str) -> None:
    check(JOINING_AND_EQUAL[name], [], grad=False)


FLOAT8_LEAF = {name: np.array([[1.0, 2.0, 0.5]], getattr(ml_dtypes, name))
               for name in ("float8_e4m3fn", "float8_e4m3fnuz", "float8_e5m2", "float8_e5m2fnuz", "float8_e8m0fnu")}
BROADCAST_GRADIENT_SUM: dict[str, Callable] = {
    "expand_clone": lambda T, x: x.expand(2, 3).clone(),
    "broadcast_to": lambda T, x: T.broadcast_to(x, (2, 1, 3)),
    "expand_as_half": lambda T, x: x.expand_as(T.zeros(2, 3)).half(),
    "mul_broadcast": lambda T, x: x * T.ones(2, 3, dtype=x.dtype),
    "unsqueeze_copy_expanded": lambda T, x: T.unsqueeze_copy(x.expand(2, 3), 2),
    "chunk_expanded": lambda T, x: x.expand(2, 3).chunk(1)[0],
    "empty_expanded": lambda T, x: x[:, :0].expand(2, 0),
    "not_expanded": lambda T, x: x.clone(),
}


@pytest.mark.parametrize("dtype", sorted(FLOAT8_LEAF))
@pytest.mark.parametrize("name", sorted(BROADCAST_GRADIENT_SUM))
def test_broadcast_gradient_sum(name: str, dtype: str) -> None:
    check(BROADCAST_GRADIENT_SUM[name], [FLOAT8_LEAF[dtype]])


def test_broadcast_gradient_sum_complex32() -> None:
    leaf = np.zeros((1, 3), np.dtype([("real", np.float16), ("imag", np.float16)]))
    check(lambda T, x: x.expand(2, 3).clone(), [leaf])


ROLL: dict[str, Callable] = {
    "empty_dim_out_of_range": lambda T, x: x[:0].roll([5], dims=7),
    "empty_dims_list": lambda T, x: x[:0].roll([1, 1], dims=[0, 7]),
    "empty_transposed_strides": lambda T, x: x[:0].t().roll([1, 1], dims=[0, 7]).stride(),
    "empty_still_aligns": lambda T, x: x[:0].roll([5, 3], dims=7),
    "dim_out_of_range": lambda T, x: x.roll([5], dims=7),
    "backward_symbolic_shift": lambda T, x: x.roll(2 ** 63 - 1),
    "backward_large_shift": lambda T, x: x.roll(2 ** 62),
    "backward_two_dims": lambda T, x: x.roll((1, 2), (0, 1)),
}


@pytest.mark.parametrize("name", sorted(ROLL))
def test_roll(name: str) -> None:
    check(ROLL[name], [np.arange(6.0).reshape(2, 3)])


PRODUCTS_AND_RANDOM: dict[str, Callable] = {
    "addr_0d_float64_input": lambda T: T.addr(T.tensor(1.5, dtype=T.float64), T.tensor([10.0]), T.tensor([2.0])),
    "addr_0d_int64_input": lambda T: T.addr(T.tensor(1), T.tensor([10], dtype=T.int8), T.tensor([2], dtype=T.int8)),
    "addr_0d_uint16_input_refused": lambda T: T.addr(full(T, dtype="uint16", value=255), full(T, 1, dtype="uint8"),
                                                     full(T, 1, dtype="uint8")),
    "addr_promotion_order": lambda T: T.addr(full(T, dtype="uint8", value=255), full(T, 1, dtype="uint16"),
                                             full(T, 2, dtype="uint8"), beta=71),
    "addr_inplace_size_mismatch": lambda T: full(T, 2, 2).addr_(T.tensor([10.0]), T.tensor([2.0])),
    "addr_inplace_deprecated_beta": lambda T: full(T, 2, 1).addr_(2, T.tensor([10.0, 1]), T.tensor([2.0])),
    "addr_inplace_deprecated_mismatch": lambda T: full(T, 2, 2).addr_(2, 3, T.tensor([10.0, 1]), T.tensor([2.0])),
    "alpha_dropout_bool": lambda T: T.nn.functional.alpha_dropout(full(T, 1, 1, 2, dtype="bool"), 0.5, True),
    "feature_alpha_dropout_bool": lambda T: T.feature_alpha_dropout(full(T, 1, 1, 2, dtype="bool"), 0.5, True),
    "dropout_bool": lambda T: T.nn.functional.dropout(full(T, 1, 1, 2, dtype="bool"), 0.5, True),
    "alpha_dropout_int32": lambda T: T.nn.functional.alpha_dropout(full(T, 1, 1, 2, dtype="int32"), 0.5, True),
    "native_dropout_uint16": lambda T: T.native_dropout(full(T, 3, 1, 2, dtype="uint16"), 0.0, None),
    "native_dropout_float8": lambda T: T.native_dropout(full(T, 3, 1, 2, dtype="float8_e5m2"), 0.5, True),
    "native_dropout_int16": lambda T: T.native_dropout(full(T, 3, 1, 2, dtype="int16"), 0.5, True),
    "binomial_float8_count_half_prob": lambda T: T.binomial(full(T, dtype="float8_e5m2", value=1.0),
                                                            full(T, dtype="float16", value=1.0)),
    "binomial_half_count_float8_prob": lambda T: T.binomial(full(T, dtype="float16", value=1.0),
                                                            full(T, dtype="float8_e5m2", value=1.0)),
    "binomial_int_count": lambda T: T.binomial(full(T, dtype="int32", value=1), full(T, value=1.0)),
    "multinomial_float8_no_samples": lambda T: T.multinomial(full(T, 2, dtype="float8_e4m3fn", value=1.0), 0),
    "multinomial_float8_too_many": lambda T: T.multinomial(full(T, 2, dtype="float8_e8m0fnu", value=1.0), 3),
    "multinomial_float8_one": lambda T: T.multinomial(full(T, 2, dtype="float8_e4m3fn", value=1.0), 1, True),
    "multinomial_float8_replacement": lambda T: T.multinomial(full(T, 2, dtype="float8_e4m3fn", value=1.0), 2, True),
    "multinomial_float8_no_replacement": lambda T: T.multinomial(full(T, 2, dtype="float8_e4m3fn", value=1.0), 2),
    "multinomial_float8_empty": lambda T: T.multinomial(full(T, 0, 2, dtype="float8_e4m3fn", value=1.0), 1),
    "multinomial_int": lambda T: T.multinomial(full(T, 2, dtype="int32", value=1), 1),
}


@pytest.mark.parametrize("name", sorted(PRODUCTS_AND_RANDOM))
def test_products_and_random(name: str) -> None:
    check(PRODUCTS_AND_RANDOM[name], [], grad=False)


FLOAT8_NAMES = sorted(FLOAT8_LEAF)
FILL_VALUES = (2 ** 63 - 1, -2 ** 63, 1e10, -1e10, float("inf"), float("-inf"), float("nan"), 1e300, 500.0, 61440.0,
               1e-30, -0.0, 464.0, 3.5e38, 5e-324, True, 7)


@pytest.mark.parametrize("dtype", FLOAT8_NAMES)
def test_one_element_fill(dtype: str) -> None:
    for value in FILL_VALUES:
        check(lambda T: T.full([], value, dtype=getattr(T, dtype)), [], grad=False)
    check(lambda T: T.fill(full(T, dtype=dtype), 2 ** 63 - 1), [], grad=False)
    check(lambda T: T.fill(full(T, 1, dtype=dtype), 1e10), [], grad=False)
    check(lambda T: T.full_like(full(T, 1, dtype=dtype), -1e10), [], grad=False)
    check(lambda T: full(T, 1, dtype=dtype).new_full((1, 1), 1e10), [], grad=False)
    check(lambda T: T.full([2], 1e10, dtype=getattr(T, dtype)), [], grad=False)  # (two elements: checked)
    check(lambda T: full(T, 3, dtype=dtype).fill_(-1e300), [], grad=False)


POW_INT_EXPONENT: dict[str, Callable] = {
    "bool_base_uint64_exponent": lambda T: T.tensor([True]).pow(2 ** 63),
    "bool_base_operator": lambda T: T.tensor([True]) ** (2 ** 63),
    "int64_base": lambda T: T.tensor([1]).pow(2 ** 63),
    "uint8_base_int64_first": lambda T: T.tensor([1], dtype=T.uint8).pow(2 ** 63),
    "uint8_base_own_dtype": lambda T: T.tensor([1], dtype=T.uint8).pow(300),
    "uint8_base_negative": lambda T: T.tensor([1], dtype=T.uint8).pow(-3),
    "bool_base_negative": lambda T: T.tensor([True]).pow(-1),
    "bool_base_bool_exponent": lambda T: T.tensor([True]).pow(True),
    "int8_inplace": lambda T: T.tensor([3], dtype=T.int8).pow_(2 ** 63),
    "int8_float_exponent": lambda T: T.tensor([3], dtype=T.int8).pow(2.5),
    "float_base_huge_int": lambda T: T.tensor([1.0]).pow(2 ** 63),
    "beyond_uint64": lambda T: T.tensor([True]).pow(-2 ** 63 - 1),
}


@pytest.mark.parametrize("name", sorted(POW_INT_EXPONENT))
def test_pow_int_exponent(name: str) -> None:
    check(POW_INT_EXPONENT[name], [], grad=False)


SYMBOLIC_SIZES: dict[str, Callable] = {
    "conv2d_all_huge": lambda T: T.nn.functional.conv2d(
        full(T, 2, 3, 2, dtype="int32"), full(T, 1, dtype="int32"), bias=full(T, 3, 2, dtype="int32"),
        stride=[-4, 2 ** 63 - 1], padding=2 ** 63 - 1, dilation=-2 ** 63, groups=-2 ** 63),
    "conv2d_padding": lambda T: T.nn.functional.conv2d(full(T, 2, 3, 2), full(T, 1), padding=-2 ** 63),
    "conv2d_dilation": lambda T: T.nn.functional.conv2d(full(T, 2, 3, 2), full(T, 1), dilation=-2 ** 63),
    "conv2d_stride": lambda T: T.nn.functional.conv2d(full(T, 2, 3, 2), full(T, 1), stride=-2 ** 63),
    "conv2d_concrete_padding": lambda T: T.nn.functional.conv2d(full(T, 2, 3, 2), full(T, 1), padding=-2 ** 62),
    "conv2d_groups_not_a_size": lambda T: T.nn.functional.conv2d(full(T, 2, 3, 2), full(T, 1), groups=-2 ** 63),
    "conv1d_padding_list": lambda T: T.nn.functional.conv1d(full(T, 2, 3, 2), full(T, 1), padding=[-2 ** 63]),
    "conv1d_bias_dtype_first": lambda T: T.nn.functional.conv1d(full(T, 2, 3, 2), full(T, 1),
                                                                bias=full(T, 1, dtype="float64"), padding=[-2 ** 63]),
    "conv1d_input_dims_first": lambda T: T.nn.functional.conv1d(full(T, 2, 3, 2, 2, 2), full(T, 1),
                                                                padding=[-2 ** 63]),
    "conv2d_same_weight_first": lambda T: T.nn.functional.conv2d(full(T, 2, 3, 2), full(T, 1), padding="same",
                                                                 dilation=-2 ** 63),
    "conv2d_same_dilation": lambda T: T.nn.functional.conv2d(full(T, 1, 2, 3, 2), full(T, 1, 2, 1, 1),
                                                             padding="same", dilation=-2 ** 63),
    "conv_transpose2d_padding": lambda T: T.nn.functional.conv_transpose2d(
        full(T, 2, 3, 3, dtype="int16"), full(T, 2, 3, 3, dtype="int16"), None, padding=-2 ** 63),
    "conv_transpose2d_output_padding": lambda T: T.nn.functional.conv_transpose2d(
        full(T, 2, 3, 3), full(T, 2, 3, 3), None, output_padding=-2 ** 63),
    "conv_transpose1d_negative_dilation": lambda T: T.nn.functional.conv_transpose1d(
        full(T, 1, 3, 1), full(T, 3, 1, 1), dilation=[-4]),
    "conv_transpose1d_dilation_before_groups": lambda T: T.nn.functional.conv_transpose1d(
        full(T, 1, 3, 1, dtype="uint64"), full(T, 1, 3, 1, dtype="uint64"), bias=full(T, dtype="uint64"),
        groups=2 ** 63 - 1, dilation=[-4]),
    "conv_transpose3d_negative_dilation": lambda T: T.nn.functional.conv_transpose3d(
        full(T, 1, 3, 1, 1, 1), full(T, 3, 1, 1, 1, 1), dilation=(1, -1, 1)),
    "conv_transpose1d_zero_dilation": lambda T: T.nn.functional.conv_transpose1d(
        full(T, 1, 3, 1), full(T, 3, 1, 1), dilation=[0]),
    "empty_permuted_huge": lambda T: T.empty_permuted([2 ** 63 - 1, 2 ** 63 - 1, -2 ** 63], [2, 0, 1], dtype=T.bool),
    "empty_permuted_negative": lambda T: T.empty_permuted([2, 3, -1], [2, 0, 1]),
    "empty_permuted_duplicate_first": lambda T: T.empty_permuted([2, 3, 1], [0, 0, 5]),
    "empty_permuted_before_pin_memory": lambda T: T.empty_permuted([2, 3, -2 ** 63], [0, 1, 2], pin_memory=True),
    "empty_permuted_strides": lambda T: T.empty_permuted([2, 3, 2], [2, 0, 1]).stride(),
}


@pytest.mark.parametrize("name", sorted(SYMBOLIC_SIZES))
def test_symbolic_sizes(name: str) -> None:
    check(SYMBOLIC_SIZES[name], [], grad=False)


SIZES_AND_ARGUMENTS: dict[str, Callable] = {
    "repeat_interleave_storage_overflow": lambda T: full(T, dtype="uint64").repeat_interleave(2 ** 63 - 1),
    "repeat_interleave_int64_storage": lambda T: full(T, dtype="int64").repeat_interleave(2 ** 63 - 1),
    "repeat_interleave_numel_overflow": lambda T: full(T, 2, dtype="int64").repeat_interleave(2 ** 62),
    "repeat_interleave_allocation": lambda T: full(T, 1, 2, dtype="int8").repeat_interleave(2 ** 61, dim=0),
    "repeat_interleave_empty_strides": lambda T: full(T, 0, 2).repeat_interleave(2 ** 62, dim=1),
    "repeat_interleave_numel_dim": lambda T: full(T, 3, 2).repeat_interleave(2 ** 62, dim=1),
    "repeat_interleave_small": lambda T: T.tensor([0, 1], dtype=T.int8).repeat_interleave(3),
    "scatter_reduce_reduce_before_bounds": lambda T: full(T, 3, dtype="int64").scatter_reduce_(
        0, T.tensor(-2 ** 63), T.tensor(5), "trunc"),
    "scatter_reduce_bounds": lambda T: full(T, 3, dtype="int64").scatter_reduce(0, T.tensor([7]), T.tensor([5]),
                                                                              "sum"),
    "scatter_reduce_empty_index": lambda T: full(T, 3).scatter_reduce(0, full(T, 0, dtype="int64"), full(T, 0),
                                                                      "trunc"),
    "scatter_reduce_arg_before_bounds": lambda T: full(T, 3).scatter(0, T.tensor([7]), T.tensor([5.0]), reduce="x"),
    "scatter_empty_index_reduce": lambda T: full(T, 3).scatter(0, full(T, 0, dtype="int64"), full(T, 0),
                                                               reduce="trunc"),
    "scatter_inplace_empty_value_reduce": lambda T: full(T, 3).scatter_(0, full(T, 0, dtype="int64"), 1.0,
                                                                        reduce="trunc"),
    "scatter_empty_index_add": lambda T: full(T, 3).scatter(0, full(T, 0, dtype="int64"), 1.0, reduce="add"),
}


@pytest.mark.parametrize("name", sorted(SIZES_AND_ARGUMENTS))
def test_sizes_and_arguments(name: str) -> None:
    check(SIZES_AND_ARGUMENTS[name], [], grad=False)


@pytest.mark.parametrize("inplace", [False, True])
def test_polygamma_backward_order_wraps(inplace: bool) -> None:
    def fn(T: Any, x: Any) -> Any:
        return x.clone().polygamma_(2 ** 63 - 1) if inplace else x.polygamma(2 ** 63 - 1)
    check(fn, [np.array(-0.0)])
    check(lambda T, x: x.clone().polygamma_(2) if inplace else x.polygamma(2), [np.array([0.5, 2.0])])


LDEXP_OUTPUT: dict[str, Callable] = {
    "bool_exponent_warns_then_refuses": lambda T: T.zeros(1).ldexp(T.zeros(3, dtype=T.bool)),
    "bfloat16_0d": lambda T: T.tensor(float("nan"), dtype=T.bfloat16).ldexp(T.zeros(3, 3, 1, dtype=T.bool)),
    "float64_int64": lambda T: T.zeros(1, dtype=T.float64).ldexp(T.zeros(3, dtype=T.int64)),
    "float32_uint8_2d": lambda T: T.zeros(2, 1).ldexp(T.zeros(1, 3, dtype=T.uint8)),
    "broadcast_error_first": lambda T: T.zeros(2).ldexp(T.zeros(3, dtype=T.bool)),
    "empty_input_no_warning": lambda T: T.zeros(0).ldexp(T.zeros(2, 1, dtype=T.bool)),
    "float_exponent_no_warning": lambda T: T.zeros(1).ldexp(T.zeros(3, dtype=T.float16)),
    "complex_no_warning": lambda T: T.zeros(1, dtype=T.complex64).ldexp(T.zeros(3, dtype=T.int64)),
    "int_input_no_warning": lambda T: T.zeros(1, dtype=T.int32).ldexp(T.zeros(3, dtype=T.int32)),
    "same_shape_no_warning": lambda T: T.zeros(3).ldexp(T.zeros(3, dtype=T.int32)),
    "inplace_shape_before_bool": lambda T: T.zeros(1).ldexp_(T.zeros(3, dtype=T.bool)),
    "inplace_overlap_first": lambda T: T.zeros(1).expand(3).ldexp_(T.zeros(2, 3, dtype=T.bool)),
    "inplace_cast_first": lambda T: T.zeros(3, dtype=T.int32).ldexp_(T.zeros(3, dtype=T.int32)),
    "inplace_computes": lambda T: T.ones(3).ldexp_(T.tensor([1, 2, 3], dtype=T.int32)),
}


@pytest.mark.parametrize("name", sorted(LDEXP_OUTPUT))
def test_ldexp_output(name: str) -> None:
    check(LDEXP_OUTPUT[name], [], grad=False)

    def quiet(T: Any) -> None:
        try:
            LDEXP_OUTPUT[name](T)
        except (RuntimeError, NotImplementedError):
            pass
    assert_same_warnings(quiet)


FLOAT8_SQUARE_LINALG: dict[str, Callable] = {
    "inv": lambda T, X: T.linalg.inv(X),
    "inv_ex": lambda T, X: T.linalg.inv_ex(X),
    "inverse": lambda T, X: T.inverse(X),
    "matrix_power_negative": lambda T, X: T.linalg.matrix_power(X, -1),
    "cond": lambda T, X: T.linalg.cond(X, 1),
    "det": lambda T, X: T.linalg.det(X),
    "det_empty": lambda T, X: T.linalg.det(X[:0, :0]),
    "slogdet": lambda T, X: T.linalg.slogdet(X),
    "solve": lambda T, X: T.linalg.solve(X, X),
    "solve_ex": lambda T, X: T.linalg.solve_ex(X, X),
    "cholesky": lambda T, X: T.linalg.cholesky(X),
    "cholesky_ex": lambda T, X: T.linalg.cholesky_ex(X),
    "lu_solve": lambda T, X: T.linalg.lu_solve(X, T.ones(3, dtype=T.int32), X),
    "matrix_exp": lambda T, X: T.linalg.matrix_exp(X),
    "matrix_exp_1x1": lambda T, X: T.linalg.matrix_exp(X[:1, :1]),
    "matrix_exp_0x0": lambda T, X: T.linalg.matrix_exp(X[:0, :0]),
    "matrix_exp_empty_batch": lambda T, X: T.linalg.matrix_exp(X[None, :0].expand(0, 3, 3)),
}


def _square_linalg_params() -> list:
    params = []
    for name in sorted(FLOAT8_SQUARE_LINALG):
        for dtype in ("float8_e5m2", "float8_e4m3fnuz", "float8_e8m0fnu", "float16"):
            marks = [pytest.mark.skip(reason="torch bug: float16 matrix_exp of eye(3) is -20896 on the diagonal")] \
                if (name, dtype) == ("matrix_exp", "float16") else []
            params.append(pytest.param(name, dtype, marks=marks, id="%s-%s" % (name, dtype)))
    return params


@pytest.mark.parametrize("name,dtype", _square_linalg_params())
def test_float8_square_linalg(name: str, dtype: str) -> None:
    check(lambda T: FLOAT8_SQUARE_LINALG[name](T, T.eye(3, dtype=getattr(T, dtype))), [], grad=False)


EMPTY_SVD: dict[str, Callable] = {
    "svd_float16_0x2": lambda T: T.linalg.svd(T.zeros(0, 2, dtype=T.float16)),
    "svd_driver_0x0": lambda T: T.linalg.svd(T.zeros(0, 0, dtype=T.float16), full_matrices=True, driver="mean"),
    "svd_driver_reduced": lambda T: T.linalg.svd(T.zeros(2, 0, dtype=T.float16), driver="x", full_matrices=False),
    "svdvals_driver": lambda T: T.linalg.svdvals(T.zeros(0, 2), driver="x"),
    "svdvals_batch": lambda T: T.linalg.svdvals(T.zeros(3, 0, 2, dtype=T.float16), driver="x"),
    "torch_svd_float16": lambda T: T.svd(T.zeros(0, 3, dtype=T.float16)),
    "svd_int_refused": lambda T: T.linalg.svd(T.zeros(0, 3, dtype=T.int32)),
    "svd_driver_refused": lambda T: T.linalg.svd(T.zeros(2, 2), driver="gesvd"),
    "svd_float16_refused": lambda T: T.linalg.svd(T.zeros(2, 2, dtype=T.float16)),
}


@pytest.mark.parametrize("name", sorted(EMPTY_SVD))
def test_empty_svd(name: str) -> None:
    check(EMPTY_SVD[name], [], grad=False)


SOFT_MARGIN: dict[str, Callable] = {
    "expanded_input_shape": lambda T, x: T.nn.functional.soft_margin_loss(
        x[:1].expand(2), T.zeros(1, 2, dtype=T.uint8), reduction="none"),
    "expanded_input_computes": lambda T, x: T.nn.functional.soft_margin_loss(
        x[:1].expand(2), T.tensor([1, 0], dtype=T.uint8), reduction="none"),
    "float64_target_keeps_dtype": lambda T, x: T.nn.functional.soft_margin_loss(
        x, T.tensor([3.0, -1.0], dtype=T.float64), reduction="none"),
    "float64_target_mean": lambda T, x: T.nn.functional.soft_margin_loss(x, T.tensor([3.0, -1.0],
                                                                                    dtype=T.float64)),
    "half_input": lambda T, x: T.nn.functional.soft_margin_loss(x.half(), T.tensor([3.0, -1.0], dtype=T.float64)),
    "overflow": lambda T, x: T.nn.functional.soft_margin_loss(x * 100, T.tensor([-3.0, -1.0]), reduction="none"),
}


@pytest.mark.parametrize("name", sorted(SOFT_MARGIN))
def test_soft_margin(name: str) -> None:
    check(SOFT_MARGIN[name], [np.array([1.0, -2.0], np.float32)])


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_soft_margin_second_order(reduction: str) -> None:
    check(lambda T, x, t: T.nn.functional.soft_margin_loss(x, t.detach(), reduction=reduction),
          [np.array([0.5, -2.0, 3.0]), np.array([1.0, -1.0, 0.5])], second_order=True)


GROUP_NORM_BIAS: dict[str, Callable] = {
    "no_weight": lambda T: T.group_norm(T.ones(2, 3), 1, None, T.zeros(2, 2)),
    "with_weight": lambda T: T.group_norm(T.ones(2, 3), 1, T.ones(3), T.zeros(2, 2)),
    "functional": lambda T: T.nn.functional.group_norm(T.ones(2, 3), 1, T.ones(3), T.zeros(2, 2)),
    "native_empty_bias": lambda T: T.native_group_norm(T.ones(3, 3, dtype=T.bool).t(), None,
                                                      T.zeros(0, 0, dtype=T.float16), 0, 0, 0, 2, 0.0),
    "native_weight": lambda T: T.native_group_norm(T.ones(3, 3), T.zeros(0, 3), None, 3, 3, 1, 1, 0.0),
}


@pytest.mark.parametrize("name", sorted(GROUP_NORM_BIAS))
def test_group_norm_bias_message(name: str) -> None:
    check(GROUP_NORM_BIAS[name], [], grad=False)


INDEX_COPY_INPLACE: dict[str, Callable] = {
    "overlap_before_index_dims": lambda T, x, s: T.zeros(2, 1, 1, dtype=T.int16).expand(2, 1, 2).index_copy_(
        2, T.zeros(3, 3, 3, dtype=T.int16), T.zeros(1, 3, 1, dtype=T.int16)),
    "dim_before_overlap": lambda T, x, s: T.zeros(2, 1, 1).expand(2, 1, 2).index_copy_(5, T.tensor([0]), s),
    "index_dims": lambda T, x, s: T.zeros(2, 1, 2).index_copy_(2, T.zeros(3, 3, 3, dtype=T.int16), s),
    "empty_expanded": lambda T, x, s: T.zeros(2, 1, 0).expand(2, 1, 0).index_copy_(
        2, T.tensor([], dtype=T.int64), T.ones(2, 1, 0)),
    "dtype_mismatch": lambda T, x, s: T.zeros(3).index_copy_(0, T.tensor([1]), T.ones(1, dtype=T.float64)),
    "computes_with_grads": lambda T, x, s: (x * 1).index_copy_(2, T.tensor([1]), s),
    "leaf_refused": lambda T, x, s: x.index_copy_(2, T.tensor([1]), s),
}


@pytest.mark.parametrize("name", sorted(INDEX_COPY_INPLACE))
def test_index_copy_inplace(name: str) -> None:
    check(INDEX_COPY_INPLACE[name], [np.zeros((2, 1, 2)), np.ones((2, 1, 1))], second_order=True)
