"""Deep fuzz sweep 15 on the merged main: the failing draws by class (session 16).

Silent values:
- pow of a floating tensor to a Python number, as PowKernel.cpp's pow_tensor_scalar_kernel: sqrt, rsqrt and
  reciprocal's kernels only for the number 0.5, -0.5, -1 as given; then float32/float64 read the exponent as a
  double and bfloat16 as a bfloat16, whose 2, 3 and -2 are products; float32's scalar lambda raises to the double,
  its vectorized body (the 32-element blocks of torch's loop) to the exponent rounded to float. minitorch rounded
  it to float everywhere: ``pow(tensor([-8., 2.]), 1e-300)`` was [1, 1] (torch: [nan, 1]), a short tensor to the
  power 3 + 1e-10 gave -512 for -8 (torch: NaN), and large bases to 0.1 or 1/3 were many ulps off.
"""
from __future__ import annotations

import numpy as np
import pytest
import torch

import minitorch

INF, NAN = float("inf"), float("nan")


def _agree(expected: torch.Tensor, got: minitorch.Tensor, ulps: int = 2) -> None:
    """Same dtype and shape, NaN where NaN, infinities and signs (signed zeros) alike, finite values within
    ``ulps`` (torch's vectorized pow is SLEEF's, not modelled to the last bit)."""
    assert str(expected.dtype) == str(got.dtype).replace("minitorch", "torch")
    e, g = expected.detach().double().numpy(), got.detach().double().numpy()
    assert e.shape == g.shape
    nan = np.isnan(e)
    assert np.array_equal(nan, np.isnan(g)), "torch %s, minitorch %s" % (e, g)
    e, g = e[~nan], g[~nan]
    assert np.array_equal(np.signbit(e), np.signbit(g)) and np.array_equal(np.isinf(e), np.isinf(g)), (e, g)
    finite = np.isfinite(e)
    spacing = np.spacing(np.abs(e[finite]).astype(str(expected.dtype).split(".")[1].replace("bfloat16", "float32")))
    if expected.dtype == torch.bfloat16:
        spacing = spacing * 2 ** 16
    assert np.all(np.abs(e[finite] - g[finite]) <= ulps * spacing), (e, g)


# ---- pow of a tensor to a number --------------------------------------------------------------------------------
_BASES = [-8.0, 2.0, -INF, -0.0, 0.0, INF, NAN, -1.0, 1.0, 0.5, -0.5, 3.0e20, -2.5, 1.0e-20, 7.0, -3.0e-3]
# exponents whose float32 (or bfloat16) reading differs from the double: they round to 0, to an integer, to 0.5
_EXPONENTS = [1e-300, -1e-300, 5e-324, 1e-50, 3.0000000001, 2.0000000001, -2.0000000001, -1.0000000001,
              0.5000000001, -0.5000000001, 0.1, 1 / 3, 0.5, -0.5, -1, 2, 3.0, -2.0, True, 2.5]


def _pow_by(T, values: np.ndarray, dtype: str, exponent, form: str):
    dt = getattr(T, dtype)
    if form == "strided":
        return T.pow(T.tensor(np.repeat(values, 2), dtype=dt)[::2], exponent)
    x = T.tensor(values, dtype=dt)
    if form == "inplace":
        return x.pow_(exponent)
    if form == "out":
        out = T.empty(len(values), dtype=dt)
        T.pow(x, exponent, out=out)
        return out
    if form == "operator":
        return x ** exponent
    return T.pow(x, exponent)


@pytest.mark.parametrize("dtype", ["float32", "float64", "bfloat16", "float16"])
@pytest.mark.parametrize("n", [2, 16, 31, 32, 37])
@pytest.mark.parametrize("form", ["function", "strided", "inplace", "out", "operator"])
def test_pow_number_exponent_as_torch_reads_it(dtype: str, n: int, form: str) -> None:
    values = np.resize(np.array(_BASES), n)
    for exponent in _EXPONENTS:
        _agree(_pow_by(torch, values, dtype, exponent, form), _pow_by(minitorch, values, dtype, exponent, form))


def test_pow_tiny_exponent_is_nan_for_a_negative_base_in_the_scalar_lanes() -> None:
    # the example of the sweep, and a row of 40: its first 32 in the vectorized body (exponent 0.0f: 1), the tail
    # in the scalar lambda (exponent 1e-300: NaN)
    assert minitorch.pow(minitorch.tensor([-8., 2.]), 1e-300).tolist()[1] == 1.0
    assert np.isnan(minitorch.pow(minitorch.tensor([-8., 2.]), 1e-300).tolist()[0])
    got = minitorch.full((40,), -8.0).pow(1e-300).numpy()
    assert np.array_equal(np.isnan(got), np.arange(40) >= 32)
    _agree(torch.full((5, 40), -8.0)[:, 3:].pow(1e-300), minitorch.full((5, 40), -8.0)[:, 3:].pow(1e-300))


@pytest.mark.parametrize("dtype", ["float32", "float64", "bfloat16"])
@pytest.mark.parametrize("n", [3, 33])
def test_pow_gradient_with_a_rounded_exponent(dtype: str, n: int) -> None:
    values = np.resize(np.array(_BASES), n)
    for exponent in _EXPONENTS:
        grads = []
        for T in (torch, minitorch):
            x = T.tensor(values, dtype=getattr(T, dtype), requires_grad=True)
            (x ** exponent).backward(T.ones(n, dtype=x.dtype))
            grads.append(x.grad)
        _agree(*grads)


def test_pow_second_order_gradient_with_a_tiny_exponent() -> None:
    results = []
    for T in (torch, minitorch):
        x = T.tensor([-8.0, 2.0, 0.5], requires_grad=True)
        g, = T.autograd.grad(x.pow(3.0000000001).sum(), x, create_graph=True)
        results += [g, T.autograd.grad(g.sum(), x)[0]]
    _agree(results[0], results[2])
    _agree(results[1], results[3])
