"""torch's exceptions, their order and messages, and its warnings (issue 10, deep sweep 5), one table per class of
fix, each case run under torch and minitorch:

- pointwise kernels' dtype refusals come once the operands' shapes broadcast, and after an in-place output's
  overlap and shape checks (lerp, addcmul: TensorIterator's order); addcmul reads ``value`` after the shapes;
- logit_ checks its output's memory (the internal-overlap check) before the result dtype;
- constant_pad_nd sizes its result in int64 arithmetic (huge pads wrap negative) with torch's storage checks, and
  converts the fill value as torch's Scalar (it wrapped silently); F.pad's value is a double;
- binary_cross_entropy_with_logits: the shapes torch's composite meets, in its order (NumPy's broadcast error leaked),
  and autograd's refusal of weights that require grad before the kernel's dtype refusal;
- binomial warns as torch's kernel resizes its count-shaped output to the broadcast shape;
- factories name the first negative size;
- bmm refuses a Bool input before it compares mat2's dtype (matmul's batched path);
- a 1-d FFT's n=-1 is a size torch refuses (irfft/hfft computed a default size), before the norm mode;
- index_put/index_put_ refuse an index into an empty dim (torch's AdvancedIndex) before the values' checks;
- cumulative_trapezoid reads a 0-d y's size for a 1-d x before slicing y (torch's "no dimensions" message);
- empty_strided/new_empty_strided/empty_permuted: c10's storage checks, negative strides resolved as c10 does, and
  shapes or strides NumPy cannot hold refused by minitorch's own NotImplementedError (NumPy's errors leaked);
"""
from __future__ import annotations

from typing import Any, Callable

import pytest
import torch

import minitorch
from harness import assert_same_warnings, check


def full(T: Any, *shape: int, dtype: str = "float32", value: Any = 0) -> Any:
    return T.full(shape, value, dtype=getattr(T, dtype))


POINTWISE_REFUSAL_ORDER: dict[str, Callable] = {
    "addcmul_inplace_shape_before_bool": lambda T: full(T, 3, dtype="bool").addcmul_(
        T.tensor(True), full(T, 1, 1, dtype="bool")),
    "addcmul_inplace_overlap_first": lambda T: full(T, 1, dtype="bool").expand(2).addcmul_(
        full(T, 2, 1, dtype="bool"), full(T, 3, 1, 1, dtype="bool")),
    "addcmul_inplace_bool_refused": lambda T: full(T, 1, dtype="bool").addcmul_(
        full(T, 1, dtype="bool"), full(T, 1, dtype="bool")),
    "addcmul_broadcast_before_bool": lambda T: full(T, 3, 1, 1, dtype="bool").addcmul(
        full(T, 0, 2, 0, dtype="bool"), full(T, 0, 2, 0, dtype="bool")),
    "addcmul_broadcast_before_value": lambda T: T.addcmul(
        full(T, 1, 0, dtype="uint8"), full(T, 2, 1, 0, dtype="uint8"), full(T, 3, 2, 1, dtype="uint8"), value=-287),
    "addcmul_value_overflow": lambda T: T.addcmul(
        full(T, 1, 0, dtype="uint8"), full(T, 2, 1, 0, dtype="uint8"), full(T, 2, 1, 1, dtype="uint8"), value=-287),
    "addcdiv_inplace_shape": lambda T: full(T, 1, dtype="bool").addcdiv_(full(T, 2, 1, dtype="bool"), full(T, 2)),
    "lerp_inplace_tensor_weight_shape": lambda T: T.tensor(8, dtype=T.uint8).lerp_(
        T.tensor(0, dtype=T.uint8), full(T, 0, 3, 1, dtype="uint8")),
    "lerp_inplace_scalar_weight_shape": lambda T: full(T, 1, dtype="uint8").lerp_(full(T, 2, 1, dtype="uint8"), 0.5),
    "lerp_inplace_scalar_weight_refused": lambda T: T.tensor(8, dtype=T.uint8).lerp_(T.tensor(0, dtype=T.uint8), 0.5),
    "lerp_inplace_overlap_first": lambda T: full(T, 1, dtype="uint8").expand(2).lerp_(full(T, 2, 1, dtype="uint8"),
                                                                                     0.5),
    "lerp_broadcast_before_refusal": lambda T: full(T, 1, dtype="uint8").lerp(
        full(T, 2, dtype="uint8"), full(T, 3, dtype="uint8")),
    "lerp_float_inplace_shape": lambda T: full(T, 1).lerp_(full(T, 2, 1), 0.5),
}


@pytest.mark.parametrize("name", sorted(POINTWISE_REFUSAL_ORDER))
def test_pointwise_refusal_order(name: str) -> None:
    check(POINTWISE_REFUSAL_ORDER[name], [], grad=False)


INPLACE_OVERLAP_FIRST: dict[str, Callable] = {
    "logit_int_expanded": lambda T: T.logit_(full(T, 1, dtype="int8").expand(2), eps=None),
    "logit_int_expanded_eps": lambda T: full(T, 1, dtype="int16").expand(2).logit_(eps=2.0),
    "logit_int_empty_expanded": lambda T: full(T, 0, dtype="int8").expand(0).logit_(eps=2.0),
    "logit_float_expanded": lambda T: full(T, 1).expand(3).logit_(),
}


@pytest.mark.parametrize("name", sorted(INPLACE_OVERLAP_FIRST))
def test_inplace_overlap_first(name: str) -> None:
    check(INPLACE_OVERLAP_FIRST[name], [], grad=False)


HUGE = 2 ** 63 - 1
CONSTANT_PAD: dict[str, Callable] = {
    # torch sizes the padded tensor in int64 arithmetic: huge pads wrap to a negative size, or overflow its storage
    "wrapped_negative_size": lambda T: T.constant_pad_nd(full(T, 1, 2, 0, dtype="int8"), [HUGE, HUGE], value=HUGE),
    "wrapped_negative_nonempty": lambda T: T.constant_pad_nd(full(T, 1, 2, 3, dtype="int8"), [HUGE, 0]),
    "half_huge_pads": lambda T: T.constant_pad_nd(full(T, 1, 2, 0, dtype="int8"), [2 ** 62, 2 ** 62]),
    "storage_overflow": lambda T: T.constant_pad_nd(full(T, 1, 2, 1, dtype="int8"), [HUGE, -1]),
    "stride_overflow": lambda T: T.constant_pad_nd(full(T, 0, 2, 1, dtype="int8"), [HUGE - 1, 0]),
    "unallocatable": lambda T: T.constant_pad_nd(full(T, 2, 2, dtype="int8"), [2 ** 40, 2 ** 40]),
    # the value fills the new tensor: torch's Scalar conversion checks it (it was wrapped)
    "value_overflows_int8": lambda T: T.constant_pad_nd(full(T, 2, 2, dtype="int8"), [1, 1], value=1000),
    "value_overflows_half": lambda T: T.constant_pad_nd(full(T, 2, 2, dtype="float16"), [1, 1], value=1e6),
    "value_complex_into_float": lambda T: T.constant_pad_nd(full(T, 2, 2), [1, 1], value=1 + 2j),
    "value_int_wraps_uint8": lambda T: T.constant_pad_nd(full(T, 2, 2, dtype="uint8"), [1, 1], value=-1),
    "value_truncated": lambda T: T.constant_pad_nd(full(T, 2, 2, dtype="int8"), [1, 1], value=2.5),
    "value_unread_when_cropping": lambda T: T.constant_pad_nd(full(T, 2, 2, dtype="int8"), [-1, 0], value=1000),
    "value_nan_half": lambda T: T.constant_pad_nd(full(T, 2, 2, dtype="float16"), [1, 1], value=float("nan")),
    # F.pad's value is a double
    "functional_value_is_double": lambda T: T.nn.functional.pad(full(T, 2, 2, dtype="uint8"), [1, 1], value=-1),
    "functional_bool_value": lambda T: T.nn.functional.pad(full(T, 2, 2, dtype="int64"), [1, 1], value=True),
}


@pytest.mark.parametrize("name", sorted(CONSTANT_PAD))
def test_constant_pad(name: str) -> None:
    check(CONSTANT_PAD[name], [], grad=False)


def bce_logits(T: Any, input: tuple, target: tuple, weight: tuple | None = None, pos_weight: tuple | None = None,
               target_dtype: str = "float32") -> Any:
    weights = {k: None if shape is None else full(T, *shape) for k, shape in (("weight", weight),
                                                                            ("pos_weight", pos_weight))}
    return T.binary_cross_entropy_with_logits(full(T, *input), full(T, *target, dtype=target_dtype), **weights)


LOGITS_LOSS_SHAPES: dict[str, Callable] = {
    # torch's composite: log_sigmoid(input).mul_(log_weight), (1 - target).mul_(input), loss.mul_(weight)
    "target_does_not_broadcast": lambda T: bce_logits(T, (2, 3), (2, 3, 3)),
    "input_grows_target": lambda T: bce_logits(T, (2, 3), (3,)),
    "target_grows_input": lambda T: bce_logits(T, (3,), (2, 3)),
    "integral_target": lambda T: bce_logits(T, (3,), (3,), target_dtype="int64"),
    "integral_target_shape_first": lambda T: bce_logits(T, (2, 3), (3,), target_dtype="int64"),
    "pos_weight_grows_input": lambda T: bce_logits(T, (3,), (3,), pos_weight=(2, 1)),
    "pos_weight_with_target": lambda T: bce_logits(T, (3,), (3,), pos_weight=(2,)),
    "log_weight_with_input": lambda T: bce_logits(T, (3,), (2, 1), pos_weight=(2,)),
    "log_weight_grows_input": lambda T: bce_logits(T, (2, 1), (2, 1), pos_weight=(3,)),
    "weight_grows_loss": lambda T: bce_logits(T, (3,), (3,), weight=(2, 1)),
    "weight_does_not_broadcast": lambda T: bce_logits(T, (3,), (3,), weight=(2,)),
    "weights_broadcast": lambda T: bce_logits(T, (3,), (3,), weight=(1,), pos_weight=(1,)),
    # autograd's refusal of a weight that requires grad comes before the kernel's dtype refusal
    "weight_requires_grad_before_dtype": lambda T: T.binary_cross_entropy_with_logits(
        full(T, 3, dtype="int16"), T.tensor(1.0, dtype=T.float16), weight=full(T, 3, 0).requires_grad_()),
    "pos_weight_requires_grad": lambda T: T.binary_cross_entropy_with_logits(
        full(T, 3), full(T, 3), pos_weight=full(T, 3).requires_grad_()),
}


@pytest.mark.parametrize("name", sorted(LOGITS_LOSS_SHAPES))
def test_logits_loss_shapes(name: str) -> None:
    check(LOGITS_LOSS_SHAPES[name], [], grad=False)


STRIDED_FACTORIES: dict[str, Callable] = {
    # c10's set_sizes_and_strides: a negative stride is the contiguous one from the dims after it
    "negative_strides_of_empty": lambda T: T.empty_strided([0, 3], [-1, -1]).stride(),
    "negative_stride_of_size_one": lambda T: T.empty_strided([1, 3], [-1, 1]).stride(),
    "negative_strides_mixed": lambda T: T.empty_strided([3, 0, 2], [-1, -5, -1]).stride(),
    "negative_stride_overflows": lambda T: T.empty_strided([2, 3], [-1, 1]),
    "negative_strides_three_dims": lambda T: T.empty_strided([3, 1, 2], [-1, -5, -1]),
    "new_empty_strided_negative": lambda T: full(T, 2).new_empty_strided([0, 3], [-1, -1]).stride(),
    "new_empty_strided_given": lambda T: full(T, 2).new_empty_strided([0, 3], [5, 7]).stride(),
    "storage_overflow": lambda T: T.empty_strided([2, 3], [2 ** 62, 1]),
    "unallocatable": lambda T: T.empty_strided([2, 2], [2 ** 40, 1]),
    "empty_permuted_storage_overflow": lambda T: T.empty_permuted([2, 2 ** 62], [1, 0]),
    "empty_permuted_negative": lambda T: T.empty_permuted([-2, 3], [1, 0]),
}


@pytest.mark.parametrize("name", sorted(STRIDED_FACTORIES))
def test_strided_factories(name: str) -> None:
    check(STRIDED_FACTORIES[name], [], grad=False)


# Shapes torch holds and NumPy cannot: minitorch's own NotImplementedError, never NumPy's ValueError/OverflowError
NUMPY_CANNOT_HOLD: dict[str, Callable] = {
    "empty_strided_huge_empty": lambda T: T.empty_strided([HUGE, 0], [0, 0]),
    "empty_strided_huge_resolved_stride": lambda T: T.empty_strided([0, HUGE], [-1, -1]),
    "new_empty_strided_huge_empty": lambda T: full(T, 2).new_empty_strided([HUGE, 0], [1, 1]),
    "empty_strided_huge_stride_of_size_one": lambda T: T.empty_strided([1, 2], [2 ** 62, 1]),
    "empty_permuted_huge_empty": lambda T: T.empty_permuted([HUGE, 0], [0, 1]),
}


@pytest.mark.parametrize("name", sorted(NUMPY_CANNOT_HOLD))
def test_numpy_cannot_hold(name: str) -> None:
    NUMPY_CANNOT_HOLD[name](torch)  # torch makes it
    with pytest.raises(NotImplementedError, match="NumPy cannot hold it"):
        NUMPY_CANNOT_HOLD[name](minitorch)


NEGATIVE_SIZES: dict[str, Callable] = {
    # the first negative size is named (it was the smallest)
    "ones_first_negative": lambda T: T.ones([-2, -3, 4]),
    "ones_varargs": lambda T: T.ones(3, -2, -4),
    "empty_first_negative": lambda T: T.empty([-2, -3, 4]),
    "full_first_negative": lambda T: T.full([-2, -3], 1.0),
    "ones_negative_after_overflowing": lambda T: T.ones([2 ** 62, 2 ** 62, -1]),
    "zeros_own_message": lambda T: T.zeros([-2, -3, 4]),
}


@pytest.mark.parametrize("name", sorted(NEGATIVE_SIZES))
def test_negative_sizes(name: str) -> None:
    check(NEGATIVE_SIZES[name], [], grad=False)


def quietly(fn: Callable) -> Callable:
    """``fn(T)``'s outcome, its error (type and message) included, as a value: for warning comparisons."""
    def run(T: Any) -> Any:
        try:
            return fn(T)
        except Exception as e:  # noqa: BLE001 - the error is part of what is compared
            return "%s: %s" % (type(e).__name__, e)
    return run


RESIZED_OUTPUT_WARNINGS: dict[str, Callable] = {
    # binomial's kernel writes a tensor shaped as count, resized to the broadcast shape (warned unless it is empty)
    "binomial_0d_count": lambda T: T.binomial(T.tensor(8.0), full(T, 1, value=0.5)),
    "binomial_count_grows": lambda T: T.binomial(full(T, 2, value=3.0), full(T, 2, 1)),
    "binomial_count_column": lambda T: T.binomial(full(T, 2, 1), full(T, 2)),
    "binomial_empty_count": lambda T: T.binomial(full(T, 0), full(T, 2, 1)),
    "binomial_same_shape": lambda T: T.binomial(full(T, 2), full(T, 2)),
    "binomial_half_warns_then_refuses": lambda T: T.binomial(T.tensor(9.0, dtype=T.float16),
                                                             full(T, 1, dtype="float16")),
    "binomial_dtype_mismatch_first": lambda T: T.binomial(T.tensor(9.0), full(T, 1, dtype="float64")),
    "binomial_shapes_first": lambda T: T.binomial(full(T, 3), full(T, 2)),
}


@pytest.mark.parametrize("name", sorted(RESIZED_OUTPUT_WARNINGS))
def test_resized_output_warnings(name: str) -> None:
    assert_same_warnings(quietly(RESIZED_OUTPUT_WARNINGS[name]))
    check(lambda T: RESIZED_OUTPUT_WARNINGS[name](T).shape, [], grad=False)


BOOL_PRODUCTS: dict[str, Callable] = {
    # bmm's kernel refuses input's dtype (Bool) before it compares mat2's
    "bmm_bool_with_uint8": lambda T: T.bmm(full(T, 2, 2, 2, dtype="bool"), full(T, 2, 2, 2, dtype="uint8")),
    "bmm_uint8_with_bool": lambda T: T.bmm(full(T, 2, 2, 2, dtype="uint8"), full(T, 2, 2, 2, dtype="bool")),
    "bmm_bool_empty_inner": lambda T: T.bmm(full(T, 2, 2, 0, dtype="bool"), full(T, 2, 0, 2, dtype="uint8")),
    "bmm_bool_both_empty_inner": lambda T: T.bmm(full(T, 2, 2, 0, dtype="bool"), full(T, 2, 0, 2, dtype="bool")),
    "matmul_bool_matrix_with_uint8_batch": lambda T: T.matmul(full(T, 2, 2, dtype="bool"),
                                                              full(T, 3, 2, 2, dtype="uint8")),
    "matmul_bool_batch_with_uint8_matrix": lambda T: T.matmul(full(T, 3, 2, 2, dtype="bool"),
                                                              full(T, 2, 2, dtype="uint8")),
}


@pytest.mark.parametrize("name", sorted(BOOL_PRODUCTS))
def test_bool_products(name: str) -> None:
    check(BOOL_PRODUCTS[name], [], grad=False)


FFT_SIZES: dict[str, Callable] = {
    # a 1-d transform's n=-1 is a size (refused before the norm mode); the n-d transforms' s=-1 is the input's size
    "ifft_n_before_norm": lambda T: T.fft.ifft(full(T, 3, 3, 1, dtype="int64"), n=-1, norm="valid"),
    "fft_n_minus_one": lambda T: T.fft.fft(full(T, 3), n=-1),
    "rfft_n_minus_one": lambda T: T.fft.rfft(full(T, 3), n=-1),
    "irfft_n_minus_one": lambda T: T.fft.irfft(full(T, 3), n=-1),
    "hfft_n_minus_one": lambda T: T.fft.hfft(full(T, 3), n=-1),
    "ihfft_n_minus_one": lambda T: T.fft.ihfft(full(T, 3), n=-1),
    "irfft_n_zero": lambda T: T.fft.irfft(full(T, 3), n=0),
    "fftn_s_minus_one": lambda T: T.fft.fftn(full(T, 3), s=[-1]),
    "fft2_s_minus_one": lambda T: T.fft.fft2(full(T, 3, 3), s=[-1, 2]),
    "irfftn_s_minus_one": lambda T: T.fft.irfftn(full(T, 3, 3), s=[-1, -1]),
    "hfft2_s_minus_one": lambda T: T.fft.hfft2(full(T, 3, 3), s=[2, -1]),
}


@pytest.mark.parametrize("name", sorted(FFT_SIZES))
def test_fft_sizes(name: str) -> None:
    check(FFT_SIZES[name], [], grad=False)


def index(T: Any, *values: Any, dtype: str = "int64") -> Any:
    return T.tensor(list(values), dtype=getattr(T, dtype))


EMPTY_DIM_INDICES: dict[str, Callable] = {
    # torch's AdvancedIndex refuses an index into an empty dim (once the indices select anything), before the
    # values' shape and dtype and before each index's bounds
    "index_put_huge_indices": lambda T: T.index_put(full(T, 0, 1, 3, dtype="int8"), [index(T, 2, HUGE)],
                                                    T.tensor(-128, dtype=T.int8)),
    "index_put_inplace_before_value_shape": lambda T: full(T, 0, 0, 1, dtype="uint8").index_put_(
        [index(T, -1, -4)], full(T, 0, 0, 1, dtype="uint8")),
    "index_put_inplace_int32_index": lambda T: full(T, 0, dtype="int8").index_put_(
        [index(T, -2 ** 31, dtype="int32")], T.tensor(-9, dtype=T.int8)),
    "second_dim_empty": lambda T: full(T, 2, 0).index_put_([index(T, 0), index(T, 0)], T.tensor(1.0)),
    "before_value_dtype": lambda T: full(T, 0, 3).index_put_([index(T, 0), index(T, 1)],
                                                             T.tensor(1.0, dtype=T.float64)),
    "after_mask_on_first_dim": lambda T: full(T, 2, 0).index_put_([index(T, True, False, dtype="bool"), index(T, 0)],
                                                                  T.tensor(1.0)),
    "indices_broadcast_to_nothing": lambda T: full(T, 2, 0).index_put_([index(T, 5), full(T, 0, dtype="int64")],
                                                                       T.tensor(1.0)),
    "empty_mask": lambda T: full(T, 0, 2).index_put_([full(T, 0, dtype="bool")], T.tensor(1.0)),
    "indices_shapes_first": lambda T: full(T, 2, 0).index_put_([index(T, 0, 1), index(T, 0, 0, 0)], T.tensor(1.0)),
    "nonempty_dim_bounds": lambda T: full(T, 3).index_put_([index(T, 5)], T.tensor(1.0)),
}


@pytest.mark.parametrize("name", sorted(EMPTY_DIM_INDICES))
def test_empty_dim_indices(name: str) -> None:
    check(EMPTY_DIM_INDICES[name], [], grad=False)


CUMULATIVE_TRAPEZOID_0D: dict[str, Callable] = {
    # torch compares a 1-d x with y's size (a 0-d y refuses that read) before it slices y
    "one_d_x_reads_y_size": lambda T: T.cumulative_trapezoid(T.tensor(4, dtype=T.uint8), full(T, 2, dtype="int8")),
    "one_d_x_dim_zero": lambda T: T.cumulative_trapezoid(T.tensor(4.0), full(T, 1), dim=0),
    "zero_d_x_slices_y": lambda T: T.cumulative_trapezoid(T.tensor(4.0), T.tensor(1.0)),
    "two_d_x_slices_y": lambda T: T.cumulative_trapezoid(T.tensor(4.0), full(T, 2, 2)),
    "bool_first": lambda T: T.cumulative_trapezoid(T.tensor(4.0), full(T, 1, dtype="bool"), dim=0),
    "sizes_differ": lambda T: T.cumulative_trapezoid(full(T, 3), full(T, 2)),
}


@pytest.mark.parametrize("name", sorted(CUMULATIVE_TRAPEZOID_0D))
def test_cumulative_trapezoid_0d(name: str) -> None:
    check(CUMULATIVE_TRAPEZOID_0D[name], [], grad=False)
