"""Who keeps a leaf alive, differential against torch: a graph keeps its leaves (and runs their hooks) after the
user dropped them, a leaf no graph uses is freed at once (no reference cycle: checked with the cyclic GC off), and
a leaf's AccumulateGrad is shared by the graphs alive together while hooks given to it die with its graph. Leaves
reach their accumulators in several ways (table ops, views, autograd.Function, saved-tensor hooks): each is here."""
import gc
import weakref

import pytest
from transcript import check_scenario


@pytest.fixture(autouse=True)
def no_cyclic_gc():
    """A leaf freed only by the cyclic collector would be a reference cycle: these tests see refcounting alone."""
    enabled = gc.isenabled()
    gc.disable()
    yield
    if enabled:
        gc.enable()


def test_a_dropped_leaf_no_graph_uses_is_freed_at_once():
    def scenario(T, log):
        x = T.ones(3, requires_grad=True)
        (x * 2).sum().backward()  # the leaf has had an accumulator, and a .grad
        y = x + x  # a graph that dies before the leaf
        del y
        ref = weakref.ref(x)
        del x
        log("freed", ref() is None)
        w = T.ones(2, 2, requires_grad=True)
        w[0].sum().backward()  # through a view
        ref = weakref.ref(w)
        del w
        log("freed after a view", ref() is None)
    check_scenario(scenario)


def test_a_graph_keeps_its_dropped_leaves_and_runs_their_hooks():
    def scenario(T, log):
        x = T.tensor([1., 2.], requires_grad=True)
        x.register_hook(lambda g: log("leaf hook", g))
        x.register_post_accumulate_grad_hook(lambda t: log("post accumulate", t.grad))
        ref = weakref.ref(x)
        y = (x * 3).exp() + x
        del x
        log("alive", ref() is not None)
        acc = [n for n, _ in y.grad_fn.next_functions if type(n).__name__ == "AccumulateGrad"][0]
        log("variable", acc.variable)
        y.sum().backward()
        log("grad", ref().grad)
        del acc, y
        log("freed with its graph", ref() is None)
    check_scenario(scenario)


def test_leaves_dropped_in_a_loop_stay_reachable_from_the_graph():
    def scenario(T, log):
        out = T.zeros(2)
        for i in range(3):
            leaf = T.full((2,), float(i + 1), requires_grad=True)
            out = out + leaf * 2.0  # (mul by a number saves nothing: only the graph holds the leaf)
        del leaf
        node, leaves = out.grad_fn, []
        while node is not None:  # out = ((0 + 2 l1) + 2 l2) + 2 l3: walk the chain of adds
            add_input, mul = node.next_functions
            leaves.append(mul[0].next_functions[0][0].variable)
            node = add_input[0]
        log("leaves", leaves)
        out.sum().backward()
        log("grads", [leaf.grad for leaf in leaves])
    check_scenario(scenario)


def test_live_graphs_share_a_leafs_accumulator():
    def scenario(T, log):
        x = T.ones(2, requires_grad=True)
        a, b = x * 2, x.exp()
        log("shared", a.grad_fn.next_functions[0][0] is b.grad_fn.next_functions[0][0])
        log("variable", a.grad_fn.next_functions[0][0].variable is x)
    check_scenario(scenario)


def test_hooks_on_an_accumulator_die_with_its_graph():
    def scenario(T, log):
        x = T.tensor([1., 2.], requires_grad=True)
        y = x * 2
        acc = y.grad_fn.next_functions[0][0]
        acc.register_hook(lambda grad_inputs, grad_outputs: log("node hook", grad_outputs))
        acc.register_prehook(lambda grad_outputs: log("node prehook", grad_outputs))
        acc.metadata["note"] = 1
        y.sum().backward()
        del acc, y
        z = x * 3  # the first graph died: a new accumulator, without those hooks
        log("metadata", z.grad_fn.next_functions[0][0].metadata)
        z.sum().backward()
        log("grad", x.grad)
    check_scenario(scenario)


def test_other_holders_of_an_accumulator_keep_the_leaf():
    def scenario(T, log):
        class Twice(T.autograd.Function):
            @staticmethod
            def forward(ctx, t):
                return t * 2

            @staticmethod
            def backward(ctx, g):
                return g * 2

        x = T.tensor([1., 2.], requires_grad=True)
        ref = weakref.ref(x)
        y = Twice.apply(x)
        del x
        log("variable of a Function's edge", y.grad_fn.next_functions[0][0].variable)
        y.sum().backward()
        log("grad", ref().grad)
        del y
        log("freed", ref() is None)

        w = T.tensor([1., 2., 3.], requires_grad=True)
        ref = weakref.ref(w)
        v = w.clone()
        v[0].mul_(5)  # a view written in place: CopySlices
        z = v.sum()
        del w, v
        z.backward()
        log("grad through CopySlices", ref().grad)
        del z
        log("freed", ref() is None)

        s = T.tensor([1., 2.], requires_grad=True)
        with T.autograd.graph.saved_tensors_hooks(lambda t: t * 1, lambda t: t):
            q = (s * s).sum()
        ref = weakref.ref(s)
        del s
        (g,) = T.autograd.grad(q, ref(), create_graph=True)
        g.sum().backward()
        log("second order through saved-tensor hooks", ref().grad)
    check_scenario(scenario)


def test_a_leaf_given_new_data_keeps_accumulating():
    def scenario(T, log):
        x = T.ones(2, requires_grad=True)
        (x * 2).sum().backward()
        x.data = T.ones(3)
        x.grad = None
        (x * 3).sum().backward()
        log("grad", x.grad)
        log("shape on the edge", (x * 1).grad_fn.next_functions[0][0].variable.shape)
    check_scenario(scenario)
