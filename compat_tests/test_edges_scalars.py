"""A Python number written into a tensor goes through c10's checked conversion (issue 10): a value the dtype
cannot hold raises torch's ``value cannot be converted to type ... without overflow``, a negative int down to
``-max`` wraps into uint8, and an int beyond int64/uint64 is refused by the parser, in every op that writes one."""
from __future__ import annotations

from typing import Any, Callable

import pytest

from harness import check


def u8(T: Any) -> Any:
    return T.tensor([1, 2, 3], dtype=T.uint8)


def mask(T: Any) -> Any:
    return T.tensor([True, False, True])


def setitem(key: Any, value: Any, dtype: str = "int64") -> Callable:
    def write(T: Any) -> Any:
        x = T.tensor([1, 2, 3], dtype=getattr(T, dtype))
        x[key] = value
        return x
    return write


NAN, INF = float("nan"), float("inf")
CASES: dict[str, Callable] = {
    # fill_: integer targets (uint8 wraps a negative int down to -255), float targets, bool takes anything
    "fill_uint8_300": lambda T: u8(T).fill_(300),
    "fill_uint8_minus1": lambda T: u8(T).fill_(-1),
    "fill_uint8_minus255": lambda T: u8(T).fill_(-255),
    "fill_uint8_minus256": lambda T: u8(T).fill_(-256),
    "fill_uint8_minus_half": lambda T: u8(T).fill_(-0.5),
    "fill_uint8_255_5": lambda T: u8(T).fill_(255.5),
    "fill_int8_float_low": lambda T: T.zeros(2, dtype=T.int8).fill_(-128.9),
    "fill_int32_nan": lambda T: T.zeros(2, dtype=T.int32).fill_(NAN),
    "fill_int32_1e30": lambda T: T.zeros(2, dtype=T.int32).fill_(1e30),
    "fill_int32_2_40": lambda T: T.zeros(2, dtype=T.int32).fill_(2 ** 40),
    "fill_int32_truncates": lambda T: T.zeros(2, dtype=T.int32).fill_(-2.7),
    "fill_int64_max": lambda T: T.zeros(2, dtype=T.int64).fill_(2 ** 63 - 1),
    "fill_int64_min": lambda T: T.zeros(2, dtype=T.int64).fill_(-2 ** 63),
    "fill_int64_2_63": lambda T: T.zeros(2, dtype=T.int64).fill_(2 ** 63),
    "fill_int64_2_70": lambda T: T.zeros(2, dtype=T.int64).fill_(2 ** 70),
    "fill_int64_9_3e18": lambda T: T.zeros(2, dtype=T.int64).fill_(9.3e18),
    "fill_float_2_63": lambda T: T.zeros(2).fill_(2 ** 63),
    "fill_float_2_64": lambda T: T.zeros(2).fill_(2 ** 64),
    "fill_float_1e300": lambda T: T.zeros(2).fill_(1e300),
    "fill_float_inf_nan": lambda T: T.stack([T.zeros(2).fill_(INF), T.zeros(2).fill_(NAN)]),
    "fill_half_65504_5": lambda T: T.zeros(2, dtype=T.float16).fill_(65504.5),
    "fill_half_int_70000": lambda T: T.zeros(2, dtype=T.float16).fill_(70000),
    "fill_bool_anything": lambda T: T.stack([T.zeros(2, dtype=T.bool).fill_(v) for v in (5, -5, NAN, 0.0)]),
    "fill_0d_tensor_casts": lambda T: T.zeros(2, dtype=T.int8).fill_(T.tensor(300)),
    # masked_fill (a 0-d tensor value is read as a Scalar), full, full_like, new_full
    "masked_fill_int_nan": lambda T: T.tensor([1, 2, 3]).masked_fill(mask(T), NAN),
    "masked_fill_int16_70000": lambda T: T.zeros(3, dtype=T.int16).masked_fill_(mask(T), 70000),
    "masked_fill_tensor_300": lambda T: T.zeros(3, dtype=T.int8).masked_fill(mask(T), T.tensor(300)),
    "masked_fill_uint8_truncates": lambda T: u8(T).masked_fill(mask(T), 2.7),
    "full_like_int32_1e30": lambda T: T.full_like(T.zeros(2, dtype=T.int32), 1e30),
    "full_uint8_300": lambda T: T.full((2,), 300, dtype=T.uint8),
    "full_uint8_minus1": lambda T: T.full((2,), -1, dtype=T.uint8),
    "full_int64_inf": lambda T: T.full((2,), INF, dtype=T.int64),
    "full_float_1e300": lambda T: T.full((2,), 1e300),
    "full_2_63": lambda T: T.full((2,), 2 ** 63),
    "full_2_70": lambda T: T.full((2,), 2 ** 70, dtype=T.float64),
    "new_full_uint8_300": lambda T: u8(T).new_full((2,), 300),
    "new_full_float_1e300": lambda T: T.zeros(2).new_full((2,), 1e300),
    "new_full_dtype": lambda T: T.zeros(2).new_full((2, 1), 3, dtype=T.int8),
    # clamp's number bounds, where's number operand
    "clamp_uint8_300": lambda T: u8(T).clamp(0, 300),
    "clamp_uint8_minus300": lambda T: u8(T).clamp(min=-300),
    "clamp_uint8_minus1": lambda T: u8(T).clamp(-1, 2),
    "clamp_half_1e6": lambda T: T.ones(2, dtype=T.float16).clamp(max=1e6),
    "clamp_uint8_float_promotes": lambda T: u8(T).clamp(min=1.5),
    "clamp_uint8_tensor_bound_wraps": lambda T: u8(T).clamp(min=T.tensor(300)),
    "where_uint8_300": lambda T: T.where(mask(T), u8(T), 300),
    "where_300_uint8": lambda T: T.where(mask(T), 300, u8(T)),
    "where_uint8_minus1": lambda T: T.where(mask(T), u8(T), -1),
    "where_numbers_2_70": lambda T: T.where(mask(T), 2 ** 70, 2.5),
    # index_fill, scatter's value, setitem
    "index_fill_uint8_300": lambda T: u8(T).index_fill(0, T.tensor([0]), 300),
    "index_fill_uint8_minus1": lambda T: u8(T).index_fill(0, T.tensor([0]), -1),
    "index_fill_tensor_300": lambda T: T.zeros(2, dtype=T.int8).index_fill(0, T.tensor([0]), T.tensor(300)),
    "scatter_uint8_300": lambda T: u8(T).scatter(0, T.tensor([0]), 300),
    "scatter_uint8_minus1": lambda T: u8(T).scatter(0, T.tensor([0]), -1),
    "scatter_reduce_uint8_300": lambda T: u8(T).scatter(0, T.tensor([0]), 300, reduce="add"),
    "setitem_uint8_minus1": setitem(0, -1, "uint8"),
    "setitem_uint8_300": setitem(0, 300, "uint8"),
    "setitem_int_nan": setitem(0, NAN),
    "setitem_int8_advanced_200": setitem([0, 1], 200, "int8"),
    # binary ops wrap a Python int into the tensor's dtype, but the parser refuses one beyond uint64
    "add_float_2_70": lambda T: T.zeros(2) + 2 ** 70,
    "mul_float_2_70": lambda T: T.zeros(2) * 2 ** 70,
    "lt_float_2_70": lambda T: T.zeros(2) < 2 ** 70,
    "add_float_2_63": lambda T: T.zeros(2) + 2 ** 63,
    "add_int_2_63_wraps": lambda T: T.tensor([1, 2]) + 2 ** 63,
    "add_alpha_2_70": lambda T: T.zeros(2).add(1, alpha=2 ** 70),
    "add_uint8_minus1": lambda T: u8(T) + (-1),
    "mul_uint8_300": lambda T: u8(T) * 300,
    "sub_int_alpha_float": lambda T: T.tensor([1, 2]).sub_(T.tensor([1, 1]), alpha=1.5),
    "add_alpha_bool": lambda T: T.zeros(2).add(T.ones(2), alpha=True),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_scalar_written_as_torch(name: str) -> None:
    check(lambda T: CASES[name](T), [], grad=False)


SETITEM_CASES: dict[str, Callable] = {
    # setitem reads an int as a C long long, and casts a number into float16 without c10's check
    "setitem_half_slice_1e6": setitem(slice(1, None), 1e6, "float16"),
    "setitem_half_advanced_70000": setitem([0], 70000, "float16"),
    "setitem_half_minus_2_63": setitem(0, -2 ** 63, "float16"),
    "setitem_float_2_63": setitem(0, 2 ** 63, "float32"),
    "setitem_int32_advanced_2_63": setitem([0], 2 ** 63, "int32"),
    "setitem_float_1e300": setitem(0, 1e300, "float32"),
    "setitem_int32_slice_minus_2_40": setitem(slice(1, None), -2 ** 40, "int32"),
    "setitem_float_bool": setitem(0, True, "float32"),
}


@pytest.mark.parametrize("name", sorted(SETITEM_CASES))
def test_setitem_number_as_torch(name: str) -> None:
    check(lambda T: SETITEM_CASES[name](T), [], grad=False)
