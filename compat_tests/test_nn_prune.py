"""nn.utils.prune, differential against torch: masks from the same seed, the ``<name>_orig`` /
``<name>_mask`` state, the forward pre-hooks and PruningContainer, forward values and gradients of
pruned modules, removal, and torch's errors."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest
import torch
import torch.nn.utils.prune  # noqa: F401  (torch does not import it with torch.nn.utils)

import minitorch
from harness import assert_same_value, check_error
from nn_harness import check_module

_rng = np.random.default_rng(8)


def randn(*shape: int) -> np.ndarray:
    return _rng.standard_normal(shape).astype(np.float32)


def prune(T: Any) -> Any:
    return T.nn.utils.prune


def _steps(*steps: Callable) -> Callable:
    """A module built from seed 4, then pruned by each ``step(T, module)`` in turn."""
    def make(T: Any) -> Any:
        T.manual_seed(4)
        m = T.nn.Sequential(T.nn.Linear(5, 4), T.nn.ReLU(), T.nn.Conv1d(2, 3, 2))
        for step in steps:
            step(T, m)
        return m
    return make


def _linear(T: Any, m: Any) -> Any:
    return m[0]


def _conv(T: Any, m: Any) -> Any:
    return m[2]


PRUNINGS = [
    ("identity", _steps(lambda T, m: prune(T).identity(_linear(T, m), "weight"))),
    ("random_unstructured", _steps(lambda T, m: prune(T).random_unstructured(_linear(T, m), "weight", 0.4))),
    ("random_unstructured_count", _steps(lambda T, m: prune(T).random_unstructured(_linear(T, m), "bias", 2))),
    ("l1_unstructured", _steps(lambda T, m: prune(T).l1_unstructured(_linear(T, m), "weight", amount=7))),
    ("l1_unstructured_scores", _steps(lambda T, m: prune(T).l1_unstructured(
        _linear(T, m), "weight", 0.5, importance_scores=T.arange(20.0).reshape(4, 5)))),
    ("random_structured", _steps(lambda T, m: prune(T).random_structured(_conv(T, m), "weight", 0.34, dim=0))),
    ("ln_structured", _steps(lambda T, m: prune(T).ln_structured(_conv(T, m), "weight", 1, n=1, dim=-1))),
    ("ln_structured_inf", _steps(lambda T, m: prune(T).ln_structured(_linear(T, m), "weight", 0.5, float("inf"), 0))),
    ("custom_from_mask", _steps(lambda T, m: prune(T).custom_from_mask(
        _linear(T, m), "bias", T.tensor([1.0, 0.0, 1.0, 0.0])))),
    ("container", _steps(lambda T, m: prune(T).random_unstructured(_linear(T, m), "weight", 0.3),
                         lambda T, m: prune(T).l1_unstructured(_linear(T, m), "weight", 3),
                         lambda T, m: prune(T).ln_structured(_linear(T, m), "weight", 1, 2, 0),
                         lambda T, m: prune(T).random_structured(_linear(T, m), "weight", 1, -1))),
    ("global_unstructured", _steps(lambda T, m: prune(T).global_unstructured(
        [(_linear(T, m), "weight"), (_conv(T, m), "weight"), (_linear(T, m), "bias")],
        pruning_method=prune(T).L1Unstructured, amount=0.5))),
    ("global_unstructured_twice", _steps(
        lambda T, m: prune(T).l1_unstructured(_conv(T, m), "weight", 3),
        lambda T, m: prune(T).global_unstructured([(_linear(T, m), "weight"), (_conv(T, m), "weight")],
                                                  pruning_method=prune(T).RandomUnstructured, amount=10,
                                                  importance_scores={(_conv(T, m), "weight"): T.ones(3, 2, 2)}))),
    ("removed", _steps(lambda T, m: prune(T).l1_unstructured(_linear(T, m), "weight", 0.5),
                       lambda T, m: prune(T).random_unstructured(_linear(T, m), "weight", 0.5),
                       lambda T, m: prune(T).remove(_linear(T, m), "weight"))),
]


def _call(m: Any, x: Any) -> Any:
    h = m[1](m[0](x))
    return h, m[2](h.reshape(3, 2, 2))


@pytest.mark.parametrize("name,make", PRUNINGS, ids=[p[0] for p in PRUNINGS])
def test_pruning(name: str, make: Callable) -> None:
    """Masks (buffers) from the same seed, then forward values and the gradients of ``_orig``."""
    ref, mine = make(torch), make(minitorch)
    for key, value in ref.state_dict().items():
        assert_same_value(value, mine.state_dict()[key], None, None, key)
    check_module(make, [randn(3, 5)], call=_call)


def _hooks(T: Any, m: Any) -> list:
    hooks = list(m._forward_pre_hooks.values()) if T is torch else [entry[0] for entry in m._forward_pre_hooks]
    return [(type(h).__name__, h._tensor_name, [type(x).__name__ for x in h] if len(_methods(h)) else None)
            for h in hooks]


def _methods(h: Any) -> list:
    return list(h) if type(h).__name__ == "PruningContainer" else []


def _pruning_state(T: Any) -> list:
    p = prune(T)
    T.manual_seed(1)
    m = T.nn.Linear(4, 3)
    states = [p.is_pruned(m)]
    method = p.L1Unstructured.apply(m, "weight", amount=0.25)
    states += [type(method).__name__, method.amount, _hooks(T, m), p.is_pruned(T.nn.Sequential(m))]
    p.RandomUnstructured.apply(m, "weight", amount=0.5)
    container = _hooks(T, m)
    states += [container, sorted(n for n, _ in m.named_parameters()), sorted(n for n, _ in m.named_buffers())]
    pruned = p.L1Unstructured(amount=2).prune(T.arange(-3.0, 3.0))
    states += [pruned.tolist(), p.Identity().prune(T.ones(2)).tolist()]
    p.remove(m, "weight")
    states += [p.is_pruned(m), _hooks(T, m), type(m.weight).__name__, m.weight.requires_grad]
    return states


def test_methods_hooks_and_container() -> None:
    assert _pruning_state(torch) == _pruning_state(minitorch)


def test_gradient_reaches_orig_through_the_mask() -> None:
    grads = []
    for T in (torch, minitorch):
        m = T.nn.Linear(3, 2)
        with T.no_grad():
            m.weight.copy_(T.arange(6.0).reshape(2, 3) - 2.5)
        prune(T).l1_unstructured(m, "weight", 3)
        m(T.ones(4, 3)).sum().backward()
        grads.append((m.weight_orig.grad, type(m.weight.grad_fn).__name__))
    assert_same_value(grads[0][0], grads[1][0], None, None, "weight_orig.grad")
    assert grads[0][1] == grads[1][1]


def _structured(T: Any) -> type:
    """A structured method (its class prints the same under both libraries, unlike torch's own)."""
    class Structured(prune(T).BasePruningMethod):
        PRUNING_TYPE = "structured"

        def compute_mask(self, t: Any, default_mask: Any) -> Any:
            return default_mask
    return Structured


ERRORS = [
    lambda T: prune(T).random_unstructured(T.nn.Linear(2, 2), "weight", 1.5),
    lambda T: prune(T).random_unstructured(T.nn.Linear(2, 2), "weight", -1),
    lambda T: prune(T).random_unstructured(T.nn.Linear(2, 2), "weight", "half"),
    lambda T: prune(T).l1_unstructured(T.nn.Linear(2, 2), "weight", 5),
    lambda T: prune(T).ln_structured(T.nn.Linear(2, 2), "bias", 1, 2, 0),
    lambda T: prune(T).ln_structured(T.nn.Linear(2, 2), "weight", 1, 2, 2),
    lambda T: prune(T).random_structured(T.nn.Linear(2, 2), "weight", 3, 0),
    lambda T: prune(T).l1_unstructured(T.nn.Linear(2, 2), "weight", 1, importance_scores=T.ones(3)),
    lambda T: prune(T).custom_from_mask(T.nn.Linear(2, 2), "weight", T.ones(3)),
    lambda T: prune(T).remove(T.nn.Linear(2, 2), "weight"),
    lambda T: prune(T).global_unstructured(3, prune(T).L1Unstructured, amount=1),
    lambda T: prune(T).global_unstructured([(T.nn.Linear(2, 2), "weight")], prune(T).L1Unstructured,
                                           importance_scores=[1], amount=1),
    lambda T: prune(T).global_unstructured([(T.nn.Linear(2, 2), "weight")], _structured(T)),
    lambda T: prune(T).PruningContainer(prune(T).Identity()).add_pruning_method(3),
]


@pytest.mark.parametrize("fn", ERRORS)
def test_errors(fn: Callable) -> None:
    check_error(fn)
