"""Pointwise math beyond the foundation's arithmetic: transcendental functions, rounding, division
with rounding modes, clamping, interpolation, shifts and closeness tests.

Ops that fit ``pointwise.unary``/``pointwise.binary`` are one declaration each. The others (extra
keywords, three operands, several overloads) compute ``(op, data, inputs, attrs)`` in one function
shared by the out-of-place form (``record``) and the in-place form (``_write``).
"""
from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np

from .. import _dtype as D
from .._tensor import Tensor
from .cpp_format import cpp_double
from .dims import REFUSED_DTYPE, REFUSED_SHAPE
from .inplace import OutCheck, check_cast, out_dtype_where, real_input_dtype, same_dtype_out
from .limited_dtypes import refuse_kernel
from .. import return_types
from ..autograd.joint import joint_vjps
from ..autograd.recording import (OpDef, check_inplace, check_output_shape, defop, has_memory_to_write, record,
                                  record_inplace)
from .pointwise import (BFLOAT16_BLOCKS, FLOAT, IN_OWN_DTYPE_KERNELS, KEEP, OPMATH_SCALAR_KERNELS, SCALAR_EITHER,
                        SCALAR_EITHER_METHOD, TENSOR_OTHER, _binary_compute, _rounded_once, binary, no_complex_clamp,
                        conj_of, no_complex_extreme, no_kernel, refuse_broadcast, refuse_complex, rsqrt_in_dtype,
                        unary, zero_grad)
from .cpu_loops import (AVX512_BFLOAT16_BLOCK, AVX512_BLOCK_BYTES, VECTORIZED_BFLOAT16_NAN, by_lanes, round_to_bfloat16,
                        scalar_lanes)
from . import complex_math, sleef_atan2
from .._rng import libm
from .promotion import as_array, check_broadcast, check_broadcast_all, operand_key, promoted
from .registry import FUNCTIONS, OPS, op, warn_resized
from .preserve_format import laid_out_like
from .result_layout import record_elementwise, torch_layout
from .._creation import full
from .fused import fused_multiply_add
from .complex_product import complex_elementwise_product, complex_product, complex_quotient
from .scalar_cast import check_scalar_int, checked_scalar
from .scalar_overloads import add_scalar, mul_scalar, sub_scalar

_LN2 = math.log(2.0)
_LN10 = math.log(10.0)
_SQRT_PI = math.sqrt(math.pi)
_2_OVER_SQRT_PI = 2.0 / _SQRT_PI

# dtype names as torch's C++ checks print them (lerp, clamp_ with a number)


def _write(self: Tensor, op: OpDef, data: np.ndarray, inputs: tuple, attrs: dict | None = None) -> Tensor:
    """Store an op's result into ``self`` with torch's in-place checks (shape, dtype, autograd)."""
    check_output_shape(self, data.shape)
    check_cast(D._FROM_NP[data.dtype], self.dtype)
    return record_inplace(op, self, data, inputs, attrs)


def _not_implemented(aten_name: str) -> Callable:
    """The VJP of an op torch does not differentiate (its grad_fn is ``NotImplemented``)."""
    def vjp(grad: Tensor) -> Tensor:
        raise RuntimeError("derivative for aten::%s is not implemented" % aten_name)
    return vjp


def _not_implemented_inplace(name: str) -> Callable:
    """The VJP torch records for an in-place op it does not differentiate (asinh_, ...)."""
    def vjp(grad: Tensor) -> Tensor:
        raise NotImplementedError("the derivative for 'inplace version of %s' is not implemented." % name)
    return vjp


def _promote(fname: str, operands: tuple) -> D.dtype:
    """torch's result dtype of several operands (Tensors, Python numbers, or None: skipped)."""
    return promoted(tuple([operand_key(x, fname) for x in operands if x is not None]), operands)


# ---- erf, erfc, erfinv: NumPy has none ---------------------------------------------------------
# |x| < 2: erf's series x * sum_k (2x^2)^k / (1*3*...*(2k+1)) * 2/sqrt(pi) * exp(-x^2), whose terms
# are all positive (no cancellation). |x| >= 2: erfc's continued fraction
# exp(-x^2)/sqrt(pi) / (x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))), evaluated bottom-up at a fixed
# depth. Terms and depth give float64 ulps (measured against mpmath: erf 5e-16, erfc 5e-14 relative);
# float32 inputs need fewer.
_SPLIT = 2.0
_SERIES = [2.0 ** k / math.prod(range(1, 2 * k + 2, 2)) for k in range(30)]
_TERMS = {True: (30, 50), False: (22, 20)}  # float64?: (series terms, fraction depth)


def _exp_minus_square(x: np.ndarray) -> np.ndarray:
    """exp(-x*x) without the rounding of x*x, which exp would magnify (|x| up to 27)."""
    head = np.round(x * 4096.0) / 4096.0  # 12 significant bits: head*head is exact
    return np.exp(-head * head) * np.exp((head - x) * (x + head))


def _erf_series(a: np.ndarray, terms: int) -> np.ndarray:
    x2 = a * a
    p = np.full_like(a, _SERIES[terms - 1])
    for c in _SERIES[terms - 2::-1]:  # Horner in x^2
        p *= x2
        p += c
    p *= a
    p *= np.exp(-x2)
    p *= _2_OVER_SQRT_PI
    return p


def _erfc_fraction(a: np.ndarray, depth: int) -> np.ndarray:
    a = np.minimum(a, 30.0)  # erfc underflows to 0 long before; keeps inf out of the fraction
    f = a.copy()
    for k in range(depth, 0, -1):
        np.divide(0.5 * k, f, out=f)
        f += a
    f *= _SQRT_PI
    return np.divide(_exp_minus_square(a), f, out=f)


def _by_magnitude(x: np.ndarray, near: Callable, far: Callable) -> np.ndarray:
    """``near(|x|, x)`` where |x| < _SPLIT and ``far(|x|, x)`` elsewhere (NaN goes to ``far``)."""
    a = np.abs(x)
    is_near = a < _SPLIT
    if is_near.all():
        return near(a, x)
    out = np.empty_like(a)
    for idx, fn in ((np.flatnonzero(is_near), near), (np.flatnonzero(~is_near), far)):
        if idx.size:  # take/put: much faster than boolean indexing
            out.put(idx, fn(a.take(idx), x.take(idx)))
    return out.reshape(x.shape)


def _erf64(x: np.ndarray) -> np.ndarray:
    n, d = _TERMS[x.dtype == np.float64]
    x = x.astype(np.float64, copy=False)
    return np.copysign(_by_magnitude(x, lambda a, _: _erf_series(a, n),
                                     lambda a, _: 1.0 - _erfc_fraction(a, d)), x)


def _erfc64(x: np.ndarray) -> np.ndarray:
    n, d = _TERMS[x.dtype == np.float64]
    x = x.astype(np.float64, copy=False)

    def near(a: np.ndarray, s: np.ndarray) -> np.ndarray:
        e = _erf_series(a, n)
        return np.where(s < 0, 1.0 + e, 1.0 - e)

    def far(a: np.ndarray, s: np.ndarray) -> np.ndarray:
        c = _erfc_fraction(a, d)
        return np.where(s < 0, 2.0 - c, c)
    return _by_magnitude(x, near, far)


# torch's float16/bfloat16 erf runs Vectorized<float>::erf on float32 lanes, every element (measured: a loop's
# tail and strided rows too): Abramowitz and Stegun's 7.1.26, sign(x) (1 - t P(t) exp(-x^2)) with
# t = 1 / (1 + p|x|), in fused multiply-adds (1.5e-7 off erf: a float16 result rounds otherwise in 1 of 1,500
# elements); float32's kernel is a true erf
_ERF_P = np.float32(0.3275911)
_ERF_POLY = tuple(np.float32(c) for c in (1.061405429, -1.453152027, 1.421413741, -0.284496736, 0.254829592))


def _erf_vectorized_float(x: np.ndarray) -> np.ndarray:
    one = np.float32(1)
    a = np.abs(x)
    t = one / fused_multiply_add(_ERF_P, a, one)
    r = np.full_like(t, _ERF_POLY[0])
    for c in _ERF_POLY[1:]:
        r = fused_multiply_add(r, t, c)
    decay = np.exp(-np.float64(x * x)).astype(np.float32)  # (Sleef's float exp: within its last bit)
    return np.copysign(fused_multiply_add(-decay * t, r, one), x)


def _erfinv64(x: np.ndarray) -> np.ndarray:
    """Winitzki's closed-form estimate (0.2% off), then two Halley steps on erf(y) = |x|."""
    x = x.astype(np.float64, copy=False)
    a = np.abs(x)
    out = np.where(a == 1, np.inf, np.nan)  # |x| > 1 and NaN give NaN
    inside = np.flatnonzero(a < 1)
    b = a.take(inside)
    w = np.log((1 - b) * (1 + b))
    k = 0.147
    t = 2 / (math.pi * k) + w / 2
    y = np.sqrt(np.sqrt(t * t - w / k) - t)
    # near 1, erf(y) - b cancels: solve (1 - b) - erfc(y) = 0 there, 1 - b being exact for b >= 1/2
    tail = b > 0.5
    for _ in range(2):
        f = np.where(tail, (1 - b) - _erfc64(np.where(tail, y, 0.0)), _erf64(np.where(tail, 0.0, y)) - b)
        y = y - f / (_2_OVER_SQRT_PI * _exp_minus_square(y) + y * f)
    out.put(inside, y)
    return np.copysign(out, x)


def _in_own_dtype(kernel: Callable) -> Callable:
    """A float64 kernel as a ufunc-like ``f(x, out=None)`` that answers in ``x``'s dtype."""
    def apply(x: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        r = kernel(x)
        if out is None:
            return r.astype(x.dtype, copy=False)
        out[...] = r
        return out
    return apply


# ---- unary functions computed in floating point (ints and bools in the default dtype) ----------
def _rsqrt(x: np.ndarray) -> np.ndarray:
    if x.dtype.kind == "c":  # (c10's division: see complex_quotient)
        return complex_quotient(1, np.sqrt(x))
    return np.reciprocal(np.sqrt(x))


def _logarithm(ufunc: Callable, base: float) -> Callable[[np.ndarray], np.ndarray]:
    """torch's log2 and log10: of a complex x, log's real and imaginary parts each divided by ln(base) rounded to
    the parts' dtype (its vectorized kernel's division, and libstdc++'s for the scalar tail; NumPy's complex log2
    and log10 are an ulp off, and NaN beside an infinite part)."""
    def logarithm(x: np.ndarray) -> np.ndarray:
        if x.dtype.kind != "c":
            return ufunc(x)
        logs = np.log(x)
        ln_base = logs.real.dtype.type(math.log(base))
        result = np.empty_like(logs)
        result.real, result.imag = logs.real / ln_base, logs.imag / ln_base
        return result
    return logarithm


def _one_minus(x: Tensor) -> Tensor:
    """C++'s ``1 - x`` (TensorOperators.h): a tensor filled with 1, then x subtracted in place."""
    return full(x.shape, 1, dtype=x.dtype).sub_(x)


def _acosh_slope(self: Tensor) -> Tensor:
    """torch's 1 / sqrt(x^2 - 1): as (x + 1)^-1/2 (x - 1)^-1/2 for complex x (acosh's branch cut), as x * x - 1 for
    real x (a product, whose derivative at a huge x is 0 * x, not pow's 0 * 2x = NaN)."""
    if self.dtype.is_complex:
        return add_scalar(self, 1).rsqrt() * sub_scalar(self, 1).rsqrt()
    return sub_scalar(self * self, 1).rsqrt()


_UNARY_FLOAT = (
    # name, forward, VJP (torch's derivatives.yaml formula, written for complex values: the derivative conjugated,
    # which keeps torch's signs of zero; see pointwise's _MUL_GRADS), aliases
    ("rsqrt", _rsqrt, lambda grad, result: -0.5 * grad * result.pow(3).conj(), ()),
    ("exp2", np.exp2, lambda grad, result: mul_scalar(grad * result.conj(), _LN2), ()),
    ("expm1", complex_math.for_complex(np.expm1, complex_math.expm1),
     lambda grad, result: grad * add_scalar(result.conj(), 1), ()),
    ("log2", _logarithm(np.log2, 2.0), lambda grad, self: grad / mul_scalar(self.conj(), _LN2), ()),
    ("log10", _logarithm(np.log10, 10.0), lambda grad, self: grad / mul_scalar(self.conj(), _LN10), ()),
    ("sin", np.sin, lambda grad, self: grad * self.cos().conj(), ()),
    ("cos", np.cos, lambda grad, self: grad * -self.sin().conj(), ()),
    ("tan", np.tan, lambda grad, result: grad * add_scalar(result.pow(2), 1).conj(), ()),
    ("asin", np.arcsin, lambda grad, self: grad * add_scalar(-self * self, 1).rsqrt().conj(), ("arcsin",)),
    ("acos", complex_math.for_complex(np.arccos, complex_math.acos),
     lambda grad, self: grad * -(add_scalar(-self * self, 1).rsqrt()).conj(), ("arccos",)),
    ("atan", np.arctan, lambda grad, self: grad / add_scalar(self * self, 1).conj(), ("arctan",)),
    ("sinh", np.sinh, lambda grad, self: grad * self.cosh().conj(), ()),
    ("cosh", np.cosh, lambda grad, self: grad * self.sinh().conj(), ()),
    ("asinh", np.arcsinh, lambda grad, self: grad * add_scalar(self.pow(2), 1).rsqrt().conj(), ("arcsinh",)),
    ("acosh", np.arccosh, lambda grad, self: grad * _acosh_slope(self).conj(), ("arccosh",)),
    ("atanh", np.arctanh, lambda grad, self: mul_scalar(grad, 1) / _one_minus(self.pow(2)).conj(), ("arctanh",)),
    # (derivatives.yaml's formulas: the constants are C++ doubles, Scalar overloads (MulBackward1); erfinv's recomputes
    # erfinv(self))
    ("erf", _in_own_dtype(_erf64), lambda grad, self: mul_scalar((-self.pow(2)).exp(), _2_OVER_SQRT_PI) * grad, ()),
    ("erfc", _in_own_dtype(_erfc64), lambda grad, self: mul_scalar((-self.pow(2)).exp(), -_2_OVER_SQRT_PI) * grad,
     ()),
    ("erfinv", _in_own_dtype(_erfinv64),
     lambda grad, self: mul_scalar(self.erfinv().pow(2).exp(), 0.5 * _SQRT_PI) * grad, ()),
)
# torch does not differentiate these three in place (a grad_fn of their own that refuses)
_NO_INPLACE_GRAD = {n: defop(n, ("self",), {"self": _not_implemented_inplace(n)}, n.capitalize() + "Backward1")
                    for n in ("asinh", "acosh", "atanh")}
# where torch's scalar lambda for float16/bfloat16 rounds differently from its vectorized body (cpu_loops)
_SCALAR_LAMBDAS = {"rsqrt": rsqrt_in_dtype}
# float16/bfloat16 kernels that compute otherwise than the float32 one
_REDUCED_BODIES = {"erf": _erf_vectorized_float}
for _name, _fn, _vjp, _aliases in _UNARY_FLOAT:
    unary(_name, _fn, _vjp, kind=FLOAT, aliases=_aliases, inplace_op=_NO_INPLACE_GRAD.get(_name),
          scalar=_SCALAR_LAMBDAS.get(_name), reduced=_REDUCED_BODIES.get(_name), complex_vjps=True)
_log1p = complex_math.for_complex(np.log1p, complex_math.log1p)
unary("log1p", _log1p, lambda grad, self: grad / add_scalar(self, 1).conj(), kind=FLOAT, grad_name="Log1PBackward0",
      complex_vjps=True)


# ---- rounding, sign, fractional part ------------------------------------------------------------
def _keep_integers(ufunc: Callable) -> Callable:
    """``ufunc`` on floats; integers are already whole, and come back unchanged."""
    def apply(x: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        if D.is_floating_np(x.dtype):
            return ufunc(x, out=out)
        if out is None:
            return x.copy()
        np.copyto(out, x)
        return out
    return apply


def _refusing(kernel: str, *categories: int) -> Callable[[Tensor], None]:
    """A unary op's check: torch's NotImplementedError for the input's dtype category."""
    refuse = no_kernel(kernel, *categories)
    return lambda x: refuse(x.dtype)


def _rounding_check(name: str) -> Callable[[Tensor], None]:
    refuse_bool = _refusing(name + "_vml_cpu", D.BOOL)

    def check(x: Tensor) -> None:
        if x.dtype.is_complex:
            raise NotImplementedError("%s is not supported for complex inputs" % name)
        refuse_bool(x)
    return check


for _name, _ufunc, _aliases in (("floor", np.floor, ()), ("ceil", np.ceil, ()), ("trunc", np.trunc, ("fix",))):
    unary(_name, _keep_integers(_ufunc), zero_grad, check=_rounding_check(_name), aliases=_aliases,
          out_rule=same_dtype_out(real_input_dtype))
unary("frac", lambda x, out=None: np.subtract(x, np.trunc(x), out=out), lambda grad: grad,
      check=_refusing("frac_cpu", D.BOOL, D.INTEGRAL), out_rule=same_dtype_out(), block=32)

ROUND = defop("round", ("self",), {"self": zero_grad})
ROUND_DECIMALS = defop("round", ("self",), {"self": zero_grad}, "RoundBackward1")
_round_half_even = _keep_integers(np.rint)  # torch rounds halves to even, as rint


def _round(input: Tensor, decimals: int | None) -> tuple:
    # round(x) and round(x, decimals=...) are two overloads; only the first passes integers through
    if decimals is None:
        no_kernel("round_vml_cpu", D.BOOL, D.COMPLEX)(input.dtype)
        data = _round_half_even(input._data)
        if input._data.dtype in D.REDUCED_NP:  # (torch's kernel keeps a NaN's bits, ml_dtypes' rint does not)
            data = np.where(np.isnan(input._data), input._data, data)
        return ROUND, data, (input,), None
    no_kernel("round_cpu" if decimals else "round_vml_cpu", D.BOOL, D.INTEGRAL)(input.dtype)
    # torch's kernel computes the reduced floats in float32; a power of ten beyond the range is inf (nan results)
    x = input._data.astype(np.float32) if input._data.dtype in D.REDUCED_NP else input._data
    with np.errstate(over="ignore"):
        scale = x.dtype.type(np.power(10.0, float(abs(decimals))))
    data = np.rint(x * scale) / scale if decimals >= 0 else np.rint(x / scale) * scale
    return ROUND_DECIMALS, np.asarray(data, input._data.dtype), (input,), {"decimals": decimals}


@op("round(Tensor input, *, Tensor out=None)", "round(Tensor input, *, int64_t decimals, Tensor out=None)",
    method=True, inplace=True, out_rule=same_dtype_out())
def round(input: Tensor, *, decimals: int | None = None) -> Tensor:  # noqa: A001 - torch's name
    return record_elementwise(*_round(input, decimals))


# ---- nan_to_num, isposinf, isneginf -------------------------------------------------------------
NAN_TO_NUM = defop("nan_to_num", ("self",), {"self": lambda grad, self: grad * self.isfinite()}, complex_grad=False)


def _nan_to_num(input: Tensor, nan: float | None, posinf: float | None, neginf: float | None) -> tuple:
    if input.dtype is D.complex32:  # (before autograd's refusal of a complex result)
        raise NotImplementedError("\"nan_to_num\" not implemented for 'ComplexHalf'")
    x = input._data
    if x.dtype.kind == "c":  # each part replaced as a real one
        data = np.empty_like(x)
        data.real, data.imag = (_finite(part, nan, posinf, neginf) for part in (x.real, x.imag))
    elif not D.is_floating_np(x.dtype):
        data = x.copy()
    else:
        data = _finite(x, nan, posinf, neginf)
    return NAN_TO_NUM, data, (input,), None


def _finite(x: np.ndarray, nan: float | None, posinf: float | None, neginf: float | None) -> np.ndarray:
    """A real floating array's NaN and infinities replaced: torch's defaults for posinf/neginf are the dtype's
    largest and lowest values (NumPy's, but for bfloat16)."""
    info = D.finfo_np(x.dtype)
    return np.asarray(np.nan_to_num(x.astype(D.opmath_np(x.dtype)), nan=0.0 if nan is None else nan,
                                    posinf=info.max if posinf is None else posinf,
                                    neginf=info.min if neginf is None else neginf)).astype(x.dtype)


def _nan_to_num_inplace(self: Tensor, nan: float | None = None, posinf: float | None = None,
                        neginf: float | None = None) -> Tensor:
    # torch copies an integral or bool self onto itself: nothing is written, nor checked for overlap
    op, data, inputs, attrs = _nan_to_num(self, nan, posinf, neginf)
    return record_inplace(op, self, data, inputs, attrs, overlapping=self.dtype.category < D.FLOATING)


@op("nan_to_num(Tensor input, double? nan=None, double? posinf=None, double? neginf=None, *, Tensor out=None)",
    method=True, inplace=_nan_to_num_inplace,
    out_check=OutCheck("nan_to_num: dtype of out: %(out)s should be same as input: %(result)s"))
def nan_to_num(input: Tensor, nan: float | None = None, posinf: float | None = None,
               neginf: float | None = None) -> Tensor:
    return record_elementwise(*_nan_to_num(input, nan, posinf, neginf))


def _equal_to(infinity: float) -> Callable:
    """isposinf / isneginf: integers and bools are never infinite."""
    return lambda x: np.equal(x, infinity) if D.is_floating_np(x.dtype) else np.zeros(x.shape, np.bool_)


def _is_bool(dt: D.dtype) -> bool:
    return dt is D.bool


unary("isposinf", _equal_to(np.inf), None, inplace=False,
      check=refuse_complex("isposinf does not support complex inputs."),
      out_rule=out_dtype_where(_is_bool, "isposinf does not support non-boolean outputs."))
unary("isneginf", _equal_to(-np.inf), None, inplace=False,
      check=refuse_complex("isneginf does not support complex inputs."),
      out_rule=out_dtype_where(_is_bool, "isneginf does not support non-boolean outputs."))


# ---- division with rounding, floor_divide, remainder, fmod ---------------------------------------
def _divisor_check(kernel: str) -> Callable:
    """Refuse bool, and integer division by zero (NumPy answers 0 with a warning; torch raises)."""
    no_bool = no_kernel(kernel, D.BOOL)

    def validate(dt: D.dtype, divisor: Any) -> None:
        no_bool(dt)
        if dt.category == D.INTEGRAL and np.any(divisor == 0):
            raise RuntimeError("ZeroDivisionError")
    return validate


def _trunc_divide(a: Any, b: Any) -> np.ndarray:
    if D.is_floating_np(np.result_type(a, b)):
        return np.trunc(np.true_divide(a, b))  # (the reduced floats: the quotient rounded to them first, as c10)
    q = np.floor_divide(a, b)
    return q + ((q < 0) & (q * b != a))  # floor and trunc differ for inexact negative quotients


def _floor_divide(a: Any, b: Any) -> np.ndarray:
    """Floor division. NumPy's is c10's div_floor_floating for float32/float64; float16 and bfloat16 run its steps
    here in their own dtype, each rounded as c10's Half/BFloat16 arithmetic rounds (NumPy's float16 rounds once)."""
    dtype = np.result_type(a, b)
    if dtype not in D.REDUCED_NP:
        return np.floor_divide(a, b)
    a, b = np.asarray(a, dtype), np.asarray(b, dtype)
    one, half = dtype.type(1), dtype.type(0.5)
    mod = np.fmod(a, b)
    div = (a - mod) / b
    div = np.where((mod != 0) & ((b < 0) != (mod < 0)), div - one, div)
    floor = np.floor(div)
    floor = np.where(div - floor > half, floor + one, floor)
    floor = np.where(div != 0, floor, np.copysign(dtype.type(0), a / b))
    return np.where(b == 0, a / b, floor)


def _not_differentiable(aten_name: str) -> dict[str, Callable]:
    return {"self": _not_implemented(aten_name), "other": _not_implemented(aten_name)}


IN_OWN_DTYPE_KERNELS.update((_trunc_divide, _floor_divide))
OPMATH_SCALAR_KERNELS.update((_trunc_divide, _floor_divide))  # (a scalar divisor: in float, rounded once)
_NOT_DIFFERENTIABLE = _not_differentiable("floor_divide")
binary("floor_divide", _floor_divide, _NOT_DIFFERENTIABLE, grad_name="NotImplemented",
       signatures=TENSOR_OTHER + ("floor_divide(Tensor input, Scalar other)",),
       validate=_divisor_check("div_floor_cpu"), number_self=("NotImplemented", _NOT_DIFFERENTIABLE),
       inplace_grads=_not_differentiable("floor_divide_"))
def _python_remainder(a: Any, b: Any) -> np.ndarray:
    """Python's modulo, whose zero results torch signs as the dividend (fmod), NumPy as the divisor."""
    r = np.asarray(np.remainder(a, b))
    if D.is_floating_np(r.dtype):
        np.copysign(r, a, out=r, where=r == 0)
    return r


# SLEEF's fmod scales a divisor below the smallest normal number (and the dividend with it) by this power of two
_SLEEF_FMOD_SCALE = {np.dtype(np.float64): np.float64(2.0 ** 54), np.dtype(np.float32): np.float32(2.0 ** 25)}
# the NaN it returns where its quotient overflows (measured), signed against the dividend
_SLEEF_FMOD_NAN = {np.dtype(np.float64): (np.uint64, 0x7FFFFFFFFFFFFFEC), np.dtype(np.float32): (np.uint32, 0x7FFFFFFF)}


def _sleef_fmod_overflows(a: np.ndarray, b: np.ndarray) -> np.ndarray | None:
    """Where SLEEF's fmod (``Sleef_fmodd8``/``fmodf16``: torch's vectorized fmod and remainder) is NaN though the
    exact remainder is not: its first estimate of the quotient, ``|a|`` and ``1 / |b|`` each stepped toward 0, times
    each other, overflows (a quotient past the dtype's largest number). None where no element's can. ``a``, ``b``:
    float32 or float64, broadcast."""
    dtype = np.result_type(a, b)
    n, d = np.abs(a), np.abs(b)
    candidates = np.asarray(n >= d * (np.finfo(dtype).max / 2))  # (near overflow; d * max/2 may overflow itself)
    if not candidates.any():
        return None
    n, d = np.broadcast_to(n, candidates.shape)[candidates], np.broadcast_to(d, candidates.shape)[candidates]
    tiny = d < np.finfo(dtype).tiny
    scale = _SLEEF_FMOD_SCALE[dtype]
    n, d = np.where(tiny, n * scale, n), np.where(tiny, d * scale, d)
    zero = dtype.type(0)
    overflows = candidates.copy()
    overflows[candidates] = np.isinf(np.nextafter(n, zero) * np.nextafter(np.reciprocal(d), zero))
    return overflows


def _as_vectorized(exact: Callable[[Any, Any], np.ndarray]) -> Callable[[Any, Any], np.ndarray]:
    """torch's fmod or remainder kernel from ``exact`` (glibc's fmod, its scalar lambda): NaN in the vectorized
    body's lanes where SLEEF's fmod overflows (one 512-bit vector a step, measured). The reduced floats compute in
    float32 and round once (bfloat16's NaN as the lane rounds it)."""
    def kernel(a: Any, b: Any) -> np.ndarray:
        a, b = np.asarray(a), np.asarray(b)
        reduced = a.dtype in D.REDUCED_NP
        a32, b32 = (a.astype(np.float32), b.astype(np.float32)) if reduced else (a, b)
        result = np.asarray(exact(a32, b32))
        if result.dtype in _SLEEF_FMOD_SCALE:
            with np.errstate(all="ignore"):
                overflows = _sleef_fmod_overflows(a32, b32)
            if overflows is not None:
                lanes = scalar_lanes(result.shape, (a, b), a.itemsize)
                vectorized = overflows if lanes is None else overflows & ~lanes
                bits, nan = _SLEEF_FMOD_NAN[result.dtype]
                sign = bits(1) << bits(8 * result.itemsize - 1)
                dividend_sign = np.broadcast_to(np.signbit(a32), result.shape)[vectorized]
                result.view(bits)[vectorized] = np.where(dividend_sign, bits(nan), bits(nan) | sign)
        return _rounded_once(result, a.dtype, (a, b)) if reduced else result
    return kernel


_remainder, _fmod = _as_vectorized(_python_remainder), _as_vectorized(np.fmod)
IN_OWN_DTYPE_KERNELS.update((_remainder, _fmod))  # (they round to the reduced floats themselves)


binary("remainder", _remainder, {"self": lambda grad: grad,
                                   "other": lambda grad, self, other: -grad * self.div(other, rounding_mode="floor")},
       grad_name="RemainderBackward1", scalar_grad_name="RemainderBackward0",
       validate=_divisor_check("remainder_cpu"), signatures=SCALAR_EITHER, method=SCALAR_EITHER_METHOD,
       number_self=("NotImplemented", {"other": _not_implemented("remainder")}))
binary("fmod", _fmod, {"self": lambda grad: grad,
                         "other": lambda grad, self, other: -grad * self.div(other, rounding_mode="trunc")},
       grad_name="FmodBackward1", scalar_grad_name="FmodBackward0", validate=_divisor_check("fmod_cpu"))

def _div_mode_grad(of_self: bool) -> Callable:
    # torch's DivBackward2: zero with a rounding mode, true division's gradient with an explicit None (its formula's
    # ops each rounding to the reduced floats, as DivBackward0's: an int32 self past float16's range is inf there)
    def vjp(grad: Tensor, self: Tensor, other: Any, rounding_mode: str | None) -> Tensor:
        if rounding_mode is not None:
            return zero_grad(grad)
        return grad / other if of_self else -grad * ((self / other) / other)
    return vjp


DIV_MODE = defop("div", ("self", "other"), {"self": _div_mode_grad(True), "other": _div_mode_grad(False)},
                 "DivBackward2", widen=False)
_ROUNDINGS = {None: (np.true_divide, FLOAT, None),
              "trunc": (_trunc_divide, KEEP, _divisor_check("div_trunc_cpu")),
              "floor": (_floor_divide, KEEP, _divisor_check("div_floor_cpu"))}
_NO_MODE = "<no rounding_mode>"  # div(x, y) and div(x, y, rounding_mode=None) record differently


def _div_mode(input: Tensor, other: Any, rounding_mode: str | None, out: Tensor | None = None) -> tuple:
    if type(other) is int:  # (torch's parser reads a Scalar before the function looks at the mode)
        check_scalar_int(other)
    if rounding_mode not in _ROUNDINGS:
        raise RuntimeError("div expected rounding_mode to be one of None, 'trunc', or 'floor' but found '%s'"
                           % rounding_mode)
    ufunc, kind, validate = _ROUNDINGS[rounding_mode]
    data, _ = _binary_compute(ufunc, kind, "div", input, other, validate=validate, out=out)
    return DIV_MODE, data, (input, other), {"rounding_mode": rounding_mode}


def _div(input: Any, other: Any, *, rounding_mode: str | None = _NO_MODE) -> Tensor:
    """True division (``true_divide``'s op), or with a rounding mode (DivBackward2)."""
    if rounding_mode is _NO_MODE:
        return OPS["true_divide"].impl(input, other)
    op, data, inputs, attrs = _div_mode(input, other, rounding_mode)
    # (a number divisor is a TensorIterator operand, wrapped: it takes the fast setup away, see result_layout)
    return record(op, torch_layout(data, [x._data if isinstance(x, Tensor) else x for x in inputs]), inputs, attrs)


def _div_(self: Tensor, other: Any, *, rounding_mode: str | None = _NO_MODE) -> Tensor:
    # torch checks the in-place result's shape and dtype before dividing
    if rounding_mode is _NO_MODE:
        return Tensor.true_divide_(self, other)
    return _write(self, *_div_mode(self, other, rounding_mode, self))


_DIV_TENSOR = ("{0}(Tensor input, Tensor other, *, Tensor out=None)",
               "{0}(Tensor input, Tensor other, *, c10::string_view? rounding_mode, Tensor out=None)")
_DIV_METHOD = ("{0}(Tensor other)", "{0}(Tensor other, *, c10::string_view? rounding_mode)")
op(*(t.format("div") for t in _DIV_TENSOR + ("{0}(Tensor input, Scalar other, *, c10::string_view? rounding_mode)",)),
   method=[t.format("div") for t in _DIV_METHOD + ("{0}(Scalar other, *, c10::string_view? rounding_mode)",)],
   inplace=_div_)(_div)
op(*(t.format("divide") for t in _DIV_TENSOR[:1] + _DIV_TENSOR[1:] + (
    "{0}(Tensor input, Scalar other)", "{0}(Tensor input, Scalar other, *, c10::string_view? rounding_mode)")),
   method=[t.format("divide") for t in _DIV_METHOD + ("{0}(Scalar other)",
                                                      "{0}(Scalar other, *, c10::string_view? rounding_mode)")],
   inplace=_div_)(_div)


# ---- binary functions of two tensors -----------------------------------------------------------
def _atan2_backward(grad: Tensor, self: Tensor, other: Tensor, output_mask: tuple) -> tuple:
    """torch's atan2_backward: one reciprocal of self^2 + other^2 (0 where that is 0) for both gradients, one node in
    a double backward."""
    denominator = self * self + other * other
    recip = denominator.reciprocal().masked_fill(denominator == 0, 0.0)
    return (grad * other * recip if output_mask[0] else None, grad * -self * recip if output_mask[1] else None)


def _xlogy(x: Any, y: Any) -> np.ndarray:
    # torch: NaN if y is NaN, else 0 where x == 0 (even where log y is infinite), else x * log(y)
    out = np.where(x == 0, 0, x * np.log(y))
    out = np.where(np.isnan(y), y, out)
    # (bfloat16's kernel has no vectorized body: its lambda's NaN, whichever operand's, is c10's quiet NaN)
    return D.bfloat16_c10_nans(out, out) if out.dtype == D.bfloat16.np else out


IN_OWN_DTYPE_KERNELS.add(_xlogy)  # (torch's float16/bfloat16 kernel rounds log(y), then the product)


def _xlogy_self_grad(grad: Tensor, self: Tensor, other: Any) -> Tensor:
    """derivatives.yaml's two formulas: with a tensor ``other``, 0 where self == 0 and other <= 0; with a number (the
    Scalar overload), 0 wherever self == 0 unless the number is positive (NaN is not)."""
    slope = grad.xlogy(other)
    if isinstance(other, Tensor):
        return slope.masked_fill((self == 0) & (other <= 0.0), 0.0)
    return slope if other > 0 else slope.masked_fill(self == 0, 0.0)


def _winner_grads(ge: Callable) -> dict:
    """fmax/fmin: all of the gradient to ``self`` where it wins or ties, or ``other`` is NaN."""
    def keeps(self: Tensor, other: Tensor) -> Tensor:
        return ge(self, other) | other.isnan()
    return {"self": lambda grad, self, other: grad.where(keeps(self, other), 0.0),
            "other": lambda grad, self, other: grad.where(keeps(self, other).logical_not(), 0.0)}


def _atan2(y: np.ndarray, x: np.ndarray) -> np.ndarray:
    """torch's atan2: in float32 (the reduced floats' too) SLEEF's atan2f in the vectorized body, glibc's in the
    scalar lambda (NumPy's float32 arctan2 differs from both in ~40% of results); float64 NumPy's."""
    if np.result_type(y, x) != np.float32:
        return np.arctan2(y, x)
    return by_lanes(sleef_atan2.atan2f, glibc_atan2f, (y, x), np.dtype(np.float32).itemsize, AVX512_BLOCK_BYTES)


def glibc_atan2f(y: np.ndarray, x: np.ndarray) -> np.ndarray:
    """glibc's atan2f of each pair of float32 elements (broadcast)."""
    y, x = np.broadcast_arrays(np.asarray(y, np.float32), np.asarray(x, np.float32))
    return libm.apply_pairs(libm.atan2f, y.ravel(), x.ravel(), np.float32).reshape(y.shape)


BFLOAT16_BLOCKS[_atan2] = AVX512_BFLOAT16_BLOCK
_FLOAT_KERNEL = (D.BOOL, D.INTEGRAL)
binary("atan2", _atan2, joint_vjps(_atan2_backward, ("self", "other")), kind=FLOAT, signatures=TENSOR_OTHER,
       aliases=("arctan2",))
binary("hypot", np.hypot, {"self": lambda grad, self, result: grad * self / result,
                           "other": lambda grad, other, result: grad * other / result},
       signatures=TENSOR_OTHER, validate=no_kernel("hypot_cpu", *_FLOAT_KERNEL))
def _logaddexp(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """log(exp(x) + exp(y)); complex operands as torch's kernel (``_log_add_exp_helper``): the operand of the smaller
    real part is min, log1p(exp(min - max)) + max, a NaN part makes both parts NaN, and equal infinite real parts
    give min (-inf) or log(exp(min) + exp(max)) (+inf)."""
    if x.dtype.kind != "c":
        return np.logaddexp(x, y)
    x, y = np.broadcast_arrays(x, y)
    x_nan, y_nan = np.isnan(x.real) | np.isnan(x.imag), np.isnan(y.real) | np.isnan(y.imag)
    x_first = x.real < y.real
    low = np.where(y_nan, y, np.where(x_nan, x, np.where(x_first, x, y)))
    high = np.where(y_nan, y, np.where(x_nan, x, np.where(x_first, y, x)))
    both_infinite = ~np.isfinite(low.real) & (low.real == high.real)
    result = np.where(both_infinite, np.where(low.real < 0, low, np.log(np.exp(low) + np.exp(high))),
                      _log1p(np.exp(low - high)) + high)
    return np.where(x_nan | y_nan, np.array(complex(np.nan, np.nan), x.dtype), result)


BFLOAT16_BLOCKS[_logaddexp] = AVX512_BFLOAT16_BLOCK
binary("logaddexp", _logaddexp, {"self": lambda grad, self, other: grad / add_scalar((other - self).exp(), 1),
                                   "other": lambda grad, self, other: grad / add_scalar((self - other).exp(), 1)},
       signatures=TENSOR_OTHER, inplace=False, validate=no_kernel("logaddexp_cpu", *_FLOAT_KERNEL), real_part=False)
binary("logaddexp2", np.logaddexp2, {"self": lambda grad, self, other: grad / add_scalar(2 ** (other - self), 1),
                                     "other": lambda grad, self, other: grad / add_scalar(2 ** (self - other), 1)},
       signatures=TENSOR_OTHER, inplace=False, validate=no_kernel("logaddexp2_cpu", *_FLOAT_KERNEL))
binary("xlogy", _xlogy, {"self": _xlogy_self_grad, "other": lambda grad, self, other: grad * self / other},
       kind=FLOAT, scalar_grad_name="XlogyBackward2", method=SCALAR_EITHER_METHOD,
       signatures=("xlogy(Tensor input, Tensor other, *, Tensor out=None)",
                   "xlogy(Scalar self, Tensor other, *, Tensor out=None)",
                   "xlogy(Tensor input, Scalar other, *, Tensor out=None)"),
       number_self=("XlogyBackward1", {"other": lambda grad, self, other: grad * self / other}))
binary("fmax", np.fmax, _winner_grads(lambda a, b: a >= b), signatures=TENSOR_OTHER, inplace=False,
       check=no_complex_extreme("fmax"))
binary("fmin", np.fmin, _winner_grads(lambda a, b: a <= b), signatures=TENSOR_OTHER, inplace=False,
       check=no_complex_extreme("fmin"))

# shifts: ints only (a bool may meet an int), a Python number on either side
for _name, _ufunc, _kernel in (("bitwise_left_shift", np.left_shift, "lshift_cpu"),
                               ("bitwise_right_shift", np.right_shift, "rshift_cpu")):
    binary(_name, _ufunc, None, validate=no_kernel(_kernel, D.BOOL, D.FLOATING), number_self=(None, {}),
           signatures=SCALAR_EITHER, method=SCALAR_EITHER_METHOD)


# ---- clamp ---------------------------------------------------------------------------------
def _in_place(first: Tensor, combine: Any, second: Tensor) -> Tensor:
    """torch's ``first.logical_and_(second)`` (or ``logical_or_``) in its clamp backward with both bounds: the
    second mask may not grow the first (torch refuses the broadcast)."""
    check_output_shape(first, second._data.shape)
    return combine(first, second)


def _within(self: Tensor, min: Any, max: Any) -> Tensor:
    if min is None:
        return self <= max
    return self >= min if max is None else _in_place(self >= min, Tensor.__and__, self <= max)


def _bound_grad(grad: Tensor, self: Tensor, min: Any, max: Any, of_min: bool) -> Tensor:
    # torch's clamp_backward_min_max: with both bounds and min > max the output is max
    if of_min:
        return grad.where(self < min if max is None else _in_place(self < min, Tensor.__and__, min < max), 0.0)
    return grad.where(self > max if min is None else _in_place(self > max, Tensor.__or__, max < min), 0.0)


_CLAMP_GRADS = {"self": lambda grad, self, min, max: grad.where(_within(self, min, max), 0.0),
                "min": lambda grad, self, min, max: _bound_grad(grad, self, min, max, True),
                "max": lambda grad, self, min, max: _bound_grad(grad, self, min, max, False)}


def _clamp_op(kind: str, tensor_bounds: tuple, grad_name: str) -> OpDef:
    """One overload: number bounds are attributes, tensor bounds inputs (an absent one: None). The masks compare in
    the input's dtype, as torch's formulas (a float16 self meets a number bound rounded to float16: 0 >= 1e-12)."""
    inputs = ("self",) + tensor_bounds
    return defop(kind, inputs, {k: _CLAMP_GRADS[k] for k in inputs}, grad_name, widen=False)


# (kind, tensor bounds?) -> op: torch's Scalar and Tensor overloads have their own grad_fn names
CLAMP = {("clamp", False): _clamp_op("clamp", (), "ClampBackward1"),
         ("clamp", True): _clamp_op("clamp", ("min", "max"), "ClampBackward0"),
         ("clamp_min", False): _clamp_op("clamp_min", (), "ClampMinBackward0"),
         ("clamp_min", True): _clamp_op("clamp_min", ("min",), "ClampMinBackward1"),
         ("clamp_max", False): _clamp_op("clamp_max", (), "ClampMaxBackward0"),
         ("clamp_max", True): _clamp_op("clamp_max", ("max",), "ClampMaxBackward1")}
def _clamp(fname: str, kind: str, input: Tensor, min: Any, max: Any) -> tuple:
    """(op, data, inputs, attrs) of clamp/clip (``kind`` 'clamp'), clamp_min or clamp_max."""
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    min_t, max_t = isinstance(min, Tensor), isinstance(max, Tensor)
    with_tensors = min_t or max_t
    if with_tensors and (min is None or min_t) != (max is None or max_t):
        # torch's parser matched the Number overload: a 0-d tensor bound is a number there
        min, max = (min.item() if min_t else min), (max.item() if max_t else max)
        with_tensors = False
    # clamp_min/clamp_max with a tensor bound are torch's maximum/minimum kernels: only clamp checks its input for
    # complex; with tensor bounds the operands promote and broadcast before the kernel (clamp's with both bounds,
    # else maximum's or minimum's, as torch's clamp with one tensor bound) refuses a complex result
    if kind == "clamp" or not with_tensors:
        no_complex_clamp(input)
    both_bounds = min is not None and max is not None
    # (number bounds do not promote a floating input: a complex one meets the kernel's conversion)
    dt = input.dtype if input.dtype.is_floating_point and not with_tensors else _promote(fname, (input, min, max))
    if dt.is_complex:
        if not with_tensors:  # (number bounds: torch's meta function checks the result's dtype)
            raise NotImplementedError("clamp is not supported for complex types")
        shape = check_broadcast_all(input._data, *(b._data for b in (min, max) if b is not None))
        if fname.endswith("_"):  # (TensorIterator's checks of its output: memory, shape, dtype; before the kernel)
            has_memory_to_write(input)
            check_output_shape(input, shape)
            check_cast(dt, input.dtype)
        no_kernel("clamp_cpu" if both_bounds else "minimum_cpu" if min is None else "maximum_cpu", D.COMPLEX)(dt)
    if dt is D.bool and (both_bounds or not with_tensors):  # one tensor bound: maximum/minimum do bools
        kernel = "clamp" if both_bounds else ("clamp_min" if max is None else "clamp_max")
        no_kernel(kernel + ("_cpu" if with_tensors else "_scalar_cpu"), D.BOOL)(dt)
    x = as_array(input, dt)
    if with_tensors:
        lo, hi = (None if b is None else as_array(b, dt) for b in (min, max))
    else:
        lo, hi = number_bounds(min, max, dt)
    try:  # torch's order: max(x, min), then min(., max); so max wins when min > max
        data = x.copy() if lo is None else np.maximum(x, lo)
        data = np.asarray(data if hi is None else np.minimum(data, hi))
    except ValueError:
        check_broadcast_all(x, *(b for b in (lo, hi) if b is not None))
        raise
    if dt is D.bfloat16 and with_tensors:
        data = _bfloat16_clamp_nans(data, x, [bound for bound in (lo, hi) if bound is not None])
    op = CLAMP[(kind, with_tensors)]
    attrs = {"min": min, "max": max}  # tensor bounds move to the inputs
    return op, data, (input,) + tuple(attrs.pop(n) for n in op.inputs[1:]), attrs


def _bfloat16_clamp_nans(data: np.ndarray, x: np.ndarray, bounds: list) -> np.ndarray:
    """bfloat16 clamp's NaNs with tensor bounds as torch's loop makes them: 0xFFFF from the vectorized body (blocks of
    32 elements); from the scalar lambda c10's quiet NaN 0x7FC0, except that clamp's with both bounds passes an input
    NaN through with its bits where neither bound is NaN (``data`` has them: NumPy's maximum keeps its first NaN)."""
    nan = np.isnan(data)
    if not nan.any():
        return data
    lanes = scalar_lanes(data.shape, [x, *bounds])
    lanes = np.zeros(data.shape, bool) if lanes is None else lanes
    scalar = nan & lanes
    if len(bounds) == 2:
        scalar &= np.isnan(bounds[0]) | np.isnan(bounds[1]) | ~np.isnan(x)
    data = np.array(data)
    data.view(np.uint16)[nan & ~lanes] = VECTORIZED_BFLOAT16_NAN
    data.view(np.uint16)[scalar] = D.BFLOAT16_C10_NAN
    return data


def number_bounds(min: Any, max: Any, dt: D.dtype) -> tuple[Any, Any]:
    """clamp's number bounds as its kernel reads them, each converted to ``dt`` (torch's overflow error); a NaN
    among two bounds makes every element NaN without either being converted."""
    for bound in (min, max):  # (torch first reads each bound as a double, to test it for NaN)
        if isinstance(bound, complex) and bound.imag:
            raise RuntimeError("value cannot be converted to type double without overflow")
    if min is not None and max is not None and (min != min or max != max):
        return as_array(min, dt), as_array(max, dt)
    return (None if min is None else checked_scalar(min, dt)), (None if max is None else checked_scalar(max, dt))


def _clamp_into(fname: str, kind: str, input: Tensor, min: Any, max: Any) -> Tensor:
    check_inplace(input, (min, max))  # autograd's refusal comes before the op's own checks
    if not (isinstance(min, Tensor) or isinstance(max, Tensor) or min is None and max is None):
        # number bounds: torch's meta function checks the result dtype (naming the output's in C++, "long int"),
        # then TensorIterator the output's overlap, before the kernel converts the bounds
        no_complex_clamp(input)
        if kind != "clamp" and isinstance(min if max is None else max, complex):  # (clamp_min/max's meta checks its
            raise NotImplementedError("clamp is not supported for complex types")  # bound before the result's cast)
        result = input.dtype if input.dtype.is_floating_point else _promote(fname, (input, min, max))
        if not D.can_cast(result, input.dtype):  # (a floating input is the result's dtype: its bounds never promote)
            raise RuntimeError("result type %s can't be cast to the desired output type %s"
                               % (result._cast_name, input.dtype.cpp_name))
        has_memory_to_write(input)
    elif min is not None or max is not None:  # tensor bounds: TensorIterator checks its output's overlap, then its
        has_memory_to_write(input)              # shape, before the operands' promotion
        bounds = [b._data for b in (min, max) if isinstance(b, Tensor)]
        check_output_shape(input, check_broadcast_all(input._data, *bounds))
    return _write(input, *_clamp(fname, kind, input, min, max))


def _clamp_signatures(name: str, bounds: str, out: bool = True) -> list[str]:
    tail = ", *, Tensor out=None" if out else ""
    return ["%s(Tensor input, %s%s)" % (name, bounds.format(t), tail) for t in ("Tensor", "Scalar")]


_BOTH = "{0}? min=None, {0}? max=None"


def clamp_(input: Tensor, min: Any = None, max: Any = None) -> Tensor:
    return _clamp_into("clamp_", "clamp", input, min, max)


def clamp_min_(input: Tensor, min: Any) -> Tensor:
    return _clamp_into("clamp_min_", "clamp_min", input, min, None)


def clamp_max_(input: Tensor, max: Any) -> Tensor:
    return _clamp_into("clamp_max_", "clamp_max", input, None, max)


def _number_bounds_dtype(fname: str) -> Callable[..., D.dtype | None]:
    """The dtype of a clamp by numbers, which ``out`` must have (bounds that are tensors: a result it may cast)."""
    def expected(input: Tensor, min: Any = None, max: Any = None) -> D.dtype | None:
        if isinstance(min, Tensor) or isinstance(max, Tensor) or min is None and max is None:
            return None  # (no bounds: the op's own refusal)
        if input.dtype.is_complex:
            return None  # (the op's own refusal)
        return _promote(fname, (input, min, max))
    return expected


@op(*_clamp_signatures("clamp", _BOTH), method=True, aliases=("clip",), inplace=clamp_,
    out_rule=same_dtype_out(_number_bounds_dtype("clamp")))
def clamp(input: Tensor, min: Any = None, max: Any = None) -> Tensor:
    return record_elementwise(*_clamp("clamp", "clamp", input, min, max))


@op(*_clamp_signatures("clamp_min", "{0} min"), method=True, inplace=clamp_min_,
    out_rule=same_dtype_out(_number_bounds_dtype("clamp_min")))
def clamp_min(input: Tensor, min: Any) -> Tensor:
    return record_elementwise(*_clamp("clamp_min", "clamp_min", input, min, None))


@op(*_clamp_signatures("clamp_max", "{0} max"), method=True, inplace=clamp_max_,
    out_rule=same_dtype_out(lambda input, max: _number_bounds_dtype("clamp_max")(input, None, max)))
def clamp_max(input: Tensor, max: Any) -> Tensor:
    return record_elementwise(*_clamp("clamp_max", "clamp_max", input, None, max))


# torch also binds the in-place forms as functions (torch.clamp_(x, ...))
op(*_clamp_signatures("clamp_", _BOTH, out=False), aliases=("clip_",))(clamp_)
op(*_clamp_signatures("clamp_min_", "{0} min", out=False))(clamp_min_)
op(*_clamp_signatures("clamp_max_", "{0} max", out=False))(clamp_max_)


# ---- lerp, addcmul, addcdiv ----------------------------------------------------------------
# (their VJPs are torch's formulas for complex values: the factors conjugated, see pointwise's _MUL_GRADS)
LERP_SCALAR = defop("lerp", ("self", "end"), {"self": lambda grad, weight: grad * (1 - conj_of(weight)),
                                              "end": lambda grad, weight: grad * conj_of(weight)}, "LerpBackward0",
                    complex_vjps=True)
LERP_TENSOR = defop("lerp", ("self", "end", "weight"), {
    "self": lambda grad, weight: grad * _one_minus(weight).conj(), "end": lambda grad, weight: grad * weight.conj(),
    "weight": lambda grad, self, end: grad * (end - self).conj()}, "LerpBackward1", real_part=False, widen=False,
                    complex_vjps=True)


def _rounded(data: np.ndarray, dt: D.dtype, operands: tuple) -> np.ndarray:
    """A kernel's results in its compute type rounded to ``dt``: a bfloat16 NaN as torch's loop over ``operands``
    makes it (``round_to_bfloat16``)."""
    return round_to_bfloat16(data, operands) if dt is D.bfloat16 else data.astype(dt.np, copy=False)


def _lerp_kernel(a: np.ndarray, b: np.ndarray, w: np.ndarray, operands: tuple) -> np.ndarray:
    """torch's lerp: exact at both ends, each branch on the side where it is stable. For real floats, both branches are
    one fused multiply-add (``lerp_vec``'s ``fmadd(weight - 1, end - self, end)``, and the compiler's contraction of
    the scalar loop), as measured bit for bit on every layout and dtype; complex ones lane by lane
    (``complex_math.lerp``). ``operands``: the kernel's inputs as laid out."""
    if a.dtype.kind == "c":
        return complex_math.lerp(a, b, w, operands)
    diff = b - a
    small = np.abs(w) < 0.5
    # (torch's lerp_vec: the coefficient and the base chosen per element, then one fused multiply-add)
    return np.asarray(fused_multiply_add(np.where(small, w, w - w.dtype.type(1)), diff, np.where(small, a, b)))


def _lerp(input: Tensor, end: Tensor, weight: Any) -> tuple:
    dt = input.dtype
    if end.dtype is not dt:
        raise RuntimeError("expected dtype %s for `end` but got dtype %s" % (dt.cpp_name, end.dtype.cpp_name))
    weighted = isinstance(weight, Tensor)
    if weighted and weight.ndim and weight.dtype is not dt:  # a 0-d weight is cast, as a number
        raise RuntimeError("expected dtype %s for `weight` but got dtype %s"
                           % (dt.cpp_name, weight.dtype.cpp_name))
    operands = (input._data, end._data, *([weight._data] if weighted else []))
    if not weighted:  # (the number's kernel runs in input's dtype, the tensor's in the promoted one)
        refuse_broadcast(no_kernel("lerp_kernel_scalar", D.BOOL, D.INTEGRAL), dt, *operands)
    dt = _promote("lerp", (input, end, weight))  # a 0-d weight promotes 0-d tensors
    if weighted:
        refuse_broadcast(no_kernel("lerp_kernel_tensor", D.BOOL, D.INTEGRAL), dt, *operands)
    compute = D.opmath_np(dt.np)  # the reduced floats in float32 (a number weight read in it), rounded once
    a, b = (as_array(t, dt).astype(compute, copy=False) for t in (input, end))
    if weighted:
        w = as_array(weight, dt).astype(compute, copy=False)
    else:  # torch's kernel reads a number weight in its compute type (refused where it does not fit)
        w = as_array(weight, D.from_numpy_dtype(compute))
        checked_scalar(weight, D.from_numpy_dtype(compute))
    try:
        data = _lerp_kernel(a, b, w, operands)
    except ValueError:
        check_broadcast_all(a, b, w)
        raise
    data = _rounded(data, dt, operands)
    if weighted:
        return LERP_TENSOR, data, (input, end, weight), None
    return LERP_SCALAR, data, (input, end), {"weight": weight}


@op("lerp(Tensor input, Tensor end, Tensor weight, *, Tensor out=None)",
    "lerp(Tensor input, Tensor end, Scalar weight, *, Tensor out=None)", method=True, inplace=True,
    out_rule=same_dtype_out())
def lerp(input: Tensor, end: Tensor, weight: Any) -> Tensor:
    """``input + weight * (end - input)``."""
    return record_elementwise(*_lerp(input, end, weight))


ADDCMUL = defop("addcmul", ("self", "tensor1", "tensor2"), widen=False, grads={
    "self": lambda grad: grad,
    "tensor1": lambda grad, tensor2, value: grad * mul_scalar(tensor2, value).conj(),
    "tensor2": lambda grad, tensor1, value: grad * mul_scalar(tensor1, value).conj()}, complex_vjps=True)
def _number_over(value: Any, tensor: Tensor) -> Tensor:
    """C++'s ``Scalar / Tensor`` in torch's formulas: ``tensor``'s dtype filled with ``value`` (fill_'s rounding and
    overflow check), divided in place by ``tensor`` (an integral tensor cannot take the quotient)."""
    return tensor.new_full(tensor.shape, value).div_(tensor)


ADDCDIV = defop("addcdiv", ("self", "tensor1", "tensor2"), widen=False, grads={
    "self": lambda grad: grad,
    "tensor1": lambda grad, tensor2, value: grad * _number_over(value, tensor2).conj(),
    "tensor2": lambda grad, tensor1, tensor2, value:
        -grad * (mul_scalar(tensor1, value) / (tensor2 * tensor2)).conj()}, complex_vjps=True)
_ADDCDIV_INTEGERS = (
    "Integer division with addcdiv is no longer supported, and in a future  release addcdiv will perform a "
    "true division of tensor1 and tensor2. The historic addcdiv behavior can be implemented as (input + value "
    "* torch.trunc(tensor1 / tensor2)).to(input.dtype) for integer inputs and as (input + value * tensor1 / "
    "tensor2) for float inputs. The future addcdiv behavior is just the latter implementation: (input + value "
    "* tensor1 / tensor2), for all dtypes.")


def _no_complex_half_addcdiv(dt: D.dtype) -> None:
    if dt is D.bool or dt is D.complex32:
        raise NotImplementedError("\"addcdiv_cpu_out\" not implemented for '%s'" % dt._cast_name)


def _addc(op: OpDef, input: Tensor, tensor1: Tensor, tensor2: Tensor, value: Any) -> tuple:
    """``input + value * tensor1 (*|/) tensor2`` in the three tensors' promoted dtype."""
    name = op.name
    if op is ADDCDIV and tensor1.dtype.category < D.FLOATING and tensor2.dtype.category < D.FLOATING:
        raise RuntimeError(_ADDCDIV_INTEGERS)
    dt = _promote(name, (input, tensor1, tensor2))
    # (addcmul computes ComplexHalf; addcdiv refuses it, before reading value)
    refuse = _no_complex_half_addcdiv if op is ADDCDIV else no_kernel(name + "_cpu_out", D.BOOL)
    refuse_broadcast(refuse, dt, input._data, tensor1._data, tensor2._data)
    # value takes the result dtype (0.5 is 0 for integers), except that the reduced floats compute in float32
    # with value read in float32, rounding once, as torch's kernels
    compute = np.dtype(np.float32) if dt in D.REDUCED_FLOATS else dt.np
    a, b, c = (as_array(t, dt).astype(compute, copy=False) for t in (input, tensor1, tensor2))
    try:  # (the kernel reads value, in its compute type, once the shapes are found to broadcast: an in-place form's
        # output is checked first, its overlap, shape and cast)
        v = checked_scalar(value, D.from_numpy_dtype(compute))
    except RuntimeError as e:
        setattr(e, REFUSED_SHAPE, check_broadcast_all(a, b, c))
        setattr(e, REFUSED_DTYPE, dt)
        raise
    try:
        if op is ADDCMUL:  # torch's kernels fuse the last multiply-add (one rounding) for floating dtypes;
            # complex ones multiply by torch's formula, as its vectorized body (an infinite part makes a NaN partner
            # where NumPy's fused product keeps an infinity); the lanes torch's compiled loops fuse are not modelled
            # for addcmul (the last bit, or an overflow's NaN, differs on some elements of 3 to 7 remainders)
            if compute.kind == "f":
                data = fused_multiply_add(v * b, c, a)
            elif compute.kind == "c":  # (value in the compute dtype: a Python complex would widen complex64)
                data = a + complex_product(complex_product(compute.type(v), b), c)
            else:
                data = a + (v * b) * c
        elif compute.kind == "c":  # (torch's product and c10's quotient, as its vectorized body)
            data = a + complex_quotient(complex_product(compute.type(v), b), c)
        else:
            data = a + (v * b) / c
        data = _rounded(np.asarray(data), dt, (input._data, tensor1._data, tensor2._data))
    except ValueError:
        check_broadcast_all(a, b, c)
        raise
    return op, data, (input, tensor1, tensor2), {"value": value}


@op("addcmul(Tensor input, Tensor tensor1, Tensor tensor2, *, Scalar value=1, Tensor out=None)",
    "addcmul(Tensor input, Scalar value, Tensor tensor1, Tensor tensor2, *, Tensor out=None)|deprecated",
    method=True, inplace=True)
def addcmul(input: Tensor, tensor1: Any, tensor2: Tensor, *, value: Any = 1) -> Tensor:
    return record_elementwise(*_addc(ADDCMUL, input, tensor1, tensor2, value))


@op("addcdiv(Tensor input, Tensor tensor1, Tensor tensor2, *, Scalar value=1, Tensor out=None)",
    "addcdiv(Tensor input, Scalar value, Tensor tensor1, Tensor tensor2, *, Tensor out=None)|deprecated",
    method=True, inplace=True)
def addcdiv(input: Tensor, tensor1: Any, tensor2: Tensor, *, value: Any = 1) -> Tensor:
    return record_elementwise(*_addc(ADDCDIV, input, tensor1, tensor2, value))


# ---- square, equal, allclose, isclose -----------------------------------------------------------
@op("square(Tensor input, *, Tensor out=None)", method=True, inplace=True)
def square(input: Tensor) -> Tensor:
    """``input ** 2`` (torch's own is pow: PowBackward0, and bool squares to int64)."""
    return input.pow(2)


def _isclose(input: Tensor, other: Tensor, rtol: float, atol: float, equal_nan: bool) -> np.ndarray:
    if input.dtype is not other.dtype:
        raise RuntimeError("%s did not match %s" % (input.dtype._cast_name, other.dtype._cast_name))
    for name, tol in (("rtol", rtol), ("atol", atol)):
        if not tol >= 0:  # NaN is refused too
            raise RuntimeError("%s must be greater than or equal to zero, but got %s" % (name, cpp_double(tol)))
    a, b = input._data, other._data
    try:
        close = np.asarray(a == b)
    except ValueError:
        check_broadcast(a, b)
        raise
    floating = D.is_floating_np(a.dtype) or a.dtype.kind == "c"
    if equal_nan and floating:
        close |= np.isnan(a) & np.isnan(b)
    if rtol == 0 and atol == 0:
        return close
    if a.dtype.kind == "c":  # rtol * other in complex arithmetic (rtol a complex number), then magnitudes
        scaled = np.abs(complex_elementwise_product(b, a.dtype.type(rtol)))
        allowed = scaled.dtype.type(atol) + scaled
    else:
        # as torch: integers and bools compute in the default dtype (converted before the difference, which
        # therefore neither wraps nor keeps the integers' precision)
        ft = a.dtype if floating else D.get_default_dtype().np
        a, b = a.astype(ft, copy=False), b.astype(ft, copy=False)
        allowed = ft.type(atol) + np.abs(ft.type(rtol) * b)
    actual = np.abs(a - b)
    close |= np.isfinite(actual) & (actual <= allowed)
    return close


_CLOSENESS = "(Tensor input, Tensor other, double rtol=1e-05, double atol=1e-08, bool equal_nan=False)"


@op("isclose" + _CLOSENESS, method=True)
def isclose(input: Tensor, other: Tensor, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False
            ) -> Tensor:
    return Tensor._make(_isclose(input, other, rtol, atol, equal_nan))


@op("allclose" + _CLOSENESS, method=True)
def allclose(input: Tensor, other: Tensor, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False
             ) -> bool:
    return bool(_isclose(input, other, rtol, atol, equal_nan).all())


@op("equal(Tensor input, Tensor other)", method=True)
def equal(input: Tensor, other: Tensor) -> bool:
    """Same shape and the same values in the operands' common dtype (torch's TensorIterator promotes them, after
    the shapes are compared); NaN equals nothing."""
    if input.shape != other.shape:
        return False
    dt = D.promote_types(input.dtype, other.dtype)
    if dt is D.complex32:
        raise NotImplementedError('"equal_cpu" not implemented for \'ComplexHalf\'')
    return bool(np.array_equal(as_array(input, dt), as_array(other, dt)))


# ---- angles, signs, neighbours, gcd/lcm, heaviside, ldexp, float_power, frexp ---------------------
def _times(factor: float) -> Callable:
    """``x * factor``, the factor in ``x``'s dtype (torch multiplies by a scalar of the tensor's type)."""
    return lambda x, out=None: np.multiply(x, x.dtype.type(factor), out=out)


_RAD_PER_DEG = math.pi / 180.0
unary("deg2rad", _times(_RAD_PER_DEG), lambda grad: grad * _RAD_PER_DEG, kind=FLOAT, grad_name="Deg2RadBackward0",
      check=refuse_complex("deg2rad is not supported for complex tensors."))
unary("rad2deg", _times(1 / _RAD_PER_DEG), lambda grad: grad * (1 / _RAD_PER_DEG), kind=FLOAT,
      grad_name="Rad2DegBackward0", check=refuse_complex("rad2deg is not supported for complex tensors."))
unary("signbit", lambda x: np.signbit(x) if D.is_floating_np(x.dtype) else np.less(x, 0), None, inplace=False,
      check=refuse_complex("signbit is not implemented for complex tensors.", NotImplementedError),
      out_rule=out_dtype_where(_is_bool, "signbit does not support non-boolean outputs."))


@op("positive(Tensor input)", method=True)
def positive(input: Tensor) -> Tensor:
    """``+input``: the input itself."""
    if input.dtype is D.bool:
        raise RuntimeError("The `+` operator, on a bool tensor is not supported.")
    return input


def _copysign_self_grad(grad: Tensor, self: Tensor, result: Tensor) -> Tensor:
    # torch: the sign flip result / self, and 0 where self is 0 (its sign is lost)
    return grad * (result / self).where(self != 0, 0.0)


binary("copysign", np.copysign, {"self": _copysign_self_grad, "other": lambda grad, other: zero_grad(grad)},
       kind=FLOAT, scalar_grad_name="CopysignBackward1")
# torch passes the gradient through to self, except where self == other (the result is other there)
binary("nextafter", np.nextafter,
       {"self": lambda grad, self, other: grad.where(self != other, 0.0), "other": zero_grad}, signatures=TENSOR_OTHER,
       validate=no_kernel("nextafter_cpu", *_FLOAT_KERNEL))
def _gcd(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """torch's calc_gcd: Euclid's remainders (C's %, the dividend's sign) from |a| and |b| in the operands' dtype,
    where the dtype's minimum is its own absolute value (gcd(-128, 127) is -1 in int8, as torch's)."""
    a, b = (np.array(v) for v in np.broadcast_arrays(np.abs(a), np.abs(b)))
    while np.any(a != 0):
        going = a != 0
        a, b = np.where(going, np.fmod(b, np.where(going, a, 1)), 0).astype(a.dtype), np.where(going, a, b)
    return b


def _lcm(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """torch's calc_lcm: |a / gcd * b| (C's truncating division) in C's arithmetic: int8/int16/uint8 operands in
    int32, wrapped back to their dtype; int32/int64 wrapping in their own (lcm(2**63 - 1, 4) is 4, as torch's)."""
    dtype = np.result_type(a, b)
    g = _gcd(a, b)
    wide = np.int32 if dtype.itemsize < 4 else dtype
    a, g_wide, b = (np.asarray(v).astype(wide) for v in (a, g, b))
    safe = np.where(g_wide == 0, 1, g_wide)
    quotient = np.floor_divide(a, safe)
    quotient = np.where((np.fmod(a, safe) != 0) & ((a < 0) != (safe < 0)), quotient + 1, quotient)  # truncated
    return np.where(g_wide == 0, 0, np.abs(quotient * b)).astype(dtype)


for _name, _kernel in (("gcd", _gcd), ("lcm", _lcm)):
    # (complex too, in the op's checks: the gate's pending refusal would run Euclid's loop, endless on NaN or inf)
    binary(_name, _kernel, None, signatures=TENSOR_OTHER,
           validate=no_kernel(_name + "_cpu", D.BOOL, D.FLOATING, D.COMPLEX))


def _same_dtypes(input: Tensor, values: Tensor) -> None:
    if input.dtype.is_complex or values.dtype.is_complex:
        raise RuntimeError("heaviside is not yet implemented for complex tensors.")
    if input.dtype is not values.dtype:
        raise RuntimeError("heaviside is not yet implemented for tensors with different dtypes.")


def _heaviside(x: np.ndarray, values: np.ndarray) -> np.ndarray:
    """``values`` where x is 0, else whether x > 0 (NaN: 0)."""
    return np.where(x == 0, values, x > 0).astype(np.result_type(x, values), copy=False)


def _heaviside_out(positional: list, keywords: dict, out: Tensor) -> None:
    """heaviside's out= (its meta function): no complex operand or out, then one dtype for all three."""
    input, values = positional
    dtypes = (input.dtype, values.dtype, out.dtype)
    if any(dt.is_complex for dt in dtypes):
        raise RuntimeError("heaviside is not yet implemented for complex tensors.")
    if len(set(dtypes)) > 1:
        raise RuntimeError("heaviside is not yet implemented for tensors with different dtypes.")


binary("heaviside", _heaviside, _not_differentiable("heaviside"), grad_name="NotImplemented", check=_same_dtypes,
       signatures=("heaviside(Tensor input, Tensor values, *, Tensor out=None)",),
       inplace_grads=_not_differentiable("heaviside_"), out_rule=_heaviside_out)
def _ldexp_self_grad(grad: Tensor, other: Tensor) -> Tensor:
    # 2 ** other in the gradient's precision; torch's takes it in int64 for an integral exponent (0 below 2 ** 0 and
    # from 2 ** 64 on, wrapped at 2 ** 63): a torch bug this keeps out of (compat_tests/fuzz_calls.TORCH_UNDEFINED).
    # Its pow(2, other) runs in an integral exponent's dtype: refused for the wide uints (a complex self's gradient;
    # a real self's forward refuses them first)
    refuse_kernel("pow", other.dtype)
    return grad * (other if other.is_floating_point() else other.to(grad.dtype)).exp2()


def _own_kernel(input: D.dtype, other: D.dtype) -> bool:
    """torch computes ldexp of a floating input (a float8 too) and an integral (or bool) exponent in a kernel of its
    own; any other ldexp is ``input * _pow2(input, other)``."""
    return input.category == D.FLOATING and other.category <= D.INTEGRAL


def _ldexp_in_double(input: Tensor, other: Tensor) -> np.ndarray:
    """torch's own kernel: std::ldexp(double(x), int(e)) in input's dtype, into an output made like input (resized,
    with torch's deprecation warning, when other broadcasts it larger); its refusals first, in torch's order."""
    shape = check_broadcast_all(input._data, other._data)
    warn_resized(input._data, shape, stacklevel=7)
    refuse_kernel("ldexp_cpu", input.dtype)
    if other.dtype is D.bool:
        raise NotImplementedError('"ldexp_cpu_exp" not implemented for \'Bool\'')
    refuse_kernel("ldexp_cpu_exp", other.dtype)
    exponent = other._data.astype(np.int64).astype(np.int32)  # (C++'s int: an int64 exponent wraps)
    with np.errstate(all="ignore"):
        values = np.ldexp(D.cast_np(input._data, np.dtype(np.float64)), exponent)
    values = D.cast_np(np.broadcast_to(values, shape), input._data.dtype)
    return laid_out_like(input._data, values) if shape == input._data.shape else values


def _pow2(input: Tensor, other: Tensor) -> Tensor:
    """torch's _pow2: pow(2.0, other) (a wrapped number: other's dtype, the default float for an integral other) for
    an integral, bool or float32 input; else pow of a 0-d 2.0 in input's dtype (a complex input with a float other
    makes pow complex in other's precision: no complex float8, a float16 other meets ComplexHalf's refusal)."""
    if input.dtype.category <= D.INTEGRAL or input.dtype is D.float32:
        return FUNCTIONS["pow"](2.0, other)
    return FUNCTIONS["pow"](full((), 2.0, dtype=input.dtype), other)


def _ldexp_data(input: Tensor, other: Tensor, out: Tensor | None = None) -> np.ndarray:
    """ldexp's value, as torch computes it: its own kernel, or ``input * _pow2(input, other)`` (written into
    ``out`` for ldexp_: mul_'s checks of the output's dtype and shape)."""
    input, other = input.detach(), other.detach()
    if out is not None and out.dtype.category <= D.INTEGRAL:
        raise RuntimeError("ldexp can't be cast to the desired output type %s" % out.dtype._cast_name)
    if _own_kernel(input.dtype, other.dtype) and (out is None or out.dtype is input.dtype):
        if out is not None:
            has_memory_to_write(out)
            check_output_shape(out, check_broadcast_all(input._data, other._data))
        return _ldexp_in_double(input, other)
    power = _pow2(input, other)
    if out is None:
        return FUNCTIONS["mul"](input, power)._data
    has_memory_to_write(out)
    return out.detach().clone().mul_(power)._data


LDEXP = defop("ldexp", ("self", "other"), {
    "self": _ldexp_self_grad,
    # torch's formula takes self * 2 ** other (the result) first: a tiny self's gradient never underflows to 0 * inf
    "other": lambda grad, result: grad * result * _LN2}, widen=False, real_part=False)


@op("ldexp(Tensor input, Tensor other, *, Tensor out=None)", method=True,
    inplace=lambda self, other: record_inplace(LDEXP, self, _ldexp_data(self, other, self), (self, other)),
    out_check=OutCheck("ldexp can't be cast to the desired output type %(out)s", exact=False))
def ldexp(input: Tensor, other: Tensor) -> Tensor:
    return record(LDEXP, _ldexp_data(input, other), (input, other))


def _as_double(x: Any) -> Any:
    """float_power's operand in double: float64 (complex128 for a complex one), and a number too, so that an
    exponent False is 0.0."""
    if isinstance(x, Tensor):
        return x.to(D.complex128 if x.dtype.is_complex else D.float64)
    return complex(x) if isinstance(x, complex) else float(x)


@op("float_power(Tensor input, Tensor exponent, *, Tensor out=None)",
    "float_power(Scalar self, Tensor exponent, *, Tensor out=None)",
    "float_power(Tensor input, Scalar exponent, *, Tensor out=None)",
    method=["float_power(Tensor exponent)", "float_power(Scalar exponent)"],
    inplace=lambda self, exponent: float_power_(self, exponent),
    out_check=OutCheck("the output given to float_power has dtype %(out)s but the operation's result requires dtype "
                       "%(result)s"))
def float_power(input: Any, exponent: Any) -> Tensor:
    """``pow`` in double precision."""
    return OPS["pow"].impl(_as_double(input), _as_double(exponent))


def float_power_(self: Tensor, exponent: Any) -> Tensor:
    complex_result = self.dtype.is_complex or (exponent.dtype.is_complex if isinstance(exponent, Tensor)
                                               else type(exponent) is complex)
    required = D.complex128 if complex_result else D.float64
    if self.dtype is not required:
        raise RuntimeError("the base given to float_power_ has dtype %s but the operation's result requires dtype "
                           "%s" % (self.dtype._cast_name, required._cast_name))
    return Tensor.pow_(self, _as_double(exponent))


def _frexp_grad(grad: Tensor, exponent: Tensor) -> Tensor:
    return (grad / exponent.exp2()).to(grad.dtype)


FREXP = defop("frexp", ("self",), {"self": _frexp_grad})


@op("frexp(Tensor input, *, TensorList[2] out=None)", method=True,
    out_check=(OutCheck("torch.frexp() expects mantissa to have dtype %(result_cpp)s but got %(out_cpp)s"),
               OutCheck("torch.frexp() expects exponent to have int dtype but got %(out_cpp)s")))
def frexp(input: Tensor) -> Any:
    """``input = mantissa * 2 ** exponent`` with 0.5 <= |mantissa| < 1 (an int32 exponent)."""
    if input.dtype.category != D.FLOATING:
        raise RuntimeError("torch.frexp() only supports floating-point dtypes")
    mantissa, exponent = np.frexp(input._data)
    exponent = Tensor._make(np.asarray(exponent, np.int32))
    return return_types.frexp(record(FREXP, np.asarray(mantissa), (input,), {"exponent": exponent}), exponent)
