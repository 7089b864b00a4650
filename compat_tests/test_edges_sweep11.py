"""Found by deep fuzz sweep 11 and fixed at the end of session 11.

histc's outer edges as torch writes them: converted to the input's dtype with c10's checked conversion (a
float16 edge past 65504, a float32 one past 3.4e38: "value cannot be converted ... without overflow"; minitorch
checked the integral dtypes only and counted nothing), and the first kernel a limited or complex dtype meets: the
data's range (aminmax) only when min == max, else linspace's (the histogram's for complex).

is_nonzero and bool() read an integral item as an int64_t: a uint64 past its range overflows (minitorch said True);
bool() is is_nonzero after the vmap check (one implementation)."""
from __future__ import annotations

import numpy as np
import pytest

from harness import check

DTYPES = ("float16", "bfloat16", "float32", "float64", "int8", "uint8", "uint16", "float8_e5m2", "complex64")
RANGES = ((-70000.0, 1.0), (0.0, 1e39), (-1.0, 1.0), (1.0, 1.0), (0.0, 0.0), (300.0, 400.0))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("low,high", RANGES)
@pytest.mark.parametrize("size", (0, 3))
def test_histc_edges_and_kernels(dtype, low, high, size):
    if dtype == "complex64" and high == 1e39:
        pytest.xfail("torch converts a complex input's edges (overflow) before its histogram kernel refuses complex; "
                     "minitorch's dtype gate refuses first")
    values = np.linspace(-2, 2, size)
    check(lambda T, x: T.histc(x.to(getattr(T, dtype)), 4, low, high), [values], grad=False)


def test_histc_method_with_keywords():
    check(lambda T, x: x.half().histc(4, max=7e4), [np.ones(3)], grad=False)


@pytest.mark.parametrize("value", (0, 1, 2**63 - 1, 2**63, 2**64 - 1))
def test_is_nonzero_and_bool_of_uint64(value):
    check(lambda T: T.tensor(value, dtype=T.uint64).is_nonzero(), [], grad=False)
    check(lambda T: bool(T.tensor([value], dtype=T.uint64)), [], grad=False)


@pytest.mark.parametrize("values", ([], [0.0, 1.0], [-0.0], [float("nan")]))
@pytest.mark.parametrize("dtype", ("complex32", "bfloat16", "float8_e4m3fn", "bool", "float32"))
def test_bool_of_one_value(values, dtype):
    check(lambda T, x: bool(x.to(getattr(T, dtype))), [np.array(values)], grad=False)
