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
