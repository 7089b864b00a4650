"""Session 13's opinfo fixes, by class.

- **torch's ModuleInfo error inputs** (``common_modules.module_db``'s ``module_error_inputs_func``): each module's
  constructor or forward call that torch refuses, built in both libraries, must raise torch's exception and
  message. No test ran them before (test_opinfo runs op_db's error inputs only).
- **nn modules' constructor checks** torch makes in Python that minitorch lacked or worded otherwise: HuberLoss's
  delta type, Hardtanh's bounds (an AssertionError with torch's message) and its deprecated keywords' warnings.
"""
from __future__ import annotations

from typing import Any

import pytest
import torch

import minitorch
from harness import assert_same_warnings, check, check_error
from opinfo_runner import Inapplicable, _convert, _rebuild, module_db


def _module_error_params() -> list:
    out = []
    for info in module_db:
        if info.module_error_inputs_func is None:
            continue
        inputs = info.module_error_inputs_func(info, "cpu", torch.float64, False, training=True)
        name = info.module_cls.__name__
        out += [pytest.param(name, e.module_error_input, id="%s-%d" % (name, i)) for i, e in enumerate(inputs)]
    return out


@pytest.mark.parametrize("name, module_input", _module_error_params())
def test_module_error_inputs(name: str, module_input: Any) -> None:
    leaves: list = []
    constructor, forward = module_input.constructor_input, module_input.forward_input
    try:
        init = _convert((list(constructor.args), dict(constructor.kwargs)), leaves)
        call = None if forward is None else _convert((list(forward.args), dict(forward.kwargs)), leaves)
    except Inapplicable as e:
        pytest.skip(str(e))

    def fn(T: Any, *tensors: Any) -> Any:
        args, kwargs = _rebuild(T, init, tensors)
        module = getattr(T.nn, name)(*args, **kwargs)
        if call is None:
            return None
        args, kwargs = _rebuild(T, call, tensors)
        return module(*args, **kwargs)

    assert not check(fn, leaves, grad=False), "torch computed a result for an error input"


@pytest.mark.parametrize("make", [
    lambda T: T.nn.HuberLoss(delta=1j),
    lambda T: T.nn.HuberLoss(delta="1"),
    lambda T: T.nn.Hardtanh(2.0, 1.0),
    lambda T: T.nn.Hardtanh(1.0, 1.0),
    lambda T: T.nn.Hardtanh(max_val=3.0, min_val=4.0),
])
def test_module_constructor_refusals(make: Any) -> None:
    check_error(make)


def test_hardtanh_deprecated_keywords() -> None:
    reprs = {}

    def make(T: Any) -> None:
        reprs[T] = repr(T.nn.Hardtanh(min_value=-2.0, max_value=3.0))
    assert len(assert_same_warnings(make)) == 2
    assert reprs[torch] == reprs[minitorch]
