"""Small autograd pieces as torch's (issue 10): hooks on a leaf's AccumulateGrad node, and the warning when a
tensor requiring grad becomes a Python float."""
from __future__ import annotations

import subprocess
import sys
from typing import Any

import torch

import minitorch


def _accumulate_grad_hooks(T: Any, modify: bool) -> tuple:
    a = T.ones(3, requires_grad=True)
    y = (a * 2).sum()
    acc = y.grad_fn.next_functions[0][0].next_functions[0][0]
    log: list = []
    acc.register_hook(lambda grad_inputs, grad_outputs: log.append(
        ("hook", len(grad_inputs), [g.tolist() for g in grad_outputs])))
    acc.register_prehook(lambda grad_outputs: (log.append(("pre", [g.tolist() for g in grad_outputs])),
                                               (grad_outputs[0] * 10,) if modify else None)[1])
    y.backward()
    T.autograd.grad((a * 3).sum(), a)  # autograd.grad does not accumulate: no hook runs
    return type(acc).__name__, log, a.grad.tolist()


def test_hooks_on_accumulate_grad_nodes() -> None:
    for modify in (False, True):
        assert _accumulate_grad_hooks(minitorch, modify) == _accumulate_grad_hooks(torch, modify)


_FLOAT_OF_REQUIRES_GRAD = """
import warnings, {lib} as T
warnings.simplefilter("always")
a = T.tensor(1.5, requires_grad=True)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    float(a); float(a); int(a); a.item(); bool(a)
print([str(w.message) for w in caught])
"""


def test_float_of_a_tensor_requiring_grad_warns_once() -> None:
    """A fresh interpreter each: torch warns once per process, and a test run has usually warned already."""
    out = [subprocess.run([sys.executable, "-c", _FLOAT_OF_REQUIRES_GRAD.format(lib=lib)], capture_output=True,
                          text=True, check=True).stdout for lib in ("torch", "minitorch")]
    assert out[1] == out[0] and "requires_grad=True" in out[0]
