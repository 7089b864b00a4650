"""Limited dtypes, bit patterns and the order of torch's checks (issue 10, session 13), one table per class of fix,
each case run under torch and minitorch:

- bfloat16 NaN bits: torch rounds a float32 NaN to bfloat16 as 0xFFFF in its loops' vectorized body
  (cvtfp32_bf16) and as 0x7FC0 in their scalar lambda and in c10's conversion (round_to_nearest_even), whatever
  the NaN's sign and payload; which lanes are which follows the loop (``cpu_loops``): a binary op's blocks of 32
  with a scalar tail, a unary op's vectorized tail, the copy kernel's contiguous float32 rows, float64's blocks
  of 16. Compared bit for bit through ``view(int16)``, and through signbit/copysign.
"""
from __future__ import annotations

from typing import Any, Callable

import pytest
import torch

import minitorch
from harness import check


def _bits(t: Any) -> Any:
    """A bfloat16 result's bits (any layout), as int16."""
    return t.contiguous().view(t.new_empty(0, dtype=_lib(t).int16).dtype)


def _lib(t: Any) -> Any:
    return torch if isinstance(t, torch.Tensor) else minitorch


def _nans(T: Any, n: int, bits: int = 0x7FC0, dtype: str = "bfloat16") -> Any:
    """``n`` bfloat16 NaNs of the given bits (0xFFFF: the vectorized conversion's)."""
    return T.full((n,), bits - 0x10000 if bits > 0x7FFF else bits, dtype=T.int16).view(getattr(T, dtype))


def _of(T: Any, n: int, value: float) -> Any:
    return T.full((n,), value, dtype=T.bfloat16)


# op name -> fn(T, n): a bfloat16 result with NaNs, n elements (0 for a 0-d operand)
NAN_BITS: dict[str, Callable] = {
    "add_number": lambda T, n: _nans(T, n) + 1,
    "add_tensor": lambda T, n: _nans(T, n) + _of(T, n, 1.0),
    "sub_infinities": lambda T, n: _of(T, n, float("inf")) - _of(T, n, float("inf")),
    "mul_zero_inf": lambda T, n: _of(T, n, 0.0) * _of(T, n, float("inf")),
    "div_zeros": lambda T, n: _of(T, n, 0.0) / 0,
    "maximum": lambda T, n: T.maximum(_nans(T, n, 0xFFFF), _of(T, n, 0.0)),
    "add_rows": lambda T, n: _nans(T, 3 * n).reshape(n, 3).t() + 1,  # (the loop runs over memory order)
    "add_broadcast": lambda T, n: _nans(T, 3).reshape(3, 1) + _of(T, n, 1.0),
    "add_inplace": lambda T, n: _nans(T, n).add_(1),
    "sqrt": lambda T, n: _of(T, n, -1.0).sqrt(),
    "log": lambda T, n: _of(T, n, -1.0).log(),
    "exp": lambda T, n: _nans(T, n).exp(),
    "sin_inf": lambda T, n: _of(T, n, float("inf")).sin(),
    "tanh": lambda T, n: _nans(T, n).tanh(),
    "sigmoid": lambda T, n: _nans(T, n, 0xFFFF).sigmoid(),
    "reciprocal": lambda T, n: _nans(T, n, 0xFFFF).reciprocal(),
    "neg": lambda T, n: -_nans(T, n, 0xFFFF),
    "abs": lambda T, n: _nans(T, n, 0xFFFF).abs(),
    "copysign": lambda T, n: T.copysign(_nans(T, n, 0xFFFF), T.tensor(1.0, dtype=T.bfloat16)),
    "atan2": lambda T, n: T.atan2(_nans(T, n, 0xFFFF), _of(T, n, 1.0)),
    "hypot": lambda T, n: T.hypot(_nans(T, n, 0xFFFF), _of(T, n, 1.0)),
    "logaddexp": lambda T, n: T.logaddexp(_nans(T, n, 0xFFFF), _of(T, n, 1.0)),
    "fmax": lambda T, n: T.fmax(_nans(T, n, 0xFFFF), _nans(T, n, 0xFFFF)),
    "sum": lambda T, n: _nans(T, n, 0xFFFF).reshape(-1, 1).sum(1),
    "mm": lambda T, n: _nans(T, n, 0xFFFF).reshape(-1, 1) @ T.ones(1, 1, dtype=T.bfloat16),
    "to_from_float32": lambda T, n: T.full((n,), float("nan")).to(T.bfloat16),
    "to_from_float32_payloads": lambda T, n: _nans(T, n, 0xFF81, "float16").float().neg().to(T.bfloat16),
    "to_from_float32_rows": lambda T, n: T.full((3, n + 2), float("nan"))[:, :2].to(T.bfloat16),
    "to_from_float32_strided": lambda T, n: T.full((2 * n,), float("nan"))[::2].to(T.bfloat16),
    "to_from_float32_expanded": lambda T, n: T.tensor(float("nan")).expand(n).to(T.bfloat16),
    "to_from_float64": lambda T, n: T.full((n,), float("nan"), dtype=T.float64).to(T.bfloat16),
    "to_from_float16": lambda T, n: _nans(T, n, 0xFE00, "float16").to(T.bfloat16),
    "copy_": lambda T, n: T.zeros(n, dtype=T.bfloat16).copy_(T.full((n,), float("nan"))),
    "copy_strided": lambda T, n: T.zeros(2 * n, dtype=T.bfloat16)[::2].copy_(T.full((n,), float("nan"))),
}


def _sized(fn: Callable, n: int) -> Callable:
    """``fn``'s result for ``n`` elements (0: a 0-d operand) as its bits."""
    def bits(T: Any) -> Any:
        result = fn(T, max(n, 1))
        return _bits(result.reshape(()) if n == 0 and result.numel() == 1 else result)
    return bits


@pytest.mark.parametrize("n", [0, 3, 40, 100])
@pytest.mark.parametrize("name", sorted(NAN_BITS))
def test_bfloat16_nan_bits(name: str, n: int) -> None:
    check(_sized(NAN_BITS[name], n), [], grad=False)


@pytest.mark.parametrize("op", ["signbit", "isnan"])
def test_bfloat16_nan_sign_through_conversion(op: str) -> None:
    """The OpInfo reference inputs' NaNs (made in float32, converted): signbit reads the vectorized 0xFFFF's
    sign."""
    check(lambda T: getattr(T, op)(T.tensor([float("nan"), -float("nan"), 1.0]).to(T.bfloat16)), [], grad=False)
