"""Differential tests of minitorch.optim.LBFGS: with and without the strong-Wolfe line search, the
loss each step returns, the parameters after it, and the whole state (curvature history, counters,
the last step length) as torch keeps it.

Each step runs few enough iterations that it stops on ``max_iter`` or ``max_eval``: the tolerance
checks (a loss change below 1e-9...) compare quantities at float32 noise level near convergence,
where the two libraries' last bits decide."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import minitorch
from harness import assert_same_value, check_error
from test_optim import assert_same_tree


# a 35-dimensional bowl, curvatures from 1 to 30, with a quartic term: far from converged after the
# dozen iterations of a test, yet well enough conditioned for float32 to agree
_RNG = np.random.default_rng(30)
_CURVATURE = np.geomspace(1.0, 30.0, 35).astype(np.float32)
_SHIFT = _RNG.standard_normal(35).astype(np.float32)
_W0 = _RNG.standard_normal(30).astype(np.float32)
_B0 = _RNG.standard_normal(5).astype(np.float32)


def run(T, kw: dict, steps: int = 3):
    w, b = T.tensor(_W0.reshape(6, 5), requires_grad=True), T.tensor(_B0, requires_grad=True)
    curvature, shift = T.tensor(_CURVATURE), T.tensor(_SHIFT)
    opt = T.optim.LBFGS([w, b], **kw)

    def closure():
        opt.zero_grad()
        v = T.cat([w.reshape(-1), b])
        loss = (0.5 * curvature * (v - shift) ** 2).sum() + 0.05 * (v ** 4).sum()
        loss.backward()
        return loss
    losses, params = [], []
    for _ in range(steps):
        losses.append(opt.step(closure).detach())
        params.append([w.detach().clone(), b.detach().clone()])
    return losses, params, opt.state_dict(), repr(opt)


@pytest.mark.parametrize("kw", [
    dict(max_iter=4),
    dict(lr=0.5, max_iter=5, history_size=2),
    dict(line_search_fn="strong_wolfe", max_iter=4),
    dict(line_search_fn="strong_wolfe", max_iter=6, max_eval=8, history_size=3),
], ids=lambda kw: "-".join("%s=%s" % item for item in kw.items()))
def test_steps_and_state(kw):
    t_losses, t_params, t_state, t_repr = run(torch, kw)
    m_losses, m_params, m_state, m_repr = run(minitorch, kw)
    for step, (e, g) in enumerate(zip(t_losses, m_losses)):
        assert_same_value(e, g, 1e-5, 1e-6, "loss of step %d" % step)
    for step, (t_step, m_step) in enumerate(zip(t_params, m_params)):
        for i, (e, g) in enumerate(zip(t_step, m_step)):
            assert_same_value(e, g, 1e-4, 1e-5, "step %d param %d" % (step, i))
    # the curvature pairs are differences of gradients as large as 30: float32 leaves them ~1e-5 apart
    assert_same_tree(t_state, m_state, rtol=1e-3, atol=1e-4)
    assert m_repr == t_repr


def test_stops_at_once_when_the_gradient_is_small():
    def run_flat(T):
        w = T.zeros(3, requires_grad=True)
        opt = T.optim.LBFGS([w], tolerance_grad=1e-3)

        def closure():
            opt.zero_grad()
            loss = (w * 1e-4).sum() + 2.0
            loss.backward()
            return loss
        return opt.step(closure).item(), opt.state_dict()
    (t_loss, t_state), (m_loss, m_state) = run_flat(torch), run_flat(minitorch)
    assert m_loss == t_loss
    assert_same_tree(t_state, m_state)


def test_unknown_line_search():
    def run_bad(T):
        w = T.ones(2, requires_grad=True)
        opt = T.optim.LBFGS([w], line_search_fn="armijo")

        def closure():
            opt.zero_grad()
            loss = (w ** 2).sum()
            loss.backward()
            return loss
        opt.step(closure)
    check_error(run_bad)
