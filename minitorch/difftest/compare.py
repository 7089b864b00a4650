"""Aligning two traces and finding the first op whose outputs differ, and the first stdout line.

Ops are paired by (file, line, op name) in order. An op name that only one run ever recorded is
left out (torch's mode does not see some calls, ``torch.is_tensor`` for one); where the sequences
still disagree, the nearest common continuation within a window is taken and the ops skipped are
counted as unpaired.
"""
from __future__ import annotations

import cmath
import linecache
import re
from collections import deque
from dataclasses import dataclass
from typing import Iterator

import numpy as np

from .trace import Record, describe_value, read

WINDOW = 64  # how far ahead the two sequences are searched for a common continuation
_ADDRESS = re.compile(r"0x[0-9a-fA-F]+")
_NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?|[-+]?(?:inf|nan)\b")


@dataclass
class Divergence:
    position: int  # 1-based among the paired ops
    torch: Record
    minitorch: Record
    reason: str

    @property
    def source(self) -> str:
        return linecache.getline(self.torch.file, self.torch.line).strip()

    def outcome(self, record: Record) -> str:
        if record.error is not None:
            return "raised %s: %s" % record.error
        return ", ".join(describe_value(entry) for entry in record.outputs if entry[0] != "other") or "-"


@dataclass
class TraceComparison:
    compared: int
    unpaired: tuple[int, int]  # (torch, minitorch)
    divergence: Divergence | None


def compare_traces(torch_trace: str, minitorch_trace: str, rtol: float, atol: float) -> TraceComparison:
    common = {r.op for r in read(torch_trace)} & {r.op for r in read(minitorch_trace)}
    ref = _Lookahead(r for r in read(torch_trace) if r.op in common)
    mine = _Lookahead(r for r in read(minitorch_trace) if r.op in common)
    compared, unpaired = 0, [0, 0]
    while ref.peek(0) is not None and mine.peek(0) is not None:
        skip = _common_continuation(ref, mine)
        if skip is None:  # no common continuation: report the two ops where the sequences part
            return TraceComparison(compared, (unpaired[0], unpaired[1]), Divergence(
                compared + 1, ref.peek(0), mine.peek(0), "the runs call different ops from here on"))
        unpaired[0] += ref.drop(skip[0])
        unpaired[1] += mine.drop(skip[1])
        t, m = ref.pop(), mine.pop()
        compared += 1
        reason = outputs_differ(t, m, rtol, atol)
        if reason is not None:
            return TraceComparison(compared, (unpaired[0], unpaired[1]), Divergence(compared, t, m, reason))
    unpaired[0] += ref.drop_all()
    unpaired[1] += mine.drop_all()
    return TraceComparison(compared, (unpaired[0], unpaired[1]), None)


def _key(record: Record) -> tuple:
    return record.file, record.line, record.op


def _common_continuation(ref: _Lookahead, mine: _Lookahead) -> tuple[int, int] | None:
    """How many ops to skip on each side to reach the nearest pair with the same key."""
    for total in range(2 * WINDOW - 1):
        for a in range(max(0, total - WINDOW + 1), min(total, WINDOW - 1) + 1):
            t, m = ref.peek(a), mine.peek(total - a)
            if t is not None and m is not None and _key(t) == _key(m):
                return a, total - a
    return None


class _Lookahead:
    def __init__(self, records: Iterator[Record]) -> None:
        self.records, self.buffer = records, deque()

    def peek(self, i: int) -> Record | None:
        while len(self.buffer) <= i:
            record = next(self.records, None)
            if record is None:
                return None
            self.buffer.append(record)
        return self.buffer[i]

    def pop(self) -> Record:
        return self.buffer.popleft()

    def drop(self, n: int) -> int:
        for _ in range(n):
            self.buffer.popleft()
        return n

    def drop_all(self) -> int:
        return len(self.buffer) + sum(1 for _ in self.records)


# ---- values -------------------------------------------------------------------------------------
def outputs_differ(t: Record, m: Record, rtol: float, atol: float) -> str | None:
    """Why the two records' outcomes differ, or None when they agree."""
    if t.error is not None or m.error is not None:
        if t.error is None or m.error is None:
            return "only %s raised" % ("torch" if m.error is None else "minitorch")
        if t.error[0] != m.error[0] or without_addresses(t.error[1]) != without_addresses(m.error[1]):
            return "different exceptions"
        return None
    if len(t.outputs) != len(m.outputs):
        return "torch gave %d outputs, minitorch %d" % (len(t.outputs), len(m.outputs))
    for i, (a, b) in enumerate(zip(t.outputs, m.outputs)):
        what = "output %d: " % i if len(t.outputs) > 1 else ""
        if a[0] != b[0]:
            return what + "torch gave a %s, minitorch a %s" % (a[0], b[0])
        if a[0] == "tensor":
            reason = _tensors_differ(a, b, rtol, atol)
        elif a[0] == "number":
            reason = _numbers_differ(a[1], b[1], rtol, atol)
        else:
            reason = None if a[1] == b[1] else "torch gave a %s, minitorch a %s" % (a[1], b[1])
        if reason is not None:
            return what + reason
    return None


def _tensors_differ(a: tuple, b: tuple, rtol: float, atol: float) -> str | None:
    _, dtype_a, shape_a, values_a = a
    _, dtype_b, shape_b, values_b = b
    if dtype_a != dtype_b:
        return "dtype differs"
    if shape_a != shape_b:
        return "shape differs"
    if values_a.dtype.kind in "fc":
        close = np.isclose(values_b, values_a, rtol=rtol, atol=atol, equal_nan=True)
    else:
        close = values_a == values_b
    if close.all():
        return None
    first = int(np.argmin(close))
    sampled = " (of an even sample)" if values_a.size < int(np.prod(shape_a)) else ""
    return "values differ at flat index %d%s: torch %.8g, minitorch %.8g" % (
        first, sampled, values_a[first].item(), values_b[first].item())


def _numbers_differ(a: object, b: object, rtol: float, atol: float) -> str | None:
    if type(a) is not type(b):
        return "torch gave %s %r, minitorch %s %r" % (type(a).__name__, a, type(b).__name__, b)
    if isinstance(a, (bool, int)):
        return None if a == b else "values differ: torch %r, minitorch %r" % (a, b)
    if _close(complex(a), complex(b), rtol, atol):  # type: ignore[arg-type]
        return None
    return "values differ: torch %r, minitorch %r" % (a, b)


def _close(a: complex, b: complex, rtol: float, atol: float) -> bool:
    if cmath.isnan(a) or cmath.isnan(b):
        return cmath.isnan(a) and cmath.isnan(b)
    return abs(a - b) <= atol + rtol * abs(a)


# ---- printed output -----------------------------------------------------------------------------
def first_different_line(expected: str, got: str, rtol: float, atol: float) -> tuple[int, str, str] | None:
    """The first line (1-based, with both texts) where two outputs differ: memory addresses ignored,
    numbers equal within tolerance (an integer never equals a float: ``1`` vs ``1.``), other text exact;
    a missing line reads as ``<end of output>``."""
    ref, mine = expected.splitlines(), got.splitlines()
    for i in range(max(len(ref), len(mine))):
        e = ref[i] if i < len(ref) else "<end of output>"
        g = mine[i] if i < len(mine) else "<end of output>"
        if not same_line(e, g, rtol, atol):
            return i + 1, e, g
    return None


def same_line(expected: str, got: str, rtol: float, atol: float) -> bool:
    expected, got = without_addresses(expected), without_addresses(got)
    if _NUMBER.split(expected) != _NUMBER.split(got):
        return False
    return all(_same_number(e, g, rtol, atol) for e, g in zip(_NUMBER.findall(expected), _NUMBER.findall(got)))


def without_addresses(text: str) -> str:
    """``text`` with memory addresses (``0x7f...``, which differ from run to run) masked."""
    return _ADDRESS.sub("0x?", text)


def _same_number(expected: str, got: str, rtol: float, atol: float) -> bool:
    if not re.search(r"[.eEna]", expected) or not re.search(r"[.eEna]", got):  # an integer
        return expected == got
    return _close(complex(float(expected)), complex(float(got)), rtol, atol)
