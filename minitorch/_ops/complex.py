"""Complex numbers: parts (real, imag, view_as_real, view_as_complex), conjugation, abs/angle/sgn on complex
inputs, construction (complex, polar) and the complex predicates.

Their VJPs follow torch's convention for complex inputs themselves (``complex_vjps``): they are not
holomorphic, so the node's conjugate wrapping of real formulas does not apply to them.

``conj`` of a complex tensor and ``_neg_view`` are views with torch's conjugate and negative bits, their memory
kept equal to their base's through ``_bit_views`` (NumPy has no lazy bits); ``conj_physical`` and the
``resolve_*`` functions give values in memory of their own.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .. import _dtype as D
from .._bit_views import CONJ as CONJ_BIT
from .._bit_views import NEG as NEG_BIT
from .._bit_views import has_bit, mirror_of, mirrored
from .._tensor import Tensor
from .._complex_half_storage import conjugate, values_of, warn_experimental
from .._warn_once import warn_once
from ..autograd.history import view_step
from ..autograd.recording import CONJ_PHYSICAL, defop, record, record_inplace
from .dims import broadcast_error
from .inplace import OutCheck, same_dtype_out
from . import sleef_atan2
from .complex_product import magnitude
from .complex_math import correctly_rounded_hypot, polar_parts
from .cpu_loops import AVX512_BLOCK_BYTES, BLOCK_BYTES, by_lanes, on_scalar_lanes
from .pointwise import _sign
from .pointwise_math import glibc_atan2f
from .registry import op, python_method
from .result_layout import record_elementwise
from .views import make_view
from .pointwise import zero_grad

# ---- the parts ---------------------------------------------------------------------------------
# (a view's VJP, exact: the float16 gradient of a complex32 view is viewed as it is, its strides checked, not widened)
VIEW_AS_REAL = defop("view_as_real", grads={"self": lambda grad: view_as_complex(grad.contiguous())},
                     complex_vjps=True, widen=False)
VIEW_AS_COMPLEX = defop("view_as_complex", grads={"self": lambda grad: view_as_real(grad)}, complex_vjps=True)


@op("view_as_real(Tensor input)")
def view_as_real(input: Tensor) -> Tensor:
    if not input.dtype.is_complex:
        raise RuntimeError("view_as_real is only supported for complex tensors")
    if is_conj(input):
        raise RuntimeError("view_as_real doesn't work on unresolved conjugated tensors.  To resolve the conjugate "
                           "tensor so you can view it as real, use self.resolve_conj(); however, be warned that "
                           "the resulting tensor will NOT alias the original.")
    return _parts(input)


def _parts(input: Tensor) -> Tensor:
    """A complex tensor's two parts as a trailing axis (view_as_real after its conjugate-view check)."""
    # a trailing axis of one complex element, reinterpreted as its two parts: a view of any strides
    parts = input._data[..., None].view(input.dtype.to_real().np)
    return make_view(VIEW_AS_REAL, parts, input, None, view_step(_parts))


def check_complex_viewable(input: Tensor) -> None:
    """view_as_complex's first checks: a floating dtype complex can pair, then at least one dim."""
    if input.dtype not in (D.float32, D.float64, D.float16):
        raise RuntimeError("view_as_complex is only supported for half, float and double tensors, but got a tensor "
                           "of scalar type: " + input.dtype._cast_name)
    if not input._data.ndim:
        raise RuntimeError("Input tensor must have one or more dimensions")


@op("view_as_complex(Tensor input)")
def view_as_complex(input: Tensor) -> Tensor:
    data = input._data
    check_complex_viewable(input)
    if data.shape[-1] != 2:
        raise RuntimeError("Tensor must have a last dimension of size 2")
    if data.strides[-1] != data.itemsize:
        raise RuntimeError("Tensor must have a last dimension with stride 1")
    if any(s % (2 * data.itemsize) for s in data.strides[:-1]):
        raise RuntimeError("Tensor must have a stride divisible by 2 for all but last dimension")
    parts = data.view(input.dtype.to_complex().np)[..., 0] if data.size else \
        np.empty(data.shape[:-1], input.dtype.to_complex().np)
    return make_view(VIEW_AS_COMPLEX, parts, input, None, view_step(view_as_complex))


@op("real(Tensor input)")
def real(input: Tensor) -> Tensor:
    """torch.real: the real part as a view (view_as_real, then select, as torch); a real tensor itself. A
    conjugate view's is the real part of the memory it conjugates."""
    if not input.dtype.is_complex:
        return input
    return _parts(conj(input) if is_conj(input) else input).select(-1, 0)


@op("imag(Tensor input)")
def imag(input: Tensor) -> Tensor:
    """The imaginary part as a view; a conjugate view's is a negative view of the conjugated memory's, as torch."""
    if not input.dtype.is_complex:
        raise RuntimeError("imag is not implemented for tensors with non-complex dtypes.")
    if is_conj(input):
        return _neg_view(_parts(conj(input))).select(-1, 1)
    return _parts(input).select(-1, 1)


def _set_part(part: Any) -> Any:
    def setter(self: Tensor, value: Any) -> None:
        part(self).copy_(value)
    return setter


python_method("real")(property(real, _set_part(real)))
python_method("imag")(property(imag, _set_part(imag)))


# ---- conjugation ------------------------------------------------------------------------------
CONJ = defop("conj", grads={"self": lambda grad: grad.conj_physical()}, complex_vjps=True)
NEG_VIEW = defop("_neg_view", grads={"self": lambda grad: grad._neg_view()}, grad_name="NegViewBackward0")


def _flipped(kind: str, data: np.ndarray) -> np.ndarray:
    """``data`` seen with the ``kind`` bit flipped: the memory a whole mirror of that bit shows (the bit taken
    off again), else a new mirror."""
    mirror = mirror_of(data)
    if mirror is not None and mirror.kind == kind:
        buf = mirror.buf
        if (data.shape, data.strides, data.dtype, data.ctypes.data) == (buf.shape, buf.strides, buf.dtype,
                                                                       buf.ctypes.data):
            return mirror.raw.view()
    return mirrored(kind, data)


@op("conj(Tensor input)", method=True)
def conj(input: Tensor) -> Tensor:
    """A view of a complex tensor with the conjugate bit flipped (its values conjugated, its memory the input's);
    a real tensor itself."""
    if not input.dtype.is_complex:
        return input
    return make_view(CONJ, _flipped(CONJ_BIT, input._data), input, None, view_step(conj))


@op("_neg_view(Tensor input)", method=True)
def _neg_view(input: Tensor) -> Tensor:
    """A view with the negative bit flipped: its values negated, its memory the input's."""
    return make_view(NEG_VIEW, _flipped(NEG_BIT, input._data), input, None, view_step(_neg_view))


CONJ_PHYSICAL_INPLACE = defop("conj_physical_", grads={"self": lambda grad: grad.conj_physical()},
                              grad_name="ConjPhysicalBackward1", complex_vjps=True)


def _conj_physical_inplace(self: Tensor) -> Tensor:
    # torch's kernel leaves a real self as it is, without the overlap check (autograd still records the op)
    return record_inplace(CONJ_PHYSICAL_INPLACE, self, conjugate(self._data), (self,),
                          overlapping=not self.dtype.is_complex)


@op("conj_physical(Tensor input, *, Tensor out=None)", method=True, inplace=_conj_physical_inplace,
    out_rule=same_dtype_out())
def conj_physical(input: Tensor) -> Tensor:
    if not input.dtype.is_complex:
        return input
    return record(CONJ_PHYSICAL, conjugate(input._data), (input,))


CLONE_CONJ = defop("clone", grads={"self": lambda grad: grad}, grad_name="CloneBackward0")


@op("resolve_conj(Tensor input)", method=True)
def resolve_conj(input: Tensor) -> Tensor:
    """A conjugated tensor's values in memory of their own (a clone, as torch's); otherwise the tensor."""
    return record(CLONE_CONJ, input._data.copy(), (input,)) if is_conj(input) else input


CLONE_NEG = defop("clone", grads={"self": lambda grad: grad}, grad_name="CloneBackward0")


@op("resolve_neg(Tensor input)", method=True)
def resolve_neg(input: Tensor) -> Tensor:
    """A negative view's values in memory of their own (a clone, as torch's); otherwise the tensor."""
    return record(CLONE_NEG, input._data.copy(), (input,)) if is_neg(input) else input


@op("is_conj(Tensor input)", method=True)
def is_conj(input: Tensor) -> bool:
    return input.dtype.is_complex and has_bit(CONJ_BIT, input._data)


@op("is_neg(Tensor input)", method=True)
def is_neg(input: Tensor) -> bool:
    return has_bit(NEG_BIT, input._data)


def _adjoint(self: Tensor) -> Tensor:
    if self._data.ndim == 0:
        warn_once("adjoint_0d", "adjoint() is deprecated on 0-D tensors. Consider using x.conj(). (Triggered "
                  "internally at /__w/pytorch/pytorch/aten/src/ATen/native/TensorShape.cpp:4390.)", stacklevel=3)
        return self.conj()
    if self._data.ndim < 2:
        raise RuntimeError("tensor.adjoint() is only supported on matrices or batches of matrices. Got %d-D tensor."
                           % self._data.ndim)
    return self.transpose(-2, -1).conj()


def _mH(self: Tensor) -> Tensor:
    if self._data.ndim < 2:
        raise RuntimeError("tensor.mH is only supported on matrices or batches of matrices. Got %d-D tensor."
                           % self._data.ndim)
    return self.transpose(-2, -1).conj()


op("adjoint(Tensor input)", method=True)(_adjoint)
python_method("mH")(property(_mH))


# ---- abs, angle, sgn on complex values ----------------------------------------------------------
def sgn_of(x: np.ndarray) -> np.ndarray:
    """``x / |x|`` for complex values (0 at 0), torch's sign for real ones. torch's vectorized body (AVX512) divides
    each component by ``|x|``; its scalar lambda, on the lanes ``cpu_loops`` tells, divides by the complex
    ``|x| + 0j`` as c10 (NumPy's algorithm) does: the two differ in the last bit, and at subnormal magnitudes
    (``5e-324+5e-324j``: ``1+1j`` against ``inf+infj``)."""
    if x.dtype.kind != "c":
        return _sign(x)
    result = np.empty_like(x)
    size = correctly_rounded_hypot(x.real, x.imag) if x.dtype == np.complex128 else magnitude(x)  # (SLEEF's hypot)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        result.real, result.imag = x.real / size, x.imag / size
    result[size == 0] = 0
    return on_scalar_lanes(result, [x], _complex_divided_sgn, block_bytes=AVX512_BLOCK_BYTES)


def _complex_divided_sgn(x: np.ndarray) -> np.ndarray:
    size = magnitude(x)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        return np.where(size == 0, 0, x / np.where(size == 0, 1, size)).astype(x.dtype)


def _sgn_grad(grad: Tensor, self: Tensor, result: Tensor) -> Tensor:
    if not self.dtype.is_complex:
        return zero_grad(grad)
    magnitude = self.abs()
    # (g - sgn^2 conj(g)) / (2|z|): the Wirtinger derivatives of z / |z|, zero where z is
    return ((grad - result * result * grad.conj_physical()) / (2 * magnitude)).where(magnitude != 0, 0.0)


SGN = defop("sgn", grads={"self": _sgn_grad}, complex_vjps=True)


@op("sgn(Tensor input, *, Tensor out=None)", method=True, inplace=True, out_rule=same_dtype_out())
def sgn(input: Tensor) -> Tensor:
    return record_elementwise(SGN, np.asarray(sgn_of(input._data)), (input,))


def _angle_data(x: np.ndarray) -> np.ndarray:
    if x.dtype == np.complex64:  # SLEEF's atan2f in the vectorized body, glibc's in the scalar lambda (std::arg)
        return by_lanes(lambda z: sleef_atan2.atan2f(z.imag, z.real), lambda z: glibc_atan2f(z.imag, z.real), (x,),
                        x.itemsize, BLOCK_BYTES)  # (one 512-bit vector a step, measured)
    if x.dtype.kind == "c":
        return np.angle(x)
    if not D.is_floating_np(x.dtype):
        x = x.astype(D.get_default_dtype().np)
    # torch: pi for negative numbers, 0 otherwise, NaN stays NaN
    return np.where(x < 0, x.dtype.type(np.pi), np.where(np.isnan(x), x, x.dtype.type(0)))


def _angle_grad(grad: Tensor, self: Tensor) -> Tensor:
    if not self.dtype.is_complex:
        return zero_grad(grad)
    # i z / |z|^2 times the (real) gradient, 0 at z = 0, in torch's order (a z whose |z|^2 underflows: z / 0 is
    # NaN, where i z / 0 would be infinite parts)
    return (grad * self / self.abs().pow(2) * 1j).where(self != 0, 0.0)


ANGLE = defop("angle", grads={"self": _angle_grad}, complex_vjps=True)


@op("angle(Tensor input, *, Tensor out=None)", method=True)
def angle(input: Tensor) -> Tensor:
    return record_elementwise(ANGLE, np.asarray(_angle_data(input._data)), (input,))


# ---- construction ------------------------------------------------------------------------------
COMPLEX_OP = defop("complex", ("real", "imag"), {"real": lambda grad: grad.real, "imag": lambda grad: grad.imag},
                   complex_vjps=True)


def _check_parts(fname: str, a: Tensor, b: Tensor) -> None:
    """torch's checks of the two parts: their dtypes, then (once the result is allocated, which warns for a complex32
    one) their dtypes' match, their shapes, and polar's missing Half kernel."""
    if any(x.dtype not in (D.float32, D.float64, D.float16) for x in (a, b)):
        raise RuntimeError("Expected both inputs to be Half, Float or Double tensors but got %s and %s"
                           % (a.dtype._cast_name, b.dtype._cast_name))
    error = _allocated_parts_error(fname, a, b)
    if error is not None:
        if a.dtype is D.float16:
            warn_experimental()
        raise error


def _allocated_parts_error(fname: str, a: Tensor, b: Tensor) -> Exception | None:
    if a.dtype is not b.dtype:
        return RuntimeError("Expected object of scalar type %s but got scalar type %s for second argument"
                            % (a.dtype._cast_name, b.dtype._cast_name))
    try:
        np.broadcast_shapes(a._data.shape, b._data.shape)
    except ValueError:
        return broadcast_error(a._data.shape, b._data.shape)
    if fname == "polar" and a.dtype is D.float16:  # torch's polar kernel has no Half form (complex does)
        return NotImplementedError('"polar_cpu" not implemented for \'Half\'')
    return None


# torch's complex and polar kernels take only an ``out`` of the result's own complex dtype
_PARTS_OUT = OutCheck("Expected object of scalar type %(result)s but got scalar type %(out)s for argument 'out'")


@op("complex(Tensor real, Tensor imag, *, Tensor out=None)", out_check=_PARTS_OUT)
def complex(real: Tensor, imag: Tensor) -> Tensor:  # noqa: A001 - torch's name
    _check_parts("complex", real, imag)
    return record_elementwise(COMPLEX_OP, _from_parts(real._data, imag._data, real.dtype), (real, imag))


def _from_parts(re: np.ndarray, im: np.ndarray, dtype: D.dtype) -> np.ndarray:
    """The complex array with these real and imaginary parts, set part by part: ``re + 1j * im`` would turn an
    infinite part into nan (inf * 0j), torch's kernels never mix the parts."""
    out = np.empty(np.broadcast_shapes(re.shape, im.shape), np.result_type(re.dtype, np.complex64))
    out.real = re
    out.imag = im
    return D.cast_np(out, dtype.to_complex().np)


def _polar_grads() -> dict:
    def grad_abs(grad: Tensor, result: Tensor) -> Tensor:
        return (grad.conj_physical() * result.sgn()).real

    def grad_angle(grad: Tensor, result: Tensor) -> Tensor:
        return (grad.conj_physical() * (result * 1j)).real
    return {"abs": grad_abs, "angle": grad_angle}


POLAR = defop("polar", ("abs", "angle"), _polar_grads(), complex_vjps=True)


@op("polar(Tensor abs, Tensor angle, *, Tensor out=None)", out_check=_PARTS_OUT)
def polar(abs: Tensor, angle: Tensor) -> Tensor:  # noqa: A002 - torch's names
    _check_parts("polar", abs, angle)
    r, theta = abs._data, angle._data
    return record_elementwise(POLAR, _from_parts(*polar_parts(r, theta), abs.dtype), (abs, angle))


# ---- predicates -------------------------------------------------------------------------------
@op("is_complex(Tensor input)")
def is_complex(input: Tensor) -> bool:
    return input.dtype.is_complex


@op("isreal(Tensor input)", method=True)
def isreal(input: Tensor) -> Tensor:
    data = values_of(input._data)
    return Tensor._make(np.asarray(data.imag == 0) if data.dtype.kind == "c" else np.ones(data.shape, np.bool_))
