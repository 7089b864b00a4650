"""Deep fuzz sweep 14 on the merged main: the failing draws by class (session 15).

Silent values:
- sgn of complex values (abs's gradient) as torch's loop computes it: its AVX512 body divides each part by hypot's
  |z|, its scalar tail divides by |z| + 0j as c10's complex division (NumPy's algorithm); NumPy's complex abs rounds
  otherwise than hypot. At a subnormal magnitude the two bodies part: sgn(5e-324+5e-324j) is 1+1j in the body,
  inf+infj in the tail (minitorch gave NaN, and was 1 ulp off on a third of the elements).
- cross computes each component as torch's compiled kernel: fused (fma) in float32/float64, torch's complex products
  (plain in complex64, fused in complex128), which turn infinities to NaN where NumPy's complex products do not.
- inv and solve of a matrix holding an infinity or a NaN: NumPy's LAPACK gave finite values (zeros) where torch's
  (MKL) gives NaN; getrf's elimination and getrs's column-oriented substitutions give torch's (measured on
  thousands of random non-finite matrices).
- householder_product/orgqr as LAPACK's org2r, whose larf skips a zero tau, v's trailing zeros, C's zero columns and
  zero products: a NaN in a reflector no longer spreads to every column.
"""
from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest
import torch

import minitorch
from harness import check

INF, NAN = float("inf"), float("nan")
_MAX = 1.7976931348623157e308


def _same_bits(expected: np.ndarray, got: np.ndarray) -> None:
    """Equal values, NaN where NaN (of any payload), signed zeros told apart."""
    e, g = expected.view(expected.real.dtype), got.view(got.real.dtype)
    assert e.shape == g.shape
    differ = ~((e == g) & (np.signbit(e) == np.signbit(g)) | np.isnan(e) & np.isnan(g))
    assert not differ.any(), "torch %s, minitorch %s" % (e[differ][:6], g[differ][:6])


# ---- sgn: the vectorized body and the scalar tail -------------------------------------------------------------
_SGN_VALUES = [5e-324 + 5e-324j, 5.443760381897999 + 5e-324j, 1.03660585041413 + 0j, complex(INF, -6e-3),
               complex(_MAX, INF), complex(-6.8e-311, 3.45), 3.08221519 - 3.36608335j, 0j, complex(NAN, 1.0),
               -2.8878026 - 0.0100372j, complex(1e-45, 1e-40), complex(3.4e38, 3.4e38)]


@pytest.mark.parametrize("dtype", ["complex64", "complex128"])
@pytest.mark.parametrize("n", [3, 8, 13, 16, 21])
@pytest.mark.parametrize("layout", ["contiguous", "strided"])
def test_sgn_bits_by_loop_lane(dtype: str, n: int, layout: str) -> None:
    rng = np.random.default_rng(n)
    with np.errstate(all="ignore"):
        values = np.array(_SGN_VALUES * 4, dtype)[rng.permutation(len(_SGN_VALUES) * 4)][:2 * n]
    got = {}
    for T in (torch, minitorch):
        x = T.tensor(values)
        got[T.__name__] = (x[::2] if layout == "strided" else x[:n]).sgn().numpy()
    _same_bits(got["torch"], got["minitorch"])


def test_abs_gradient_at_subnormal_and_infinite_magnitudes() -> None:
    a = np.array([[[-4.6988341864722285 + 5e-324j, 5.443760381897999 + 5e-324j, complex(-_MAX, 8.09)],
                   [5e-324 + 5e-324j, complex(_MAX, INF), -3.12455374617718 - 0j]],
                  [[1.03660585041413 + 9.6e-206j, 10 - 1.69j, complex(-INF, -_MAX)],
                   [complex(-9, -_MAX), complex(INF, 2.2e-308), complex(_MAX, 6.19)]]])
    check(lambda T, x: x.permute(2, 1, 0).abs(), [a], second_order=True)


# ---- cross --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", ["float32", "float64", "complex64", "complex128", "float16"])
def test_cross_as_torch_kernel(dtype: str) -> None:
    rng = np.random.default_rng(1)
    pool = np.array([INF, -INF, NAN, 3.4e38, 1.0, -2.5, 0.0, 1e-45, 7.3])

    def draw() -> np.ndarray:
        v = rng.choice(pool, (8, 3, 4)) * rng.uniform(0.5, 2, (8, 3, 4))
        if dtype.startswith("complex"):
            v = v + 1j * rng.choice(pool, (8, 3, 4))
        with np.errstate(all="ignore"):
            return v.astype(dtype)
    a, b = draw(), draw()
    got = {T.__name__: T.linalg.cross(T.tensor(a), T.tensor(b), dim=1).numpy() for T in (torch, minitorch)}
    _same_bits(got["torch"], got["minitorch"])


def test_cross_rounds_as_fused() -> None:
    rng = np.random.default_rng(2)
    for dtype in ("float32", "float64", "complex64", "complex128"):
        a = (rng.standard_normal((64, 3)) + (1j * rng.standard_normal((64, 3)) if dtype[0] == "c" else 0))
        b = (rng.standard_normal((64, 3)) + (1j * rng.standard_normal((64, 3)) if dtype[0] == "c" else 0))
        got = {T.__name__: T.cross(T.tensor(a.astype(dtype)), T.tensor(b.astype(dtype)), dim=-1).numpy()
               for T in (torch, minitorch)}
        _same_bits(got["torch"], got["minitorch"])


# ---- inv and solve of non-finite matrices ---------------------------------------------------------------------
def _non_finite_matrices(dtype: str, seed: int, batch: int = 6, n: int = 3) -> np.ndarray:
    rng = np.random.default_rng(seed)
    a = rng.standard_normal((batch, n, n)) + (1j * rng.standard_normal((batch, n, n)) if dtype[0] == "c" else 0)
    for m in a:
        for _ in range(int(rng.integers(1, 3))):
            i, j = rng.integers(0, n, 2)
            v = rng.choice([NAN, INF, -INF])
            m[i, j] = complex(m[i, j].real, v) if dtype[0] == "c" and rng.integers(2) else v
    return a.astype(dtype)


@pytest.mark.parametrize("dtype", ["float32", "float64", "complex64", "complex128"])
def test_inv_of_non_finite_matrices(dtype: str) -> None:
    for seed in range(4):
        check(lambda T, a: T.linalg.inv(a), [_non_finite_matrices(dtype, seed)], grad=False)


@pytest.mark.parametrize("dtype", ["float64", "complex64"])
@pytest.mark.parametrize("left", [True, False])
def test_solve_of_non_finite_matrices(dtype: str, left: bool) -> None:
    rng = np.random.default_rng(3)
    for seed in range(4):
        b = rng.standard_normal((6, 3, 2) if left else (6, 2, 3)).astype(dtype)
        check(lambda T, a, b: T.linalg.solve(a, b, left=left), [_non_finite_matrices(dtype, seed), b], grad=False)


def test_solve_drawn_with_infinities() -> None:
    a = np.array([[[NAN, -INF, 4.77, _MAX], [-INF, 5e-324, 7.26, 2.42]], [[-INF] * 4, [-INF] * 4]])
    b = np.full((2, 2, 4), 5.518962727663087)
    check(lambda T, a, b: T.linalg.solve(a[..., ::2], b[..., ::2]), [a, b], second_order=True)


def test_inverse_drawn_with_nan_and_infinities() -> None:
    a = np.array([[[complex(-INF, 2.33), -1.04 + 6.2j, 9.46 - 0j], [complex(_MAX, NAN), 1e-31 - 6.76j, _MAX + 0j],
                   [-6.8e-217 - 1e-166j, complex(1.81, -INF), complex(-_MAX, _MAX)]],
                  [[complex(1.9e-213, NAN), 5e-324 + 1e-116j, -_MAX - 0j], [-8.75 + 1.64j, -5.36 - 6.42j,
                   complex(_MAX, -_MAX)], [-_MAX - 0j, complex(-9.04, -INF), complex(-_MAX, -4.8e-164)]]])
    check(lambda T, a: a.inverse(), [a], second_order=True)


# ---- householder_product -----------------------------------------------------------------------------------
def test_orgqr_drawn_with_nan_and_infinities() -> None:
    a = np.array([[[0.0, 0.0, 0.0], [0.0, NAN, INF], [0.0, 0.0, 0.0]], [[0.0, 0.0, 0.0]] * 3])
    tau = np.array([[-10.0, 5e-324, -0.46434376620518236], [-8.401593753227393, 5e-324, NAN]])
    check(lambda T, a, tau: T.orgqr(a.permute(2, 1, 0), tau.t()), [a, tau], second_order=True)


@pytest.mark.parametrize("dtype", ["float64", "complex64"])
def test_householder_product_skips_as_larf(dtype: str) -> None:
    rng = np.random.default_rng(4)
    a = rng.choice([0.0, 0.0, 1.0, -2.5, NAN, INF, 0.3], size=(40, 4, 3))
    tau = rng.choice([0.0, 1.0, -1.5, NAN, 0.7], size=(40, 2))
    if dtype[0] == "c":
        a, tau = a + 1j * rng.choice([0.0, 0.0, 1.0, NAN], size=a.shape), tau + 0.5j * rng.integers(0, 2, tau.shape)
    check(lambda T, a, tau: T.linalg.householder_product(a, tau), [a.astype(dtype), tau.astype(dtype)], grad=False)


# ---- errors: limited dtypes, kernels not reached, check order ---------------------------------------------------
@pytest.mark.parametrize("expr", [
    # an empty result or input reaches no kernel: no dtype refusal
    "T.amin(T.empty(0, 0, 1, dtype=T.complex128), dim=[2])",
    "T.amax(T.empty(3, 0, dtype=T.uint16), dim=0)",
    "T.amax(T.empty(3, 0, dtype=T.complex32), dim=0)",
    "T.amin(T.ones(2, dtype=T.complex64), dim=0)",
    "T.empty(0, 2, dtype=T.complex64).bernoulli(2.2250738585072014e-308)",
    "T.ones(2, dtype=T.complex64).bernoulli(0.5)",
    "T.linalg.lu_solve(T.empty(0, 0, dtype=T.float16), T.tensor([], dtype=T.int32), T.ones(0, 1, dtype=T.float16))",
    "T.linalg.lu_solve(T.empty(3, 3, dtype=T.float16), T.tensor([1, 2, 3], dtype=T.int32), T.ones(3, 0).half())",
    "T.linalg.lu_solve(T.empty(3, 3, dtype=T.float16), T.tensor([1], dtype=T.int32), T.ones(3, 1, dtype=T.float16))",
    "T.linalg.lu_solve(T.empty(3, 3, dtype=T.float16), T.tensor([1], dtype=T.int32), T.ones(3, dtype=T.float16))",
    "T.lu_solve(T.tensor(1j), T.empty(0, 3, 2, dtype=T.complex128), T.tensor(8, dtype=T.int32))",
    "T.linalg.lu_solve(T.empty(3, 2), T.tensor([1], dtype=T.int32), T.ones(3))",
    # the kernel each form reaches
    "T.tensor([4294967295, 3], dtype=T.uint32).bincount()",
    "T.tensor([], dtype=T.uint32).bincount(minlength=-1)",
    "T.tensor([0.001953125], dtype=T.float8_e4m3fn).gather(2, T.tensor([[8]], dtype=T.uint8))",
    "T.tensor([0.001953125], dtype=T.float8_e4m3fn).gather(0, T.tensor([[8]], dtype=T.uint8).t())",
    "T.inner(T.tensor([5.0], dtype=T.float8_e5m2fnuz), T.tensor([1.0, 2.0], dtype=T.float8_e5m2fnuz)[::2])",
    "T.inner(T.ones(3, dtype=T.float8_e5m2fnuz), T.ones(3, dtype=T.float8_e5m2fnuz))",
    "T.tensordot(T.ones(2, 1, dtype=T.uint16), T.ones(1, 3, dtype=T.uint16), 1)",
    "T.logsumexp(T.tensor(complex(-0.0, 65504), dtype=T.complex32), [-1])",
    "T.logsumexp(T.ones(2, dtype=T.float8_e5m2), 0)",
    "F.max_pool2d(T.ones(1, 4, 4, dtype=T.complex64), 2)",
    "F.max_pool2d(T.ones(1, 4, 4, dtype=T.bool), 2)",
    "F.max_pool2d(T.ones(0, 3, 4, 4, dtype=T.uint16), 1)",
    "F.max_pool3d(T.ones(1, 2, 2, 2, dtype=T.float8_e5m2), 1)",
    "F.max_pool1d_with_indices(T.ones(1, 3, 2, dtype=T.uint16), 1, stride=[1], dilation=2)",
    "F.max_pool1d(T.ones(4, 4, dtype=T.float8_e4m3fn), 1)",
    "F.max_pool2d(T.ones(1, 4, 4, dtype=T.int64), 2)",
    "T.linalg.tensorinv(T.empty(0, 0, 0, dtype=T.float8_e4m3fnuz))",
    "T.linalg.tensorinv(T.empty(0, 0, 0))",
    # sizes past int64, compared as torch does
    "T.arange(2.2250738585072014e-308, False, step=2.2250738585072014e-308, dtype=T.int64)",
    "T.arange(1e-300, 0.0, step=-1e-300)",
    "T.histogramdd(T.zeros(1, 2), 9223372036854775807)",
    "F.max_pool1d(T.ones(2, 2, 2, dtype=T.uint32), 9223372036854775807, stride=None, dilation=4)",
    "F.max_pool2d(T.ones(1, 2, 2), 3, padding=2)",
    "T.tensor(2**64 - 1, dtype=T.uint64).narrow(4, T.tensor(2**64 - 1, dtype=T.uint64), 9223372036854775807)",
    "T.ones(5).narrow(0, T.tensor(1, dtype=T.uint8), 2)",
    "T.fft.ihfftn(T.ones(3, 3, dtype=T.int8), s=[9223372036854775807], norm='trunc')",
    "T.fft.ihfftn(T.ones(3, 3, dtype=T.complex64), s=[9223372036854775807])",
    "T.fft.ihfftn(T.ones(3, 3, dtype=T.complex64), norm='trunc')",
    # TensorIterator's output shape before the operands' promotion
    "T.clamp_(T.tensor(9, dtype=T.int16), min=T.tensor(2, dtype=T.uint32), max=T.tensor([327, 9, -32768]).short())",
    "T.ones(1, dtype=T.int16).clamp_min_(T.tensor([1, 2, 3], dtype=T.uint32))",
    "T.tensor([[[5]]], dtype=T.uint16).expand(2, 3, 3).bernoulli_()",
    "T.tensor([[5]], dtype=T.uint16).expand(2, 3).bernoulli_(1.5)",
    # cross dispatches on its input's dtype, then reads the other operand as that type
    "T.cross(T.zeros(3, 2, dtype=T.uint16), T.zeros(3, 2, dtype=T.complex64), dim=0)",
    "T.cross(T.zeros(3, 2, dtype=T.complex64), T.zeros(3, 2, dtype=T.uint16), dim=0)",
    # NumPy interop: a TypeError in a binary operator is NotImplemented (NumPy's reflected operator, or Python's error)
    "T.tensor([1]) * __import__('numpy').uint64(2**63)",
    "T.tensor([1]) - __import__('numpy').uint64(2**64 - 1)",
    "T.tensor([1]) + __import__('numpy').str_('a')",
    "__import__('numpy').uint64(2**64 - 1) - T.tensor([1])",
])
def test_error_or_result_as_torch(expr: str) -> None:
    def run(T: Any) -> Any:
        F = T.nn.functional  # noqa: F841 - the expressions' name for it
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # (complex32's experimental warning)
            try:
                out = eval(expr)
            except Exception as e:  # noqa: BLE001 - the error is compared
                return type(e).__name__, str(e)
        return "result", type(out).__name__, str(out.dtype), tuple(out.shape)
    assert run(torch) == run(minitorch)


# ---- LAPACK's partial results, a subnormal pivot, backward refusals --------------------------------------------
def test_inv_ex_and_solve_ex_partial_results_of_singular_matrices() -> None:
    singular = np.array([[[1.0, 2.0], [2.0, 4.0]], [[-0.0, 1.0], [0.0, 3.0]], [[2.0, 1.0], [1.0, 1.0]]])
    check(lambda T, a: (T.linalg.inv_ex(a), T.linalg.solve_ex(a, a[..., 0]), T.linalg.solve_ex(a, a, left=False)),
          [singular], grad=False)


def test_inv_with_a_subnormal_float32_pivot() -> None:
    leaf = np.array([[1.4e-45, INF, -5.24], [INF, -5.24, -5.24], [-5.24, -5.24, 1.4e-45]], np.float32)
    check(lambda T, a: T.linalg.inv(a.T), [leaf], grad=False)


def test_householder_product_complex_products_by_torch_formula() -> None:
    a = np.array([[complex(-INF, _MAX), complex(INF, -9.3e-67)], [complex(_MAX, 1.99), complex(-INF, NAN)]])
    check(lambda T, a, tau: T.linalg.householder_product(a, tau), [a, np.array([2.2250738585072014e-308 + 0j])],
          grad=False)


def test_bce_with_logits_backward_of_a_0d_input_against_a_larger_target() -> None:
    check(lambda T, x, t: T.binary_cross_entropy_with_logits(x, t, None, None, 0),
          [np.array(0.5), np.full((1, 3, 3), 0.3)])


def test_cummin_backward_of_a_0d_float8_input() -> None:
    check(lambda T, x: x.to(T.float8_e8m0fnu).cummin(0), [np.array(1.7014118346046923e+38, np.float32)])


def test_amin_of_an_empty_complex_result_has_no_derivative() -> None:
    check(lambda T, x: T.amin(x, dim=[2]), [np.empty((0, 0, 1), np.complex128)])
