"""torch.func (grad, vjp, jvp, jacobians, hessian, vmap, functional_call) and torch.vmap, differential
against torch: values, structures, nesting with each other and with autograd, and torch's errors."""
import numpy as np

from func_harness import warm_up_torch_forward_ad
from harness import check, check_error
from transcript import check_scenario

warm_up_torch_forward_ad()

X = np.array([0.5, -1.25, 2.0])
Y = np.array([[1.0, -0.5, 0.25], [2.0, 0.75, -1.5]])


def t(T, a, requires_grad=False):
    return T.tensor(a, dtype=T.float64, requires_grad=requires_grad)


def loss(T, x, y):
    return (x.sin() * y).sum() + (x * x).sum()


# ---- grad / grad_and_value ---------------------------------------------------------------------
def test_grad_argnums_and_aux():
    def scenario(T, log):
        F = T.func
        x, y = t(T, X), t(T, Y[0])
        f = lambda a, b: loss(T, a, b)  # noqa: E731
        log(F.grad(f)(x, y), F.grad(f, argnums=1)(x, y), F.grad(f, argnums=(0, 1))(x, y),
            F.grad(f, argnums=-1)(x, y))
        log(F.grad_and_value(f)(x, y), F.grad_and_value(f, argnums=(1,))(x, y))
        log(F.grad(lambda a, b: (f(a, b), {"s": a.sum(), "c": (a.cos(),)}), has_aux=True)(x, y))
        log(F.grad_and_value(lambda a, b: (f(a, b), a * 2), has_aux=True)(x, y))
        log(F.grad(lambda a, scale=1.0: (a * a).sum() * scale)(x, scale=3.0))
        log(F.grad(lambda d: (d["u"] * d["v"][0]).sum())({"u": x, "v": [y]}))
        log(F.grad(lambda a: y.sum())(x))  # independent of the input: zeros
    check_scenario(scenario)


def test_grad_errors():
    def scenario(T, log):
        F = T.func
        x = t(T, X)
        log.attempt(lambda: F.grad(lambda a: a * 2)(x))
        log.attempt(lambda: F.grad(lambda a: 3.0)(x))
        log.attempt(lambda: F.grad(lambda a: a.sum(), has_aux=True)(x))
        log.attempt(lambda: F.grad(lambda a: (a.sum(), 3), has_aux=True)(x))
        log.attempt(lambda: F.grad(lambda a: a.sum(), argnums=1)(x))
        log.attempt(lambda: F.grad(lambda a: a.sum(), argnums=(0, 0))(x))
        log.attempt(lambda: F.grad(lambda a: a.sum(), argnums=())(x))
        log.attempt(lambda: F.grad(lambda a: a.sum(), argnums=[0])(x))
        log.attempt(lambda: F.grad(lambda a: a.sum(), argnums=(0.5,))(x))
        log.attempt(lambda: F.grad(lambda a: 2.0)(3.0))
    check_scenario(scenario)


def test_grad_composes_with_autograd_and_itself():
    def scenario(T, log):
        F = T.func
        x, w = t(T, X), t(T, Y[0], requires_grad=True)
        g = F.grad(lambda a: (a.sin() * w).sum())(x)  # depends on w: differentiable outside
        log(g.requires_grad, T.autograd.grad(g.sum(), w)[0])
        log(F.grad(lambda a: (a * a).sum())(x).requires_grad)
        log(F.grad(F.grad(lambda a: a.sin().sum() if a.dim() == 0 else a))(t(T, 0.7)))
        log(F.grad(lambda a: F.grad(lambda b: (a * b * b).sum())(a).sum())(x))  # no perturbation confusion
        log(F.grad(lambda b: F.grad(lambda a: (a.exp() * b).sum())(x).pow(2).sum())(t(T, Y[1])))
        with T.no_grad():
            log(F.grad(lambda a: (a * w).sum())(x).requires_grad, F.grad(lambda a: (a.cos()).sum())(x))
    check_scenario(scenario)


# ---- vjp / jvp / linearize ---------------------------------------------------------------------
def test_vjp():
    def scenario(T, log):
        F = T.func
        x, y = t(T, X), t(T, Y)
        out, fn = F.vjp(lambda a, b: (b * a).sum(0), x, y)
        log(out, fn(t(T, [1.0, 2.0, 3.0])), fn(t(T, [0.5, 0.5, 0.5])))
        out, fn, aux = F.vjp(lambda a: ({"p": a.exp(), "q": (a.sin(),)}, a.sum()), x, has_aux=True)
        log(out, aux, fn({"p": t(T, X), "q": (t(T, X) * 2,)}))
        log.attempt(lambda: fn({"p": t(T, X)}))
        log.attempt(lambda: F.vjp(lambda a: a.sum(), x, has_aux=True))
        log.attempt(lambda: F.vjp(lambda a: (a > 0), x))
        log.attempt(lambda: F.vjp(lambda a: 3, x))
        log.attempt(lambda: F.vjp(lambda a: a, 3))
        w = t(T, X, requires_grad=True)
        log(T.autograd.grad(F.vjp(lambda a: a * w, x)[1](t(T, X))[0].sum(), w))
    check_scenario(scenario)


def test_jvp_and_linearize():
    def scenario(T, log):
        F = T.func
        x, y, v = t(T, X), t(T, Y[0]), t(T, [1.0, -2.0, 0.5])
        log(F.jvp(lambda a, b: loss(T, a, b), (x, y), (v, v)))
        log(F.jvp(lambda a: (a.exp(), a.sum()), (x,), (v,)))
        log(F.jvp(lambda a: (a * 2, {"k": a.cos()}), (x,), (v,), has_aux=True))
        log(F.jvp(lambda a: T.ones(3, dtype=T.float64), (x,), (v,)))
        log.attempt(lambda: F.jvp(lambda a: T.ones(3, dtype=T.float64), (x,), (v,), strict=True))
        log.attempt(lambda: F.jvp(T.sin, x, v))
        log.attempt(lambda: F.jvp(T.sin, (x,), (v, v)))
        log.attempt(lambda: F.jvp(T.sin, (x,), [v]))
        log.attempt(lambda: F.jvp(T.sin, (), ()))
        log.attempt(lambda: F.jvp(T.sin, (x,), (3.0,)))
        log.attempt(lambda: F.jvp(lambda a: 5, (x,), (v,)))
        log.attempt(lambda: F.jvp(lambda a: a, (x,), (v,), has_aux=True))
        log(F.jvp(F.grad(lambda a: (a.sin() ** 2).sum()), (x,), (v,)))  # forward over reverse
    check_scenario(scenario)


def linearized(T, x, v):
    out, fn = T.func.linearize(lambda a: a.sin() * a, x)
    return out, fn(v), fn(x)


def test_linearize():  # (torch's tracing warns about its own graph module: not compared)
    check(linearized, [X, np.array([1.0, -2.0, 0.5])], grad=False)
    check_error(lambda T: T.func.linearize(T.sin, T.ones(2))[1](T.ones(3)))
    check_error(lambda T: T.func.linearize(T.sin, T.ones(2))[1](T.ones(2), T.ones(2)))
    check_error(lambda T: T.func.linearize(T.sin, T.ones(2))[1](T.ones(2, dtype=T.float64)))


# ---- jacobians, hessian ------------------------------------------------------------------------
def test_jacobians():
    def scenario(T, log):
        F = T.func
        x, y = t(T, X), t(T, Y)
        f = lambda a, b: (b @ a.sin(), a.prod())  # noqa: E731
        for jac in (F.jacrev, F.jacfwd):
            log(jac(T.sin)(x), jac(f)(x, y), jac(f, argnums=1)(x, y), jac(f, argnums=(0, 1))(x, y))
            log(jac(lambda a: (a.exp(), a.sum()), has_aux=True)(x))
            log(jac(lambda d: d["a"] * d["b"])({"a": x, "b": x.cos()}))
            log(jac(lambda a: (a * a).sum())(x), jac(lambda a: a.reshape(3, 1) * a)(x))
            log.attempt(lambda: jac(T.sin, argnums=2)(x))
            log.attempt(lambda: jac(lambda a: a, has_aux=True)(x))
        log(F.jacrev(T.sin, chunk_size=1)(x), F.jacrev(T.sin, chunk_size=2)(x))
        log.attempt(lambda: F.jacrev(T.sin, chunk_size=0))
        log.attempt(lambda: F.jacfwd(T.sin, randomness="x")(x))
        log(F.jacrev(F.jacrev(lambda a: a.sin().sum()))(x), F.jacfwd(F.jacrev(lambda a: a.pow(3)))(x))
        h = lambda a, b: (a.sin() * b).sum() * a.sum()  # noqa: E731
        log(F.hessian(h)(x, x.exp()), F.hessian(h, argnums=(0, 1))(x, x.exp()))
    check_scenario(scenario)


# ---- vmap --------------------------------------------------------------------------------------
def test_vmap_values():
    def scenario(T, log):
        F = T.func
        x, y = t(T, Y), t(T, Y.T.copy())
        log(T.vmap(T.dot)(x, x), F.vmap(T.mv, in_dims=(None, 0))(x, x))
        log(F.vmap(lambda a, b: a * b, in_dims=(0, 1))(x, y), F.vmap(T.sum, in_dims=-1)(x))
        log(F.vmap(lambda a: (a.sin(), {"c": a.cos()}), out_dims=(1, {"c": 0}))(x))
        log(F.vmap(lambda a: a.outer(a), out_dims=-1)(x))
        log(F.vmap(lambda d: d["p"][0] + d["q"], in_dims=({"p": (0,), "q": None},))({"p": (x,), "q": y[:, 0]}))
        log(F.vmap(F.vmap(lambda a, b: a * b))(x, x), F.vmap(F.vmap(T.dot, (0, None)), (None, 0))(x, y.T))
        log(F.vmap(lambda a: (a * 2, T.ones(2, dtype=T.float64)), out_dims=(0, None))(x))
        log(F.vmap(lambda a, k: a * k, chunk_size=1)(x, k=3.0))
    check_scenario(scenario)


def test_vmap_with_autodiff():
    def scenario(T, log):
        F = T.func
        x, w = t(T, Y), t(T, X, requires_grad=True)
        log(F.vmap(F.grad(lambda a: (a.sin() * a).sum()))(x))  # per-sample gradients
        out = F.vmap(lambda a: (a * w).exp().sum())(x)  # (its grad_fn is the stacking's, not torch's)
        log(out.detach(), T.autograd.grad(out.sum(), w))
        log(F.jacrev(F.vmap(lambda a: a.sin() * a))(x), F.vmap(F.jacfwd(lambda a: a.cumsum(0)))(x))
    check_scenario(scenario)


def test_vmap_errors():
    def scenario(T, log):
        F = T.func
        x = t(T, Y)
        log.attempt(lambda: F.vmap(T.sin, in_dims=(0, 0))(x))
        log.attempt(lambda: F.vmap(T.sin, in_dims=[0])(x))
        log.attempt(lambda: F.vmap(T.sin, in_dims=2)(x))
        log.attempt(lambda: F.vmap(T.sin, in_dims=(0.5,))(x))
        log.attempt(lambda: F.vmap(lambda a, n: a, in_dims=(0, 0))(x, 3))
        log.attempt(lambda: F.vmap(T.sin, in_dims=None)(x))
        log.attempt(lambda: F.vmap(T.add)(x, x[:1]))
        log.attempt(lambda: F.vmap(T.sin)())
        log.attempt(lambda: F.vmap(T.sin, out_dims=(0, 1))(x))
        log.attempt(lambda: F.vmap(lambda a: (a, a), out_dims=(0, 1, 2))(x))
        log.attempt(lambda: F.vmap(T.sin, out_dims="a")(x))
        log.attempt(lambda: F.vmap(lambda a: 3)(x))
        log.attempt(lambda: F.vmap(T.sin, out_dims=None)(x))
        log.attempt(lambda: F.vmap(T.sin, randomness="x"))
        log.attempt(lambda: F.vmap(T.sin, chunk_size=0))
        log.attempt(lambda: F.vmap(lambda a: a + T.rand(3))(x))
    check_scenario(scenario)


def test_vmap_randomness():
    def scenario(T, log):
        T.manual_seed(0)
        x = T.zeros(4, 3)
        same = T.vmap(lambda a: a + T.rand(3), randomness="same")(x)
        log(same, T.rand(2))  # the stream moved on by one example's draw
        different = T.vmap(lambda a: a + T.rand(3), randomness="different")(x)
        log(bool((different[0] != different[1]).any()), different.shape)
    check_scenario(scenario)


# ---- functional_call, stack_module_state -------------------------------------------------------
def test_functional_call_and_stack_module_state():
    def scenario(T, log):
        F = T.func
        T.manual_seed(0)
        model = T.nn.Sequential(T.nn.Linear(3, 2), T.nn.BatchNorm1d(2))
        x = T.randn(4, 3)
        params = {k: v.detach() * 2 for k, v in model.named_parameters()}
        log(F.functional_call(model, params, (x,)), F.functional_call(model, params, x))
        log(model[0].weight, model[1].running_mean.clone())  # restored; the buffer updated in place
        log(F.functional_call(model, (params, dict(model.named_buffers())), args=(x,)))
        log(F.functional_call(T.nn.Linear(3, 2), {"weight": T.ones(2, 3)}, kwargs={"input": x}))
        log.attempt(lambda: F.functional_call(model, [params, params], (x,)))
        log.attempt(lambda: F.functional_call(model, [params, 3], (x,)))
        log.attempt(lambda: F.functional_call(model, 3, (x,)))
        log.attempt(lambda: F.functional_call(model, {"0.weight": T.ones(2, 3), "nope": T.ones(1)}, (x,),
                                              strict=True))
        tied = T.nn.Sequential(T.nn.Linear(2, 2, bias=False), T.nn.Linear(2, 2, bias=False))
        tied[1].weight = tied[0].weight
        log(F.functional_call(tied, {"0.weight": T.eye(2)}, (x[:, :2],)))
        log(F.functional_call(tied, {"0.weight": T.eye(2)}, (x[:, :2],), tie_weights=False))
        log.attempt(lambda: F.functional_call(tied, {"0.weight": T.eye(2), "1.weight": T.ones(2, 2)}, (x[:, :2],)))
        log(T.nn.utils.stateless.functional_call(model, params, (x,)))
        lin_params = {k: v.detach() for k, v in model[0].named_parameters()}
        log(F.grad(lambda p: F.functional_call(model[0], p, (x,)).pow(2).sum())(lin_params))

        models = [T.nn.Linear(3, 2) for _ in range(3)]
        stacked, buffers = F.stack_module_state(models)
        log(stacked, buffers, stacked["weight"].is_leaf, stacked["weight"].requires_grad)
        base = T.nn.Linear(3, 2)
        log(F.vmap(lambda p, a: F.functional_call(base, p, (a,)), in_dims=(0, None))(stacked, x).detach())
        log.attempt(lambda: F.stack_module_state([]))
        log.attempt(lambda: F.stack_module_state([models[0], T.nn.Linear(3, 2).eval()]))
        log.attempt(lambda: F.stack_module_state([models[0], T.nn.Tanh()]))
        frozen = T.nn.Linear(3, 2)
        frozen.weight.requires_grad_(False)
        log.attempt(lambda: F.stack_module_state([models[0], frozen]))
    check_scenario(scenario)


def test_func_errors_on_non_tensor_inputs():
    check_error(lambda T: T.func.jacrev(T.sin)(3.0))
    check_error(lambda T: T.func.vjp(T.sin, [1.0]))
