"""No silent wrong value or gradient at the edges (issue 10, session 10's deep sweep), one table per class of fix,
each case run under torch and minitorch:

- gcd and lcm refuse a complex operand in the op's own dtype check, before Euclid's loop (which never ended on a
  NaN or infinite remainder while the gate's refusal was pending);
- as_strided's gradient of an input whose geometry may overlap (an expanded input) is torch's: the storage of
  gradients divided by the number of the input's elements reading each storage element, written by a copy where
  the output's geometry cannot overlap (float8 has no index_add: torch's backward of a float8 view computes);
- complex addcmul and addr multiply by torch's formula, each product rounded (an infinite part gives its partner
  NaN where NumPy's fused product kept an infinity); addr multiplies alpha into vec1 first, as torch's kernel;
- sinc's derivative is torch's formula in torch's order of nodes (sin before cos, grad times the quotient), so its
  second derivative sums the gradients as torch's does (0 at a tiny or subnormal x, where it was -pi**2);
- var_mean's and std_mean's moments are torch's running (Welford) update's where the two-pass ones are not finite:
  finite data whose sum overflows has a finite mean, an overflowing deviation a NaN variance;
- an in-place op refused by the limited-dtype gate checks its output's shape first (TensorIterator's order): the
  gate's pending refusal keeps the result's shape (addcmul_, lerp_ raised the refusal);
- complex32: integral tensors are cast to complex32 before the kernel (a uint16 65535 is inf there: inner, mul);
  add and sub multiply by alpha even when 1 (a NaN partner of an infinite part, as torch's ComplexHalf kernel),
  the product rounded before the sum; full and the other fills store both parts (a complex fill value was written
  into both halves: 1+2j read back as 1+1j, inf as inf+infj) and check the value for one element only;
- complex pow is torch's std::pow, C's cpow: ``cexp(y * clog(x))`` with C's (Annex G) product, no special case for
  integral exponents (NumPy's power multiplies them out, and gives 0 ** 0 as 1 where torch's is NaN); a number
  exponent of 0, 1, 0.5, 2, 3, -0.5, -1 or -2 is computed as torch's kernel special-cases it;
- LU's partial pivoting picks the row LAPACK's i?amax picks: the first of the largest magnitude, a NaN only when it
  comes first (NumPy's argmax took a NaN anywhere); a complex column is scaled by its pivot's reciprocal computed
  unscaled (an infinite pivot makes the column's multipliers NaN, as torch's LAPACK);
- slogdet is torch's: from the LU's diagonal (getrf's, whose NaN multipliers of an infinite complex pivot make the
  log-magnitude NaN where NumPy's slogdet gave inf);
- linalg.vander refuses the float8s in its own dtype check, as torch (cumprod's kernel refused them);
- linalg.vander's column of ones is new (x * 0 + 1 was NaN for an infinite x, and passed a NaN gradient);
- kaiser_window computes in the dtype's opmath type, beta read in it, with torch's i0 (a float32 window of beta
  -1e200 is NaN throughout: it was 0 at its ends);
- complex32 dist records DistBackward0 on its operands (its backward then refuses where torch's does: div_cpu for
  p=2), not the conversion's node;
- the gradient of a number to a complex power (or of a complex number to a real one) takes the number's complex
  log, as torch's (log(-80) was NaN, log(1j) failed);
- addr reads beta and alpha in the result's dtype (torch's overflow error, even for an empty result), takes float
  factors for complex results and refuses complex ones for integral and bool results;
"""
from __future__ import annotations

from typing import Any, Callable

import ml_dtypes
import numpy as np
import pytest

from harness import check

INF, NAN = float("inf"), float("nan")


def tensor(T: Any, value: Any, dtype: str) -> Any:
    return T.tensor(value, dtype=getattr(T, dtype))


GCD_COMPLEX: dict[str, Callable] = {
    "gcd_nan_inf": lambda T: T.gcd(tensor(T, complex(-INF, -0.1), "complex64"),
                                   tensor(T, complex(0, NAN), "complex64")),
    "lcm_inf": lambda T: T.lcm(tensor(T, [complex(1, INF)], "complex128"), tensor(T, 3j, "complex128")),
    "gcd_method": lambda T: tensor(T, [6.5 + 1e-308j], "complex128").gcd(tensor(T, complex(-INF, -3), "complex128")),
    "gcd_inplace": lambda T: tensor(T, complex(1.8, -INF), "complex128").gcd_(tensor(T, 8.6 + 2j, "complex128")),
    "gcd_inplace_shape_first": lambda T: tensor(T, complex(1.8, -INF), "complex128").gcd_(
        tensor(T, [8.6 + 2j] * 2, "complex128")),
    "gcd_broadcast_first": lambda T: T.gcd(tensor(T, [1j] * 2, "complex64"), tensor(T, [1j] * 3, "complex64")),
}


@pytest.mark.parametrize("name", GCD_COMPLEX)
def test_gcd_lcm_refuse_complex_before_their_loop(name: str) -> None:
    check(lambda T: GCD_COMPLEX[name](T), [], grad=False)


ZEROS = np.zeros(1, np.float32)
E5M2 = ml_dtypes.float8_e5m2
AS_STRIDED: dict[str, tuple[Callable, list]] = {
    "expanded_to_0d": (lambda T, x: x.expand(2).as_strided([], []), [ZEROS]),
    "expanded_copy": (lambda T, x: T.as_strided_copy(x.expand(1, 2, 2), [], []), [np.zeros((1, 1, 1), np.float32)]),
    "expanded_rows_partly_read": (lambda T, x: x.expand(3, 4).as_strided([2, 2], [1, 2]),
                                  [np.arange(4, dtype=np.float64)]),
    "expanded_then_sliced": (lambda T, x: x.expand(3, 2)[1:].as_strided([2], [1]), [np.arange(2, dtype=np.float64)]),
    "self_overlapping_view": (lambda T, x: x.as_strided([3, 2], [1, 1]).as_strided([4], [1]),
                              [np.arange(5, dtype=np.float64)]),
    "expanded_size_one_dims_only": (lambda T, x: x.expand(1, 1).as_strided([1], [0]), [np.ones(1)]),
    "expanded_complex_inf": (lambda T, x: x.expand(2).as_strided([2], [0]), [np.array([complex(INF, 1)])]),
    "expanded_float16": (lambda T, x: x.expand(3).as_strided([2], [0]), [np.array([2.0], np.float16)]),
    "float8_0d_copied_back": (lambda T, x: x.as_strided([], []), [np.array(-3.5, E5M2)]),
    "float8_rows_copied_back": (lambda T, x: x.as_strided([2], [2], 1), [np.arange(4).astype(E5M2)]),
    "float8_overlapping_output": (lambda T, x: x.as_strided([2, 2], [1, 1]), [np.arange(3).astype(E5M2)]),
    "float8_zero_stride_output": (lambda T, x: x.as_strided([2], [0]), [np.arange(3).astype(E5M2)]),
    "float8_expanded_input": (lambda T, x: x.expand(2).as_strided([], []), [np.ones(1, E5M2)]),
    "transposed_input_offset": (lambda T, x: x.t()[1:].as_strided([2, 2], [1, 3], 2), [np.arange(12.0).reshape(3, 4)]),
    "empty_output": (lambda T, x: x.expand(2, 3).as_strided([0, 2], [1, 1]), [np.arange(3.0)]),
}


@pytest.mark.parametrize("name", AS_STRIDED)
def test_as_strided_gradient_of_an_overlapping_input(name: str) -> None:
    fn, values = AS_STRIDED[name]
    check(fn, values, second_order=True)


BIG32 = float(np.finfo(np.float32).max)
COMPLEX_PRODUCTS: dict[str, Callable] = {
    "addcmul_inplace_0d": lambda T: tensor(T, -4.66 - 0j, "complex64").addcmul_(
        tensor(T, complex(-7.88, BIG32), "complex64"), tensor(T, complex(-9.61, -BIG32), "complex64")),
    "addcmul_0d_value": lambda T: T.addcmul(tensor(T, 1 + 1j, "complex128"), tensor(T, complex(1e308, 2), "complex128"),
                                            tensor(T, complex(3, 1e308), "complex128"), value=2),
    "addcmul_block": lambda T: T.addcmul(tensor(T, [1j] * 8, "complex64"),
                                         tensor(T, [complex(INF, 1)] * 8, "complex64"),
                                         tensor(T, [2 + 0j] * 8, "complex64")),
    "addr_beta_0_infinite_alpha": lambda T: T.ones(2, 2, dtype=T.complex64).addr(
        T.ones(2, dtype=T.complex64), T.ones(2, dtype=T.complex64), beta=0, alpha=INF),
    "addr_infinite_vec": lambda T: T.ones(2, 2, dtype=T.complex128).addr(
        tensor(T, [complex(INF, 0), 1j], "complex128"), tensor(T, [1 + 0j, 2 - 1j], "complex128"), beta=0.5 + 1j),
}


@pytest.mark.parametrize("name", COMPLEX_PRODUCTS)
def test_complex_products_by_torchs_formula(name: str) -> None:
    check(lambda T: COMPLEX_PRODUCTS[name](T), [], grad=False)


def _addr(dtype: str, beta: Any, alpha: Any, rows: int = 2) -> Callable:
    return lambda T: T.ones(rows, 2, dtype=getattr(T, dtype)).addr(
        T.ones(rows, dtype=getattr(T, dtype)), T.ones(2, dtype=getattr(T, dtype)), beta=beta, alpha=alpha)


ADDR_FACTORS: dict[str, Callable] = {
    "float16_alpha_overflow": _addr("float16", -0.57, -1.7976931348623157e308),
    "float16_beta_before_alpha": _addr("float16", 70000, 1e300),
    "float16_beta_0_alpha_overflow": _addr("float16", 0, 70000),
    "bfloat16_alpha_overflow": _addr("bfloat16", 1, 1e39),
    "float32_empty_still_reads_beta": _addr("float32", 1e300, 1, rows=0),
    "float32_complex_alpha": _addr("float32", 1, 1 + 1j),
    "complex64_float_beta": _addr("complex64", 2.5, 1),
    "complex64_overflowing_imaginary": _addr("complex64", 1, -1e300j),
    "complex64_nan_beta": _addr("complex64", NAN, 1),
    "int64_complex_beta": _addr("int64", 1j, 1),
    "bool_complex_alpha": _addr("bool", 1, 1 + 1j),
    "int8_alpha_overflow": _addr("int8", 1, 300),
    "mixed_int64_float16": lambda T: T.tensor([2**63 - 1, 7]).addr(
        T.tensor([5, -3]), tensor(T, [6e-8, NAN], "float16"), beta=-0.57, alpha=-1.7976931348623157e308),
    "inplace_alpha_overflow": lambda T: T.ones(2, 2, dtype=T.float16).addr_(
        T.ones(2, dtype=T.float16), T.ones(2, dtype=T.float16), alpha=1e300),
}


@pytest.mark.parametrize("name", ADDR_FACTORS)
def test_addr_reads_its_factors_in_the_result_dtype(name: str) -> None:
    check(lambda T: ADDR_FACTORS[name](T), [], grad=False)


SINC_POINTS = {"tiny": -2.625120629596111e-107, "subnormal": 5e-324, "small": 1e-20, "float32_small": 1e-8,
               "moderate": 0.3, "zero": 0.0}


@pytest.mark.parametrize("name", SINC_POINTS)
def test_sinc_higher_derivatives_sum_in_torchs_order(name: str) -> None:
    dtype = np.float32 if name.startswith("float32") else np.float64
    check(lambda T, x: T.sinc(x), [np.array([SINC_POINTS[name]], dtype)], second_order=True)


def test_sinc_third_derivative_at_a_tiny_point() -> None:
    def third(T: Any, x: Any) -> Any:
        first, = T.autograd.grad(T.sinc(x).sum(), x, create_graph=True)
        second, = T.autograd.grad(first.sum(), x, create_graph=True)
        return second
    check(third, [np.array([1e-20, 1e-160])])


F64_MAX, F32_MAX = float(np.finfo(np.float64).max), float(np.finfo(np.float32).max)
RUNNING_MOMENTS: dict[str, tuple[Callable, np.ndarray]] = {
    "std_mean_sum_overflows": (lambda T, x: T.std_mean(x), np.array([[9.9, F64_MAX, 9.9], [-1.5, 9.9, F64_MAX]])),
    "std_mean_transposed": (lambda T, x: T.std_mean(x.t()), np.array([[9.9, F64_MAX, 9.9, 3.0], [-1.5, 9.9, F64_MAX,
                                                                                                  -2.7]])),
    "var_mean_deviation_overflows": (lambda T, x: T.var_mean(x), np.array([-F64_MAX, F64_MAX, 2.0, 3.0])),
    "std_mean_dim": (lambda T, x: T.std_mean(x, 0), np.array([[1e300, 1.0], [-F64_MAX, 2.0], [1e300, 3.0]])),
    "var_mean_float32_dim": (lambda T, x: T.var_mean(x, 1, keepdim=True), np.array(
        [[F32_MAX, F32_MAX / 2, 1e38], [1.0, 2.0, 3.0]], np.float32)),
    "std_mean_infinity_last": (lambda T, x: T.std_mean(x, 1), np.array([[1.0, 2.0, np.inf], [np.inf, 2.0, 1.0]])),
    "std_mean_empty_dim": (lambda T, x: T.std_mean(x, 1), np.zeros((3, 0))),
}


@pytest.mark.parametrize("name", RUNNING_MOMENTS)
def test_var_mean_and_std_mean_running_update_where_not_finite(name: str) -> None:
    fn, x = RUNNING_MOMENTS[name]
    check(fn, [x], grad=False)


def _scalar_and_wide(T: Any, dtype: str) -> tuple:
    """A 0-d tensor and a (3, 3, 1) one, which it cannot hold in place, of a dtype the gate refuses."""
    return T.zeros((), dtype=getattr(T, dtype)), T.zeros(3, 3, 1, dtype=getattr(T, dtype))


INPLACE_OUTPUT_FIRST: dict[str, Callable] = {
    "addcmul_float8": lambda T: (lambda s, w: s.addcmul_(s, w))(*_scalar_and_wide(T, "float8_e5m2fnuz")),
    "addcmul_uint16": lambda T: (lambda s, w: s.addcmul_(s, w))(*_scalar_and_wide(T, "uint16")),
    "lerp_float8": lambda T: (lambda s, w: s.lerp_(w, 0.5))(*_scalar_and_wide(T, "float8_e5m2")),
}


@pytest.mark.parametrize("name", INPLACE_OUTPUT_FIRST)
def test_inplace_output_shape_before_the_gates_refusal(name: str) -> None:
    check(lambda T: INPLACE_OUTPUT_FIRST[name](T), [], grad=False)


def c32(T: Any, value: Any) -> Any:
    return T.tensor(value, dtype=T.complex64).to(T.complex32)


COMPLEX32: dict[str, Callable] = {
    "inner_with_uint16_0d": lambda T: T.inner(c32(T, [[complex(-INF, 9.7), -7 + 1j], [-0.96 + 65504j, 2.4 + 0j],
                                                      [complex(NAN, INF), -0j]]), T.tensor(65535, dtype=T.uint16)),
    "mul_int32_tensor": lambda T: c32(T, [1.5 - 2j, 6e4 + 3j]) * T.tensor([70000, 1], dtype=T.int32),
    "add_int64_tensor": lambda T: c32(T, [1.5 - 2j, 6e4 + 3j]) + T.tensor([70000, 1]),
    "add_infinite": lambda T: c32(T, [1 + 1j] * 3) + c32(T, [complex(INF, 0)] * 3),
    "sub_infinite": lambda T: c32(T, [1 + 1j] * 3) - c32(T, [complex(INF, 0)] * 3),
    "add_infinite_imaginary": lambda T: c32(T, [1 + 1j] * 3) + c32(T, [complex(0, INF)] * 3),
    "add_number": lambda T: c32(T, [1 + 1j] * 3) + complex(INF, 0),
    "add_alpha": lambda T: c32(T, [1 + 1j] * 3).add(c32(T, [complex(INF, 0)] * 3), alpha=2),
    "add_inplace": lambda T: c32(T, [1 + 1j] * 3).add_(c32(T, [complex(INF, 0)] * 3)),
    "rsub_number": lambda T: T.rsub(c32(T, [complex(INF, 1)] * 2), 3),
    "full_complex": lambda T: T.full((2,), 1 + 2j, dtype=T.complex32),
    "full_infinite": lambda T: T.full((), complex(INF, 0), dtype=T.complex32),
    "full_overflow_unchecked": lambda T: T.full((2,), complex(70000, 1), dtype=T.complex32),
    "full_one_element_checked": lambda T: T.full((1,), 70000, dtype=T.complex32),
    "new_full_infinite": lambda T: c32(T, [0j]).new_full((2,), complex(INF, 0)),
    "full_like_overflow_unchecked": lambda T: T.full_like(c32(T, [0j, 0j]), 70000),
}


@pytest.mark.parametrize("name", COMPLEX32)
def test_complex32_values(name: str) -> None:
    check(lambda T: COMPLEX32[name](T).to(T.complex64), [], grad=False)


def test_complex32_add_gradient() -> None:
    def fn(T: Any, x: Any, y: Any) -> Any:
        return (x.to(T.complex32) + y.to(T.complex32)).to(T.complex64)
    check(fn, [np.array([1 + 1j, 2 - 1j], np.complex64), np.array([3 + 0j, -1j], np.complex64)])


SPECIALS = [0.0, -0.0, 1.0, -2.5, INF, -INF, NAN, 1e-300]
COMPLEX_SPECIALS = np.array([complex(r, i) for r in SPECIALS for i in SPECIALS])
COMPLEX_POW: dict[str, tuple[Callable, list]] = {
    "tensor_tensor": (lambda T, x: T.pow(x.unsqueeze(1), x.unsqueeze(0)), [COMPLEX_SPECIALS]),
    "tensor_tensor_complex64": (lambda T, x: T.pow(x.unsqueeze(1), x.unsqueeze(0)),
                                [COMPLEX_SPECIALS.astype(np.complex64)]),
    "bfloat16_infinite_base": (lambda T, x: T.pow(T.tensor(INF, dtype=T.bfloat16), x), [COMPLEX_SPECIALS]),
    "float_base_number": (lambda T, x: T.pow(0.0, x), [COMPLEX_SPECIALS]),
    **{"exponent_%s" % e: ((lambda e: lambda T, x: x.pow(e))(e), [COMPLEX_SPECIALS])
       for e in (0, 1, 0.5, 2, 3, -0.5, -1, -2, 2.5, 1j)},
}


@pytest.mark.parametrize("name", COMPLEX_POW)
def test_complex_pow_is_cpow(name: str) -> None:
    fn, values = COMPLEX_POW[name]
    check(fn, values, grad=False)


def _column_first(column: list, dtype: str = "float64") -> np.ndarray:
    """A 3x3 matrix whose first column is ``column`` and the rest the identity's."""
    a = np.eye(3, dtype=dtype)
    a[:, 0] = column
    return a


LU_PIVOTS: dict[str, tuple[Callable, np.ndarray]] = {
    "complex_nan_below": (lambda T, a: T.linalg.lu(a.expand(1, 2, 3)), np.array(
        [[0.749 - 0j], [complex(0.749, NAN)]], np.complex64)),
    "nan_first_stays": (lambda T, a: T.linalg.lu_factor(a), _column_first([NAN, 5.0, 3.0])),
    "nan_between": (lambda T, a: T.linalg.lu_factor(a), _column_first([1.0, NAN, 5.0])),
    "nan_last_float32": (lambda T, a: T.linalg.lu(a), _column_first([1.0, 5.0, NAN], "float32")),
    "infinite_pivot_before_nan": (lambda T, a: T.linalg.lu_factor(a), _column_first([INF, NAN, 2.0])),
    "complex_infinite_pivot": (lambda T, a: T.linalg.lu(a), np.array(
        [[1 + 1j, 2 - 1j], [complex(INF, 0), 3 + 0j], [0.5 + 0.5j, -1j]])),
    "det_nan_column": (lambda T, a: T.linalg.det(a), _column_first([1.0, NAN, 5.0])),
}


@pytest.mark.parametrize("name", LU_PIVOTS)
def test_lu_pivots_as_lapack_iamax(name: str) -> None:
    fn, a = LU_PIVOTS[name]
    check(fn, [a], grad=False)


LEFTOVERS: dict[str, tuple[Callable, list, bool]] = {
    "vander_infinite": (lambda T, x: T.linalg.vander(x), [np.array([-INF, 2.0, 0.0], np.float32)], True),
    "vander_nan_n4": (lambda T, x: T.linalg.vander(x, N=4), [np.array([[1.0, NAN], [INF, -2.0]])], True),
    "kaiser_float32_huge_negative_beta": (lambda T: T.kaiser_window(5, False, beta=-1e200, dtype=T.float32), [],
                                          False),
    "kaiser_float64_largest_beta": (lambda T: T.kaiser_window(5, beta=-1.7976931348623157e308,
                                                              dtype=T.float64), [], False),
    "kaiser_float16": (lambda T: T.kaiser_window(7, beta=70000.0, dtype=T.float16), [], False),
    "slogdet_complex_infinite": (lambda T, a: T.linalg.slogdet(a), [np.array([[complex(INF, 0), 2], [3j, 4 - 1j]])],
                                 False),
    "logdet_complex_infinite": (lambda T, a: T.logdet(a), [np.array([[complex(INF, 0), 2], [3j, 4 - 1j]],
                                                                    np.complex64)], False),
}


@pytest.mark.parametrize("name", LEFTOVERS)
def test_session9_leftovers(name: str) -> None:
    fn, values, grad = LEFTOVERS[name]
    check(fn, values, grad=grad)


@pytest.mark.parametrize("p", [2.0, 1.0, INF, 0.5])
def test_complex32_dist_records_its_node(p: float) -> None:
    def fn(T: Any, x: Any) -> Any:
        return T.dist(x.to(T.complex32), T.tensor([0j, 1], dtype=T.complex64).to(T.complex32), p)
    check(fn, [np.array([1 + 1j, 2 + 0j], np.complex64)])


NUMBER_BASE_POW: dict[str, tuple[Any, np.ndarray]] = {
    "negative_base_complex_exponent": (-80, np.array([4.97 + 2e-308j, -1.5 + 0.5j])),
    "negative_base_complex64_exponent": (-1.5, np.array([2 + 1j, 0.5 - 0.5j], np.complex64)),
    "complex_base_real_exponent": (1j, np.array([1.5, -0.5])),
    "complex_base_complex_exponent": (-1.5 + 2j, np.array([1.5 + 1j, -0.5j])),
}


@pytest.mark.parametrize("name", NUMBER_BASE_POW)
def test_pow_of_a_number_base_differentiates_with_its_complex_log(name: str) -> None:
    base, exponent = NUMBER_BASE_POW[name]
    check(lambda T, x: T.pow(base, x), [exponent], second_order=True)


@pytest.mark.parametrize("dtype", ["float8_e5m2", "float8_e4m3fnuz", "float8_e8m0fnu"])
def test_vander_refuses_float8_in_its_own_check(dtype: str) -> None:
    check(lambda T: T.linalg.vander(T.ones(3, dtype=getattr(T, dtype))), [], grad=False)
