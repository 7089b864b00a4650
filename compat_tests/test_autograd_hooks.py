"""Tensor and node hooks: order, effects, handles and errors, differential against torch (see transcript.py)."""
from transcript import check_scenario



def recorder(log, name, change=None):
    """A hook that logs what it sees and returns ``change(*args)`` (None: observe only)."""
    def hook(*args):
        log(name, *args)
        return change(*args) if change else None
    return hook


def test_hook_order_and_effects():
    def scenario(T, log):
        x = T.tensor([1., 2.], requires_grad=True)
        first = x.register_hook(recorder(log, "x hook 1"))
        x.register_hook(recorder(log, "x hook 2", lambda g: g * 10))
        x.register_post_accumulate_grad_hook(lambda t: log("post accumulate", t.grad))
        y = x * 2
        y.register_hook(recorder(log, "y hook 1"))
        y.retain_grad()  # runs after every hook on y, whatever the registration order
        y.register_hook(recorder(log, "y hook 2", lambda g: g + 1))
        z = y * y
        z.register_hook(recorder(log, "z hook"))
        y.grad_fn.register_prehook(recorder(log, "y.grad_fn prehook"))
        y.grad_fn.register_hook(recorder(log, "y.grad_fn hook"))
        z.grad_fn.register_hook(recorder(log, "z.grad_fn hook", lambda gi, go: (gi[0] * 0 + 1, gi[1])))
        z.sum().backward(retain_graph=True)
        log("grads", x.grad, y.grad)
        first.remove()
        first.remove()  # removing twice is harmless
        x.grad = None
        (y * 1).sum().backward(retain_graph=True)
        log("grads", x.grad, y.grad)
        log("grad", T.autograd.grad(y.sum(), x), x.grad)  # tensor hooks run in autograd.grad too
        log("grad of y", T.autograd.grad(y.sum(), y), y.grad)
    check_scenario(scenario)


def test_hooks_on_leaf_used_twice_and_node_prehook():
    def scenario(T, log):
        a = T.tensor(2., requires_grad=True)
        a.register_hook(recorder(log, "a"))  # sees the summed gradient once
        (a * a + a).backward()
        log(a.grad)
        b = T.tensor(2., requires_grad=True)
        c = b * 3
        c.grad_fn.register_prehook(lambda go: (go[0] * 100,))
        c.backward()
        log(b.grad)
        d = T.tensor([1., 2.], requires_grad=True)
        with d.register_hook(lambda g: g * 0):
            (d * 2).sum().backward()
        (d * 2).sum().backward()  # the context manager removed the hook
        log(d.grad)
        e = T.tensor([1., 2.], requires_grad=True)
        f = e * 2
        f.grad_fn.register_hook(lambda gi, go: (None, None))
        (f * 2).sum().backward()
        log(e.grad)
    check_scenario(scenario)


def test_hook_errors():
    def scenario(T, log):
        x = T.tensor([1., 2.], requires_grad=True)

        def backward_with(register):
            y = x * 2
            register(y)
            (y * 2).sum().backward()
            return x.grad

        def named(g):
            return g.sum()

        log.attempt(lambda: backward_with(lambda y: y.register_hook(lambda g: g.double())))
        log.attempt(lambda: backward_with(lambda y: y.register_hook(lambda g: g[:1])))
        log.attempt(lambda: backward_with(lambda y: y.register_hook(named)))
        log.attempt(lambda: backward_with(lambda y: y.register_hook(lambda g: "s")))
        log.attempt(lambda: backward_with(lambda y: y.grad_fn.register_prehook(lambda go: (go[0], go[0]))))
        log.attempt(lambda: backward_with(lambda y: y.grad_fn.register_prehook(lambda go: go[0])))
        log.attempt(lambda: backward_with(lambda y: y.grad_fn.register_hook(lambda gi, go: gi[0])))
        log.attempt(lambda: backward_with(lambda y: y.grad_fn.register_hook(lambda gi, go: (gi[0][:1], None))))
        log.attempt(lambda: backward_with(lambda y: y.grad_fn.register_hook(lambda gi, go: [gi[0], None])))
        log.attempt(lambda: backward_with(lambda y: y.grad_fn.register_hook(lambda gi, go: (gi[0], gi[0]))))
        log.attempt(lambda: T.ones(2).register_hook(lambda g: g))
        log.attempt(lambda: (x * 2).register_post_accumulate_grad_hook(lambda t: None))
        leaf = T.tensor([1., 2.], requires_grad=True)
        leaf.register_hook(lambda g: g[:1])
        log.attempt(lambda: (leaf * 2).sum().backward())
    check_scenario(scenario)


def test_post_accumulate_grad_hook_as_optimizer_step():
    def scenario(T, log):
        w = T.tensor([1., -2., 3.], requires_grad=True)

        def sgd_step(p):
            with T.no_grad():
                p -= 0.1 * p.grad
            p.grad = None

        handle = w.register_post_accumulate_grad_hook(sgd_step)
        for _ in range(3):
            (w ** 2).sum().backward()
            log(w, w.grad)
        handle.remove()
        (w ** 2).sum().backward()
        log(w, w.grad)
    check_scenario(scenario)
