"""GELU, float32 and bfloat16, bit for bit with torch's CPU kernels, NaN bits included (issue #10). Classes fixed,
each with cases below that would have caught it:

- a contiguous float32 or bfloat16 input of more than one element (``approximate="none"``) is oneDNN's
  ``eltwise_gelu_erf``: erf as a piecewise minimax polynomial in ``|x|``, bfloat16 rounded by ``vcvtneps2bf16``
  (subnormal results flushed to zero); minitorch computed erf in double (about half of float32's results an ulp
  off; bfloat16's GELU a strict xfail);
- any other input is ATen's GeluKernelImpl: for float32 too its vectorized body's Abramowitz-Stegun erf with SLEEF's
  exp, the rest its scalar lambda's; bfloat16's vectorized NaN 0xFFFF and scalar 0x7FC0;
- the scalar lambda's tanh is the C library's (not saturated past 8.66 as SLEEF's), and the reduced floats'
  vectorized tanh GELU of a NaN is all ones.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch

import minitorch
from harness import normal_arrays

# special values at the front: infinities, NaNs with either sign, zeros, subnormals, past oneDNN's erf bound
SPECIALS = np.array([np.inf, -np.inf, np.nan, -np.nan, 0.0, -0.0, 1e-40, -3e-39, 2.4e-38, 6.0, -6.0, 1e3],
                    np.float32)
# the layouts the kernels tell apart: contiguous (oneDNN for float32/bfloat16), rows of 33 (vectorized blocks and a
# scalar tail), strided rows (the scalar lambda), a transposed input (iterated in memory order), one element
LAYOUTS = {
    "contiguous": lambda t: t,
    "rows_of_33": lambda t: t.reshape(40, 50)[:, :33],
    "strided": lambda t: t.reshape(40, 50)[:, ::2],
    "transposed": lambda t: t.reshape(40, 50).t(),
    "one_element": lambda t: t[6:7],
}


def _bits(t: Any) -> np.ndarray:
    integer = {2: "int16", 4: "int32"}[t.element_size()]
    module = torch if isinstance(t, torch.Tensor) else minitorch
    return np.asarray(t.contiguous().view(getattr(module, integer)).tolist()).ravel()


def _gelu_bits(T: Any, x: np.ndarray, dtype: str, layout: str, approximate: str) -> np.ndarray:
    t = LAYOUTS[layout](T.tensor(x).to(getattr(T, dtype)))
    return _bits(T.nn.functional.gelu(t, approximate=approximate))


@pytest.mark.parametrize("approximate", ("none", "tanh"))
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("dtype", ("bfloat16", "float16", "float32"))
def test_gelu_bit_for_bit(dtype: str, layout: str, approximate: str) -> None:
    if dtype == "float32" and approximate == "tanh" and layout != "one_element":
        pytest.xfail("float32 tanh GELU's vectorized body: SLEEF's tanhf_u10 (double-float arithmetic) is not "
                     "reproduced: 0.5% of the results an ulp off")
    if dtype == "float32" and approximate == "none" and layout in ("rows_of_33", "strided", "transposed"):
        pytest.xfail("float32 GELU's scalar lambda: glibc's erff is not reproduced (erf in double rounded): 0.1% "
                     "of the results an ulp off")
    x = np.concatenate([SPECIALS, normal_arrays(5, "float32", (2000 - len(SPECIALS),))[0] * 3])
    expected = _gelu_bits(torch, x, dtype, layout, approximate)
    got = _gelu_bits(minitorch, x, dtype, layout, approximate)
    differ = np.nonzero(expected != got)[0]
    assert not differ.size, "%d differ: at %s torch %s, minitorch %s" % (
        differ.size, differ[:4], expected[differ[:4]], got[differ[:4]])


# kernels computing bfloat16 in float32, rounded by torch's loop: a NaN is 0xFFFF where the vectorized body converts
# it, 0x7FC0 where the scalar lambda does (blocks of 32 elements, 64 for the AVX512 builds: silu, elu, softplus,
# hardswish, mish); hardtanh, relu6 and round work in the dtype itself (a NaN keeps its bits); log_sigmoid's loop of
# its own converts every element vectorized
NAN_KERNELS = {
    "leaky_relu": lambda T, x: T.nn.functional.leaky_relu(x, 0.1),
    "hardsigmoid": lambda T, x: T.nn.functional.hardsigmoid(x),
    "silu": lambda T, x: T.nn.functional.silu(x),
    "elu": lambda T, x: T.nn.functional.elu(x),
    "selu": lambda T, x: T.nn.functional.selu(x),
    "celu": lambda T, x: T.nn.functional.celu(x),
    "softplus": lambda T, x: T.nn.functional.softplus(x),
    "hardswish": lambda T, x: T.nn.functional.hardswish(x),
    "mish": lambda T, x: T.nn.functional.mish(x),
    "hardtanh": lambda T, x: T.nn.functional.hardtanh(x),
    "relu6": lambda T, x: T.nn.functional.relu6(x),
    "logsigmoid": lambda T, x: T.nn.functional.logsigmoid(x),
    "softshrink": lambda T, x: T.nn.functional.softshrink(x),
    "prelu": lambda T, x: T.nn.functional.prelu(x, T.tensor([0.25]).to(x.dtype)),
    "frac": lambda T, x: x.frac(),
    "round": lambda T, x: x.round(),
    "lerp": lambda T, x: T.lerp(x, x.flip(0), 0.3),
    "addcmul": lambda T, x: T.addcmul(x, x, x.flip(0), value=0.5),
    "addcdiv": lambda T, x: T.addcdiv(x, x, x.flip(0), value=0.5),
}
# NaNs before, inside and after the blocks of 32 and 64 elements of a row of 100 (96 vectorized with blocks of 32,
# 64 with blocks of 64), either sign
NAN_AT, NEGATIVE_NAN_AT = [1, 40, 66, 75, 80, 99], [70]


def _nan_bits(T: Any, name: str, dtype: str, strided: bool) -> np.ndarray:
    x = np.linspace(-3, 3, 100).astype(np.float32)
    x[NAN_AT], x[NEGATIVE_NAN_AT] = np.nan, -np.nan
    t = T.tensor(x).to(getattr(T, dtype))
    return _bits(NAN_KERNELS[name](T, T.stack([t, t], 1)[:, 0] if strided else t))


@pytest.mark.parametrize("strided", (False, True), ids=("contiguous", "strided"))
@pytest.mark.parametrize("name", NAN_KERNELS)
def test_bfloat16_nan_bits(name: str, strided: bool) -> None:
    expected = _nan_bits(torch, name, "bfloat16", strided)
    got = _nan_bits(minitorch, name, "bfloat16", strided)
    differ = np.nonzero(expected != got)[0]
    assert not differ.size, "at %s torch %s, minitorch %s" % (differ[:4], expected[differ[:4]], got[differ[:4]])


@pytest.mark.parametrize("size", (7, 37, 100, 200))
@pytest.mark.parametrize("dtype", ("float64", "float32", "float16", "bfloat16"))
def test_softshrink_zero_signs(dtype: str, size: int) -> None:
    """Inside the band torch's vectorized body (blocks of 64 bytes) writes +0.0, its scalar lambda x * 0 (-0.0 for
    a negative x)."""
    x = np.full(size, -0.25, np.float32)
    results = [[T.nn.functional.softshrink(T.tensor(x).to(getattr(T, dtype))[::step]).signbit().tolist()
                for step in (1, 2)] for T in (torch, minitorch)]
    assert results[0] == results[1]


# torch's 2-d bilinear kernel for small outputs (height + width <= 128: cpu_upsample_linear): the lambdas unrounded
# in float32, the four corners' products summed in fused multiply-adds; minitorch ran the generic kernel's
# separable sums with the weights stored in float16 (an ulp off in 11% to 17% of the OpInfo samples' elements)
BILINEAR_CALLS = {
    "up": ((2, 3, 4, 4), dict(scale_factor=1.7)),
    "down_align_corners": ((2, 3, 4, 5), dict(size=(3, 4), align_corners=True)),
    "mixed": ((1, 2, 10, 13), dict(size=(17, 9))),
}


@pytest.mark.parametrize("dtype", ("float16", "bfloat16"))
@pytest.mark.parametrize("name", BILINEAR_CALLS)
def test_small_bilinear_2d_bit_for_bit(name: str, dtype: str) -> None:
    shape, kwargs = BILINEAR_CALLS[name]
    x = normal_arrays(9, "float32", shape)[0] * 3
    expected, got = (_bits(T.nn.functional.interpolate(T.tensor(x).to(getattr(T, dtype)), mode="bilinear", **kwargs))
                     for T in (torch, minitorch))
    differ = np.nonzero(expected != got)[0]
    assert not differ.size, "%d of %d differ" % (differ.size, expected.size)
