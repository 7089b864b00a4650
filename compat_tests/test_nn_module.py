"""nn.Module's API, differential against torch: each scenario runs under both libraries and returns
what a user would print (names, reprs, flags, dtypes, values), or raises; results and exceptions
(type and message) must be equal."""
from __future__ import annotations

import copy
from collections import OrderedDict
from typing import Any, Callable

import numpy as np
import pytest
import torch

import minitorch
from harness import error_text



def _text(s: str) -> str:
    """Addresses masked; class paths read ``torch.`` (minitorch's classes live in ``minitorch.``)."""
    return error_text(s).replace("minitorch.", "torch.")


def _norm(x: Any) -> Any:
    """A comparable form of a scenario's result: tensors as dtype, shape and values to 6 significant
    digits (float32 kernels may differ in the last bit), strings with addresses masked."""
    if isinstance(x, (torch.Tensor, minitorch.Tensor)):
        values = np.asarray(x.detach().numpy(), dtype=np.float64)
        return ("tensor", str(x.dtype), tuple(x.shape), [float("%.6g" % v) for v in values.reshape(-1)],
                x.requires_grad)
    if isinstance(x, (list, tuple)):
        return [_norm(v) for v in x]
    if isinstance(x, dict):
        return {k: _norm(v) for k, v in x.items()}
    if isinstance(x, float):
        return float("%.6g" % x)
    if isinstance(x, str):
        return _text(x)
    return x


def same(scenario: Callable[[Any], Any]) -> None:
    results = []
    for T in (torch, minitorch):
        try:
            results.append(("ok", _norm(scenario(T))))
        except Exception as e:  # noqa: BLE001 - the exception is what gets compared
            results.append((type(e).__name__, _text(str(e))))
    assert results[0] == results[1], "\n torch:     %r\n minitorch: %r" % tuple(results)


def net(T: Any) -> Any:
    """A model with every kind of member: parameters, buffers (one not persistent), None entries,
    nested containers and a shared submodule."""
    class Block(T.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.conv = T.nn.Conv2d(1, 2, 3, padding=1)
            self.norm = T.nn.BatchNorm2d(2)
            self.register_buffer("scale", T.ones(2))
            self.register_buffer("cache", T.zeros(1), persistent=False)
            self.register_parameter("unused", None)

        def forward(self, x: Any) -> Any:
            return self.norm(self.conv(x)) * self.scale.view(1, 2, 1, 1)

    class Net(T.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.block = Block()
            self.head = T.nn.Sequential(T.nn.Flatten(), T.nn.Linear(32, 8), T.nn.ReLU(), T.nn.Dropout(0.25))
            self.experts = T.nn.ModuleList([T.nn.Linear(8, 4) for _ in range(3)] + [T.nn.Identity()])
            self.shared = self.head[1]
            self.temperature = T.nn.Parameter(T.tensor(1.5))

        def forward(self, x: Any) -> Any:
            h = self.head(self.block(x))
            return sum(e(h) for e in self.experts[:3]) / self.temperature

    return Net()


# ---- registration and traversal ------------------------------------------------------------------
def test_repr_and_traversal() -> None:
    same(lambda T: repr(net(T)))
    same(lambda T: [n for n, _ in net(T).named_parameters()])
    same(lambda T: [n for n, _ in net(T).named_parameters(remove_duplicate=False)])
    same(lambda T: [n for n, _ in net(T).named_parameters(prefix="model", recurse=True)])
    same(lambda T: [n for n, _ in net(T).block.named_parameters(recurse=False)])
    same(lambda T: [n for n, _ in net(T).named_buffers()])
    same(lambda T: [n for n, _ in net(T).named_children()])
    same(lambda T: [(n, type(m).__name__) for n, m in net(T).named_modules()])
    same(lambda T: [n for n, _ in net(T).named_modules(remove_duplicate=False)])
    same(lambda T: [type(m).__name__ for m in net(T).modules()] + [type(m).__name__ for m in net(T).children()])
    same(lambda T: [tuple(p.shape) for p in net(T).parameters()] + [tuple(b.shape) for b in net(T).buffers()])
    same(lambda T: list(net(T).state_dict().keys()))
    same(lambda T: list(net(T).state_dict(prefix="m.", keep_vars=True).keys()))
    same(lambda T: [type(v).__name__ for v in net(T).state_dict(keep_vars=True).values()])
    same(lambda T: [k for k in dir(net(T)) if k in ("block", "head", "experts", "shared", "temperature", "training")])


def test_getattr_setattr_delattr() -> None:
    def scenario(T: Any) -> list:
        m = T.nn.Linear(2, 2)
        out = [type(m.weight).__name__, m.bias is m._parameters["bias"]]
        m.extra = T.nn.ReLU()        # a module
        m.buf = T.nn.Buffer(T.ones(1), persistent=False)
        m.plain = T.ones(1)          # a plain attribute
        out.append([list(m._modules), list(m._buffers), "plain" in m.__dict__, sorted(m._non_persistent_buffers_set)])
        m.bias = None                # a parameter set to None stays registered
        del m.extra
        out.append([list(m._parameters), list(m._modules), list(m.state_dict())])
        m.extra = T.nn.Parameter(T.zeros(1))  # a parameter replacing an attribute name
        out.append(list(m._parameters))
        return out
    same(scenario)
    same(lambda T: T.nn.Linear(2, 2).missing)


@pytest.mark.parametrize("bad", [
    lambda T, m: setattr(m, "weight", T.ones(2, 2)),
    lambda T, m: setattr(m, "bias", 3),
    lambda T, m: m.register_parameter("a.b", None),
    lambda T, m: m.register_parameter("", None),
    lambda T, m: m.register_parameter("training", None),
    lambda T, m: m.register_parameter(3, None),
    lambda T, m: m.register_parameter("p", T.ones(2)),
    lambda T, m: m.register_parameter("p", T.nn.Parameter(T.ones(2)) * 2),
    lambda T, m: setattr(m, "q", T.nn.Parameter(T.ones(2, requires_grad=True) * 2)),
    lambda T, m: m.register_buffer("a.b", T.ones(1)),
    lambda T, m: m.register_buffer("weight", T.ones(1)),
    lambda T, m: m.register_buffer("b", 3),
    lambda T, m: m.add_module("x.y", T.nn.ReLU()),
    lambda T, m: m.add_module("", T.nn.ReLU()),
    lambda T, m: m.add_module("weight", T.nn.ReLU()),
    lambda T, m: m.add_module("relu", 3),
    lambda T, m: (m.add_module("sub", T.nn.ReLU()), setattr(m, "sub", 3)),
    lambda T, m: T.nn.Parameter(T.tensor([1, 2])),
    lambda T, m: m.train("yes"),
])
def test_registration_errors(bad: Callable) -> None:
    same(lambda T: bad(T, T.nn.Linear(2, 2)))


def test_assign_before_init() -> None:
    def scenario(T: Any) -> None:
        class Broken(T.nn.Module):
            def __init__(self) -> None:
                self.fc = T.nn.Linear(1, 1)
        Broken()
    same(scenario)

    def params_first(T: Any) -> None:
        class Broken(T.nn.Module):
            def __init__(self) -> None:
                self.w = T.nn.Parameter(T.ones(1))
        Broken()
    same(params_first)
    same(lambda T: T.nn.Module(3))
    same(lambda T: T.nn.Module(key=3))
    same(lambda T: T.nn.Module()(1))


def test_register_module_get_submodule() -> None:
    def scenario(T: Any) -> list:
        m = net(T)
        m.register_module("extra", T.nn.Tanh())
        return [type(m.get_submodule("head.1")).__name__, tuple(m.get_parameter("block.conv.bias").shape),
                m.get_buffer("block.norm.num_batches_tracked").item(), type(m.get_submodule("")).__name__,
                list(m._modules)]
    same(scenario)
    same(lambda T: net(T).get_submodule("block.nothing"))
    same(lambda T: net(T).get_submodule("temperature.x"))
    same(lambda T: net(T).get_parameter("block.scale"))
    same(lambda T: net(T).get_buffer("block.conv"))


# ---- state_dict and load_state_dict --------------------------------------------------------------
def test_state_dict_round_trip_values() -> None:
    def scenario(T: Any) -> Any:
        T.manual_seed(0)
        a, b = net(T), net(T)
        result = b.load_state_dict(a.state_dict())
        return [repr(result), str(result), result.missing_keys, list(b.state_dict().values())]
    same(scenario)


def test_load_state_dict_reports() -> None:
    def partial(T: Any) -> Any:
        m = net(T)
        sd = m.state_dict()
        del sd["block.conv.weight"], sd["temperature"]
        sd["head.9.weight"] = T.ones(1)
        sd["block.ghost"] = T.ones(1)
        return repr(m.load_state_dict(sd, strict=False))
    same(partial)

    def strict_error(T: Any) -> Any:
        m = net(T)
        sd = m.state_dict()
        del sd["block.conv.weight"]
        sd["extra"] = T.ones(1)
        return m.load_state_dict(sd)
    same(strict_error)

    def size_mismatch(T: Any) -> Any:
        m = T.nn.Linear(3, 2)
        return m.load_state_dict({"weight": T.zeros(2, 4), "bias": T.zeros(2)})
    same(size_mismatch)
    same(lambda T: T.nn.Linear(1, 1).load_state_dict([("weight", T.zeros(1, 1))]))
    same(lambda T: T.nn.Linear(1, 1).load_state_dict({"weight": 3.0, "bias": T.zeros(1)}))


def test_load_state_dict_copies_into_parameters() -> None:
    def scenario(T: Any) -> Any:
        m = T.nn.Linear(2, 1)
        w = m.weight
        m.load_state_dict({"weight": T.tensor([[1.0, 2.0]]), "bias": T.tensor([0.5])})
        return [m.weight is w, m.weight, m.bias, m.weight._version > 0]
    same(scenario)

    def assign(T: Any) -> Any:
        m = T.nn.Linear(2, 1)
        w = m.weight
        m.load_state_dict({"weight": T.tensor([[1.0, 2.0]]), "bias": T.tensor([0.5])}, assign=True)
        return [m.weight is w, type(m.weight).__name__, m.weight]
    same(assign)

    def batchnorm_old_checkpoint(T: Any) -> Any:
        m = T.nn.BatchNorm1d(2)
        sd = m.state_dict()
        del sd["num_batches_tracked"]
        sd._metadata[""]["version"] = 1
        return repr(m.load_state_dict(sd))
    same(batchnorm_old_checkpoint)


def test_extra_state() -> None:
    def scenario(T: Any) -> Any:
        class Counter(T.nn.Linear):
            def __init__(self) -> None:
                super().__init__(1, 1)
                self.count = 0

            def get_extra_state(self) -> Any:
                return {"count": self.count}

            def set_extra_state(self, state: Any) -> None:
                self.count = state["count"] + 1
        a, b = T.nn.Sequential(Counter()), T.nn.Sequential(Counter())
        sd = a.state_dict()
        b.load_state_dict(sd)
        del sd["0._extra_state"]
        return [list(a.state_dict()), b[0].count, repr(b.load_state_dict(sd, strict=False))]
    same(scenario)
    same(lambda T: repr(T.nn.Linear(1, 1).load_state_dict({"weight": T.ones(1, 1), "bias": T.ones(1),
                                                              "_extra_state": 1}, strict=False)))


def test_state_dict_hooks() -> None:
    def scenario(T: Any) -> Any:
        m = T.nn.Linear(1, 1)
        seen = []
        m.register_state_dict_pre_hook(lambda mod, prefix, keep: seen.append(("pre", prefix)))
        m.register_load_state_dict_post_hook(lambda mod, keys: seen.append(("post", repr(keys))))
        m.load_state_dict(m.state_dict(prefix=""))
        return seen
    same(scenario)


# ---- modes, gradients, dtype ---------------------------------------------------------------------
def test_train_eval_requires_grad_zero_grad() -> None:
    def scenario(T: Any) -> Any:
        m = net(T)
        out = [m.training, m.eval() is m, [x.training for x in m.modules()], m.train().training]
        m.block.train(False)
        out.append([x.training for x in m.modules()])
        m.requires_grad_(False)
        out.append([p.requires_grad for p in m.parameters()])
        m.requires_grad_()
        y = m(T.ones(2, 1, 4, 4))
        y.sum().backward()
        out.append([p.grad is None for p in m.parameters()])
        m.zero_grad(set_to_none=False)
        out.append([p.grad for p in m.parameters()][:2])
        m.zero_grad()
        out.append([p.grad is None for p in m.parameters()])
        return out
    same(scenario)


def test_apply_order() -> None:
    def scenario(T: Any) -> Any:
        seen = []
        net(T).apply(lambda mod: seen.append(type(mod).__name__))
        return seen
    same(scenario)

    def init_weights(T: Any) -> Any:
        def fill(mod: Any) -> None:
            if isinstance(mod, T.nn.Linear):
                T.nn.init.constant_(mod.weight, 0.5)
        m = T.nn.Sequential(T.nn.Linear(2, 2), T.nn.ReLU())
        return m.apply(fill)[0].weight
    same(init_weights)


@pytest.mark.parametrize("convert", [
    lambda T, m: m.double(), lambda T, m: m.half(), lambda T, m: m.double().float(), lambda T, m: m.to(T.float64),
    lambda T, m: m.to("cpu", T.float64), lambda T, m: m.to(dtype=T.float16), lambda T, m: m.to(T.zeros(1).double()),
    lambda T, m: m.type(T.float64), lambda T, m: m.cpu(), lambda T, m: m.to("cpu"),
    lambda T, m: m.to(T.int64), lambda T, m: m.cuda(),
])
def test_dtype_conversion(convert: Callable) -> None:
    def scenario(T: Any) -> Any:
        m = T.nn.Sequential(T.nn.Linear(2, 3), T.nn.BatchNorm1d(3))
        w = m[0].weight
        m(T.ones(4, 2)).sum().backward()
        out = convert(T, m)
        return [out is m, m[0].weight is w, [str(p.dtype) for p in m.parameters()],
                [str(b.dtype) for b in m.buffers()], [str(p.grad.dtype) for p in m.parameters()]]
    same(scenario)


# ---- hooks ---------------------------------------------------------------------------------------
def test_forward_hooks() -> None:
    def scenario(T: Any) -> Any:
        m = T.nn.Linear(2, 2)
        seen = []
        m.register_forward_pre_hook(lambda mod, args: (args[0] * 2,))
        h = m.register_forward_pre_hook(lambda mod, args: seen.append(("pre", args[0].tolist())), prepend=True)
        m.register_forward_hook(lambda mod, args, out: out + 1)
        m.register_forward_hook(lambda mod, args, kwargs, out: seen.append(("post", sorted(kwargs))),
                                with_kwargs=True)
        m.register_forward_pre_hook(lambda mod, args, kwargs: (args, kwargs), with_kwargs=True)
        T.manual_seed(0)
        T.nn.init.constant_(m.weight, 1.0)
        first = m(T.ones(1, 2))
        h.remove()
        second = m(T.ones(1, 2))
        return [first, second, seen]
    same(scenario)

    def bad_pre_hook(T: Any) -> Any:
        m = T.nn.ReLU()
        m.register_forward_pre_hook(lambda mod, args, kwargs: 3, with_kwargs=True)
        return m(T.ones(1))
    same(bad_pre_hook)

    def always_called(T: Any) -> Any:
        m = T.nn.Linear(2, 2)
        seen = []
        m.register_forward_hook(lambda mod, args, out: seen.append("always"), always_call=True)
        try:
            m(T.ones(3))
        except RuntimeError:
            seen.append("raised")
        return seen
    same(always_called)


def test_full_backward_hooks() -> None:
    def scenario(T: Any) -> Any:
        m = T.nn.Linear(3, 2)
        T.nn.init.constant_(m.weight, 0.5)
        seen = []

        def hook(mod: Any, grad_input: tuple, grad_output: tuple) -> tuple:
            seen.append(("hook", [g if g is None else g.tolist() for g in grad_input], grad_output[0].tolist()))
            return (grad_input[0] * 10,)

        def pre_hook(mod: Any, grad_output: tuple) -> tuple:
            seen.append(("pre", grad_output[0].tolist()))
            return (grad_output[0] * 2,)
        m.register_full_backward_hook(hook)
        m.register_full_backward_pre_hook(pre_hook)
        x = T.ones(1, 3, requires_grad=True)
        y = m(x)
        seen.append(type(y.grad_fn).__name__)
        y.sum().backward()
        return [seen, x.grad, m.weight.grad]
    same(scenario)

    def mixing_kinds(T: Any) -> Any:
        m = T.nn.Linear(1, 1)
        m.register_backward_hook(lambda *a: None)
        m.register_full_backward_hook(lambda *a: None)
    same(mixing_kinds)


def test_legacy_backward_hook() -> None:
    def scenario(T: Any) -> Any:
        m = T.nn.Tanh()
        seen = []
        m.register_backward_hook(lambda mod, gi, go: seen.append([g.tolist() for g in go]))
        x = T.tensor([0.5, -1.0], requires_grad=True)
        m(x).sum().backward()
        return [seen, x.grad]
    same(scenario)


# ---- printing ------------------------------------------------------------------------------------
def test_extra_repr_and_parameter_repr() -> None:
    def scenario(T: Any) -> Any:
        class Scaled(T.nn.Module):
            def __init__(self) -> None:
                super().__init__()
                self.w = T.nn.Parameter(T.ones(2))
                self.inner = T.nn.Linear(1, 1)

            def extra_repr(self) -> str:
                return "factor=2,\nmode='x'"

        class OneLine(T.nn.Module):
            def extra_repr(self) -> str:
                return "k=1"
        return [repr(Scaled()), repr(OneLine()), repr(T.nn.Module()), repr(T.nn.Parameter(T.ones(2))),
                repr(T.nn.Parameter(T.ones(2), requires_grad=False)), str(T.nn.Parameter()),
                repr(T.nn.Parameter(T.zeros(2, dtype=T.float64)))]
    same(scenario)


def test_parameter_semantics() -> None:
    def scenario(T: Any) -> Any:
        t = T.tensor([1.0, 2.0])
        p = T.nn.Parameter(t)
        t.add_(1)
        q = copy.deepcopy(p)
        return [p, type(p * 2).__name__, type(p.detach()).__name__, type(p.data).__name__, isinstance(p, T.Tensor),
                p.is_leaf, q, q is p, type(q).__name__, isinstance(T.nn.Buffer(T.ones(1)), T.nn.Buffer)]
    same(scenario)


def test_deepcopy_module() -> None:
    def scenario(T: Any) -> Any:
        T.manual_seed(0)
        m = net(T)
        c = copy.deepcopy(m)
        return [repr(c) == repr(m), c.head[1] is c.shared, c.block.conv.weight is m.block.conv.weight,
                list(c.state_dict().values())]
    same(scenario)


# ---- containers ----------------------------------------------------------------------------------
def test_sequential() -> None:
    def scenario(T: Any) -> Any:
        s = T.nn.Sequential(OrderedDict([("fc", T.nn.Linear(2, 3)), ("act", T.nn.ReLU()), ("out", T.nn.Linear(3, 1))]))
        out = [repr(s), repr(s[1:]), type(s[-1]).__name__, len(s), [type(m).__name__ for m in s], list(s[:2]._modules)]
        s.append(T.nn.Sigmoid())
        s.insert(1, T.nn.Dropout())
        out.append(list(s._modules))
        del s[0]
        out.append(list(s._modules))
        s.extend([T.nn.Tanh()])
        out.append(type(s.pop(0)).__name__)
        s[0] = T.nn.ELU()
        out.append(repr(s))
        t = T.nn.Sequential(T.nn.ReLU()) + T.nn.Sequential(T.nn.Tanh())
        out.append(repr(t))
        out.append(repr(T.nn.Sequential(T.nn.ReLU()) * 2))
        u = T.nn.Sequential(T.nn.ReLU())
        u += T.nn.Sequential(T.nn.Tanh())
        u *= 2
        out.append(list(u._modules))
        return out
    same(scenario)
    same(lambda T: T.nn.Sequential(T.nn.ReLU())[3])
    same(lambda T: T.nn.Sequential(T.nn.ReLU()) + T.nn.ReLU())
    same(lambda T: T.nn.Sequential(T.nn.ReLU()) * 0)
    same(lambda T: T.nn.Sequential(T.nn.ReLU()).insert(5, T.nn.ReLU()))
    same(lambda T: T.nn.Sequential(T.nn.Linear(2, 2), T.nn.Tanh())(T.ones(1, 2)).shape)


def test_module_list_and_dict() -> None:
    def scenario(T: Any) -> Any:
        layers = T.nn.ModuleList([T.nn.Linear(2, 2) for _ in range(3)])
        layers.append(T.nn.ReLU())
        layers.extend([T.nn.ReLU(), T.nn.Tanh()])
        layers.insert(0, T.nn.Tanh())
        out = [repr(layers), len(layers), type(layers[-1]).__name__, repr(layers[1:3])]
        del layers[0]
        out.append(list(layers._modules))
        out.append(repr(layers + T.nn.ModuleList([T.nn.ReLU()])))
        d = T.nn.ModuleDict({"b": T.nn.ReLU(), "a": T.nn.Linear(1, 2)})
        d["c"] = T.nn.Tanh()
        d.update([("e", T.nn.ELU())])
        out += [repr(d), list(d.keys()), "a" in d, len(d), type(d.pop("b")).__name__, list(d)]
        d.clear()
        out.append(repr(d))
        return out
    same(scenario)
    same(lambda T: T.nn.ModuleList([T.nn.ReLU()])[2])
    same(lambda T: T.nn.ModuleList(3))
    same(lambda T: T.nn.ModuleDict().update(3))
    same(lambda T: T.nn.ModuleDict().update([("a", T.nn.ReLU(), 1)]))
    same(lambda T: repr(T.nn.ModuleList()))


def test_parameter_list_and_dict() -> None:
    def scenario(T: Any) -> Any:
        pl = T.nn.ParameterList([T.nn.Parameter(T.ones(2, 3)), T.zeros(2, dtype=T.float64)])
        pl.append(T.ones(1))
        out = [repr(pl), [type(p).__name__ for p in pl], len(pl), list(pl.state_dict()), repr(pl[1:])]
        pd = T.nn.ParameterDict({"b": T.nn.Parameter(T.ones(2, 3)), "a": T.zeros(2, dtype=T.float64)})
        pd["c"] = T.ones(1)
        pd.update(OrderedDict([("z", T.ones(1)), ("y", T.ones(2))]))
        out += [repr(pd), list(pd.keys()), list(pd.state_dict()), "a" in pd, type(pd.get("nope")).__name__,
                pd.popitem()[0], list(pd), type(pd.setdefault("n", T.zeros(1))).__name__]
        m = T.nn.Module()
        m.plist = pl
        m.pdict = pd
        out.append([n for n, _ in m.named_parameters()])
        return out
    same(scenario)
    same(lambda T: T.nn.ParameterList([T.ones(1)])(T.ones(1)))
    same(lambda T: T.nn.ParameterDict({"a": T.ones(1)})(T.ones(1)))
    same(lambda T: T.nn.ParameterDict()[3])
    same(lambda T: T.nn.ParameterList().extend(T.ones(2)))
