"""autograd.grad in every mode, higher-order derivatives and torch.autograd.functional, differential
against torch (see transcript.py)."""
import pytest

from transcript import check_scenario


def leaf(T, values, dtype=None):
    return T.tensor(values, dtype=dtype or T.float64, requires_grad=True)


def test_grad_modes():
    def scenario(T, log):
        x, y, u = leaf(T, [1., 2.]), leaf(T, [3., 4.]), leaf(T, [5., 6.])
        out = (x * y).sum()
        keep = {"retain_graph": True}
        log.attempt(lambda: T.autograd.grad(out, [x, u], **keep))
        log(T.autograd.grad(out, [x, u], allow_unused=True, **keep))
        log(T.autograd.grad(out, [x, u], materialize_grads=True, **keep))
        log(T.autograd.grad(out, [x, u], materialize_grads=True, create_graph=True))
        log.attempt(lambda: T.autograd.grad(out, [x, u], materialize_grads=True, allow_unused=False, **keep))
        log(T.autograd.grad(out, x, **keep), T.autograd.grad(out, (x,), **keep), T.autograd.grad([out], [y], **keep))
        log(T.autograd.grad(out, {"a": x, "b": y}, **keep))
        log(T.autograd.grad([out], [y], [T.tensor(2., dtype=T.float64)], **keep))
        log(T.autograd.grad([out], [y], [None], **keep))
        log(T.autograd.grad([out], [y], [T.tensor(2., dtype=T.float64), None], **keep))  # extra ones ignored
        log.attempt(lambda: T.autograd.grad([out, out * 2], [y], [T.tensor(2., dtype=T.float64)], **keep))
        log.attempt(lambda: T.autograd.grad(out, [T.ones(2)], **keep))
        log.attempt(lambda: T.autograd.grad(T.ones(2).sum(), [x], **keep))
        log.attempt(lambda: T.autograd.grad(out, [], **keep))
        log.attempt(lambda: T.autograd.grad(x * y, [x], **keep))
        log(T.autograd.grad(x * y, [x], T.ones(2, dtype=T.float64), **keep))
        log.attempt(lambda: T.autograd.grad(x * y, [x], T.ones(3), **keep))
        log(T.autograd.grad(out, [x, x], **keep))
        log.attempt(lambda: T.autograd.grad(out, [x], 5, **keep))
        log(T.autograd.grad(out, x))
        log.attempt(lambda: T.autograd.grad(out, x))  # freed
        log(x.grad, y.grad)  # grad never touches .grad
        a = x * 2
        b = (a * a).sum()
        log(T.autograd.grad(b, a, retain_graph=True), T.autograd.grad(b, [a, x]))  # non-leaf inputs
        edge = T.autograd.graph.get_gradient_edge(a)
        log(T.autograd.grad((a * 3).sum(), edge))
    check_scenario(scenario)


def test_grads_batched():
    def scenario(T, log):
        x, y = leaf(T, [1., 2.]), leaf(T, [3., 4.])
        v = x * y
        log(T.autograd.grad(v, x, T.eye(2, dtype=T.float64), is_grads_batched=True, retain_graph=True))
        log(T.autograd.grad(v, (x, y), T.eye(2, dtype=T.float64) * 3, is_grads_batched=True, retain_graph=True))
        log.attempt(lambda: T.autograd.grad(v, (x, y), T.ones(3), is_grads_batched=True, retain_graph=True))
    check_scenario(scenario)


COMPOSITES = {
    "poly": lambda T, x, y: (x ** 3 * y - 2 * x * y ** 2).sum(),
    "tanh_mm": lambda T, x, y: (x.reshape(1, 2) @ T.outer(y, x)).tanh().sum(),
    "exp_log": lambda T, x, y: (x.exp() * (y * y + 1).log()).mean(),
    "sigmoid_div": lambda T, x, y: (x.sigmoid() / (1 + y.abs())).sum(),
    "trig_sqrt": lambda T, x, y: (x.sin() * y.cos() + (x * x + y * y).sqrt()).sum(),
    "softmax": lambda T, x, y: (T.softmax(x * y, 0) * T.tensor([1., 2.], dtype=T.float64)).sum(),
    "pow_tensor": lambda T, x, y: (x.abs() + 1).pow(y).sum(),
}


@pytest.mark.parametrize("name", sorted(COMPOSITES))
def test_second_and_third_derivatives(name):
    f = COMPOSITES[name]

    def scenario(T, log):
        x, y = leaf(T, [0.5, -1.25]), leaf(T, [1.5, 0.75])
        gx, gy = T.autograd.grad(f(T, x, y), (x, y), create_graph=True)
        hxx = T.autograd.grad(gx.sum(), (x, y), create_graph=True)
        hyy = T.autograd.grad((gy * gy).sum(), (x, y), create_graph=True, allow_unused=True)
        third = T.autograd.grad(hxx[0].sum() + hxx[1].sum(), (x, y), allow_unused=True)
        # values only: how a derivative's own graph is built (its grad_fn names) is the ops' business
        log(*[None if g is None else (g.detach(), g.requires_grad) for g in (gx, gy) + hxx + hyy + third])
    check_scenario(scenario, rtol=1e-9, atol=1e-9)


def test_hessian_vector_product_and_gradient_penalty():
    def scenario(T, log):
        w = T.tensor([[1., 2.], [3., 4.]], dtype=T.float64, requires_grad=True)
        inp = T.tensor([[0.5, -1.]], dtype=T.float64, requires_grad=True)
        out = (inp @ w).tanh().sum()
        g, = T.autograd.grad(out, inp, create_graph=True)
        penalty = ((g.norm(2, dim=1) - 1) ** 2).mean()
        penalty.backward()
        log(g, penalty, w.grad, inp.grad)
        x = leaf(T, [1., 2., 3.])
        loss = (x ** 4).sum() + (x[0] * x[1] * x[2])
        g, = T.autograd.grad(loss, x, create_graph=True)
        v = T.tensor([1., 0., -1.], dtype=T.float64)
        hv, = T.autograd.grad(g, x, v)
        log(hv)
    check_scenario(scenario, rtol=1e-9, atol=1e-9)


def test_functional_jacobian():
    def scenario(T, log):
        F = T.autograd.functional
        x = T.tensor([0.5, -1., 2.], dtype=T.float64)
        y = T.tensor([[1., 2.], [3., 4.]], dtype=T.float64)
        log(F.jacobian(lambda a: a.exp() * a.sum(), x))
        log(F.jacobian(lambda a, b: (a[:2] * b).sum(0), (x, y)))
        log(F.jacobian(lambda a: (a * 2, a.sum()), x))
        log(F.jacobian(lambda a, b: (a.sin(), b @ b), (x, y)))
        log(F.jacobian(lambda a: a ** 2, x, create_graph=True))
        log(F.jacobian(lambda a, b: a * 2, (x, y)))  # independent of b: zeros
        log(F.jacobian(lambda a: a ** 2, x, vectorize=True))
        log.attempt(lambda: F.jacobian(lambda a, b: a * 2, (x, y), strict=True))
        log.attempt(lambda: F.jacobian(lambda a: a.detach(), x, strict=True))
        log.attempt(lambda: F.jacobian(lambda a: 3, x))
        log.attempt(lambda: F.jacobian(lambda a: a, [x]))
        log.attempt(lambda: F.jacobian(lambda a: a, x, strategy="forward-mode"))
    check_scenario(scenario, rtol=1e-9, atol=1e-9)


def test_functional_hessian():
    def scenario(T, log):
        F = T.autograd.functional
        x = T.tensor([0.5, -1., 2.], dtype=T.float64)
        y = T.tensor([1.5, 0.25], dtype=T.float64)
        log(F.hessian(lambda a: (a ** 3).sum(), x))
        log(F.hessian(lambda a: (a.exp() * a.roll(1)).sum(), x))
        log(F.hessian(lambda a, b: (a[:2] * b ** 2).sum() + a.prod(), (x, y)))
        log(F.hessian(lambda a: a.sigmoid().sum(), x, create_graph=True))
        log.attempt(lambda: F.hessian(lambda a: a * 2, x))
        log.attempt(lambda: F.hessian(lambda a: (a, a), x))
        log.attempt(lambda: F.hessian(lambda a: a.sum() * 2, x, strict=True))
    check_scenario(scenario, rtol=1e-9, atol=1e-9)


def test_functional_products():
    def scenario(T, log):
        F = T.autograd.functional
        x = T.tensor([0.5, -1., 2.], dtype=T.float64)
        y = T.tensor([1.5, 0.25], dtype=T.float64)
        v3 = T.tensor([1., 2., -1.], dtype=T.float64)
        f = lambda a: (a ** 3).sum() + a.prod()  # noqa: E731
        g = lambda a: a.exp() * a.sum()  # noqa: E731
        log(F.vjp(g, x, v3), F.vjp(f, x), F.vjp(lambda a, b: (a[:2] * b).sum(), (x, y)))
        log(F.jvp(g, x, v3), F.jvp(lambda a, b: a[:2] * b, (x, y), (v3, y)))
        log(F.hvp(f, x, v3), F.vhp(f, x, v3))
        log(F.hvp(lambda a, b: (a[:2] * b ** 2).sum(), (x, y), (v3, y)))
        log(F.vjp(g, x, v3, create_graph=True), F.hvp(f, x, v3, create_graph=True))
        log.attempt(lambda: F.vjp(g, x))
        log.attempt(lambda: F.jvp(g, x, T.ones(2, dtype=T.float64)))
        log.attempt(lambda: F.hvp(g, x, v3))
        log.attempt(lambda: F.vjp(lambda a, b: (a, b), (x, y), (v3,)))
        log.attempt(lambda: F.vhp(lambda a: a.sum() * 2, x, v3, strict=True))
    check_scenario(scenario, rtol=1e-9, atol=1e-9)
