"""``x ** e`` for the exponents torch's CPU kernel computes without pow (products, square roots and
reciprocals): bit for bit torch's values, special values included, and the same gradients."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import minitorch

VALUES = np.concatenate([[0.0, -0.0, np.inf, -np.inf, np.nan, 1e-40, -1e-40, 1e30, -3.0],
                         np.random.default_rng(0).uniform(-10, 10, 2000)])


@pytest.mark.parametrize("dtype", ["float32", "float64", "float16"])
@pytest.mark.parametrize("exponent", [2, 3, -0.5, -1, -2, 1, 2.0, 3.0, -1.0])
def test_values_bit_for_bit(dtype: str, exponent: float) -> None:
    with np.errstate(over="ignore"):  # 1e30 is inf in float16
        x = VALUES.astype(dtype)
    expected = (torch.from_numpy(x) ** exponent).numpy()
    got = (minitorch.from_numpy(x) ** exponent).numpy()
    assert got.dtype == expected.dtype
    np.testing.assert_array_equal(got, expected)  # (NaN positions must agree too)
    numbers = ~np.isnan(expected)
    assert (np.signbit(got[numbers]) == np.signbit(expected[numbers])).all()


# (the gradient takes ``self ** (exponent - 1)``: these are the exponents whose gradient's power is one of
# the exact ones too; torch's pow proper is a vectorized approximation whose last bits NumPy's pow does not share)
@pytest.mark.parametrize("exponent", [2, 3, -1])
def test_gradients_bit_for_bit(exponent: float) -> None:
    x = np.random.default_rng(1).uniform(0.5, 3.0, 50).astype(np.float32)
    grads = []
    for T in (torch, minitorch):
        t = T.tensor(x, requires_grad=True)
        (t ** exponent).sum().backward()
        grads.append(t.grad.numpy())
    np.testing.assert_array_equal(grads[1], grads[0])
