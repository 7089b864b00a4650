"""Differential tests of torch.optim's API around the update rules: parameter groups, hooks (step,
global step, state_dict, load_state_dict), closures, differentiable steps, user subclasses, and
argument and step errors, each run under torch and minitorch and compared."""
from __future__ import annotations

import copy
import importlib
import warnings

import numpy as np
import pytest
import torch

import minitorch
from harness import assert_same_error, assert_same_value, check_error
from test_optim import ATOL, RTOL, arrays, assert_same_tree, make_params, set_grads, to_mini



def test_param_groups_add_param_group_and_zero_grad():
    weights = arrays(5)
    grads = arrays(6)
    out = {}
    for T in (torch, minitorch):
        params = make_params(T, weights)
        opt = T.optim.SGD([{"params": params[:1]}, {"params": params[1:2], "lr": 0.5, "momentum": 0.9}],
                          lr=0.1, weight_decay=0.01)
        opt.add_param_group({"params": params[2], "nesterov": True, "momentum": 0.3})
        set_grads(T, params, grads)
        opt.step()
        opt.zero_grad(set_to_none=False)
        zeroed = [p.grad.clone() for p in params]
        opt.zero_grad()
        out[T] = (params, zeroed, [p.grad for p in params], repr(opt), opt.state_dict())
    t, m = out[torch], out[minitorch]
    for e, g in zip(t[0] + t[1], m[0] + m[1]):
        assert_same_value(e, g, RTOL, ATOL, "value")
    assert m[2] == [None, None, None]
    assert m[3] == t[3]
    assert_same_tree(t[4], m[4])


@pytest.mark.parametrize("name", ["Adam", "Adagrad", "NAdam", "Rprop", "Adafactor"])
def test_add_param_group_after_steps(name):
    """A group added mid-training gets the optimizer's defaults and its state on its first step."""
    weights, grads = arrays(11), arrays(12)
    out = {}
    for T in (torch, minitorch):
        params = make_params(T, weights)
        opt = getattr(T.optim, name)(params[:2], lr=0.01)
        for _ in range(2):
            set_grads(T, params[:2], grads[:2])
            opt.step()
        opt.add_param_group({"params": [params[2]], "lr": 0.05})
        for _ in range(2):
            set_grads(T, params, grads)
            opt.step()
        out[T] = (params, opt.state_dict(), repr(opt))
    for e, g in zip(out[torch][0], out[minitorch][0]):
        assert_same_value(e, g, RTOL, ATOL, "param")
    assert_same_tree(out[torch][1], out[minitorch][1])
    assert out[minitorch][2] == out[torch][2]


def test_named_params_closure_and_step_hooks():
    weights = arrays(7)
    out = {}
    for T in (torch, minitorch):
        params = make_params(T, weights)
        opt = T.optim.Adam([("a", params[0]), ("b", params[1])], lr=0.1)
        calls = []
        opt.register_step_pre_hook(lambda o, args, kwargs: calls.append("pre"))
        handle = opt.register_step_post_hook(lambda o, args, kwargs: calls.append("post"))

        def closure():
            opt.zero_grad()
            loss = (params[0] ** 2).sum() + (params[1] * 3).sum()
            loss.backward()
            return loss
        losses = [opt.step(closure).item() for _ in range(3)]
        handle.remove()
        opt.step(closure)
        out[T] = (losses, params[:2], calls, opt.state_dict()["param_groups"], repr(opt))
    t, m = out[torch], out[minitorch]
    np.testing.assert_allclose(m[0], t[0], rtol=1e-6)
    for e, g in zip(t[1], m[1]):
        assert_same_value(e, g, RTOL, ATOL, "param")
    assert m[2] == t[2] and m[3] == t[3] and m[4] == t[4]


def test_global_step_hooks_order_and_new_args():
    """Global pre-hooks run before the optimizer's own, global post-hooks after; a pre-hook may
    replace the step's arguments (here: the closure)."""
    weights = arrays(13)
    out = {}
    for T in (torch, minitorch):
        params = make_params(T, weights)
        opt = T.optim.RMSprop(params, lr=0.01)
        calls = []

        def closure():
            calls.append("closure")
            opt.zero_grad()
            loss = sum((p ** 2).sum() for p in params)
            loss.backward()
            return loss

        def swap_closure(o, args, kwargs):
            calls.append("global pre %s" % type(o).__name__)
            return (o, closure), kwargs
        module = importlib.import_module(T.__name__ + ".optim.optimizer")
        handles = [module.register_optimizer_step_pre_hook(swap_closure),
                   module.register_optimizer_step_post_hook(
                       lambda o, args, kwargs: calls.append("global post %d" % len(args))),
                   opt.register_step_pre_hook(lambda o, args, kwargs: calls.append("pre %d" % len(args))),
                   opt.register_step_post_hook(lambda o, args, kwargs: calls.append("post"))]
        try:
            loss = opt.step()
        finally:
            for h in handles:
                h.remove()
        opt.step(closure)  # hooks removed: only the closure is called
        out[T] = (round(loss.item(), 3), calls, params)
    assert out[minitorch][:2] == out[torch][:2]
    for e, g in zip(out[torch][2], out[minitorch][2]):
        assert_same_value(e, g, RTOL, ATOL, "param")


def test_state_dict_hooks():
    weights, grads = arrays(14), arrays(15)
    out = {}
    for T in (torch, minitorch):
        params = make_params(T, weights)
        opt = T.optim.SGD(params, lr=0.1, momentum=0.9)
        calls = []

        def add_note(o, sd):
            calls.append("post %s" % sorted(sd))
            sd["note"] = "saved"

        def rebuilt(o, sd):
            calls.append("post2 %s" % sd.get("note"))
            return {**sd, "extra": 1}

        def change_lr(o, sd):
            calls.append("load pre %s" % sorted(sd))
            sd = copy.deepcopy(sd)
            sd["param_groups"][0]["lr"] = 0.5
            return sd
        opt.register_state_dict_pre_hook(lambda o: calls.append("pre"))
        opt.register_state_dict_post_hook(rebuilt)
        opt.register_state_dict_post_hook(add_note, prepend=True)
        opt.register_load_state_dict_pre_hook(change_lr)
        first = opt.register_load_state_dict_post_hook(lambda o: calls.append("load post 1"))
        opt.register_load_state_dict_post_hook(lambda o: calls.append("load post 0"), prepend=True)
        set_grads(T, params, grads)
        opt.step()
        saved = opt.state_dict()
        first.remove()
        opt.load_state_dict(saved)
        opt.step()
        out[T] = (calls, {k: saved[k] for k in ("note", "extra")}, opt.param_groups[0]["lr"], params)
    assert out[minitorch][:3] == out[torch][:3]
    for e, g in zip(out[torch][3], out[minitorch][3]):
        assert_same_value(e, g, RTOL, ATOL, "param")


def test_step_hook_bad_return():
    def run(T):
        opt = T.optim.SGD([T.zeros(2, requires_grad=True)], lr=0.1)
        opt.register_step_pre_hook(lambda o, args, kwargs: "new args")
        opt.step()
    check_error(run)


def test_lr_tensor_repr_and_state_dict_round_trip():
    weights, grads = arrays(16), arrays(17)
    out = {}
    for T in (torch, minitorch):
        params = make_params(T, weights)
        opt = T.optim.Adam(params, lr=T.tensor(0.01), betas=(T.tensor(0.9), T.tensor(0.99)))
        set_grads(T, params, grads)
        opt.step()
        clone = T.optim.Adam(make_params(T, weights), lr=T.tensor(0.5))
        clone.load_state_dict(copy.deepcopy(opt.state_dict()))
        out[T] = (repr(opt), clone.state_dict(), repr(clone))
    assert out[minitorch][0] == out[torch][0] and out[minitorch][2] == out[torch][2]
    assert_same_tree(out[torch][1], out[minitorch][1])


def test_deepcopy_keeps_state_and_drops_hooks():
    weights, grads = arrays(18), arrays(19)
    out = {}
    for T in (torch, minitorch):
        params = make_params(T, weights)
        opt = T.optim.NAdam(params, lr=0.01)
        calls = []
        opt.register_step_post_hook(lambda o, args, kwargs: calls.append("post"))
        set_grads(T, params, grads)
        opt.step()
        twin = copy.deepcopy(opt)
        twin.step()
        out[T] = (twin.state_dict(), calls, repr(twin))
    assert_same_tree(out[torch][0], out[minitorch][0])
    assert out[minitorch][1:] == out[torch][1:]


def test_user_defined_optimizer():
    """A torch-style subclass of Optimizer, written with tensor ops under no_grad."""
    def make(T):
        class PlainSGD(T.optim.Optimizer):
            def __init__(self, params, lr):
                super().__init__(params, {"lr": lr})

            @T.no_grad()
            def step(self, closure=None):
                for group in self.param_groups:
                    for p in group["params"]:
                        if p.grad is not None:
                            self.state[p]["count"] = self.state[p].get("count", 0) + 1
                            p.add_(p.grad, alpha=-group["lr"])
        return PlainSGD
    weights, grads = arrays(8), arrays(9)
    out = {}
    for T in (torch, minitorch):
        params = make_params(T, weights)
        opt = make(T)(params, lr=0.5)
        set_grads(T, params, grads)
        opt.step()
        out[T] = (params, opt.state_dict(), repr(opt))
    for e, g in zip(out[torch][0], out[minitorch][0]):
        assert_same_value(e, g, RTOL, ATOL, "param")
        assert g._version == e._version
    assert out[minitorch][1] == out[torch][1] and out[minitorch][2] == out[torch][2]


def test_step_updates_in_place_and_bumps_version():
    p = minitorch.tensor([1.0, 2.0], requires_grad=True)
    data, version = p._data, p._version
    opt = minitorch.optim.SGD([p], lr=0.1, momentum=0.9)
    p.grad = minitorch.tensor([1.0, 1.0])
    opt.step()
    assert p._data is data and p._version == version + 1 and p.grad_fn is None


# ---- differentiable=True: one step through autograd, as torch's own test of it -------------------
# Each state tensor requires grad; the step's outputs (the parameter and the state that requires
# grad) are differentiated with respect to the parameter, the gradient and the state. (Over several
# steps torch itself fails for most optimizers: their in-place state updates overwrite saved tensors.)
DIFF_STATE = {
    "SGD": {"momentum_buffer": 0},
    "Adam": {"step": 2.0, "exp_avg": 0, "exp_avg_sq": 1, "max_exp_avg_sq": 1},
    "AdamW": {"step": 2.0, "exp_avg": 0, "exp_avg_sq": 1, "max_exp_avg_sq": 1},
    "RMSprop": {"step": 2.0, "square_avg": 1, "momentum_buffer": 0, "grad_avg": 2},
    "Adagrad": {"step": 2.0, "sum": 1},
    "Adadelta": {"step": 2.0, "square_avg": 1, "acc_delta": 1},
    "Adamax": {"step": 2.0, "exp_avg": 0, "exp_inf": 1},
    "ASGD": {"step": 2.0, "eta": 0.1, "mu": 0.5, "ax": 0},
    "NAdam": {"step": 2.0, "mu_product": 0.8, "exp_avg": 0, "exp_avg_sq": 1},
    "RAdam": {"step": 8.0, "exp_avg": 0, "exp_avg_sq": 1},
    "Rprop": {"step": 2.0, "prev": 0, "step_size": 1},
}


def _differentiable_step(T, name: str, kw: dict):
    rng = np.random.default_rng(20)

    def leaf(kind: int = 0):
        value = rng.standard_normal(4)
        return T.tensor([value, 0.5 + np.abs(value), 0.1 * value][kind], requires_grad=True)
    p0, grad = leaf(), leaf()
    # a state tensor (0: any value, 1: positive, 2: small), or a 0-d constant (a float)
    state = {k: T.tensor(v) if isinstance(v, float) else leaf(v) for k, v in DIFF_STATE[name].items()}
    p = p0.clone()
    p.grad = grad
    opt = getattr(T.optim, name)([p], differentiable=True, **kw)
    opt.state[p].update({k: v.clone() for k, v in state.items()})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        opt.step()
    outs = [p] + [v for v in opt.state[p].values() if v.requires_grad]
    ins = [p0, grad] + [v for v in state.values() if v.requires_grad]
    cotangents = [T.tensor(np.random.default_rng(21).standard_normal(4)) for _ in outs]
    grads = T.autograd.grad(outs, ins, cotangents, allow_unused=True)
    return outs, grads, [str(w.message) for w in caught]


@pytest.mark.parametrize("name, kw", [
    ("SGD", dict(lr=0.1, momentum=0.9)),
    ("SGD", dict(lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.1, maximize=True)),
    ("SGD", dict(lr=0.1, momentum=0.9, foreach=True)),
    ("Adam", dict(lr=0.1)),
    ("Adam", dict(lr=0.1, amsgrad=True, weight_decay=0.1)),
    ("AdamW", dict(lr=0.1, maximize=True)),
    ("RMSprop", dict(lr=0.1, centered=True, momentum=0.5)),
    ("Adagrad", dict(lr=0.1, lr_decay=0.1)),
    ("Adadelta", dict(weight_decay=0.1)),
    ("Adamax", dict()),
    ("ASGD", dict(t0=1)),
    ("NAdam", dict()),
    ("NAdam", dict(decoupled_weight_decay=True, weight_decay=0.1)),
    ("RAdam", dict()),
    ("Rprop", dict()),
], ids=lambda x: x if isinstance(x, str) else "-".join("%s=%s" % i for i in x.items()))
def test_differentiable_step(name, kw):
    try:
        t_outs, t_grads, t_warnings = _differentiable_step(torch, name, kw)
    except RuntimeError as e:  # ASGD: torch's step overwrites mu, which the graph saved
        with pytest.raises(RuntimeError) as m:
            _differentiable_step(minitorch, name, kw)
        assert str(m.value) == str(e)
        return
    m_outs, m_grads, m_warnings = _differentiable_step(minitorch, name, kw)
    assert m_warnings == t_warnings
    for i, (e, g) in enumerate(zip(t_outs, m_outs)):
        assert_same_value(e, g, 1e-12, 1e-12, "output %d" % i)
    for i, (e, g) in enumerate(zip(t_grads, m_grads)):
        assert (e is None) == (g is None), "grad %d" % i
        if e is not None:
            assert_same_value(e, g, 1e-10, 1e-12, "grad of input %d" % i)


# ---- errors ------------------------------------------------------------------------------------
def _stepped(opt, p, grad=None):
    """Give ``p`` a gradient and step: the error is the step's."""
    p.grad = grad if grad is not None else p.detach() * 0 + 1
    opt.step()


@pytest.mark.parametrize("make", [
    lambda T, p: T.optim.SGD(p, lr=-1),
    lambda T, p: T.optim.SGD(p, lr=0.1, momentum=-1),
    lambda T, p: T.optim.SGD(p, lr=0.1, weight_decay=-1),
    lambda T, p: T.optim.SGD(p, lr=0.1, nesterov=True),
    lambda T, p: T.optim.SGD(p, lr=0.1, fused=True, differentiable=True),
    lambda T, p: T.optim.SGD(p, lr=0.1, fused=True, foreach=True),
    lambda T, p: T.optim.Adam(p, betas=(1.0, 0.9)),
    lambda T, p: T.optim.Adam(p, betas=(0.9, -0.1)),
    lambda T, p: T.optim.Adam(p, eps=-1),
    lambda T, p: T.optim.Adam(p, betas=(0, 0.9)),
    lambda T, p: T.optim.Adam(p, lr=T.tensor([0.1, 0.2])),
    lambda T, p: T.optim.Adam(p, lr=T.tensor(0.1), foreach=True),
    lambda T, p: T.optim.Adam(p, betas=(T.tensor(0.9), T.tensor(0.99)), foreach=True),
    lambda T, p: T.optim.Adam(p, betas=(T.tensor([0.9, 0.8]), T.tensor(0.99))),
    lambda T, p: T.optim.Adam(p, fused=True, differentiable=True),
    lambda T, p: T.optim.AdamW(p, weight_decay=-1),
    lambda T, p: T.optim.AdamW(p, fused=True, foreach=True),
    lambda T, p: T.optim.RMSprop(p, alpha=-1),
    lambda T, p: T.optim.RMSprop(p, momentum=-1),
    lambda T, p: T.optim.RMSprop(p, eps=-1),
    lambda T, p: T.optim.Adagrad(p, lr_decay=-1),
    lambda T, p: T.optim.Adagrad(p, initial_accumulator_value=-1),
    lambda T, p: T.optim.Adagrad(p, eps=-1),
    lambda T, p: T.optim.Adagrad(p, fused=True, differentiable=True),
    lambda T, p: T.optim.Adadelta(p, lr=-1),
    lambda T, p: T.optim.Adadelta(p, rho=1.5),
    lambda T, p: T.optim.Adadelta(p, eps=-1),
    lambda T, p: T.optim.Adadelta(p, weight_decay=-1),
    lambda T, p: T.optim.Adamax(p, betas=(0.9, 1.0)),
    lambda T, p: T.optim.Adamax(p, eps=-1),
    lambda T, p: T.optim.Adamax(p, weight_decay=-1),
    lambda T, p: T.optim.ASGD(p, lr=-1),
    lambda T, p: T.optim.ASGD(p, weight_decay=-1),
    lambda T, p: T.optim.NAdam(p, momentum_decay=-1),
    lambda T, p: T.optim.NAdam(p, betas=(-0.1, 0.9)),
    lambda T, p: T.optim.RAdam(p, eps=-1),
    lambda T, p: T.optim.RAdam(p, lr=T.tensor([1.0, 2.0])),
    lambda T, p: T.optim.Rprop(p, etas=(1.5, 1.2)),
    lambda T, p: T.optim.Rprop(p, etas=(0.5, 0.9)),
    lambda T, p: T.optim.SparseAdam(p, lr=0.0),
    lambda T, p: T.optim.SparseAdam(p, eps=0.0),
    lambda T, p: T.optim.SparseAdam(p, betas=(0.9, 1.0)),
    lambda T, p: T.optim.Adafactor(p, lr=-1),
    lambda T, p: T.optim.Adafactor(p, beta2_decay=0.5),
    lambda T, p: T.optim.Adafactor(p, eps=(-1.0, 1e-3)),
    lambda T, p: T.optim.Adafactor(p, eps=(None, -1.0)),
    lambda T, p: T.optim.Adafactor(p, d=0.5),
    lambda T, p: T.optim.Adafactor(p, weight_decay=-1),
    lambda T, p: T.optim.LBFGS(p, lr=-1),
    lambda T, p: T.optim.LBFGS([{"params": p[:1]}, {"params": p[1:]}]),
    lambda T, p: T.optim.SGD([], lr=0.1),
    lambda T, p: T.optim.SGD(p[0], lr=0.1),
    lambda T, p: T.optim.SGD([{"params": {p[0]}}], lr=0.1),
    lambda T, p: T.optim.SGD([p[0], 3], lr=0.1),
    lambda T, p: T.optim.SGD([p[0] * 2], lr=0.1),
    lambda T, p: T.optim.SGD([{"params": p[0]}, {"params": [p[1], p[0]]}], lr=0.1),
    lambda T, p: T.optim.SGD([("w", p[0]), p[1]], lr=0.1),
    lambda T, p: T.optim.SGD([("w", p[0])], lr=0.1).add_param_group({"params": [p[1]]}),
    lambda T, p: T.optim.SGD(p, lr=0.1).add_param_group([p[0]]),
    lambda T, p: T.optim.SGD(p, lr=0.1).load_state_dict({"state": {}, "param_groups": []}),
    lambda T, p: T.optim.SGD(p, lr=0.1).load_state_dict(
        {"state": {}, "param_groups": [{"lr": 0.1, "params": [0]}]}),
    lambda T, p: T.optim.Optimizer(p, {}).step(),
], ids=lambda f: None)
def test_constructor_errors(make):
    check_error(lambda T, *xs: make(T, [x.requires_grad_() for x in xs]), arrays(10)[:2])


@pytest.mark.parametrize("name, kw", [
    ("Adam", dict(capturable=True)),
    ("Adam", dict(capturable=True, foreach=True)),
    ("Adam", dict(foreach=True, differentiable=True)),
    ("AdamW", dict(capturable=True, differentiable=True, foreach=True)),
    ("RMSprop", dict(capturable=True)),
    ("RMSprop", dict(capturable=True, foreach=True, differentiable=True)),
    ("Adadelta", dict(capturable=True)),
    ("Adamax", dict(capturable=True, foreach=True)),
    ("ASGD", dict(capturable=True)),
    ("ASGD", dict(capturable=True, foreach=True)),
    ("NAdam", dict(capturable=True)),
    ("NAdam", dict(capturable=True, foreach=True)),
    ("RAdam", dict(capturable=True)),
    ("Rprop", dict(capturable=True, foreach=True)),
    ("Adagrad", dict(foreach=True, differentiable=True)),
    ("SGD", dict(differentiable=True)),  # a leaf parameter written in place under autograd
    ("Adam", dict(differentiable=True)),
    ("SparseAdam", dict()),
])
def test_step_errors_and_state_left(name, kw):
    """CPU tensors are never capturable; torch has made the state when its step fails."""
    outcomes = {}
    for T in (torch, minitorch):
        p = T.tensor(arrays(22)[0], requires_grad=True)
        opt = getattr(T.optim, name)([p], **kw)
        with pytest.raises(Exception) as info:
            _stepped(opt, p)
        state = {k: (tuple(v.shape), round(float(v.sum()), 4)) if isinstance(v, T.Tensor) else v
                 for k, v in opt.state.get(p, {}).items()}
        outcomes[T] = (info.value, state)
    assert_same_error(outcomes[torch][0], outcomes[minitorch][0])
    assert outcomes[minitorch][1] == outcomes[torch][1]


@pytest.mark.parametrize("name, kw", [
    ("Adam", dict()), ("RMSprop", dict()), ("Adagrad", dict()), ("Adadelta", dict()), ("Adamax", dict()),
    ("ASGD", dict()), ("NAdam", dict()), ("RAdam", dict()), ("Rprop", dict()), ("Adafactor", dict()),
    ("Adafactor", dict(eps=(1e-3, 1e-3))), ("SGD", dict(fused=True)), ("Adam", dict(fused=True)),
])
def test_integer_parameter_errors(name, kw):
    def run(T):
        p = T.ones(3, dtype=T.int64)
        _stepped(getattr(T.optim, name)([p], **kw), p, T.ones(3, dtype=T.int64))
    check_error(run)


@pytest.mark.parametrize("name, kw", [("SGD", dict(lr=0.1, momentum=0.9)), ("Adam", dict(amsgrad=True)),
                                      ("AdamW", dict()), ("RMSprop", dict(centered=True)), ("Adagrad", dict()),
                                      ("ASGD", dict()), ("NAdam", dict()), ("RAdam", dict()), ("Rprop", dict()),
                                      ("Adafactor", dict(foreach=False))])
def test_load_old_checkpoint(name, kw):
    """A state_dict from an older torch (options it did not know yet missing, counters as Python
    numbers) is completed as torch completes it, and training continues."""
    weights, grads = arrays(23), arrays(24)
    params = make_params(torch, weights)
    opt = getattr(torch.optim, name)(params, **kw)
    set_grads(torch, params, grads)
    opt.step()
    old = copy.deepcopy(opt.state_dict())
    dropped = ("foreach",) if name == "Adafactor" else (  # (torch fills in no other Adafactor option)
        "foreach", "maximize", "differentiable", "capturable", "fused", "decoupled_weight_decay", "nesterov",
        "amsgrad", "centered")
    for group in old["param_groups"]:
        for key in dropped:
            group.pop(key, None)
    for state in old["state"].values():
        for key in ("step", "eta", "mu", "mu_product"):
            if key in state:
                state[key] = state[key].item()
    out = {}
    for T in (torch, minitorch):
        params = make_params(T, weights)
        opt = getattr(T.optim, name)(params, **kw)
        opt.load_state_dict(to_mini(old) if T is minitorch else copy.deepcopy(old))
        set_grads(T, params, grads)
        opt.step()
        out[T] = (opt.state_dict(), repr(opt), params)
    assert_same_tree(out[torch][0], out[minitorch][0])
    assert out[minitorch][1] == out[torch][1]
    for e, g in zip(out[torch][2], out[minitorch][2]):
        assert_same_value(e, g, RTOL, ATOL, "param")
