"""``import minitorch`` against ``import torch`` (and ``import numpy``, the floor): wall time of a fresh
interpreter that imports the library and exits, the contenders alternating, medians. Bytecode caches are
on (a warm-up import writes them), as for an installed package: with ``PYTHONDONTWRITEBYTECODE`` an
editable checkout would compile every module from source on every import, and torch's wheel would not.

    python benchmarks/bench_import.py [--rounds 9]
"""
from __future__ import annotations

import os
import subprocess
import sys
import time

from timing import command_line, configure_threads, ROOT, Row

configure_threads()

CONTENDERS = {"torch": "torch", "minitorch": "minitorch", "numpy": "numpy"}


ENV = {k: v for k, v in dict(os.environ, PYTHONPATH=ROOT).items() if k != "PYTHONDONTWRITEBYTECODE"}


def import_seconds(module: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import " + module], check=True, cwd=ROOT, env=ENV)
    return time.perf_counter() - start


def measure(rounds: int) -> list[Row]:
    for module in CONTENDERS.values():
        import_seconds(module)  # writes the bytecode caches
    samples: dict[str, list[float]] = {name: [] for name in CONTENDERS}
    for r in range(rounds):
        names = list(CONTENDERS)
        for name in names[r % 3:] + names[:r % 3]:
            samples[name].append(import_seconds(CONTENDERS[name]))
    return [Row("import", "fresh interpreter, wall", "s", {n: sorted(s)[len(s) // 2] for n, s in samples.items()},
                "<= 0.15x torch")]


if __name__ == "__main__":
    command_line(measure, __doc__, rounds=9)
