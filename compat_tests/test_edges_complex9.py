"""Edge cases fixed in round 9 (complex-silent): complex32 storage written from real operands, the conjugate and
negative bits of complex32, complex var/std as torch's kernels compute them (their parts), complex Python values
with a NaN part."""
from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from compat_tests.harness import COMPLEX32, assert_same_warnings, check, narrowed


def _chalf(values: Any) -> np.ndarray:
    return narrowed(np.asarray(values, np.complex64), COMPLEX32)


_C32 = _chalf([1 + 1j, 2 - 1j, 3 + 0.5j])
_REALS = {"int64": np.array([7, 8, 9]), "float16": np.array([2.5, -1.0, 65504.0], np.float16),
          "bool": np.array([True, False, True]), "float64": np.array([1e-3, np.inf, -0.0])}


# ---- real operands written into complex32 storage: the imaginary part is 0 (NumPy's astype filled both) ---------
@pytest.mark.parametrize("real", list(_REALS))
@pytest.mark.parametrize("join", ["cat", "stack", "vstack", "hstack", "dstack", "column_stack", "row_stack"])
def test_joining_real_into_complex32(join: str, real: str) -> None:
    check(lambda T, c, r: getattr(T, join)([c, r]), [_C32, _REALS[real]], grad=False)
    check(lambda T, c, r: getattr(T, join)([r, c]), [_C32, _REALS[real]], grad=False)


@pytest.mark.parametrize("real", list(_REALS))
def test_block_diag_real_into_complex32(real: str) -> None:
    check(lambda T, c, r: T.block_diag(c, r.reshape(1, 3), r[0]), [_C32, _REALS[real]], grad=False)


def test_joining_complex32_grads() -> None:
    # the real operand's gradient is the real part of its slice
    check(lambda T, c, r: T.cat([c, r]) * 3, [_C32, np.array([1.0, 2.0], np.float16)])
    check(lambda T, c, r: T.stack([c, r]), [_C32, np.array([1.0, 2.0, 4.0])])


# ---- complex32 conjugate and negative views, conj_physical --------------------------------------------------------
@pytest.mark.parametrize("fn", [
    lambda T, c: c.conj(), lambda T, c: c.conj().conj(), lambda T, c: c._neg_view(), lambda T, c: c.conj_physical(),
    lambda T, c: c.conj().imag, lambda T, c: c.conj().resolve_conj(), lambda T, c: c.reshape(3, 1).mH,
    lambda T, c: c.clone().conj_physical_(), lambda T, c: T.conj(c)[1:], lambda T, c: c.conj() + 1,
])
@pytest.mark.parametrize("values", [[1 + 1j, 2 - 1j, 3 + 0.5j], [-0.0 - 0.0j, np.nan + np.inf * 1j, 65504 - 6e-8j]])
def test_complex32_conjugation(fn: Any, values: list) -> None:
    check(lambda T, c: fn(T, c), [_chalf(values)])


def test_complex32_conjugate_view_writes_through() -> None:
    def written(T: Any, c: Any) -> Any:
        base = c.detach().clone()
        view = base.conj()
        view[0] = 5 + 5j
        base[1] = -1 + 2j
        return base, view, view.is_conj()
    check(written, [_C32], grad=False)


# ---- complex var/std: the parts' variances added in the real dtype, the means paired -----------------------------
_COMPLEX_SAMPLES = {
    "complex64": (np.arange(12).reshape(3, 4) * (0.7 - 1.3j) + 1j).astype(np.complex64),
    "complex128": (np.arange(12).reshape(3, 4) * (0.7 - 1.3j) + 1j).astype(np.complex128),
    "complex32": _chalf(np.arange(12).reshape(3, 4) * (0.7 - 1.3j) + 1j),
    "inf_imag": np.array([[1 + np.inf * 1j, 2, 3 - 1j]], np.complex64),
    "inf_real_complex32": _chalf([[np.inf + 1j, 2, 3]]),
    "float16_max": _chalf([65504 + 65504j, -65504 - 65504j, 1j]),
    "zero_dim": np.array(9 - 3.9759836j, np.complex64),
}
_MOMENTS = {
    "var": lambda T, x: x.var(), "std": lambda T, x: T.std(x), "var_dim": lambda T, x: x.var(-1, keepdim=True),
    "std_correction": lambda T, x: x.std(0, correction=0), "var_mean": lambda T, x: T.var_mean(x, -1),
    "std_mean": lambda T, x: T.std_mean(x, correction=2), "var_unbiased": lambda T, x: x.var(False),
}


@pytest.mark.parametrize("moment", list(_MOMENTS))
@pytest.mark.parametrize("sample", list(_COMPLEX_SAMPLES))
def test_complex_moments(sample: str, moment: str) -> None:
    x = _COMPLEX_SAMPLES[sample]
    check(lambda T, x: _MOMENTS[moment](T, x), [x], second_order=x.dtype == np.complex128)


@pytest.mark.parametrize("fn", [lambda T: T.tensor(5 - 3j).var(), lambda T: T.var_mean(T.tensor([[1 + 1j]]), 1),
                                lambda T: T.tensor([1 + 1j, 2], dtype=T.complex32).std(correction=3)])
def test_complex_moments_warn_per_part(fn: Any) -> None:
    # torch's kernel runs once per part, each warning about the degrees of freedom
    assert_same_warnings(fn)


# ---- complex Python values compared part by part (a NaN part) ---------------------------------------------------
@pytest.mark.parametrize("fn", [lambda T, c: c.tolist(), lambda T, c: c[1].item(), lambda T, c: c.cfloat()[1].item()])
def test_complex_values_with_nan(fn: Any) -> None:
    check(fn, [_chalf([np.nan - 8.6640625j, 1 + np.nan * 1j])], grad=False)


# ---- complex multiplication as torch's kernels compute it: (ac - bd) + (ad + bc)i in the parts' type, fused on the
# elements torch's compiled loop fuses (NumPy fuses ad + bc everywhere: another last bit, inf for NaN at overflow) --
_OVERFLOWING = {"complex64": (3e38 + 3e38j, 10 + 10j), "complex128": (1e300 + 1e300j, 1e10 + 1e10j)}


@pytest.mark.parametrize("n", [1, 2, 3, 5, 7, 8, 10, 13, 15, 16, 31, 33])
@pytest.mark.parametrize("dtype", list(_OVERFLOWING))
def test_complex_multiply_lanes_at_overflow(dtype: str, n: int) -> None:
    # fused lanes give -inf (the exact product minus inf), unfused ones NaN (inf - inf): each element as torch
    big, small = (np.full(n, v, dtype) for v in _OVERFLOWING[dtype])
    check(lambda T, a, b: (a * b, a * b[0], b[:1] * a, a[::2] * b[::2], a * complex(_OVERFLOWING[dtype][1]),
                           a.reshape(1, n).expand(3, n) * b, a.clone().mul_(b)), [big, small], grad=False)
    check(lambda T, a, b: (T.zeros_like(a).add(a, alpha=_OVERFLOWING[dtype][1]),
                           T.zeros_like(a[:1]).sub(a, alpha=_OVERFLOWING[dtype][1])), [big, small], grad=False)


@pytest.mark.parametrize("dtype", [np.complex64, np.complex128])
@pytest.mark.parametrize("n", [3, 16, 100, 1001])
def test_complex_multiply_random_exact(dtype: Any, n: int) -> None:
    rng = np.random.default_rng(n)
    a, b = ((rng.standard_normal(n) + 1j * rng.standard_normal(n)).astype(dtype) for _ in range(2))
    # values bit for bit; gradients summed over the broadcast (torch's summation order is not matched)
    check(lambda T, a, b: (a * b, a * b[:1], a[::2] * b[1::2], T.mul(a, b)), [a, b], rtol=0, atol=0,
          grad_rtol=1e-5, grad_atol=1e-5, second_order=dtype == np.complex128)


@pytest.mark.parametrize("values", [
    [-np.inf - 3.4028234663852886e+38j, 6.766677379608154 + 9.502344131469727j],
    [1e300 + 1e300j, 1e10 + 1e10j, 3], [np.inf + 2j, 1 + 1j, 0.5 - 2j], [1 + 2j, 3 - 1j, 0.25j, -2 + 0j],
])
@pytest.mark.parametrize("dtype", [np.complex64, np.complex128])
def test_complex_cumulative_products(values: list, dtype: Any) -> None:
    # cumprod runs from 1 in complex128 (its scalar loop, fused): 1 * (inf + yj) has a NaN imaginary part
    x = np.array(values, dtype)
    check(lambda T, x: (x.cumprod(0), T.linalg.vander(x, N=3), T.linalg.vander(x)), [x],
          second_order=dtype == np.complex128)
    check(lambda T, x: x.reshape(-1, 1).expand(-1, 2).cumprod(0), [x])


# ---- complex inputs: torch's refusals, their order, and its checks --------------------------------------------------
@pytest.mark.parametrize("fn", [
    lambda T: T.tensor(0j).abs_(), lambda T: T.tensor([1 + 1j]).absolute_(), lambda T: T.abs_(T.tensor([1 - 1j])),
    lambda T: T.tensor([1 + 1j], dtype=T.complex32).abs_(), lambda T: T.tensor([1 + 1j]).requires_grad_().abs_(),
    lambda T: T.bernoulli(T.zeros(0, dtype=T.complex128).requires_grad_()),
    lambda T: T.bernoulli(T.zeros(2, dtype=T.complex64).requires_grad_(), 0.5),
    lambda T: T.equal(T.tensor(1j, dtype=T.complex128), T.tensor(4, dtype=T.uint32)),
    lambda T: T.equal(T.ones(0, dtype=T.uint8), T.ones(0, dtype=T.uint16)),
    lambda T: T.equal(T.ones(2, dtype=T.complex32), T.ones(2, dtype=T.float16)),
    lambda T: T.tensor([1 + 1j]).max(2 ** 63 - 1, keepdim=True), lambda T: T.zeros(2, 0, dtype=T.complex64).max(1),
    lambda T: T.zeros(2, 0, dtype=T.complex64).min(-3), lambda T: T.zeros(2, 3, dtype=T.complex64).min(1),
    lambda T: T.tensor([[1 + 1j]], dtype=T.complex32).nanmean(dim=-2 ** 63, keepdim=True),
    lambda T: T.nanmean(T.tensor(1 + 1j), dim=[5], dtype=T.uint32), lambda T: T.zeros(2, dtype=T.complex64).nanmean(0),
])
def test_complex_refusals(fn: Any) -> None:
    check(lambda T: fn(T), [])


@pytest.mark.parametrize("fn", [
    lambda T: T.tensor([-1.0, 2]).abs_(), lambda T: T.tensor([True]).abs_(),
    lambda T: T.tensor([-1.0]).expand(2).abs_(),
    lambda T: T.equal(T.ones(2, dtype=T.uint8), T.ones(3, dtype=T.uint16)),
    lambda T: T.equal(T.ones(2, dtype=T.complex32), T.ones(2, dtype=T.complex64)),
    lambda T: T.equal(T.tensor([1.0, np.nan]), T.tensor([1.0, np.nan], dtype=T.float64)),
    lambda T: T.tensor([1 + 1j], dtype=T.complex32).eq(2 ** 63 - 1),
    lambda T: T.zeros(2, 0, dtype=T.complex32).ne(-2 ** 63),
])
def test_complex_and_real_computed(fn: Any) -> None:
    check(lambda T: fn(T), [])


# isclose of complex: rtol * other in complex arithmetic, magnitudes compared in the real dtype (the imaginary parts
# were dropped, and NumPy warned)
@pytest.mark.parametrize("kwargs", [{}, {"equal_nan": True}, {"rtol": 0.1, "atol": 0}, {"rtol": np.inf, "atol": 2.69}])
@pytest.mark.parametrize("dtype", [np.complex64, np.complex128])
def test_complex_isclose(dtype: Any, kwargs: dict) -> None:
    a = np.array([1 + 1j, 1 + 1j, np.nan + 1j, 1e38j, np.inf + 0j, 1 + 1j], dtype)
    b = np.array([1 + 2j, 1 + 1.000001j, np.nan + 0j, np.inf + 1e38j, np.inf + 0j, 1 + 1.05j], dtype)
    check(lambda T, a, b: (T.isclose(a, b, **kwargs), T.allclose(a, b, **kwargs), a.isclose(b[0], **kwargs)),
          [a, b], grad=False)
    check(lambda T, a, b: T.isclose(a[:0], b[:0], **kwargs), [a, b], grad=False)
    assert_same_warnings(lambda T: T.isclose(T.tensor(a), T.tensor(b), **kwargs))


# ---- complex values copied into a real dtype: torch's warning once per process, none where nothing is copied ------
@pytest.mark.parametrize("fn", [
    lambda T: T.zeros(0, 3, dtype=T.complex128).byte(), lambda T: T.zeros(3, 0, dtype=T.complex128).double(),
    lambda T: T.tensor([1 + 1j, 2]).to(T.float32), lambda T: T.tensor(-0 + 1.4e-45j).mean([0], dtype=T.float16),
    lambda T: T.tensor([1 + 1j, 2]).sum(dtype=T.int16), lambda T: T.tensor([1 + 1j, 2]).prod(dtype=T.float32),
    lambda T: T.tensor([1 + 1j, 2]).cumsum(0, dtype=T.float32), lambda T: T.tensor([1 + 1j, 2]).mean(dtype=T.float64),
    lambda T: T.tensor([1 + 1j, 2], dtype=T.complex32).sum(dtype=T.int16),
    lambda T: T.tensor([1 + 1j, 2], dtype=T.complex32).mean(dtype=T.float32),
    lambda T: T.tensor([1 + 1j, 2], dtype=T.complex32).cumsum(0, dtype=T.float32),
])
def test_complex_to_real_warning(fn: Any) -> None:
    def twice(T: Any) -> Any:
        T.set_warn_always(True)  # (both libraries' once-only warnings repeat: one per call)
        try:
            return fn(T), fn(T)
        finally:
            T.set_warn_always(False)
    assert_same_warnings(twice)
    check(lambda T: fn(T), [])


# ---- a gradient summed back over an expanded empty dim: 0 in float8_e8m0fnu is its smallest power of two (c10's
# cast), not NaN (ml_dtypes' astype) ----------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", ["float8_e8m0fnu", "float8_e5m2", "float8_e4m3fn"])
def test_float8_gradient_of_expanded_empty(dtype: str) -> None:
    def grads(T: Any) -> Any:
        x = T.tensor([[4.0]]).to(getattr(T, dtype)).requires_grad_()
        g, = T.autograd.grad(x.expand(1, 0).diagonal(), x, T.ones(0, dtype=getattr(T, dtype)))
        h, = T.autograd.grad(x.expand(2, 0), x, T.ones(2, 0, dtype=getattr(T, dtype)))
        return g.view(T.uint8), h.view(T.uint8)
    check(grads, [])


# ---- complex32 in linear algebra: torch's low-precision refusals and kernel names; LDL of complex computed ----------
@pytest.mark.parametrize("name", [
    "linalg.lu_factor", "linalg.lu_factor_ex", "linalg.lu", "linalg.inv", "linalg.inv_ex", "inverse", "linalg.solve",
    "linalg.det", "linalg.slogdet", "logdet", "linalg.cholesky_ex", "linalg.svdvals", "linalg.eig", "linalg.eigvals",
    "linalg.eigh", "linalg.eigvalsh", "linalg.cond", "linalg.ldl_factor", "linalg.ldl_factor_ex", "linalg.pinv",
])
@pytest.mark.parametrize("shape", [(2, 2), (3, 2, 2)])
def test_complex32_linalg(name: str, shape: tuple) -> None:
    def call(T: Any) -> Any:
        fn = T
        for part in name.split("."):
            fn = getattr(fn, part)
        x = T.ones(shape, dtype=T.complex32)
        return fn(x, x[..., 0]) if name == "linalg.solve" else fn(x)
    check(call, [])


@pytest.mark.parametrize("dtype", [np.complex64, np.complex128])
def test_complex_ldl_factor(dtype: Any) -> None:
    # (complex Hermitian factorization is not implemented: minitorch refuses it)
    a = np.array([[4 + 0j, 1 - 2j, 0.5j], [1 - 2j, 5, 1], [0.5j, 1, 3]], dtype)
    check(lambda T, a: T.linalg.ldl_factor(a), [a], grad=False)
    check(lambda T, a: T.linalg.ldl_solve(*T.linalg.ldl_factor(a), a[:, :2]), [a], grad=False)


# ---- operands whose common dtype is complex32 (a complex64 number or 0-d tensor with float16): torch's kernel -----
@pytest.mark.parametrize("fn", [
    lambda T, h: T.sub(T.tensor(1 + 1j), h, alpha=2), lambda T, h: T.add(T.tensor(1 + 1j), h, alpha=3 + 1j),
    lambda T, h: T.sub(T.tensor(3.4e38 + 1j), h, alpha=2 ** 63 - 1),
    lambda T, h: T.add(T.tensor(1 + 1j), h, alpha=7e4),
    lambda T, h: T.tensor(1 + 1j) * h, lambda T, h: h.add(1 + 1j, alpha=2),
])
def test_complex32_from_promotion(fn: Any) -> None:
    check(fn, [np.array([1.0, -2.5, 65504.0], np.float16)])


# ---- empty complex32 reductions: torch runs no kernel where the result is the identity (sum, prod, cumsum, cumprod),
# and an empty mean reaches its division's kernel --------------------------------------------------------------------
@pytest.mark.parametrize("name", ["sum", "prod", "mean", "cumsum", "cumprod", "cov", "corrcoef",
                                  "cumulative_trapezoid"])
@pytest.mark.parametrize("shape", [(0,), (2, 0), (0, 3), (3,)])
def test_complex32_empty_reductions(name: str, shape: tuple) -> None:
    def call(T: Any) -> Any:
        x = T.ones(shape, dtype=T.complex32)
        return getattr(T, name)(x, 0) if name in ("cumsum", "cumprod") else getattr(T, name)(x)
    check(call, [])


def test_complex32_std_of_empty_backward() -> None:
    # the backward's mean of the empty input refuses with its division's kernel, as torch's
    check(lambda T, x: x[:0].std(), [_C32])


# ---- addcmul promoting to complex32: its value as torch's complex<Half> arithmetic, under AddcmulBackward0 ---------
@pytest.mark.parametrize("fn", [
    lambda T, a, b, c: T.addcmul(a, b, c, value=0.5), lambda T, a, b, c: T.addcmul(c, b, c, value=0.3),
    lambda T, a, b, c: a.to(T.complex32).addcmul_(b, c), lambda T, a, b, c: c.addcmul(a, c),
])
def test_complex32_addcmul_node(fn: Any) -> None:
    check(fn, [np.array([1.0, 2, 3]), np.array([1.0, 3, -2]), _chalf([1 + 1j, 2 - 1j, 65504 + 3j])])


# ---- numbers meeting complex32 are cast to complex<Half> first (an int too: 70000 is inf there) ---------------------
@pytest.mark.parametrize("number", [3, 70000, 2 ** 63 - 1, 2 ** 63, 1e10])
@pytest.mark.parametrize("fn", [
    lambda T, c, n: c * n, lambda T, c, n: c.multiply(n), lambda T, c, n: c.eq(n),
    lambda T, c, n: c.masked_fill(T.tensor([True, False, True]), n), lambda T, c, n: T.where(c.real > 1, c, n),
])
def test_complex32_with_numbers(fn: Any, number: Any) -> None:
    check(lambda T, c: fn(T, c, number), [_chalf([-65504 + 3.84j, 1 + 1j, 2 - 0.5j])])


@pytest.mark.parametrize("shape", [(0,), (3,), (2, 3)])
def test_complex32_vander_refused(shape: tuple) -> None:
    check(lambda T: T.linalg.vander(T.zeros(shape, dtype=T.complex32)), [])
