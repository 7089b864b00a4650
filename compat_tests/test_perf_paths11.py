"""Session 11's fast paths (issue 15) against the general paths they skip and against torch: a float tensor's whole
sum and mean."""
from __future__ import annotations

import numpy as np
import pytest

import minitorch
from harness import check

NAN, INF = float("nan"), float("inf")


def _reduction_inputs() -> list[np.ndarray]:
    rng = np.random.default_rng(11)
    arrays = [np.array(3.5), np.zeros(0), np.zeros((2, 0, 3)), np.array([INF, -INF, 1.0]), np.array([NAN, 1.0]),
              np.array([3e38, 3e38, -1e38]), np.array([1e-45, -0.0])]
    arrays += [rng.standard_normal(n) * 10.0 ** rng.integers(-5, 5, n) for n in (7, 8, 9, 17, 129, 1000)]
    arrays += [rng.standard_normal((4, 5, 6)).transpose(2, 0, 1), rng.standard_normal((6, 30))[:, ::3]]
    return arrays


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", ["sum", "mean"])
def test_whole_reduction_fast_path(dtype: str, name: str) -> None:
    """``x.sum()``/``x.mean()`` of a float32/float64 tensor (computed in the op's frame) equal the general path's
    bits (the same op with ``dtype=`` given) and torch's values, gradients and second derivatives."""
    for array in _reduction_inputs():
        x = minitorch.tensor(array, dtype=getattr(minitorch, dtype))
        fast, general = getattr(x, name)(), getattr(x, name)(dtype=x.dtype)
        assert fast.dtype == general.dtype and fast.shape == general.shape
        np.testing.assert_array_equal(fast.numpy(), general.numpy())
        check(lambda T, x: (getattr(x, name)(), getattr(T, name)(x)), [array.astype(dtype)], second_order=True)


@pytest.mark.parametrize("name", ["sum", "mean"])
def test_whole_reduction_other_calls(name: str) -> None:
    """The calls the fast path leaves to the general one: other dtypes, ``dtype=``, ``dim=``, a view's input."""
    values = np.array([[1.5, -2.0, 3.25], [0.5, 4.0, -1.0]])
    check(lambda T, x: getattr(x, name)(dtype=T.float64), [values.astype(np.float32)])
    check(lambda T, x: getattr(x, name)(dim=None), [values])
    check(lambda T, x: getattr(x[:, 1:], name)(), [values.astype(np.float32)])
    for dtype in ("float16", "bfloat16", "complex64", "int64", "bool"):
        check(lambda T, x: getattr(x.to(getattr(T, dtype)), name)(), [values])
    check(lambda T, x: getattr(x, name)(), [values.astype(np.float32)], grad=False)
