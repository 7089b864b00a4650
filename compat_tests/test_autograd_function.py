"""torch.autograd.Function, differential against torch (see transcript.py).

The Function classes are built per library by ``functions(T)``, from one definition each.
"""
import math

import pytest

from transcript import check_scenario


def functions(T):
    """One namespace of custom Functions written against library ``T``."""
    F = T.autograd.Function

    class Cube(F):
        @staticmethod
        def forward(ctx, x, scale):
            ctx.save_for_backward(x)
            ctx.scale = scale
            return x ** 3 * scale

        @staticmethod
        def backward(ctx, grad):
            (x,) = ctx.saved_tensors
            return 3 * x ** 2 * grad * ctx.scale, None

    class ExpSaveOut(F):
        @staticmethod
        def forward(ctx, x):
            out = x.exp()
            ctx.save_for_backward(out)
            return out

        @staticmethod
        def backward(ctx, grad):
            (out,) = ctx.saved_tensors
            return grad * out

    class Split(F):  # two outputs
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * 2, x.sin()

        @staticmethod
        def backward(ctx, g1, g2):
            (x,) = ctx.saved_tensors
            return g1 * 2 + g2 * x.cos()

    class SplitNoMaterialize(F):
        @staticmethod
        def forward(ctx, x):
            ctx.set_materialize_grads(False)
            return x * 2, x * 3

        @staticmethod
        def backward(ctx, g1, g2):
            ctx.seen = (g1 is None, g2 is None)
            return (g1 * 2 if g1 is not None else 0 * g2) + (g2 * 3 if g2 is not None else 0)

    class MaxWithIndex(F):
        @staticmethod
        def forward(ctx, x):
            idx = x.argmax()
            ctx.mark_non_differentiable(idx)
            ctx.save_for_backward(x, idx)
            return x.max(), idx

        @staticmethod
        def backward(ctx, g, g_idx):
            x, idx = ctx.saved_tensors
            ctx.seen = g_idx
            return (T.arange(x.numel()) == idx).to(x.dtype) * g

    class PassThrough(F):  # returns its inputs unchanged
        @staticmethod
        def forward(ctx, x, y):
            return x, y * 2

        @staticmethod
        def backward(ctx, gx, gy):
            return gx * 10, gy * 2

    class DoubleInPlace(F):
        @staticmethod
        def forward(ctx, x):
            x.mul_(2)
            ctx.mark_dirty(x)
            return x

        @staticmethod
        def backward(ctx, grad):
            return grad * 2

    class DirtyNotReturned(F):
        @staticmethod
        def forward(ctx, x):
            x.mul_(2)
            ctx.mark_dirty(x)
            return x * 1

        @staticmethod
        def backward(ctx, grad):
            return grad * 2

    class Scale(F):  # setup_context style, with a default argument
        @staticmethod
        def forward(x, k=2.0):
            return x * k

        @staticmethod
        def setup_context(ctx, inputs, output):
            x, k = inputs
            ctx.k = k
            ctx.save_for_backward(x, output)

        @staticmethod
        def backward(ctx, grad):
            x, out = ctx.saved_tensors
            return grad * out / x, None  # out / x is k

    class KwargForward(F):
        @staticmethod
        def forward(ctx, x, k=2.0):
            return x * k

        @staticmethod
        def backward(ctx, grad):
            return grad * 2, None

    class NonTensorOutputs(F):
        @staticmethod
        def forward(ctx, x):
            return x * 2, 5, None

        @staticmethod
        def backward(ctx, g, a, b):
            ctx.seen = (a, b)
            return g * 2

    class Needs(F):
        @staticmethod
        def forward(ctx, a, b, c, d):
            ctx.seen = ctx.needs_input_grad
            return a * b

        @staticmethod
        def backward(ctx, g):
            return g, g, None, None

    def bad(backward):
        return type("Bad", (F,), {"forward": staticmethod(lambda ctx, x, *rest: x * 2),
                                  "backward": staticmethod(backward)})

    class OnceSquare(F):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x ** 2

        @staticmethod
        @T.autograd.function.once_differentiable
        def backward(ctx, grad):
            (x,) = ctx.saved_tensors
            ctx.seen = T.is_grad_enabled()
            return 2 * x * grad

    class LegendreP3(F):
        """P3(x) = (5x^3 - 3x) / 2, with its derivative written by hand."""

        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return 0.5 * (5 * x ** 3 - 3 * x)

        @staticmethod
        def backward(ctx, grad):
            (x,) = ctx.saved_tensors
            return grad * 1.5 * (5 * x ** 2 - 1)

    return {k: v for k, v in locals().items() if isinstance(v, type) or k == "bad"}


def leaf(T, values, dtype=None):
    return T.tensor(values, dtype=dtype or T.float32, requires_grad=True)


def test_basic_function_ctx_and_grad_fn():
    def scenario(T, log):
        fn = functions(T)
        x = leaf(T, [1., 2.])
        y = fn["Cube"].apply(x, 3)
        log(y, y.grad_fn, y.grad_fn.name(), y.grad_fn.next_functions, y.grad_fn.scale)
        log(repr(y.grad_fn), y.grad_fn.needs_input_grad, y.grad_fn.saved_tensors)
        y.sum().backward()
        log(x.grad)
        log.attempt(lambda: y.grad_fn.saved_tensors)  # freed
        log.attempt(lambda: y.sum().backward())
        z = fn["Cube"].apply(T.tensor([1., 2.]), 2)  # no input requires grad
        log(z, z.requires_grad, z.grad_fn)
        with T.no_grad():
            z = fn["Cube"].apply(x, 2)
        log(z, z.requires_grad)
        fn["Needs"].apply(x, T.ones(2), 3, None)
        log(x.grad_fn)
        n = fn["Needs"]
        out = n.apply(x, T.ones(2), 3, None)
        log(out.grad_fn.seen, out.grad_fn.next_functions)
    check_scenario(scenario)


def test_multiple_outputs_and_materialize_grads():
    def scenario(T, log):
        fn = functions(T)
        x = leaf(T, [0.5, 1.5])
        a, b = fn["Split"].apply(x)
        log(a, b, a.grad_fn is b.grad_fn, a.output_nr, b.output_nr)
        a.sum().backward(retain_graph=True)  # b gets a zero gradient (materialized)
        log(x.grad)
        (a.sum() + b.sum()).backward()
        log(x.grad)
        c, _ = fn["SplitNoMaterialize"].apply(x)
        c.sum().backward()
        log(x.grad, c.grad_fn.seen)
        o = fn["NonTensorOutputs"].apply(x)
        log(o)
        o[0].sum().backward()
        log(o[0].grad_fn.seen, x.grad)
    check_scenario(scenario)


def test_mark_non_differentiable():
    def scenario(T, log):
        fn = functions(T)
        x = leaf(T, [1., 3., 2.])
        m, i = fn["MaxWithIndex"].apply(x)
        log(m, i, i.requires_grad, i.grad_fn)
        m.backward()
        log(x.grad, m.grad_fn.seen)
    check_scenario(scenario)


def test_outputs_that_are_inputs_and_mark_dirty():
    def scenario(T, log):
        fn = functions(T)
        x, y = leaf(T, [1., 2.]), leaf(T, [3., 4.])
        p, q = fn["PassThrough"].apply(x, y)
        log(p is x, p, p.grad_fn, p.is_leaf, p.data_ptr() == x.data_ptr(), x.grad_fn)
        (p.sum() + q.sum()).backward()
        log(x.grad, y.grad)
        x = leaf(T, [1., 2.])
        log.attempt(lambda: fn["DoubleInPlace"].apply(x))  # a leaf: error, after forward wrote it
        log(x)
        w = x * 1
        r = fn["DoubleInPlace"].apply(w)
        log(r is w, r, w.grad_fn, w._version)
        x.grad = None
        r.sum().backward()
        log(x.grad)
        log.attempt(lambda: fn["DirtyNotReturned"].apply(x * 1))
    check_scenario(scenario)


def test_setup_context_and_arguments():
    def scenario(T, log):
        fn = functions(T)
        x = leaf(T, [1., 2.])
        for call in (lambda: fn["Scale"].apply(x), lambda: fn["Scale"].apply(x, 5.0),
                     lambda: fn["Scale"].apply(x, k=3.0), lambda: fn["KwargForward"].apply(x),
                     lambda: fn["KwargForward"].apply(x, k=3.0)):
            x.grad = None
            r = call()
            r.sum().backward()
            log(r, x.grad)
        r = fn["Scale"].apply(x, 4.0)
        log(r.grad_fn.saved_tensors, r.grad_fn.k)
    check_scenario(scenario)


def test_errors():
    def scenario(T, log):
        fn = functions(T)
        bad = fn["bad"]
        x = leaf(T, [1., 2.])
        log.attempt(lambda: bad(lambda ctx, g: (g, g)).apply(x).sum().backward())
        log.attempt(lambda: bad(lambda ctx, g: ()).apply(x).sum().backward())
        log.attempt(lambda: bad(lambda ctx, g: g[:1]).apply(x).sum().backward())
        log.attempt(lambda: bad(lambda ctx, g: 3).apply(x).sum().backward())
        log.attempt(lambda: bad(lambda ctx, g: (g, g)).apply(x, 3).sum().backward())
        log.attempt(lambda: bad(lambda ctx, g: (g, None)).apply(x).sum().backward())  # extra Nones are fine
        log.attempt(lambda: bad(lambda ctx, g: g.double()).apply(x).sum().backward())  # cast to the input's dtype
        log(x.grad)

        class SaveInt(T.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                ctx.save_for_backward(3)
                return x

        log.attempt(lambda: SaveInt.apply(x))

        class NoBackward(T.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                return x * 2

        log.attempt(lambda: NoBackward.apply(x).sum().backward())
        log.attempt(lambda: T.autograd.Function.apply(x))
        log.attempt(lambda: fn["Cube"]()(x, 2))  # instantiating warns, calling raises
    check_scenario(scenario)


def test_once_differentiable():
    def scenario(T, log):
        fn = functions(T)
        x = leaf(T, [1., 2.], T.float64)
        g, = T.autograd.grad(fn["OnceSquare"].apply(x).sum(), x, create_graph=True)
        log(g, g.requires_grad)  # the incoming gradient needs no grad: a plain result
        y = fn["OnceSquare"].apply(x)
        v = T.ones(2, dtype=T.float64, requires_grad=True)
        g, = T.autograd.grad(y, x, v, create_graph=True)
        log(g, g.grad_fn.name(), g.grad_fn.next_functions, y.grad_fn.seen)
        log.attempt(lambda: g.sum().backward())
        g, = T.autograd.grad(fn["OnceSquare"].apply(x).sum(), x)
        log(g)
    check_scenario(scenario)


def test_double_and_triple_backward_through_functions():
    def scenario(T, log):
        fn = functions(T)
        x = leaf(T, [0.5, -1.5, 2.], T.float64)
        for name, args in (("Cube", (2.0,)), ("ExpSaveOut", ()), ("LegendreP3", ())):
            y = fn[name].apply(x, *args)
            g1, = T.autograd.grad(y.sum(), x, create_graph=True)
            g2, = T.autograd.grad(g1.sum(), x, create_graph=True)
            g3, = T.autograd.grad(g2.sum(), x)
            log(g1, g2, g3)
        a, b = fn["Split"].apply(x)
        g1, = T.autograd.grad((a * b).sum(), x, create_graph=True)
        log(g1, T.autograd.grad(g1.sum(), x))
    check_scenario(scenario)


def test_saved_tensor_modified_in_place():
    def scenario(T, log):
        fn = functions(T)
        x = leaf(T, [1., 2.])
        w = x * 1
        y = fn["Cube"].apply(w, 1)
        w.add_(1)
        log.attempt(lambda: y.sum().backward())
        y = fn["ExpSaveOut"].apply(x * 1)
        y.add_(1)
        log.attempt(lambda: y.sum().backward())
    check_scenario(scenario)


def test_legendre_polynomial_fit():
    """Fit y = sin(x) with a + b * P3(c + d * x), P3 a custom Function, by plain gradient descent."""
    def scenario(T, log):
        P3 = functions(T)["LegendreP3"]
        x = T.linspace(-math.pi, math.pi, 200).to(T.float64)
        y = T.sin(x)
        a, b, c, d = (T.full((), v, dtype=T.float64, requires_grad=True) for v in (0.0, -1.0, 0.0, 0.3))
        lr = 5e-6
        for step in range(300):
            y_pred = a + b * P3.apply(c + d * x)
            loss = (y_pred - y).pow(2).sum()
            if step % 100 == 99:
                log(step, loss)
            loss.backward()
            with T.no_grad():
                for p in (a, b, c, d):
                    p -= lr * p.grad
                    p.grad = None
        log(a, b, c, d)
    check_scenario(scenario, rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("name", ["InplaceFunction", "FunctionCtx", "BackwardCFunction", "once_differentiable"])
def test_function_module_names(name):
    def scenario(T, log):
        log(hasattr(T.autograd.function, name), hasattr(T.autograd.Function, "apply"))
    check_scenario(scenario)
