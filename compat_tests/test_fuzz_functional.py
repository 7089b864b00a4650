"""The differential fuzzer over ``torch.nn.functional``'s Python-level functions (issue #10).

Each function's calls are drawn from its Python signature (``functional_calls``) with ``fuzz_calls``' tensors and
values, and compared by ``test_fuzz.run_call`` as the op table's: raise-or-not, exception type and message, dtypes,
shapes, values, gradients (second derivatives for float64 calls) and warnings. The ``ci`` profile draws a few
derandomized calls per function; ``HYPOTHESIS_PROFILE=deep`` draws the profile's ``max_examples``.
"""
from __future__ import annotations

from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from functional_calls import INTS, NAMES, max_dims, signature, value_drawers
from fuzz_calls import DISAGREEMENTS, calls, crashes_torch
from test_fuzz import FUZZ_SETTINGS, run_call


def _params() -> list:
    out = []
    for name in NAMES:
        key = "fuzz-functional-%s" % name
        marks = [pytest.mark.xfail(reason=DISAGREEMENTS[key], strict=True)] if key in DISAGREEMENTS else []
        out.append(pytest.param(name, id="functional-%s" % name, marks=marks))
    return out


@pytest.mark.parametrize("name", _params())
def test_fuzz_functional(name: str) -> None:
    sig, drawers, dims = signature(name), value_drawers(name), max_dims(name)

    @FUZZ_SETTINGS
    @given(st.data())
    def fuzz(data: Any) -> None:
        call = data.draw(calls(sig, False, drawers, dims, INTS), label="call")
        assume(not crashes_torch("functional-" + name, call))  # (F's own entries: its checks come first)
        try:
            run_call("functional", name, call)
        except AssertionError as e:
            raise AssertionError("F.%s(%s)\n%s" % (name, call.describe(), e)) from e

    fuzz()
