"""Differential tests of minitorch.optim.lr_scheduler: the lr (and momentum) trajectory of each
schedule, step by step and to the last bit, ``get_last_lr``, ``state_dict``, warnings and errors."""
from __future__ import annotations

import warnings

import pytest
import torch

import minitorch
from harness import check_error

EPOCHS = 40


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
        self.calls = 0

    def __call__(self, epoch: int) -> float:
        self.calls += 1
        return self.base ** epoch


def lr_scheduler(T):
    return T.optim.lr_scheduler


SCHEDULES = {
    "StepLR": lambda T, o: lr_scheduler(T).StepLR(o, step_size=3, gamma=0.5),
    "MultiStepLR": lambda T, o: lr_scheduler(T).MultiStepLR(o, milestones=[2, 5, 5, 9, 30], gamma=0.3),
    "ExponentialLR": lambda T, o: lr_scheduler(T).ExponentialLR(o, gamma=0.9),
    "CosineAnnealingLR": lambda T, o: lr_scheduler(T).CosineAnnealingLR(o, T_max=4, eta_min=0.001),
    "LambdaLR": lambda T, o: lr_scheduler(T).LambdaLR(o, lambda e: 1 / (e + 1)),
    "LambdaLR-object": lambda T, o: lr_scheduler(T).LambdaLR(o, [Scale(0.9), Scale(0.8)]),
    "MultiplicativeLR": lambda T, o: lr_scheduler(T).MultiplicativeLR(o, lambda e: 0.95 if e % 3 else 1.01),
    "MultiplicativeLR-object": lambda T, o: lr_scheduler(T).MultiplicativeLR(o, [Scale(0.99), Scale(1.0)]),
    "ConstantLR": lambda T, o: lr_scheduler(T).ConstantLR(o, factor=0.3, total_iters=7),
    "LinearLR": lambda T, o: lr_scheduler(T).LinearLR(o, start_factor=0.1, end_factor=0.8, total_iters=13),
    "PolynomialLR": lambda T, o: lr_scheduler(T).PolynomialLR(o, total_iters=25, power=2.0),
    "CosineAnnealingWarmRestarts": lambda T, o: lr_scheduler(T).CosineAnnealingWarmRestarts(
        o, T_0=3, T_mult=2, eta_min=0.01),
    "CosineAnnealingWarmRestarts-constant": lambda T, o: lr_scheduler(T).CosineAnnealingWarmRestarts(o, T_0=7),
    "CyclicLR": lambda T, o: lr_scheduler(T).CyclicLR(o, base_lr=0.01, max_lr=[0.1, 0.2], step_size_up=4),
    "CyclicLR-triangular2": lambda T, o: lr_scheduler(T).CyclicLR(
        o, base_lr=[0.01, 0.02], max_lr=0.1, step_size_up=3, step_size_down=5, mode="triangular2",
        base_momentum=0.7, max_momentum=0.95),
    "CyclicLR-exp_range": lambda T, o: lr_scheduler(T).CyclicLR(
        o, 0.001, 0.1, step_size_up=5, mode="exp_range", gamma=0.97, cycle_momentum=False),
    "CyclicLR-scale_fn": lambda T, o: lr_scheduler(T).CyclicLR(
        o, 0.001, 0.1, step_size_up=2, scale_fn=Scale(0.9), scale_mode="iterations"),
    "OneCycleLR": lambda T, o: lr_scheduler(T).OneCycleLR(o, max_lr=1.0, total_steps=EPOCHS + 1),
    "OneCycleLR-linear": lambda T, o: lr_scheduler(T).OneCycleLR(
        o, max_lr=[1.0, 0.5], epochs=4, steps_per_epoch=11, anneal_strategy="linear", three_phase=True),
    "OneCycleLR-no-momentum": lambda T, o: lr_scheduler(T).OneCycleLR(
        o, max_lr=0.3, total_steps=50, cycle_momentum=False, pct_start=0.5, div_factor=10.0),
    "SequentialLR": lambda T, o: lr_scheduler(T).SequentialLR(
        o, [lr_scheduler(T).LinearLR(o, start_factor=0.2, total_iters=5),
            lr_scheduler(T).ExponentialLR(o, gamma=0.9), lr_scheduler(T).CosineAnnealingLR(o, T_max=6)],
        milestones=[5, 20]),
    "ChainedScheduler": lambda T, o: lr_scheduler(T).ChainedScheduler(
        [lr_scheduler(T).ConstantLR(o, factor=0.5, total_iters=4), lr_scheduler(T).ExponentialLR(o, gamma=0.95),
         lr_scheduler(T).MultiStepLR(o, milestones=[10, 25])], optimizer=o),
    "ChainedScheduler-of-SequentialLR": lambda T, o: lr_scheduler(T).ChainedScheduler(
        [lr_scheduler(T).SequentialLR(o, [lr_scheduler(T).ConstantLR(o, factor=0.5, total_iters=3),
                                          lr_scheduler(T).StepLR(o, 4)], milestones=[6]),
         lr_scheduler(T).ExponentialLR(o, gamma=0.97)]),
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
    return lrs, momenta, sched.state_dict(), opt.state_dict()["param_groups"], repr(opt)


@pytest.mark.parametrize("kind", ["SGD", "Adam"])
@pytest.mark.parametrize("name", list(SCHEDULES))
def test_trajectory_and_state(name, kind):
    assert trajectory(minitorch, name, kind) == trajectory(torch, name, kind)


@pytest.mark.parametrize("name", ["StepLR", "MultiStepLR", "ExponentialLR", "CosineAnnealingLR", "ConstantLR",
                                  "LinearLR", "PolynomialLR", "LambdaLR-object", "MultiplicativeLR-object",
                                  "CyclicLR-scale_fn", "SequentialLR"])
def test_closed_form_with_epoch_and_resume(name):
    """``step(epoch)`` (closed form, with its deprecation warning), then a scheduler resumed from the
    state_dict continues the same trajectory."""
    def run(T):
        opt = optimizer(T, groups=2)
        sched = SCHEDULES[name](T, opt)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            for epoch in (3, 7, 8):
                opt.step()
                if name == "SequentialLR":
                    sched.step()  # takes no epoch
                else:
                    sched.step(epoch)
        out = [sched.get_last_lr(), [str(w.message) for w in caught]]
        saved = sched.state_dict()
        resumed = SCHEDULES[name](T, opt)
        resumed.load_state_dict(saved)
        for _ in range(4):
            resumed.step()
            out.append(resumed.get_last_lr())
        fresh = SCHEDULES[name](T, optimizer(T, groups=2))  # resuming with last_epoch needs 'initial_lr'
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
            sched.step()  # warned once only
        return [(w.category.__name__, str(w.message)) for w in caught]
    assert run(minitorch) == run(torch)


def test_warning_when_optimizer_step_is_replaced():
    def run(T):
        opt = optimizer(T)
        sched = T.optim.lr_scheduler.ExponentialLR(opt, 0.5)
        opt.step = lambda closure=None: None  # e.g. patched by a training framework
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            opt.step()
            sched.step()
        return [str(w.message) for w in caught], sched.get_last_lr()
    assert run(minitorch) == run(torch)


@pytest.mark.parametrize("T_mult", [1, 2, 3])
def test_warm_restarts_fractional_epochs(T_mult):
    """CosineAnnealingWarmRestarts.step(epoch) places fractional epochs in their period, and then
    steps on from the last one."""
    def run(T):
        opt = optimizer(T, groups=2)
        sched = T.optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=4, T_mult=T_mult, eta_min=0.005)
        out = []
        for epoch in (0.5, 1.25, 3.99, 4.0, 7.5, 13.2, 30.7, 2.0):
            opt.step()
            sched.step(epoch)
            out.append((sched.get_last_lr(), sched.T_cur, sched.T_i, sched.last_epoch))
        sched.step()
        out.append((sched.get_last_lr(), sched.state_dict()))
        return out
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


def sequential_of(T, make, milestones=(3,)):
    opt = optimizer(T)
    return T.optim.lr_scheduler.SequentialLR(opt, [T.optim.lr_scheduler.ConstantLR(opt), make(opt)],
                                             milestones=list(milestones))


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
    lambda T: T.optim.lr_scheduler.MultiplicativeLR(optimizer(T), 0.9),
    lambda T: T.optim.lr_scheduler.MultiplicativeLR(optimizer(T), [lambda e: 1.0] * 3),
    lambda T: T.optim.lr_scheduler.ConstantLR(optimizer(T), factor=1.5),
    lambda T: T.optim.lr_scheduler.LinearLR(optimizer(T), start_factor=0),
    lambda T: T.optim.lr_scheduler.LinearLR(optimizer(T), end_factor=1.5),
    lambda T: T.optim.lr_scheduler.CosineAnnealingWarmRestarts(optimizer(T), T_0=0),
    lambda T: T.optim.lr_scheduler.CosineAnnealingWarmRestarts(optimizer(T), T_0=2.5),
    lambda T: T.optim.lr_scheduler.CosineAnnealingWarmRestarts(optimizer(T), T_0=2, T_mult=0),
    lambda T: T.optim.lr_scheduler.CosineAnnealingWarmRestarts(optimizer(T), T_0=2, eta_min="0"),
    lambda T: T.optim.lr_scheduler.CosineAnnealingWarmRestarts(optimizer(T), T_0=2).step(-1),
    lambda T: T.optim.lr_scheduler.CyclicLR(optimizer(T), 0.1, 1.0, mode="sawtooth"),
    lambda T: T.optim.lr_scheduler.CyclicLR(optimizer(T), [0.1, 0.2], 1.0),
    lambda T: T.optim.lr_scheduler.CyclicLR(T.optim.Adagrad([T.zeros(1, requires_grad=True)]), 0.1, 1.0),
    lambda T: T.optim.lr_scheduler.SequentialLR(optimizer(T), [], milestones=[]),
    lambda T: T.optim.lr_scheduler.SequentialLR(optimizer(T), [object()], milestones=[]),
    lambda T: sequential_of(T, lambda o: T.optim.lr_scheduler.ReduceLROnPlateau(o)),
    lambda T: sequential_of(T, lambda o: T.optim.lr_scheduler.StepLR(optimizer(T), 2)),
    lambda T: sequential_of(T, lambda o: T.optim.lr_scheduler.StepLR(o, 2), milestones=[1, 2]),
    lambda T: T.optim.lr_scheduler.ChainedScheduler([]),
    lambda T: T.optim.lr_scheduler.ChainedScheduler([T.optim.lr_scheduler.ReduceLROnPlateau(optimizer(T))]),
    lambda T: T.optim.lr_scheduler.LRScheduler(optimizer(T)),
])
def test_errors(make):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check_error(lambda T: make(T))


def test_user_defined_scheduler():
    """A torch-style subclass of LRScheduler: get_lr from the epoch, and a closed form."""
    def run(T):
        class Halving(T.optim.lr_scheduler.LRScheduler):
            def get_lr(self):
                return [base * 0.5 ** (self.last_epoch // 2) for base in self.base_lrs]

        opt = optimizer(T, groups=2)
        sched = Halving(opt)
        lrs = []
        for _ in range(7):
            opt.step()
            sched.step()
            lrs.append(sched.get_last_lr())
        return lrs, sched.state_dict()
    assert run(minitorch) == run(torch)


@pytest.mark.parametrize("name", ["StepLR", "CosineAnnealingLR", "LinearLR", "CyclicLR", "OneCycleLR",
                                  "SequentialLR"])
def test_tensor_lr(name):
    """An lr given as a tensor stays that tensor: schedules fill it in place."""
    def run(T):
        lr = T.tensor(0.1)
        opt = T.optim.Adam([{"params": [T.zeros(2, requires_grad=True)], "lr": lr},
                            {"params": [T.zeros(2, requires_grad=True)], "lr": T.tensor(0.2)}])
        sched = SCHEDULES[name](T, opt)
        lrs = []
        for _ in range(12):
            opt.step()
            sched.step()
            lrs.append([float(v) for v in sched.get_last_lr()])
        same = opt.param_groups[0]["lr"] is lr
        return lrs, same, [type(v).__name__ for v in sched.get_last_lr()], repr(opt)
    assert run(minitorch) == run(torch)
