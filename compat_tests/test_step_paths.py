"""The training step's fast paths give the same bits as the general paths they shortcut, and torch's values.

A training step (forward, loss, backward, optimizer) has shortcuts for its commonest calls; each program here runs
the shortcut and the general path on the same inputs and requires every bit of the results to agree, and runs
under torch as well (compared with the harness's tolerances).
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch

import minitorch
from harness import assert_same_outputs

SGD_OPTIONS = [
    dict(lr=0.1),
    dict(lr=0.1, momentum=0.9),
    dict(lr=0.1, momentum=0.9, dampening=0.5),
    dict(lr=0.05, momentum=0.9, nesterov=True),
    dict(lr=0.1, weight_decay=0.01),
    dict(lr=0.1, momentum=0.5, weight_decay=0.1, maximize=True),
    dict(lr=1.0, momentum=0.9, dampening=0.25, nesterov=False, maximize=True),
]


def _sgd_run(T: Any, options: dict, dtype: str, general: bool = False) -> list:
    """Three SGD steps on two parameters (one float32 matrix, one vector) with fixed gradients; the parameters
    and momentum buffers after each step."""
    rng = np.random.default_rng(1)
    params = [T.tensor(rng.standard_normal(s), dtype=getattr(T, dtype), requires_grad=True) for s in ((5, 3), (3,))]
    opt = T.optim.SGD(params, **options)
    if general:
        opt._update_arrays = None  # every parameter through ``_update`` with ``ArrayMath``
    seen = []
    for step in range(3):
        for p in params:
            p.grad = T.tensor(rng.standard_normal(tuple(p.shape)), dtype=getattr(T, dtype))
        versions = [p._version for p in params]
        opt.step()
        assert [p._version for p in params] == [v + 1 for v in versions]
        seen += [p.detach().clone() for p in params]
        seen += [opt.state[p]["momentum_buffer"].clone() for p in params if "momentum_buffer" in opt.state[p]]
    return seen


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("options", SGD_OPTIONS, ids=str)
def test_sgd_group_update(options: dict, dtype: str) -> None:
    fast = _sgd_run(minitorch, options, dtype)
    general = _sgd_run(minitorch, options, dtype, general=True)
    assert len(fast) == len(general)
    for a, b in zip(fast, general):
        assert a._data.tobytes() == b._data.tobytes()
    assert_same_outputs(_sgd_run(torch, options, dtype), fast)


def test_sgd_group_with_an_integer_parameter_takes_tensor_ops() -> None:
    """A group with a non-float parameter is updated parameter by parameter (torch's errors for integers)."""
    for T in (torch, minitorch):
        p = T.zeros(3, dtype=T.int64)
        p.grad = T.ones(3, dtype=T.int64)
        with pytest.raises(RuntimeError):
            T.optim.SGD([p], lr=0.1, momentum=0.9).step()


def _mlp(T: Any, hooks: bool) -> tuple:
    """A linear-relu-linear step's leaves' gradients and, with ``hooks``, the order in which hooks on the leaves ran
    (a leaf without hooks is accumulated as soon as its one edge is followed; one with hooks goes through the
    queue)."""
    rng = np.random.default_rng(2)
    w1, b1, w2, b2 = (T.tensor(rng.standard_normal(s), dtype=T.float32, requires_grad=True)
                      for s in ((6, 5), (6,), (3, 6), (3,)))
    x, y = T.tensor(rng.standard_normal((4, 5)), dtype=T.float32), T.tensor([0, 2, 1, 2])
    seen: list = []
    if hooks:
        w1.register_hook(lambda g: seen.append("w1") or g * 2)
        b2.register_post_accumulate_grad_hook(lambda p: seen.append(("b2", p.grad.abs().sum().item())))
    for _ in range(2):  # (the second step sums into the kept gradients)
        h = T.nn.functional.linear(x, w1, b1).relu()
        T.nn.functional.cross_entropy(T.nn.functional.linear(h, w2, b2) + 0 * b2, y).backward()
    return w1.grad, b1.grad, w2.grad, b2.grad, seen


@pytest.mark.parametrize("hooks", [False, True])
def test_leaf_gradients_of_a_training_step(hooks: bool) -> None:
    expected, got = _mlp(torch, hooks), _mlp(minitorch, hooks)
    assert_same_outputs(expected[:4], got[:4])
    assert [s[0] if isinstance(s, tuple) else s for s in expected[4]] == [
        s[0] if isinstance(s, tuple) else s for s in got[4]]
    assert np.allclose([s[1] for s in expected[4] if isinstance(s, tuple)],
                       [s[1] for s in got[4] if isinstance(s, tuple)])
