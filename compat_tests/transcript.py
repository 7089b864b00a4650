"""Differential scenarios: ``scenario(T, log)`` runs once with ``T = torch`` and once with
``T = minitorch``; everything it logs, every warning it triggers and the exception that ends it (if
any) form a transcript, and the two transcripts must match.

Logged tensors compare by values, dtype, shape, ``requires_grad`` and grad_fn name; grad_fn nodes by
name; exceptions and warnings by type and message (memory addresses masked); other values by
equality. ``log.attempt(fn)`` logs ``fn()``'s result or the exception it raised and goes on.
"""
from __future__ import annotations

import os
import re
import warnings
from typing import Any, Callable

import torch

import minitorch
from harness import assert_same_value, error_text


# a stack frame of torch's own Python code (and its source line) in an anomaly-mode forward trace:
# minitorch's traces leave out its own frames, and torch's C++ engine has none to show
_TORCH_FRAME = re.compile(r'  File "%s[^"]*", line \d+, in [^\n]*\n(    [^\n]*\n)?'
                          % re.escape(os.path.dirname(torch.__file__)))


class Log:
    def __init__(self) -> None:
        self.entries: list = []

    def __call__(self, *values: Any) -> None:
        self.entries.append(("value", values))

    def attempt(self, fn: Callable[[], Any]) -> Any:
        try:
            result = fn()
        except Exception as e:  # noqa: BLE001 - the exception is part of the transcript
            self.entries.append(("raised", type(e).__name__, error_text(e)))
            return None
        self.entries.append(("value", (result,)))
        return result


def transcript(T: Any, scenario: Callable[[Any, Log], None]) -> list:
    log = Log()

    def record_warning(message: Any, category: type, *args: Any, **kwargs: Any) -> None:
        log.entries.append(("warning", category.__name__, _TORCH_FRAME.sub("", error_text(message))))

    with warnings.catch_warnings():
        warnings.simplefilter("always")
        warnings.showwarning = record_warning
        try:
            scenario(T, log)
        except Exception as e:  # noqa: BLE001
            log.entries.append(("raised", type(e).__name__, error_text(e)))
    return log.entries


def assert_same(expected: Any, got: Any, rtol: float | None, atol: float | None, what: str) -> None:
    if isinstance(expected, torch.Tensor):
        assert_same_value(expected, got, rtol, atol, what)
        assert got.requires_grad == expected.requires_grad, "%s requires_grad: torch %s, minitorch %s" % (
            what, expected.requires_grad, got.requires_grad)
        e_fn, g_fn = expected.grad_fn, got.grad_fn
        assert type(e_fn).__name__ == type(g_fn).__name__, "%s grad_fn: torch %s, minitorch %s" % (
            what, type(e_fn).__name__, type(g_fn).__name__)
    elif isinstance(expected, (tuple, list)) and not isinstance(expected, torch.Size):
        assert type(got).__name__ == type(expected).__name__ or type(got) is type(expected), (
            "%s: torch %s, minitorch %s" % (what, type(expected).__name__, type(got).__name__))
        assert len(got) == len(expected), "%s length: torch %d, minitorch %d" % (what, len(expected), len(got))
        for i, (e, g) in enumerate(zip(expected, got)):
            assert_same(e, g, rtol, atol, "%s[%d]" % (what, i))
    elif isinstance(expected, dict):
        assert list(got) == list(expected), "%s keys: torch %s, minitorch %s" % (what, list(expected), list(got))
        for k in expected:
            assert_same(expected[k], got[k], rtol, atol, "%s[%r]" % (what, k))
    elif isinstance(expected, (torch.dtype, torch.Size)):
        assert str(got).replace("minitorch", "torch") == str(expected), "%s: torch %s, minitorch %s" % (
            what, expected, got)
    elif isinstance(expected, torch.autograd.graph.Node):
        assert type(got).__name__ == type(expected).__name__, "%s: torch %s, minitorch %s" % (
            what, type(expected).__name__, type(got).__name__)
    elif isinstance(expected, str):
        assert error_text(got) == error_text(expected), "%s:\n torch:     %r\n minitorch: %r" % (what, expected, got)
    else:
        assert_same_value(expected, got, rtol, atol, what)


def check_scenario(scenario: Callable[[Any, Log], None], rtol: float | None = None,
                   atol: float | None = None) -> None:
    """Run ``scenario`` under both libraries and compare the transcripts entry by entry."""
    ref, mine = [transcript(T, scenario) for T in (torch, minitorch)]  # one call site: equal stack traces
    for i, (e, g) in enumerate(zip(ref, mine)):
        where = "entry %d" % i
        assert g[0] == e[0], "%s: torch %s, minitorch %s" % (where, _show(e), _show(g))
        if e[0] == "value":
            assert_same(e[1], g[1], rtol, atol, where)
        else:
            assert g == e, "%s:\n torch:     %s\n minitorch: %s" % (where, _show(e), _show(g))
    assert len(mine) == len(ref), "transcript length: torch %d, minitorch %d; next torch entry: %s" % (
        len(ref), len(mine), _show(ref[len(mine)]) if len(ref) > len(mine) else _show(mine[len(ref)]))


def _show(entry: tuple) -> str:
    return " ".join(str(x) for x in entry)[:2000]
