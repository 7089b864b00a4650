"""Session 18's changes on the training step's path agree with torch.

- The engine (``run_backward``) and the optimizers' group loop (``_step_groups``) silence NumPy's warnings with
  ``np.errstate`` as a decorator (one frame, where the ``with`` block was three): gradients and updates that
  overflow or turn NaN still warn nothing, as torch's kernels; a closure's own NumPy code still warns, as it does
  next to torch (the closure runs outside the decorated loop).
- Anomaly mode's forward traceback leaves out the decorator's wrapper frame when it calls into minitorch (nodes
  recorded inside a ``create_graph`` backward or a differentiable optimizer step), and keeps it when it wraps a
  user's own function.
- The step's trajectory is unchanged (``test_step_paths16``'s hash).
"""
from __future__ import annotations

import os
import re
import warnings
from typing import Any

import numpy as np
import pytest
import torch

import minitorch
from harness import assert_same_outputs, assert_same_warnings
from transcript import check_scenario


def _overflowing_step(T: Any) -> list:
    """A backward whose gradients overflow to inf and NaN, then SGD steps whose updates overflow."""
    w = T.nn.Parameter(T.tensor([[3e38, -3e38], [1.0, 2.0]]))
    b = T.nn.Parameter(T.tensor([3e38, 0.0]))
    opt = T.optim.SGD([w, b], lr=1e30, momentum=0.9)
    x = T.tensor([[1e30, -1e30], [0.0, 1.0]])
    for _ in range(2):
        opt.zero_grad()
        loss = (x @ w.t() + b).exp().sum() * 1e38
        loss.backward()
        opt.step()
    return [loss, w, b, w.grad, b.grad, opt.state[w]["momentum_buffer"]]


def test_overflowing_backward_and_step_warn_nothing() -> None:
    assert assert_same_warnings(_overflowing_step) == []
    assert_same_outputs(_overflowing_step(torch), _overflowing_step(minitorch))


def _closure_step(T: Any) -> Any:
    p = T.nn.Parameter(T.tensor([1.0, -2.0]))
    opt = T.optim.SGD([p], lr=0.5, momentum=0.9)

    def closure() -> Any:
        opt.zero_grad()
        np.float32(3e38) * np.float32(10)  # the user's own NumPy overflow: NumPy warns, torch or not
        loss = (p * p).sum()
        loss.backward()
        return loss
    for _ in range(2):
        opt.step(closure)
    return p


@pytest.mark.filterwarnings("ignore:overflow encountered in scalar multiply")
def test_closure_numpy_warnings_are_the_users() -> None:
    assert assert_same_warnings(_closure_step) == [("RuntimeWarning", "overflow encountered in scalar multiply")] * 2
    assert_same_outputs(_closure_step(torch), _closure_step(minitorch))


def test_anomaly_traceback_keeps_a_users_errstate_frame() -> None:
    """The forward made inside the user's own ``np.errstate``-decorated function: its wrapper frame is in the
    reported traceback, in torch as in minitorch; the backward's own wrapper is not."""
    def scenario(T: Any, log: Any) -> None:
        x = T.tensor([0.0, 1.0], requires_grad=True)

        @np.errstate(all="ignore")
        def forward() -> Any:
            return (x.sqrt() * 0).sum()
        with T.autograd.detect_anomaly():
            log.attempt(lambda: forward().backward())
    check_scenario(scenario)


def _anomaly_frames(T: Any) -> list:
    """The frames of the forward traceback anomaly mode reports for a node a differentiable SGD step recorded (a
    tensor lr: the update's product gets inf * 0 = NaN in backward), without the library's own frames (torch's
    Python optimizer code; minitorch's are left out by anomaly mode itself)."""
    lr = T.tensor(0.1, requires_grad=True)
    q = T.tensor([0.0, 1.0], requires_grad=True).clone()
    q.grad = T.tensor([float("inf"), 1.0])
    with warnings.catch_warnings(record=True) as caught, T.autograd.detect_anomaly():
        warnings.simplefilter("always")
        T.optim.SGD([q], lr=lr, differentiable=True).step()
        with pytest.raises(RuntimeError, match="returned nan values"):
            (q * 0).sum().backward()
    report, = (str(w.message) for w in caught if "Traceback of forward call" in str(w.message))
    frames = re.findall(r'  File "([^"]*)", line (\d+), in (\S+)', report)
    return [f for f in frames if not f[0].startswith(os.path.dirname(T.__file__))]


def test_anomaly_traceback_of_a_differentiable_step() -> None:
    """The step runs inside the group loop's errstate wrapper: the report shows the user's frames, as torch's."""
    frames, expected = [_anomaly_frames(T) for T in (minitorch, torch)]  # (one call site: the same line numbers)
    assert frames == expected
    assert frames[-1][0] == __file__
