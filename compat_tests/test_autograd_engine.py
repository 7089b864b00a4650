"""The autograd engine's foundation behaviours, differential against torch (see transcript.py)."""
import pytest

from transcript import check_scenario



def leaf(T, values, dtype=None):
    return T.tensor(values, dtype=dtype or T.float32, requires_grad=True)


def test_requires_grad_propagation_and_graph_shape():
    def scenario(T, log):
        x, b = leaf(T, [[1., 2.], [3., 4.]]), leaf(T, [1., -1.])
        c = T.tensor([2., 3.])
        y = x * b + 1
        z = c * 2
        log(y.requires_grad, y.is_leaf, x.is_leaf, z.requires_grad, z.is_leaf, z.grad_fn, c.grad_fn)
        log(y.grad_fn, y.grad_fn.name(), y.grad_fn.next_functions)
        mul = y.grad_fn.next_functions[0][0]
        log(mul.next_functions, mul.next_functions[0][0].variable is x, mul.next_functions[1][0].variable is b)
        log((x * c).grad_fn.next_functions)  # an input that needs no grad: (None, 0)
        log(mul.next_functions[0][0] is (x * 3).grad_fn.next_functions[0][0])  # one AccumulateGrad per leaf
        written = x.clone()
        written[0].mul_(2)
        log(mul.next_functions[0][0].name(), written.grad_fn.name())  # C++ nodes: torch::autograd::...
        log(y.sum().grad_fn, (y @ b).grad_fn, y.t().grad_fn, y[0].grad_fn, y.exp().grad_fn.name())
        with T.no_grad():
            log((x * 2).requires_grad, (x * 2).grad_fn)
        i = T.tensor([1, 2])
        log((x.sum() * i).requires_grad, (x > 1).requires_grad, x.argmax().requires_grad)
    check_scenario(scenario)


def test_backward_gradient_and_accumulation():
    def scenario(T, log):
        x, b = leaf(T, [[1., 2.], [3., 4.]]), leaf(T, [1., -1.])
        y = x * b + 1
        y.backward(T.tensor([[1., 2.], [3., 4.]]), retain_graph=True)
        log(x.grad, b.grad)
        g = x.grad
        y.backward(T.ones(2, 2))
        log(x.grad, b.grad, g is x.grad)  # accumulated in place
        log.attempt(lambda: y.backward(T.ones(2, 2)))  # graph freed
        x.grad = None
        (x * 2).sum().backward()
        log(x.grad)
        x.grad.zero_()
        (x ** 2).mean().backward()
        log(x.grad)
        a, c = leaf(T, [1., 2.]), leaf(T, [3., 4.])
        (a + c).sum().backward()
        a.grad.add_(100)  # the two leaves must not share one gradient array
        log(a.grad, c.grad)
        d = leaf(T, [1., 2.])
        (d * 2).backward(T.ones(2, dtype=T.float64))  # a gradient of another dtype is cast
        log(d.grad)
    check_scenario(scenario)


def test_saved_tensors_freed_after_backward():
    def scenario(T, log):
        u = leaf(T, [1., 2.])
        s = (u + 1).sum()  # saves nothing: a second backward works
        s.backward()
        s.backward()
        log(u.grad)
        for make in (lambda: (u * u).sum(), lambda: u.exp().sum(), lambda: (u * 2).sum(), lambda: (u / 3).sum()):
            s = make()
            s.backward()
            log.attempt(s.backward)
        s = (u * u).sum()
        s.backward(retain_graph=True)
        s.backward()
        log(u.grad)
        y = u * u
        y.sum().backward()
        log.attempt(lambda: y.grad_fn._saved_self)
    check_scenario(scenario)


def test_create_graph_backward():
    def scenario(T, log):
        x = leaf(T, [1., 2.], T.float64)
        (x ** 3).sum().backward(create_graph=True)
        log(x.grad, x.grad.grad_fn, x.grad.grad_fn.next_functions)
        (x ** 3).sum().backward(create_graph=True)
        log(x.grad, x.grad.grad_fn)
        g = x.grad
        x.grad = None
        g.sum().backward()
        log(x.grad)
        h = x * 2
        h.retain_grad()
        (h ** 2).sum().backward(create_graph=True)
        log(h.grad, h.grad.grad_fn)
    check_scenario(scenario)


def test_backward_inputs():
    def scenario(T, log):
        x, b = leaf(T, [[1., 2.], [3., 4.]]), leaf(T, [1., -1.])
        ((x * b).sum()).backward(inputs=[b])
        log(x.grad, b.grad)
        h = x * 2
        log(h.retains_grad)
        ((h * b).sum()).backward(inputs=[h])
        log(h.retains_grad, h.grad, b.grad)
        (x * b).sum().backward(inputs=x)
        log(x.grad)
        unused = leaf(T, [5.])
        (x * b).sum().backward(inputs=(unused, b))
        log(unused.grad, b.grad)
        log.attempt(lambda: (x * b).sum().backward(inputs=[]))
        log.attempt(lambda: (x * b).sum().backward(inputs=[T.ones(2)]))
    check_scenario(scenario)


def test_retain_grad_and_nonleaf_grad_warning():
    def scenario(T, log):
        x = leaf(T, [1., 2.])
        y = x * 2
        z = x * 3
        y.retain_grad()
        y.retain_grad()  # idempotent
        x.retain_grad()  # a no-op on leaves
        log(y.retains_grad, z.retains_grad, x.retains_grad)
        (y * z).sum().backward()
        log(y.grad, z.grad, x.grad)  # z.grad warns
        z.grad = T.zeros(2)
        log(z.grad)  # set: no warning (torch warns only while a non-leaf's .grad is unset)
        log.attempt(lambda: T.ones(2).retain_grad())
    check_scenario(scenario)


def test_autograd_backward_function():
    def scenario(T, log):
        c = leaf(T, [1., 2.])
        T.autograd.backward([c.sum(), (c * 3).sum()])
        log(c.grad)
        T.autograd.backward(c * 2, T.ones(2))
        log(c.grad)
        T.autograd.backward((c * 2, c.sum()), (T.tensor([1., 10.]), None))
        log(c.grad)
        T.autograd.backward(c * 2, grad_tensors=[T.ones(2)], inputs=[c])
        log(c.grad)
        log.attempt(lambda: T.autograd.backward([c * 2, c * 3], [T.ones(2)]))
        log.attempt(lambda: T.autograd.backward([c * 2], [T.ones(3)]))
        log.attempt(lambda: T.autograd.backward(c * 2, [3]))
        log.attempt(lambda: T.autograd.backward(c * 2, grad_tensors=T.ones(2), grad_variables=T.ones(2)))
        T.autograd.backward(c * 2, grad_variables=T.ones(2))
        log(c.grad)
    check_scenario(scenario)


def test_grad_mode_context_managers_and_decorators():
    def scenario(T, log):
        x = leaf(T, [1., 2.])
        with T.no_grad():
            log((x * 2).requires_grad, T.is_grad_enabled())
            with T.enable_grad():
                log((x * 2).requires_grad)

            @T.enable_grad()
            def inside(a):
                return a * 2
            log(inside(x).requires_grad)
        log(T.is_grad_enabled())

        @T.no_grad()
        def f(a):
            return a * 2

        @T.no_grad
        def f2(a):
            return a * 2
        log(f(x).requires_grad, f2(x).requires_grad, T.is_grad_enabled())
        with T.set_grad_enabled(False):
            log((x * 2).requires_grad, T.is_grad_enabled())
        log(T.is_grad_enabled())
        T.set_grad_enabled(False)
        log((x * 2).requires_grad)
        T.set_grad_enabled(True)

        @T.set_grad_enabled(False)
        def g(a):
            return a * 2
        log(g(x).requires_grad, T.is_grad_enabled())
        with T.inference_mode():
            log((x * 2).requires_grad, T.is_inference_mode_enabled(), T.is_grad_enabled())
        with T.inference_mode(False):
            log((x * 2).requires_grad, T.is_inference_mode_enabled())

        @T.inference_mode()
        def k(a):
            return a * 2

        @T.inference_mode
        def k2(a):
            return a * 2
        log(k(x).requires_grad, k2(x).requires_grad, T.is_inference_mode_enabled())
        with T.autograd.no_grad():
            log(T.autograd.grad_mode.no_grad is T.no_grad, T.is_grad_enabled())
    check_scenario(scenario)


@pytest.mark.parametrize("shapes", [((3, 1, 2), (4, 1)), ((2, 3), (3,)), ((), (2, 2)), ((1,), (3, 1)),
                                    ((2, 1, 1), (1, 4, 1))])
def test_broadcasting_is_undone(shapes):
    def scenario(T, log):
        a = T.linspace(-1, 1, max(1, _numel(shapes[0]))).reshape(shapes[0]).clone().requires_grad_()
        b = T.linspace(0.5, 2, max(1, _numel(shapes[1]))).reshape(shapes[1]).clone().requires_grad_()
        ((a * b + a / b - b) ** 2).sum().backward()
        log(a.grad, b.grad)
    check_scenario(scenario)


def _numel(shape):
    n = 1
    for s in shape:
        n *= s
    return n


def test_error_messages():
    def scenario(T, log):
        x = leaf(T, [[1., 2.], [3., 4.]])
        log.attempt(lambda: (x * 2).backward())  # implicit grad for a non-scalar
        log.attempt(lambda: T.ones(2).sum().backward())  # no grad_fn
        log.attempt(lambda: x.add_(1))  # in-place on a leaf
        log.attempt(lambda: x[0].mul_(2))  # in-place on a view of a leaf
        log.attempt(lambda: x.numpy())
        log.attempt(lambda: (x * 2).sum().backward(T.ones(2)))
        log.attempt(lambda: (x * 2).backward(T.ones(3)))
        log.attempt(lambda: (x * 2).backward(5))
        log.attempt(lambda: setattr(x * 2, "requires_grad", False))
        log.attempt(lambda: T.tensor([1, 2]).requires_grad_())
        log.attempt(lambda: T.tensor([1, 2]).float().sum().backward())
        w = x * 1
        y = w * w
        w.add_(1)  # a saved input modified: torch names its current grad_fn
        log.attempt(lambda: y.sum().backward())
        y = (x * 1).exp()
        y.add_(1)  # a saved output modified: torch names the op that saved it
        log.attempt(lambda: y.sum().backward())
        v = x * 1
        s = v.sigmoid()
        v.zero_()
        log.attempt(lambda: s.sum().backward())  # sigmoid saves its result, not v: no error
        log(x.grad)
    check_scenario(scenario)


def test_chain_of_10000_ops():
    def scenario(T, log):
        c = T.tensor(1.0001, requires_grad=True)
        v = c
        for _ in range(10000):
            v = v * 1.0001
        v.backward()
        log(c.grad)
    check_scenario(scenario, rtol=1e-4, atol=1e-4)


def test_detach_and_data():
    def scenario(T, log):
        x = leaf(T, [[1., 2.], [3., 4.]])
        d = x.detach()
        log(d, d.requires_grad, d.is_leaf, d.data_ptr() == x.data_ptr())
        d.add_(1)  # shares memory and version counter
        log(x, x._version)
        dd = x.data
        log(dd, dd.requires_grad, dd.data_ptr() == x.data_ptr(), dd._version)
        w = x * 3
        log(w.data, w.data.grad_fn, w.data.is_leaf)
        x.data.mul_(2)  # not tracked: a new version counter
        log(x, x._version)
        x.data = T.zeros(2, 2)
        log(x, x.requires_grad)
        y = x * 2
        y.detach_()
        log(y, y.requires_grad, y.grad_fn, y.is_leaf)
    check_scenario(scenario)


def test_saved_tensor_introspection():
    """grad_fn._saved_*: saved inputs and results, unsaved ones as None, scalars as tensors, freed after."""
    def scenario(T, log):
        x = leaf(T, [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
        y = x * 2
        log(y.grad_fn._saved_other, y.grad_fn._saved_self, (x * 2.5).grad_fn._saved_other)
        s = x.sum(1)
        log(s.grad_fn._saved_dim, s.grad_fn._saved_self_sym_sizes, s.grad_fn._saved_keepdim)
        p = x.pow(2)
        log(p.grad_fn._saved_exponent, p.grad_fn._saved_self)
        e = x.exp()
        log(e.grad_fn._saved_result)
        e.sum().backward()
        log.attempt(lambda: e.grad_fn._saved_result)
    check_scenario(scenario)


def test_version_error_names_the_overload():
    """The in-place error names the saved tensor's op as torch does: Mul, Clamp1, Div2, Sum1."""
    def scenario(T, log):
        x = leaf(T, [1.0, 2.0, 3.0])
        for make in (lambda d: T.div(d, 2, rounding_mode=None), lambda d: d.clamp(min=0.1), lambda d: d * 2,
                     lambda d: d.sum(0, keepdim=True)):
            e = make(x * 1)
            f = e.sin()
            with T.no_grad():
                e.mul_(2)
            log.attempt(lambda: f.sum().backward())
    check_scenario(scenario)
