"""Where torch's CPU loop (``minitorch/_ops/cpu_loops.py``) gives an element to its vectorized body or to its scalar
lambda and the two differ, in any floating dtype: the shrink and hardtanh backward kernels select the gradient
with opposite comparisons in the two, so a NaN input gets 0 in the vectorized blocks (8 doubles, 16 floats, 32
16-bit floats) and the gradient in the tail. Compared exactly."""
from __future__ import annotations

from typing import Any, Callable

import ml_dtypes
import numpy as np
import pytest

from harness import check

DTYPES = {"float16": np.float16, "bfloat16": ml_dtypes.bfloat16, "float32": np.float32, "float64": np.float64}
_RNG = np.random.default_rng(8)
# NaNs among values inside and outside the bands, in the vectorized blocks and the tails
_VALUES = np.where(_RNG.random(150) < 0.3, np.nan, _RNG.uniform(-8, 8, 150))

BAND_KERNELS: dict[str, Callable[[Any, Any], Any]] = {
    "softshrink": lambda T, x: T.nn.functional.softshrink(x),
    "hardshrink": lambda T, x: T.nn.functional.hardshrink(x, 1.5),
    "hardtanh": lambda T, x: T.nn.functional.hardtanh(x, -2.0, 3.0),
    "relu6": lambda T, x: T.nn.functional.relu6(x),
}
LAYOUTS: dict[str, Callable[[Any], Any]] = {
    "contiguous_tail": lambda x: x[:70],
    "rows_transposed": lambda x: x[:150].reshape(10, 15).t(),
    "strided": lambda x: x[::3],
}


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("name", BAND_KERNELS)
def test_band_backward_nan_by_lane(name: str, layout: str, dtype: str) -> None:
    check(lambda T, x: BAND_KERNELS[name](T, LAYOUTS[layout](x)), [_VALUES.astype(DTYPES[dtype])], rtol=0, atol=0)


@pytest.mark.parametrize("name", BAND_KERNELS)
def test_band_backward_infinite_gradient_outside_the_band_is_zero(name: str) -> None:
    def fn(T: Any, x: Any) -> Any:
        y = BAND_KERNELS[name](T, x)
        return T.autograd.grad(y, x, T.full_like(y, float("inf")))[0]
    check(fn, [np.linspace(-9, 9, 40)], grad=False, rtol=0, atol=0)


@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
def test_band_backward_reads_its_bounds_in_the_input_dtype(dtype: str) -> None:
    # 0.4999 and 0.9999 round to 0.5 and 1.0 in both: 0.5 is then inside the band
    def fn(T: Any, x: Any) -> Any:
        return [T.nn.functional.softshrink(x, 0.4999), T.nn.functional.hardshrink(x, 0.4999),
                T.nn.functional.hardtanh(x, -0.4999, 0.9999)]
    check(fn, [np.array([0.5, -0.5, 0.99, 1.0, -1.0, 0.25]).astype(DTYPES[dtype])], rtol=0, atol=0)


@pytest.mark.filterwarnings("ignore:Mismatch dtype between input and weight")  # (torch's, from its fused path check)
@pytest.mark.parametrize("weight_dtype", ["float16", "bfloat16", "float32", "float64"])
@pytest.mark.parametrize("dtype", ["float16", "bfloat16", "float32"])
def test_rms_norm_weight_product_in_the_compute_type(dtype: str, weight_dtype: str) -> None:
    # torch's composite multiplies by the weight in float32 (for the reduced floats) before casting back once (a
    # float32 input's mean differs from torch's in the last bit: compared with the default tolerances)
    exact = 0 if dtype != "float32" else None
    check(lambda T, x, w: T.nn.functional.rms_norm(x, (6,), w),
          [_RNG.standard_normal((4, 6)).astype(DTYPES[dtype]), _RNG.uniform(-2, 2, 6).astype(DTYPES[weight_dtype])],
          rtol=exact, atol=exact)
