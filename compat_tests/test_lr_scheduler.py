"""Differential tests of minitorch.optim.lr_scheduler: the lr (and momentum) trajectory of each
schedule, step by step and to the last bit, ``get_last_lr``, ``state_dict``, warnings and errors."""
from __future__ import annotations

import warnings

import pytest
import torch

import minitorch
from harness import check_error

EPOCHS = 12


def optimizer(T, kind: str = "SGD", groups: int = 1):
    params = [T.zeros(2, requires_grad=True) for _ in range(groups)]
    spec = [{"params": [p], "lr": 0.1 * (i + 1)} for i, p in enumerate(params)]
    if kind == "Adam":
        return T.optim.Adam(spec)
    return T.optim.SGD(spec, momentum=0.9)


class Scale:
    """A callable object: LambdaLR saves its ``__dict__`` in state_dict."""

    def __init__(self, base: float) -> None:
        self.base = base

    def __call__(self, epoch: int) -> float:
        return self.base ** epoch


SCHEDULES = {
    "StepLR": lambda T, o: T.optim.lr_scheduler.StepLR(o, step_size=3, gamma=0.5),
    "MultiStepLR": lambda T, o: T.optim.lr_scheduler.MultiStepLR(o, milestones=[2, 5, 5, 9], gamma=0.3),
    "ExponentialLR": lambda T, o: T.optim.lr_scheduler.ExponentialLR(o, gamma=0.9),
    "CosineAnnealingLR": lambda T, o: T.optim.lr_scheduler.CosineAnnealingLR(o, T_max=4, eta_min=0.001),
    "LambdaLR": lambda T, o: T.optim.lr_scheduler.LambdaLR(o, lambda e: 1 / (e + 1)),
    "LambdaLR-object": lambda T, o: T.optim.lr_scheduler.LambdaLR(o, [Scale(0.9), Scale(0.8)]),
    "OneCycleLR": lambda T, o: T.optim.lr_scheduler.OneCycleLR(o, max_lr=1.0, total_steps=EPOCHS + 1),
    "OneCycleLR-linear": lambda T, o: T.optim.lr_scheduler.OneCycleLR(
        o, max_lr=[1.0, 0.5], epochs=3, steps_per_epoch=5, anneal_strategy="linear", three_phase=True),
    "OneCycleLR-no-momentum": lambda T, o: T.optim.lr_scheduler.OneCycleLR(
        o, max_lr=0.3, total_steps=20, cycle_momentum=False, pct_start=0.5, div_factor=10.0),
}


def trajectory(T, name: str, kind: str) -> tuple:
    opt = optimizer(T, kind, groups=2)
    sched = SCHEDULES[name](T, opt)
    lrs, momenta = [sched.get_last_lr()], []
    for _ in range(EPOCHS):
        opt.step()
        sched.step()
        lrs.append(sched.get_last_lr())
        momenta.append([g.get("momentum", g.get("betas")) for g in opt.param_groups])
    state = sched.state_dict()
    state.pop("lr_lambdas", None) if name == "LambdaLR" else None
    return lrs, momenta, state, opt.state_dict()["param_groups"], repr(opt)


@pytest.mark.parametrize("kind", ["SGD", "Adam"])
@pytest.mark.parametrize("name", list(SCHEDULES))
def test_trajectory_and_state(name, kind):
    assert trajectory(minitorch, name, kind) == trajectory(torch, name, kind)


@pytest.mark.parametrize("name", ["StepLR", "MultiStepLR", "ExponentialLR", "CosineAnnealingLR"])
def test_closed_form_with_epoch_and_resume(name):
    """``step(epoch)`` (closed form, with its deprecation warning), then a scheduler resumed from the
    state_dict continues the same trajectory."""
    def run(T):
        opt = optimizer(T)
        sched = SCHEDULES[name](T, opt)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            for epoch in (3, 7, 8):
                opt.step()
                sched.step(epoch)
        out = [sched.get_last_lr(), [str(w.message) for w in caught]]
        saved = sched.state_dict()
        resumed = SCHEDULES[name](T, opt)
        resumed.load_state_dict(saved)
        for _ in range(4):
            resumed.step()
            out.append(resumed.get_last_lr())
        fresh = SCHEDULES[name](T, optimizer(T))  # resuming with last_epoch needs 'initial_lr'
        out.append(fresh.state_dict())
        return out
    assert run(minitorch) == run(torch)


def test_warnings():
    def run(T):
        opt = optimizer(T)
        sched = T.optim.lr_scheduler.StepLR(opt, 2)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            sched.step()  # before any optimizer.step()
            sched.get_lr()  # called directly
        return [(w.category.__name__, str(w.message)) for w in caught]
    assert run(minitorch) == run(torch)


def test_reduce_lr_on_plateau():
    metrics = [1.0, 0.9, 0.95, 0.95, 0.95, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.2, 0.3, 0.3, 0.3, 0.3]

    def run(T, **kw):
        opt = optimizer(T, groups=2)
        sched = T.optim.lr_scheduler.ReduceLROnPlateau(opt, **kw)
        lrs = []
        for m in metrics:
            sched.step(T.tensor(m))
            lrs.append(sched.get_last_lr())
        return lrs, sched.state_dict()
    for kw in [dict(patience=1), dict(mode="max", patience=0, factor=0.5, threshold_mode="abs"),
               dict(patience=1, cooldown=2, min_lr=[0.05, 0.01]), dict(patience=0, threshold=0.2, eps=0.05)]:
        assert run(minitorch, **kw) == run(torch, **kw), kw


def step_n(sched, n: int) -> None:
    for _ in range(n):
        sched.step()


@pytest.mark.parametrize("make", [
    lambda T: T.optim.lr_scheduler.StepLR(object(), 2),
    lambda T: T.optim.lr_scheduler.StepLR(optimizer(T), 2, last_epoch=3),
    lambda T: T.optim.lr_scheduler.LambdaLR(optimizer(T), [lambda e: 1.0] * 2),
    lambda T: T.optim.lr_scheduler.ReduceLROnPlateau(optimizer(T), factor=1.0),
    lambda T: T.optim.lr_scheduler.ReduceLROnPlateau(optimizer(T), mode="avg"),
    lambda T: T.optim.lr_scheduler.ReduceLROnPlateau(optimizer(T), threshold_mode="pct"),
    lambda T: T.optim.lr_scheduler.ReduceLROnPlateau(optimizer(T), min_lr=[0.1, 0.2]),
    lambda T: T.optim.lr_scheduler.OneCycleLR(optimizer(T), 1.0),
    lambda T: T.optim.lr_scheduler.OneCycleLR(optimizer(T), 1.0, total_steps=0),
    lambda T: T.optim.lr_scheduler.OneCycleLR(optimizer(T), 1.0, epochs=0, steps_per_epoch=3),
    lambda T: T.optim.lr_scheduler.OneCycleLR(optimizer(T), 1.0, total_steps=5, pct_start=1.5),
    lambda T: T.optim.lr_scheduler.OneCycleLR(optimizer(T), 1.0, total_steps=5, anneal_strategy="exp"),
    lambda T: T.optim.lr_scheduler.OneCycleLR(optimizer(T), [1.0, 2.0], total_steps=5),
    lambda T: T.optim.lr_scheduler.OneCycleLR(T.optim.Adagrad([T.zeros(1, requires_grad=True)]), 1.0,
                                              total_steps=5),
    lambda T: step_n(T.optim.lr_scheduler.OneCycleLR(optimizer(T), 1.0, total_steps=2), 3),
])
def test_errors(make):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check_error(lambda T: make(T))
