"""Pointwise ops: one declaration each (forward ufunc, VJPs, dtype kind, variants).

``unary`` and ``binary`` turn a declaration into ``minitorch.<name>``, ``Tensor.<name>``, the
in-place ``Tensor.<name>_`` and the operators, with torch's promotion and errors.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from .. import _dtype as D
from .._creation import zeros_like
from .._tensor import Tensor
from .dims import broadcast_error
from .inplace import check_cast
from ..autograd.recording import (OpDef, check_inplace, check_output_shape, defop, needs_grad, record,
                                  record_inplace, write)
from .promotion import as_array, binary_arrays, check_broadcast, to_float
from .registry import FUNCTIONS, METHODS, both, check_tensor, function, method

# dtype kinds
KEEP = "keep"            # result has the input's (promoted) dtype
FLOAT = "float"          # integer and bool inputs compute in the default float dtype
COMPARE = "compare"      # promoted inputs, bool result, no gradient


def no_kernel(kernel: str, *categories: int) -> Callable[..., None]:
    """A dtype refusal: torch's NotImplementedError for a (promoted) dtype its kernel lacks.

    The hook takes the dtype the op computes in (and, for binary ops, the computation's ``other``).
    """
    def refuse(dt: D.dtype, other: Any = None) -> None:
        if dt.category in categories:
            raise NotImplementedError('"%s" not implemented for \'%s\'' % (kernel, dt._cast_name))
    return refuse


def invalid_combination(fname: str, got: tuple, params: tuple = ("other",), method: bool = False) -> TypeError:
    """torch's argument-parser error for arguments that fit neither the Tensor nor the Number overload
    of ``params`` (given as they are printed after their type: ``"min = None"``)."""
    names = ["Tensor" if isinstance(a, Tensor) else type(a).__name__ for a in got]

    def signature(kind: str) -> str:
        return ", ".join("%s %s" % (kind, p) for p in params)
    if method:
        why = "      didn't match because some of the arguments have invalid types: (%s)\n" % ", ".join(
            "!%s!" % n for n in names)
        options = " * (%s)\n%s * (%s)\n%s" % (signature("Tensor"), why, signature("Number"), why)
    else:
        options = (" * (Tensor input, %s, *, Tensor out = None)\n * (Tensor input, %s, *, Tensor out = None)\n"
                   % (signature("Tensor"), signature("Number")))
    return TypeError("%s() received an invalid combination of arguments - got (%s), but expected one of:\n%s"
                     % (fname, ", ".join(names), options))


def check_broadcast_all(*operands: Any) -> None:
    """torch's error for the first operand whose shape does not broadcast with those before it."""
    shape: tuple = ()
    for x in operands:
        try:
            shape = np.broadcast_shapes(shape, np.shape(x))
        except ValueError:
            raise broadcast_error(shape, np.shape(x)) from None


def _unary_forward(op: OpDef, ufunc: Callable, kind: str, fname: str, check: Callable | None):
    def forward(input: Tensor) -> Tensor:
        check_tensor(fname, input)
        if check is not None:
            check(input)
        data = input._data
        if kind == FLOAT and input.dtype.category != D.FLOATING:
            data = data.astype(D.get_default_dtype().np)
        out = ufunc(data)
        return record(op, np.asarray(out), (input,))
    forward.__name__ = fname
    return forward


def _unary_inplace(forward: Callable, op: OpDef, ufunc: Callable, kind: str, fname: str,
                   check: Callable | None):
    def inplace(self: Tensor) -> Tensor:
        if check is not None:
            check(self)
        if needs_grad((self,)):
            out = forward(self)._data
            check_cast(D._FROM_NP[out.dtype], self.dtype)
            return record_inplace(op, self, out, (self,))
        check_inplace(self)
        if kind == FLOAT and self.dtype.category != D.FLOATING:
            check_cast(D.get_default_dtype(), self.dtype)
        ufunc(self._data, out=self._data)
        write(self, self._data)
        return self
    inplace.__name__ = fname + "_"
    return inplace


def unary(name: str, ufunc: Callable, grad: Callable | None, *, kind: str = KEEP,
          grad_name: str | None = None, check: Callable | None = None, inplace: bool = True,
          aliases: tuple = (), inplace_op: OpDef | None = None) -> OpDef:
    """Declare ``name(input)``. ``ufunc(x, out=None)`` computes it (in place when given ``out``).

    ``inplace_op``: the op the in-place form records, where torch's differs.
    """
    op = defop(name, ("self",), {"self": grad} if grad else {}, grad_name)
    forward = _unary_forward(op, ufunc, kind, name, check)
    both(name, *aliases)(forward)
    if inplace:
        ip = _unary_inplace(forward, inplace_op or op, ufunc, kind, name, check)
        for n in (name,) + aliases:
            METHODS[n + "_"] = ip
    return op


def check_inplace_result(out: Tensor, operands: tuple, dt: D.dtype) -> None:
    """An in-place result of dtype ``dt`` must fit ``out``: torch checks shapes, then the dtype."""
    try:
        shape = np.broadcast_shapes(*(np.shape(x) for x in operands))
    except ValueError:
        check_broadcast_all(*operands)
        raise
    check_output_shape(out, shape)
    check_cast(dt, out.dtype)


def _binary_compute(ufunc: Callable, kind: str, fname: str, x: Any, y: Any, alpha: Any = 1,
                    validate: Callable | None = None, out: Tensor | None = None) -> tuple[Any, D.dtype]:
    """``ufunc`` on the promoted operands, and the result's dtype; ``out``: the in-place target."""
    a, b, dt = binary_arrays(x, y, fname)
    if out is not None:
        check_inplace_result(out, (a, b), D.bool if kind == COMPARE else to_float(dt) if kind == FLOAT else dt)
    if validate is not None:
        validate(dt, b)
    if alpha != 1:
        b = b * dt.np.type(alpha)
    if kind == FLOAT and dt.category != D.FLOATING:
        dt = to_float(dt)
        a = a.astype(dt.np) if isinstance(a, np.ndarray) else dt.np.type(a)
        b = b.astype(dt.np) if isinstance(b, np.ndarray) else dt.np.type(b)
    try:
        result = ufunc(a, b)
    except ValueError:
        check_broadcast(a, b)
        raise
    if kind == COMPARE:
        return np.asarray(result), D.bool
    return np.asarray(result), dt


def binary(name: str, ufunc: Callable, grads: dict[str, Callable] | None, *, kind: str = KEEP,
           grad_name: str | None = None, check: Callable | None = None, inplace: bool = True,
           aliases: tuple = (), tensor_other: bool = False, scalar_grad_name: str | None = None,
           number_self: tuple[str | None, dict] | None = None, validate: Callable | None = None) -> OpDef:
    """Declare ``name(input, other)`` with ``other`` a Tensor or a Python scalar.

    If a VJP takes ``alpha``, the op has torch's ``alpha=`` keyword (``input + alpha * other``).
    torch's overloads, when the op has them: ``tensor_other`` refuses a Python scalar ``other`` (no
    Scalar overload); ``scalar_grad_name`` records a scalar ``other`` as the Scalar overload (only
    ``self``'s VJP; ``other`` becomes an attribute); ``number_self=(grad_name, grads)`` accepts a
    Python number as ``input`` (the ``(Number self, Tensor other)`` overload, which the reflected
    operators use). ``check(input, other)`` sees the operands, ``validate(dtype, other)`` the
    promoted dtype and the computation's ``other`` (see ``no_kernel``).
    """
    op = defop(name, ("self", "other"), grads, grad_name)
    if any(v is not None and "alpha" in (p[0] for p in v.params) for v in op.vjps):
        return _binary_with_alpha(op, name, ufunc, check, aliases)
    scalar_op = op
    if scalar_grad_name is not None:
        scalar_op = defop(name, ("self",), {"self": grads["self"]} if grads else {}, scalar_grad_name)
    number_op = None if number_self is None else defop(name, ("self", "other"), number_self[1],
                                                       number_self[0])

    def overload(fname: str, pos: int, x: Any, y: Any) -> tuple[OpDef, tuple, dict | None]:
        """The op (overload) these operands call, with its recorded inputs and attributes."""
        if isinstance(x, Tensor):
            if isinstance(y, Tensor):
                return op, (x, y), None
            if tensor_other:
                raise TypeError("%s(): argument 'other' (position %d) must be Tensor, not %s"
                                % (fname, pos, type(y).__name__))
            if scalar_op is not op:
                return scalar_op, (x,), {"other": y}
            return op, (x, y), None
        if number_op is None or not isinstance(y, Tensor):
            if tensor_other or number_op is not None:
                check_tensor(fname, x)
            raise invalid_combination(fname, (x, y))
        return number_op, (x, y), None

    def function_of(fname: str, pos: int) -> Callable:
        def forward(input: Any, other: Any) -> Tensor:
            o, inputs, attrs = overload(fname, pos, input, other)
            if check is not None:
                check(input, other)
            out, _ = _binary_compute(ufunc, kind, fname, input, other, validate=validate)
            if kind == COMPARE:
                return Tensor._make(out)
            return record(o, out, inputs, attrs)
        forward.__name__ = fname
        return forward

    def inplace_of(fname: str) -> Callable:
        def inplace_fn(self: Tensor, other: Any) -> Tensor:
            o, inputs, attrs = overload(fname, 1, self, other)
            if check is not None:
                check(self, other)
            out, _ = _binary_compute(ufunc, kind, fname, self, other, validate=validate, out=self)
            if grads is None:  # logical ops (and comparisons without grads) leave the history as it is
                return record_inplace(o, self, out, ())
            return record_inplace(o, self, out, inputs, attrs)
        inplace_fn.__name__ = fname
        return inplace_fn

    for n in (name,) + aliases:
        function(n)(function_of(n, 2))
        # a method's ``other`` is its first argument: torch's messages count from there
        method(n)(function_of(n, 1) if tensor_other else FUNCTIONS[n])
        if inplace:
            METHODS[n + "_"] = inplace_of(n + "_")
    return op


def _binary_with_alpha(op: OpDef, name: str, ufunc: Callable, check: Callable | None, aliases: tuple
                       ) -> OpDef:
    def forward(input: Tensor, other: Any, *, alpha: Any = 1) -> Tensor:
        check_tensor(name, input)
        if check is not None:
            check(input, other)
        out, _ = _binary_compute(ufunc, KEEP, name, input, other, alpha)
        return record(op, out, (input, other), {"alpha": alpha})

    def inplace_fn(self: Tensor, other: Any, *, alpha: Any = 1) -> Tensor:
        if check is not None:
            check(self, other)
        out, _ = _binary_compute(ufunc, KEEP, name, self, other, alpha, out=self)
        return record_inplace(op, self, out, (self, other), {"alpha": alpha})
    forward.__name__, inplace_fn.__name__ = name, name + "_"
    both(name, *aliases)(forward)
    for n in (name,) + aliases:
        METHODS[n + "_"] = inplace_fn
    return op


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


def _alpha_times(x: Any, alpha: Any) -> Any:
    return x if alpha == 1 else x * alpha


def zero_grad(grad: Tensor) -> Tensor:
    """A VJP that is zero everywhere (torch's zeros_like: no NaN from an infinite ``grad``)."""
    return zeros_like(grad)


# ---- the table ------------------------------------------------------------------------------
ADD = binary("add", np.add, {"self": lambda grad, alpha: grad,
                             "other": lambda grad, alpha: _alpha_times(grad, alpha)})
SUB = binary("sub", np.subtract, {"self": lambda grad, alpha: grad,
                                  "other": lambda grad, alpha: -_alpha_times(grad, alpha)},
             check=_no_bool_sub, aliases=("subtract",))
_MUL_GRADS = {"self": lambda grad, other: grad * other, "other": lambda grad, self: grad * self}
MUL = binary("mul", np.multiply, _MUL_GRADS, aliases=("multiply",), number_self=("MulBackward0", _MUL_GRADS))
_DIV_GRADS = {"self": lambda grad, other: grad / other,
              "other": lambda grad, self, other: -grad * ((self / other) / other)}
DIV = binary("div", np.true_divide, _DIV_GRADS, kind=FLOAT, aliases=("divide", "true_divide"),
             number_self=("DivBackward0", _DIV_GRADS))

# a comparison records nothing, but written in place into a float tensor it is a zero-gradient op
for _name, _ufunc in (("eq", np.equal), ("ne", np.not_equal), ("lt", np.less), ("le", np.less_equal),
                      ("gt", np.greater), ("ge", np.greater_equal)):
    binary(_name, _ufunc, {"self": zero_grad, "other": zero_grad}, kind=COMPARE,
           grad_name=_name.capitalize() + "Backward1", scalar_grad_name=_name.capitalize() + "Backward0")
for _alias, _name in (("greater", "gt"), ("greater_equal", "ge"), ("less", "lt"), ("less_equal", "le"),
                      ("not_equal", "ne")):
    both(_alias)(METHODS[_name])
    METHODS[_alias + "_"] = METHODS[_name + "_"]

NEG = unary("neg", np.negative, lambda grad: -grad, check=_no_bool_neg, aliases=("negative",))
EXP = unary("exp", np.exp, lambda grad, result: grad * result, kind=FLOAT)
LOG = unary("log", np.log, lambda grad, self: grad / self, kind=FLOAT)
SQRT = unary("sqrt", np.sqrt, lambda grad, result: grad / (2 * result), kind=FLOAT)
TANH = unary("tanh", np.tanh, lambda grad, result: grad * (1 - result * result), kind=FLOAT)


def _sign(x: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """torch's sign: a bool is its own sign, and NaN's sign is 0 (NumPy's is NaN)."""
    if x.dtype == np.bool_:
        return x.copy() if out is None else out
    r = np.asarray(np.sign(x, out=out))  # a 0-d input gives a NumPy scalar
    if r.dtype.kind == "f":
        np.copyto(r, 0, where=np.isnan(r))
    return r


SIGN = unary("sign", _sign, zero_grad)
ABS = unary("abs", np.abs, lambda grad, self: grad * self.sign(), aliases=("absolute",),
            check=lambda x: _NO_BOOL_ABS(x.dtype))


def _sigmoid(x: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    # 1 / (1 + e) for x >= 0 and e / (1 + e) below, with e = exp(-|x|): neither side overflows
    e = np.exp(-np.abs(x))
    return np.divide(np.where(x >= 0, 1, e), 1 + e, out=out)


SIGMOID = unary("sigmoid", _sigmoid, lambda grad, result: grad * (result * (1 - result)), kind=FLOAT)


def _relu(x: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    return np.maximum(x, x.dtype.type(0), out=out)  # bool is refused before


def _no_bool_relu(x: Tensor) -> None:
    if x.dtype is D.bool:
        raise RuntimeError("Boolean inputs not supported for relu")


# relu's VJP is an op of its own, as torch's threshold_backward: its output depends on ``result``
# (with a zero derivative), so a first-order gradient stays in the graph under create_graph.
THRESHOLD_BACKWARD = defop("threshold_backward", ("grad", "self"), {
    "grad": lambda g, self: threshold_backward(g, self), "self": lambda g: g * 0})


def threshold_backward(grad: Tensor, result: Tensor) -> Tensor:
    g = grad._data
    passes = ~(result._data <= 0)  # torch's rule: 0 where result <= 0, so NaN results pass
    if np.isfinite(g).all():  # a multiply by the mask is ~10x faster than np.where...
        out = np.multiply(g, passes)
        out += 0  # ...and adding +0 turns the -0.0 of negative * False into torch's +0.0
    else:  # ...but inf * False would be nan where torch gives 0
        out = np.where(passes, g, g.dtype.type(0))
    return record(THRESHOLD_BACKWARD, out, (grad, result))


RELU = unary("relu", _relu, lambda grad, result: threshold_backward(grad, result), check=_no_bool_relu)


# ---- where --------------------------------------------------------------------------------
WHERE = defop("where", ("condition", "self", "other"), {
    "self": lambda grad, condition: grad.where(condition, 0.0),
    "other": lambda grad, condition: (grad * 0).where(condition, grad),
})


@function("where")
def where(condition: Tensor, input: Any = None, other: Any = None) -> Any:
    """``where(condition, input, other)``; ``where(condition)`` is ``nonzero(as_tuple=True)``."""
    if input is None and other is None:
        return condition.nonzero(as_tuple=True)
    if not isinstance(condition, Tensor) or condition.dtype is not D.bool:
        raise RuntimeError("where expected condition to be a boolean tensor, but got a tensor with dtype "
                           + (condition.dtype._cast_name if isinstance(condition, Tensor) else "Float"))
    if not isinstance(input, Tensor) and not isinstance(other, Tensor):
        dt = D.result_type_of(((D.scalar_dtype(input), D.SCALAR), (D.scalar_dtype(other), D.SCALAR)))
        a, b = as_array(input, dt), as_array(other, dt)
    elif isinstance(input, Tensor):
        a, b, dt = binary_arrays(input, other, "where")
    else:
        b, a, dt = binary_arrays(other, input, "where")
    try:
        out = np.where(condition._data, a, b)
    except ValueError:
        check_broadcast_all(condition._data, a, b)
        raise
    return record(WHERE, np.asarray(out, dtype=dt.np), (condition, input, other))


@method("where")
def where_method(self: Tensor, condition: Tensor, other: Any) -> Tensor:
    return where(condition, self, other)


# ---- pow: three overloads, three grad_fn names as torch ------------------------------------
def _pow_self_grad(grad: Tensor, self: Tensor, exponent: Any) -> Tensor:
    if isinstance(exponent, Tensor):
        return (grad * exponent * self.pow(exponent - 1)).where(exponent != 0, 0.0)
    if exponent == 0:
        return grad * 0
    return grad * (exponent * self.pow(exponent - 1))


def _pow_exponent_grad(grad: Tensor, self: Any, exponent: Tensor, result: Tensor) -> Tensor:
    if isinstance(self, Tensor):
        return (grad * (result * self.log())).where((self != 0) | (exponent < 0), 0.0)
    if self == 0:
        return (grad * 0).where(exponent < 0, grad * (result * float("-inf")))
    return grad * (result * float(np.log(self)))


POW_SCALAR = defop("pow", ("self",), {"self": _pow_self_grad}, grad_name="PowBackward0")
POW_TENSOR = defop("pow", ("self", "exponent"), {
    "self": _pow_self_grad, "exponent": _pow_exponent_grad}, grad_name="PowBackward1")
POW_BASE_SCALAR = defop("pow", ("self", "exponent"), {"exponent": _pow_exponent_grad},
                        grad_name="PowBackward2")


def _pow_compute(base: Any, exponent: Any) -> tuple[np.ndarray, D.dtype]:
    if isinstance(base, Tensor):
        a, b, dt = binary_arrays(base, exponent, "pow")
    else:
        b, a, dt = binary_arrays(exponent, base, "pow")
    if dt is D.bool and isinstance(base, Tensor) and isinstance(exponent, Tensor):
        raise NotImplementedError('"pow" not implemented for \'Bool\'')
    if dt.category == D.INTEGRAL and np.any(np.asarray(b) < 0):
        raise RuntimeError("Integers to negative integer powers are not allowed.")
    try:
        out = np.power(a, b)
    except ValueError:
        check_broadcast(a, b)
        raise
    return np.asarray(out).astype(dt.np, copy=False), dt  # NumPy's bool ** bool is int8


@both("pow")
def pow(input: Any, exponent: Any) -> Tensor:  # noqa: A001 - torch's name
    if not isinstance(input, Tensor):
        if not isinstance(exponent, Tensor):
            check_tensor("pow", exponent, "exponent", 2)
        out, _ = _pow_compute(input, exponent)
        return record(POW_BASE_SCALAR, out, (input, exponent))
    out, _ = _pow_compute(input, exponent)
    if isinstance(exponent, Tensor):
        return record(POW_TENSOR, out, (input, exponent))
    return record(POW_SCALAR, out, (input,), {"exponent": exponent})


def _pow_(self: Tensor, exponent: Any) -> Tensor:
    out, dt = _pow_compute(self, exponent)
    check_output_shape(self, out.shape)
    check_cast(dt, self.dtype)
    if isinstance(exponent, Tensor):
        return record_inplace(POW_TENSOR, self, out, (self, exponent))
    return record_inplace(POW_SCALAR, self, out, (self,), {"exponent": exponent})


METHODS["pow_"] = _pow_


# ---- maximum / minimum, predicates, logical and bitwise ---------------------------------------
def _extreme_grads(wins: str) -> dict:
    """Gradient of maximum/minimum: to the winner, split in half on ties (torch's rule)."""
    def own(grad: Tensor, self: Tensor, other: Tensor) -> Tensor:
        won = self > other if wins == "max" else self < other
        return grad.where(won, 0.0) + (grad / 2).where(self == other, 0.0)

    def theirs(grad: Tensor, self: Tensor, other: Tensor) -> Tensor:
        won = other > self if wins == "max" else other < self
        return grad.where(won, 0.0) + (grad / 2).where(self == other, 0.0)
    return {"self": own, "other": theirs}


MAXIMUM = binary("maximum", np.maximum, _extreme_grads("max"), tensor_other=True, inplace=False)
MINIMUM = binary("minimum", np.minimum, _extreme_grads("min"), tensor_other=True, inplace=False)

for _name, _ufunc in (("isnan", np.isnan), ("isinf", np.isinf), ("isfinite", np.isfinite),
                      ("logical_not", np.logical_not)):
    both(_name)(lambda input, _u=_ufunc: Tensor._make(np.asarray(_u(input._data))))
METHODS["logical_not_"] = lambda self: record_inplace(None, self, np.logical_not(self._data), ())

for _name, _ufunc in (("logical_and", np.logical_and), ("logical_or", np.logical_or),
                      ("logical_xor", np.logical_xor)):
    binary(_name, _ufunc, None, kind=COMPARE, tensor_other=True)

# bitwise ops take ints and bools (and a Python number on either side), never floats
for _name, _ufunc in (("bitwise_and", np.bitwise_and), ("bitwise_or", np.bitwise_or),
                      ("bitwise_xor", np.bitwise_xor)):
    binary(_name, _ufunc, None, validate=no_kernel(_name + "_cpu", D.FLOATING),
           number_self=(None, {}))
_NOT_ON_FLOATS = no_kernel("bitwise_not_cpu", D.FLOATING)
unary("bitwise_not", np.invert, None, check=lambda x: _NOT_ON_FLOATS(x.dtype))
