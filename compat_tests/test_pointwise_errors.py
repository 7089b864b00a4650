"""Bad input to pointwise ops raises torch's exception type and message (harness.check_error)."""
from __future__ import annotations

from typing import Any

import pytest

from harness import check, check_error


def f32(T: Any, *, grad: bool = False) -> Any:
    return T.tensor([1.5, -2.0, 0.5], requires_grad=grad)


def f64(T: Any) -> Any:
    return T.tensor([1.5, -2.0, 0.5], dtype=T.float64)


def i64(T: Any) -> Any:
    return T.tensor([3, -2, 0])


def b8(T: Any) -> Any:
    return T.tensor([True, False, True])


def nonleaf(T: Any) -> Any:
    return f32(T, grad=True) * 1


ERRORS = {
    # ---- dtypes a kernel does not take
    "bitwise_and_float": lambda T: T.bitwise_and(f32(T), f64(T)),
    "bitwise_or_float_scalar": lambda T: i64(T) | 1.5,
    "bitwise_xor_float_method": lambda T: f32(T).bitwise_xor(i64(T)),
    "bitwise_and_inplace_float": lambda T: f32(T).bitwise_and_(1),
    "bitwise_not_float": lambda T: T.bitwise_not(f64(T)),
    "invert_float": lambda T: ~f32(T),
    "rand_float_number": lambda T: 2.5 & i64(T),
    "lshift_float": lambda T: f32(T) << 1,
    "rshift_float_scalar": lambda T: T.bitwise_right_shift(i64(T), 1.5),
    "lshift_bools": lambda T: b8(T) << True,
    "rlshift_bools": lambda T: T.bitwise_left_shift(True, b8(T)),
    "ilshift_bool_result": lambda T: b8(T).__ilshift__(1),
    "floor_bool": lambda T: T.floor(b8(T)),
    "ceil_bool_inplace": lambda T: b8(T).ceil_(),
    "round_bool": lambda T: b8(T).round(),
    "round_decimals_int": lambda T: T.round(i64(T), decimals=2),
    "round_decimals_zero_int": lambda T: i64(T).round(decimals=0),
    "fix_bool": lambda T: T.fix(b8(T)),
    "frac_int": lambda T: T.frac(i64(T)),
    "frac_bool_inplace": lambda T: b8(T).frac_(),
    "abs_bool": lambda T: T.abs(b8(T)),
    "relu_bool": lambda T: T.relu(b8(T)),
    "remainder_bools": lambda T: T.remainder(b8(T), b8(T)),
    "fmod_bool_scalar": lambda T: b8(T).fmod(True),
    "floor_divide_bools": lambda T: b8(T) // b8(T),
    "div_floor_bools": lambda T: T.div(b8(T), b8(T), rounding_mode="floor"),
    "div_trunc_bools": lambda T: b8(T).div(b8(T), rounding_mode="trunc"),
    "hypot_ints": lambda T: T.hypot(i64(T), i64(T).int()),
    "logaddexp_bools": lambda T: T.logaddexp(b8(T), b8(T)),
    "logaddexp2_int": lambda T: i64(T).logaddexp2(i64(T)),
    "addcmul_bools": lambda T: T.addcmul(b8(T), b8(T), b8(T)),
    "addcdiv_integers": lambda T: T.addcdiv(f32(T), i64(T), b8(T)),
    "lerp_ints": lambda T: T.lerp(i64(T), i64(T), 0.5),
    "lerp_ints_tensor_weight": lambda T: i64(T).lerp(i64(T), i64(T)),
    "lerp_end_dtype": lambda T: T.lerp(f32(T), f64(T), 0.5),
    "lerp_end_long": lambda T: T.lerp(f32(T), i64(T), 0.5),
    "lerp_weight_dtype": lambda T: T.lerp(f32(T), f32(T), f64(T)),
    "clamp_bool_numbers": lambda T: T.clamp(b8(T), False, True),
    "clamp_min_bool_number": lambda T: b8(T).clamp(min=True),
    "clamp_max_bool_number": lambda T: T.clamp_max(b8(T), False),
    "clamp_bool_tensors": lambda T: T.clamp(b8(T), b8(T), b8(T)),
    "isclose_dtypes": lambda T: T.isclose(f32(T), i64(T)),
    "allclose_dtypes": lambda T: f32(T).allclose(f64(T)),
    # ---- integer division by zero
    "int_floor_divide_zero": lambda T: i64(T) // 0,
    "int_remainder_zero": lambda T: T.remainder(i64(T), i64(T)),
    "int_rmod_zero": lambda T: 7 % i64(T),
    "int_fmod_zero": lambda T: T.fmod(i64(T), 0),
    "int_div_trunc_zero": lambda T: T.div(i64(T), i64(T), rounding_mode="trunc"),
    "bool_divisor_zero": lambda T: T.remainder(2, b8(T)),
    # ---- arguments
    "div_rounding_mode": lambda T: T.div(f32(T), 2, rounding_mode="round"),
    "atan2_number": lambda T: T.atan2(f32(T), 2),
    "atan2_number_method": lambda T: f32(T).atan2(2.5),
    "arctan2_number_input": lambda T: T.arctan2(2, f32(T)),
    "hypot_number_inplace": lambda T: f32(T).hypot_(2),
    "fmax_number": lambda T: T.fmax(f32(T), 1.0),
    "fmin_number_method": lambda T: f32(T).fmin(True),
    "logical_and_number": lambda T: T.logical_and(f32(T), 2),
    "logical_or_number_method": lambda T: b8(T).logical_or(True),
    "logical_xor_number_inplace": lambda T: b8(T).logical_xor_(1),
    "maximum_number_method": lambda T: f32(T).maximum(0),
    "equal_number": lambda T: T.equal(f32(T), 1),
    "equal_number_method": lambda T: f32(T).equal(1.5),
    "isclose_number": lambda T: T.isclose(f32(T), 1.0),
    "isclose_rtol": lambda T: T.isclose(f32(T), f32(T), rtol=-0.5),
    "isclose_atol": lambda T: f32(T).isclose(f32(T), atol=-1e-05),
    "clamp_no_bounds": lambda T: T.clamp(f32(T)),
    "clamp_no_bounds_method": lambda T: f32(T).clip(),
    "clamp_mixed": lambda T: T.clamp(f32(T), 0, f32(T)),
    "clip_mixed": lambda T: T.clip(f32(T), f32(T), 1.5),
    "clamp_mixed_method": lambda T: f32(T).clamp(0, f32(T)),
    "clamp_mixed_grad_0d": lambda T: T.clamp(f32(T), -1, f32(T, grad=True).sum()),
    "clamp_string": lambda T: T.clamp(f32(T), "a"),
    "clamp_min_string_method": lambda T: f32(T).clamp_min("a"),
    "clamp_min_number_input": lambda T: T.clamp_min(2, f32(T)),
    "fmod_number_input": lambda T: T.fmod(2, f32(T)),
    "eq_number_input": lambda T: T.eq(2.5, i64(T)),
    "gt_numbers": lambda T: T.gt(2, 3),
    "truediv_string": lambda T: f32(T) / "a",
    "rtruediv_string": lambda T: "a" / f32(T),
    "rfloordiv_list": lambda T: [1] // i64(T),
    "mod_none": lambda T: f32(T) % None,
    "rshift_string": lambda T: i64(T) >> "1",
    "ifloordiv_string": lambda T: _floordiv_in_place(f32(T), "a"),
    # ---- shapes
    "remainder_shapes": lambda T: T.remainder(f32(T), T.ones(2)),
    "atan2_shapes": lambda T: T.atan2(T.ones(2, 3), T.ones(2)),
    "clamp_shapes": lambda T: T.clamp(f32(T), T.zeros(2), T.ones(3)),
    "lerp_shapes": lambda T: T.lerp(f32(T), f32(T), T.ones(2)),
    "addcmul_shapes": lambda T: T.addcmul(f32(T), T.ones(2), f32(T)),
    "addcdiv_shapes": lambda T: f32(T).addcdiv(f32(T), T.ones(4)),
    "isclose_shapes": lambda T: T.isclose(f32(T), T.ones(2)),
    "allclose_shapes": lambda T: T.allclose(f32(T), T.ones(2)),
    "where_shapes": lambda T: T.where(b8(T), f32(T), T.ones(2)),
    "inplace_broadcast": lambda T: T.ones(1).hypot_(f32(T)),
    "inplace_broadcast_lerp": lambda T: T.ones(1).lerp_(f32(T), 0.5),
    "inplace_broadcast_clamp": lambda T: T.ones(1).clamp_(f32(T)),
    "inplace_broadcast_div_mode": lambda T: T.ones(1).div_(f32(T), rounding_mode="floor"),
    # ---- in-place: result dtype, leaves, versions, backward
    "sin_int": lambda T: i64(T).sin_(),
    "erfinv_bool": lambda T: b8(T).erfinv_(),
    "rsqrt_int": lambda T: i64(T).int().rsqrt_(),
    "atan2_int_inplace": lambda T: i64(T).atan2_(f32(T)),
    "xlogy_int_inplace": lambda T: i64(T).xlogy_(2),
    "remainder_int_float_inplace": lambda T: i64(T).remainder_(2.5),
    "div_floor_int_float_inplace": lambda T: i64(T).div_(2.5, rounding_mode="floor"),
    "clamp_int_float_number": lambda T: i64(T).clamp_(0.5),
    "clamp_min_int_float_number": lambda T: i64(T).clamp_min_(0.5),
    "clamp_int_float_tensor": lambda T: i64(T).clamp_(f32(T)),
    "addcmul_int_float": lambda T: i64(T).addcmul_(f32(T), f32(T)),
    "square_bool": lambda T: b8(T).square_(),
    "inplace_cast_before_kernel": lambda T: b8(T).hypot_(i64(T)),
    "inplace_cast_before_kernel_bitwise": lambda T: i64(T).bitwise_and_(f32(T)),
    "inplace_shape_before_cast": lambda T: T.ones(1, dtype=T.long).bitwise_left_shift_(T.ones(3)),
    "inplace_div_mode_cast_before_kernel": lambda T: b8(T).div_(f32(T), rounding_mode="floor"),
    "nan_to_num_leaf": lambda T: f32(T, grad=True).nan_to_num_(),
    "clamp_leaf": lambda T: f32(T, grad=True).clamp_(0, 1),
    "lerp_leaf": lambda T: f32(T, grad=True).lerp_(f32(T), 0.5),
    "floor_divide_leaf": lambda T: f32(T, grad=True).__ifloordiv__(2),
    "round_leaf": lambda T: f32(T, grad=True).round_(decimals=1),
    "erf_leaf_view": lambda T: f32(T, grad=True)[:2].erf_(),
    "floor_divide_backward": lambda T: (nonleaf(T) // 2).sum().backward(),
    "rmod_backward": lambda T: (3 % nonleaf(T)).sum().backward(),
    "asinh_inplace_backward": lambda T: nonleaf(T).asinh_().sum().backward(),
    "atanh_inplace_backward": lambda T: nonleaf(T).mul(0.1).arctanh_().sum().backward(),
    "modified_saved_input": lambda T: _modified_after_use(T, lambda a: a.erf(), lambda a, out: a.clamp_(T.zeros(3))),
    "int_alpha_float": lambda T: i64(T).add_(i64(T), alpha=0.5),
    "int_alpha_one_float": lambda T: T.sub(i64(T), i64(T), alpha=1.0),
    "int_scalar_alpha_float": lambda T: i64(T).add(2, alpha=2.5),
    "float_alpha_bool": lambda T: f32(T).add(i64(T), alpha=True),
    "int_alpha_float_tensor": lambda T: i64(T).sub(i64(T), alpha=T.tensor(2.0)),
    "int_beyond_int64": lambda T: i64(T) + 2 ** 70,
    "modified_saved_result": lambda T: _modified_after_use(T, lambda a: a.exp2(), lambda a, out: out.exp2_()),
    "modified_saved_other": lambda T: _modified_after_use(T, lambda a: T.atan2(f32(T), a),
                                                          lambda a, out: a.lerp_(f32(T), 0.5)),
}


def _floordiv_in_place(x: Any, other: Any) -> Any:
    x //= other
    return x


def _modified_after_use(T: Any, use: Any, modify: Any) -> None:
    """A tensor saved for backward, then written in place: torch's version-counter error."""
    a = nonleaf(T)
    out = use(a)
    modify(a, out)
    out.sum().backward()


@pytest.mark.parametrize("fn", ERRORS.values(), ids=ERRORS.keys())
def test_error(fn: Any) -> None:
    check_error(fn)


def u8(T: Any) -> Any:
    return T.tensor([0, 5, 250], dtype=T.uint8)


# torch casts a Python int operand to the tensor's integer dtype, wrapping (c10's wrapped numbers)
WRAPPING = {
    "uint8_add_negative": lambda T: u8(T) + (-1),
    "uint8_sub_large": lambda T: u8(T) - 300,
    "uint8_mul_large": lambda T: u8(T) * 300,
    "uint8_lt_negative": lambda T: u8(T) < -1,
    "uint8_eq_256": lambda T: u8(T) == 256,
    "int8_add_large": lambda T: T.tensor([1, 2], dtype=T.int8) + 200,
    "int8_gt_large": lambda T: T.tensor([1, 2], dtype=T.int8) > 200,
    "alpha_tensor": lambda T: i64(T).sub(i64(T), alpha=T.tensor(2)),
    "alpha_bool_on_bool": lambda T: b8(T).add(b8(T), alpha=True),
}


@pytest.mark.parametrize("fn", WRAPPING.values(), ids=WRAPPING.keys())
def test_integer_scalar_wraps(fn: Any) -> None:
    check(fn, [])
