"""Forward AD through in-place writes into a root tensor (not a view), against torch: the root's views, made
before the write, read their region of the root's new tangent (torch's tangents of views are views of their
base's), whether they carried a tangent before or not; an in-place view op on the root (``t_``) moves no
values. Under torch.autograd.forward_ad and torch.func.jvp."""
from __future__ import annotations

from typing import Any, Callable

import pytest

from func_harness import warm_up_torch_forward_ad
from transcript import check_scenario

warm_up_torch_forward_ad()

# in-place writes into the root ``y`` (a dual value computed from a dual tensor ``a``)
WRITES: dict[str, Callable] = {
    "mul_": lambda T, y, a: y.mul_(3.0),
    "mul_dual": lambda T, y, a: y.mul_(a),
    "copy_constant": lambda T, y, a: y.copy_(T.ones(2, 3, dtype=T.float64)),
    "setitem": lambda T, y, a: y.__setitem__((0, slice(None)), a[1]),
    "zero_": lambda T, y, a: y.zero_(),
    "t_": lambda T, y, a: y.t_(),
}


@pytest.mark.parametrize("name", WRITES)
def test_write_into_a_root_refreshes_its_views(name: str) -> None:
    def scenario(T: Any, log: Any) -> None:
        fw = T.autograd.forward_ad
        with fw.dual_level():
            a = fw.make_dual(T.arange(6.0, dtype=T.float64).reshape(2, 3),
                             T.arange(6.0, dtype=T.float64).reshape(2, 3) * 0.5 + 1)
            y = a * 2
            row, col, flat = y[1], y[:, ::2], y.view(6)
            WRITES[name](T, y, a)
            for t in (y, row, col, flat, col.t()):
                log(*fw.unpack_dual(t))
            log(row * 1)
    check_scenario(scenario)


def test_views_made_before_the_root_had_a_tangent() -> None:
    def scenario(T: Any, log: Any) -> None:
        fw = T.autograd.forward_ad
        x = T.zeros(2, 3, dtype=T.float64)
        row, col = x[0], x[:, 1]
        with fw.dual_level():
            x.copy_(fw.make_dual(T.ones(2, 3, dtype=T.float64), T.arange(6.0, dtype=T.float64).reshape(2, 3)))
            # (clones: torch writes the tangents themselves in place, minitorch gives new ones)
            log(row.clone(), col.clone(), fw.unpack_dual(row).tangent.clone(), (col * col).exp())
            x.mul_(2.0)
            log(fw.unpack_dual(col).tangent, fw.unpack_dual(x).primal)
    check_scenario(scenario)


def test_jvp_of_a_function_writing_a_root_with_views() -> None:
    def scenario(T: Any, log: Any) -> None:
        def f(x: Any) -> Any:
            y = x * 1.0
            head, tail = y[:2], y[1:]
            y.mul_(x)
            y.add_(1.0)
            return head * tail.sum(), tail
        log(*T.func.jvp(f, (T.arange(3.0, dtype=T.float64),), (T.ones(3, dtype=T.float64),)))

        def g(x: Any) -> Any:
            y = T.zeros(3, dtype=T.float64)
            v = y[1:]
            y.copy_(x.sin())
            return v.exp()
        log(*T.func.jvp(g, (T.arange(3.0, dtype=T.float64),), (T.ones(3, dtype=T.float64),)))
    check_scenario(scenario)
