"""The backward's shorter paths (session 10) against torch, and the general paths they step aside for.

A table op's node runs its VJPs from an ``apply`` written for the op (``recording._direct_apply``), which hands a
conjugated or widened gradient, a needed input without a VJP and a call with fewer inputs than declared to the
general ``OpNode.apply``, and a saved tensor behind saved-tensor hooks or modified in place to ``unpack``. The
engine delivers the root gradients and every node's gradients by one path (a leaf root accumulated directly), frees
only the nodes that saved something (CopySlices through its op's node), and ``loss.backward()`` skips the general
argument handling. Each scenario runs under torch and minitorch; the transcripts must match.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from transcript import check_scenario


def _leaf(T: Any, values: list, dtype: str = "float32") -> Any:
    return T.tensor(values, dtype=getattr(T, dtype), requires_grad=True)


def test_direct_apply_values_and_errors() -> None:
    def scenario(T: Any, log: Any) -> None:
        a, b = _leaf(T, [[1., -2.], [3., 0.5]]), _leaf(T, [[0.5, 2.], [-1., 4.]])
        y = (a @ b).relu() * b
        y.sum().backward(retain_graph=True)
        log(a.grad, b.grad)
        log.attempt(lambda: y.sum().backward())  # retained: a second pass adds up
        log(a.grad, b.grad)
        log.attempt(lambda: y.sum().backward())  # freed by the pass before
        z = a.exp() * b
        with T.no_grad():
            b.mul_(2)  # a saved input modified in place
        log.attempt(lambda: z.sum().backward())
        w = a.exp()
        with T.no_grad():
            w.add_(1)  # the saved output modified in place
        log.attempt(lambda: w.sum().backward())
        log(a.grad)
    check_scenario(scenario)


@pytest.mark.parametrize("dtype", ["float16", "bfloat16", "complex64", "float64"])
def test_direct_apply_general_cases(dtype: str) -> None:
    """Widened (reduced floats) and conjugated (complex) gradients take the general path; float64 the direct one."""
    def scenario(T: Any, log: Any) -> None:
        a = _leaf(T, [[1., -2.], [3., 0.5]], dtype)
        b = _leaf(T, [[0.5, 2.], [-1., 4.]], dtype)
        y = (a @ b) * b + a.t()
        y.sum().abs().backward() if dtype == "complex64" else y.sum().backward()
        log(a.grad.to(T.float32) if dtype == "bfloat16" else a.grad, b.grad.to(T.float32) if dtype == "bfloat16"
            else b.grad)
    check_scenario(scenario)


def test_direct_apply_under_create_graph_and_saved_hooks() -> None:
    def scenario(T: Any, log: Any) -> None:
        a = _leaf(T, [1., -2., 3.], "float64")
        b = _leaf(T, [0.5, 2., -1.], "float64")
        (ga,) = T.autograd.grad((a * b * a).sum(), [a], create_graph=True)
        log(ga, ga.grad_fn)
        (gga,) = T.autograd.grad(ga.sum(), [a])
        log(gga)
        unpacked = []
        with T.autograd.graph.saved_tensors_hooks(lambda t: t * 2, lambda t: unpacked.append(1) or t):
            y = (a * b).sum()
        y.backward()
        log(a.grad, b.grad, len(unpacked))
    check_scenario(scenario)


def test_leaf_roots_and_captures() -> None:
    """Root edges to leaves (accumulated as they are delivered), a leaf given twice, captures."""
    def scenario(T: Any, log: Any) -> None:
        x = _leaf(T, [1., 2.])
        g = T.tensor([3., 4.])
        x.backward(g)
        log(x.grad, x.grad is g)
        T.autograd.backward([x, x * 2, x], [g, g, g])
        log(x.grad)
        x.register_hook(lambda grad: grad * 10)
        x.backward(g)
        log(x.grad)
        log(T.autograd.grad([x * x, x], [x], [g, g]))
        y = x * 3
        z = y * y
        log(T.autograd.grad([z, y], [y], [g, g]))
        s = T.tensor(2., requires_grad=True)
        s.backward()
        log(s.grad)
    check_scenario(scenario)


def test_release_of_nodes_that_saved_nothing_and_copy_slices() -> None:
    def scenario(T: Any, log: Any) -> None:
        u = _leaf(T, [1., 2., 3.])
        s = (u.t() + 1)[1:].sum()  # nothing saved anywhere: a second backward works
        s.backward()
        s.backward()
        log(u.grad)
        m = u * u
        log(m.grad_fn._saved_self is not None)
        m.sum().backward()
        log.attempt(lambda: m.grad_fn._saved_self)
        base = u * 1
        view = base[1:]
        view.mul_(u[1:])  # CopySlices over MulBackward0, which saved both operands
        base.sum().backward()
        log(u.grad, type(base.grad_fn).__name__)
        log.attempt(lambda: base.sum().backward())
    check_scenario(scenario)


@pytest.mark.parametrize("case", ["plain", "retain", "retain_false", "create", "view", "vector", "integral",
                                  "no_history", "leaf", "float64"])
def test_scalar_backward(case: str) -> None:
    """``loss.backward()`` and the calls that look like it but take the general path."""
    def scenario(T: Any, log: Any) -> None:
        a = _leaf(T, [[1., -2.], [3., 0.5]], "float64" if case == "float64" else "float32")
        loss = (a * a).sum()
        if case == "plain" or case == "float64":
            loss.backward()
            log.attempt(loss.backward)
        elif case == "retain":
            loss.backward(retain_graph=True)
            loss.backward()
        elif case == "retain_false":
            loss.backward(retain_graph=False)
            log.attempt(loss.backward)
        elif case == "create":
            loss.backward(create_graph=True)
            log(a.grad.grad_fn)
            a.grad = None
        elif case == "view":
            (a * a).sum(0)[1].backward()
        elif case == "vector":
            log.attempt(lambda: (a * a).backward())
        elif case == "integral":
            log.attempt(lambda: T.ones(1, dtype=T.int64).backward())
        elif case == "no_history":
            log.attempt(lambda: T.ones(()).backward())
        elif case == "leaf":
            T.tensor(2., requires_grad=True).backward()
        log(a.grad)
    check_scenario(scenario)


def test_fewer_inputs_than_declared_and_missing_vjp() -> None:
    """A call passing fewer inputs than its op declares, and an input without a VJP requiring grad."""
    import minitorch
    from minitorch.autograd.recording import defop, record
    two = defop("two_inputs_10", ("self", "other"), {"self": lambda grad: grad * 2})
    x = minitorch.ones(2, requires_grad=True)
    out = record(two, x._data * 2, (x,))
    out.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [2.0, 2.0])
    y = minitorch.ones(2, requires_grad=True)
    # an input without a VJP is not differentiated (no edge, as torch's next_functions): requiring grad is refused
    with pytest.raises(RuntimeError, match="not differentiable with respect to argument 'other'"):
        record(two, x._data * 2, (x, y))


def test_op_without_vjps() -> None:
    """An op declared without derivatives records a node whose backward refuses (the general path)."""
    import minitorch
    from minitorch.autograd.recording import defop, record
    none = defop("no_vjps_10", ("self",), {})
    x = minitorch.ones(2, requires_grad=True)
    out = record(none, x._data * 2, (x,))
    assert type(out.grad_fn).__name__ == "NoVjps10Backward0"
    with pytest.raises(RuntimeError, match="the derivative for 'self' is not implemented."):
        out.sum().backward()
