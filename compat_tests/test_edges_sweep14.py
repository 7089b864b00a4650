"""Deep fuzz sweep 13 on the merged main and session 14's start sweep: the failing draws by class (session 14).

Silent values: a fused multiply-add whose exact product is beyond the range is finite, so an infinite addend wins
(``sub(inf, DBL_MAX, alpha=-2**63)`` is inf in torch's fma, NaN in minitorch's product-then-sum); the complex
products' fma (outer, cumprod) is the same function. torch's cumsum starts from +0 (no partial sum is -0), and a 0-d
scan copies its input (a complex cumprod of one element multiplied by 1 made an infinite part's partner NaN).
cholesky_inverse of a complex factor is LAPACK's zpotri: zlauu2 reads the inverse factor's diagonal as its real part
and keeps the last diagonal element complex (a non-real diagonal gave the mathematical inverse). pairwise_distance
recorded its own NormBackward1 without complex VJPs: a complex operand's gradient was conjugated.
The one writer of tensor memory (and torch.fill of a tensor value) cast into float8 with NumPy (ml_dtypes): copy_,
eq_, fill and out= into float8 now convert as c10 does (e4m3fn saturates, e8m0's False is 2**-127, not NaN).

Check order: factories convert their fill value before refusing requires_grad on an integral dtype (torch's
variable_factories set it on the filled tensor); quantile wraps the output's dim before reading q's values;
torch.range warns before reading its Scalars (the parser read them eagerly: SCALARS_READ_LATE).

Limited dtypes: linalg_vector_norm over dims of size 1 is abs (no norm kernel), so cosine_similarity then reaches its
clamp's maximum; complex32 has no eye kernel (matrix_power(A, 0) and nn.init.eye_ wrote NumPy's eye of its storage
pairs, 1+1j); nn.init's constant fills are fill_/zero_ under no_grad (a complex32 fill raised NumPy's TypeError,
e8m0's 0 was NaN). trapezoid of no samples and aminmax along a dim of a 0-d input reach no kernel;
_amp_foreach_non_finite_check_and_unscale_ refuses float8. lu_unpack unpacks in torch's order (a tall LU's triu
first, P's scatter last), and its P and unit diagonal are made from real arrays (complex32 had 1+1j). An empty
tensor reaches no geometric_ kernel; a refused log_normal_ checks overlap first.

Complex gradients of real inputs: sum, mean, prod, cumprod with dtype=complex and fill_'s value have formulas
without handle_r_to_c, and torch's engine refuses their complex gradient (minitorch took its real part).
select_scatter has no complex derivative. A reduction converting a complex input to bool reads both parts (prod([1j, 2],
dtype=bool) was False).

Gradient order: torch's generated backward functions evaluate the formulas in the sorted order of derivatives.yaml's
input names (load_derivatives sorts them), and each formula's operands right to left (the compiler's order): which
kernel's error a float8 operand raises (igammac's other's lgamma(self) before its self's "not implemented").

The parser: a Python int past int64 for an int64_t/SymInt argument (or an int list's element) is CPython's
"Overflow when unpacking long long" (minitorch drew randint(2**63), rolled by 2**63).
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from harness import assert_same_warnings, check, check_error

INF, NAN = float("inf"), float("nan")
_MAX = 1.7976931348623157e308


# ---- fused multiply-add past the range ---------------------------------------------------------------------------
@pytest.mark.parametrize("a,b", [(INF, _MAX), (-INF, -_MAX), (1.0, _MAX), (_MAX, _MAX), (-_MAX, 3.0)])
def test_sub_alpha_fused_product_past_the_range(a: float, b: float) -> None:
    check(lambda T, a, b: (T.sub(a, b, alpha=-2 ** 63), T.add(a, b, alpha=2 ** 62)),
          [np.array([a, 0.0]), np.array([b, 1.0])], grad=False)


def test_complex_outer_with_infinities() -> None:
    check(lambda T, x, y: T.outer(x.to(T.int32), y), [np.array([7.0, -2.0 ** 31]),
          np.array([complex(INF, INF), complex(-_MAX, INF), 1 + 2j])], grad=False)


# ---- scans: +0 start, 0-d copies ---------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", ["float32", "float64", "float16", "bfloat16", "complex64"])
def test_cumsum_starts_from_positive_zero(dtype: str) -> None:
    check(lambda T, x: (1 / x.to(getattr(T, dtype)).cumsum(0).real, 1 / x[0].to(getattr(T, dtype)).cumsum(0).real),
          [np.array([-0.0, -0.0, 1.0, -1.0, -0.0])], grad=False)


@pytest.mark.parametrize("dtype", ["complex64", "complex128"])
def test_cumprod_of_a_0d_complex_copies_it(dtype: str) -> None:
    check(lambda T, x: (T.cumprod(x.to(getattr(T, dtype)), 0), T.cumprod(x.to(getattr(T, dtype)).reshape(1), 0)),
          [np.array(complex(INF, -2.0))], grad=False)


# ---- cholesky_inverse of a complex factor: zpotri ----------------------------------------------------------------
@pytest.mark.parametrize("upper", [False, True])
@pytest.mark.parametrize("n", [1, 2, 3])
def test_cholesky_inverse_complex_diagonal(n: int, upper: bool) -> None:
    rng = np.random.default_rng(n)
    factor = np.tril(rng.standard_normal((2, n, n)) + 1j * rng.standard_normal((2, n, n))) + 3 * np.eye(n)
    check(lambda T, f: T.cholesky_inverse(f.mH if upper else f, upper=upper), [factor])


# ---- pairwise_distance's NormBackward1 is aten norm's node (complex VJPs as they are) ----------------------------
@pytest.mark.parametrize("p", [2.0, 1.0, INF, -INF])
def test_pairwise_distance_complex_gradient(p: float) -> None:
    """Its own node applied norm's complex VJP as a real one (conjugated): a complex operand's gradient had its
    imaginary part negated."""
    check(lambda T, x, y: T.nn.functional.pairwise_distance(x, y, p=p),
          [np.array([[0.1, -0.3]]), np.array([[0.5 + 2j, -1 + 0.25j]])])


# ---- writes into float8 convert as c10 does ----------------------------------------------------------------------
@pytest.mark.parametrize("dtype", ["float8_e4m3fn", "float8_e5m2", "float8_e4m3fnuz", "float8_e8m0fnu"])
def test_copy_into_float8_converts_as_c10(dtype: str) -> None:
    """The one writer cast with NumPy (ml_dtypes): e4m3fn's overflow was NaN where c10 saturates, e8m0's False NaN."""
    def fn(T: Any, x: Any) -> Any:
        target = T.ones(4, dtype=getattr(T, dtype))
        flags = T.ones(4, dtype=getattr(T, dtype))
        return (target.copy_(x).view(T.uint8), flags.copy_(x > 0).view(T.uint8),
                T.ones(4, dtype=getattr(T, dtype)).eq_(T.zeros(4, dtype=getattr(T, dtype))).view(T.uint8),
                T.fill(target, x[0]).view(T.uint8), T.fill(target[0], x[2] > 0).view(T.uint8))
    check(fn, [np.array([1000.0, -600.0, 0.0, 3.0])], grad=False)


# ---- check order -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("call", [
    # a factory's fill value is converted before requires_grad is refused for an integral dtype
    lambda T: T.full([], 289, dtype=T.int8, requires_grad=True),
    lambda T: T.zeros(2, dtype=T.int8).new_full([], 289, requires_grad=True),
    lambda T: T.full_like(T.zeros(2, dtype=T.int8), 289, requires_grad=True),
    # quantile wraps the output's dim before it reads a q tensor's values
    lambda T: T.quantile(T.tensor(1.0, dtype=T.float64), T.tensor(-INF, dtype=T.float64), dim=2),
    lambda T: T.nanquantile(T.ones(3, 2), T.tensor([2.0]), dim=-3),
], ids=["full", "new_full", "full_like", "quantile", "nanquantile"])
def test_check_order(call: Any) -> None:
    check_error(call)


def _raised(call: Any) -> Any:
    try:
        call()
    except Exception as e:  # noqa: BLE001 - the error is compared by check_error; here its warning
        return type(e).__name__
    return None


@pytest.mark.parametrize("bounds", [(-199, -1e308, -2 ** 63 - 1), (-2 ** 63, -2 ** 63 - 1), (0, 2 ** 64)])
def test_range_warns_before_reading_its_scalars(bounds: tuple) -> None:
    """torch.range's deprecation warning comes before its Scalars are read (their OverflowError)."""
    check_error(lambda T: T.range(*bounds))
    assert len(assert_same_warnings(lambda T: _raised(lambda: T.range(*bounds)))) == 1


# ---- limited dtypes: the kernel a call reaches ----------------------------------------------------------------------
_E5M2 = "float8_e5m2"


def _f8(T: Any, values: Any, dtype: str = _E5M2) -> Any:
    return T.tensor(values).to(getattr(T, dtype))


@pytest.mark.parametrize("call", [
    # a norm over dims of size 1 is abs (linalg_vector_norm's 1-D fast path): no norm kernel
    lambda T: T.linalg.vector_norm(_f8(T, [[3.0, -1.0]]), 2, 0),
    lambda T: T.linalg.vector_norm(_f8(T, [[3.0, -1.0]]), 0, -2, True),
    lambda T: T.linalg.vector_norm(_f8(T, [[3.0, -1.0]]), 2, (0, 1)),
    lambda T: T.linalg.vector_norm(_f8(T, 3.0), 2, 0),
    lambda T: T.linalg.norm(_f8(T, [[3.0, -1.0]]), dim=0),
    # cosine_similarity's norms of single elements: its clamp's maximum refuses
    lambda T: T.nn.functional.cosine_similarity(_f8(T, 1.0), _f8(T, [0.0, 3.0])[::2], dim=0),
    lambda T: T.nn.functional.cosine_similarity(_f8(T, [[1.0], [2.0]]), _f8(T, [[1.0], [2.0]])),
    lambda T: T.nn.functional.cosine_similarity(_f8(T, 1.0), _f8(T, 3.0), dim=0),
    # complex32 has no eye kernel (NumPy's eye of its storage pairs wrote 1+1j)
    lambda T: T.linalg.matrix_power(T.ones(2, 2).to(T.complex32), 0),
    lambda T: T.nn.init.eye_(T.zeros(2, 2, dtype=T.complex32)),
    lambda T: T.nn.init.eye_(T.zeros(2, 2, dtype=T.uint16)),
    # a fill of several complex32 elements checks the number as complex64 (its kernel's opmath type)
    lambda T: T.full([3], 1e308, dtype=T.complex32),
    lambda T: T.zeros(2, dtype=T.complex32).fill_(complex(1, 1e39)),
    lambda T: T.zeros(2, dtype=T.complex32).fill_(1e5),
    # nn.init's constant fills are fill_/zero_ under no_grad: c10's conversion of the value
    lambda T: T.nn.init.ones_(T.zeros(2, dtype=T.complex32)),
    lambda T: T.nn.init.constant_(T.zeros(2, dtype=T.float8_e8m0fnu), 0).view(T.uint8),
    lambda T: T.nn.init.zeros_(T.zeros(2, dtype=T.float8_e8m0fnu)).view(T.uint8),
    lambda T: T.nn.init.constant_(T.zeros(2, dtype=T.float8_e4m3fn), 1000),
    lambda T: T.nn.init.constant_(T.zeros(2, dtype=T.int8), 1000),
    # trapezoid of no samples is zeros, no add kernel
    lambda T: T.trapezoid(T.zeros(0).to(T.float8_e5m2)), lambda T: T.trapz(T.zeros(2, 0, dtype=T.uint16)),
    lambda T: T.trapezoid(T.zeros(0, 2).to(T.float8_e5m2)), lambda T: T.trapezoid(T.zeros(3).to(T.float8_e5m2)),
    # aminmax along a dim of a 0-d input copies it (no kernel; complex: its own check)
    lambda T: T.aminmax(T.tensor(448.0).to(T.float8_e4m3fn), dim=0, keepdim=True),
    lambda T: T.aminmax(T.tensor(4).to(T.uint16), dim=0), lambda T: T.aminmax(T.tensor(4j), dim=0),
    lambda T: T.aminmax(T.tensor(448.0).to(T.float8_e4m3fn)),
    # _amp_foreach_non_finite_check_and_unscale_'s kernel has no float8
    lambda T: T._amp_foreach_non_finite_check_and_unscale_([T.ones(2).to(T.float8_e4m3fn)], T.tensor(0.0),
                                                           T.tensor(0.5)),
])
def test_limited_dtype_kernels(call: Any) -> None:
    check(lambda T: call(T), [], grad=False)


# ---- lu_unpack: torch's order of tril/triu and P's scatter; complex32's P and L -------------------------------------
@pytest.mark.parametrize("dtype", ["complex32", "float8_e8m0fnu", "uint32", "bool", "float16"])
@pytest.mark.parametrize("shape", [(2, 2), (3, 2), (2, 3), (0, 2), (2, 0)])
@pytest.mark.parametrize("unpack", [(True, True), (False, True), (True, False)], ids=["both", "pivots", "data"])
def test_lu_unpack_order_and_limited_dtypes(dtype: str, shape: tuple, unpack: tuple) -> None:
    """complex32's P and L had a unit 1+1j (NumPy's 1 written into its storage pairs), an empty uint32 L reached an
    add torch does not, and the pivots were unpacked before the data."""
    check(lambda T: tuple(x.to(T.complex64) for x in T.lu_unpack(
        T.ones(shape).to(getattr(T, dtype)), T.ones(min(shape), dtype=T.int32), *unpack)), [], grad=False)


def test_lu_of_an_empty_uint32() -> None:
    check(lambda T: tuple(T.linalg.lu(T.zeros(0, 0, dtype=T.uint32), pivot=False)), [], grad=False)


# ---- formulas without handle_r_to_c: a complex gradient into a real input is refused -------------------------------
_COMPLEX_OF_REAL = {
    "sum": lambda T, x: x.sum(dtype=T.complex64), "sum_dim": lambda T, x: x.sum(0, dtype=T.complex64),
    "mean": lambda T, x: x.mean(dtype=T.complex64), "mean_dim": lambda T, x: x.mean(0, dtype=T.complex64),
    "prod": lambda T, x: x.prod(dtype=T.complex64), "prod_dim": lambda T, x: x.prod(0, dtype=T.complex64),
    "cumprod": lambda T, x: x.cumprod(0, dtype=T.complex64),
    "fill_": lambda T, x: T.zeros(2, dtype=T.complex64).fill_(x[0]),
    "cumsum": lambda T, x: x.cumsum(0, dtype=T.complex64),  # (its formula converts the gradient: a warning)
}


@pytest.mark.parametrize("name", list(_COMPLEX_OF_REAL))
def test_complex_gradient_of_a_real_input(name: str) -> None:
    """minitorch took the real part of the gradient where torch's engine refuses it (sum(bfloat16, dtype=complex64)
    and fill(complex32, float16 value) in the sweeps)."""
    check(lambda T, x: _COMPLEX_OF_REAL[name](T, x), [np.array([1.5, -2.0])])


def test_select_scatter_has_no_complex_derivative() -> None:
    check_error(lambda T: T.select_scatter(T.zeros(3, dtype=T.complex128, requires_grad=True),
                                           T.tensor(0j, dtype=T.complex128), 0, 1))


@pytest.mark.parametrize("call", [
    lambda T, x: T.prod(x, dtype=T.bool), lambda T, x: T.prod(x, 0, dtype=T.bool),
    lambda T, x: T.sum(x, dtype=T.bool), lambda T, x: T.sum(x.to(T.complex32), 0, dtype=T.bool),
], ids=["prod", "prod_dim", "sum", "sum_complex32"])
def test_complex_reduced_as_bool_reads_both_parts(call: Any) -> None:
    """A complex input converted to bool is true where either part is nonzero (minitorch kept the real part, with
    torch's discarding warning): prod([1j, 2], dtype=bool) was False."""
    check(lambda T, x: call(T, x), [np.array([1j, 2, 0])], grad=False)
    check(lambda T, x: call(T, x), [np.array([1j, 0])], grad=False)
    assert not assert_same_warnings(lambda T: call(T, T.tensor([1j, 2.0])))


# ---- the order a node computes its gradients in ------------------------------------------------------------------
@pytest.mark.parametrize("call", [
    lambda T, f8, h: T.igammac(f8(0.0), h([0.0])),
    lambda T, f8, h: T.igammac(h([]), f8(0.0)),
    lambda T, f8, h: T.igamma(f8(1.0), h([1.0])),
    lambda T, f8, h: T.igamma(h([1.0, 2.0]), f8(2.0)),
], ids=["igammac_self", "igammac_other", "igamma_self", "igamma_other"])
def test_gradient_formulas_in_torch_order(call: Any) -> None:
    """torch's generated backward evaluates the formulas in the sorted order of the input names (igamma's ``other``
    before its not-implemented ``self``), each formula's operands right to left (lgamma(self) before log(other)):
    which kernel a float8 operand's error names."""
    def fn(T: Any) -> Any:
        result = call(T, lambda v: T.tensor(v).to(T.float8_e5m2fnuz).requires_grad_(),
                      lambda v: T.tensor(v, dtype=T.float16, requires_grad=True))
        result.sum().backward()
    check_error(fn)



# ---- the parser reads int64_t / SymInt arguments as C long longs ---------------------------------------------------
@pytest.mark.parametrize("call", [
    lambda T: T.ones(3).roll(2 ** 63), lambda T: T.ones(3).sum(2 ** 63), lambda T: T.ones(3).narrow(0, 2 ** 63, 1),
    lambda T: T.ones(3).random_(0, 2 ** 63), lambda T: T.ones(3).random_(-2 ** 63 - 1, 5),
    lambda T: T.randint(2 ** 63, (2,)), lambda T: T.randint_like(T.tensor(2), 0, 2 ** 63),
    lambda T: T.ones(2, 3).transpose(0, 2 ** 64), lambda T: T.ones(3).view(2 ** 63, 1),
    lambda T: T.ones(3).permute(0, 2 ** 63), lambda T: T.ones(3).roll(2 ** 63 - 1),
])
def test_int_arguments_beyond_int64(call: Any) -> None:
    """A Python int past int64 for an int argument is the parser's ValueError ("Overflow when unpacking long long");
    minitorch took it (randint(2**63) drew numbers, roll(2**63) rolled)."""
    check(lambda T: call(T), [], grad=False)


@pytest.mark.parametrize("call", [
    lambda T: T.zeros(0, dtype=T.uint32).geometric_(0.58),
    lambda T: T.zeros(0, dtype=T.complex64).geometric_(0.58),
    lambda T: T.tensor([10], dtype=T.uint16).expand(3, 2, 1).log_normal_(5e-324),
    lambda T: T.tensor([10], dtype=T.uint16).expand(2).log_normal_(1, -1),
])
def test_random_fills_check_order(call: Any) -> None:
    """An empty tensor reaches no geometric_ kernel; log_normal_'s overlap check comes before its dtype's refusal."""
    check(lambda T: call(T), [], grad=False)
