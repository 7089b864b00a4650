"""Values and forms found by deep fuzz sweep 11 and session 11's known-left list (session 12).

dist's complex difference is torch's sub: a + (-1) * b, a complex product, so that an infinite part's partner turns
NaN (minitorch subtracted in NumPy: inf where torch's norm is NaN); the 0-norm over a single element is torch's ne
written into the real result, with the complex copy's warning (dist and vector_norm). A complex add/sub with an
alpha checks the operands' shapes before its product (NumPy's broadcast error leaked).

cholesky_ex of a matrix with a NaN: NumPy fills a failed factor with NaN silently (info 0); LAPACK stops at the NaN
pivot (info names it) and leaves the rest of the input in place.

logcumsumexp runs in torch's CPU accumulate type (float32 for float16/bfloat16, float64 for float32), each step
stored: NumPy's accumulate rounded the running value (most float16 and float32 results an ulp or more off). Complex
inputs are computed, as torch's log-add-exp of complex values in complex128 (minitorch refused them), and
differentiated by torch's complex formula.

addmm/baddbmm/addbmm with an empty inner dim are torch's mul_(beta) of the input: beta rounded to the input's dtype
(float16 3 * 0.1 is 0.2998), a float beta refused by an integral input ("result type Float can't be cast..."), and
zero_() for beta 0 (float8_e8m0fnu's 0 is 2**-127 in c10, NaN in ml_dtypes). With terms to add, beta and alpha
convert to the kernel's opmath type with c10's check (a complex or a 1e300 beta for float32: torch's overflow error;
minitorch's TypeError or inf).

ldexp is torch's: its own kernel (a floating input, a float8 too, and an integral exponent: std::ldexp in double,
then the input's dtype: float32's 2**-140 * 2**200 was inf) or ``input * _pow2(input, other)``, pow of 2.0 as a
wrapped number for an integral/bool/float32 input, else of a 0-d 2.0 in the input's dtype: a float64 input with a
float16 exponent takes 2**e in float16 (5.6562, minitorch 5.6569), a complex input with a float exponent makes pow
complex in the exponent's precision (ComplexHalf's refusal, no complex float8), a 0-d exponent promotes as a 0-d
tensor (float8's promotion error); ldexp_ is ldexp_out's checks then mul_'s (176 forms of 1,760 differed).

pow(complex32, 0) is torch's fill_(1), 1+0j (minitorch's ones_like of complex32's storage made 1+1j, silently); a
complex base's 0.5, -0.5 and -1 are torch's sqrt, rsqrt and reciprocal kernels (their refusals for complex32); any
number equal to 0 or 1 (0.0, 0j, 1.0) runs no kernel; an integral base reads a number exponent as an int64 first
(2**63: c10's overflow error before uint32's refusal).

eigh/eigvalsh that LAPACK cannot converge raise torch's error (NumPy's leaked); an empty input of any dtype gets
empty results (no kernel). native_batch_norm in training takes a non-contiguous integral input's mean first when
weight, bias and running_mean are absent or of the input's dtype (mean()'s dtype message).

linspace/logspace read their bounds in the dtype with c10's check (float16's 70000, float32's 1e300: torch's overflow
error, minitorch's NaNs); diff with n=0 copies its input whatever the dim (no kernel: float8 no longer refused).

renorm of a float8 is refused as torch's accumulate type refuses it (minitorch computed).
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from harness import assert_same_warnings, check

INF, NAN = float("inf"), float("nan")


# ---- dist of complex operands: torch's sub is a + (-1) * b ----------------------------------------------------------
@pytest.mark.parametrize("dtype", ["complex64", "complex128", "complex32"])
@pytest.mark.parametrize("p", [-3, 0, 1, 2, INF, -INF])
def test_dist_of_complex_infinities(dtype: str, p: float) -> None:
    a = np.array([complex(-8.0, INF), 1, complex(INF, 2)])
    b = np.array([complex(NAN, -INF), 0, complex(3, -INF)])
    check(lambda T, a, b: (a.to(getattr(T, dtype)).dist(b.to(getattr(T, dtype)), p=p),
                           a[:1].to(getattr(T, dtype)).dist(b[:1].to(getattr(T, dtype)), p=p),
                           a[2:].to(getattr(T, dtype)).dist(b[2:].to(getattr(T, dtype)), p=p)), [a, b], grad=False)


@pytest.mark.parametrize("fn", [
    lambda T: T.tensor([1 + 1j]).dist(T.tensor([2 + 0j]), p=0),
    lambda T: T.tensor(2, dtype=T.int32).dist(T.tensor(-5.5j, dtype=T.complex128), p=0),
    lambda T: T.linalg.vector_norm(T.tensor([[0j]]), 0),
    lambda T: T.tensor([1 + 1j, 2]).dist(T.tensor([2 + 0j, 1]), p=0),  # (a reduction: no copy, no warning)
    lambda T: T.tensor([1 + 1j]).dist(T.tensor([2 + 0j]), p=1),
])
def test_zero_norm_of_one_complex_value_warns(fn: Any) -> None:
    def twice(T: Any) -> Any:
        T.set_warn_always(True)  # (the warning is once per process in both libraries: here one per call)
        try:
            return fn(T), fn(T)
        finally:
            T.set_warn_always(False)
    assert_same_warnings(twice)
    check(lambda T: fn(T), [], grad=False)


# ---- a complex add/sub with alpha: the shapes checked before the product ----------------------------------------
@pytest.mark.parametrize("alpha", [-0.0, 2j, 3])
@pytest.mark.parametrize("name", ["add", "sub"])
def test_complex_alpha_checks_shapes_first(name: str, alpha: Any) -> None:
    check(lambda T: getattr(T, name)(T.zeros(0, 0, dtype=T.complex128), T.tensor([1j, 2], dtype=T.complex128),
                                     alpha=alpha), [], grad=False)


# ---- cholesky_ex of a NaN: LAPACK's potrf stops at a NaN pivot (info), its product's NaN imaginary part kept -----
@pytest.mark.parametrize("dtype", ["float32", "float64", "complex64", "complex128"])
@pytest.mark.parametrize("upper", [False, True])
@pytest.mark.parametrize("matrix", [
    [[NAN, 0.0], [0.0, 1.0]], [[1.0, 0.0], [0.0, NAN]], [[4.0, NAN], [NAN, 1.0]], [[4.0, 1.0], [1.0, -1.0]],
    [[4.0, 1.0, 0.0], [1.0, 3.0, NAN], [0.0, NAN, 2.0]]])
def test_cholesky_ex_info_of_nan(matrix: list, dtype: str, upper: bool) -> None:
    batch = np.stack([np.eye(len(matrix)) * 2, np.array(matrix)])
    check(lambda T, a: T.linalg.cholesky_ex(a.to(getattr(T, dtype)), upper=upper), [batch], grad=False)


# ---- complex logcumsumexp: torch's log-add-exp of complex values, scanned in complex128 ---------------------------
_SPECIAL = [complex(-INF, 1), complex(-INF, 2), 1j, complex(INF, 1), complex(INF, 2), complex(1, INF), complex(NAN, 0),
            1e30 + 2j, 1e-30 - 1j, -3 + 0.5j]


@pytest.mark.parametrize("dtype", ["complex64", "complex128"])
def test_complex_logcumsumexp(dtype: str) -> None:
    rng = np.random.default_rng(0)
    x = (rng.standard_normal((3, 4)) + 1j * rng.standard_normal((3, 4))) * 3
    check(lambda T, x: (x.to(getattr(T, dtype)).logcumsumexp(1), x.to(getattr(T, dtype)).logcumsumexp(0)), [x],
          second_order=dtype == "complex128")
    check(lambda T: T.tensor(_SPECIAL, dtype=getattr(T, dtype)).logcumsumexp(0), [], grad=False)
    check(lambda T: T.tensor(_SPECIAL[:6], dtype=getattr(T, dtype)).reshape(2, 3).logcumsumexp(1), [], grad=False)
    check(lambda T, x: x[0, 0].to(getattr(T, dtype)).logcumsumexp(0), [x])


def test_complex32_logcumsumexp_refused() -> None:
    check(lambda T: T.tensor([1 + 2j], dtype=T.complex32).logcumsumexp(0), [], grad=False)


@pytest.mark.parametrize("dtype", ["float16", "bfloat16", "float32", "float64"])
def test_logcumsumexp_runs_in_the_accumulate_type(dtype: str) -> None:
    x = np.random.default_rng(1).standard_normal((3, 300)) * 3
    x[0, ::7], x[1, ::5], x[2, ::50] = INF, -INF, NAN
    check(lambda T, x: x.to(getattr(T, dtype)).logcumsumexp(1), [x], grad=False)
    check(lambda T, x: x.to(getattr(T, dtype)).logcumsumexp(0), [x[:, :4] / 9], grad=dtype in ("float32", "float64"))


# ---- matrix products with an empty inner dim: torch's mul_(beta) of the input (beta rounded to its dtype, a float
# beta refused by an integral input), zero_() for beta 0 (float8_e8m0fnu's 0 is its smallest power of two) ----------
_EMPTY_INNER = {
    "addmm": lambda T, x, dt, beta: T.addmm(x, T.ones(2, 0, dtype=dt), T.ones(0, 2, dtype=dt), beta=beta),
    "baddbmm": lambda T, x, dt, beta: T.baddbmm(x, T.ones(1, 2, 0, dtype=dt), T.ones(1, 0, 2, dtype=dt), beta=beta),
    "addbmm": lambda T, x, dt, beta: T.addbmm(x, T.ones(1, 2, 0, dtype=dt), T.ones(1, 0, 2, dtype=dt), beta=beta),
}


@pytest.mark.parametrize("name", list(_EMPTY_INNER))
@pytest.mark.parametrize("dtype", ["float16", "bfloat16", "float32", "int64", "uint8", "bool", "complex64",
                                   "float8_e4m3fn", "float8_e8m0fnu"])
@pytest.mark.parametrize("beta", [0, 0.1, 0.5, 300, 1e300, 1j, True])
def test_empty_inner_dim_scales_the_input(name: str, dtype: str, beta: Any) -> None:
    def fn(T: Any) -> Any:
        dt = getattr(T, dtype)
        x = T.tensor([3.0, 2.5]).to(dt)
        out = _EMPTY_INNER[name](T, x, dt, beta)
        return out.view(T.uint8) if dtype.startswith("float8") else out
    check(fn, [], grad=False)


@pytest.mark.parametrize("beta,alpha", [(1e300, 1), (1, 1e300), (1j, 1), (1, 1j)])
def test_product_scalars_convert_to_the_opmath_type(beta: Any, alpha: Any) -> None:
    check(lambda T: T.addmm(T.ones(2, 2), T.ones(2, 1), T.ones(1, 2), beta=beta, alpha=alpha), [], grad=False)
    check(lambda T: T.addmv(T.ones(2), T.ones(2, 2), T.ones(2), beta=beta, alpha=alpha), [], grad=False)
    check(lambda T: T.baddbmm(T.ones(1, 2, 2), T.ones(1, 2, 1), T.ones(1, 1, 2), beta=beta, alpha=alpha), [],
          grad=False)
    check(lambda T: T.addbmm(T.ones(2, 2), T.ones(1, 2, 1), T.ones(1, 1, 2), beta=beta, alpha=alpha), [], grad=False)


# ---- ldexp: torch's own kernel (std::ldexp in double) or input * _pow2(input, other) --------------------------------
_LDEXP_INPUTS = ["complex64", "complex128", "complex32", "float64", "float32", "float16", "bfloat16", "int64", "bool",
                 "float8_e5m2"]
_LDEXP_EXPONENTS = ["float16", "bfloat16", "float32", "float64", "float8_e5m2fnuz", "int64", "uint8", "bool",
                    "complex64", "complex32", "uint16"]


@pytest.mark.parametrize("input_dtype", _LDEXP_INPUTS)
@pytest.mark.parametrize("other_dtype", _LDEXP_EXPONENTS)
@pytest.mark.parametrize("shapes", [((2,), (2,)), ((2,), ()), ((), (2,)), ((3, 0), ())])
@pytest.mark.parametrize("inplace", [False, True])
def test_ldexp_forms(input_dtype: str, other_dtype: str, shapes: tuple, inplace: bool) -> None:
    def fn(T: Any) -> Any:
        x = (T.ones(shapes[0], dtype=T.complex64) * (1 + 1j)).to(getattr(T, input_dtype))
        e = (T.ones(shapes[1]) * 2.5).to(getattr(T, other_dtype))
        r = x.ldexp_(e) if inplace else T.ldexp(x, e)
        return r.to(T.complex128) if r.dtype in (T.complex32, T.bfloat16) or r.dtype.itemsize == 1 else r
    check(fn, [], grad=False)


@pytest.mark.parametrize("x,e,dtype", [
    ([1.0], [2.5], "float16"),  # (float64 input: pow of a 0-d float64 2.0 and a float16 exponent is float16)
    ([2.0 ** -140], [200], "int64"),  # (the own kernel works in double: no overflow of 2 ** 200 in float32)
    ([1.0], [2 ** 40 + 3], "int64"),  # (C++'s int exponent: int64 wraps)
])
def test_ldexp_values(x: list, e: list, dtype: str) -> None:
    check(lambda T: T.ldexp(T.tensor(x, dtype=T.float64 if dtype == "float16" else T.float32),
                            T.tensor(e, dtype=getattr(T, dtype))), [], grad=False)
    check(lambda T, x, e: T.ldexp(x, e), [np.array([0.5, -3.0, 1e-3]), np.array([2.5, -1.0, 4.0])], second_order=True)


# ---- pow of a tensor and a number: 0 fills ones (complex32's 1+0j, not its storage's ones), 1 copies; a complex base
# takes sqrt's, rsqrt's and reciprocal's kernels for 0.5, -0.5 and -1; an integral base's exponent is read as int64 ----
@pytest.mark.parametrize("dtype", ["complex32", "float8_e5m2", "uint32", "uint16", "complex64"])
@pytest.mark.parametrize("exponent", [0, 0.0, 1.0, 0j, 1 + 0j, 0.5, -0.5, -1, -1.0, -1 + 0j, True, False, 2, 2 ** 63,
                                      2 ** 63 - 1])
def test_pow_of_a_number(dtype: str, exponent: Any) -> None:
    def fn(T: Any) -> Any:
        r = T.pow(T.tensor([3 + 1j]).to(getattr(T, dtype)), exponent)
        return r.to(T.complex128) if r.dtype is T.complex32 else r.float() if r.dtype.itemsize == 1 else r
    check(fn, [], grad=False)


# ---- eigh/eigvalsh where LAPACK does not converge: torch's error, not NumPy's ----------------------------------------
@pytest.mark.parametrize("n", [3, 4, 6])
@pytest.mark.parametrize("fill", [INF, -INF])
@pytest.mark.parametrize("dtype", ["float32", "float64", "complex64"])
def test_eigh_of_infinities(n: int, fill: float, dtype: str) -> None:
    batch = np.stack([np.eye(n), np.full((n, n), fill)])
    check(lambda T, a: T.linalg.eigh(a.to(getattr(T, dtype))), [batch], grad=False)
    check(lambda T, a: T.linalg.eigvalsh(a[1].to(getattr(T, dtype))), [batch], grad=False)


@pytest.mark.parametrize("dtype", ["int8", "bool", "float16", "bfloat16", "complex32", "float8_e5m2", "uint16",
                                   "complex64"])
def test_eigh_of_empty_matrices_of_any_dtype(dtype: str) -> None:
    def fn(T: Any) -> Any:
        A = T.zeros(2, 0, 0).to(getattr(T, dtype))
        L, V = T.linalg.eigh(A)
        return L.shape, L.dtype, V.shape, V.dtype, T.linalg.eigvalsh(A).dtype
    check(fn, [], grad=False)
    check(lambda T: T.linalg.eigh(T.zeros(1, 1).to(getattr(T, dtype))), [], grad=False)


# ---- native_batch_norm in training of a non-contiguous integral input: the batch's mean first (its dtype message)
# when weight, bias and running_mean are absent or of the input's dtype, else the kernel's refusal ------------------
@pytest.mark.parametrize("params", [(None, None, None, None), ("float32", None, None, None),
                                    ("input", None, None, None), ("input", None, "input", "input"),
                                    ("float32", None, "input", "input"), (None, None, "input", "float32"),
                                    (None, "float32", "input", "input"), (None, None, "float32", "input"),
                                    (None, None, "0d", "0d")])
@pytest.mark.parametrize("dtype", ["int64", "int16"])
def test_native_batch_norm_of_integral_input(params: tuple, dtype: str) -> None:
    def fn(T: Any) -> Any:
        def param(kind: Any) -> Any:
            return None if kind is None else T.tensor(1, dtype=getattr(T, dtype)) if kind == "0d" else \
                T.ones(3, dtype=getattr(T, dtype if kind == "input" else kind))
        x = T.ones(2, 3, 1, dtype=getattr(T, dtype)).permute(2, 1, 0)
        return T.native_batch_norm(x, *map(param, params), True, 0.1, 1e-5)
    check(fn, [], grad=False)


# ---- linspace/logspace read their bounds in the dtype with c10's check (minitorch's NaNs); diff with n=0 copies ----
@pytest.mark.parametrize("start,end,steps,dtype", [
    (0, 1e300, 3, "float32"), (0, 1e300, 1, "float32"), (1e300, 0, 1, "float32"), (0, 70000, 3, "float16"),
    (0, INF, 3, "float16"), (0, 1e40, 3, "bfloat16"), (0, 70000, 3, "bfloat16"), (0, 1e300, 3, "complex64"),
    (-4, 2 ** 63 - 1, 2, "float16"), (0, 1e300, 1, "float8_e5m2"), (0, 1e300, 0, "float16")])
def test_spaced_bounds_convert_with_a_check(start: Any, end: Any, steps: int, dtype: str) -> None:
    for name in ("linspace", "logspace"):
        check(lambda T: getattr(T, name)(start, end, steps, dtype=getattr(T, dtype)).double(), [], grad=False)


@pytest.mark.parametrize("kwargs", [{"n": 0, "dim": 3}, {"n": 0, "dim": 3, "prepend": True}, {"n": 1, "dim": 3}])
def test_diff_of_no_order_copies_limited_dtypes(kwargs: dict) -> None:
    def fn(T: Any) -> Any:
        x = T.tensor([6.1e-05, 0.0]).to(T.float8_e5m2)
        options = dict(kwargs, prepend=x[:1]) if "prepend" in kwargs else kwargs
        return T.diff(x, **options).float()
    check(fn, [], grad=False)


# ---- renorm of a float8: torch's accumulate type refuses (a promotion error, or AccumulateType's internal assert) ----
@pytest.mark.parametrize("dtype", ["float8_e5m2", "float8_e4m3fn", "float8_e5m2fnuz", "float8_e4m3fnuz",
                                   "float8_e8m0fnu"])
@pytest.mark.parametrize("dim", [1, 5])
def test_renorm_of_float8(dtype: str, dim: int) -> None:
    check(lambda T: T.renorm(T.ones(3, 2, 1).to(getattr(T, dtype)), 2, dim, 1.0), [], grad=False)
    check(lambda T: T.ones(3, 2, 1).to(getattr(T, dtype)).renorm_(2, dim, 1.0), [], grad=False)
