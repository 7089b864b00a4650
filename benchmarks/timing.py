"""What every benchmark shares: the thread setting, interleaved timing, and rows of results.

Each ``bench_*.py`` has a ``measure(rounds) -> list[Row]`` and prints its rows as a table when run by
itself; ``run.py`` runs all of them in child processes (``BENCH_JSON=1`` makes a child print its rows
as JSON) and writes ``results.json`` and ``results.png``.

Threads: ``BENCH_THREADS=1`` (the default) gives NumPy's BLAS and torch one thread each, so that the
ratios compare the libraries and not their threading; ``BENCH_THREADS=default`` leaves both at their
defaults. Call ``configure_threads()`` before NumPy or torch is imported.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from dataclasses import asdict, dataclass, field
from typing import Any, Callable

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "VECLIB_MAXIMUM_THREADS",
               "NUMEXPR_NUM_THREADS")


def thread_mode() -> str:
    return os.environ.get("BENCH_THREADS", "1")


def configure_threads() -> None:
    """Pin the BLAS/OpenMP pools to one thread unless ``BENCH_THREADS=default``; put the checkout first on
    the path, so that ``import minitorch`` is this one."""
    if thread_mode() == "1":
        for var in THREAD_VARS:
            os.environ[var] = "1"
    if ROOT not in sys.path:
        sys.path.insert(0, ROOT)


def set_torch_threads(torch: Any) -> None:
    if thread_mode() == "1":
        torch.set_num_threads(1)


@dataclass
class Row:
    """One measured case: a value per contender (``torch``, ``minitorch``, ``numpy`` for the hand-written
    floor), in ``unit``; ``goal`` is the issue's target for minitorch's ratio, as text."""
    benchmark: str
    case: str
    unit: str
    values: dict[str, float]
    goal: str = ""
    notes: dict[str, Any] = field(default_factory=dict)

    def ratio(self, to: str = "torch") -> float | None:
        if "minitorch" not in self.values or to not in self.values or not self.values[to]:
            return None
        return self.values["minitorch"] / self.values[to]


def interleaved(contenders: dict[str, Callable[[], object]], rounds: int, calls: int = 1,
                warmup: int = 1) -> dict[str, float]:
    """Median seconds per call of each contender. Contenders take turns (the order rotates each round),
    so that the machine's noise falls on all of them alike."""
    for fn in contenders.values():
        for _ in range(warmup):
            fn()
    names = list(contenders)
    samples: dict[str, list[float]] = {name: [] for name in names}
    for r in range(rounds):
        for name in names[r % len(names):] + names[:r % len(names)]:
            fn = contenders[name]
            start = time.perf_counter()
            for _ in range(calls):
                fn()
            samples[name].append((time.perf_counter() - start) / calls)
    return {name: statistics.median(s) for name, s in samples.items()}


def command_line(measure: Callable[..., list[Row]], doc: str | None, rounds: int, **options: Any) -> None:
    """A benchmark script's main: ``--rounds`` and one option per keyword (typed as its default), passed to
    ``measure``, whose rows are then reported."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=rounds)
    for name, default in options.items():
        parser.add_argument("--" + name, type=type(default), default=default)
    report(measure(**vars(parser.parse_args())))


def report(rows: list[Row]) -> None:
    """Rows as JSON for ``run.py`` (``BENCH_JSON=1``), else as a table."""
    if os.environ.get("BENCH_JSON"):
        print("BENCH_ROWS " + json.dumps([asdict(r) for r in rows]), flush=True)
        return
    print("threads: %s" % ("one" if thread_mode() == "1" else "libraries' defaults"))
    print("%-34s %-22s %12s %12s %12s %9s %9s  %s" % ("benchmark", "case", "torch", "minitorch", "numpy",
                                                     "/torch", "/numpy", "goal"))
    for r in rows:
        cells = [_value(r.values.get(k), r.unit) for k in ("torch", "minitorch", "numpy")]
        ratios = [("%.2fx" % x) if x is not None else "" for x in (r.ratio("torch"), r.ratio("numpy"))]
        print("%-34s %-22s %12s %12s %12s %9s %9s  %s" % (r.benchmark, r.case, *cells, *ratios, r.goal))


def _value(v: float | None, unit: str) -> str:
    if v is None:
        return ""
    if unit == "s":
        return "%.2f us" % (v * 1e6) if v < 1e-3 else "%.2f ms" % (v * 1e3) if v < 1 else "%.3f s" % v
    return "%.1f %s" % (v, unit)
