"""Gradients torch computes together: one function for several inputs (FunctionsManual's ``*_backward`` functions
that take a ``grad_input_mask``, such as ``atan2_backward``), whose gradients share intermediate tensors.

The sharing shows under create_graph: the double backward reaches the shared tensor's node once, with the
contributions of every gradient summed before they go through it, which decides where infinities and NaN meet.
``joint_vjps`` turns such a function into ``defop``'s per-input VJPs, which call it once per backward of a node.
"""
from __future__ import annotations

import inspect
from typing import Any, Callable, Sequence

from .._tensor import Tensor

_GRAD = inspect.Parameter("grad", inspect.Parameter.POSITIONAL_OR_KEYWORD)
_NODE = inspect.Parameter("node", inspect.Parameter.KEYWORD_ONLY)


def joint_vjps(fn: Callable[..., tuple], inputs: Sequence[str]) -> dict[str, Callable]:
    """``defop`` VJPs for the inputs named in ``inputs`` (in the op's order), all computed by one call of
    ``fn(grad, ..., output_mask)``: its other parameters name what it needs as a VJP's do, ``output_mask`` says which
    of ``inputs`` need a gradient, and it returns their gradients in that order (None where not needed)."""
    parameters = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY)
                  for p in list(inspect.signature(fn).parameters.values())[1:] if p.name != "output_mask"]
    signature = inspect.Signature([_GRAD, _NODE] + parameters)
    return {name: _member(fn, tuple(inputs), position, signature) for position, name in enumerate(inputs)}


def _member(fn: Callable[..., tuple], names: tuple, position: int, signature: inspect.Signature) -> Callable:
    """The VJP of ``names[position]``: the first of the node's VJPs to run in a backward calls ``fn`` and keeps its
    gradients on the node (keyed by the incoming gradient, new in every backward); the last one needed (in the node's
    order, ``OpDef.order``) lets them go."""
    def vjp(grad: Any, node: Any, **arguments: Any) -> Tensor | None:
        if node is None:  # (forward AD differentiates one VJP at a time, outside any node)
            return fn(grad, output_mask=(True,) * len(names), **arguments)[position]
        index = node._op.index
        mask = tuple(node.next_functions[index[name]][0] is not None for name in names)
        kept = node.__dict__.get("_joint_grads")
        if kept is None or kept[0] is not grad:
            kept = node.__dict__["_joint_grads"] = (grad, fn(grad, output_mask=mask, **arguments))
        order = node._op.order  # (the node runs its VJPs in this order: the last needed one lets them go)
        if position == max((i for i, needed in enumerate(mask) if needed), key=lambda i: order.index(index[names[i]])):
            del node.__dict__["_joint_grads"]
        return kept[1][position]
    vjp.__signature__ = signature  # type: ignore[attr-defined]  # (what VJP reads its parameters from)
    return vjp
