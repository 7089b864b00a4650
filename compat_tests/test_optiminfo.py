"""torch's OptimizerInfo database (``common_optimizers.optim_db``) run against minitorch:

- each optimizer's inputs (``optim_inputs_func``: learning rates as numbers and tensors, weight decay, momentum,
  maximize, amsgrad, line searches...) drive a few steps of the same small problem in both libraries; the losses,
  the parameters after every step and the optimizer's ``state_dict`` must agree;
- each error input (``optim_error_inputs_func``) must raise torch's exception type and message, or warn torch's
  warning, at construction or at the first step, as torch's own test_errors checks.

The ``ci`` profile runs the inputs in float64; ``HYPOTHESIS_PROFILE=deep`` adds float32 and the explicit
``foreach=False`` form. SparseAdam needs sparse gradients, which minitorch does not have.
"""
from __future__ import annotations

import os
import warnings
from typing import Any

import numpy as np
import pytest
import torch

import opinfo_runner  # noqa: F401 (imports torch's testing internals behind its stand-ins)
from harness import error_text
from transcript import check_scenario
from torch.testing._internal.common_optimizers import OptimizerErrorEnum, optim_db

import minitorch

DEEP = os.environ.get("HYPOTHESIS_PROFILE") == "deep"
STEPS = 4
_SPARSE_ONLY = "needs sparse gradients (nn.Embedding(sparse=True)), which minitorch does not have"
INFOS = [info for info in optim_db if hasattr(minitorch.optim, info.optim_cls.__name__)]
# (name, dtype) -> why the deep profile's trajectories differ
DEEP_KNOWN = {
    ("LBFGS", "float32"):
        "rounding: float32 dot products and sums (torch's BLAS sdot and vectorized sum orders, in 60% of 20-element "
        "vectors a last bit apart) through LBFGS's 20 inner iterations of a step: parameters 5e-3 relative apart",
}


def _in(T: Any, value: Any, memo: dict) -> Any:
    """torch's ``value`` for library ``T``: each tensor once (an optimizer refuses a parameter given twice by
    identity), a Parameter as a Parameter, with its gradient."""
    if isinstance(value, torch.Tensor):
        if T is torch:
            return value
        if value.is_sparse or value.grad is not None and value.grad.is_sparse:
            pytest.skip(_SPARSE_ONLY)
        if id(value) not in memo:
            data = minitorch.tensor(value.detach().numpy())
            converted = minitorch.nn.Parameter(data, value.requires_grad) if isinstance(
                value, torch.nn.Parameter) else data.requires_grad_(value.requires_grad)
            if value.grad is not None:
                converted.grad = minitorch.tensor(value.grad.numpy())
            memo[id(value)] = converted
        return memo[id(value)]
    if isinstance(value, (list, tuple)):
        return type(value)(_in(T, v, memo) for v in value)
    if isinstance(value, dict):
        return {k: _in(T, v, memo) for k, v in value.items()}
    return value


def _trajectory_params() -> list:
    out = []
    for info in INFOS:
        name = info.optim_cls.__name__
        skip = [pytest.mark.skip(reason=_SPARSE_ONLY)] if info.only_supports_sparse_grads else []
        for i, optim_input in enumerate(info.optim_inputs_func(device="cpu")):
            for dtype in ("float64", "float32") if DEEP else ("float64",):
                known = DEEP_KNOWN.get((name, dtype)) if DEEP else None
                marks = skip + ([pytest.mark.xfail(reason=known, strict=True)] if known else [])
                for flags in ({}, {"foreach": False}) if DEEP and "foreach" in info.supported_impls else ({},):
                    key = "%s-%d-%s%s" % (name, i, dtype, "-foreach_False" if flags else "")
                    out.append(pytest.param(info, optim_input, dtype, flags, id=key, marks=marks))
    return out


@pytest.mark.parametrize("info, optim_input, dtype, flags", _trajectory_params())
def test_optimizer_steps(info: Any, optim_input: Any, dtype: str, flags: dict) -> None:
    rng = np.random.default_rng(0)
    w1, w2, x, y = (rng.standard_normal(s).astype(dtype) for s in ((4, 3), (2, 4), (3, 5), (2, 5)))

    def scenario(T: Any, log: Any) -> None:
        params = [T.nn.Parameter(T.tensor(w1)), T.nn.Parameter(T.tensor(w2))]
        inputs, targets = T.tensor(x), T.tensor(y)
        kwargs = _in(T, dict(optim_input.kwargs, **flags), {})
        optimizer = getattr(T.optim, info.optim_cls.__name__)(params, **kwargs)

        def closure() -> Any:
            optimizer.zero_grad()
            loss = (params[1] @ T.tanh(params[0] @ inputs) - targets).pow(2).sum()
            loss.backward()
            return loss
        for _ in range(STEPS):
            if info.step_requires_closure:
                log(optimizer.step(closure))
            else:
                log(closure())
                optimizer.step()
            log(*params)
        state = optimizer.state_dict()
        log(state["param_groups"])
        for index, per_param in sorted(state["state"].items()):
            log(index, sorted(per_param), *(per_param[k] for k in sorted(per_param)))
    check_scenario(scenario)


def _error_params() -> list:
    out = []
    for info in INFOS:
        name = info.optim_cls.__name__
        for dtype in (torch.float32,):
            for i, error_input in enumerate(info.optim_error_inputs_func(device="cpu", dtype=dtype)):
                out.append(pytest.param(info, error_input, id="%s-%d" % (name, i)))
    return out


@pytest.mark.parametrize("info, error_input", _error_params())
def test_optimizer_error_inputs(info: Any, error_input: Any) -> None:
    optim_input = error_input.optimizer_error_input
    outcomes = []
    for T in (torch, minitorch):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                memo: dict = {}
                optimizer = getattr(T.optim, info.optim_cls.__name__)(_in(T, optim_input.params, memo),
                                                                      **_in(T, optim_input.kwargs, memo))
                if error_input.error_on == OptimizerErrorEnum.STEP_ERROR:
                    optimizer.step()
                raised = None
            except Exception as e:  # noqa: BLE001 - the exception is what is compared
                raised = (type(e).__name__, error_text(e))
        outcomes.append((raised, [(w.category.__name__, str(w.message)) for w in caught]))
    (expected, expected_warnings), (got, got_warnings) = outcomes
    if issubclass(error_input.error_type, Warning):
        assert any(c == error_input.error_type.__name__ for c, _ in expected_warnings), "torch did not warn"
    else:
        assert expected is not None and expected[0] == error_input.error_type.__name__, "torch did not raise"
    assert got == expected, "torch %s, minitorch %s" % (expected, got)
    assert got_warnings == expected_warnings, "warnings: torch %s, minitorch %s" % (expected_warnings, got_warnings)
