"""Differential tests of torch.compile (the OptimizedModule a script sees: repr, _orig_mod,
state_dict keys, forwarded attributes, outputs and gradients; compiled functions; argument errors),
torch.compiler's answers, and torch.jit.script / trace running eagerly.

torch compiles for real, so its side runs the ``aot_eager`` backend: the same AOTAutograd objects as
the default inductor (CompiledFunctionBackward), without seconds of code generation per test.
minitorch treats both alike."""
from __future__ import annotations

import io

import pytest
import torch

import minitorch
from harness import check_error
from test_optim import assert_same_tree

AOT = "aot_eager"


def same(run) -> None:
    assert_same_tree(run(torch), run(minitorch), "result", 1e-6, 1e-6)


def model(T):
    T.manual_seed(0)
    return T.nn.Sequential(T.nn.Linear(3, 4), T.nn.ReLU(), T.nn.Linear(4, 2))


def test_optimized_module_as_a_script_sees_it():
    def run(T):
        m = model(T)
        c = T.compile(m, backend=AOT)
        x = T.arange(6.0).reshape(2, 3)
        out = c(x)
        out.sum().backward()
        c.eval()
        evaluated = (c.training, m.training)
        c.train()
        c.tag = "set through the wrapper"
        return [repr(c), type(c).__name__, c._orig_mod is m, list(c.state_dict()), [n for n, _ in c.named_parameters()],
                [n for n, _ in c.named_modules()], out, m[0].weight.grad, evaluated, c.training, m.tag, len(c),
                c[0] is m[0] if hasattr(type(c), "__getitem__") else "no item access", isinstance(c, T.nn.Module),
                str(out.grad_fn.name())]
    same(run)


def test_optimized_module_state_dict_round_trip_and_errors():
    def run(T):
        c = T.compile(model(T), backend=AOT)
        c.load_state_dict(c.state_dict())
        try:
            model(T).load_state_dict(c.state_dict())
        except RuntimeError as e:
            return str(e)
    same(run)


def test_compile_options_and_functions():
    def run(T):
        def f(x, scale=2.0):
            """Doubles."""
            return x * scale
        results = []
        x = T.ones(2, requires_grad=True)
        for kw in [dict(backend=AOT), dict(backend=AOT, mode="max-autotune"), dict(backend="eager"),
                   dict(backend=AOT, fullgraph=True, dynamic=False), dict(backend=AOT, options={"x": False}),
                   dict(backend=lambda gm, example_inputs: gm)]:
            g = T.compile(f, **kw)
            out = g(x, scale=3.0)
            results.append((g.__name__, g.__doc__, g.__wrapped__ is f, out, type(out.grad_fn).__name__))
        decorated = T.compile(mode="reduce-overhead", backend=AOT)(f)
        m = model(T)
        disabled = T.compile(f, disable=True)
        return [results, decorated(T.ones(1)), T.compile(m, disable=True) is m, disabled is f, disabled.__name__,
                disabled(T.ones(1)),
                T.compiler.is_compiling(), T.compiler.is_dynamo_compiling(), T.compiler.list_backends(),
                T.compiler.disable(f) is f, T.compiler.disable(f)(T.ones(1)), T.compiler.disable()(f).__name__]
    same(run)


@pytest.mark.parametrize("call", [
    lambda T: T.compile(lambda x: x, mode="fast"),
    lambda T: T.compile(lambda x: x, mode="default", options={}),
    lambda T: T.compile(lambda x: x, backend="nope"),
    lambda T: T.compile(3),
    lambda T: T.compile()(None),
])
def test_compile_errors(call):
    check_error(call)


def test_jit_runs_eagerly():
    def run(T):
        m = model(T)
        x = T.arange(6.0).reshape(2, 3)
        scripted, traced = T.jit.script(m), T.jit.trace(m, x)
        traced_fn = T.jit.trace(lambda a, b: a * b + 1, (x, x))
        return [scripted(x), traced(x), traced_fn(x, x), list(scripted.state_dict()), T.jit.is_scripting(),
                T.jit.is_tracing(), T.jit.annotate(int, 3), T.jit.wait(T.jit.fork(lambda a: a + 1, x))]
    same(run)


def test_jit_trace_runs_the_example_once():
    """The trace call surfaces the model's own error for bad example inputs."""
    check_error(lambda T: T.jit.trace(T.nn.Linear(2, 2), T.ones(3, 3)))


@pytest.mark.parametrize("call", [
    lambda: minitorch.jit.save(minitorch.nn.Linear(1, 1), io.BytesIO()),
    lambda: minitorch.jit.load(io.BytesIO(b"")),
])
def test_jit_archives_are_refused_clearly(call):
    """torch writes and reads TorchScript archives; minitorch says it cannot (torch's own message
    for an eager module, AttributeError 'save_to_buffer', would not explain)."""
    with pytest.raises(RuntimeError, match="minitorch does not implement TorchScript serialization"):
        call()


def test_jit_decorators_leave_functions_alone():
    def run(T):
        @T.jit.ignore
        def a(x):
            return x + 1

        @T.jit.ignore(drop=True)
        def b(x):
            return x + 2

        @T.jit.unused
        def c(x):
            return x + 3

        @T.jit.export
        def d(x):
            return x + 4
        return [f(1) for f in (a, b, c, d)]
    same(run)


def test_compiled_outputs_and_gradients():
    def run(T):
        m = model(T)
        c = T.compile(m, backend=AOT)
        x = T.arange(6.0).reshape(2, 3).requires_grad_()
        out = c(x)
        out.relu_()  # a compiled graph returns fresh tensors: modifying one in place is allowed
        (out * out).sum().backward()
        pair = T.compile(lambda a, b: (a * 2, {"k": b + 1, "n": 3}), backend=AOT)(x, T.ones(2))
        leaf = T.compile(lambda a: a, backend=AOT)(x)
        eager = T.compile(m, backend="eager")(x)
        with T.no_grad():
            quiet = c(x)
        return [repr(out), x.grad, [p.grad for p in m.parameters()], repr(pair), leaf is x, quiet.grad_fn is None,
                repr(eager)]
    same(run)
