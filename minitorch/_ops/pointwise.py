"""Pointwise ops: one declaration each (forward ufunc, VJPs, dtype kind, torch's signatures).

``unary`` and ``binary`` build an op's implementation from its ufunc and dtype kind and declare it
with ``registry.op``: the record generates ``minitorch.<name>``, ``Tensor.<name>``, the in-place
``Tensor.<name>_`` and ``out=``, with torch's argument errors. The operators (``operators.py``) call
the generated callables.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

from .. import _dtype as D
from .._complex_half_storage import warn_experimental
from .._creation import zeros_like
from .._tensor import Tensor
from .._warn_once import warn_once
from .conversion import warn_discarding_imaginary
from . import complex_math
from .complex_product import c_power, complex_elementwise_product, complex_product, complex_quotient
from .cpu_loops import AVX512_BFLOAT16_BLOCK, AVX512_BLOCK_BYTES, fused_power_lanes, on_scalar_lanes, round_to_bfloat16
from .dims import REFUSED_DTYPE, REFUSED_SHAPE
from .inplace import OutCheck, check_cast, output_checks_first, real_input_dtype, same_dtype_out
from ..autograd.recording import (NODE_INPUTS, OpDef, check_output_shape, defop, has_memory_to_write, record,
                                  record_inplace, untraced)
from .promotion import as_array, binary_arrays, check_broadcast, check_broadcast_all, to_float
from .registry import DirectBinary, adopt, op
from .result_layout import torch_layout
from .fused import fused_multiply_add
from .scalar_cast import check_scalar_int, checked_scalar, fill_scalar, negated_scalar
from .scalar_overloads import add_scalar, mul_scalar, sub_scalar

# dtype kinds
KEEP = "keep"            # result has the input's (promoted) dtype
FLOAT = "float"          # integer and bool inputs compute in the default float dtype
COMPARE = "compare"      # promoted inputs, bool result, no gradient

# torch's overloads of the binary pointwise ops (``{0}``: the op's name)
TENSOR_OTHER = ("{0}(Tensor input, Tensor other, *, Tensor out=None)",)
SCALAR_OTHER = TENSOR_OTHER + ("{0}(Tensor input, Scalar other, *, Tensor out=None)",)
SCALAR_EITHER = ("{0}(Tensor input, Tensor other, *, Tensor out=None)", "{0}(Scalar self, Tensor other)",
                 "{0}(Tensor input, Scalar other, *, Tensor out=None)")
SCALAR_EITHER_METHOD = ("{0}(Tensor other)", "{0}(Scalar other)")


def no_kernel(kernel: str, *categories: int) -> Callable[..., None]:
    """A dtype refusal: torch's NotImplementedError for a (promoted) dtype its kernel lacks.

    The hook takes the dtype the op computes in (and, for binary ops, the computation's ``other``).
    """
    def refuse(dt: D.dtype, other: Any = None) -> None:
        if dt.category in categories:
            if dt is D.complex32:  # (TensorIterator allocated the complex32 result before the kernel: torch warns)
                warn_experimental()
            raise NotImplementedError('"%s" not implemented for \'%s\'' % (kernel, dt._cast_name))
    return refuse


def refuse_broadcast(refuse: Callable[[D.dtype], None], dt: D.dtype, *operands: Any) -> None:
    """A pointwise kernel's refusal of its dtype ``dt`` (the result's) in TensorIterator's order: once the operands'
    shapes are found to broadcast. The refusal carries their shape and the dtype (``REFUSED_SHAPE``,
    ``REFUSED_DTYPE``): an in-place form checks that its output has the shape and takes the dtype first
    (``registry.derived_inplace``)."""
    try:
        refuse(dt)
    except NotImplementedError as e:
        setattr(e, REFUSED_SHAPE, check_broadcast_all(*operands))
        setattr(e, REFUSED_DTYPE, dt)
        raise


def _named(texts: Sequence[str], name: str) -> list[str]:
    return [t.format(name) for t in texts]


def unary(name: str, ufunc: Callable, grad: Callable | None, *, kind: str = KEEP,
          grad_name: str | None = None, check: Callable | None = None, inplace: bool = True,
          aliases: tuple = (), out: bool = True, inplace_op: OpDef | None = None, complex_vjps: bool = False,
          widen: bool = False, scalar: Callable | None = None, reduced: Callable | None = None,
          exact: bool = False, block: int | None = None,
          inplace_check: Callable | None = None, out_rule: Callable | None = None) -> OpDef:
    """Declare the pointwise op ``name(input)`` computed by ``ufunc(x)``, with ``grad`` its VJP.

    ``check(input)`` refuses dtypes, by the dtype alone (float32/float64 are checked once); ``inplace_op``: the op
    the in-place form records, where torch's differs from the out-of-place one. ``grad`` is torch's
    derivatives.yaml formula, which torch runs as separate ops, each rounding to float16/bfloat16: so does
    minitorch, unless ``widen`` (an op whose torch backward is one fused kernel computing in float32, as
    tanh_backward). ``scalar``: torch's scalar lambda for float16/bfloat16, where it rounds differently from the
    vectorized body (``cpu_loops``), from and to the dtype. ``reduced``: the float32 function torch's
    float16/bfloat16 kernel runs, where it is not ``ufunc`` (torch's Vectorized<float> differs from its float32
    kernel). ``exact``: the op only moves the sign bit (neg, abs),
    which torch's float16/bfloat16 vectorized body does on the bits, NaN's payload kept, and its scalar lambda
    through float32 (a bfloat16 NaN there comes out 0x7FC0). ``block``: the elements a step of torch's bfloat16
    vectorized body covers where it leaves a tail to the scalar lambda (sigmoid, reciprocal: 64, AVX512), which a
    NaN tells (``round_to_bfloat16``); None: the vectorized body runs the tail too.
    ``inplace_check(self)``: the in-place form's own refusal, after autograd's and before anything else.
    ``out_rule``: torch's check of ``out``'s dtype (``registry.op``'s).
    """
    d = defop(name, ("self",), {"self": grad} if grad else {}, grad_name, complex_vjps=complex_vjps, widen=widen)

    def compute(input: Tensor) -> np.ndarray:
        if check is not None:
            check(input)
        data, dt = input._data, input.dtype
        if kind == FLOAT and dt.category < D.FLOATING:
            dt = D.get_default_dtype()
            data = data.astype(dt.np)
        if dt in D.REDUCED_FLOATS and exact:
            return on_scalar_lanes(np.asarray(ufunc(data)), (data,), ufunc)
        if dt in D.REDUCED_FLOATS:
            result = _rounded_once((reduced or ufunc)(data.astype(np.float32)), dt.np, block is not None and (data,),
                                   block or 32)
            return result if scalar is None else on_scalar_lanes(result, (data,), scalar)
        return np.asarray(ufunc(data))

    passed: set[D.dtype] = set()  # the float dtypes ``check`` let through (it refuses dtypes: one call each)

    def forward(input: Tensor) -> Tensor:
        dt = input.dtype
        if dt is D.float32 or dt is D.float64:  # the commonest call: the ufunc on the array, in this frame
            if check is not None and dt not in passed:
                check(input)
                passed.add(dt)
            data = input._data
            if data.flags.c_contiguous:  # (NumPy's layout is torch's: see result_layout)
                return record(d, ufunc(data), (input,))
            return record(d, torch_layout(ufunc(data), (data,)), (input,))
        return record(d, torch_layout(compute(input), (input._data,)), (input,))

    def recorded_inplace(self: Tensor) -> Tensor:
        has_memory_to_write(self)  # (TensorIterator's first check: before the result's dtype is)
        data = compute(self)
        check_cast(D._FROM_NP[data.dtype], self.dtype)
        return record_inplace(inplace_op, self, data, (self,))
    def checked_inplace(self: Tensor) -> Tensor:
        inplace_check(self)  # type: ignore[misc]
        has_memory_to_write(self)  # (TensorIterator's first check: before the kernel's dtype refusal)
        return adopt(self, forward(self))
    forward.__name__ = name
    signature = "%s(Tensor input%s)" % (name, ", *, Tensor out=None" if out else "")
    inplace_form = recorded_inplace if inplace_op is not None else checked_inplace if inplace_check else True
    op(signature, method=True, aliases=aliases, inplace=inplace and inplace_form, out_rule=out_rule)(forward)
    return d


def check_inplace_result(out: Tensor, operands: tuple, dt: D.dtype) -> None:
    """An in-place result of dtype ``dt`` must fit ``out``: torch checks that its elements do not overlap, then the
    shapes, then the dtype."""
    has_memory_to_write(out)
    try:
        shape = np.broadcast_shapes(*(np.shape(x) for x in operands))
    except ValueError:
        check_broadcast_all(*operands)
        raise
    check_output_shape(out, shape)
    check_cast(dt, out.dtype)


def _check_alpha(alpha: Any, dt: D.dtype, operands: tuple = ()) -> None:
    """torch's checks of ``add``/``sub``'s ``alpha`` (a Scalar: a number or a 0-d tensor) against the operands'
    common dtype, which its kernel makes once the ``operands``' shapes are found to broadcast."""
    if isinstance(alpha, Tensor):
        alpha = alpha.item()
    if type(alpha) is int:
        check_scalar_int(alpha)
    if type(alpha) is bool and dt is not D.bool:
        check_broadcast_all(*operands)
        raise RuntimeError("Boolean alpha only supported for Boolean results.")
    if dt.category < D.FLOATING and not isinstance(alpha, (int, np.integer)):
        check_broadcast_all(*operands)
        raise RuntimeError("For integral input tensors, argument alpha must not be a floating point number.")


# torch's mul, true-division and truncating-division kernels read a CPU scalar ``other`` (a number or a 0-d tensor)
# in float32 for the reduced floats (``original_scalar_value``); the other kernels round it to the tensor's dtype
# first (div's trunc joins in pointwise_math)
OPMATH_SCALAR_KERNELS: set = {np.multiply, np.true_divide}
# kernels that compute the reduced floats in their own dtype: nextafter (a step of the dtype itself), copysign (on the
# bits: a NaN keeps its payload), and the ones torch runs in c10's Half/BFloat16 arithmetic, rounding every step
# (division with rounding); others may join
IN_OWN_DTYPE_KERNELS: set = {np.nextafter, np.copysign}
# the elements a step of a kernel's bfloat16 vectorized body covers, where not 32 (two 256-bit vectors):
# AVX512_BFLOAT16_BLOCK where torch compiled it for AVX512, 0 where it has none (the scalar lambda throughout);
# measured by the NaN bits each lane makes (``round_to_bfloat16``)
BFLOAT16_BLOCKS: dict[Callable, int] = {np.arctan2: AVX512_BFLOAT16_BLOCK, np.hypot: AVX512_BFLOAT16_BLOCK,
                                        np.fmax: 0, np.fmin: 0}


def _rounded_once(result: Any, dt: np.dtype, scalar: bool | Sequence[np.ndarray] = False,
                  block: int = 32) -> np.ndarray:
    """A reduced-float op's float32 result rounded to its dtype (a bool result stays as it is); ``scalar`` and
    ``block``: where torch's scalar lambda rounds a bfloat16 result (``round_to_bfloat16``)."""
    result = np.asarray(result)
    if result.dtype != np.float32:
        return result
    return round_to_bfloat16(result, scalar, block) if dt == D.bfloat16.np else result.astype(dt)


_NUMPY_COMPLEX = (D.complex64, D.complex128)


# the comparisons torch computes on ComplexHalf (``_compared_in_complex_half``)
_COMPLEX_HALF_COMPARISONS = (np.equal, np.not_equal)


def _compared_in_complex_half(ufunc: Callable, x: Any, y: Any, a: Any, b: Any) -> np.ndarray:
    """eq/ne of operands promoted to complex32 (``a``, ``b``: ``x``, ``y`` in its storage), exact on complex64
    copies: computed here, they take the common path (recorded in place as EqBackward, out=) rather than
    complex_half's. Each operand torch's TensorIterator casts into complex32 allocates one: its warning."""
    for operand in (x, y):
        if not (isinstance(operand, Tensor) and operand.dtype is D.complex32):
            warn_experimental()
    return ufunc(*(D.cast_np(np.asarray(v, D.complex32.np), D.complex64.np) for v in (a, b)))


def _apply(ufunc: Callable, a: Any, b: Any, y: Any, dt: D.dtype) -> Any:
    """``ufunc(a, b)`` on operands promoted to ``dt``, where ``b`` is ``y`` (a Tensor or Python number); the reduced
    floats compute in float32 and round once, as torch's kernels do."""
    if dt in D.FLOAT8:  # (a float result converted by c10's rule: float8_e4m3fn saturates where ml_dtypes' is NaN)
        result = ufunc(np.asarray(a, np.float32), np.asarray(b, np.float32))
        return D.cast_np(result, dt.np) if result.dtype.kind == "f" else result
    scalar_other = dt in D.REDUCED_FLOATS and ufunc in OPMATH_SCALAR_KERNELS and (
        y._data.ndim == 0 if isinstance(y, Tensor) else type(y) in _PY_SCALARS)
    if dt not in D.REDUCED_FLOATS or ufunc in IN_OWN_DTYPE_KERNELS and not scalar_other:
        # (complex32 storage fails in NumPy and is computed on complex64 copies: complex_half)
        if dt in _NUMPY_COMPLEX:
            if ufunc is np.multiply:
                return complex_elementwise_product(a, b)
            if ufunc is np.true_divide:
                return complex_quotient(a, b)
        return ufunc(a, b)
    if scalar_other:
        b = y._data if isinstance(y, Tensor) else y  # unrounded
    block = BFLOAT16_BLOCKS.get(ufunc, 32)
    return _rounded_once(ufunc(np.asarray(a, np.float32), np.asarray(b, np.float32)), dt.np,
                         (np.asarray(a), np.asarray(b)) if block else True, block)


def _fused_alpha(a: Any, b: Any, factor: Any, dt: D.dtype, out: Tensor | None) -> np.ndarray:
    """``a + factor * b`` as torch's kernels compute it: the vectorized body in one fused multiply-add (in float32
    for the reduced floats), their scalar lambda (``cpu_loops``) in the dtype itself, each step rounding;
    ``out``: the in-place target."""
    compute = D.opmath_np(dt.np)
    try:
        fused = np.asarray(fused_multiply_add(np.asarray(b, compute), compute.type(factor), np.asarray(a, compute)))
    except ValueError:
        check_broadcast(a, b)
        raise
    result = fused.astype(dt.np, copy=False)
    if dt not in D.REDUCED_FLOATS:
        return result
    alpha = np.float32(dt.np.type(factor))

    def in_dtype(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        product = (alpha * np.asarray(b, np.float32)).astype(dt.np)
        return (np.asarray(a, np.float32) + product.astype(np.float32)).astype(dt.np)
    return on_scalar_lanes(result, (a, b), in_dtype, () if out is None else (out._data,))


def _complex_half_copy(x: Any, y: Any) -> bool:
    """Whether an operand is the complex64 copy of a complex32 one (complex_half computes on such copies)."""
    return bool(NODE_INPUTS) and (id(x) in NODE_INPUTS or id(y) in NODE_INPUTS)


def _binary_compute(ufunc: Callable, kind: str, fname: str, x: Any, y: Any, alpha: Any = 1,
                    validate: Callable | None = None, out: Tensor | None = None) -> tuple[Any, D.dtype]:
    """``ufunc`` on the promoted operands, and the result's dtype; ``out``: the in-place target."""
    try:
        a, b, dt = binary_arrays(x, y, fname)
    except RuntimeError as e:
        if out is not None:
            output_checks_first(out, e)
        raise
    if out is not None:
        check_inplace_result(out, (a, b), D.bool if kind == COMPARE else to_float(dt) if kind == FLOAT else dt)
    elif validate is not None:
        check_broadcast(a, b)  # (torch's kernel refuses a dtype once the shapes have been checked)
    if validate is not None:  # (an empty input computes no element: its divisor is never read)
        validate(dt, b if np.size(a) else np.empty(0, np.asarray(b).dtype))
    if alpha is not _ONE:
        _check_alpha(alpha, dt, (a, b))
        if alpha != 1:  # alpha in the common dtype (checked); the reduced floats multiply in float32, as torch
            if ufunc is np.subtract:  # torch's sub is add with -alpha: that is the number the dtype must hold
                ufunc, alpha = np.add, negated_scalar(alpha.item() if isinstance(alpha, Tensor) else alpha)
            check_broadcast(a, b)  # (TensorIterator's shapes, before the kernel converts alpha to the dtype)
            checked = checked_scalar(alpha, dt)
            if dt.category == D.FLOATING:
                return _fused_alpha(a, b, checked, dt, out), dt
            if dt in _NUMPY_COMPLEX:
                b = complex_elementwise_product(b, dt.np.type(checked), (a, b))
            else:
                b = b * checked
    elif dt.is_complex and dt is not D.complex32 and (ufunc is np.add or ufunc is np.subtract) \
            and not _complex_half_copy(x, y):
        # torch's complex add is a + alpha * b with alpha = +-1 a complex number (sub: -1): the product makes the
        # other part of a non-finite b NaN (0 * inf), as torch's (not its ComplexHalf kernel's)
        ufunc, b = np.add, complex_product(b, dt.np.type(1 if ufunc is np.add else -1))
    if kind == FLOAT and dt.category < D.FLOATING:
        # each operand converts from its own value: a number or 0-d tensor the integral common dtype cannot
        # hold (uint8 / -42, int8 / 1000) keeps its value, as in torch's kernels, instead of wrapping first
        dt = to_float(dt)
        a, b = as_array(x, dt), as_array(y, dt)
    try:
        result = _compared_in_complex_half(ufunc, x, y, a, b) if dt is D.complex32 and \
            ufunc in _COMPLEX_HALF_COMPARISONS else _apply(ufunc, a, b, y, dt)
    except ValueError:
        check_broadcast(a, b)
        raise
    except TypeError:
        if dt.is_complex and dt is not D.complex32:  # a ufunc without complex loops (complex32: complex_half)
            check_broadcast(a, b)  # (TensorIterator's shape check comes before its kernel's dtype refusal)
            raise NotImplementedError('"%s_cpu" not implemented for \'%s\'' % (fname, dt._cast_name)) from None
        raise
    if kind == COMPARE:
        if out is not None and dt.is_complex and out.dtype is not D.bool and not out.dtype.is_complex:
            # torch computes a comparison into a non-bool output in the common dtype, then copies it in
            warn_discarding_imaginary(np.size(result))
        return np.asarray(result), D.bool
    return np.asarray(result), dt


_PY_SCALARS = (int, float, bool)
_PY_REALS = (int, float)
# the default alpha, told apart by identity (a caller's 1.0 or True is recorded as given), and its
# attributes, shared by the nodes that record it (nothing writes a node's attributes)
_ONE = 1
_ALPHA_ONE = {"alpha": _ONE}

BINARY_OPS: list[str] = []  # the records declared by ``binary`` (the promotion test walks them)


def _takes_alpha(vjp: Callable) -> bool:
    """Whether a VJP takes ``alpha``, read off its code (``inspect.signature`` for every binary op was ~3% of
    ``import minitorch``)."""
    code = vjp.__code__
    return "alpha" in code.co_varnames[:code.co_argcount + code.co_kwonlyargcount]


def binary(name: str, ufunc: Callable, grads: dict[str, Callable] | None, *, kind: str = KEEP,
           signatures: Sequence[str] = SCALAR_OTHER, method: bool | Sequence[str] = True,
           grad_name: str | None = None, check: Callable | None = None, inplace: bool = True,
           aliases: tuple = (), scalar_grad_name: str | None = None,
           number_self: tuple[str | None, dict] | None = None, validate: Callable | None = None,
           inplace_grads: dict[str, Callable] | None = None, inplace_check: Callable | None = None,
           operands: Callable | None = None, real_part: bool = True, out_rule: Callable | None = None,
           out_check: OutCheck | bool = False, complex_vjps: bool = False) -> OpDef:
    """Declare the pointwise op ``name(input, other)`` computed by ``ufunc(a, b)`` on the promoted
    operands, with torch's ``signatures`` (``{0}`` for the name; the method's derived, or given).

    If a VJP takes ``alpha``, the op has torch's ``alpha`` (``input + alpha * other``).
    ``scalar_grad_name`` records a scalar ``other`` as the Scalar overload (only ``self``'s VJP;
    ``other`` becomes an attribute); ``number_self=(grad_name, grads)`` records a Python number
    ``input`` (the ``(Scalar self, Tensor other)`` overload). ``check(input, other)`` sees the
    operands, ``validate(dtype, other)`` the promoted dtype and the computation's ``other``. ``inplace_grads``:
    the in-place form records an op of its own, ``<name>_``, with these VJPs (torch names it in its errors);
    ``inplace_check(self, other)``: the in-place form's own check, before the shapes and dtypes are.
    ``operands(input, other)``: what the op computes on, where torch's composition promotes other operands than its
    arguments (ldexp's pow(2.0, other)); the arguments are what it records. ``real_part``: see ``defop``; ``out_rule``
    and ``out_check``: ``registry.op``'s.
    """
    # torch runs these derivatives.yaml formulas op by op, each step rounding to float16/bfloat16 (see ``unary``)
    compares = kind == COMPARE
    d = defop(name, ("self", "other"), grads, grad_name, widen=False, integral_results=compares, real_part=real_part,
              complex_vjps=complex_vjps)
    inplace_d = None if inplace_grads is None else defop(name + "_", ("self", "other"), inplace_grads, grad_name,
                                                         widen=False)
    scalar_op = d
    if scalar_grad_name is not None:
        scalar_op = defop(name, ("self",), {"self": grads["self"]} if grads else {}, scalar_grad_name, widen=False,
                          integral_results=compares, complex_vjps=complex_vjps)
    # (a number ``self`` without a derivative is not differentiable: declared last, see ``defop``)
    number_inputs = ("self", "other") if number_self is None or "self" in number_self[1] or not number_self[1] \
        else ("other", "self")
    number_op = d if number_self is None else defop(name, number_inputs, number_self[1], number_self[0],
                                                      widen=False, integral_results=compares,
                                                      complex_vjps=complex_vjps)

    def overload(x: Any, y: Any) -> tuple[OpDef, tuple, dict | None]:
        """The op (overload) these operands call, with its recorded inputs and attributes."""
        if not isinstance(x, Tensor):
            return number_op, (x, y) if number_op.inputs[0] == "self" else (y, x), None
        if scalar_op is not d and not isinstance(y, Tensor):
            return scalar_op, (x,), {"other": y}
        return d, (x, y), None

    def compute(input: Any, other: Any, alpha: Any, out: Tensor | None) -> tuple:
        if check is not None:
            check(input, other)
        computed = (input, other) if operands is None else operands(input, other)
        data, _ = _binary_compute(ufunc, kind, name, *computed, alpha, validate, out)
        if out is None:
            data = torch_layout(data, [x._data if isinstance(x, Tensor) else x for x in computed])
        if alpha != 1:
            return d, data, (input, other), {"alpha": alpha}
        o, inputs, attrs = overload(input, other)
        return o, data, inputs, attrs

    # (the VJP functions themselves: d.vjps are built on the op's first record)
    takes_alpha = any(_takes_alpha(vjp) for vjp in (grads or {}).values())
    if takes_alpha:
        def general(input: Any, other: Any, alpha: Any = _ONE) -> Tensor:
            return record(d, compute(input, other, alpha, None)[1], (input, other),
                          _ALPHA_ONE if alpha is _ONE else {"alpha": alpha})

        def inplace_fn(self: Tensor, other: Any, alpha: Any = 1) -> Tensor:
            data = compute(self, other, alpha, self)[1]
            return record_inplace(d, self, data, (self, other), {"alpha": alpha})
    else:
        def general(input: Any, other: Any) -> Tensor:
            return record(*compute(input, other, 1, None))

        def inplace_fn(self: Tensor, other: Any) -> Tensor:
            if inplace_check is not None:
                inplace_check(self, other)
            o, data, inputs, attrs = compute(self, other, 1, self)
            if inplace_d is not None and o is d:
                o = inplace_d
            # an op without VJPs (logical, bitwise) leaves self's history as it is
            return record_inplace(o if grads else None, self, data, inputs, attrs)
    general.__name__, inplace_fn.__name__ = name, name + "_"
    forward: Callable = general
    if validate is None:
        # the commonest call (float32/float64 operands of one dtype, or such a tensor and a Python number), computed
        # in the implementation's own frame and in the operators' (compile_operator), from one source
        direct = DirectBinary(ufunc, d, _ALPHA_ONE if takes_alpha else None, scalar_op is d, check)
        forward = direct.implementation(name, general, _ONE if takes_alpha else None)
        forward.direct = direct  # type: ignore[attr-defined]
    # torch checks an in-place result's shape and dtype before computing it (and a comparison
    # written into a float tensor records a zero-gradient op): in-place forms are their own
    BINARY_OPS.append(name)
    op(*_named(signatures, name), method=method if method is True else _named(method, name),
       inplace=inplace and inplace_fn, aliases=aliases, out_rule=out_rule, out_check=out_check)(forward)
    return d


# ---- dtype refusals ---------------------------------------------------------------------------
def _no_bool_neg(x: Tensor) -> None:
    if x.dtype is D.bool:
        raise RuntimeError("Negation, the `-` operator, on a bool tensor is not supported. If you are "
                           "trying to invert a mask, use the `~` or `logical_not()` operator instead.")


def _no_bool_sub(x: Any, y: Any) -> None:
    x_bool = x.dtype is D.bool if isinstance(x, Tensor) else type(x) is bool
    y_bool = y.dtype is D.bool if isinstance(y, Tensor) else type(y) is bool
    if x_bool and y_bool:
        raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not supported. Use "
                           "the `^` or `logical_xor()` operator instead.")
    if x_bool or y_bool:
        raise RuntimeError("Subtraction, the `-` operator, with a bool tensor is not supported. If you "
                           "are trying to invert a mask, use the `~` or `logical_not()` operator instead.")


_NO_BOOL_ABS = no_kernel("abs_cpu", D.BOOL)


def conj_of(x: Any) -> Any:
    """An operand of a formula written for complex values, conjugated as torch's ``.conj()``: a tensor's lazy
    conjugate (a real tensor itself), a complex number's conjugate, any other number itself."""
    if isinstance(x, Tensor):
        return x.conj()
    return x.conjugate() if isinstance(x, (complex, np.complexfloating)) else x


def _alpha_times(grad: Any, alpha: Any) -> Any:
    """``grad`` scaled by add's ``alpha``, conjugated (AddBackward0's ``other`` VJP itself, in torch's complex
    convention: add and sub declare ``complex_vjps``, so a complex gradient passes through them as it is, strides and
    all, as torch's, not conjugated twice into a contiguous copy). ``alpha``: a number or a grad-free 0-d tensor."""
    return grad if alpha == 1 else grad * conj_of(alpha)


def zero_grad(grad: Tensor) -> Tensor:
    """A VJP that is zero everywhere (torch's zeros_like: no NaN from an infinite ``grad``)."""
    return zeros_like(grad)


# ---- the table ------------------------------------------------------------------------------
_WITH_ALPHA = ("{0}(Tensor input, Tensor other, *, Scalar alpha=1, Tensor out=None)",
               "{0}(Tensor input, Scalar alpha, Tensor other, *, Tensor out=None)|deprecated")
ADD = binary("add", np.add, {"self": lambda grad: grad,
                             "other": _alpha_times}, signatures=_WITH_ALPHA, complex_vjps=True)
_SUB_GRADS = {"self": lambda grad: grad, "other": lambda grad, alpha: -_alpha_times(grad, alpha)}
SUB = binary("sub", np.subtract, _SUB_GRADS, check=_no_bool_sub, signatures=_WITH_ALPHA, complex_vjps=True)
binary("subtract", np.subtract, _SUB_GRADS, check=_no_bool_sub, grad_name="SubBackward0",
       signatures=_WITH_ALPHA + ("subtract(Tensor input, Scalar other, Scalar alpha=1)",), complex_vjps=True)
# mul, div and true_divide take a Python number for either operand (torch's parser wraps it). Their VJPs are torch's
# formulas for complex values (mul_tensor_backward, div_tensor_self/other_backward): the gradient itself times the
# conjugated operand, which keeps torch's signs of zero (the generic conj(vjp(conj(grad))) flips a zero imaginary
# part of a complex gradient times a real operand) and records ConjBackward0 as torch's under create_graph
_MUL_GRADS = {"self": lambda grad, other: grad * conj_of(other), "other": lambda grad, self: grad * conj_of(self)}
MUL = binary("mul", np.multiply, _MUL_GRADS, signatures=TENSOR_OTHER, number_self=("MulBackward0", _MUL_GRADS),
             complex_vjps=True)
binary("multiply", np.multiply, _MUL_GRADS, grad_name="MulBackward0",
       signatures=TENSOR_OTHER + ("multiply(Tensor input, Scalar other)",),
       number_self=("MulBackward0", _MUL_GRADS), complex_vjps=True)
_DIV_GRADS = {"self": lambda grad, other: grad / conj_of(other),
              "other": lambda grad, self, other: -grad * conj_of((self / other) / other)}
# div and divide add rounding_mode overloads to true division (pointwise_math)
DIV = binary("true_divide", np.true_divide, _DIV_GRADS, kind=FLOAT, grad_name="DivBackward0",
             signatures=TENSOR_OTHER + ("true_divide(Tensor input, Scalar other)",),
             number_self=("DivBackward0", _DIV_GRADS), complex_vjps=True)

# a comparison records nothing, but written in place into a float tensor it is a zero-gradient op (other's zeros made
# like it, as torch's: not a broadcast gradient summed, which a float8 has no kernel for)
for _name, _ufunc in (("eq", np.equal), ("ne", np.not_equal), ("lt", np.less), ("le", np.less_equal),
                      ("gt", np.greater), ("ge", np.greater_equal)):
    binary(_name, _ufunc, {"self": zero_grad, "other": lambda grad, other: zeros_like(other)}, kind=COMPARE,
           validate=None if _name in ("eq", "ne") else no_kernel(_name + "_cpu", D.COMPLEX),
           grad_name=_name.capitalize() + "Backward1", scalar_grad_name=_name.capitalize() + "Backward0",
           aliases={"gt": ("greater",), "ge": ("greater_equal",), "lt": ("less",), "le": ("less_equal",),
                    "ne": ("not_equal",)}.get(_name, ()))

NEG = unary("neg", np.negative, lambda grad: -grad, check=_no_bool_neg, aliases=("negative",), exact=True,
            out_rule=same_dtype_out())
# torch's formulas for complex values: the gradient times the conjugated derivative (as mul's, see _MUL_GRADS)
EXP = unary("exp", np.exp, lambda grad, result: grad * result.conj(), kind=FLOAT, complex_vjps=True)
LOG = unary("log", np.log, lambda grad, self: grad / self.conj(), kind=FLOAT, complex_vjps=True)
SQRT = unary("sqrt", np.sqrt, lambda grad, result: grad / mul_scalar(result.conj(), 2), kind=FLOAT,
             complex_vjps=True)


def _fused_backward(name: str, kernel: Callable[[Tensor, Tensor], Tensor], grads: dict[str, Callable]
                    ) -> Callable[[Tensor, Tensor], Tensor]:
    """An activation's backward as the op of its own torch differentiates it through (tanh_backward,
    sigmoid_backward): ``kernel(grad_output, output)`` computed on the operands as they are when nothing records,
    else on their detached values and recorded as the op (``TanhBackwardBackward0`` under create_graph), whose
    ``grads`` are derivatives.yaml's double backward."""
    fused = defop(name, ("grad_output", "output"), grads, complex_vjps=True, widen=False)

    def backward(grad_output: Tensor, output: Tensor) -> Tensor:
        if untraced():
            return kernel(grad_output, output)
        return record(fused, kernel(grad_output.detach(), output.detach())._data, (grad_output, output))
    backward.__name__ = backward.__qualname__ = name
    return backward


def _tanh_backward_kernel(grad: Tensor, output: Tensor) -> Tensor:
    """torch's tanh_backward kernel, ``a * conj(1 - b * b)``: float16 and bfloat16 computed in float32 and rounded
    once."""
    if output.dtype in D.REDUCED_FLOATS:
        return _tanh_backward_kernel(grad.float(), output.float()).to(output.dtype)
    return grad * (1 - output * output).conj()


# (torch's formulas, the complex ones included: ``grad.conj()`` as derivatives.yaml writes it)
tanh_backward = _fused_backward("tanh_backward", _tanh_backward_kernel, {
    "grad_output": lambda grad, output: tanh_backward(grad, output.conj()),
    "output": lambda grad, grad_output, output: grad.conj() * (mul_scalar(output.conj(), -2) * grad_output)})
TANH = unary("tanh", np.tanh, lambda grad, result: tanh_backward(grad, result), kind=FLOAT, complex_vjps=True)


def _sign(x: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """torch's sign: a bool is its own sign, and NaN's sign is 0 (NumPy's is NaN)."""
    if x.dtype == np.bool_:
        return x.copy() if out is None else out
    r = np.asarray(np.sign(x, out=out))  # a 0-d input gives a NumPy scalar
    if D.is_floating_np(r.dtype):
        np.copyto(r, 0, where=np.isnan(r))
    return r


def _no_complex_sign(x: Tensor) -> None:
    if x.dtype.is_complex:
        raise NotImplementedError("Unlike NumPy, torch.sign is not intended to support complex numbers. Please "
                                  "use torch.sgn instead.")


SIGN = unary("sign", _sign, zero_grad, check=_no_complex_sign, out_rule=same_dtype_out(real_input_dtype))
# grad * sgn(z) is abs's derivative on complex inputs too (torch's convention), so it is not conjugated
def _no_complex_abs_(x: Tensor) -> None:
    if x.dtype.is_complex:
        raise RuntimeError("In-place abs is not supported for complex tensors.")


ABS = unary("abs", complex_math.absolute, lambda grad, self: grad * self.sgn(), aliases=("absolute",),
            check=lambda x: _NO_BOOL_ABS(x.dtype), complex_vjps=True, inplace_check=_no_complex_abs_, exact=True,
            out_rule=same_dtype_out(real_out=True))


def _sigmoid(x: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    if x.dtype.kind == "c":  # (c10's division: see complex_quotient)
        return complex_quotient(1, 1 + np.exp(-x))
    # 1 / (1 + e) for x >= 0 and e / (1 + e) below, with e = exp(-|x|): neither side overflows
    e = np.exp(-np.abs(x))
    return np.divide(np.where(x >= 0, 1, e), 1 + e, out=out)


def _sigmoid_backward_kernel(grad: Tensor, output: Tensor) -> Tensor:
    """torch's sigmoid_backward kernel, ``grad * (1 - y) * y``: bfloat16's computes in float32 and rounds once, any
    other dtype's in the dtype (float16: one rounding per step)."""
    if output.dtype is D.bfloat16:
        return (grad.float() * (1 - output.float()) * output.float()).to(D.bfloat16)
    if output.dtype.is_complex:  # (the complex kernel's a * conj((1 - b) * b), as the formulas of _MUL_GRADS)
        return grad * ((1 - output) * output).conj()
    return grad * (1 - output) * output


sigmoid_backward = _fused_backward("sigmoid_backward", _sigmoid_backward_kernel, {
    "grad_output": lambda grad, output: sigmoid_backward(grad, output.conj()),
    "output": lambda grad, grad_output, output: grad.conj() * grad_output * add_scalar(
        mul_scalar(output.conj(), -2), 1)})
SIGMOID = unary("sigmoid", _sigmoid, lambda grad, result: sigmoid_backward(grad, result), kind=FLOAT,
                block=AVX512_BFLOAT16_BLOCK, complex_vjps=True)


# per dtype: relu's zero as a 0-d array (NumPy takes it faster than a scalar: np.maximum on 32x64 float32 1.14 ->
# 0.77 us, the comparison with it 0.68 -> 0.44 us), and the unsigned integers of its size (threshold_backward's view
# of the gradient's bits; making the dtype from its name cost 0.28 us a call)
def _zero(dtype: np.dtype) -> np.ndarray:
    return np.zeros((), dtype)


def _unsigned(dtype: np.dtype) -> np.dtype:
    return np.dtype("u%d" % dtype.itemsize)


_ZEROS = D.ByDtype(_zero)
_BITS = D.ByDtype(_unsigned)


def _relu(x: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    return np.maximum(x, _ZEROS[x.dtype], out=out)  # bool is refused before


def _no_bool_relu(x: Tensor) -> None:
    no_complex_clamp(x)
    if x.dtype is D.bool:
        raise RuntimeError("Boolean inputs not supported for relu")


# relu's VJP is an op of its own, as torch's threshold_backward: its output depends on ``result``
# (with a zero derivative), so a first-order gradient stays in the graph under create_graph.
THRESHOLD_BACKWARD = defop("threshold_backward", ("grad", "self"), {
    "grad": lambda g, self: threshold_backward(g, self), "self": lambda g: g * 0})


def threshold_backward(grad: Tensor, result: Tensor) -> Tensor:
    """relu's VJP at its own ``result``: torch's rule is 0 where result <= 0, so NaN results pass."""
    g = grad._data
    r = result._data
    passes = r != _ZEROS[r.dtype]  # the same mask, one pass less: relu's result is never negative
    # The gradient's bits times 0 or 1, as unsigned integers: +0.0 where the mask drops (whatever the gradient, inf
    # and NaN included) and the gradient's own bits where it passes (-0.0 included): one pass, no finiteness test.
    out = np.multiply(g.view(_BITS[g.dtype]), passes).view(g.dtype)
    return record(THRESHOLD_BACKWARD, out, (grad, result))


RELU = unary("relu", _relu, lambda grad, result: threshold_backward(grad, result), check=_no_bool_relu,
             out=False)


# ---- where --------------------------------------------------------------------------------
WHERE = defop("where", ("self", "other", "condition"), {
    "self": lambda grad, condition: grad.where(condition, 0.0),
    "other": lambda grad, condition: where(condition, 0.0, grad),
}, complex_vjps=True)


@op("where(Tensor condition)", "where(Tensor condition, Tensor input, Tensor other, *, Tensor out=None)",
    "where(Tensor condition, Scalar self, Tensor other)", "where(Tensor condition, Tensor input, Scalar other)",
    "where(Tensor condition, Scalar self, Scalar other)",
    out_check=OutCheck("Expected out type to be %(result)s but got %(out)s"))
def where(condition: Tensor, input: Any = None, other: Any = None) -> Any:
    """``where(condition, input, other)``; ``where(condition)`` is ``nonzero(as_tuple=True)``."""
    if input is None and other is None:
        return condition.nonzero(as_tuple=True)
    # torch converts input and other to their result dtype first: a promotion it refuses comes before any shape check
    dt = D.result_type_of((D.operand_key(input), D.operand_key(other)))
    if dt is D.complex32:  # (the result is allocated before any check)
        warn_experimental()
    a, b = as_array(input, dt), as_array(other, dt)
    # a number operand becomes a 0-d tensor (scalar_tensor's one-element fill), before the condition is checked
    if not isinstance(input, Tensor):
        a = fill_scalar(input, dt, 1)
    if not isinstance(other, Tensor):
        b = fill_scalar(other, dt, 1)
    if condition.dtype is D.uint8:
        warn_once("where_uint8", "where received a uint8 condition tensor. This behavior is deprecated and will be "
                  "removed in a future version of PyTorch. Use a boolean condition instead. (Triggered internally at "
                  "/__w/pytorch/pytorch/aten/src/ATen/native/TensorCompare.cpp:621.)")
    elif condition.dtype is not D.bool:
        raise RuntimeError("where expected condition to be a boolean tensor, but got a tensor with dtype "
                           + condition.dtype._cast_name)
    try:
        out = np.where(condition._data, a, b)
    except ValueError:
        check_broadcast_all(condition._data, a, b)
        raise
    operands = [x._data if isinstance(x, Tensor) else x for x in (condition, input, other)]  # (torch's order)
    return record(WHERE, torch_layout(np.asarray(out, dtype=dt.np), operands), (input, other, condition))


# the method's self is the function's input (not its first argument): its own record is the method
@op(method=["where(Tensor condition, Tensor other)", "where(Tensor condition, Scalar other)"])
def where_method(self: Tensor, condition: Tensor, other: Any) -> Tensor:
    return where(condition, self, other)


# ---- pow: three overloads, three grad_fn names as torch ------------------------------------
# torch's pow_backward_self / pow_backward_exponent as written: their where/mul order decides the second
# derivatives at base 0 (NaN where torch's are) and which of NaN's comparisons masks; written for complex values
# (the derivative conjugated, see _MUL_GRADS)
def _pow_self_grad(grad: Tensor, self: Tensor, exponent: Any) -> Tensor:
    if isinstance(exponent, Tensor):
        return where(exponent == 0, grad.new_zeros(()), grad * (exponent * self.pow(sub_scalar(exponent, 1))).conj())
    if exponent == 0 and type(exponent) is not bool:  # c10's Scalar(false).equal(0.0) is false: False goes on
        return zero_grad(grad)
    # torch's formula reads the exponent as a double (or complex double): `exponent - 1` never leaves it
    exponent = exponent if isinstance(exponent, complex) else float(exponent)
    dt = self.dtype
    if (dt is D.float32 or dt is D.float64) and grad.dtype is dt and type(exponent) in _PY_REALS and untraced():
        # outside a recorded graph, the formula's three ops on the arrays, each as its op computes it (pow's of 1 is
        # self's values: a square's VJP multiplies self itself, not a copy)
        powered = self._data if exponent == 2.0 else _pow_compute(self, exponent - 1)[0]
        return Tensor._make(np.multiply(grad._data, np.multiply(powered, dt.np.type(exponent))))  # (as_array's number)
    return grad * mul_scalar(self.pow(exponent - 1), exponent).conj()


def _pow_exponent_grad(grad: Tensor, self: Any, exponent: Tensor, result: Tensor) -> Tensor:
    if isinstance(self, Tensor):
        base = self if self.dtype is result.dtype else self.to(result.dtype)  # a real base of a complex power
        log_term = (result * base.log()).conj()
        at_zero = (self == 0) & _real_nonnegative(exponent)
        return grad * where(at_zero, grad.new_zeros(()), log_term)  # (torch's: the zeros where's first operand)
    if self == 0:
        return grad * mul_scalar(result, float("-inf")).conj().where(_real_nonnegative(exponent).logical_not(), 0.0)
    # torch takes the log of a number base as a complex one for a complex exponent (log(-80) = log(80) + i pi)
    if exponent.dtype.is_complex or isinstance(self, complex):
        return grad * mul_scalar(result, complex(np.log(complex(self)))).conj()
    return grad * mul_scalar(result, float(np.log(self))).conj()


def _real_nonnegative(exponent: Tensor) -> Tensor:
    if exponent.dtype.is_complex:
        return (exponent.imag == 0) & (exponent.real >= 0)
    return exponent >= 0


POW_SCALAR = defop("pow", ("self",), {"self": _pow_self_grad}, grad_name="PowBackward0", widen=False,
                   complex_vjps=True)
POW_TENSOR = defop("pow", ("self", "exponent"), {
    "self": _pow_self_grad, "exponent": _pow_exponent_grad}, grad_name="PowBackward1",
                   widen=False, complex_vjps=True)
POW_BASE_SCALAR = defop("pow", ("exponent", "self"), {"exponent": _pow_exponent_grad},
                        grad_name="PowBackward2", widen=False, complex_vjps=True)


def _pow_compute(base: Any, exponent: Any) -> tuple[np.ndarray, D.dtype]:
    if (type(exponent) is float or type(exponent) is int) and exponent in _NUMBER_POWERS \
            and isinstance(base, Tensor) and (base.dtype is D.float32 or base.dtype is D.float64):
        return np.asarray(_NUMBER_POWERS[exponent](base._data)), base.dtype  # (_power's, without promotion)
    if isinstance(base, Tensor):
        if base.dtype.category <= D.INTEGRAL and (type(exponent) is int or type(exponent) is bool):
            # torch's check before the promotion: the number as given, read as an int64 (not wrapped)
            if checked_scalar(exponent, D.int64) < 0:
                raise RuntimeError("Integers to negative integer powers are not allowed.")
        a, b, dt = binary_arrays(base, exponent, "pow")
    else:
        b, a, dt = binary_arrays(exponent, base, "pow")
    if dt is D.bool and isinstance(base, Tensor) and isinstance(exponent, Tensor):
        raise NotImplementedError('"pow" not implemented for \'Bool\'')
    if dt.category == D.INTEGRAL and not isinstance(exponent, Tensor):
        b = checked_scalar(exponent, dt)
    elif dt in D.REDUCED_FLOATS and not isinstance(exponent, Tensor):
        checked_scalar(exponent, dt)  # the Half and BFloat16 kernels read a number exponent in their own type
    negative = dt.category == D.INTEGRAL and np.any(np.asarray(b) < 0)
    try:
        out = _integer_pow(a, b) if negative else _power(a, b, exponent, dt)
    except ValueError:
        check_broadcast(a, b)
        raise
    out = np.asarray(out).astype(dt.np, copy=False)  # (NumPy's bool ** bool is int8)
    if dt is D.bfloat16 and isinstance(base, Tensor):
        out = _bfloat16_pow_nans(out, base._data, exponent)
    return out, dt


def _bfloat16_pow_nans(out: np.ndarray, base: np.ndarray, exponent: Any) -> np.ndarray:
    """bfloat16 pow's NaNs as torch's loop rounds them (``round_to_bfloat16``): 0xFFFF from the vectorized body
    (``AVX512_BFLOAT16_BLOCK`` elements a step), 0x7FC0 from the scalar lambda; a power of 0.5 is sqrt's kernel,
    vectorized throughout."""
    if not np.isnan(out).any():
        return out
    if type(exponent) in (float, int) and exponent == 0.5:
        return round_to_bfloat16(out.astype(np.float32))
    operands = (base, exponent._data) if isinstance(exponent, Tensor) else (base,)
    return round_to_bfloat16(out.astype(np.float32), operands, block=AVX512_BFLOAT16_BLOCK)


def _integer_pow(a: Any, b: Any) -> np.ndarray:
    """An integer power with negative exponents, as torch's kernel computes it: 1 ** -n is 1, (-1) ** -n is
    +-1 by parity, anything else ** -n is 0 (NumPy refuses)."""
    a, b = np.asarray(a), np.asarray(b)
    reciprocal = np.where(a == 1, 1, np.where(a == -1, np.where(b % 2 == 0, 1, -1), 0))
    return np.where(b < 0, reciprocal, np.power(a, np.maximum(b, 0)))


# torch's CPU kernel for a float or double tensor to the power of a number: these exponents are computed as
# the functions they are (sqrt(-0.0) is -0.0 and sqrt(-inf) NaN, where pow gives +0.0 and inf; x*x*x rounds
# twice), the others with pow in double precision
_NUMBER_POWERS: dict[float, Callable[[np.ndarray], np.ndarray]] = {
    0.5: np.sqrt, -0.5: lambda a: np.reciprocal(np.sqrt(a)), -1.0: np.reciprocal,
    2.0: lambda a: a * a, 3.0: lambda a: a * a * a, -2.0: lambda a: np.reciprocal(a * a),
    1.0: np.array}  # (a copy: pow's backward takes ``self.pow(exponent - 1)``)


def rsqrt_in_dtype(x: np.ndarray) -> np.ndarray:
    """torch's scalar lambda of rsqrt for a float16/bfloat16 element (``cpu_loops``): the square root rounded to the
    dtype, then divided."""
    root = np.sqrt(x.astype(np.float32)).astype(x.dtype)
    return (np.float32(1) / root.astype(np.float32)).astype(x.dtype)


def _bfloat16_rsqrt(a: np.ndarray) -> np.ndarray:
    once = (np.float32(1) / np.sqrt(a.astype(np.float32))).astype(a.dtype)
    return on_scalar_lanes(once, (a,), rsqrt_in_dtype, block_bytes=AVX512_BLOCK_BYTES)


# torch's bfloat16 kernel for these exponents is written in bfloat16 arithmetic (each product rounds; float16's
# calls pow once); -0.5's vectorized body computes in float32 (over blocks of two 512-bit vectors: measured), its
# scalar lambda as rsqrt's
_BFLOAT16_POWERS: dict[float, Callable[[np.ndarray], np.ndarray]] = {
    **_NUMBER_POWERS, -0.5: _bfloat16_rsqrt}

# the exponents pow_tensor_scalar_kernel hands to sqrt's, rsqrt's and reciprocal's kernels (compared as the number
# given, before any rounding; not for float16, whose kernel calls pow for every exponent)
_OWN_KERNEL_POWERS = (0.5, -0.5, -1.0)
_PRODUCT_POWERS = (2.0, 3.0, -2.0, 1.0)  # (1: pow's own result, a copy)
_PY_NUMBER_EXPONENTS = (float, int, bool)


def _number_power(a: np.ndarray, exponent: float | int | bool, dt: D.dtype) -> np.ndarray:
    """``a ** exponent`` for a float32/float64/bfloat16 array and a Python number, as PowKernel.cpp's
    pow_tensor_scalar_kernel: sqrt, rsqrt and reciprocal by the number's equality (c10's ``Scalar::equal``: never
    for a bool); otherwise the exponent is read as a double (float32/float64) or a bfloat16, and 2, 3 and -2 in that
    reading are products, the rest ``pow``."""
    powers = _BFLOAT16_POWERS if dt is D.bfloat16 else _NUMBER_POWERS
    if type(exponent) is not bool and exponent in _OWN_KERNEL_POWERS:
        return powers[exponent](a)
    read = float(dt.np.type(float(exponent))) if dt is D.bfloat16 else float(exponent)
    if read in _PRODUCT_POWERS:
        return powers[read](a)
    if dt is D.float32:
        return _float32_power(a, read)
    return _double_power(a, read) if dt is D.float64 else np.power(a, dt.np.type(read))


def _float32_power(a: np.ndarray, exponent: float) -> np.ndarray:
    """A float32 array to a double exponent as torch's loop computes it (``cpu_loops``): its scalar lambda in
    double precision (``std::pow(float, double)``), its vectorized body with the exponent rounded to float (``Vec::pow``
    takes a vector of floats). Apart where the rounding changes the exponent: -8 ** 1e-300 is NaN in the scalar
    lanes and 1 in the vectorized ones (1e-300 is 0 as a float), -8 ** (3 + 1e-10) NaN and -512."""
    as_float = float(np.float32(exponent))
    vectorized = _double_power(a.astype(np.float64), as_float).astype(np.float32)
    if as_float == exponent:
        return vectorized
    return on_scalar_lanes(vectorized, (a,), lambda x: _double_power(x.astype(np.float64), exponent).astype(np.float32),
                           block_bytes=AVX512_BLOCK_BYTES)


def _double_power(x: np.ndarray, exponent: float) -> np.ndarray:
    """``pow(x, exponent)`` of a float64 array. NumPy takes a number exponent of 0.5 as sqrt (-inf ** 0.5 NaN and
    -0.0 ** 0.5 -0.0, where pow gives inf and 0.0): that one goes as an array of exponents, through pow."""
    return np.power(x, np.full(x.shape, exponent) if exponent == 0.5 else exponent)


def _reciprocal(z: np.ndarray) -> np.ndarray:
    """``1 / z`` by c10's complex division (Smith's, scaled: 1 / 0 is inf+nanj)."""
    return complex_quotient(1, z)


def _product_fused_on(x: np.ndarray, y: np.ndarray, lanes: np.ndarray | None) -> np.ndarray:
    """``complex_product(x, y)``, fused on ``lanes``."""
    result = complex_product(x, y)
    if lanes is not None and lanes.any():
        result[lanes] = complex_product(x[lanes], y[lanes], fused=True)
    return result


def _complex_integer_power(exponent: int) -> Callable[[np.ndarray], np.ndarray]:
    """``z ** exponent`` for 2, 3 and -2 as torch's kernel multiplies: its vectorized body unfused, its scalar
    lambda fused, but for complex64's cube outside groups of four, where only the square is (``fused_power_lanes``,
    measured)."""
    def power(z: np.ndarray) -> np.ndarray:
        scalar, cube_fused = fused_power_lanes(z.shape, (z,), z.itemsize, exponent == 3 and z.dtype == np.complex64)
        square = _product_fused_on(z, z, scalar)
        if exponent != 3:
            return square if exponent == 2 else _reciprocal(square)
        return _product_fused_on(square, z, cube_fused)
    return power


# torch's kernel for a complex tensor to the power of a number: pow's own results for 0 and 1, these exponents
# computed as the functions they are (its vectorized body's: a NaN or 0 where cpow's is an infinity), the others by
# std::pow
_COMPLEX_POWERS: dict[Any, Callable[[np.ndarray], np.ndarray]] = {
    0: lambda z: D.cast_np(np.ones(z.shape), z.dtype),  # (torch's fill_(1): complex32's storage too)
    1: np.array, 0.5: np.sqrt, 2: _complex_integer_power(2), 3: _complex_integer_power(3),
    -0.5: lambda z: _reciprocal(np.sqrt(z)), -1: _reciprocal, -2: _complex_integer_power(-2)}


def _power(a: Any, b: Any, exponent: Any, dt: D.dtype) -> Any:
    if (dt is D.float32 or dt is D.float64 or dt is D.bfloat16) and isinstance(a, np.ndarray) \
            and type(exponent) in _PY_NUMBER_EXPONENTS:
        return _number_power(a, exponent, dt)
    if dt.is_complex:
        a = np.asarray(a, dt.np)
        if type(exponent) in (float, int, complex, bool) and exponent in _COMPLEX_POWERS:
            return _COMPLEX_POWERS[exponent](a)
        return c_power(a, np.asarray(b, dt.np))
    if dt not in (D.float32, D.float64):
        return np.power(a, b)
    if dt is D.float32:  # NumPy's float32 power can be ulps off: round the double power, as torch
        return np.power(np.asarray(a, np.float64), np.asarray(b, np.float64))
    return np.power(a, b)


@op("pow(Tensor input, Tensor exponent, *, Tensor out=None)", "pow(Scalar self, Tensor exponent, *, Tensor out=None)",
    "pow(Tensor input, Scalar exponent, *, Tensor out=None)", method=["pow(Tensor exponent)", "pow(Scalar exponent)"],
    inplace=True)
def pow(input: Any, exponent: Any) -> Tensor:  # noqa: A001 - torch's name
    if not isinstance(input, Tensor):  # (torch's meta function allocates a contiguous result)
        out, _ = _pow_compute(input, exponent)
        return record(POW_BASE_SCALAR, np.asarray(out, order="C"), (exponent, input))
    out, _ = _pow_compute(input, exponent)
    if isinstance(exponent, Tensor):
        return record(POW_TENSOR, torch_layout(out, (input._data, exponent._data)), (input, exponent))
    data = input._data
    if not data.flags.c_contiguous:
        out = torch_layout(out, (data,))
    return record(POW_SCALAR, out, (input,), {"exponent": exponent})


# ---- maximum / minimum, predicates, logical and bitwise ---------------------------------------
def no_complex_clamp(x: Tensor) -> None:
    if x.dtype.is_complex:
        raise NotImplementedError("clamp is not supported for complex types")


def refuse_complex(message: str, error: type = RuntimeError) -> Callable[[Tensor], None]:
    """A unary op's refusal of a complex input, with torch's message."""
    def refuse(x: Tensor) -> None:
        if x.dtype.is_complex:
            raise error(message)
    return refuse


def no_complex_extreme(name: str) -> Callable:
    def refuse(x: Any, y: Any) -> None:
        if any(isinstance(t, Tensor) and t.dtype.is_complex for t in (x, y)):
            raise RuntimeError("%s not implemented for complex tensors." % name)
    return refuse


def _extreme_grads(wins: str) -> dict:
    """Gradient of maximum/minimum: zero to the loser, half to each on ties, all of it to both where
    either is NaN (it compares neither way; torch's rule)."""
    def share(grad: Tensor, mine: Tensor, theirs: Tensor) -> Tensor:
        lost = mine < theirs if wins == "max" else mine > theirs
        return (grad / 2).where(mine == theirs, grad).where(lost.logical_not(), 0.0)
    return {"self": lambda grad, self, other: share(grad, self, other),
            "other": lambda grad, self, other: share(grad, other, self)}


MAXIMUM = binary("maximum", np.maximum, _extreme_grads("max"), signatures=TENSOR_OTHER, inplace=False,
                 check=no_complex_extreme("maximum"))
MINIMUM = binary("minimum", np.minimum, _extreme_grads("min"), signatures=TENSOR_OTHER, inplace=False,
                 check=no_complex_extreme("minimum"))

unary("isnan", np.isnan, None, inplace=False, out=False)
unary("isinf", np.isinf, None, inplace=False, out=False)
unary("isfinite", np.isfinite, None, inplace=False, out=False)
unary("logical_not", np.logical_not, None)

for _name, _ufunc in (("logical_and", np.logical_and), ("logical_or", np.logical_or),
                      ("logical_xor", np.logical_xor)):
    binary(_name, _ufunc, None, kind=COMPARE, signatures=TENSOR_OTHER)

# bitwise ops take ints and bools (and a Python number on either side), never floats
for _name, _ufunc in (("bitwise_and", np.bitwise_and), ("bitwise_or", np.bitwise_or),
                      ("bitwise_xor", np.bitwise_xor)):
    binary(_name, _ufunc, None, validate=no_kernel(_name + "_cpu", D.FLOATING),
           signatures=SCALAR_EITHER, method=SCALAR_EITHER_METHOD, number_self=(None, {}))
_NOT_ON_FLOATS = no_kernel("bitwise_not_cpu", D.FLOATING)
unary("bitwise_not", np.invert, None, check=lambda x: _NOT_ON_FLOATS(x.dtype), out_rule=same_dtype_out())
