"""torch.autograd: backward, grad, and the grad-mode switches."""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from .engine import gradient_edge, run_backward
from .grad_mode import enable_grad, inference_mode, is_grad_enabled, no_grad, set_grad_enabled  # noqa: F401

_NO_GRAD_FN = "element %d of tensors does not require grad and does not have a grad_fn"


def _as_tuple(x: Any) -> tuple:
    if x is None:
        return ()
    from .._tensor import Tensor
    return (x,) if isinstance(x, Tensor) else tuple(x)


def _make_grads(outputs: tuple, grads: Sequence[Any], is_grads_batched: bool = False) -> list:
    from .._tensor import Tensor
    out = []
    for i, (o, g) in enumerate(zip(outputs, grads)):
        if g is None:
            if o._requires_grad:
                if o._data.size != 1:
                    raise RuntimeError("grad can be implicitly created only for scalar outputs")
                if o.dtype.category != 2:
                    raise RuntimeError("grad can be implicitly created only for real scalar outputs but got "
                                       + repr(o.dtype))
                g = Tensor._make(np.ones(o._data.shape, o.dtype.np))
        elif isinstance(g, Tensor):
            if g._data.shape != o._data.shape:
                from .._size import Size
                raise RuntimeError("Mismatch in shape: grad_output[%d] has a shape of %s and output[%d] has a "
                                   "shape of %s." % (i, Size(g._data.shape), i, Size(o._data.shape)))
        else:
            raise TypeError("gradients can be either Tensors or None, but got " + type(g).__name__)
        out.append(g)
    return out


def _root_edges(outputs: tuple) -> list:
    edges = []
    for i, o in enumerate(outputs):
        if not o._requires_grad:
            raise RuntimeError(_NO_GRAD_FN % i)
        edges.append(gradient_edge(o))
    return edges


def backward(tensors: Any, grad_tensors: Any = None, retain_graph: bool | None = None,
             create_graph: bool = False, grad_variables: Any = None, inputs: Any = None) -> None:
    """Accumulate the gradients of ``tensors`` into the leaves' ``.grad``."""
    outputs = _as_tuple(tensors)
    grads = list(_as_tuple(grad_tensors)) if grad_tensors is not None else [None] * len(outputs)
    if len(grads) != len(outputs):
        raise RuntimeError("got %d tensors and %d gradients" % (len(outputs), len(grads)))
    if retain_graph is None:
        retain_graph = create_graph
    grads = _make_grads(outputs, grads)
    edges = _root_edges(outputs)
    inputs_t = _as_tuple(inputs)
    if inputs is not None and not inputs_t:
        raise RuntimeError("'inputs' argument to backward() cannot be empty.")
    capture = [gradient_edge(t) for t in inputs_t] if inputs_t else None
    captured = run_backward(edges, grads, retain_graph, create_graph, capture=capture)
    from .engine import accumulate_into_grad
    for t, g in zip(inputs_t, captured):
        if t._grad_fn is not None:  # non-leaf inputs get their grad set here (leaves accumulated above)
            from . import grad_mode
            prev = grad_mode.STATE.enabled
            grad_mode.STATE.enabled = create_graph
            try:
                accumulate_into_grad(t, g)
            finally:
                grad_mode.STATE.enabled = prev


def grad(outputs: Any, inputs: Any, grad_outputs: Any = None, retain_graph: bool | None = None,
         create_graph: bool = False, only_inputs: bool = True, allow_unused: bool | None = None,
         is_grads_batched: bool = False, materialize_grads: bool = False) -> tuple:
    """The gradients of ``outputs`` with respect to ``inputs``, without touching ``.grad``."""
    from .._tensor import Tensor
    outs = _as_tuple(outputs)
    ins = _as_tuple(inputs)
    if materialize_grads and allow_unused is False:
        raise ValueError("Expected allow_unused to be True or not passed when materialize_grads=True, but got: "
                         "allow_unused=False.")
    if allow_unused is None:
        allow_unused = materialize_grads
    grads = list(_as_tuple(grad_outputs)) if grad_outputs is not None else [None] * len(outs)
    if len(grads) != len(outs):
        raise RuntimeError("grad requires one grad_output per output: got %d grad_outputs and %d outputs"
                           % (len(grads), len(outs)))
    for i, t in enumerate(ins):
        if not t._requires_grad:
            raise RuntimeError("One of the differentiated Tensors does not require grad")
    if retain_graph is None:
        retain_graph = create_graph
    grads = _make_grads(outs, grads)
    edges = _root_edges(outs)
    capture = [gradient_edge(t) for t in ins]
    result = run_backward(edges, grads, retain_graph, create_graph, capture=capture, accumulate=False)
    out = []
    for t, g in zip(ins, result):
        if g is None:
            if materialize_grads:
                g = Tensor._make(np.zeros(t._data.shape, t.dtype.np))
            elif not allow_unused:
                raise RuntimeError("One of the differentiated Tensors appears to not have been used in the graph. "
                                   "Set allow_unused=True if this is the desired behavior.")
        elif not create_graph and g._grad_fn is not None:
            g = g.detach()
        out.append(g)
    return tuple(out)
