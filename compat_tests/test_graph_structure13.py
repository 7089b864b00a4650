"""The graph behind ``grad_fn`` as torch builds it: which inputs a node has edges to (``next_functions``), the C++
nodes' names, and what a Scalar overload saves. The harness compares every differentiable output's whole graph
(``harness.assert_same_graph``); these are the rules it found broken, named one by one."""
from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from graph_check import graph_names
from harness import check
from transcript import check_scenario


def _leaves(T: Any) -> tuple:
    return (T.tensor([1.5, -2.0, 0.5], requires_grad=True), T.tensor([0.5, 2.0, 3.0], requires_grad=True),
            T.tensor([True, False, True]))


# an input without a derivative in derivatives.yaml (where's condition, the number of a Scalar overload) has no edge
NOT_DIFFERENTIABLE = {
    "where": lambda T, a, b, c: T.where(c, a, b),
    "where_number_other": lambda T, a, b, c: T.where(c, a, 0.0),
    "where_number_self": lambda T, a, b, c: T.where(c, 2.0, b),
    "pow_number_base": lambda T, a, b, c: T.pow(2, a),
    "rpow": lambda T, a, b, c: 2 ** a,
    "xlogy_number_self": lambda T, a, b, c: T.xlogy(3, b),
    "special_xlogy_number_self": lambda T, a, b, c: T.special.xlogy(3, b),
    "floor_divide_number_self": lambda T, a, b, c: T.floor_divide(2, b),
    "remainder_number_self": lambda T, a, b, c: T.remainder(2, b),
    "bincount_weights": lambda T, a, b, c: T.bincount(T.tensor([0, 2, 2]), weights=b),
    "mul_number_self": lambda T, a, b, c: T.mul(2, a),
    "where_method": lambda T, a, b, c: a.where(c, b),
}


@pytest.mark.parametrize("name", NOT_DIFFERENTIABLE)
def test_next_functions_skip_inputs_without_a_derivative(name: str) -> None:
    def scenario(T: Any, log: Any) -> None:
        a, b, c = _leaves(T)
        fn = NOT_DIFFERENTIABLE[name](T, a, b, c).grad_fn
        log(fn.name(), [None if n is None else n.name() for n, _ in fn.next_functions])
        log(graph_names(fn))
    check_scenario(scenario)


def test_scalar_overloads_save_their_numbers() -> None:
    def scenario(T: Any, log: Any) -> None:
        a, b, c = _leaves(T)
        log(T.pow(2, a).grad_fn._saved_self, T.pow(2, a).grad_fn._saved_exponent, T.xlogy(3, b).grad_fn._saved_self)
        log(T.mul(2, a).grad_fn._saved_self, T.where(c, a, b).grad_fn._saved_condition)
    check_scenario(scenario)


def test_not_differentiable_inputs_still_checked_and_differentiated() -> None:
    def scenario(T: Any, log: Any) -> None:
        a, b, c = _leaves(T)
        y = T.where(c, a, b) * T.pow(2, a) + T.xlogy(3, b)
        y.sum().backward()
        log(a.grad, b.grad)
        z = T.where(c, a, b)
        c.logical_not_()  # the condition is saved: writing it in place is refused at backward, as torch's
        log.attempt(lambda: z.sum().backward())
    check_scenario(scenario)


def test_forward_ad_through_not_differentiable_inputs() -> None:
    def fn(T: Any, b: Any) -> Any:
        fw = T.autograd.forward_ad
        with fw.dual_level():
            x = fw.make_dual(b, T.ones(3))
            return fw.unpack_dual(T.pow(2, x) + T.xlogy(2, x) + T.where(x > 1, x, 1.0)).tangent
    check(fn, [np.array([0.5, 2.0, 3.0])], grad=False)


def test_cpp_nodes_are_named_with_their_namespace() -> None:
    def scenario(T: Any, log: Any) -> None:
        a, b, c = _leaves(T)
        written = a.clone()
        written[0].mul_(2)
        log(written.grad_fn.name(), written.grad_fn.next_functions[0][0].next_functions[0][0].name())
        log(type(written.grad_fn).__name__, repr(written.grad_fn).split(" ")[0])
    check_scenario(scenario)


def test_not_implemented_nodes_refuse_through_any_edge() -> None:
    # their edges lead only to the inputs that require grad (in place too): the second input's edge is the node's first
    def scenario(T: Any, log: Any) -> None:
        a, b, c = _leaves(T)
        first_fixed = T.tensor([1.0, 2.0, 3.0])
        for y in (T.floor_divide(first_fixed, b), T.heaviside(first_fixed, b), T.histogram(b, 3)[1],
                  T.floor_divide(a, b), (b * 1).floor_divide_(2), (b * 1).floor_divide_(first_fixed),
                  (b * 1).floor_divide_(a)):
            log(graph_names(y.grad_fn))
            log.attempt(lambda: T.autograd.grad(y.sum(), b))
        s = T.zeros(3)
        s.set_(b * 1)  # (set_'s node keeps an edge per input, None included)
        log(graph_names(s.grad_fn))
    check_scenario(scenario)
