"""The identity a Module's full backward hooks are attached to (torch's BackwardHookFunction).

Its node's hooks see the gradients with respect to the module's inputs and outputs; the node is
the ``grad_fn`` of what a hooked module returns, so it is named as torch names it.
"""
from __future__ import annotations

from typing import Sequence

from ..._tensor import Tensor
from ...autograd.recording import VARIADIC, defop, record_multi

BACKWARD_HOOK_FUNCTION = defop("backward_hook_function", VARIADIC, {"*": lambda grad, index: grad[index]},
                               grad_name="BackwardHookFunctionBackward", num_outputs=-1)


def backward_hook_identity(tensors: Sequence[Tensor]) -> list[Tensor]:
    """Aliases of ``tensors`` (same memory and version counter) whose grad_fn is one shared node."""
    outs = record_multi(BACKWARD_HOOK_FUNCTION, [t._data for t in tensors], list(tensors))
    for out, t in zip(outs, tensors):
        out._vbox = t._vbox
        if not t._requires_grad:  # torch marks these non-differentiable
            out._grad_fn, out._requires_grad = None, False
    return outs
