"""The in-place float arithmetic of torch's optimizer kernels, on ndarrays.

Each helper reproduces one ATen CPU kernel's order of operations and the rounding of its Python
scalar to the tensor's dtype (a float32 tensor computes ``x + float32(alpha) * y`` in float32):

    add(x, y, alpha)          x + alpha * y
    addcmul_(x, a, b, value)  x + (value * a) * b
    addcdiv_(x, a, b, value)  x + (value * a) / b
    lerp_(x, end, w)          x + w * (end - x)           when |w| < 0.5
                              end - (end - x) * (1 - w)   otherwise

torch's vectorized kernels contract ``x + alpha * y`` (and lerp's and addcmul's last step) into a
fused multiply-add, which rounds once. NumPy has no fma and emulating it through float64 costs five
times the update itself, so here the product is rounded before the add: the result is within one
float32 ulp of torch's, and equal wherever ``alpha * y`` is exact. Everything else (op order, scalar
casts, lerp's two branches) is torch's.

Intermediates go to ``tmp``, a scratch array shaped like the operands (see ``Scratch``), so that a
step allocates nothing. ``ArrayMath`` puts these kernels behind the vocabulary the optimizers are
written in (``_tensor_math.TensorMath`` is the same vocabulary as recorded tensor ops).
"""
from __future__ import annotations

import functools
from typing import Any

import numpy as np

from .. import _dtype as D
from .._tensor import Tensor


class Scratch:
    """Temporaries reused from step to step, a few per (shape, dtype); the hyperparameters as 0-d arrays."""

    def __init__(self) -> None:
        self.arrays: dict[tuple, np.ndarray] = {}  # (shape, dtype, slot) -> the array (``like``)
        self._constants: dict[float, D.ByDtype] = {}

    def constant(self, value: float) -> D.ByDtype:
        """``value`` as a 0-d array of each dtype asked for (``c[dtype]``: the number rounded to the dtype once, as
        ``scalar``'s, which a ufunc takes faster than a NumPy scalar), kept while it is among the last few values
        asked for (a schedule changes lr at every step: the table is emptied when it is full)."""
        out = self._constants.get(value)
        if out is None:
            if len(self._constants) >= 8:
                self._constants.clear()
            out = self._constants[value] = D.ByDtype(functools.partial(np.asarray, value))
        return out

    def like(self, a: np.ndarray, slot: int = 0, dtype: Any = None) -> np.ndarray:
        key = (a.shape, a.dtype if dtype is None else np.dtype(dtype), slot)
        out = self.arrays.get(key)
        if out is None:
            out = self.arrays[key] = np.empty(a.shape, key[1])
        return out


def scalar(value: float, like: np.ndarray) -> np.generic:
    """A Python scalar as the array's dtype, as ATen casts it before the kernel runs."""
    return like.dtype.type(value)


def add(x: np.ndarray, y: np.ndarray, alpha: float, out: np.ndarray | None = None,
        tmp: np.ndarray | None = None) -> np.ndarray:
    """``x + alpha * y`` into ``out`` (a new array when None; ``out`` may be ``x``)."""
    if alpha == 1:
        return np.add(x, y, out=out)
    return np.add(x, np.multiply(y, scalar(alpha, y), out=tmp), out=out)


def addcmul_(x: np.ndarray, a: np.ndarray, b: np.ndarray, value: float, tmp: np.ndarray) -> None:
    scaled = np.multiply(a, scalar(value, a), out=tmp) if value != 1 else a
    np.add(x, np.multiply(scaled, b, out=tmp), out=x)


def addcdiv_(x: np.ndarray, a: np.ndarray, b: np.ndarray, value: float, tmp: np.ndarray) -> None:
    scaled = np.multiply(a, scalar(value, a), out=tmp) if value != 1 else a
    np.add(x, np.divide(scaled, b, out=tmp), out=x)


def lerp_(x: np.ndarray, end: np.ndarray, weight: float, tmp: np.ndarray) -> None:
    w = scalar(weight, x)
    diff = np.subtract(end, x, out=tmp)
    if abs(w) < 0.5:
        diff *= w
        np.add(x, diff, out=x)
    else:
        diff *= w - x.dtype.type(1)  # the kernel's coefficient: weight - 1, rounded in the dtype
        np.add(end, diff, out=x)


class ArrayMath:
    """The optimizers' vocabulary on ndarrays (each tensor's ``_data``), updated in place, with no graph.

    Methods ending in ``_`` write their first argument and return it; the others return a scratch
    temporary, which the caller may write in place, that lives until ``start()`` begins the next
    parameter. Scalars take the array's dtype first, as ATen
    casts them (see the module docstring).
    """

    def __init__(self, scratch: Scratch) -> None:
        self._scratch = scratch
        self._slot = 0

    def _new(self, like: np.ndarray, dtype: Any = None) -> np.ndarray:
        self._slot += 1  # slot 0 is the kernels' own ``tmp``
        return self._scratch.like(like, self._slot, dtype)

    def _tmp(self, like: np.ndarray) -> np.ndarray:
        return self._scratch.like(like)

    def _operand(self, y: Any, like: np.ndarray) -> Any:
        # (operands are arrays or numbers: a type test, not the slower isinstance of the ABC Number)
        return y if type(y) is np.ndarray else scalar(y, like)

    # ---- the loop -------------------------------------------------------------------------------
    def start(self) -> None:
        self._slot = 0

    def finish(self, p: Tensor) -> None:
        p._bump_version()  # one in-place write of the parameter, as far as autograd (and conj/neg views) can tell

    def of(self, t: Tensor) -> np.ndarray:
        return t._data

    def hyper(self, value: Any) -> float:
        """A hyperparameter as a Python float (a Tensor lr is read once)."""
        return float(value)

    def keep(self, x: np.ndarray) -> Tensor:
        """A copy of ``x`` as a new state tensor, laid out like ``x``."""
        out = np.empty_like(x)
        np.copyto(out, x)
        return Tensor._make(out)

    def grad(self, p: Tensor, maximize: bool, weight_decay: float, decay_tensor: bool = False) -> np.ndarray:
        """The gradient an update uses: negated when maximizing, plus ``weight_decay * param``. The
        parameter's ``.grad`` is never written. (``decay_tensor``: the optimizer's differentiable step takes a
        weight decay tensor that requires grad, see ``TensorMath.grad``; nothing here requires grad.)"""
        grad = p._grad._data
        if maximize:
            grad = np.negative(grad, out=self._new(grad))
        if weight_decay != 0:
            grad = add(grad, p._data, weight_decay, out=self._new(grad), tmp=self._tmp(grad))
        return grad

    # ---- in place -------------------------------------------------------------------------------
    def mul_(self, x: np.ndarray, y: Any) -> np.ndarray:
        return np.multiply(x, self._operand(y, x), out=x)

    def div_(self, x: np.ndarray, y: Any) -> np.ndarray:
        return np.divide(x, self._operand(y, x), out=x)

    def add_(self, x: np.ndarray, y: Any, alpha: float = 1) -> np.ndarray:
        if type(y) is not np.ndarray:
            return np.add(x, scalar(y, x), out=x)
        return add(x, y, alpha, out=x, tmp=None if alpha == 1 else self._tmp(x))

    def add_to_temporary(self, x: np.ndarray, value: float) -> np.ndarray:
        """``x + value`` for a temporary ``x`` (a result of this vocabulary): written into ``x`` here."""
        return self.add_(x, value)

    def addcmul_(self, x: np.ndarray, a: np.ndarray, b: np.ndarray, value: float = 1) -> np.ndarray:
        addcmul_(x, a, b, value, self._tmp(x))
        return x

    def addcdiv_(self, x: np.ndarray, a: np.ndarray, b: np.ndarray, value: float = 1) -> np.ndarray:
        addcdiv_(x, a, b, value, self._tmp(x))
        return x

    def lerp_(self, x: np.ndarray, end: np.ndarray, weight: float) -> np.ndarray:
        lerp_(x, end, weight, self._tmp(x))
        return x

    def maximum_(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        return np.maximum(x, y, out=x)

    def copy_(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        np.copyto(x, y)
        return x

    def clamp_(self, x: np.ndarray, low: float, high: float) -> np.ndarray:
        # torch's clamp is min(max(x, low), high), and lets NaN through
        np.maximum(x, scalar(low, x), out=x)
        return np.minimum(x, scalar(high, x), out=x)

    def masked_fill_(self, x: np.ndarray, mask: np.ndarray, value: float) -> np.ndarray:
        np.copyto(x, scalar(value, x), where=mask)
        return x

    # ---- new temporaries ------------------------------------------------------------------------
    def add(self, x: np.ndarray, y: Any, alpha: float = 1) -> np.ndarray:
        if type(y) is not np.ndarray:
            return np.add(x, scalar(y, x), out=self._new(x))
        return add(x, y, alpha, out=self._new(x), tmp=None if alpha == 1 else self._tmp(x))

    def mul(self, x: np.ndarray, y: Any) -> np.ndarray:
        return np.multiply(x, self._operand(y, x), out=self._new(x))

    def div(self, x: np.ndarray, y: Any) -> np.ndarray:
        return np.divide(x, self._operand(y, x), out=self._new(x))

    def rdiv(self, value: float, x: np.ndarray) -> np.ndarray:
        """``value / x`` as torch evaluates a number over a tensor: ``x.reciprocal() * value``."""
        out = np.reciprocal(x, out=self._new(x))
        return np.multiply(out, scalar(value, x), out=out)

    def addcmul(self, x: np.ndarray, a: np.ndarray, b: np.ndarray, value: float = 1) -> np.ndarray:
        return self.addcmul_(self.clone(x), a, b, value)

    def sqrt(self, x: np.ndarray) -> np.ndarray:
        return np.sqrt(x, out=self._new(x))

    def own(self, x: np.ndarray) -> np.ndarray:
        """``x``, a temporary of this vocabulary, to be written in place (a copy when recorded)."""
        return x

    def abs(self, x: np.ndarray) -> np.ndarray:
        return np.abs(x, out=self._new(x))

    def sign(self, x: np.ndarray) -> np.ndarray:
        return np.sign(x, out=self._new(x))

    def clone(self, x: np.ndarray) -> np.ndarray:
        out = self._new(x)
        np.copyto(out, x)
        return out

    def gt(self, x: np.ndarray, value: float) -> np.ndarray:
        return np.greater(x, scalar(value, x), out=self._new(x, np.bool_))

    def lt(self, x: np.ndarray, value: float) -> np.ndarray:
        return np.less(x, scalar(value, x), out=self._new(x, np.bool_))

    def eq(self, x: np.ndarray, value: float) -> np.ndarray:
        return np.equal(x, scalar(value, x), out=self._new(x, np.bool_))
