"""What the fuzzer found once it drew every dtype minitorch has (complex64/128, complex32, bfloat16, uint16-64, the
float8s; issue 10): each class with differential cases that would have caught it."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest

from harness import assert_same_warnings, check

C64, C128 = np.complex64, np.complex128


def _z(dtype: Any) -> np.ndarray:
    return np.array([1 + 2j, -0.5 + 0j, 3 - 1j], dtype)


# (fn, input arrays)
CASES: dict[str, tuple[Callable, list]] = {
    # torch's arange kernel is compiled for the real dtypes but bool, uint16-64 and the float8s, and its dtype dispatch
    # comes before the bounds' checks; windows (of two samples or more) and fft frequencies start from an arange
    **{"arange_%s_%s" % (dt, i): ((lambda dt, b: lambda T: T.arange(*b, dtype=getattr(T, dt)))(dt, b), [])
       for dt in ("complex64", "complex128", "complex32", "bool", "uint16", "float8_e5m2")
       for i, b in enumerate(((5,), (0., 5, 0.5), (0, 5, 0), (0, float("inf")), (0, 5, -1)))},
    **{"%s_%s_%d" % (name, dt, n): ((lambda name, dt, n: lambda T: getattr(T, name)(n, dtype=getattr(T, dt)))(
        name, dt, n), [])
       for name in ("hann_window", "hamming_window", "blackman_window", "bartlett_window", "kaiser_window")
       for dt in ("float8_e4m3fn", "float8_e8m0fnu", "bfloat16") for n in (0, 1, 2, 5, 2 ** 63 - 1)},
    **{"fft_%s_%s_%d" % (name, dt, n): ((lambda name, dt, n: lambda T: getattr(T.fft, name)(n, dtype=getattr(T, dt)))(
        name, dt, n), [])
       for name in ("fftfreq", "rfftfreq") for dt in ("float8_e5m2", "complex64", "uint16") for n in (0, 1, 5)},
    # isin refuses bool and complex64/128 operands (a Python complex as complex128) before promoting, then its kernel
    # refuses a complex promoted dtype (complex32's)
    "isin_complex64_float": (lambda T, a, b: T.isin(a, b), [_z(C64), np.array([1.0, 3.0])]),
    "isin_float_complex128": (lambda T, a, b: T.isin(a, b), [np.array([1.0, 3.0]), _z(C128)]),
    "isin_complex64_uint64": (lambda T, a, b: T.isin(a, b), [_z(C64), np.array([1, 3], np.uint64)]),
    "isin_complex_number": (lambda T, b: T.isin(1j, b), [np.array([1.0, 3.0])]),
    "isin_tensor_complex_number": (lambda T, a: T.isin(a, 2 + 0j), [np.array([1.0, 3.0])]),
    "isin_complex32_float": (lambda T, a, b: T.isin(a.to(T.complex32), b), [_z(C64), np.array([1.0, 3.0])]),
    "isin_complex32_uint64": (lambda T, a, b: T.isin(a.to(T.complex32), b),
                              [_z(C64), np.array([1, 3], np.uint64)]),
    "isin_bool_complex": (lambda T, a, b: T.isin(a, b), [np.array([True]), _z(C64)]),
    "isin_float_number": (lambda T, a: T.isin(a, 1.5), [np.array([1.5, 3.0])]),
    # addcdiv refuses integral (and bool) tensor1 and tensor2, never complex ones
    **{"addcdiv_complex_%s" % name: (lambda T, x, a, b: T.addcdiv(x, a, b, value=2), arrays) for name, arrays in (
        ("all", [_z(C64), _z(C64) * 2, _z(C64) - 3]),
        ("double", [_z(C128), _z(C128) * 2, _z(C128) - 3]),
        ("tensor1", [np.ones(3), _z(C64), np.array([1, 2, 3])]),
        ("tensor2", [np.ones(3), np.array([1, 2, 3]), _z(C128)]),
        ("empty", [np.array(1 + 1j, C64), np.zeros(0, C64), np.array(2j, C64)]))},
    "addcdiv_integers_refused": (lambda T, x, a, b: T.addcdiv(x, a, b), [np.ones(3), np.arange(3), np.arange(3)]),
    "addcdiv_bool_complex32": (lambda T, x, a, b: T.addcdiv(x, a, b.to(T.complex32)),
                               [np.array(False), np.array([True]), _z(C64)]),
}


@pytest.mark.filterwarnings("ignore:ComplexHalf support is experimental")
@pytest.mark.parametrize("case", sorted(CASES))
def test_dtype_edges(case: str) -> None:
    fn, arrays = CASES[case]
    check(fn, arrays)


# linspace and logspace in a complex dtype step between complex bounds (the imaginary parts were dropped)
SPACED = {
    "linspace_complex_bounds": lambda T: T.linspace(1j, 2, 3, dtype=T.complex64),
    "linspace_complex128": lambda T: T.linspace(1 - 2j, 2 + 1j, 6, dtype=T.complex128),
    "linspace_one_step": lambda T: T.linspace(1j, 2, 1, dtype=T.complex64),
    "logspace_complex_bounds": lambda T: T.logspace(1j, 2, 3, dtype=T.complex64),
    "logspace_complex128_base": lambda T: T.logspace(1 - 2j, 2 + 1j, 6, base=2.5, dtype=T.complex128),
    "logspace_real_bounds": lambda T: T.logspace(1, 2, 3, dtype=T.complex64),
    "logspace_overflow": lambda T: T.logspace(261, -4.0, 2, dtype=T.complex64),
    "logspace_one_step": lambda T: T.logspace(1j, 2, 1, dtype=T.complex64),
}


@pytest.mark.parametrize("case", sorted(SPACED))
def test_complex_spaced(case: str) -> None:
    check(lambda T: SPACED[case](T), [])
    assert_same_warnings(SPACED[case])


# clamp checks that a bound is given, then refuses complex; clamp_min/clamp_max with a tensor bound are torch's
# maximum/minimum kernels: promotion and broadcasting come first, then the kernel's refusal (a complex bound too)
CLAMPS = {
    "clamp_no_bounds_complex": lambda T, z, x: T.clamp(z),
    "clamp_no_bounds_inplace": lambda T, z, x: z.clone().clamp_(None, None),
    "clamp_no_bounds_complex32": lambda T, z, x: T.clamp(z.to(T.complex32)),
    "clamp_max_tensor_complex": lambda T, z, x: T.clamp_max(z, x),
    "clamp_min_tensor_complex_bound": lambda T, z, x: T.clamp_min(x, z),
    "clamp_max_broadcast_first": lambda T, z, x: T.clamp_max(z, x[:2]),
    "clamp_max_inplace_broadcast_first": lambda T, z, x: z.clone().clamp_max_(x[:2]),
    "clamp_min_promotion_first": lambda T, z, x: T.clamp_min(z, x.to(T.uint64)),
    "clamp_min_complex32_float8": lambda T, z, x: T.clamp_min(z.to(T.complex32), x.to(T.float8_e5m2)),
    "clamp_min_complex32_both": lambda T, z, x: T.clamp_min(z.to(T.complex32), z.to(T.complex32)),
    "clamp_min_number_complex": lambda T, z, x: T.clamp_min(z, 1.0),
    "clamp_both_tensors_complex": lambda T, z, x: T.clamp(z, x, x),
}


@pytest.mark.filterwarnings("ignore:ComplexHalf support is experimental")
@pytest.mark.parametrize("case", sorted(CLAMPS))
def test_clamp_complex_refusals(case: str) -> None:
    check(CLAMPS[case], [_z(C64), np.array([0.5, -1.0, 2.0])])


@pytest.mark.filterwarnings("ignore:ComplexHalf support is experimental")
@pytest.mark.parametrize("size", [0, 1])
def test_complex32_broadcast_gradient(size: int) -> None:
    """The gradient of an expanded complex32 leaf sums over the expanded dims: torch has no ComplexHalf sum, but an
    empty sum runs no kernel (zeros)."""
    check(lambda T, z: z.to(T.complex32).expand(2, 3, size).to(T.complex64).abs(), [np.array([[[1 + 1j]]], C64)])


# isin of an empty tensor looks nothing up: no promotion, no kernel (after the operands' own dtype checks)
# rsub promotes (other, input), as torch's sub(other, input): the promotion error names other's dtype first
ORDERS = {
    "isin_empty_complex32_uint64": lambda T, z, x: T.isin(z.to(T.complex32)[:0], x.to(T.uint64)),
    "isin_empty_complex64_refused": lambda T, z, x: T.isin(z[:0], x.to(T.uint64)),
    "isin_empty_int8": lambda T, z, x: T.isin(x.to(T.int8)[:0], 5),
    "rsub_complex32_uint64": lambda T, z, x: T.rsub(z.to(T.complex32), x.to(T.uint64)),
    "rsub_float8_int8": lambda T, z, x: T.rsub(x.to(T.float8_e5m2), x.to(T.int8)),
    "rsub_uint32_float": lambda T, z, x: T.rsub(x, x.to(T.uint32)),
}


@pytest.mark.filterwarnings("ignore:ComplexHalf support is experimental")
@pytest.mark.parametrize("case", sorted(ORDERS))
def test_check_order(case: str) -> None:
    check(ORDERS[case], [_z(C64), np.array([0.5, -1.0, 2.0])])


# the kernels torch compiles for every dtype but complex (limited_dtypes' "complex" set, behind the gate that the
# in-place forms with implementations of their own now pass too), and the ops that refuse complex by a message
COMPLEX_REFUSED = {
    **{name: (lambda name: lambda T, z, x: getattr(T, name)(z))(name) for name in (
        "aminmax", "bitwise_not", "cummax_0", "digamma", "erf", "erfc", "erfinv", "frac", "histc", "i0", "lgamma",
        "logit", "median", "mode", "nanmedian", "deg2rad", "rad2deg", "isposinf", "isneginf", "signbit", "nansum")
       if name != "cummax_0"},
    "cummax": lambda T, z, x: T.cummax(z, 0),
    "cummin": lambda T, z, x: T.cummin(z, 0),
    "erf_": lambda T, z, x: z.clone().erf_(),
    "logit_": lambda T, z, x: z.clone().logit_(),
    "logit_function_": lambda T, z, x: T.logit_(z.clone()),
    "deg2rad_": lambda T, z, x: z.clone().deg2rad_(),
    "gcd": lambda T, z, x: T.gcd(z, z),
    "gcd_": lambda T, z, x: z.clone().gcd_(z),
    "lcm_int_complex": lambda T, z, x: T.lcm(x.long(), z),
    "xlogy": lambda T, z, x: T.xlogy(z, z),
    "xlogy_": lambda T, z, x: z.clone().xlogy_(z),
    "floor_divide": lambda T, z, x: T.floor_divide(z, z),
    "bitwise_left_shift": lambda T, z, x: T.bitwise_left_shift(z, z),
    "searchsorted": lambda T, z, x: T.searchsorted(z, z),
    "bucketize": lambda T, z, x: T.bucketize(z, z),
    "fmax": lambda T, z, x: T.fmax(x, z),
    "fmin": lambda T, z, x: T.fmin(z, x),
    "heaviside_self": lambda T, z, x: T.heaviside(z, x),
    "heaviside_values": lambda T, z, x: T.heaviside(x, z),
    "isposinf_out": lambda T, z, x: T.isposinf(z.detach(), out=T.zeros(3, dtype=T.bool)),
    "nansum_dims_first": lambda T, z, x: T.nansum(z, 5),
    "nansum_complex_dtype": lambda T, z, x: T.nansum(x, dtype=T.complex64),
    "weight_norm": lambda T, z, x: T._weight_norm(z, z),
    # what still computes: the real forms, and gcd_ / logit_ of uint16 / float8 (behind the gate now)
    "fmax_real": lambda T, z, x: T.fmax(x, -x),
    "logit_real_": lambda T, z, x: x.clone().logit_(),
    "gcd_uint16_": lambda T, z, x: x.to(T.uint16).gcd_(x.to(T.uint16)),
    "logit_float8_": lambda T, z, x: x.to(T.float8_e5m2).logit_(),
    "nansum_real": lambda T, z, x: T.nansum(x),
}


@pytest.mark.parametrize("case", sorted(COMPLEX_REFUSED))
def test_complex_refusals(case: str) -> None:
    check(COMPLEX_REFUSED[case], [_z(C64), np.array([0.5, -1.0, 2.0])])


# ops that read "not floating" as integral and so computed complex inputs as integers or reals (trace summed into
# int64, logsumexp and the trapezoid rule dropped the imaginary parts)
COMPLEX_AS_REAL = {
    "trace": lambda T, z: T.trace(z),
    "logsumexp": lambda T, z: T.logsumexp(z, 1),
    "logsumexp_keepdim": lambda T, z: T.logsumexp(z, 0, keepdim=True),
    "trapezoid": lambda T, z: T.trapezoid(z),
    "trapezoid_dx": lambda T, z: T.trapezoid(z, dx=0.5, dim=0),
    "trapz_x": lambda T, z: T.trapz(z, z),
    "trapezoid_empty": lambda T, z: T.trapezoid(z[:, :0]),
}


@pytest.mark.parametrize("dtype", [C64, C128])
@pytest.mark.parametrize("case", sorted(COMPLEX_AS_REAL))
def test_complex_not_integral(case: str, dtype: Any) -> None:
    z = np.array([[1 + 2j, 1, -0.5j], [3j, 2 - 1j, 0.25]], dtype)
    check(COMPLEX_AS_REAL[case], [z], second_order=dtype == C128)
