"""The differential fuzzer: every generated callable of the op table, called with drawn arguments
(``fuzz_calls.calls``) under torch and minitorch.

Compared by ``harness.check``: raise-or-not, exception type and message, every output's dtype, shape
and values (NaN positions included), which outputs require grad and their grad_fn names, first
derivatives, and second derivatives for float64 calls; then the warnings each call emitted.

The ``ci`` profile draws a few derandomized calls per callable, without shrinking; under
``HYPOTHESIS_PROFILE=deep`` each callable gets the profile's ``max_examples`` calls (500: about 380,000
calls over the table) and failures are shrunk to a minimal call (unless ``FUZZ_SHRINK=0``).
"""
from __future__ import annotations

import contextlib
import os
import signal
import warnings
from typing import Any, Iterator

import pytest
import torch.fx.experimental.symbolic_shapes  # noqa: F401
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st

from fuzz_calls import (DISAGREEMENTS, Call, as_in_fresh_process, calls, comparable, crashes_torch, dtype_name,
                        isolated_call, leaf_kind)
from harness import check
from test_op_records import _VARIANTS, _parser, _target

DEEP = os.environ.get("HYPOTHESIS_PROFILE") == "deep"
SHRINK = DEEP and os.environ.get("FUZZ_SHRINK") != "0"  # FUZZ_SHRINK=0: a faster deep sweep, failures as drawn
FUZZ_SETTINGS = settings(
    max_examples=settings.default.max_examples if DEEP else 3,
    phases=tuple(Phase) if SHRINK else (Phase.explicit, Phase.generate),
    suppress_health_check=list(HealthCheck), database=None)
CALL_SECONDS = 5  # torch answers every drawn call in well under a second
# (symbolic_shapes, imported above: some torch calls import it, and sympy, on first use; a call's time limit expiring
# inside that import, on a loaded machine, left sympy half-imported for the rest of the session)


class _Timeout(BaseException):
    """Raised in the middle of a call that takes too long (a BaseException: no ``except Exception`` keeps it)."""


@contextlib.contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    """A call that runs longer than ``seconds`` fails the test instead of hanging the suite."""
    def expire(signum: int, frame: Any) -> None:
        raise _Timeout()
    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    except _Timeout:
        raise AssertionError("the call did not finish in %d s" % seconds) from None
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _callable(T: Any, kind: str, public: str, this: Any) -> Any:
    if kind in ("method", "inplace"):
        return getattr(this, public)
    if kind == "functional":  # torch.nn.functional's Python-level functions (test_fuzz_functional.py)
        return getattr(T.nn.functional, public)
    return _target(T, kind, public)


def run_call(kind: str, public: str, call: Call) -> None:
    """One drawn call under both libraries: ``harness.check``, then the warnings compared."""
    seen: dict = {}

    def fn(T: Any, *leaves: Any) -> Any:
        this, args, kwargs = call.build(T, leaves)
        if kind == "inplace" and this is not None and this._base is None:
            this = this.clone()  # not the leaf itself: an in-place write into a view is what is drawn
        if call.kwargs.get("inplace") is True and args and getattr(args[0], "_base", 0) is None:
            args[0] = args[0].clone()  # F.relu(x, inplace=True) likewise
        with warnings.catch_warnings(record=True) as caught, isolated_call(T):
            warnings.simplefilter("always")
            T.manual_seed(0)
            try:
                result = _callable(T, kind, public, this)(*args, **kwargs)
            finally:
                seen[T.__name__] = as_in_fresh_process([(w.category.__name__, str(w.message)) for w in caught], call)
        return comparable(public, result)

    # second derivatives where every differentiable leaf is double precision
    double = bool(call.leaves) and all(leaf_kind(a) in "biu" or dtype_name(a) in ("float64", "complex128")
                                       for a in call.leaves)
    with time_limit(CALL_SECONDS):
        check(fn, call.leaves, grad=True, second_order=double)
    assert seen.get("torch") == seen.get("minitorch"), "warnings: torch %s, minitorch %s" % (
        seen.get("torch"), seen.get("minitorch"))


def _params() -> list:
    out = []
    for name, kind, public in _VARIANTS:
        key = "fuzz-%s-%s" % (kind, public)
        marks = [pytest.mark.xfail(reason=DISAGREEMENTS[key], strict=True)] if key in DISAGREEMENTS else []
        out.append(pytest.param(name, kind, public, id=key[len("fuzz-"):], marks=marks))
    return out


@pytest.mark.parametrize("name,kind,public", _params())
def test_fuzz(name: str, kind: str, public: str) -> None:
    parser = _parser(kind, name)
    if parser is None:
        pytest.skip("torch writes %s in Python: no parser signatures to draw calls from" % public)
    signatures = [s for s in parser.signatures if not s.hidden]
    method = kind in ("method", "inplace")

    @FUZZ_SETTINGS
    @given(st.data())
    def fuzz(data: Any) -> None:
        call = data.draw(calls(data.draw(st.sampled_from(signatures)), method), label="call")
        assume(not crashes_torch(public, call))
        note = "%s(%s)" % (public, call.describe())
        try:
            run_call(kind, public, call)
        except AssertionError as e:
            raise AssertionError("%s\n%s" % (note, e)) from e

    fuzz()
