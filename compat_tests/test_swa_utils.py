"""Differential tests of minitorch.optim.swa_utils: AveragedModel (SWA, EMA, custom averages, with
and without buffers) over a short training run, update_bn, SWALR's lr trajectory, and errors."""
from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch

import minitorch
from harness import assert_same_value, check_error


_RNG = np.random.default_rng(40)
_BATCHES = [_RNG.standard_normal((6, 4)).astype(np.float32) for _ in range(5)]
_TARGETS = [_RNG.standard_normal((6, 2)).astype(np.float32) for _ in range(5)]


def model_of(T):
    """A small model with BatchNorm statistics, its weights set from NumPy so both libraries agree."""
    model = T.nn.Sequential(T.nn.Linear(4, 8), T.nn.BatchNorm1d(8), T.nn.ReLU(), T.nn.Linear(8, 2))
    rng = np.random.default_rng(41)
    with T.no_grad():
        for p in model.parameters():
            p.copy_(T.tensor(rng.standard_normal(tuple(p.shape)).astype(np.float32) * 0.5))
    return model


def train_and_average(T, **averaged_kw):
    model = model_of(T)
    swa = T.optim.swa_utils.AveragedModel(model, **averaged_kw)
    opt = T.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    for x, y in zip(_BATCHES, _TARGETS):
        opt.zero_grad()
        T.nn.functional.mse_loss(model(T.tensor(x)), T.tensor(y)).backward()
        opt.step()
        swa.update_parameters(model)
    swa.eval()
    return swa, swa(T.tensor(_BATCHES[0]))


def assert_same_state(t_state: dict, m_state: dict) -> None:
    assert list(m_state) == list(t_state)
    for key in t_state:
        assert_same_value(t_state[key], m_state[key], 2e-5, 1e-6, key)


def ema(T, decay: float):
    return T.optim.swa_utils.get_ema_multi_avg_fn(decay)


@pytest.mark.parametrize("kw", [
    lambda T: {},
    lambda T: {"use_buffers": True},
    lambda T: {"multi_avg_fn": ema(T, 0.9)},
    lambda T: {"multi_avg_fn": ema(T, 0.7), "use_buffers": True},
    lambda T: {"avg_fn": T.optim.swa_utils.get_ema_avg_fn(0.8)},
    lambda T: {"avg_fn": T.optim.swa_utils.get_swa_avg_fn(), "use_buffers": True},
    lambda T: {"multi_avg_fn": T.optim.swa_utils.get_swa_multi_avg_fn()},
    lambda T: {"avg_fn": lambda averaged, current, n: averaged * 0.5 + current * 0.5},
], ids=["swa", "swa-buffers", "ema", "ema-buffers", "ema-avg_fn", "swa-avg_fn-buffers", "swa-multi", "custom"])
def test_averaged_model(kw):
    t_swa, t_out = train_and_average(torch, **kw(torch))
    m_swa, m_out = train_and_average(minitorch, **kw(minitorch))
    assert_same_state(t_swa.state_dict(), m_swa.state_dict())
    assert_same_value(t_out, m_out, 2e-5, 1e-6, "output of the averaged model")
    assert repr(m_swa) == repr(t_swa)


def test_swa_multi_avg_fn_on_integer_buffers():
    """The running mean of an integer buffer divides by a tensor count: torch's addcdiv refuses."""
    check_error(lambda T: train_and_average(T, multi_avg_fn=T.optim.swa_utils.get_swa_multi_avg_fn(),
                                            use_buffers=True))


@pytest.mark.parametrize("as_pairs", [False, True])
def test_update_bn(as_pairs):
    def run(T):
        model = model_of(T)
        model.eval()
        momentum = model[1].momentum
        loader = [(T.tensor(x), T.tensor(y)) if as_pairs else T.tensor(x) for x, y in zip(_BATCHES, _TARGETS)]
        T.optim.swa_utils.update_bn(loader, model)
        return model.state_dict(), model.training, model[1].momentum == momentum
    (t_state, *t_rest), (m_state, *m_rest) = run(torch), run(minitorch)
    assert_same_state(t_state, m_state)
    assert m_rest == t_rest


def test_update_bn_without_batchnorm_is_a_no_op():
    model = minitorch.nn.Linear(4, 2)
    minitorch.optim.swa_utils.update_bn([minitorch.ones(3, 4)], model)  # the loader is not even read
    torch_model = torch.nn.Linear(4, 2)
    torch.optim.swa_utils.update_bn([torch.ones(3, 4)], torch_model)
    assert model.training == torch_model.training


@pytest.mark.parametrize("kw", [dict(swa_lr=0.05), dict(swa_lr=[0.05, 0.5], anneal_epochs=4, anneal_strategy="linear"),
                                dict(swa_lr=0.01, anneal_epochs=0), dict(swa_lr=0.2, anneal_epochs=3, last_epoch=-1)])
def test_swalr(kw):
    def run(T):
        params = [T.zeros(2, requires_grad=True), T.zeros(3, requires_grad=True)]
        opt = T.optim.SGD([{"params": params[:1]}, {"params": params[1:], "lr": 0.3}], lr=0.1, momentum=0.9)
        cosine = T.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=10)
        lrs = []
        for _ in range(4):  # the usual recipe: a schedule first, SWALR for the last epochs
            opt.step()
            cosine.step()
        swa = T.optim.swa_utils.SWALR(opt, **kw)
        for _ in range(15):
            opt.step()
            swa.step()
            lrs.append(swa.get_last_lr())
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            swa.get_lr()
        resumed = T.optim.swa_utils.SWALR(opt, **kw)
        resumed.load_state_dict(swa.state_dict())
        resumed.step()
        return lrs, [str(w.message) for w in caught], swa.state_dict(), resumed.get_last_lr(), repr(opt)
    assert run(minitorch) == run(torch)


@pytest.mark.parametrize("make", [
    lambda T, o: T.optim.swa_utils.SWALR(o, swa_lr=0.1, anneal_strategy="exp"),
    lambda T, o: T.optim.swa_utils.SWALR(o, swa_lr=0.1, anneal_epochs=-1),
    lambda T, o: T.optim.swa_utils.SWALR(o, swa_lr=0.1, anneal_epochs=2.5),
    lambda T, o: T.optim.swa_utils.SWALR(o, swa_lr=[0.1, 0.2]),
    lambda T, o: T.optim.swa_utils.get_ema_multi_avg_fn(1.5),
    lambda T, o: T.optim.swa_utils.get_ema_avg_fn(-0.1),
    lambda T, o: T.optim.swa_utils.AveragedModel(T.nn.Linear(2, 2), avg_fn=T.optim.swa_utils.get_swa_avg_fn(),
                                                 multi_avg_fn=T.optim.swa_utils.get_swa_multi_avg_fn()),
])
def test_errors(make):
    check_error(lambda T: make(T, T.optim.SGD([T.zeros(2, requires_grad=True)], lr=0.1)))
