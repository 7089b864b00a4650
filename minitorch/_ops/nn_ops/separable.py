"""Separable linear maps over the trailing dims: one matrix per dim, ``(out_d, in_d)``, applied along
it. Adaptive average pooling and the nearest, linear and cubic resampling modes are such maps; their
backward applies the transposed matrices, and the VJP of that backward is the map again, so any
order of derivative needs nothing more.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

from ... import _dtype as D
from ..._tensor import Tensor
from ...autograd.recording import defop, record
from ..result_layout import in_suggested_format


def zero_derivative(grad: Tensor) -> Tensor:
    """The derivative of a backward kernel by the forward input it takes only for its shape."""
    return Tensor._make(np.zeros_like(grad._data))


def apply_matrices(x: np.ndarray, mats: Sequence[np.ndarray]) -> np.ndarray:
    """``x`` with matrix ``mats[i]`` applied along the i-th of its last ``len(mats)`` dims, in ``x``'s
    dtype (integer images take 0/1 selection matrices of floats: the values come back exact); float16 and
    bfloat16 computed in float32 and rounded once, as torch's kernels accumulate them."""
    n, dtype = len(mats), x.dtype
    if not x.size:  # (no element to compute: complex32's storage, which NumPy cannot multiply, too)
        return np.zeros(x.shape[:x.ndim - n] + tuple(m.shape[0] for m in mats), dtype)
    if dtype in D.REDUCED_NP:
        x, mats = x.astype(np.float32), [m.astype(np.float32, copy=False) for m in mats]
    for i, m in enumerate(mats):
        axis = x.ndim - n + i
        x = np.swapaxes(_apply_last(np.swapaxes(x, axis, -1), m), axis, -1)
    return np.ascontiguousarray(x, dtype=dtype)


def _apply_last(x: np.ndarray, m: np.ndarray) -> np.ndarray:
    """``x @ m.T``, where an input outside an output's window (a zero weight) does not reach it even when it
    is inf or nan: torch sums only the window (a product would give inf * 0 = nan)."""
    if x.dtype.kind not in "fc" or np.isfinite(x).all():
        return x @ m.T
    out = np.empty(x.shape[:-1] + (m.shape[0],), np.result_type(x, m))
    for j, row in enumerate(m):
        window = np.flatnonzero(row)
        out[..., j] = x[..., window] @ row[window]
    return out


Kernel = Callable[[np.ndarray, Sequence[Any]], np.ndarray]  # (its maps: matrices, or a kernel's own form of them)


def separable_op(name: str, grad_name: str, ties_input: bool = False, kernel: Kernel | None = None,
                 adjoint: Kernel | None = None) -> Callable[[Tensor, Sequence[Any]], Tensor]:
    """``f(input, mats)``: the map recorded under torch's node name ``grad_name``. With ``ties_input``
    the backward also takes the input, with a zero derivative (torch's adaptive pooling backward). ``kernel(x,
    mats)`` and ``adjoint(grad, mats)``: the forward and backward kernels where torch's round on the way (given
    their input in its own dtype); by default the matrices and their transposes, in float32 for the reduced
    floats."""
    kernel_np = kernel or apply_matrices
    adjoint_np = adjoint or (lambda grad, mats: apply_matrices(grad, [m.T for m in mats]))
    forward: Any = None
    inputs = ("grad_output", "self") if ties_input else ("grad_output",)
    grads = {"grad_output": lambda grad, mats: record(forward, kernel_np(grad._data, mats), (grad,),
                                                      {"mats": mats})}
    if ties_input:
        grads["self"] = zero_derivative
    backward = defop(name + "_backward", inputs, grads, widen=kernel is None)

    def transposed(grad: Tensor, mats: Sequence[np.ndarray], inputs: tuple) -> Tensor:
        return record(backward, adjoint_np(grad._data, mats), inputs, {"mats": mats})

    def vjp_tied(grad: Tensor, self: Tensor, mats: Sequence[np.ndarray]) -> Tensor:
        return transposed(grad, mats, (grad, self))

    def vjp(grad: Tensor, mats: Sequence[np.ndarray]) -> Tensor:  # saves nothing of the input
        return transposed(grad, mats, (grad,))
    forward = defop(name, ("self",), {"self": vjp_tied if ties_input else vjp}, grad_name=grad_name,
                    widen=adjoint is None)

    def apply(input: Tensor, mats: Sequence[Any]) -> Tensor:  # (in the input's suggested format, as torch's)
        return record(forward, in_suggested_format(kernel_np(input._data, mats), input._data), (input,), {"mats": mats})
    return apply
