"""Differential checks of nn modules: the same module built under torch and minitorch, minitorch's
weights loaded from torch's state_dict, then forward values, grad_fn names and the gradients of
the inputs and of every parameter compared for one shared random cotangent."""
from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np
import torch

import minitorch
from graph_check import assert_same_graph
from harness import assert_same_outputs, assert_same_value, flat_tensors


def to_minitorch(t: torch.Tensor) -> minitorch.Tensor:
    return minitorch.tensor(t.detach().numpy().copy())


def copy_weights(src: torch.nn.Module, dst: minitorch.nn.Module) -> None:
    """Load torch's state (parameters and buffers) into the minitorch module, strictly."""
    result = dst.load_state_dict({k: to_minitorch(v) for k, v in src.state_dict().items()})
    assert repr(result) == "<All keys matched successfully>"


def build_inputs(T: Any, values: Sequence[Any], requires_grad: bool) -> list:
    out = []
    for v in values:
        if isinstance(v, np.ndarray):
            t = T.tensor(v)
            out.append(t.requires_grad_() if requires_grad and v.dtype.kind == "f" else t)
        else:
            out.append(v)
    return out


def check_module(make: Callable[[Any], Any], values: Sequence[Any], *, train: bool = True, grad: bool = True,
                 rtol: float | None = None, atol: float | None = None, call: Callable | None = None) -> None:
    """``make(T)`` builds the module under library T; ``call(module, *inputs)`` runs it (default:
    ``module(*inputs)``). Compares repr, state_dict keys, outputs, grad_fn names and gradients."""
    ref, mine = make(torch), make(minitorch)
    assert repr(mine) == repr(ref), (repr(ref), repr(mine))
    assert list(mine.state_dict()) == list(ref.state_dict()), (list(ref.state_dict()), list(mine.state_dict()))
    copy_weights(ref, mine)
    ref.train(train)
    mine.train(train)
    run = call or (lambda m, *xs: m(*xs))
    ref_in, my_in = build_inputs(torch, values, grad), build_inputs(minitorch, values, grad)
    ref_out, my_out = run(ref, *ref_in), run(mine, *my_in)
    assert_same_outputs(ref_out, my_out, rtol, atol)
    for (name, buf), (my_name, my_buf) in zip(ref.named_buffers(), mine.named_buffers()):
        assert name == my_name
        assert_same_value(buf, my_buf, rtol, atol, "buffer " + name)
    if not grad:
        return
    ref_outs = [o for o in flat_tensors(ref_out) if isinstance(o, torch.Tensor) and o.requires_grad]
    my_outs = [o for o in flat_tensors(my_out) if isinstance(o, minitorch.Tensor) and o.requires_grad]
    assert len(ref_outs) == len(my_outs)
    for r, m in zip(ref_outs, my_outs):
        assert_same_graph(r, m)
    rng = np.random.default_rng(0)
    cots = [rng.standard_normal(tuple(o.shape)).astype(str(o.dtype)[6:]) for o in ref_outs]
    torch.autograd.backward(ref_outs, [torch.tensor(c) for c in cots])
    minitorch.autograd.backward(my_outs, [minitorch.tensor(c) for c in cots])
    for i, (r, m) in enumerate(zip(ref_in, my_in)):
        if isinstance(r, torch.Tensor) and r.requires_grad:
            assert_same_value(r.grad, m.grad, rtol, atol, "grad of input %d" % i)
    for (name, p), (_, q) in zip(ref.named_parameters(), mine.named_parameters()):
        assert (p.grad is None) == (q.grad is None), name
        if p.grad is not None:
            assert_same_value(p.grad, q.grad, rtol, atol, "grad of " + name)
