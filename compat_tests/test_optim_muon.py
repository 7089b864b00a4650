"""Differential tests of torch.optim.Muon (50-step trajectories, state, repr, errors) and
torch.optim.swap_in_optimizer_params_and_state, against real torch."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import minitorch
from harness import assert_same_error, assert_same_value
from test_optim import ATOL, RTOL, STATE_ATOL, STATE_RTOL, TensorArg, assert_same_tree, build_kw, to_mini



@pytest.fixture(autouse=True)
def one_torch_thread():
    """torch's bfloat16 matmuls in Newton-Schulz spend ~100 ms a call waiting on OpenMP threads when the cores
    are shared (as in the suite); one thread makes them take microseconds. Restored afterwards."""
    saved = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(saved)


_RNG = np.random.default_rng(7)
WEIGHTS = [_RNG.standard_normal(s).astype(np.float32) for s in ((6, 4), (3, 5), (4, 4))]
_X = _RNG.standard_normal((8, 6)).astype(np.float32)


def loss_of(T, params):
    w, v, u = params
    hidden = (T.tensor(_X).to(w.dtype) @ w).tanh() @ u
    return hidden.pow(2).mean() + (v - 0.3).pow(2).sum() + (w * u.sum(0)).sum() * 0.1


def descend(T, kw, weights=WEIGHTS, steps=50):
    params = [T.tensor(w.copy(), requires_grad=True) for w in weights]
    opt = T.optim.Muon(params, **build_kw(T, kw))
    trajectory = []
    for _ in range(steps):
        opt.zero_grad()
        loss_of(T, params).backward()
        opt.step()
        trajectory.append([p.detach().clone() for p in params])
    return opt, trajectory


CASES = [
    dict(),
    dict(lr=0.02, nesterov=False),
    dict(lr=0.05, weight_decay=0.0, adjust_lr_fn="match_rms_adamw"),
    dict(lr=TensorArg(0.01), momentum=0.9, adjust_lr_fn="original", ns_steps=3),
    dict(lr=0.02, ns_coefficients=(2.0, -1.5, 0.5), eps=1e-5, weight_decay=0.01),
    dict(lr=0.0, momentum=0.0),
]


@pytest.mark.parametrize("kw", CASES, ids=lambda kw: "-".join(f"{k}={v}" for k, v in kw.items()) or "default")
def test_trajectory_state_and_repr(kw):
    """torch orthogonalises in bfloat16 (emulated here: see minitorch/optim/muon.py); the updates, and so the
    parameters, agree to float32 rounding."""
    t_opt, t_traj = descend(torch, kw)
    m_opt, m_traj = descend(minitorch, kw)
    for step, (t_params, m_params) in enumerate(zip(t_traj, m_traj)):
        for i, (e, g) in enumerate(zip(t_params, m_params)):
            assert_same_value(e, g, RTOL, ATOL, "step %d param %d" % (step, i))
    assert_same_tree(t_opt.state_dict(), m_opt.state_dict(), rtol=STATE_RTOL, atol=STATE_ATOL)
    assert repr(m_opt) == repr(t_opt)


def test_float64_parameters_and_state_dict_round_trip():
    weights = [w.astype(np.float64) for w in WEIGHTS]
    t_opt, t_traj = descend(torch, dict(lr=0.02), weights, steps=10)
    m_opt, m_traj = descend(minitorch, dict(lr=0.02), weights, steps=10)
    for e, g in zip(t_traj[-1], m_traj[-1]):
        assert_same_value(e, g, 1e-12, 1e-12, "float64 param")
    m_params = [minitorch.tensor(p.numpy().copy(), requires_grad=True) for p in t_traj[-1]]
    fresh = minitorch.optim.Muon(m_params, lr=0.02)
    fresh.load_state_dict(to_mini(t_opt.state_dict()))
    assert_same_tree(t_opt.state_dict(), fresh.state_dict())


def _both(fn):
    """``fn(T)`` under both libraries: the same result, or the same exception."""
    results = []
    for T in (torch, minitorch):
        try:
            results.append((fn(T), None))
        except Exception as e:  # noqa: BLE001 - compared below
            results.append((None, e))
    (expected, t_err), (got, m_err) = results
    if t_err is not None:
        assert_same_error(t_err, m_err)
    else:
        assert m_err is None, "minitorch raised %r" % m_err
    return expected, got


def _stepped(T, **kw):
    p = T.tensor(WEIGHTS[0].copy(), requires_grad=True)
    opt = T.optim.Muon([p], **kw)
    p.grad = T.ones_like(p)
    opt.step()
    return p.detach()


@pytest.mark.parametrize("make", [
    lambda T: T.optim.Muon([T.ones(3, requires_grad=True)]),
    lambda T: T.optim.Muon([T.ones(2, 2, requires_grad=True)], lr=-1.0),
    lambda T: T.optim.Muon([T.ones(2, 2, requires_grad=True)], lr=T.tensor([0.1, 0.2])),
    lambda T: T.optim.Muon([T.ones(2, 2, requires_grad=True)], momentum=-0.5),
    lambda T: T.optim.Muon([T.ones(2, 2, requires_grad=True)], weight_decay=-0.1),
    lambda T: T.optim.Muon([T.ones(2, 2, requires_grad=True)], adjust_lr_fn="other"),
    lambda T: _stepped(T, ns_steps=100),
    lambda T: _stepped(T, ns_coefficients=(1.0, 2.0)),
    lambda T: _stepped(T, lr=0.1),
])
def test_errors(make):
    expected, got = _both(make)
    if expected is not None:
        assert_same_value(expected, got, RTOL, ATOL, "param")


def _swap_scenario(T, mutate=None):
    """Step a live Muon once, then step swapped-in copies inside the context: the copies move, the live
    optimizer's parameters, hyperparameters and state come back unchanged."""
    live = [T.tensor(w.copy(), requires_grad=True) for w in WEIGHTS[:2]]
    opt = T.optim.Muon(live, lr=0.02)
    for p in live:
        p.grad = T.ones_like(p)
    opt.step()
    state_dict = opt.state_dict()
    swap_in = {"a": T.tensor(WEIGHTS[0] * 2, requires_grad=True), "b": T.tensor(WEIGHTS[1] * 2, requires_grad=True)}
    for p in swap_in.values():
        p.grad = T.full_like(p, 0.5)
    swapped = {"state": {k: {n: v.clone() for n, v in s.items()} for k, s in state_dict["state"].items()},
               "param_groups": [dict(g, lr=0.1) for g in state_dict["param_groups"]]}
    if mutate is not None:
        mutate(T, swapped, swap_in)
    with T.optim.swap_in_optimizer_params_and_state(opt, swap_in, swapped):
        inside_lr = opt.param_groups[0]["lr"]
        opt.step()
    return (inside_lr, opt.param_groups[0]["lr"], [p.detach() for p in swap_in.values()],
            [s["momentum_buffer"] for s in swapped["state"].values()], [p.detach() for p in live],
            opt.param_groups[0]["params"][0] is live[0])


def _assert_same_scenario(expected, got):
    assert expected[0] == got[0] and expected[1] == got[1] and expected[5] == got[5]
    for e, g in zip(expected[2] + expected[3] + expected[4], got[2] + got[3] + got[4]):
        assert_same_value(e, g, RTOL, ATOL, "tensor")


def test_swap_in_optimizer_params_and_state():
    _assert_same_scenario(*_both(_swap_scenario))


@pytest.mark.parametrize("mutate", [
    lambda T, sd, params: sd.__setitem__("state", []),
    lambda T, sd, params: sd.__setitem__("state", {T.ones(1): {}}),
    lambda T, sd, params: sd.__setitem__("state", {0: 1.0}),
    lambda T, sd, params: sd.__setitem__("param_groups", {}),
    lambda T, sd, params: sd.__setitem__("param_groups", sd["param_groups"] * 2),
    lambda T, sd, params: sd["param_groups"].__setitem__(0, [1]),
    lambda T, sd, params: sd["param_groups"][0].__setitem__("params", ["a", "b"]),
    lambda T, sd, params: sd["param_groups"][0].__setitem__("params", [0]),
    lambda T, sd, params: sd["param_groups"][0].__setitem__("extra", 1),
    lambda T, sd, params: sd["state"].__setitem__(5, {}),
    lambda T, sd, params: params.pop("b"),
])
def test_swap_in_errors(mutate):
    _both(lambda T: _swap_scenario(T, mutate))
    _both(lambda T: T.optim.swap_in_optimizer_params_and_state(
        T.optim.Muon([T.ones(2, 2, requires_grad=True)]), {}, {}).__enter__())
    _both(lambda T: T.optim.swap_in_optimizer_params_and_state(_initialised(T), {}, []).__enter__())


def _initialised(T):
    p = T.ones(2, 2, requires_grad=True)
    opt = T.optim.Muon([p])
    p.grad = T.ones_like(p)
    opt.step()
    return opt
