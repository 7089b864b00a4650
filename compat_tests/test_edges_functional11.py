"""Session 11's fixes of torch.nn.functional and the loss bindings it calls (issue #10), each against torch."""
from __future__ import annotations

from typing import Any

import ml_dtypes
import numpy as np
import pytest
import torch

from harness import check
from minitorch._ops.registry import NN


def _nn(T: Any, name: str) -> Any:
    """torch._C._nn's binding ``name`` (minitorch's NN table)."""
    return getattr(torch._C._nn, name) if T is torch else NN[name]


_BIG, _SMALL = np.random.default_rng(0).standard_normal((3, 4)), np.random.default_rng(1).standard_normal(4)


@pytest.mark.parametrize("reduction", [0, 1, 2])
@pytest.mark.parametrize("name,extra", [("mse_loss", ()), ("smooth_l1_loss", (0.5,))])
def test_loss_gradient_counts_its_own_operand(name: str, extra: tuple, reduction: int) -> None:
    # the backward kernel's mean divides by the numel of the operand it differentiates (the target's, for the
    # target's gradient), not by the broadcast count
    check(lambda T, a, b: _nn(T, name)(a, b, reduction, *extra), [_BIG, _SMALL])
    check(lambda T, a, b: _nn(T, name)(a, b, reduction, *extra), [_SMALL, _BIG])


_HALF = np.array([0.5, -1.25, 2.0, 1e-6, 3e-5, 0.1, 0.2, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 1e-7], np.float16)


@pytest.mark.parametrize("beta", [1e-45, 1e-40, 5e-39, 1e-310, 1e-8, 0.3])
@pytest.mark.parametrize("dtype", [np.float16, ml_dtypes.bfloat16, np.float32, np.float64])
def test_smooth_l1_beta_in_the_kernels_types(dtype: Any, beta: float) -> None:
    # the forward computes float16/bfloat16 in float32 with a float32 beta (a subnormal beta is not 0 there); the
    # backward compares with beta in the dtype in its vectorized body, with the double beta in its tail
    x = np.concatenate([_HALF.astype(np.float32), [1e-39]]).astype(dtype)
    for reduction in (0, 1, 2):
        check(lambda T, a, b: _nn(T, "smooth_l1_loss")(a, b, reduction, beta), [x, x[::-1].copy()],
              second_order=dtype == np.float64)
