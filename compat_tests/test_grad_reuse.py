"""Gradients the engine reuses rather than copies (as torch's AccumulateGrad and InputBuffer do): an unshared
gradient becomes the leaf's ``.grad`` itself, and an unshared buffered gradient takes later ones summed in place.

A wrong reuse would alias two tensors the user can see. Each program below runs its backward, then writes every
leaf's ``.grad`` (and every other tensor it returns) in place, and returns all of them: any aliasing in minitorch
shows up as values that differ from torch's.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pytest
import torch

import minitorch
from harness import assert_same_outputs


def _leaves(T: Any, *shapes: tuple) -> list:
    rng = np.random.default_rng(0)
    return [T.tensor(rng.standard_normal(s).astype(np.float32), requires_grad=True) for s in shapes]


def _scribble(*tensors: Any) -> tuple:
    """Write each tensor in place (in turn, so that an alias of an earlier one is visible), then return them."""
    for i, t in enumerate(tensors):
        t.add_(10.0 ** i)
    return tensors


def same_gradient_to_two_leaves(T: Any) -> tuple:
    a, b = _leaves(T, (3,), (3,))
    (a + b).backward(T.ones(3) * 2)
    return _scribble(a.grad, b.grad)


def leaf_used_twice(T: Any) -> tuple:
    (x,) = _leaves(T, (4,))
    (x * 2 + x * 3).sum().backward()
    return _scribble(x.grad)


def hook_keeps_the_gradient(T: Any) -> tuple:
    (x,) = _leaves(T, (3,))
    kept = []
    x.register_hook(lambda g: kept.append(g))
    (x * 2).backward(T.ones(3))
    return _scribble(x.grad, kept[0])


def hook_keeps_a_buffered_gradient(T: Any) -> tuple:
    (x,) = _leaves(T, (3,))
    a = x * 2
    c = a * 4
    b = a + 0  # (runs before c's node, and passes the kept gradient itself on to a's buffer)
    kept = []
    b.register_hook(lambda g: kept.append(g))
    (b * 3 + c).backward(T.ones(3))
    return _scribble(x.grad, kept[0])


def retained_intermediate_gradient(T: Any) -> tuple:
    (x,) = _leaves(T, (2, 3))
    y = x.clone()
    y.retain_grad()
    (y * 5).backward(T.ones(2, 3))
    return _scribble(x.grad, y.grad)


def user_gradient_passed_through(T: Any) -> tuple:
    (x,) = _leaves(T, (3,))
    g = T.ones(3) * 7
    (x + 0).backward(g)
    return _scribble(x.grad, g)


def linear_weight_and_input(T: Any) -> tuple:
    w, b, x = _leaves(T, (4, 3), (4,), (2, 3))
    T.nn.functional.linear(x, w, b).sum().backward()
    return _scribble(w.grad, b.grad, x.grad)


def second_backward_accumulates(T: Any) -> tuple:
    w, x = _leaves(T, (3, 3), (2, 3))
    loss = (x @ w.t()).pow(2).sum()
    loss.backward(retain_graph=True)
    first = w.grad.clone()
    loss.backward()
    return _scribble(w.grad, x.grad, first)


def slices_summed(T: Any) -> tuple:
    (x,) = _leaves(T, (5,))
    kept = []
    s0 = x[0]
    s0.register_hook(lambda g: kept.append(g))
    (s0 + x[1] + x[1] + x[4]).backward()
    return _scribble(x.grad, kept[0])


def autograd_grad_and_accumulate(T: Any) -> tuple:
    a, b = _leaves(T, (3,), (3,))
    (ga,) = T.autograd.grad((a * b).sum(), [a], retain_graph=False)
    (a * b).sum().backward()
    return _scribble(ga, a.grad, b.grad)


PROGRAMS = [same_gradient_to_two_leaves, leaf_used_twice, hook_keeps_the_gradient, hook_keeps_a_buffered_gradient,
            retained_intermediate_gradient, user_gradient_passed_through, linear_weight_and_input,
            second_backward_accumulates, slices_summed, autograd_grad_and_accumulate]


@pytest.mark.parametrize("program", PROGRAMS, ids=lambda p: p.__name__)
def test_reused_gradients_never_alias(program: Callable[[Any], tuple]) -> None:
    assert_same_outputs(program(torch), program(minitorch))


_UNSHARED_GRADIENT = """
import weakref
import minitorch
made = []

class Double(minitorch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2

    @staticmethod
    def backward(ctx, g):
        out = g * 2
        made.append(weakref.ref(out))
        return out

x = minitorch.ones(3, requires_grad=True)
Double.apply(x).backward(minitorch.ones(3))
assert made[0]() is x.grad
"""


def test_an_unshared_gradient_becomes_the_grad_itself() -> None:
    """As torch's AccumulateGrad: a gradient nothing else holds is stored, not copied. (torch's own Python object for
    it dies with backward, so this checks minitorch's mechanism alone, in a fresh interpreter: under pytest-xdist a
    worker's earlier test files left a reference to the gradient in one run of the suite, not found.)"""
    root = Path(minitorch.__file__).parent.parent
    run = subprocess.run([sys.executable, "-c", _UNSHARED_GRADIENT], cwd=root, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
