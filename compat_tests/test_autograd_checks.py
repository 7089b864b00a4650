"""gradcheck / gradgradcheck, anomaly mode, the legacy Variable, graph introspection and
torch.autograd.graph, differential against torch (see transcript.py)."""
from transcript import check_scenario



def mul_exp_functions(T):
    """x * exp(y) with a correct backward, and one with a wrong gradient for y."""
    class MulExp(T.autograd.Function):
        @staticmethod
        def forward(ctx, x, y):
            ctx.save_for_backward(x, y)
            return x * y.exp()

        @staticmethod
        def backward(ctx, g):
            x, y = ctx.saved_tensors
            return g * y.exp(), g * x * y.exp()

    class WrongMulExp(MulExp):
        @staticmethod
        def backward(ctx, g):
            x, y = ctx.saved_tensors
            return g * y.exp(), g * x

    class DetachedSquare(T.autograd.Function):
        """Right first derivative, but its backward is not differentiable (wrong second derivative)."""

        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x ** 2

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return g * 2 * x.detach()

    return MulExp, WrongMulExp, DetachedSquare


def test_gradcheck():
    def scenario(T, log):
        good, wrong, _ = mul_exp_functions(T)
        x = T.tensor([[0.5, -1.0, 2.0]], dtype=T.float64, requires_grad=True)
        y = T.tensor([[0.1, 0.2, -0.3]], dtype=T.float64, requires_grad=True)
        gradcheck = T.autograd.gradcheck
        log(gradcheck(good.apply, (x, y)), gradcheck(T.tanh, (x,)), gradcheck(lambda a: a * 2, x))
        log(gradcheck(lambda a, k: (a * k, a.sum()), (x, 3)), gradcheck(lambda a: (a @ a.t()).sin(), (x,)))
        log.attempt(lambda: gradcheck(wrong.apply, (x, y)))
        log(gradcheck(wrong.apply, (x, y), raise_exception=False))
        log(gradcheck(wrong.apply, (x, y), atol=0.5, rtol=0.5))
        xf = x.float().detach().requires_grad_()
        log.attempt(lambda: gradcheck(lambda a: a * 2, (xf,)))  # warns, then fails in float32
        log.attempt(lambda: gradcheck(lambda a: a * 2, (x.detach(),)))
        log.attempt(lambda: T.autograd.gradcheck.GradcheckError.__mro__[1].__name__)
    check_scenario(scenario)


def test_gradgradcheck():
    def scenario(T, log):
        good, _, detached = mul_exp_functions(T)
        x = T.tensor([[0.5, -1.0, 2.0]], dtype=T.float64, requires_grad=True)
        y = T.tensor([[0.1, 0.2, -0.3]], dtype=T.float64, requires_grad=True)
        T.manual_seed(0)  # gradgradcheck draws random output gradients
        log(T.autograd.gradgradcheck(good.apply, (x, y)), T.autograd.gradgradcheck(lambda a: (a ** 3).sum(), (x,)))
        log(T.autograd.gradgradcheck(lambda a: a ** 3, (x,), grad_outputs=(T.ones(1, 3, dtype=T.float64),)))
        log(T.autograd.gradcheck(detached.apply, (x,)))
        log.attempt(lambda: T.autograd.gradgradcheck(detached.apply, (x,)))
        log(T.autograd.gradgradcheck(detached.apply, (x,), raise_exception=False))
    check_scenario(scenario)


def test_anomaly_mode():
    def scenario(T, log):
        x = T.tensor([0., 1.], requires_grad=True)
        log(T.is_anomaly_enabled(), T.is_anomaly_check_nan_enabled())
        y = x.sqrt() * 0  # made outside anomaly mode: no forward trace
        with T.autograd.detect_anomaly():
            log(T.is_anomaly_enabled())
            log.attempt(lambda: y.sum().backward())
            z = x.sqrt() * 0
            log.attempt(lambda: z.sum().backward())
        log(T.is_anomaly_enabled())
        T.autograd.set_detect_anomaly(True)
        w = x * 2
        w.register_hook(lambda g: g * float("nan"))
        log.attempt(lambda: (w * 1).sum().backward())
        T.autograd.set_detect_anomaly(False)
        x.grad = None
        (x.sqrt() * 0).sum().backward()  # NaN passes silently when off
        log(x.grad)
        with T.autograd.set_detect_anomaly(True, check_nan=False):
            log(T.is_anomaly_enabled(), T.is_anomaly_check_nan_enabled())
            (x.sqrt() * 0).sum().backward()
        log(T.is_anomaly_enabled(), T.is_anomaly_check_nan_enabled())
        a = T.tensor([0., 2.], dtype=T.float64, requires_grad=True)
        with T.autograd.detect_anomaly():
            g, = T.autograd.grad(a.sqrt().sum(), a, create_graph=True)
            # the failing node was made by a backward: torch also reports the node that induced it
            log.attempt(lambda: T.autograd.grad(g, a, T.tensor([0., 1.], dtype=T.float64)))
        log.attempt(lambda: T.autograd.detect_anomaly()(lambda: None))
    check_scenario(scenario)


def test_variable():
    def scenario(T, log):
        from_autograd = __import__(T.__name__ + ".autograd", fromlist=["Variable"])
        Variable = from_autograd.Variable
        x = T.tensor([1., 2.])
        v = Variable(x, requires_grad=True)
        log(v, v is x, v.data_ptr() == x.data_ptr(), isinstance(v, Variable), isinstance(x, Variable),
            isinstance(3, Variable), type(v) is type(x))
        log(Variable(x), Variable(x, True), Variable(), Variable(x, volatile=True))
        (v * 3).sum().backward()
        log(v.grad, x.grad)
        log(Variable(v * 2), Variable(T.tensor([1, 2])))
        log.attempt(lambda: Variable([1., 2.]))
        log.attempt(lambda: Variable(T.tensor([1, 2]), requires_grad=True))
        log.attempt(lambda: T.autograd.variable(3))
        log(T.autograd.Variable is Variable)
    check_scenario(scenario)


def test_graph_introspection():
    def scenario(T, log):
        x = T.tensor([[1., 2.], [3., 4.]], requires_grad=True)
        y = T.tensor([[1., -1.], [2., 0.5]], requires_grad=True)
        for out, attrs in ((x * y, ("_saved_self", "_saved_other")), (x + y, ("_saved_alpha",)),
                           (x / y, ("_saved_self", "_saved_other")), (x.exp(), ("_saved_result",)),
                           (x.tanh(), ("_saved_result",)), (x @ y, ("_saved_self", "_saved_mat2")),
                           (x ** 2, ("_saved_self", "_saved_exponent")), (x.log(), ("_saved_self",)),
                           (x.sigmoid(), ("_saved_result",)), (x.sum(1), ("_saved_keepdim",))):
            gf = out.grad_fn
            log(gf, gf.name(), gf.next_functions, *[getattr(gf, a) for a in attrs])
            log(isinstance(gf, T.autograd.graph.Node), gf.metadata)
        z = (x * y).sum()
        edge = T.autograd.graph.get_gradient_edge(x * 2)
        log(edge.output_nr, edge.node.name(), T.autograd.graph.get_gradient_edge(x).node)
        log.attempt(lambda: T.autograd.graph.get_gradient_edge(T.ones(2)))
        z.backward()
        log.attempt(lambda: z.grad_fn.next_functions[0][0]._saved_self)
    check_scenario(scenario)


def test_saved_tensors_hooks():
    def scenario(T, log):
        x = T.tensor([1., 2.], requires_grad=True)
        graph = T.autograd.graph

        def pack(t):
            log("pack", t)
            return t

        def unpack(t):
            log("unpack", t)
            return t
        with graph.saved_tensors_hooks(pack, unpack):
            w = x * 1
            y = w * w
            e = w.exp()
        w.add_(1)  # values behind hooks are not version-checked
        y.sum().backward()
        e.sum().backward()
        log(x.grad)
        with graph.saved_tensors_hooks(lambda t: t.detach().clone(), lambda t: t * 1):
            y = x.exp()
            z = x * x
        log(y.grad_fn._saved_result, z.grad_fn._saved_self)
        g, = T.autograd.grad(z.sum(), x, create_graph=True)
        log(g, T.autograd.grad(g.sum(), x))
        g, = T.autograd.grad(y.sum(), x, create_graph=True)
        log(g, T.autograd.grad(g.sum(), x))
        with graph.saved_tensors_hooks(lambda t: 5, lambda t: t):
            y = x.exp()
        log.attempt(lambda: y.sum().backward())
        with graph.disable_saved_tensors_hooks("no hooks here"):
            log.attempt(lambda: graph.saved_tensors_hooks(lambda t: t, lambda t: t).__enter__())
        with graph.save_on_cpu():
            y = x.exp()
        x.grad = None
        y.sum().backward()
        log(x.grad)
    check_scenario(scenario)
