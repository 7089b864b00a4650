"""Session 17's shortcuts on the training step's path agree with torch, and with the general code they skip.

- ``record_node``: an op of one output and one to three differentiable inputs records through a plan written out
  at its first record (edges, node and saved values in one frame). Its nodes are those of the general path
  (``_record_node``: ``make_node`` then ``save_inputs``) for every subset of inputs requiring grad, views with a
  current or a stale history, Python-number operands, complex inputs and a call with fewer inputs; its saved values
  are made in torch's order (the order saved-tensor hooks see).
- The engine queues a node reached by its only edge with its gradients (no buffer entry): diamonds, multi-output
  nodes and shared leaves still sum and run in torch's order.
- ``Module.__call__`` reads one flag set by the hook registrations: hooks registered, removed, copied with the
  module, and a module whose ``__init__`` did not run behave as in torch.
- SGD prepares a group's parameters at once: its states and its fused check as torch's.
"""
from __future__ import annotations

import copy
from typing import Any, Callable

import numpy as np
import pytest
import torch

import minitorch
from harness import assert_same_outputs, check, check_error
from minitorch.autograd import recording


def _pack_order(T: Any) -> list:
    """The values each op's saved-tensor pack hook sees, in order (one list per op)."""
    order: list = []

    def pack(t: Any) -> Any:
        order[-1].append(round(float(t.detach().reshape(-1)[0]), 3))
        return t
    a = T.full((2, 3), 2.0, requires_grad=True)
    b = T.full((2, 3), 3.0, requires_grad=True)
    calls: list[Callable[[], Any]] = [
        lambda: a * b, lambda: T.addcmul(T.full((2, 3), 5.0, requires_grad=True), a, b), lambda: T.atan2(a, b),
        lambda: T.lerp(a, b, T.full((2, 3), 0.25, requires_grad=True)), lambda: T.pow(a, b), lambda: a.exp(),
        lambda: T.hypot(a, b), lambda: a.div(b), lambda: T.where(a > 0, a, b), lambda: T.clamp(a, b, b + 1),
        lambda: T.addmm(T.full((3,), 7.0, requires_grad=True), T.full((3, 2), 8.0, requires_grad=True),
                        T.full((2, 3), 9.0, requires_grad=True)),
        lambda: T.nn.functional.linear(a, b), lambda: a.relu(), lambda: a.log_softmax(1)]
    with T.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        for call in calls:
            order.append([])
            call()
    return order


def test_saved_values_in_torchs_order() -> None:
    """torch saves an op's inputs in the sorted order of their names, then its result (was the hash seed's order)."""
    assert _pack_order(torch) == _pack_order(minitorch)


@pytest.mark.parametrize("needs", [(1, 0, 0), (0, 1, 0), (0, 0, 1), (1, 1, 0), (0, 1, 1), (1, 1, 1)])
def test_addmm_with_each_input_requiring_grad(needs: tuple) -> None:
    """The node's edges, what it saved (only what the inputs requiring grad use) and the gradients."""
    def addmm(T: Any) -> list:
        b = T.arange(3.0).requires_grad_(bool(needs[0]))
        m1 = T.arange(8.0).reshape(2, 4).div(3).requires_grad_(bool(needs[1]))
        m2 = T.arange(12.0).reshape(4, 3).div(-5).requires_grad_(bool(needs[2]))
        y = T.addmm(b, m1, m2, beta=0.5)
        node = y.grad_fn
        edges = [None if f is None else f.name() for f, _ in node.next_functions]
        saved = [node._saved_mat1 is None, node._saved_mat2 is None, node._saved_beta, node._saved_alpha]
        y.sin().sum().backward()
        return [y, edges, saved, *[t.grad for t in (b, m1, m2) if t.requires_grad]]
    assert_same_outputs(addmm(torch), addmm(minitorch))


def _graph_cases(T: Any) -> list:
    """Ops recorded through their plans: binary with a Python number, ternary, a view with a current history (a
    transposed weight), a view whose base changed in place after the view was made, complex inputs."""
    x = T.arange(1.0, 7.0).reshape(2, 3).requires_grad_()
    w = T.arange(6.0).reshape(3, 2).div(4).requires_grad_()
    base = x * 1
    view = base[0]
    base.mul_(2)  # (the view's history is regenerated from its base's new one when it is used)
    z = T.complex(x, x.flip(0))
    outs = [x * 2.5, 3.0 - x, T.lerp(x, x.exp(), 0.25), T.addcmul(x, x, x.cos(), value=0.5), x @ w.t().t(),
            view * 3, (z * z.conj()).real, T.nn.functional.linear(x, w.t(), T.ones(2))]
    return outs


def test_graph_cases_agree_with_torch() -> None:
    assert check(lambda T: _graph_cases(T), [])  # (torch computes them all)


def _structure(t: Any, seen: dict) -> Any:
    """A node graph as nested tuples: names, edges, metadata shapes, saved names and conjugation."""
    node = t if not isinstance(t, minitorch.Tensor) else t.grad_fn
    if node is None:
        return None
    if node in seen:
        return seen[node]
    saved = node._saved
    seen[node] = (type(node).__name__,
                  tuple(None if n is None else (_structure(n, seen), nr) for n, nr in node.next_functions),
                  tuple(None if m is None else (m[0], m[1], len(m)) for m in node._input_meta),
                  None if saved is None else sorted(saved),
                  getattr(node, "_conjugate", None), getattr(node, "_attrs", None))
    return seen[node]


def _with_general_recording(build: Callable[[], list]) -> list:
    """``build()`` with every plan replaced by the general ``_record_node`` (ops built on first use included)."""
    originals = recording._record_plan
    built = [op for op in _all_ops() if type(op) is recording.OpDef]
    saved = [(op, op.record_node) for op in built]
    recording._record_plan = lambda op: recording._record_node  # type: ignore[assignment]
    try:
        for op in built:
            op.record_node = recording._record_node
        return build()
    finally:
        recording._record_plan = originals  # type: ignore[assignment]
        for op, plan in saved:
            op.record_node = plan


def _all_ops() -> list:
    import gc
    # (by the object's type: isinstance reads a dead weak proxy's __class__, and raises)
    return [o for o in gc.get_objects() if issubclass(type(o), recording.OpDef)]


def test_plans_make_the_general_paths_nodes() -> None:
    """The same graphs (edges, metadata, saved names, attributes, conjugation) from the plans and from the general
    path, op by op, for the cases above."""
    planned = [_structure(t, {}) for t in _graph_cases(minitorch)]
    general = _with_general_recording(lambda: [_structure(t, {}) for t in _graph_cases(minitorch)])
    assert planned == general


def test_plan_takes_the_general_path_for_fewer_inputs() -> None:
    """A call with fewer inputs than the op declares (``record`` is given what the call has) is recorded by the
    general path: the node has an edge per given input."""
    op = recording.defop("plan_test_fewer", ("self", "other", "weight"),
                         grads={"self": lambda grad: grad, "other": lambda grad: grad, "weight": lambda grad: grad})
    x = minitorch.ones(2, requires_grad=True)
    y = recording.record(op, np.ones(2, np.float32), (x, x))
    assert len(y.grad_fn.next_functions) == 2 and y.requires_grad


def test_integral_results_are_refused_or_left_without_history() -> None:
    """An integral result of an input requiring grad: a comparison's has no history; any other op's is refused."""
    op = recording.defop("plan_test_integral", grads={"self": lambda grad: grad})
    x = minitorch.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match="Autograd not support dtype: Long"):
        recording.record(op, np.ones(2, np.int64), (x,))
    assert (x > 0).grad_fn is None and not (x > 0).requires_grad


def test_complex_result_of_an_op_without_complex_grad() -> None:
    check_error(lambda T: T.normal(T.complex(T.ones(3, requires_grad=True), T.ones(3)), 1.0))


def _engine_cases(T: Any) -> list:
    """A diamond (a node reached by two edges: its buffer sums), a multi-output node reached by one edge, a leaf used
    three times, retain_grad and a tensor hook on a node reached once."""
    x = T.arange(1.0, 7.0, dtype=T.float64).requires_grad_()  # (float64: float32 exp/sin/cos are MKL's and SLEEF's)
    h = x.exp()
    h.retain_grad()
    a, b = h.sin(), h.cos()
    first, second = (a * b).split(3)
    second.register_hook(lambda g: g * 2)
    y = (second * x[3:]).sum() + (x * x).sum() + first.mean()
    y.backward()
    return [y, x.grad, h.grad]


def test_engine_queue_carries_buffers() -> None:
    assert_same_outputs(_engine_cases(torch), _engine_cases(minitorch))


def _module_hooks(T: Any, kind: str) -> list:
    T.manual_seed(0)
    seen: list = []
    m = T.nn.Linear(3, 2)
    x = T.arange(6.0).reshape(2, 3)
    first = m(x)
    if kind == "forward":
        m.register_forward_hook(lambda mod, args, out: out * 2)
    elif kind == "pre":
        m.register_forward_pre_hook(lambda mod, args: (args[0] + 1,))
    elif kind == "backward":
        m.register_full_backward_hook(lambda mod, gi, go: seen.append(go[0].sum()))
    elif kind == "removed":
        m.register_forward_hook(lambda mod, args, out: out * 2).remove()
    elif kind == "copied":
        m.register_forward_hook(lambda mod, args, out: out * 2)
        m = copy.deepcopy(m)
    out = m(x)
    out.sum().backward()
    return [first, out, m.weight.grad, *seen]


@pytest.mark.parametrize("kind", ["none", "forward", "pre", "backward", "removed", "copied"])
def test_module_hooks_after_calls(kind: str) -> None:
    assert_same_outputs(_module_hooks(torch, kind), _module_hooks(minitorch, kind))


def test_module_without_init_raises_torchs_error() -> None:
    def call(T: Any) -> Any:
        class NoInit(T.nn.Module):
            def __init__(self) -> None:
                pass

            def forward(self, x: Any) -> Any:
                return x
        return NoInit()(T.ones(1))
    check_error(call)


@pytest.mark.parametrize("momentum", [0.0, 0.9])
@pytest.mark.parametrize("fused", [None, True])
def test_sgd_prepares_the_group_at_once(momentum: float, fused: Any) -> None:
    """SGD prepares a group's parameters together: the state made for the parameters with a gradient, in order (the
    one without is skipped), the fused check on the first of them."""
    def steps(T: Any) -> Any:
        a = T.ones(3, requires_grad=True)
        b = T.arange(4.0, dtype=T.float64, requires_grad=True)
        c = T.ones(2, requires_grad=True)
        opt = T.optim.SGD([a, b, c], lr=0.1, momentum=momentum, fused=fused)
        for _ in range(2):
            (b * b).sum().backward()
            (c * 3).sum().backward()
            opt.step()
        return [a, b, c, list(opt.state_dict()["state"]), *[s.get("momentum_buffer") for s in opt.state.values()]]
    assert_same_outputs(steps(torch), steps(minitorch))
