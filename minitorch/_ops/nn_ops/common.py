"""Shared pieces of the nn ops: dtype refusals, reduced-precision computation, loss reductions."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ... import _dtype as D
from ..._tensor import Tensor
from ...autograd.recording import OpDef, defop, record


# torch computes a layer's gradients in one fused backward node, so under create_graph a gradient that
# depends on the cotangent alone (a bias's) is still part of a graph through the node's other inputs: it
# requires grad when they do, with None derivatives with respect to them, as torch's.
def fused_gradient_op(grad_name: str | None = None) -> OpDef:
    """The record of a gradient of a layer's fused backward node (``grad_name``: torch's name of that node)."""
    return defop("fused_backward", ("grad", "input", "weight"), {
        "grad": lambda grad: grad, "input": lambda grad: None, "weight": lambda grad: None}, grad_name=grad_name)


FUSED_GRADIENT = fused_gradient_op()


def fused_gradient(value: Tensor, input: Tensor, weight: Tensor | None, op: OpDef = FUSED_GRADIENT) -> Tensor:
    """``value`` (computed from the cotangent only), recorded as an output of the fused backward of a layer
    with this input and weight (``op``: its record, from ``fused_gradient_op``)."""
    return record(op, value._data, (value, input, weight))


# The dtypes of torch's dispatch macros: a kernel dispatched over AT_DISPATCH_FLOATING_TYPES_AND2(Half, BFloat16)
# (the float-only CPU kernels) has no float8 case, nor an integral, bool or complex one; AT_DISPATCH_ALL_TYPES_AND_
# COMPLEX_AND2(Half, BFloat16) (the kernels that move or pad elements) none for bool, complex32, uint16-64 or float8.
KERNEL_FLOATS = frozenset((D.float32, D.float64, D.float16, D.bfloat16))
KERNEL_ALL_TYPES = KERNEL_FLOATS | {D.int8, D.int16, D.int32, D.int64, D.uint8, D.complex64, D.complex128}


def refuse_unless(kernel: str, t: Tensor, dtypes: frozenset) -> None:
    """torch's refusal (its dispatch macro's error) by a CPU kernel compiled for ``dtypes`` only."""
    if t.dtype not in dtypes:
        raise NotImplementedError('"%s" not implemented for \'%s\'' % (kernel, t.dtype._cast_name))


def require_float(kernel: str, t: Tensor) -> None:
    """torch's refusal by a CPU kernel compiled for the floating types and the two reduced ones (float16, bfloat16):
    integral, bool, complex and float8 inputs."""
    refuse_unless(kernel, t, KERNEL_FLOATS)


def opmath(x: np.ndarray) -> np.ndarray:
    """``x`` in the type torch's CPU kernels compute it in: float32 for the reduced floats (float16, bfloat16)."""
    return x.astype(np.float32) if x.dtype in D.REDUCED_NP else x


def in_float(fn: Callable[..., np.ndarray], x: np.ndarray, *args: Any) -> np.ndarray:
    """``fn(x, *args)``, computed in float32 when ``x`` is a reduced float (float16, bfloat16), as torch's CPU
    kernels do."""
    if x.dtype in D.REDUCED_NP:
        return fn(x.astype(np.float32), *args).astype(x.dtype)
    return fn(x, *args)


def reduce_np(x: np.ndarray, reduction: str) -> np.ndarray:
    """A loss's elementwise values reduced as ``reduction`` says (means of nothing are nan)."""
    if reduction == "none":
        return x
    acc = D.opmath_np(x.dtype).type
    total = np.add.reduce(x, axis=None, dtype=acc)  # reduced floats: in float32, and a mean divided there too
    if reduction == "sum":
        return np.asarray(total.astype(x.dtype))
    return np.asarray((total / acc(x.size) if x.size else acc(np.nan)).astype(x.dtype))


def reduce_scale(grad: Tensor, reduction: str, numel: int) -> Any:
    """The factor a loss's elementwise derivative is multiplied by: ``grad``, divided by the count
    for a mean. It broadcasts against the elementwise derivative in every reduction."""
    return grad / numel if reduction == "mean" else grad
