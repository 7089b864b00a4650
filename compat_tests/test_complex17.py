"""Complex functions bit for bit with torch (session 17): c10's log1p and expm1 over glibc's real functions (the
compiler's fused multiply-adds), complex128's acos as pi/2 - asin, lerp lane by lane (fused lanes, complex64's
paired branch choice), on random values over a wide exponent range, normal ones, and every pair of special parts
(0, -0, inf, -inf, NaN, ...), contiguous and strided."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest
import torch

import minitorch
from harness import check_error
from test_complex_arith16 import _same_bits

_rng = np.random.default_rng(1717)
_SPECIAL = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 1.0, -1.0, 0.5, 2.0, 1e-30])


def _wide(n: int, dtype: Any) -> np.ndarray:
    """Parts of random sign and magnitude 10**e, e uniform over most of the dtype's exponent range."""
    top = 30 if dtype == np.complex64 else 300
    exponents = _rng.uniform(-top, top, (2, n))
    signs = _rng.choice([-1.0, 1.0], (2, n))
    return (signs[0] * 10.0 ** exponents[0] + 1j * signs[1] * 10.0 ** exponents[1]).astype(dtype)


def _values(dtype: Any) -> np.ndarray:
    """Normal values, wide ones, then every pair of special parts."""
    with np.errstate(all="ignore"):
        special = (_SPECIAL[:, None] + 1j * _SPECIAL[None, :]).ravel().astype(dtype)
    normal = (_rng.standard_normal(1001) + 1j * _rng.standard_normal(1001)).astype(dtype)
    return np.concatenate([normal, _wide(1001, dtype), special])


UNARY: list[tuple[str, Callable]] = [
    ("log1p", lambda x: x.log1p()),
    ("expm1", lambda x: x.expm1()),
    ("acos", lambda x: x.acos()),
    ("arccos", lambda x: x.arccos()),
    ("sgn", lambda x: x.sgn()),  # (complex128's vectorized body divides by SLEEF's hypot)
    ("sinc", lambda x: x.sinc()),  # (c10's quotient)
]


@pytest.mark.parametrize("dtype", [np.complex64, np.complex128])
@pytest.mark.parametrize("name, fn", UNARY, ids=[u[0] for u in UNARY])
def test_unary_bit_for_bit(dtype: Any, name: str, fn: Callable) -> None:
    x = _values(dtype)
    for view in (lambda v: v, lambda v: v[::3], lambda v: v[:13]):
        _same_bits(fn(view(minitorch.from_numpy(x))), fn(view(torch.from_numpy(x))))


def _normal(shape: tuple, dtype: Any) -> np.ndarray:
    return (_rng.standard_normal(shape) + 1j * _rng.standard_normal(shape)).astype(dtype)


# (each layout: which lanes of torch's loop multiply fused, and complex64's pairs of lanes sharing a branch)
LERP_LAYOUTS = [((n,), (n,)) for n in (1, 7, 9, 15, 23, 100, 1000)] + [((5, 7), (7,)), ((5, 19), (5, 1)),
                                                                       ((6, 40), (6, 40))]


@pytest.mark.parametrize("dtype", [np.complex64, np.complex128])
@pytest.mark.parametrize("shape, weight_shape", LERP_LAYOUTS)
def test_lerp_tensor_weight_bit_for_bit(dtype: Any, shape: tuple, weight_shape: tuple) -> None:
    start, end = _normal(shape, dtype), _normal(shape, dtype)
    weight = _normal(weight_shape, dtype) * 0.6  # (both branches: |weight| around 0.5)
    _same_bits(minitorch.lerp(*map(minitorch.from_numpy, (start, end, weight))),
               torch.lerp(*map(torch.from_numpy, (start, end, weight))))
    if len(shape) == 2:  # strided rows: the scalar loop throughout
        operands = (start, end, np.ascontiguousarray(np.broadcast_to(weight, shape)))
        _same_bits(minitorch.lerp(*(minitorch.from_numpy(v).mT for v in operands)),
                   torch.lerp(*(torch.from_numpy(v).mT for v in operands)))


@pytest.mark.parametrize("dtype", [np.complex64, np.complex128])
@pytest.mark.parametrize("weight", [0.3 + 0.2j, 0.7 - 0.1j, 0.25, 2.0])
def test_lerp_number_weight_bit_for_bit(dtype: Any, weight: complex) -> None:
    start, end = _values(dtype), _values(dtype)[::-1].copy()
    _same_bits(minitorch.lerp(minitorch.from_numpy(start), minitorch.from_numpy(end), weight),
               torch.lerp(torch.from_numpy(start), torch.from_numpy(end), weight))


LINSPACE_BOUNDS = [(1 + 2j, 10 - 3j), (-1e3 + 2e-3j, 3.3e5 - 7j), (0, 1 + 1j), (2.5, -7.0), (-0.0 + 0j, 1e30 - 1e-30j),
                   (complex(np.inf, 1), 2 + 0j), (1j, complex(3, np.nan)), (1e38 + 1e38j, -1e38 - 1e38j)]


@pytest.mark.parametrize("dtype", ["complex64", "complex128"])
@pytest.mark.parametrize("steps", [2, 7, 20, 100, 1001])
@pytest.mark.parametrize("start, end", LINSPACE_BOUNDS)
def test_linspace_bit_for_bit(dtype: str, steps: int, start: complex, end: complex) -> None:
    """Each part its own real linspace (fused multiply-adds on the FMA path)."""
    _same_bits(minitorch.linspace(start, end, steps, dtype=getattr(minitorch, dtype)),
               torch.linspace(start, end, steps, dtype=getattr(torch, dtype)))


def test_linspace_complex32_refused() -> None:
    check_error(lambda T: T.linspace(1j, 2, 5, dtype=T.complex32))


SINGULAR = [[[1, 2], [2, 4]], [[1 + 1j, 2, 3], [2 + 2j, 4, 6], [0, 1, 1j]], [[0, 0], [0, 0]],
            [[1, 1j], [1j, -1]], [[np.inf, 1], [2, 3 + 1j]]]


@pytest.mark.parametrize("dtype", ["complex64", "complex128"])
@pytest.mark.parametrize("matrix", SINGULAR, ids=range(len(SINGULAR)))
def test_inv_ex_singular_or_infinite(dtype: str, matrix: list) -> None:
    """getrs's substitutions scale by the diagonal's unscaled reciprocal: a zero one's is NaN + NaNj, and so is every
    entry of the solution (NumPy's division gave inf + NaNj in the last rows)."""
    for fn in (lambda T, a: T.linalg.inv_ex(a).inverse, lambda T, a: T.linalg.solve_ex(a, T.ones_like(a)).result):
        mine = fn(minitorch, minitorch.tensor(matrix, dtype=getattr(minitorch, dtype)))
        _same_bits(mine, fn(torch, torch.tensor(matrix, dtype=getattr(torch, dtype))))


@pytest.mark.parametrize("n", [1, 3, 4, 7, 8, 9, 17, 23, 1000, 4099])
def test_abs_complex128_lanes(n: int) -> None:
    """complex128 abs: SLEEF's hypot (correctly rounded) on the vectorized blocks of four, glibc's hypot (NumPy's,
    an ulp off in ~0.6%) on the rest of a row."""
    x = _normal((40, n), np.complex128)
    for view in (lambda v: v, lambda v: v.mT, lambda v: v[:, ::2]):
        _same_bits(view(minitorch.from_numpy(x)).abs(), view(torch.from_numpy(x)).abs())


def test_abs_complex128_wide_and_special() -> None:
    x = np.concatenate([_values(np.complex128), _wide(5000, np.complex128) * 1e-10])  # (subnormal parts too)
    _same_bits(minitorch.from_numpy(x).abs(), torch.from_numpy(x).abs())


@pytest.mark.parametrize("length", [2, 4, 8, 9, 12, 15, 16, 17, 31, 40, 47])
def test_complex64_cube_of_broadcast_rows(length: int) -> None:
    """A row of one broadcast element: past the vectorized blocks of 16, the cube is fused at the tail's first
    element (its first nine from nine on), the square everywhere (measured)."""
    x = _normal((1, 7), np.complex64)
    for fn in (lambda t: t.mT.expand(7, length) ** 3, lambda t: t.mT.expand(7, length).pow(3)):
        _same_bits(fn(minitorch.from_numpy(x)), fn(torch.from_numpy(x)))


@pytest.mark.parametrize("dim", [0, 1])
def test_cumsum_complex64_accumulates_in_complex128(dim: int) -> None:
    x = _normal((10, 400), np.complex64)
    _same_bits(minitorch.from_numpy(x).cumsum(dim), torch.from_numpy(x).cumsum(dim))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_polar_glibc_cos_sin(dtype: Any) -> None:
    """torch's polar kernel: r cos(theta) + i r sin(theta), glibc's cosf and sinf for float32."""
    r = np.abs(_rng.standard_normal(4000)).astype(dtype)
    theta = (_rng.standard_normal(4000) * 10).astype(dtype)
    theta[:4] = [0.0, -0.0, np.inf, np.nan]
    for view in (lambda T, v: v, lambda T, v: v[:, None].expand(4000, 3)[::7]):
        _same_bits(minitorch.polar(*(view(minitorch, minitorch.from_numpy(v)) for v in (r, theta))),
                   torch.polar(*(view(torch, torch.from_numpy(v)) for v in (r, theta))))


@pytest.mark.parametrize("dtype", [np.complex64, np.complex128])
@pytest.mark.parametrize("value", [0.5, 2 - 1j, 1])
@pytest.mark.parametrize("n", [7, 23, 4000])
def test_addcdiv_complex(dtype: Any, value: Any, n: int) -> None:
    """self + (value * t1) / t2: torch's product and c10's quotient, value in the tensors' dtype."""
    a, b, c = (_normal(n, dtype) for _ in range(3))
    _same_bits(minitorch.addcdiv(*map(minitorch.from_numpy, (a, b, c)), value=value),
               torch.addcdiv(*map(torch.from_numpy, (a, b, c)), value=value))


@pytest.mark.parametrize("dtype", [np.complex64, np.complex128])
def test_addcmul_complex_value_in_dtype(dtype: Any) -> None:
    """A complex value is read in complex64 for complex64 tensors (the vectorized blocks; the fused tails are not
    modelled for addcmul)."""
    a, b, c = (_normal(4000, dtype) for _ in range(3))
    _same_bits(minitorch.addcmul(*map(minitorch.from_numpy, (a, b, c)), value=2 - 1j),
               torch.addcmul(*map(torch.from_numpy, (a, b, c)), value=2 - 1j))


@pytest.mark.parametrize("dtype", [np.float64, np.complex128])
@pytest.mark.parametrize("shape", [(40, 60), (3, 100), (4, 5, 6)])
@pytest.mark.parametrize("dim", [0, 1, (0, 1), None])
def test_var_float64_welford_and_two_pass(dtype: Any, shape: tuple, dim: Any) -> None:
    """float64 variances (complex128's: its parts') as torch's kernels: a dim reduction's Welford steps, a whole
    reduction's (std_var_all) deviations from torch's mean squared and added one by one."""
    x = _normal(shape, dtype) if dtype == np.complex128 else _rng.standard_normal(shape)
    kwargs = {} if dim is None else {"dim": dim}
    for fn in (lambda T, t: T.var(t, **kwargs), lambda T, t: T.var_mean(t, **kwargs)[0],
               lambda T, t: T.var_mean(t, **kwargs)[1]):
        _same_bits(fn(minitorch, minitorch.from_numpy(x)), fn(torch, torch.from_numpy(x)))


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.complex64, np.complex128])
@pytest.mark.parametrize("shape", [(5, 5), (20, 30), (300, 300), (100, 7)])
def test_trace_in_order_in_accumulation_type(dtype: Any, shape: tuple) -> None:
    x = _normal(shape, dtype) if np.dtype(dtype).kind == "c" else _rng.standard_normal(shape).astype(dtype)
    _same_bits(minitorch.from_numpy(x).trace(), torch.from_numpy(x).trace())
    _same_bits(minitorch.from_numpy(x).mT.trace(), torch.from_numpy(x).mT.trace())


PROD_CASES = [((300, 4), 1), ((50, 16), 1), ((10, 100), 1), ((40, 300), 0), ((17, 7), 0), ((5, 3, 8), 0),
              ((7,), None), ((5, 7), None)]


@pytest.mark.parametrize("dtype", [np.complex64, np.complex128])
@pytest.mark.parametrize("shape, dim", PROD_CASES)
def test_complex_prod_in_kernel_order(dtype: Any, shape: tuple, dim: Any) -> None:
    """Outer reductions: unfused chains on 128-byte column blocks, fused on the rest; inner ones: short rows a fused
    chain, complex128's longer rows reduction128's accumulators (complex64's longer rows are not modelled)."""
    inner_row = int(np.prod(shape)) if dim is None else shape[-1] if dim == len(shape) - 1 else 0
    if dtype == np.complex64 and inner_row >= 16:
        pytest.skip("complex64 rows of 16 or more: torch's inner reduction order not modelled (NumPy's products)")
    x = _normal(shape, dtype)
    fn: Callable = (lambda t: t.prod()) if dim is None else (lambda t: t.prod(dim))
    _same_bits(fn(minitorch.from_numpy(x)), fn(torch.from_numpy(x)))
