"""A view that joins the graph through its base's in-place write sends its gradient to the base's
new history, whichever way it is used (an op, ``autograd.Function``, a hook, ``retain_grad``,
``autograd.grad``) and whether or not anything read ``requires_grad`` or ``grad_fn`` first.

The one rule lives in ``autograd/history.py``; each scenario returns ``w.grad`` (and friends), run
under torch and minitorch by ``harness.check``.
"""
from __future__ import annotations

from typing import Any

import pytest

from harness import check


def _double(T: Any) -> Any:
    class Double(T.autograd.Function):
        @staticmethod
        def forward(ctx: Any, a: Any) -> Any:
            return a * 2

        @staticmethod
        def backward(ctx: Any, g: Any) -> Any:
            return g * 2
    return Double


def _base_and_leaf(T: Any, view_first: bool) -> tuple:
    x = T.ones(3)
    w = T.ones(3, requires_grad=True)
    if view_first:
        v = x[:2]
        x.mul_(w)
    else:
        x.mul_(w)
        v = x[:2]
    return x, v, w


def through_function(T: Any, view_first: bool, peek: bool) -> Any:
    x, v, w = _base_and_leaf(T, view_first)
    if peek:
        assert v.requires_grad
    (_double(T).apply(v).sum() + w.sum()).backward()
    return w.grad


def through_op(T: Any, view_first: bool, peek: bool) -> Any:
    x, v, w = _base_and_leaf(T, view_first)
    if peek:
        v.grad_fn  # noqa: B018 - reading it must not change what backward computes
    (v.exp().sum() + w.sum()).backward()
    return w.grad, v.requires_grad, v.is_leaf, type(v.grad_fn).__name__


def through_retain_grad(T: Any, view_first: bool, peek: bool) -> Any:
    x, v, w = _base_and_leaf(T, view_first)
    v.retain_grad()
    (v * 3).sum().backward()
    return w.grad


def through_grad(T: Any, view_first: bool, peek: bool) -> Any:
    x, v, w = _base_and_leaf(T, view_first)
    return T.autograd.grad((v * v).sum(), w)


def through_hook(T: Any, view_first: bool, peek: bool) -> Any:
    x = T.ones(3)
    w = T.ones(3, requires_grad=True)
    x.mul_(w)
    v = x[:2]
    v.register_hook(lambda g: g * 10)  # (torch crashes when the hook is set on a view made before the write)
    (v * 2).sum().backward()
    return w.grad


def view_of_requires_grad_base(T: Any, view_first: bool, peek: bool) -> Any:
    """A view made before its base required grad requires grad, but has no edge of its own (torch)."""
    x = T.ones(3)
    v = x[:2]
    x.requires_grad_()
    y = (v * 1).sum()
    y.backward()
    return v.requires_grad, v.grad_fn, v.is_leaf, y.requires_grad, x.grad


def no_grad_view_joins(T: Any, view_first: bool, peek: bool) -> Any:
    with T.no_grad():
        x = T.ones(3)
        v = x[:2]
    w = T.ones(3, requires_grad=True)
    x.mul_(w)
    assert v.requires_grad
    return (v * 2).sum()  # torch refuses: the view was made in no_grad mode


SCENARIOS = [through_function, through_op, through_retain_grad, through_grad, through_hook,
             view_of_requires_grad_base, no_grad_view_joins]


@pytest.mark.parametrize("peek", [False, True], ids=["untouched", "peeked"])
@pytest.mark.parametrize("view_first", [True, False], ids=["view_before_write", "view_after_write"])
@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.__name__ for s in SCENARIOS])
def test_view_joins_graph(scenario: Any, view_first: bool, peek: bool) -> None:
    check(lambda T: scenario(T, view_first, peek), [], grad=False)
