"""Graphs and gradients as torch builds them (session 17, issue 10): torch.cond's node on its lifted inputs, ...
Each case logs the node names breadth first along ``next_functions`` (graph_check.graph_names), the values and the
first (and where torch allows, second) order gradients."""
from __future__ import annotations

from typing import Any

import pytest

from graph_check import graph_names
from transcript import check_scenario


def _edges(T: Any, out: Any) -> list:
    """The node's inputs: their node names and, for leaves, their values (which tensor is where)."""
    return [(type(n).__name__ if n is not None else None, n.variable if hasattr(n, "variable") else None)
            for n, _ in out.grad_fn.next_functions]


# ---- torch.cond: CondAutogradOp's inputs are pred and TorchDynamo's lifted graph inputs ------------------------------
COND: dict[str, Any] = {  # (x, y, w, v) -> (true_fn, false_fn, operands): w and v are captured by the branches
    "unused_operand_dropped": lambda x, y, w, v: (lambda a, b: a * 2, lambda a, b: a.cos(), (x, y)),
    "operand_read_by_one_branch": lambda x, y, w, v: (lambda a, b: a * 2, lambda a, b: b.cos(), (x, y)),
    "captures_differ": lambda x, y, w, v: (lambda a: a * v, lambda a: a * w, (x,)),
    "shared_captures_first_by_name": lambda x, y, w, v: (lambda a: a * v * w, lambda a: a * w, (x,)),
    "captures_only": lambda x, y, w, v: (lambda a: v * w, lambda a: w * a * v, (x,)),
    "read_without_gradient": lambda x, y, w, v: (lambda a, b: a * 2, lambda a, b: a * b.long(), (x, y)),
    "detached_operand": lambda x, y, w, v: (lambda a, b: a * 2, lambda a, b: a * b, (x, y.detach())),
    "nested_operands": lambda x, y, w, v: (lambda d: d["b"][1] * d["a"], lambda d: d["a"] * 2,
                                           ({"b": [y, v], "a": x},)),
    "non_leaf_capture": lambda x, y, w, v: (lambda a: a * (w * 2), lambda a: a + w.sin(), (x * 1,)),
    "unconsumed_output": lambda x, y, w, v: (lambda a, b: (a * 2, b.sum()), lambda a, b: (a * 3, b.mean()), (x, y)),
}


@pytest.mark.parametrize("pred", [True, False])
@pytest.mark.parametrize("name", COND)
def test_cond_node_reads_the_lifted_inputs(name: str, pred: bool) -> None:
    def scenario(T: Any, log: Any) -> None:
        x, y, w, v = (T.full((3,), float(i), dtype=T.float64, requires_grad=True) for i in range(1, 5))
        true_fn, false_fn, operands = COND[name](x, y, w, v)
        out = T.cond(T.tensor(pred), true_fn, false_fn, operands)
        first = out[0] if isinstance(out, tuple) else out
        log(graph_names(first.grad_fn), _edges(T, first), out)
        first.sum().backward()
        log([t.grad for t in (x, y, w, v)])
    check_scenario(scenario, rtol=0, atol=0)


def test_cond_branch_reaching_an_attribute_keeps_its_graph_behind_the_node() -> None:
    """A tensor the branch reads through an object (not a capture minitorch rebinds): its gradient still arrives."""
    def scenario(T: Any, log: Any) -> None:
        holder = type("Holder", (), {})()
        holder.w = T.full((3,), 3., requires_grad=True)
        x = T.full((3,), 1., requires_grad=True)
        out = T.cond(T.tensor(True), lambda a: a * holder.w, lambda a: a * 2, (x,))
        out.sum().backward()
        log(type(out.grad_fn).__name__, out, x.grad, holder.w.grad)
    check_scenario(scenario, rtol=0, atol=0)
