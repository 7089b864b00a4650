"""The recording fast paths of issue 15's per-op work, against torch.

- A binary pointwise op's common call is computed from one source by its operator and by its implementation
  (``registry.DirectBinary``): functions, methods and operators with tensors, Python floats and ints (up to torch's
  Scalar range), alpha left at its default or given, shapes that do not broadcast.
- ``make_node`` is written out for ops of one to three inputs (``recording._unrolled_make_node``): which inputs get an
  edge, the edges of views, leaves and non-leaves, complex inputs, the saved tensors, and gradients.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest

import minitorch
from harness import check, check_error

_RNG = np.random.default_rng(1515)


def _values(shape: tuple, dtype: str = "float32") -> np.ndarray:
    return _RNG.standard_normal(shape).astype(dtype)


# the ways a binary op is called: each goes through the implementation, the operator or both
CALLS: dict[str, Callable[[Any, Any, Any], Any]] = {
    "function": lambda T, a, b: T.add(a, b),
    "function alpha": lambda T, a, b: T.add(a, b, alpha=2),
    "function alpha one": lambda T, a, b: T.sub(a, b, alpha=1.0),
    "method": lambda T, a, b: a.mul(b),
    "keywords": lambda T, a, b: T.div(input=a, other=b),
    "operator": lambda T, a, b: a - b,
    "reflected": lambda T, a, b: b * a,
    "true_divide": lambda T, a, b: T.true_divide(a, b),
}


@pytest.mark.parametrize("dtype", ["float32", "float64", "float16"])
@pytest.mark.parametrize("call", CALLS)
def test_binary_calls_with_tensors(call: str, dtype: str) -> None:
    check(lambda T, a, b: CALLS[call](T, a, b), [_values((3, 4), dtype), _values((4,), dtype)])


@pytest.mark.parametrize("number", [3, -7, 0, 2 ** 62, -2 ** 63, 2 ** 64 - 1, 2.5, -0.0, True])
@pytest.mark.parametrize("call", ["function", "method", "operator", "reflected", "true_divide", "function alpha"])
def test_binary_calls_with_numbers(call: str, number: Any) -> None:
    check(lambda T, a: CALLS[call](T, a, number), [_values((2, 3), "float64")])


@pytest.mark.parametrize("number", [2 ** 64, -2 ** 63 - 1])
@pytest.mark.parametrize("call", ["function", "method", "operator"])
def test_binary_numbers_beyond_a_scalar(call: str, number: int) -> None:
    check_error(lambda T, a: CALLS[call](T, a, number), [_values((2,), "float32")])


@pytest.mark.parametrize("call", ["function", "function alpha", "method", "operator", "true_divide"])
def test_binary_shapes_that_do_not_broadcast(call: str) -> None:
    check_error(lambda T, a, b: CALLS[call](T, a, b), [_values((2, 3)), _values((4,))])


def test_binary_records_the_overload_torch_records() -> None:
    def recorded(T: Any, a: Any) -> Any:
        outs = (a + 2, a.add(2, alpha=3), T.add(a, a), a - 1.5, 2 * a, a / 4, a.eq(a), a.ne(2))
        return outs, [type(o.grad_fn).__name__ if o.grad_fn is not None else None for o in outs]
    check(recorded, [_values((3,), "float32")])


@pytest.mark.parametrize("call", ["operator", "function alpha one"])
def test_sub_of_bool_is_refused_on_every_path(call: str) -> None:
    check_error(lambda T: CALLS[call](T, T.ones(2, dtype=T.bool), T.ones(2, dtype=T.bool)))
    check_error(lambda T: CALLS[call](T, T.ones(2, dtype=T.float32), T.ones(2, dtype=T.bool)))


# ---- nodes of one, two and three inputs -----------------------------------------------------------------------
def _edges(T: Any, out: Any, inputs: list) -> list:
    """Each edge of ``out``'s node: None, the accumulator of which input, or the grad_fn name it leads to."""
    described = []
    for fn, nr in out.grad_fn.next_functions:
        if fn is None:
            described.append(None)
        elif type(fn).__name__ == "AccumulateGrad":
            described.append(("leaf", next(i for i, x in enumerate(inputs) if x is fn.variable)))
        else:
            described.append((type(fn).__name__, nr))
    return described


NODES: dict[str, Callable[..., Any]] = {
    "unary": lambda T, a, b, c: a.exp(),
    "binary, both": lambda T, a, b, c: a * b,
    "binary, other": lambda T, a, b, c: c * b,
    "binary, self": lambda T, a, b, c: a * c,
    "ternary": lambda T, a, b, c: T.addcmul(c, a, b, value=0.5),
    "ternary, first two": lambda T, a, b, c: T.lerp(a, b, c),
    "non-leaf and view": lambda T, a, b, c: (a * 2) * b[0],
    "view of a leaf": lambda T, a, b, c: a.t() + b.view(3, 3).t(),
    "same leaf twice": lambda T, a, b, c: a * a,
    "variadic": lambda T, a, b, c: T.cat([a, c, b]),
}


@pytest.mark.parametrize("node", NODES)
def test_node_edges_and_gradients(node: str) -> None:
    def graph(T: Any, a: Any, b: Any, c: Any) -> Any:
        a, b = a.requires_grad_(), b.requires_grad_()
        out = NODES[node](T, a, b, c)
        return out, type(out.grad_fn).__name__, _edges(T, out, [a, b, c])
    check(graph, [_values((3, 3), "float64"), _values((3, 3), "float64"), _values((3, 3), "float64")],
          grad=False)
    check(lambda T, a, b, c: NODES[node](T, a, b, c), [_values((3, 3), "float64")] * 3, second_order=True)


def test_node_of_complex_inputs() -> None:
    def complex_graph(T: Any, a: Any, b: Any) -> Any:
        z = T.complex(a, b)
        return z * z.conj(), T.view_as_real(z * a)
    check(complex_graph, [_values((4,), "float64"), _values((4,), "float64")], second_order=True)


def test_node_saved_tensors() -> None:
    def saved(T: Any, a: Any, b: Any) -> Any:
        a, b = a.requires_grad_(), b.requires_grad_()
        both, one = a * b, a * b.detach()
        return (both.grad_fn._saved_self, both.grad_fn._saved_other, one.grad_fn._saved_self,
                one.grad_fn._saved_other, a.exp().grad_fn._saved_result)
    check(saved, [_values((3,), "float64"), _values((3,), "float64")], grad=False)


def test_node_of_a_call_with_fewer_inputs_than_declared() -> None:
    """The written-out ``make_node`` of an op's arity hands a call with another number of inputs to the loop."""
    from minitorch.autograd.recording import defop, record
    two = defop("two_inputs", ("self", "other"), {"self": lambda grad: grad * 2})
    x = minitorch.ones(2, requires_grad=True)
    out = record(two, x._data * 2, (x,))
    assert [type(fn).__name__ for fn, _ in out.grad_fn.next_functions] == ["AccumulateGrad"]
    out.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [2.0, 2.0])


@pytest.mark.parametrize("name", ["mul", "true_divide", "xlogy", "remainder"])
def test_binary_number_self(name: str) -> None:
    check(lambda T, b: getattr(T, name)(2.5, b), [_values((3,), "float32")])


def test_binary_callables_keep_their_module() -> None:
    """The generated implementation is named after the op and its module, as the callables built on it show."""
    for name in ("add", "sub", "mul", "true_divide", "eq"):
        assert getattr(minitorch, name).__module__ == "minitorch._ops.pointwise"
        assert getattr(minitorch.Tensor, name).__name__ == name
