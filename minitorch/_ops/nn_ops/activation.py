"""Activation functions with a node of their own in torch (``LeakyReluBackward0``, ``EluBackward0``...).

Forwards are NumPy kernels; VJPs are written in minitorch ops, picking the derivative branch with
``where`` so that no branch that is discarded can turn a gradient into nan. Each branch test is torch's
kernel's comparison as written, so that a NaN input takes the branch torch's does (a comparison with
NaN is false: ``x <= 0 ? a : b`` sends NaN to ``b``).
"""
from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np

from ... import _dtype as D
from ..._tensor import Tensor
from ...autograd import grad_mode
from ...autograd.recording import OpDef, check_inplace, defop, has_memory_to_write, record, record_inplace
from ..pointwise import no_complex_clamp, zero_grad
from ..pointwise_math import _erf64, _not_implemented, number_bounds
from ..cpp_format import cpp_double
from ..cpu_loops import AVX512_BFLOAT16_BLOCK, AVX512_BLOCK_BYTES, on_scalar_lanes, round_to_bfloat16, scalar_lanes
from .gelu_kernels import cpu_gelu, gelu_backward_float16
from ..dims import wrap_dim
from ..inplace import OutCheck, same_dtype_out
from ..registry import FUNCTIONS, checked_inplace, nn_op, op
from ..limited_dtypes import checked_before_kernel
from ..result_layout import record_elementwise, torch_layout
from ..scalar_cast import checked_scalar
from .common import in_float, opmath, require_float

SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


# how a kernel's float16/bfloat16 results come out (``_run``'s ``reduced``): computed in float32 and rounded as
# torch's TensorIterator loop rounds them (a bfloat16 NaN 0xFFFF in its vectorized body, 0x7FC0 in its scalar lambda:
# ``round_to_bfloat16``); rounded by a vectorized conversion throughout (a kernel with a loop of its own); computed
# in the dtype itself (a NaN keeps its bits)
LANES, VECTORIZED, OWN_DTYPE = "lanes", "vectorized", "own dtype"
# the bfloat16 elements a step of the vectorized body covers where torch compiled the kernel for AVX512 (two 512-bit
# vectors on a CPU with AVX512; measured by the NaN bits each lane makes); the others' step is two 256-bit vectors (32)
AVX512_BLOCK = AVX512_BFLOAT16_BLOCK


def _in_reduced_float(fn: Callable[..., np.ndarray], x: np.ndarray, reduced: str, block: int) -> np.ndarray:
    if x.dtype not in D.REDUCED_NP or reduced == OWN_DTYPE:
        return fn(x)
    result = np.asarray(fn(x.astype(np.float32)), np.float32)
    if x.dtype != D.bfloat16.np:
        return result.astype(x.dtype)
    return round_to_bfloat16(result, (x,) if reduced == LANES else False, block)


def _run(op: OpDef, kernel: str | None, input: Tensor, fn: Callable[..., np.ndarray], attrs: dict,
         inplace: bool = False, inplace_op: OpDef | None = None, contiguous: bool = False, reduced: str = LANES,
         block: int = 32) -> Tensor:
    """Apply an activation's NumPy kernel and record its node; in place, as ``inplace_op`` if the
    in-place form has a node of its own (a backward from the result: the input is overwritten). The result is laid
    out as TensorIterator's (``result_layout``), or C-contiguous where torch's kernel allocates it so
    (``contiguous``: log_sigmoid). ``reduced``: how the kernel computes float16/bfloat16 (``LANES``, ``VECTORIZED``,
    ``OWN_DTYPE``), ``block``: the bfloat16 elements a step of its vectorized body covers."""
    if inplace:  # autograd's refusals, then TensorIterator's check of its output, before the kernel's dtype refusal
        check_inplace(input)
        has_memory_to_write(input)
    if kernel is not None:
        require_float(kernel, input)
    data = _in_reduced_float(fn, input._data, reduced, block)
    if inplace:
        return record_inplace(inplace_op or op, input, data, (input,), attrs)
    data = np.asarray(data, order="C") if contiguous else torch_layout(data, (input._data,))
    return record(op, data, (input,), attrs)


def _opmath(dt: D.dtype) -> D.dtype:
    """The dtype torch's CPU kernels compute ``dt`` in (float32 for the reduced floats)."""
    return D.float32 if dt in D.REDUCED_FLOATS else dt


def _scalar(x: np.ndarray, v: float) -> Any:
    return x.dtype.type(v)


def _binding_pair(signature: str) -> Callable[[Callable], Callable]:
    """Declare ``torch._C._nn.<name>`` and its in-place twin ``<name>_`` (the same parameters, no ``out=``)
    on one implementation whose last parameter is ``inplace``. The activations keep their input's dtype: their out=
    refuses any other (TensorIterator's)."""
    name, parameters = signature.split("(", 1)
    inplace_signature = "%s_(%s" % (name, parameters.replace(", *, Tensor out=None", ""))

    def declare(impl: Callable) -> Callable:
        def in_place(*args: Any) -> Tensor:
            return impl(*args, inplace=True)
        nn_op(signature, out_rule=same_dtype_out())(impl)
        nn_op(inplace_signature)(in_place)
        return impl
    return declare


# ---- piecewise-linear activations -------------------------------------------------------------
# Their backward is ``grad * slope(self)``: a node of its own (torch's ``*_backward``) so that the
# first derivative stays connected to the input under create_graph, with a zero second derivative.
def _times_slope(grad: np.ndarray, slope: np.ndarray) -> np.ndarray:
    """The gradient through a slope; a boolean slope selects (torch's kernel writes 0, even for an infinite
    gradient)."""
    if slope.dtype == bool:
        return np.where(slope, grad, grad.dtype.type(0))
    return grad * slope.astype(grad.dtype, copy=False)


def _piecewise_backward(name: str, slope: Callable[..., np.ndarray], differentiable: bool = True,
                        nan_stops_in_vectorized_body: bool = False,
                        factor: float = 1.0) -> Callable[[Tensor, Tensor, dict], Tensor]:
    """``slope``: torch's scalar lambda's; ``factor``: a constant slope where a boolean ``slope`` passes the gradient
    (outside it is 0, not ``grad * 0``). ``nan_stops_in_vectorized_body``: the kernel's vectorized body selects
    with the opposite comparisons (``(x < -lambd) | (x > lambd)`` where the scalar lambda tests ``!(x >= -lambd &&
    x <= lambd)``), so a NaN input gives 0 there but the gradient in the scalar lambda (``cpu_loops``)."""
    if differentiable:
        op = defop(name + "_backward", ("grad_output", "self"), {
            "grad_output": lambda grad, self, params: backward(grad, self, params),
            "self": lambda grad: Tensor._make(np.zeros_like(grad._data))})
    else:  # torch has no double backward here
        refuse = _not_implemented(name + "_backward")
        op = defop(name + "_backward", ("grad_output", "self"), {"grad_output": refuse, "self": refuse},
                   grad_name="NotImplemented")

    def backward(grad: Tensor, self: Tensor, params: dict) -> Tensor:
        data = _times_slope(grad._data if factor == 1 else grad._data * factor, slope(self._data, **params))
        if nan_stops_in_vectorized_body:
            nan = np.isnan(self._data)
            if nan.any():
                data = on_scalar_lanes(np.where(nan, data.dtype.type(0), data), (grad._data, self._data),
                                       lambda g, x: _times_slope(g, slope(x, **params)))
        return record(op, data, (grad, self), {"params": params})
    return backward


_leaky_relu_backward = _piecewise_backward("leaky_relu", lambda x, negative_slope: np.where(x > 0, 1, negative_slope))
# (its bounds read in the compute type: float32 for float16 and bfloat16, whose values are compared widened)
_hardtanh_backward = _piecewise_backward("hardtanh", lambda x, min_val, max_val: ~(
    (opmath(x) <= _scalar(opmath(x), min_val)) | (opmath(x) >= _scalar(opmath(x), max_val))),
    nan_stops_in_vectorized_body=True)
_hardsigmoid_backward = _piecewise_backward("hardsigmoid", lambda x: (x > -3) & (x < 3), False, factor=1 / 6)

LEAKY_RELU = defop("leaky_relu", grads={"self": lambda grad, self, negative_slope: _leaky_relu_backward(
    grad, self, {"negative_slope": negative_slope})})
NEGATIVE_SLOPE_IN_PLACE = (
    "In-place leakyReLu backward calculation is triggered with a negative slope which is not supported. This is "
    "caused by calling in-place forward function with a negative slope, please call out-of-place version instead. "
    "File an issue at https://github.com/pytorch/pytorch if you do require supporting in-place leakRelu backward "
    "calculation with negative slope")


def _leaky_relu_grad_from_result(grad: Tensor, result: Tensor, negative_slope: float) -> Tensor:
    """In place the result decides the branch: it has the input's sign only for a slope >= 0 (torch refuses
    the others)."""
    if negative_slope < 0:
        raise RuntimeError(NEGATIVE_SLOPE_IN_PLACE)
    return _leaky_relu_backward(grad, result, {"negative_slope": negative_slope})


LEAKY_RELU_ = defop("leaky_relu_", grads={"self": _leaky_relu_grad_from_result}, grad_name="LeakyReluBackward1")


@_binding_pair("leaky_relu(Tensor input, Scalar negative_slope=0.01, *, Tensor out=None)")
def leaky_relu(input: Tensor, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    def kernel(x: np.ndarray) -> np.ndarray:
        checked_scalar(negative_slope, _opmath(input.dtype))  # (the kernel reads the slope in its compute type)
        return np.where(x > 0, x, x * _scalar(x, negative_slope))
    return _run(LEAKY_RELU, "leaky_relu_cpu", input, kernel, {"negative_slope": negative_slope}, inplace, LEAKY_RELU_)


# ---- elu, selu, celu: one kernel --------------------------------------------------------------
# torch differentiates all three through elu_backward, an op of its own with its own double backward
# (EluBackwardBackward0): its kernel decides the first derivative, so that a NaN or infinite coefficient reaches the
# second derivative as in torch
def _elu_backward_np(grad: np.ndarray, x: np.ndarray, alpha: float, scale: float, input_scale: float,
                     is_result: bool) -> np.ndarray:
    """torch's elu_backward kernel: ``x <= 0`` takes the exponential side (from the result ``x``, its linear form), the
    coefficients read in the compute type (float32 for the reduced floats) and multiplied in the kernel's order."""
    compute = _opmath(D.from_numpy_dtype(x.dtype))
    negiptcoef, poscoef = checked_scalar(input_scale, compute), checked_scalar(scale, compute)
    negcoef = checked_scalar(alpha, compute) * poscoef

    def sides(g: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        g, v = g.astype(compute.np, copy=False), x.astype(compute.np, copy=False)
        with np.errstate(all="ignore"):
            negative = g * negiptcoef * (v + negcoef) if is_result else (
                g * negiptcoef * negcoef * np.exp(v * negiptcoef))
            return v, negative, g * poscoef

    def scalar(g: np.ndarray, x: np.ndarray) -> np.ndarray:  # the scalar lambda: ``x <= 0 ? negative : positive``
        v, negative, positive = sides(g, x)
        return np.where(v <= 0, negative, positive).astype(x.dtype, copy=False)

    v, negative, positive = sides(grad, x)
    # the vectorized body blends on ``x > 0``: a NaN input takes the negative side there (NaN), the positive one in
    # the scalar lambda; its loop steps over two AVX512 vectors
    result = np.where(v > 0, positive, negative).astype(x.dtype, copy=False)
    nan = np.isnan(v)
    if not nan.any():
        return result
    # (elu_backward's loop has an AVX512 build: measured)
    return on_scalar_lanes(result, (grad, x), scalar, block_bytes=AVX512_BLOCK_BYTES)


def _elu_double_backward(grad: Tensor, grad_output: Tensor, self_or_result: Tensor, alpha: float, scale: float,
                         input_scale: float, is_result: bool) -> Tensor:
    """torch's elu_double_backward: the slope's derivative, masked to ``self_or_result < 0`` by a product (a NaN
    or infinite factor on the other side stays NaN, as in torch)."""
    negative = (self_or_result < 0).type_as(grad)
    scaled = grad * grad_output * input_scale
    if is_result:
        return scaled * negative
    return elu_backward(scaled, self_or_result, alpha, scale, input_scale, is_result) * negative


ELU_BACKWARD = defop("elu_backward", ("grad_output", "self_or_result"), {
    "grad_output": lambda grad, self_or_result, alpha, scale, input_scale, is_result: elu_backward(
        grad, self_or_result, alpha, scale, input_scale, is_result),
    "self_or_result": _elu_double_backward})


NEGATIVE_ALPHA_IN_PLACE = (
    "In-place elu backward calculation is triggered with a negative slope which is not supported. This is caused by "
    "calling in-place forward function with a negative slope, please call out-of-place version instead.")


def elu_backward(grad_output: Tensor, self_or_result: Tensor, alpha: float, scale: float, input_scale: float,
                 is_result: bool) -> Tensor:
    if is_result and not alpha >= 0:  # (from the result, the sign of x is known only for alpha >= 0; NaN too)
        raise RuntimeError(NEGATIVE_ALPHA_IN_PLACE)
    data = _elu_backward_np(grad_output._data, self_or_result._data, alpha, scale, input_scale, is_result)
    return record(ELU_BACKWARD, data, (grad_output, self_or_result),
                  {"alpha": alpha, "scale": scale, "input_scale": input_scale, "is_result": is_result})


def _celu_input_scale(alpha: float) -> float:
    """celu's backward takes 1 / alpha with alpha read as a C float (its forward, as a double)."""
    with np.errstate(divide="ignore"):  # (an alpha below float's range reads as 0: the scale is infinite)
        return float(np.float64(1.0) / np.float64(checked_scalar(alpha, D.float32)))


# (unwidened: elu_backward's kernel computes the reduced floats in float32 itself, and its loop's lanes depend on the
# dtype's size)
ELU = defop("elu", grads={"self": lambda grad, self, alpha, scale, input_scale: elu_backward(
    grad, self, alpha, scale, input_scale, False)}, widen=False)
CELU = defop("celu", grads={"self": lambda grad, self, alpha: elu_backward(
    grad, self, alpha, 1.0, _celu_input_scale(alpha), False)}, widen=False)
ELU_ = defop("elu_", grads={"self": lambda grad, result, alpha, scale, input_scale: elu_backward(
    grad, result, alpha, scale, input_scale, True)}, grad_name="EluBackward1", widen=False)
CELU_ = defop("celu_", grads={"self": lambda grad, result, alpha: elu_backward(
    grad, result, alpha, 1.0, _celu_input_scale(alpha), True)}, grad_name="CeluBackward1", widen=False)


def _elu_np(x: np.ndarray, alpha: float, scale: float, input_scale: float) -> np.ndarray:
    # torch's forward takes a zero through the linear side (0 * scale: not NaN for a NaN or infinite alpha)
    negative = np.expm1(np.minimum(x, 0) * _scalar(x, input_scale)) * _scalar(x, alpha * scale)
    return np.where(x < 0, negative, x * _scalar(x, scale))


def _elu(ops: tuple[OpDef, OpDef], input: Tensor, alpha: float, scale: float, input_scale: float,
         inplace: bool) -> Tensor:
    def kernel(x: np.ndarray) -> np.ndarray:
        for coefficient in (alpha, scale, input_scale):  # (the kernel reads them in its compute type)
            checked_scalar(coefficient, _opmath(input.dtype))
        return _elu_np(x, alpha, scale, input_scale)
    return _run(ops[0], "elu_cpu", input, kernel,
                {"alpha": alpha, "scale": scale, "input_scale": input_scale}, inplace, ops[1], block=AVX512_BLOCK)


@_binding_pair("elu(Tensor input, Scalar alpha=1, Scalar scale=1, Scalar input_scale=1, *, Tensor out=None)")
def elu(input: Tensor, alpha: float = 1.0, scale: float = 1.0, input_scale: float = 1.0,
        inplace: bool = False) -> Tensor:
    return _elu((ELU, ELU_), input, alpha, scale, input_scale, inplace)


@op("selu(Tensor input)")
def selu(input: Tensor, inplace: bool = False) -> Tensor:
    return _elu((ELU, ELU_), input, SELU_ALPHA, SELU_SCALE, 1.0, inplace)


@op("selu_(Tensor input)")
def selu_(input: Tensor) -> Tensor:
    return selu(input, True)


@op("celu(Tensor input, Scalar alpha=1.0)")
def celu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    alpha = float(checked_scalar(alpha, D.float64))  # torch's celu reads alpha as a double, then calls elu
    if alpha == 0:  # (torch's message names the Python error its check replaces)
        raise RuntimeError("ZeroDivisionError: alpha cannot be 0 for CELU")
    return _elu((CELU, CELU_), input, alpha, 1.0, 1.0 / alpha, inplace)


@op("celu_(Tensor input, Scalar alpha=1.0)")
@checked_inplace
def celu_(input: Tensor, alpha: float = 1.0) -> Tensor:
    return celu(input, alpha, True)


# ---- smooth gates -----------------------------------------------------------------------------
def _silu_grad(grad: Tensor, self: Tensor) -> Tensor:
    s = self.sigmoid()
    return grad * (s * (1 + self * (1 - s)))


def _mish_grad(grad: Tensor, self: Tensor) -> Tensor:
    # torch's softplus here is log1p(exp(x)), without a threshold: its own derivative is NaN where exp overflows
    t = self.exp().log1p().tanh()
    return grad * (t + self * self.sigmoid() * (1 - t * t))


SILU = defop("silu", grads={"self": _silu_grad}, complex_grad=False, complex_vjps=True)  # (in place: unconjugated)
MISH = defop("mish", grads={"self": _mish_grad})
def _softplus_grad(grad: Tensor, self: Tensor, beta: float, threshold: float) -> Tensor:
    scaled = self * beta
    # torch's grad * z / (z + 1), z = exp(beta x): NaN where z overflows below a large threshold; at scaled ==
    # threshold torch's value takes that branch, its second derivative is 0; z is held at the threshold on the
    # discarded linear side (no overflow), and NaN stays NaN
    z = scaled.where((scaled >= threshold).logical_not(), threshold).exp()
    return grad.where(scaled > threshold, grad * z / (z + 1))


SOFTPLUS = defop("softplus", grads={"self": _softplus_grad})


def _log_sigmoid_grad(grad: Tensor, self: Tensor) -> Tensor:
    """torch's log_sigmoid_backward kernel: sigmoid(-x) as q or 1 - q by the sign of x, q = b / (1 + b) from the
    forward's buffer b = exp(-|x|), which a float16/bfloat16 forward stores in its dtype; computed in float32. Under
    create_graph, grad * sigmoid(-x), whose derivative is torch's double backward."""
    if grad_mode.STATE.enabled:
        return grad * (-self).sigmoid()
    buffer = opmath(in_float(lambda x: np.exp(-np.abs(x)), self._data))
    q = buffer / (buffer + 1)
    return Tensor._make((np.where(self._data < 0, 1 - q, q) * opmath(grad._data)).astype(grad._data.dtype))


LOG_SIGMOID = defop("log_sigmoid", grads={"self": _log_sigmoid_grad}, grad_name="LogSigmoidBackward0", widen=False)


@_binding_pair("silu(Tensor input, *, Tensor out=None)")
def silu(input: Tensor, inplace: bool = False) -> Tensor:
    """x / (1 + e^-x); complex inputs too (torch's complex arithmetic, as NumPy's), without a derivative."""
    complex_input = input.dtype.category == D.COMPLEX
    if complex_input and inplace:
        check_inplace(input)  # (a leaf's refusal first)
    return _run(SILU, None if complex_input else "silu_cpu", input, lambda x: x / (1 + np.exp(-x)), {}, inplace,
                block=AVX512_BLOCK)


@_binding_pair("mish(Tensor input, *, Tensor out=None)")
def mish(input: Tensor, inplace: bool = False) -> Tensor:
    return _run(MISH, "mish_cpu", input, lambda x: x * np.tanh(np.logaddexp(_scalar(x, 0), x)), {}, inplace,
                block=AVX512_BLOCK)


def _softplus_np(x: np.ndarray, beta: float, threshold: float) -> np.ndarray:
    # torch's log1p(exp(beta x)) / beta, not a stable form: below a large threshold exp overflows to inf, as torch's
    bx = x * _scalar(x, beta)
    return np.where(bx > threshold, x, np.log1p(np.exp(bx)) / _scalar(x, beta))


@nn_op("softplus(Tensor input, Scalar beta=1, Scalar threshold=20, *, Tensor out=None)", out_rule=same_dtype_out())
def softplus(input: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    def kernel(x: np.ndarray) -> np.ndarray:
        for coefficient in (beta, threshold):  # (the kernel reads them in its compute type)
            checked_scalar(coefficient, _opmath(input.dtype))
        return _softplus_np(x, beta, threshold)
    return _run(SOFTPLUS, "softplus_cpu", input, kernel, {"beta": beta, "threshold": threshold}, block=AVX512_BLOCK)


@nn_op("log_sigmoid(Tensor input, *, Tensor out=None)",
       out_check=OutCheck("expected scalar type %(result)s but found %(out)s"))
def log_sigmoid(input: Tensor) -> Tensor:
    return _run(LOG_SIGMOID, "log_sigmoid_cpu", input, lambda x: -np.logaddexp(_scalar(x, 0), -x), {},
                contiguous=True, reduced=VECTORIZED)


# ---- hardtanh, hardsigmoid, hardswish -------------------------------------------------------
# (the hardtanh and shrink backward kernels select in the input's dtype, their bounds read in it, and their loop's
# lanes follow its layout: unwidened)
HARDTANH = defop("hardtanh", grads={"self": lambda grad, self, min_val, max_val: _hardtanh_backward(
    grad, self, {"min_val": min_val, "max_val": max_val})}, widen=False)
HARDSIGMOID = defop("hardsigmoid", grads={"self": lambda grad, self: _hardsigmoid_backward(grad, self, {})})
# torch's hardswish backward is a kernel of its own (float32 for the reduced floats, rounded once, under create_graph
# too), differentiated by derivatives.yaml's formulas
HARDSWISH_BACKWARD = defop("hardswish_backward", ("grad_output", "self"), {
    "grad_output": lambda grad, self: hardswish_backward(grad, self),
    "self": lambda grad, grad_output, self: (grad * grad_output / 3.0).where((self > -3) & (self < 3), 0.0)},
    widen=False)
HARDSWISH = defop("hardswish", grads={"self": lambda grad, self: hardswish_backward(grad, self)})


def hardswish_backward(grad: Tensor, self: Tensor) -> Tensor:
    g = opmath(grad._data)
    data = in_float(lambda x: np.where(x <= -3, 0, np.where(x < 3, g * (x / 3 + 0.5), g)), self._data)
    return record(HARDSWISH_BACKWARD, data.astype(grad._data.dtype, copy=False), (grad, self))


@_binding_pair("hardtanh(Tensor input, Scalar min_val=-1, Scalar max_val=1, *, Tensor out=None)")
def hardtanh(input: Tensor, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False) -> Tensor:
    if inplace:  # (autograd's refusal of an in-place leaf comes before the kernel's checks)
        check_inplace(input)
    if input.dtype is D.bool:
        raise RuntimeError("Bool inputs not supported for hardtanh")
    if input.dtype.category == D.INTEGRAL:  # torch reads integer bounds as int64s (truncated), then clamps with them
        min_val, max_val = (int(checked_before_kernel(v, D.int64)) for v in (min_val, max_val))
        if input.dtype is D.uint8 and (min_val < 0 or max_val < 0):
            raise RuntimeError("cannot do hardtanh on an unsigned type with negative limits")
    no_complex_clamp(input)

    def kernel(x: np.ndarray) -> np.ndarray:
        number_bounds(min_val, max_val, input.dtype)  # torch's hardtanh is clamp: its bounds' conversion
        # (torch's order, clamp's: max(x, min), then min(., max); in the dtype itself, a NaN keeping its bits; a float8
        # reaches here with a NaN bound only, which torch fills in: NumPy returns a float32 then)
        return np.minimum(np.maximum(x, _scalar(x, min_val)), _scalar(x, max_val)).astype(x.dtype, copy=False)
    return _run(HARDTANH, None, input, kernel, {"min_val": min_val, "max_val": max_val}, inplace, reduced=OWN_DTYPE)


@_binding_pair("hardsigmoid(Tensor input, *, Tensor out=None)")
def hardsigmoid(input: Tensor, inplace: bool = False) -> Tensor:
    return _run(HARDSIGMOID, "hardsigmoid_cpu", input,
                lambda x: np.clip(x + _scalar(x, 3), 0, _scalar(x, 6)) / _scalar(x, 6), {}, inplace)


@_binding_pair("hardswish(Tensor input, *, Tensor out=None)")
def hardswish(input: Tensor, inplace: bool = False) -> Tensor:
    return _run(HARDSWISH, "hardswish_cpu", input,
                lambda x: x * np.clip(x + _scalar(x, 3), 0, _scalar(x, 6)) / _scalar(x, 6), {}, inplace,
                block=AVX512_BLOCK)


# ---- gelu -------------------------------------------------------------------------------------
_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
_TANH_CUBIC = 0.044715


_GELU_KERNEL_DTYPES = (np.float32, np.float16, D.bfloat16.np)  # (float64 is computed in double)


def _gelu_np(x: np.ndarray, approximate: str) -> np.ndarray:
    if approximate == "tanh":
        inner = _SQRT_2_OVER_PI * (x + _TANH_CUBIC * x * x * x)
        return 0.5 * x * (1 + np.tanh(inner))
    return 0.5 * x * (1 + _erf64(x * math.sqrt(0.5)))


def _gelu_derivative_np(x: np.ndarray, approximate: str) -> np.ndarray:
    if approximate == "tanh":
        t = np.tanh(_SQRT_2_OVER_PI * (x + _TANH_CUBIC * x * x * x))
        return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * _SQRT_2_OVER_PI * (1 + 3 * _TANH_CUBIC * x * x)
    return 0.5 * (1 + _erf64(x * math.sqrt(0.5))) + x * np.exp(-0.5 * x * x) * _INV_SQRT_2PI


def _gelu_second_derivative(x: Tensor, approximate: str) -> Tensor:
    if approximate == "tanh":
        du = (1 + 3 * _TANH_CUBIC * x * x) * _SQRT_2_OVER_PI
        t = ((x + _TANH_CUBIC * x * x * x) * _SQRT_2_OVER_PI).tanh()
        return (1 - t * t) * (du - x * t * du * du + x * x * (3 * _TANH_CUBIC * _SQRT_2_OVER_PI))
    return (x * x * -0.5).exp() * _INV_SQRT_2PI * (2 - x * x)


GELU_BACKWARD = defop("gelu_backward", ("grad_output", "self"), {
    "grad_output": lambda grad, self, approximate: gelu_backward(grad, self, approximate),
    "self": lambda grad, grad_output, self, approximate: grad * grad_output * _gelu_second_derivative(
        self, approximate)})
# (unwidened: gelu_backward computes a reduced float in float32 itself, float16 as torch's kernel)
GELU = defop("gelu", grads={"self": lambda grad, self, approximate: gelu_backward(grad, self, approximate)},
             widen=False)


def gelu_backward(grad: Tensor, self: Tensor, approximate: str) -> Tensor:
    if grad._data.dtype == self._data.dtype == np.float16:
        data = gelu_backward_float16(np.broadcast_to(grad._data, self.shape), self._data, approximate)
    else:
        dy = grad._data.astype(D.opmath_np(grad._data.dtype), copy=False)
        data = in_float(lambda x: (dy * _gelu_derivative_np(x, approximate)).astype(x.dtype, copy=False),
                        self._data)
    return record(GELU_BACKWARD, data.astype(grad._data.dtype, copy=False), (grad, self), {"approximate": approximate})


@nn_op('gelu(Tensor input, *, c10::string_view approximate="none", Tensor out=None)', out_rule=same_dtype_out())
def gelu(input: Tensor, approximate: str = "none") -> Tensor:
    if approximate not in ("none", "tanh"):
        raise RuntimeError("approximate argument must be either none or tanh.")
    if input._data.dtype in _GELU_KERNEL_DTYPES:
        return record_elementwise(GELU, cpu_gelu(input._data, approximate, input.is_contiguous()), (input,),
                                  {"approximate": approximate})
    return _run(GELU, "GeluKernelImpl", input,
                lambda x: _gelu_np(x, approximate).astype(x.dtype, copy=False), {"approximate": approximate})


@_binding_pair("relu6(Tensor input)")
def relu6(input: Tensor, inplace: bool = False) -> Tensor:
    return hardtanh(input, 0.0, 6.0, inplace)


# ---- threshold, shrinkage ---------------------------------------------------------------------
_threshold_backward = _piecewise_backward("threshold", lambda x, threshold: ~(x <= threshold))


def _outside_shrink_band(x: np.ndarray, lambd: Any) -> np.ndarray:
    """``lambd`` as the kernel reads it: in the input's dtype (a NumPy scalar)."""
    return ~((x >= -lambd) & (x <= lambd))


def _shrink_backward_slope(x: np.ndarray, lambd: float) -> np.ndarray:
    return _outside_shrink_band(x, _scalar(x, lambd))


_hardshrink_backward = _piecewise_backward("hardshrink", _shrink_backward_slope, nan_stops_in_vectorized_body=True)
_softshrink_backward = _piecewise_backward("softshrink", _shrink_backward_slope, nan_stops_in_vectorized_body=True)

THRESHOLD = defop("threshold", grads={"self": lambda grad, self, threshold: _threshold_backward(
    grad, self, {"threshold": threshold})})
# in place: torch decides the branch from self's value before the write, as out of place (a value above the
# threshold written in is not a point the gradient flows through)
THRESHOLD_ = defop("threshold_", grads={"self": lambda grad, self, threshold: _threshold_backward(
    grad, self, {"threshold": threshold})}, grad_name="ThresholdBackward1")
HARDSHRINK = defop("hardshrink", grads={"self": lambda grad, self, lambd: _hardshrink_backward(
    grad, self, {"lambd": lambd})}, widen=False)
SOFTSHRINK = defop("softshrink", grads={"self": lambda grad, self, lambd: _softshrink_backward(
    grad, self, {"lambd": lambd})}, widen=False)


def _threshold_np(input: Tensor, threshold: Any, value: Any) -> np.ndarray:
    """torch's kernel: the threshold in the op's math type (float for half types), the value in the input's dtype,
    each refused when it does not fit."""
    dt = input.dtype
    if dt is D.bool:
        raise NotImplementedError('"threshold_cpu" not implemented for \'Bool\'')
    limit = checked_scalar(threshold, D.float32 if dt in (D.float16, D.bfloat16) else dt)
    return np.where(input._data <= limit, checked_scalar(value, dt), input._data)


@op("threshold(Tensor input, Scalar threshold, Scalar value, *, Tensor out=None)")
def threshold(input: Tensor, threshold: float, value: float) -> Tensor:
    return record_elementwise(THRESHOLD, _threshold_np(input, threshold, value), (input,), {"threshold": threshold})


@op("threshold_(Tensor input, Scalar threshold, Scalar value)")
def threshold_(input: Tensor, threshold: float, value: float) -> Tensor:
    check_inplace(input)  # (before the bound and value are converted)
    return record_inplace(THRESHOLD_, input, _threshold_np(input, threshold, value), (input,),
                          {"threshold": threshold}, overlapping=True)  # (torch's kernel skips the overlap check)


@op("hardshrink(Tensor input, Scalar lambd=0.5, *, Tensor out=None)", method=True, out_rule=same_dtype_out())
def hardshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    def kernel(x: np.ndarray) -> np.ndarray:
        checked_scalar(lambd, input.dtype)  # (the kernel reads lambd in the input's dtype)
        return np.where(_outside_shrink_band(x, _scalar(input._data, lambd)), x, _scalar(x, 0))
    return _run(HARDSHRINK, "hardshrink_cpu", input, kernel, {"lambd": lambd})


@nn_op("softshrink(Tensor input, Scalar lambd=0.5, *, Tensor out=None)", out_rule=same_dtype_out())
def softshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    require_float("softshrink_check", input)
    limit = float(D.finfo_np(input._data.dtype).max)
    if not 0 <= lambd <= limit:
        raise RuntimeError("lambda must be in range [0, %s] for input dtype %s, but found %s"
                           % (cpp_double(limit), input.dtype._cast_name, cpp_double(lambd)))
    # inside the band torch's vectorized body masks to +0.0 (a NaN stays), its scalar lambda writes x * 0 (-0.0 for a
    # negative x)
    lanes = scalar_lanes(input.shape, (input._data,), input._data.itemsize)

    def kernel(x: np.ndarray) -> np.ndarray:
        kept = np.isnan(x) if lanes is None else np.isnan(x) | lanes
        inside = np.where(kept, x * _scalar(x, 0), _scalar(x, 0))
        return np.where(x > lambd, x - _scalar(x, lambd), np.where(x < -lambd, x + _scalar(x, lambd), inside))
    return _run(SOFTSHRINK, None, input, kernel, {"lambd": lambd})


# ---- glu, prelu -------------------------------------------------------------------------------
def _glu_grad(grad: Tensor, self: Tensor, dim: int) -> Tensor:
    """torch's glu_backward: the gate sigmoid(b) in the input's dtype, times grad for a's half; b's half
    ``(1 - gate) * gate * a * grad`` in the compute type (float32 for the reduced floats, the gate read rounded) and
    rounded once."""
    a, b = self.chunk(2, dim)
    gate = b.sigmoid()
    wide = self.dtype in D.REDUCED_FLOATS
    gate_, a_, grad_ = (t.float() if wide else t for t in (gate, a, grad))
    second = (1 - gate_) * gate_ * a_ * grad_
    return FUNCTIONS["cat"]([gate * grad, second.to(self.dtype) if wide else second], dim)


GLU = defop("glu", grads={"self": _glu_grad}, widen=False)


@nn_op("glu(Tensor input, int64_t dim=-1, *, Tensor out=None)")
def glu(input: Tensor, dim: int = -1) -> Tensor:
    if not input.dim():
        raise RuntimeError("glu does not support 0-dimensional tensors")
    dim = wrap_dim(dim, input.dim())
    if input.shape[dim] % 2:
        raise RuntimeError("Halving dimension must be even, but dimension %d is size %d" % (dim, input.shape[dim]))
    require_float("glu_cpu", input)

    def kernel(x: np.ndarray) -> np.ndarray:
        a, b = np.split(x, 2, axis=dim)
        one = x.dtype.type(1)
        return a * (one / (one + np.exp(-b)))
    return record(GLU, in_float(kernel, input._data), (input,), {"dim": dim})


# torch's backward of _prelu_kernel is an op of its own (both gradients from grad_output, self and weight), so
# that under create_graph each gradient requires grad when self or weight does; its derivatives (derivatives.yaml)
# test self >= 0 where the kernel tests self > 0. One record per gradient here, both under torch's node name.
_PRELU_BACKWARD = ("grad_output", "self", "weight")
_nonnegative = lambda self: self >= 0  # noqa: E731
PRELU_INPUT_BACKWARD = defop("_prelu_kernel_backward", _PRELU_BACKWARD, {
    "grad_output": lambda grad, self, weight: grad.where(_nonnegative(self), grad * weight),
    "self": zero_grad,
    "weight": lambda grad, self, grad_output: (grad_output * grad).where(~_nonnegative(self), 0.0)},
    grad_name="PreluKernelBackwardBackward0")
PRELU_WEIGHT_BACKWARD = defop("_prelu_kernel_backward", _PRELU_BACKWARD, {
    "grad_output": lambda grad, self: (grad * self).where(~_nonnegative(self), 0.0),
    "self": lambda grad, self, grad_output: (grad_output * grad).where(~_nonnegative(self), 0.0),
    "weight": zero_grad},
    grad_name="PreluKernelBackwardBackward0")


def _prelu_input_grad(grad: Tensor, self: Tensor, weight: Tensor) -> Tensor:
    g = grad._data
    return record(PRELU_INPUT_BACKWARD, np.where(self._data > 0, g, g * weight._data), (grad, self, weight))


def _prelu_weight_grad(grad: Tensor, self: Tensor, weight: Tensor) -> Tensor:
    g = grad._data
    per_element = record(PRELU_WEIGHT_BACKWARD, np.where(self._data > 0, np.zeros((), g.dtype), g * self._data),
                         (grad, self, weight))
    axes = [d for d in range(self.dim()) if weight.shape[d] == 1 and self.shape[d] != 1]
    return per_element.sum(axes, keepdim=True) if axes else per_element


# torch's backward kernel rounds each element's gradient to a reduced float before weight's is summed: unwidened
PRELU_KERNEL = defop("_prelu_kernel", ("self", "weight"), {"self": _prelu_input_grad, "weight": _prelu_weight_grad},
                     widen=False)


@op("prelu(Tensor input, Tensor weight)", method=True)
def prelu(input: Tensor, weight: Tensor) -> Tensor:
    if input.dtype != weight.dtype:  # (checked first)
        raise RuntimeError("prelu: Type promoting not supported. Got %s and %s"
                           % (input.dtype._cast_name, weight.dtype._cast_name))
    ndim = input.dim()
    if weight.numel() != 1:
        if ndim == 0:
            raise RuntimeError("Not allow zero-dim input tensor.")
        channels = input.shape[1] if ndim > 1 else 1
        if channels != weight.numel():
            raise RuntimeError("Mismatch of parameter numbers and input channel size. Found parameter numbers = %d and "
                               "channel size = %d." % (weight.numel(), channels))
    if weight.dim() > 1:
        raise RuntimeError("prelu: Expected `weight` to be a scalar or 1D tensor, but got: ndim = %d" % weight.dim())
    if ndim != weight.dim():
        weight = weight.reshape([weight.numel() if d == 1 else 1 for d in range(ndim)])
    require_float("prelu_cpu", input)
    x, w = input._data, weight._data
    if x.dtype == D.bfloat16.np:  # (in float32, a NaN rounded as torch's loop rounds it)
        x32 = x.astype(np.float32)
        data = round_to_bfloat16(np.where(x32 > 0, x32, x32 * w.astype(np.float32)), (x, w))
    else:
        data = np.where(x > 0, x, x * w)
    return record(PRELU_KERNEL, data, (input, weight))
