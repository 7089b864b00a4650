"""Session 16's shortcuts on the training step's path agree with torch, and with the general code they skip.

- ``wrap_dim``'s common case (an int in range of a tensor with dims) is one test; every other dim argument (bools,
  NumPy integers, out of range, 0-d tensors) still takes the checks that raise torch's errors.
- nll_loss reads a 1-d target's batch size from its array; a 0-d target still asks ``size(0)`` (torch's error).
- The engine reads one ``_hooked`` flag per node instead of its four hook fields: a node given a hook (pre, post,
  tensor hook, retain_grad), a hook removed again, and a leaf's own hooks all still run as torch runs them.
- ``_collect`` counts a node reached from two roots, and a root reached from another root, as before.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch

import minitorch
from harness import assert_same_outputs, check, check_error
from minitorch._ops.dims import wrap_dim


@pytest.mark.parametrize("ndim", [0, 1, 2, 3])
@pytest.mark.parametrize("dim", [-4, -3, -2, -1, 0, 1, 2, 3, True, False, np.int64(1), np.int32(-1)])
def test_wrap_dim_agrees_with_torch(ndim: int, dim: Any) -> None:
    """``x.size(dim)`` / ``x.sum(dim)`` on tensors of every small rank: the same result or the same error."""
    shape = (2, 3, 4)[:ndim]

    def size_and_sum(T: Any) -> Any:
        x = T.ones(shape)
        return x.sum(dim), x.softmax(dim)
    check(size_and_sum, [], grad=False)  # (torch's values, or its error)


def test_wrap_dim_fast_case_returns_a_plain_index() -> None:
    assert [wrap_dim(d, 3) for d in (-3, -2, -1, 0, 1, 2)] == [0, 1, 2, 0, 1, 2]
    assert all(type(wrap_dim(d, 2)) is int for d in (-1, 1, np.int64(1)))
    assert wrap_dim(-1, 0) == 0 and wrap_dim(0, 0) == 0  # (a 0-d tensor takes -1 and 0)
    with pytest.raises(IndexError):
        wrap_dim(0, 0, wrap_scalar=False)
    with pytest.raises(TypeError):
        wrap_dim(True, 2)


@pytest.mark.parametrize("target_shape", [(), (1,), (3,), (4,)])
@pytest.mark.parametrize("input_shape", [(5,), (3, 5)])
def test_nll_loss_target_sizes(input_shape: tuple, target_shape: tuple) -> None:
    """Matching and mismatched target sizes, 0-d targets included: torch's values or torch's errors."""
    def loss(T: Any) -> Any:
        x = T.arange(float(np.prod(input_shape))).reshape(input_shape).requires_grad_()
        y = T.zeros(target_shape, dtype=T.int64)
        out = T.nn.functional.nll_loss(x, y)
        out.backward()
        return out, x.grad
    check(loss, [], grad=False)  # (torch's values, or its error)


def _mlp_with_hooks(T: Any, kind: str) -> list:
    """A two-layer MLP step whose graph carries one kind of hook; the loss, every hook's record and the gradients."""
    T.manual_seed(0)
    seen: list = []
    x = T.arange(12.0).reshape(3, 4) / 10
    w1 = T.arange(20.0).reshape(5, 4).div(20).requires_grad_()
    b1 = T.ones(5, requires_grad=True)
    w2 = T.arange(10.0).reshape(2, 5).div(-10).requires_grad_()
    h = T.nn.functional.linear(x, w1, b1).relu()
    out = T.nn.functional.linear(h, w2)
    loss = T.nn.functional.cross_entropy(out, T.tensor([0, 1, 1]))
    if kind == "pre":
        h.grad_fn.register_prehook(lambda grads: (grads[0] * 2,))
    elif kind == "post":
        out.grad_fn.register_hook(lambda inputs, outputs: seen.append([g is None for g in inputs]))
    elif kind == "tensor":
        h.register_hook(lambda g: g * 3)
    elif kind == "retain":
        h.retain_grad()
    elif kind == "removed":
        h.grad_fn.register_prehook(lambda grads: (grads[0] * 2,)).remove()
        h.register_hook(lambda g: g * 3).remove()
    elif kind == "leaf":
        w1.register_hook(lambda g: g + 1)
    elif kind == "accumulator":
        acc = out.grad_fn.next_functions[1][0].next_functions[0][0]  # (w2's AccumulateGrad, through TBackward0)
        acc.register_prehook(lambda grads: seen.append(tuple(grads[0].shape)))
        acc.register_hook(lambda inputs, outputs: seen.append(len(outputs)))
    elif kind == "post_accumulate":
        b1.register_post_accumulate_grad_hook(lambda p: seen.append(p.grad.clone()))
    loss.backward()
    retained = [h.grad] if kind == "retain" else []
    return [loss, w1.grad, b1.grad, w2.grad, *retained, *seen]


@pytest.mark.parametrize("kind", ["none", "pre", "post", "tensor", "retain", "removed", "leaf", "accumulator",
                                  "post_accumulate"])
def test_hooked_nodes_run_their_hooks(kind: str) -> None:
    assert_same_outputs(_mlp_with_hooks(torch, kind), _mlp_with_hooks(minitorch, kind))


def test_removed_hooks_leave_the_same_gradients_as_none() -> None:
    plain, removed = _mlp_with_hooks(minitorch, "none"), _mlp_with_hooks(minitorch, "removed")
    for a, b in zip(plain, removed):
        assert a._data.tobytes() == b._data.tobytes()


def _several_roots(T: Any) -> list:
    """backward of several roots: two sharing a node, and one that is reached from another root."""
    a = T.arange(1.0, 7.0).reshape(2, 3).requires_grad_()
    b = (a * 2).sin()
    c = b.sum()
    d = (b * b).mean()  # (b is reached from both roots)
    e = b.exp()
    f = e.sum() + d  # (d is a root and is reached from f)
    T.autograd.backward([c, d, f], [T.tensor(1.0), T.tensor(2.0), T.tensor(0.5)])
    g1 = a.grad.clone()
    a.grad = None
    y = a.tanh()
    T.autograd.backward([y, y], [T.ones(2, 3), T.full((2, 3), 3.0)])  # (one node, two root edges)
    return [g1, a.grad]


def test_collect_with_shared_and_nested_roots() -> None:
    assert_same_outputs(_several_roots(torch), _several_roots(minitorch))


def _grad_of_mlp(T: Any) -> list:
    """autograd.grad (the engine's captured path) of an MLP's loss, for a weight and a hidden activation."""
    x = T.arange(12.0).reshape(3, 4) / 10
    w1 = T.arange(20.0).reshape(5, 4).div(20).requires_grad_()
    w2 = T.arange(10.0).reshape(2, 5).div(-10).requires_grad_()
    h = T.nn.functional.linear(x, w1).relu()
    loss = T.nn.functional.cross_entropy(T.nn.functional.linear(h, w2), T.tensor([0, 1, 1]))
    return list(T.autograd.grad(loss, (w1, h)))


def test_captured_backward() -> None:
    assert_same_outputs(_grad_of_mlp(torch), _grad_of_mlp(minitorch))


def _second_chunk_only(T: Any) -> Any:
    """A node of several outputs of which only one has a gradient (its first gradient is None)."""
    x = T.arange(6.0, requires_grad=True)
    _, second = x.split(3)
    (second * second).sum().backward()
    return x.grad


def test_node_whose_first_gradient_is_none() -> None:
    assert_same_outputs(_second_chunk_only(torch), _second_chunk_only(minitorch))


def test_anomaly_mode_names_the_node_that_made_nan() -> None:
    def nan_in_backward(T: Any) -> None:
        x = T.zeros(1, requires_grad=True)
        with T.autograd.detect_anomaly():
            (x.sqrt() * 0).sum().backward()
    with pytest.warns(UserWarning):
        check_error(nan_in_backward)


@pytest.mark.parametrize("loss", ["nll_loss", "cross_entropy"])
@pytest.mark.parametrize("weight_grad", [False, True])
def test_class_weight_requiring_grad(loss: str, weight_grad: bool) -> None:
    """nll_loss checks its weight only when it is given: one requiring grad is still refused as torch refuses it."""
    def weighted(T: Any) -> Any:
        x = T.arange(12.0).reshape(3, 4).div(7).requires_grad_()
        w = T.tensor([1.0, 2.0, 0.5, 1.5], requires_grad=weight_grad)
        out = getattr(T.nn.functional, loss)(x, T.tensor([0, 3, 1]), weight=w)
        out.backward()
        return out, x.grad
    if weight_grad:
        check_error(weighted)
    else:
        assert_same_outputs(weighted(torch), weighted(minitorch))
