"""float16 and bfloat16 to the last bit (``minitorch/_ops/cpu_loops.py``): torch's CPU loop computes the elements of
a contiguous row in blocks of 32 with its vectorized body (float32, one rounding) and the rest - the row's tail, a
strided row, each thread's chunk's tail - with its scalar lambda, which for some kernels rounds each step in the
dtype (rsqrt's root, i0e's Chebyshev series, add/sub's ``alpha * other``); bfloat16's pow by 3, -2 rounds each
product. Compared exactly (rtol = atol = 0): a last-bit difference passes the default tolerances but grows beyond
them through a gradient (asinh's ``(x^2 + 1).rsqrt()``)."""
from __future__ import annotations

from typing import Any, Callable

import ml_dtypes
import numpy as np
import pytest

from harness import check

_RNG = np.random.default_rng(20261206)
# magnitudes from float16's subnormals to its largest, both signs, and the values of the fuzzer's failures
_VALUES = np.concatenate([np.exp(_RNG.uniform(-16, 11, 300)) * _RNG.choice([-1, 1], 300), _RNG.uniform(0, 2, 100),
                          [4.625, 7.28125, 5.6328125, 0.685546875, 22.390625, 0.0, -0.0, np.inf, np.nan, 6e-8]])
DTYPES = {"float16": np.float16, "bfloat16": ml_dtypes.bfloat16}

# layouts that split the elements differently between the vectorized body and the scalar lambda
LAYOUTS: dict[str, Callable[[Any], Any]] = {
    "contiguous_tail": lambda x: x[:40],                 # 32 in the body, 8 in the tail
    "one_element": lambda x: x[:1],
    "two_rows_merged": lambda x: x[:90].reshape(3, 30),  # one row of 90 (64 + 26)
    "transposed": lambda x: x[:90].reshape(3, 30).t(),   # iterated in memory order
    "sliced_rows": lambda x: x[:160].reshape(4, 40)[:, :35],  # rows of 35 that do not merge: 32 + 3 each
    "strided": lambda x: x[:80:2],                        # every element in the scalar lambda
    "permuted": lambda x: x[:120].reshape(2, 3, 20).permute(2, 0, 1),
    "broadcast_row": lambda x: x[:40].reshape(1, 40).expand(3, 40),
}


def _array(dtype: str, n: int = len(_VALUES)) -> np.ndarray:
    return np.resize(_VALUES, n).astype(DTYPES[dtype])


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("name", ["rsqrt", "special.i0e"])
def test_unary_scalar_lambda_by_layout(name: str, layout: str, dtype: str) -> None:
    def fn(T: Any, x: Any) -> Any:
        f: Any = T
        for part in name.split("."):
            f = getattr(f, part)
        return f(LAYOUTS[layout](x.detach()))
    check(fn, [_array(dtype)], grad=False, rtol=0, atol=0)


@pytest.mark.parametrize("dtype", DTYPES)
def test_rsqrt_in_place_and_thread_chunks(dtype: str) -> None:
    """In place the target is the operand; from 32768 elements on each of the threads' chunks has a tail."""
    check(lambda T, x: x.detach()[:70].clone().rsqrt_(), [_array(dtype)], grad=False, rtol=0, atol=0)
    check(lambda T, x: x.rsqrt(), [_array(dtype, 40010)], grad=False, rtol=0, atol=0)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("size", [1, 7, 40, 400])
@pytest.mark.parametrize("name", ["asinh", "acosh", "asin", "acos", "rsqrt", "special.i0e"])
def test_gradients_through_rsqrt_and_i0e(name: str, size: int, dtype: str) -> None:
    """Their derivatives are formulas of ops, each rounding in the dtype: rsqrt's and i0e's tails included."""
    x = _array(dtype, size)
    if name in ("asin", "acos"):
        x = (x.astype(np.float32) / 70000).astype(DTYPES[dtype])  # inside (-1, 1)
    if name == "acosh":
        x = (np.abs(x.astype(np.float32)) + 1).astype(DTYPES[dtype])

    def fn(T: Any, x: Any) -> Any:
        f: Any = T
        for part in name.split("."):
            f = getattr(f, part)
        return f(x)
    check(fn, [x], rtol=0, atol=0)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("exponent", [3, -2, -0.5, 2, 0.5, -1, 1.7])
def test_pow_number_exponent(exponent: float, dtype: str) -> None:
    """bfloat16's kernel multiplies in bfloat16 for 3 and -2; float16's calls pow once."""
    check(lambda T, x: x.pow(exponent), [_array(dtype)], rtol=0, atol=0)
    check(lambda T, x: x.detach()[:80:2].pow(exponent), [_array(dtype)], grad=False, rtol=0, atol=0)


_OPERAND_LAYOUTS: dict[str, Callable[[Any, Any], tuple]] = {
    "same": lambda a, b: (a, b),
    "transposed": lambda a, b: (a.t(), b.t()),
    "sliced": lambda a, b: (a[:, :33], b[:, :33]),
    "column_broadcast": lambda a, b: (a[:, :1], b),
    "row_broadcast": lambda a, b: (a, b[0]),
    "strided": lambda a, b: (a[::2], b[::2]),
    "mixed": lambda a, b: (a.t(), b[:45, :70]),
}


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("layout", _OPERAND_LAYOUTS)
def test_add_sub_alpha(layout: str, dtype: str) -> None:
    """``self + alpha * other``: the scalar lambda rounds alpha and the product to the dtype."""
    a, b = _array(dtype, 70 * 45).reshape(70, 45), _array(dtype, 70 * 45)[::-1].copy().reshape(70, 45)
    check(lambda T, a, b: T.add(*_OPERAND_LAYOUTS[layout](a, b), alpha=-3.3), [a, b], rtol=0, atol=0)
    check(lambda T, a, b: T.sub(*_OPERAND_LAYOUTS[layout](a, b), alpha=0.1), [a, b], rtol=0, atol=0)


@pytest.mark.parametrize("dtype", DTYPES)
def test_add_alpha_number_and_in_place(dtype: str) -> None:
    a, b = _array(dtype, 70), _array(dtype, 70)[::-1].copy()
    check(lambda T, a: T.add(a, 3.3, alpha=0.7), [a], rtol=0, atol=0)
    check(lambda T, a, b: a.detach().clone().add_(b, alpha=0.3), [a, b], grad=False, rtol=0, atol=0)
    check(lambda T, a, b: a.detach()[:66].clone()[::2].sub_(b[:33], alpha=0.3), [a, b], grad=False, rtol=0, atol=0)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("beta, alpha", [(0.2, 0.6), (1, 1), (2, 3), (0, 0.7)])
def test_addr_rounds_each_step(beta: float, alpha: float, dtype: str) -> None:
    """torch's float16/bfloat16 addr: ``beta * input + alpha * vec1 * vec2``, each product and the sum rounding."""
    check(lambda T, s, v1, v2: T.addr(s, v1, v2, beta=beta, alpha=alpha),
          [_array(dtype, 50).reshape(5, 10), _array(dtype, 5), _array(dtype, 10)[::-1].copy()], grad=False,
          rtol=0, atol=0)


@pytest.mark.parametrize("dtype", ["float16", "bfloat16", "float32", "float64"])
@pytest.mark.parametrize("beta, threshold", [(1, 20), (True, 2 ** 63 - 1), (0.5, 1000), (2, 1e30)])
def test_softplus_overflows_below_a_large_threshold(beta: float, threshold: float, dtype: str) -> None:
    """torch's softplus is log1p(exp(beta x)) / beta below the threshold: exp overflows to inf there (a stable form
    would give x)."""
    x = np.array([-65504.0, -0.0, 65504.0, 100, -100, 3, 30, 89, 1e-3, 710, -750, 15])
    check(lambda T, x: T.nn.functional.softplus(x, beta=beta, threshold=threshold),
          [x.astype(DTYPES.get(dtype, dtype))])


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("p", [2, 3, 7.5, 0.5, 2 ** 63 - 1])
def test_dist_accumulates_in_float32(p: float, dtype: str) -> None:
    """The difference rounds to the dtype; the norm (powers, sum, root 1/p) is float32's, rounded once."""
    a = np.array([1.5, 2.7, 30.0, 100.0, 2.205078125, -7.0]).astype(DTYPES[dtype])
    b = np.array([0.2, 0.1, -3.0, 1.0, 0.0, 4.0]).astype(DTYPES[dtype])
    check(lambda T, a, b: T.dist(a, b, p=p), [a, b], grad=False)
    check(lambda T, a: T.dist(a[4].expand(3, 1, 1), T.tensor(3.980696076793937e-271, dtype=T.float64), p=p), [a],
          grad=False)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("lambd", [0.7, 1e5, 1e39])
def test_softshrink_reduced_floats(lambd: float, dtype: str) -> None:
    """bfloat16 included (NumPy's finfo refused it: a leaked ValueError); lambda checked against the dtype's max."""
    check(lambda T, x: T.nn.functional.softshrink(x, lambd), [np.array([1.5, -0.2, 3.0, -4.0]).astype(DTYPES[dtype])])


def test_bfloat16_machine_limits_read_without_numpy_finfo() -> None:
    """NumPy's finfo refuses ml_dtypes' bfloat16 (a leaked ValueError): rms_norm's default eps, make_tensor's range."""
    x = np.array([1.5, -0.2, 3.0, -4.0]).astype(ml_dtypes.bfloat16)
    check(lambda T, x: T.nn.functional.rms_norm(x, [4]), [x])
    check(lambda T: T.testing.make_tensor(3, dtype=T.bfloat16, device="cpu", low=-2, high=2).dtype, [])
