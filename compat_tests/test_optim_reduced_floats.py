"""Optimizers on float16 and bfloat16 parameters, against torch: every optimizer's update is computed as torch's
kernels compute it (each op in float32, rounded once to the parameter's dtype), bit for bit, except Adafactor on a
matrix parameter (see minitorch/optim/_adafactor.py: within an ulp or two). Before, SGD and RMSprop's NumPy float16
arithmetic rounded the product and the sum separately (an ulp off), and Adafactor refused bfloat16 parameters
(NumPy does not see ml_dtypes' bfloat16 as a float)."""
from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch

import minitorch

_EXACT = [("SGD", {"lr": 0.1, "momentum": 0.9}), ("SGD", {"lr": 0.1, "momentum": 0.9, "nesterov": True}),
          ("RMSprop", {}), ("RMSprop", {"momentum": 0.5, "centered": True}), ("Adam", {}), ("AdamW", {}),
          ("Adagrad", {}), ("Adamax", {}), ("NAdam", {}), ("RAdam", {}), ("ASGD", {}), ("Rprop", {}),
          ("Adadelta", {}), ("Adafactor", {})]


def _trajectory(T: Any, name: str, dtype: str, options: dict, shapes: tuple, steps: int = 8) -> list:
    T.manual_seed(0)
    params = [T.nn.Parameter(T.randn(*shape).to(getattr(T, dtype))) for shape in shapes]
    optimizer = getattr(T.optim, name)(params, **options)
    seen = []
    for _ in range(steps):
        optimizer.zero_grad()
        loss = sum(((p.float() - 0.5) ** 2).sum() for p in params)
        loss.backward()
        optimizer.step()
        seen.append([np.array(p.detach().float().tolist()) for p in params])
    return seen


@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
@pytest.mark.parametrize("name, options", _EXACT, ids=["%s-%s" % (n, "-".join(o)) for n, o in _EXACT])
def test_updates_bit_for_bit(name: str, options: dict, dtype: str) -> None:
    shapes = ((12,),) if name == "Adafactor" else ((16, 12), (12,))
    ref = _trajectory(torch, name, dtype, options, shapes)
    mine = _trajectory(minitorch, name, dtype, options, shapes)
    for step, (a, b) in enumerate(zip(ref, mine)):
        for x, y in zip(a, b):
            np.testing.assert_array_equal(y, x, err_msg="step %d" % step)


@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
def test_adafactor_matrix_within_two_ulps(dtype: str) -> None:
    ref = _trajectory(torch, "Adafactor", dtype, {}, ((16, 12),))
    mine = _trajectory(minitorch, "Adafactor", dtype, {}, ((16, 12),))
    ulp = 2.0 ** -7 if dtype == "bfloat16" else 2.0 ** -10  # at magnitudes below 2
    for a, b in zip(ref, mine):
        np.testing.assert_allclose(b[0], a[0], rtol=0, atol=2 * ulp * max(1.0, float(np.abs(a[0]).max())))
