"""Views share memory as in torch, and autograd sees through writes into them.

Each scenario is ``fn(T, x, w)`` run under torch and minitorch by ``harness.check`` (``x`` a 2x3 leaf,
``w`` a 3-vector leaf, both requiring grad): outputs, their grad_fn names (CopySlices,
AsStridedBackward0...), the gradients of ``x`` and ``w``, second derivatives, and the errors torch
raises for forbidden writes, compared.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from harness import check



def write_view_of_non_leaf(T: Any, x: Any, w: Any) -> Any:
    y = x * 1
    a, b = y[0], y[:, 1]
    a.mul_(w)
    return y, a, b


def views_of_views(T: Any, x: Any, w: Any) -> Any:
    y = x * 1
    v = y.t()[1:]
    u = v[0]
    u.add_(w[:2])
    return y * y, v, u


def write_through_reshape(T: Any, x: Any, w: Any) -> Any:
    y = x * 1
    y.view(-1).mul_(2)
    y.unsqueeze(0).squeeze(0)[1].sub_(w)
    return y.pow(2)


def write_then_read_other_view(T: Any, x: Any, w: Any) -> Any:
    y = x * 1
    a, b = y[0], y[1]
    a.copy_(b * 3)
    return y.sum() + b.sum(), a, b


def read_view_after_base_write(T: Any, x: Any, w: Any) -> Any:
    y = x * 1
    a = y[0]
    y.add_(w)
    return a * 2, type(a.grad_fn).__name__


def setitem_gradients_both_sides(T: Any, x: Any, w: Any) -> Any:
    z = T.zeros(2, 3)
    z[0] = w
    z[1, 1:] = w[:2] * 2
    y = x.clone()
    y[:, [0, 2]] = w[:2].unsqueeze(0).t() * x[:, :1]
    y[y > 2] = w.sum()
    return z, y


def advanced_write_into_view(T: Any, x: Any, w: Any) -> Any:
    y = x * 1
    v = y[1]
    v[[0, 2]] = w[:2]
    v[v > 5] += w[2]
    return y, v


def setitem_broadcast(T: Any, x: Any, w: Any) -> Any:
    y = x.clone()
    y[...] = w
    y[0, ::2] = x[1, :1]
    y[:, None, 1] = w[:1]
    return y


def write_diagonal_and_transpose(T: Any, x: Any, w: Any) -> Any:
    y = x * 1
    y.diagonal().fill_(0)
    y.t().mul_(w.unsqueeze(1))
    y.diagonal(1).add_(w[:2])
    return y


def write_split_free_views(T: Any, x: Any, w: Any) -> Any:
    y = x * 1
    first, rest = y.tensor_split([1], dim=1)
    first.mul_(w[:2].unsqueeze(1))
    rest[0].zero_()
    return y


def write_view_of_buffer(T: Any, x: Any, w: Any) -> Any:
    """A buffer that does not require grad, written through views with values that do."""
    buf = T.zeros(3, 4)
    buf[:, 1:].copy_(x.t() * w.unsqueeze(1))
    buf.narrow(1, 0, 1).fill_(w[0])
    return buf, buf[2]


def writes_through_many_views(T: Any, x: Any, w: Any) -> Any:
    """Every kind of view writes into its base's memory, and reads what the others wrote."""
    base = T.zeros(3, 4)
    views = [base[1], base.t(), base.view(-1), base.diagonal(), base.narrow(1, 1, 2), base.unflatten(1, (2, 2)),
             base.split(2, dim=1)[1], base.unbind(1)[3], base.expand(1, 3, 4)[0], base.movedim(0, 1), base[:, None],
             base.reshape(2, 6), base.swapaxes(0, 1)[2:], base.select(1, 0), base.view_as(base)]
    with T.no_grad():
        for i, v in enumerate(views):
            v.add_(i + 1)
    return [base, base._version] + views


def inplace_under_no_grad(T: Any, x: Any, w: Any) -> Any:
    y = x * 1
    with T.no_grad():
        y[0].mul_(2)
        x.add_(0)
    return y


def no_grad_view_reports_requires_grad(T: Any, x: Any, w: Any) -> Any:
    with T.no_grad():
        v = x[0]
        t = x.t()
    return v.requires_grad, v.is_leaf, v.grad_fn is None, t.requires_grad, (v * w).requires_grad


def detach_shares_memory_and_version(T: Any, x: Any, w: Any) -> Any:
    y = x.sigmoid()
    d = y.detach()
    d[0, 0] = 5
    y.sum().backward()


def data_does_not_share_version(T: Any, x: Any, w: Any) -> Any:
    y = x.sigmoid()
    y.data.zero_()
    y.sum().backward()
    return x.grad, y.detach()


def expand_without_overlap_is_writable(T: Any, x: Any, w: Any) -> Any:
    e = T.zeros(1, 3).expand(1, 3)
    e.add_(w)
    return e


def version_counter_catches_saved_output(T: Any, x: Any, w: Any) -> Any:
    y = x.exp()
    y.add_(1)
    y.sum().backward()


def version_counter_through_view(T: Any, x: Any, w: Any) -> Any:
    y = x.exp()
    y[0].add_(1)
    y.sum().backward()


def version_counter_saved_input(T: Any, x: Any, w: Any) -> Any:
    y = x * 1
    z = y * w
    y.mul_(2)
    z.sum().backward()


def view_of_leaf(T: Any, x: Any, w: Any) -> Any:
    x[0].add_(1)


def setitem_on_leaf(T: Any, x: Any, w: Any) -> Any:
    x[0] = 1.0


def inplace_on_leaf(T: Any, x: Any, w: Any) -> Any:
    x.add_(1)


def inplace_on_expanded(T: Any, x: Any, w: Any) -> Any:
    (x * 1).expand(2, 2, 3).add_(1)


def inplace_on_expanded_buffer(T: Any, x: Any, w: Any) -> Any:
    T.zeros(1, 3).expand(2, 3).mul_(2)


def inplace_on_split_output(T: Any, x: Any, w: Any) -> Any:
    a, b = (x * 1).split([1, 1])
    a.mul_(2)


def inplace_on_unbind_output(T: Any, x: Any, w: Any) -> Any:
    _, second = (x * 1).unbind()
    second.add_(1)


def inplace_on_chunk_output_without_grad(T: Any, x: Any, w: Any) -> Any:
    first, _ = T.zeros(2, 3).chunk(2)
    first.add_(w)


def read_split_output_after_base_write(T: Any, x: Any, w: Any) -> Any:
    y = x * 1
    a, _ = y.split(1)
    y.mul_(2)
    return a.grad_fn


def write_no_grad_view_with_grad(T: Any, x: Any, w: Any) -> Any:
    with T.no_grad():
        v = x[0]
    v.add_(1)


def write_view_of_no_grad_view(T: Any, x: Any, w: Any) -> Any:
    y = x * 1
    with T.no_grad():
        v = y[0]
    v[1:].add_(1)


def use_no_grad_view_after_base_write(T: Any, x: Any, w: Any) -> Any:
    with T.no_grad():
        v = x[0]
        x.mul_(2)
    return v * w


SCENARIOS = [f for f in list(globals().values()) if callable(f) and getattr(f, "__module__", None) == __name__
             and f.__code__.co_varnames[:3] == ("T", "x", "w")]


@pytest.mark.parametrize("fn", SCENARIOS, ids=[f.__name__ for f in SCENARIOS])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_view_semantics(fn: Any, dtype: str) -> None:
    x = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], dtype)
    w = np.array([0.5, -1.5, 2.0], dtype)
    check(fn, [x, w], second_order=dtype == "float64")
