"""Gathers by an ndarray key (``x[key]``) and their adjoints, which accumulate into zeros at the key.

Integer-array indexing, index_select, take, masked_select and reflection/replication padding all read
their input at a fancy-index key: they are linear, their VJP is "accumulate the gradient at the key",
and that adjoint's own VJP is the gather again. One ``KeyedOp`` gives such an op both declarations,
so every derivative order works.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from .. import _dtype as D
from .._complex_half_storage import values_of
from .._tensor import Tensor
from ..autograd.recording import defop, record
from .limited_dtypes import refuse_kernel


def reads_nothing(key: Any) -> bool:
    """Whether a key's integer index arrays broadcast to no element: torch's index kernels then read or write
    nothing, so check no index (a backward's key, which its forward took), where NumPy checks every entry."""
    parts = key if isinstance(key, tuple) else (key,)
    arrays = [k for k in parts if isinstance(k, np.ndarray)]
    return bool(arrays) and all(a.dtype != np.bool_ for a in arrays) and 0 in np.broadcast_shapes(
        *(a.shape for a in arrays))


def _nothing_read(data: np.ndarray, key: Any) -> np.ndarray:
    """``data[key]`` for a key that ``reads_nothing``: its empty result's shape."""
    roomy = np.broadcast_to(np.empty((), data.dtype), tuple(max(n, 1) for n in data.shape))
    in_bounds = tuple(np.zeros_like(k) if isinstance(k, np.ndarray) else k
                      for k in (key if isinstance(key, tuple) else (key,)))
    return np.empty(roomy[in_bounds].shape, data.dtype)


class KeyedOp:
    """``gather`` reads ``x[key]``; its VJP ``accumulate`` adds a gradient into zeros at ``key``."""

    __slots__ = ("op", "adjoint", "each_add_rounded", "backward_kernel", "laid_out")

    def __init__(self, name: str, grad_name: str, adjoint_grad_name: str, tied: bool = False,
                 each_add_rounded: bool = False, backward_kernel: str | None = None,
                 laid_out: Callable[[np.ndarray, np.ndarray, Any], np.ndarray] | None = None) -> None:
        """With ``tied``, the adjoint also takes the op's input (with a zero derivative), as torch's
        backward of the padding ops does: a gradient made under create_graph then requires grad.
        ``each_add_rounded``: torch's backward kernel adds float16/bfloat16 gradients in their dtype, one rounding
        per addition (index_put_'s and put_'s accumulation), not in float32 rounded once (the default).
        ``backward_kernel``: the kernel torch's backward writes the gradient with, whose limited-dtype refusal
        (``limited_dtypes``) comes before anything else of the backward (masked_select's masked_scatter_).
        ``laid_out(result, input, key)``: the result in the layout torch allocates it in (index's from its operands,
        index_select's contiguous, the pads' in the input's suggested memory format), where NumPy's indexing lays it
        out its own way (a permuted input's order, the indexed dim first)."""
        if tied:
            vjp = lambda grad, self, key, shape: self_op.accumulate(grad, key, shape, self)  # noqa: E731
        else:
            vjp = lambda grad, key, shape: self_op.accumulate(grad, key, shape)  # noqa: E731
        self_op = self
        self.each_add_rounded = each_add_rounded
        self.backward_kernel = backward_kernel
        self.laid_out = laid_out
        # (``accumulate`` adds in the precision torch's kernel does, with or without create_graph: not widened)
        self.op = defop(name, grads={"self": vjp}, grad_name=grad_name, widen=False, complex_vjps=True)
        self.adjoint = defop(name + "_backward", ("grad", "self"), {
            "grad": lambda g, key: self_op.gather(g, key), "self": lambda g, self_shape: g.new_zeros(self_shape)},
            grad_name=adjoint_grad_name, complex_vjps=True)

    def gather(self, x: Tensor, key: Any, shape: tuple | None = None) -> Tensor:
        """``x[key]``; with ``shape``, ``x`` is first broadcast to it (the engine sums the gradient back)."""
        data = x._data if shape is None or shape == x._data.shape else np.broadcast_to(x._data, shape)
        try:
            out = data[key]
        except IndexError:
            if not reads_nothing(key):
                raise
            out = _nothing_read(data, key)
        if self.laid_out is not None:
            out = self.laid_out(out, data, key)
        if np.may_share_memory(out, data):  # a basic key selects a view: the result must own its memory
            out = out.copy()
        return record(self.op, out, (x,), {"key": key, "shape": data.shape})

    def accumulate(self, grad: Tensor, key: Any, shape: tuple, tied_to: Tensor | None = None) -> Tensor:
        if self.backward_kernel is not None:
            refuse_kernel(self.backward_kernel, grad.dtype)
            if grad.dtype is D.complex32:  # (the kernel is not compiled for ComplexHalf either)
                raise NotImplementedError("\"%s\" not implemented for 'ComplexHalf'" % self.backward_kernel)
        values = values_of(grad._data)  # (complex32 accumulates in complex64, rounded once)
        if not self.each_add_rounded:  # (float16/bfloat16 in float32, rounded once)
            values = values.astype(D.opmath_np(values.dtype), copy=False)
        out = np.zeros(shape, values.dtype)
        np.add.at(out, key, values)
        if values.dtype != grad._data.dtype:
            out = D.cast_np(out, grad.dtype.np)
        return record(self.adjoint, out, (grad, tied_to), {"key": key})
