"""The training step's fast paths against torch: each path taken by an MLP step (linear's direct addmm, the
nll target check, the engine's repeated in-place sums, the in-place SGD update) and the inputs that must leave
it (other dtypes, beta/alpha, broadcast biases, out-of-range targets, shared gradients)."""
from __future__ import annotations

from typing import Any

import ml_dtypes
import numpy as np
import pytest
import torch

import minitorch
from compat_tests.harness import assert_same_value, check, check_error

RNG = np.random.default_rng(15)


def _arrays(dtype: Any, *shapes: tuple[int, ...]) -> list[np.ndarray]:
    return [RNG.standard_normal(s).astype(dtype) for s in shapes]


def _graph_names(out: Any) -> str:
    """The grad_fn names down the graph (first edges), as a user prints them."""
    names, fn = [], out.grad_fn
    while fn is not None:
        names.append(type(fn).__name__)
        fn = next((f for f, _ in fn.next_functions if f is not None and f.next_functions), None)
    return "/".join(names)


@pytest.mark.parametrize("dtype", [np.float32, np.float64, ml_dtypes.bfloat16], ids=["float32", "float64", "bfloat16"])
def test_linear_values_grads_and_graph(dtype: Any) -> None:
    def fn(T: Any, x: Any, w: Any, b: Any) -> Any:
        out = T.nn.functional.linear(x, w, b)
        return out, _graph_names(out.relu().sum())
    tol = {"rtol": 2e-2, "atol": 2e-2} if dtype is ml_dtypes.bfloat16 else {}
    check(fn, _arrays(dtype, (5, 4), (3, 4), (3,)), **tol)


def test_linear_module_names_its_nodes_as_torch() -> None:
    x = np.ones((2, 4), np.float32)
    names = []
    for T in (torch, minitorch):
        T.manual_seed(0)
        layer = T.nn.Linear(4, 3)
        out = layer(T.from_numpy(x))
        names.append([type(f).__name__ for f, _ in out.grad_fn.next_functions if f is not None])
    assert names[0] == names[1]


@pytest.mark.parametrize("bias_shape", [(3,), (5, 3), (1, 3), (5, 1), ()], ids=str)
def test_addmm_bias_shapes(bias_shape: tuple[int, ...]) -> None:
    check(lambda T, b, m1, m2: T.addmm(b, m1, m2), _arrays(np.float32, bias_shape, (5, 4), (4, 3)))


@pytest.mark.parametrize("beta, alpha", [(1, 1), (0.5, 1), (1, 2.0), (0, 1)])
def test_addmm_scalars(beta: float, alpha: float) -> None:
    check(lambda T, b, m1, m2: T.addmm(b, m1, m2, beta=beta, alpha=alpha), _arrays(np.float64, (3,), (5, 4), (4, 3)))


@pytest.mark.parametrize("bias_shape", [(2, 3), (5, 2), (4,), (1, 5, 3), (5, 3, 1)], ids=str)
def test_addmm_bias_that_does_not_expand(bias_shape: tuple[int, ...]) -> None:
    """torch expands the bias to the result's shape first: expand's errors, naming the first bad dim from the
    right (a bias of more dims than the result was once broadcast silently)."""
    check_error(lambda T, b, m1, m2: T.addmm(b, m1, m2), _arrays(np.float32, bias_shape, (5, 4), (4, 3)))


def test_addmm_bad_dtypes() -> None:
    check_error(lambda T, b, m1, m2: T.addmm(b.double(), m1, m2), _arrays(np.float32, (3,), (5, 4), (4, 3)))
    check_error(lambda T, x, w, b: T.nn.functional.linear(x, w, b), _arrays(np.float32, (5, 4), (3, 2), (3,)))


@pytest.mark.parametrize("target", [[0, 2, 1], [0, 3, 1], [0, -1, 1], [0, -100, 2]], ids=str)
@pytest.mark.parametrize("ignore_index", [-100, 1])
def test_cross_entropy_targets(target: list[int], ignore_index: int) -> None:
    x, = _arrays(np.float32, (3, 3))
    check(lambda T, x, t: T.nn.functional.cross_entropy(x, t, ignore_index=ignore_index), [x, np.array(target)])


def test_cross_entropy_one_sample_and_empty_batch() -> None:
    x, = _arrays(np.float32, (4,))
    check(lambda T, x, t: T.nn.functional.cross_entropy(x, t), [x, np.array(2)])
    check(lambda T, x, t: T.nn.functional.cross_entropy(x, t), [np.zeros((0, 4), np.float32), np.zeros(0, np.int64)])


def test_repeated_sums_of_a_shared_gradient() -> None:
    """One gradient reaches several buffers (an add passes its cotangent to both inputs); later sums go in place
    into the engine's own sums, never into the shared tensor."""
    def fn(T: Any, x: Any) -> Any:
        y = x * 2
        z = y + y + y + y  # y's buffer: the same cotangent four times
        hooked = []
        w = x.exp()
        w.register_hook(lambda g: hooked.append(g))  # a hook keeps the gradient it saw
        total = (z * 3).sum() + (w + w + w).sum()
        total.backward()
        return x.grad.clone(), hooked[0]
    x = _arrays(np.float32, (6,))[0]  # (not through check(): backward() itself is the subject)
    ref = fn(torch, torch.tensor(x, requires_grad=True))
    mine = fn(minitorch, minitorch.tensor(x, requires_grad=True))
    for e, g in zip(ref, mine):
        assert_same_value(e, g, None, None, "gradient")


def test_sgd_momentum_trajectory() -> None:
    """Twenty in-place steps of SGD with momentum (and with dampening, Nesterov, weight decay) follow torch's."""
    params = _arrays(np.float32, (7, 5), (5,))
    grads = [_arrays(np.float32, (7, 5), (5,)) for _ in range(20)]
    for options in ({"momentum": 0.9}, {"momentum": 0.9, "dampening": 0.1},
                    {"momentum": 0.8, "nesterov": True, "weight_decay": 0.01}, {}):
        results = []
        for T in (torch, minitorch):
            ps = [T.tensor(p, requires_grad=True) for p in params]
            opt = T.optim.SGD(ps, lr=0.05, **options)
            for gs in grads:
                for p, g in zip(ps, gs):
                    p.grad = T.tensor(g)
                opt.step()
            results.append([p.detach() for p in ps])
        for e, g in zip(*results):
            assert_same_value(e, g, 1e-6, 1e-6, "parameter after 20 steps %s" % options)
