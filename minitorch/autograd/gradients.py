"""``backward`` and ``grad``: the entry points into the engine, with torch's checks of their arguments."""
from __future__ import annotations

import math
import warnings
from typing import Any, Sequence

import numpy as np

from .. import _dtype as D
from .._ops.joining import stack
from .._size import Size
from .._tensor import VARIABLE_HOOKS, Tensor
from . import graph
from .engine import run_backward
from .history import gradient_edge, requires_grad
from .._warn_once import warn_once

_CREATE_GRAPH_WARNING = (
    "Using backward() with create_graph=True will create a reference cycle between the parameter and its "
    "gradient which can cause a memory leak. We recommend using autograd.grad when creating the graph to avoid "
    "this. If you have to use this function, make sure to reset the .grad fields of your parameters to None after "
    "use to break the cycle and avoid the leak. (Triggered internally at "
    "/__w/pytorch/pytorch/torch/csrc/autograd/engine.cpp:1307.)")


def _as_tuple(x: Any) -> tuple:
    if isinstance(x, (Tensor, graph.GradientEdge)):
        return (x,)
    if type(x) is dict:
        return tuple(x.values())
    return tuple(x)


def _make_grads(outputs: tuple, grads: Sequence[Any], is_grads_batched: bool = False) -> list:
    """Check the given output gradients, or make the implicit ones for scalar outputs (torch's rules)."""
    out = []
    for i, (o, g) in enumerate(zip(outputs, grads)):
        if isinstance(o, graph.GradientEdge):
            raise NotImplementedError("minitorch: a GradientEdge is accepted as an input of grad/backward, not as "
                                      "an output")
        shape = o._data.shape
        if isinstance(g, Tensor):
            g_shape = g._data.shape[1:] if is_grads_batched else g._data.shape
            if g_shape != shape:
                if is_grads_batched:
                    raise RuntimeError(
                        "If `is_grads_batched=True`, we interpret the first dimension of each grad_output as the "
                        "batch dimension. The sizes of the remaining dimensions are expected to match the shape "
                        "of corresponding output, but a mismatch was detected: grad_output[%d] has a shape of %s "
                        "and output[%d] has a shape of %s. If you only want some tensors in `grad_output` to be "
                        "considered batched, consider using vmap." % (i, Size(g_shape), i, Size(shape)))
                raise RuntimeError("Mismatch in shape: grad_output[%d] has a shape of %s and output[%d] has a "
                                   "shape of %s." % (i, Size(g_shape), i, Size(shape)))
            if g.dtype.is_complex != o.dtype.is_complex:
                raise RuntimeError("For complex Tensors, both grad_output and output are required to have the same "
                                   "dtype. Mismatch in dtype: grad_output[%d] has a dtype of %s and output[%d] has a "
                                   "dtype of %s." % (i, g.dtype, i, o.dtype))
            if g.dtype is not o.dtype:  # (torch's engine validates the root gradients as any node's: in the output's
                g = g.to(o.dtype)       # dtype, before the first VJP computes with them)
        elif g is None:
            if requires_grad(o):
                if math.prod(shape) != 1:
                    raise RuntimeError("grad can be implicitly created only for scalar outputs")
                if o.dtype.category != D.FLOATING:
                    raise RuntimeError("grad can be implicitly created only for real scalar outputs but got "
                                       + repr(o.dtype))
                g = _implicit_grad(o)
        else:
            raise TypeError("gradients can be either Tensors or None, but got " + type(g).__name__)
        out.append(g)
    return out


def _implicit_grad(o: Tensor) -> Tensor:
    """The gradient ``backward()`` gives a scalar output: ones."""
    ones = np.empty(o._data.shape, o.dtype.np)  # (np.ones is two Python frames on every backward() call)
    ones.fill(1)
    return Tensor._make(ones)


def _root_edges(outputs: tuple, grads: list) -> list:
    if len(outputs) != len(grads):
        raise RuntimeError("got %d tensors and %d gradients" % (len(outputs), len(grads)))
    edges = []
    for i, o in enumerate(outputs):
        if not requires_grad(o):
            raise RuntimeError("element %d of tensors does not require grad and does not have a grad_fn" % i)
        edges.append(gradient_edge(o))
    return edges


def _input_edge(t: Any) -> tuple:
    return tuple(t) if isinstance(t, graph.GradientEdge) else gradient_edge(t)


def backward(tensors: Any, grad_tensors: Any = None, retain_graph: bool | None = None,
             create_graph: bool = False, grad_variables: Any = None, inputs: Any = None) -> None:
    """Accumulate the gradients of ``tensors`` into the leaves' ``.grad`` (or only into ``inputs``)."""
    if (type(tensors) is Tensor and tensors._grad_fn is not None and tensors._base is None and grad_tensors is None
            and inputs is None and grad_variables is None and tensors._data.size == 1
            and tensors.dtype.category == D.FLOATING and not create_graph):
        # ``loss.backward()``, the commonest call, without the general path's tuples (its checks pass: a scalar
        # floating output with a history of its own, which is its gradient edge)
        run_backward([(tensors._grad_fn, tensors._output_nr)], [_implicit_grad(tensors)], bool(retain_graph), False)
        return
    if grad_variables is not None:
        warnings.warn("`grad_variables` is deprecated. Use `grad_tensors` instead.", FutureWarning, stacklevel=2)
        if grad_tensors is not None:
            raise RuntimeError("`grad_tensors` and `grad_variables` (deprecated) arguments both passed to "
                               "`backward()`. Please only use `grad_tensors`.")
        grad_tensors = grad_variables
    inputs_t = () if inputs is None else _as_tuple(inputs)
    if inputs is not None and not inputs_t:
        raise RuntimeError("`inputs` argument to `backward()` cannot be empty.")
    outputs = _as_tuple(tensors)
    grads = _make_grads(outputs, [None] * len(outputs) if grad_tensors is None else _as_tuple(grad_tensors))
    if retain_graph is None:
        retain_graph = create_graph
    edges = _root_edges(outputs, grads)
    for t in inputs_t:  # as torch: a non-leaf input keeps its gradient through retain_grad
        if not isinstance(t, graph.GradientEdge):
            t.retain_grad()
    if create_graph:
        warn_once("backward_create_graph", _CREATE_GRAPH_WARNING, stacklevel=3)
    run_backward(edges, grads, retain_graph, create_graph,
                 capture=[_input_edge(t) for t in inputs_t] if inputs_t else None)


def grad(outputs: Any, inputs: Any, grad_outputs: Any = None, retain_graph: bool | None = None,
         create_graph: bool = False, only_inputs: bool = True, allow_unused: bool | None = None,
         is_grads_batched: bool = False, materialize_grads: bool = False) -> Any:
    """The gradients of ``outputs`` with respect to ``inputs``, without touching ``.grad``."""
    if materialize_grads and allow_unused is False:
        raise ValueError("Expected allow_unused to be True or not passed when materialize_grads=True, but got: "
                         "allow_unused=False.")
    if allow_unused is None:
        allow_unused = materialize_grads
    outs = _as_tuple(outputs)
    ins = _as_tuple(inputs)
    if not ins:
        raise RuntimeError("`inputs` argument to `grad()` cannot be empty.")
    if not only_inputs:
        warnings.warn("only_inputs argument is deprecated and is ignored now (defaults to True). To accumulate "
                      "gradient for other parts of the graph, please use torch.autograd.backward.",
                      FutureWarning, stacklevel=2)
    grads = _make_grads(outs, [None] * len(outs) if grad_outputs is None else _as_tuple(grad_outputs),
                        is_grads_batched)
    if retain_graph is None:
        retain_graph = create_graph
    if is_grads_batched:
        result = _batched_grad(outs, ins, grads, retain_graph, create_graph, allow_unused)
    else:
        result = _grad(outs, ins, grads, retain_graph, create_graph, allow_unused)
    if materialize_grads:
            result = tuple(Tensor._make(np.zeros(t._data.shape, t.dtype.np), create_graph) if r is None else r
                       for r, t in zip(result, ins))
    return dict(zip(inputs.keys(), result)) if type(inputs) is dict else result


def _grad(outs: tuple, ins: tuple, grads: list, retain_graph: bool, create_graph: bool, allow_unused: bool
          ) -> tuple:
    edges = _root_edges(outs, grads)
    for t in ins:
        if not isinstance(t, graph.GradientEdge) and not requires_grad(t):
            raise RuntimeError("One of the differentiated Tensors does not require grad")
    result = run_backward(edges, grads, retain_graph, create_graph, capture=[_input_edge(t) for t in ins],
                          accumulate=False)
    out = []
    for i, g in enumerate(result):
        if g is None:
            if not allow_unused:
                raise RuntimeError("The differentiated Tensor at index %d appears to not have been used in the "
                                   "graph. Set allow_unused=True if this is the desired behavior." % i)
        elif not create_graph and g._grad_fn is not None:
            g = g.detach()
        out.append(g)
    return tuple(out)


def _batched_grad(outs: tuple, ins: tuple, grads: list, retain_graph: bool, create_graph: bool,
                  allow_unused: bool) -> tuple:
    """``is_grads_batched``: one vector-Jacobian product per row of the grad_outputs, stacked.

    torch vectorizes this with vmap; here it is a loop (the graph is kept until the last row)."""
    n = next(g._data.shape[0] for g in grads if g is not None)
    rows = [_grad(outs, ins, [None if g is None else g[b] for g in grads], retain_graph or b < n - 1,
                  create_graph, allow_unused) for b in range(n)]
    return tuple(None if col[0] is None else stack(list(col)) for col in zip(*rows))




VARIABLE_HOOKS.backward = backward
