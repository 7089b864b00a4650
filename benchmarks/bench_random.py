"""1M-element random draws, minitorch against torch: interleaved runs, medians, ratios.

    python3 benchmarks/bench_random.py [--rounds 9] [--n 1000000]

Each op is timed alternating with torch so that machine noise hits both sides alike (threads: see
timing.py). Targets (issue 6): within 5x of single-thread torch for rand, randint and dropout, within
20x for randn and randperm.
"""
from __future__ import annotations

from typing import Callable

from timing import command_line, configure_threads, interleaved, Row, set_torch_threads

configure_threads()  # before NumPy and torch are imported

import torch  # noqa: E402

import minitorch  # noqa: E402
from minitorch import _rng  # noqa: E402
from minitorch._rng import tensor_api as mt  # noqa: E402  (the functions minitorch exports)


def cases(n: int) -> list[tuple[str, float, Callable[[], object], Callable[[], object]]]:
    """(name, target ratio, torch call, minitorch call)."""
    x_t = torch.randn(n)
    x_m = x_t.numpy().copy()
    return [
        ("rand f32", 5, lambda: torch.rand(n), lambda: mt.rand(n)),
        ("randn f32", 20, lambda: torch.randn(n), lambda: mt.randn(n)),
        ("randint(0,10)", 5, lambda: torch.randint(0, 10, (n,)), lambda: mt.randint(0, 10, (n,))),
        ("randperm", 20, lambda: torch.randperm(n), lambda: mt.randperm(n)),
        ("dropout mask p=0.1", 5, lambda: torch.nn.functional.dropout(x_t, 0.1),
         lambda: x_m * _rng.dropout_mask(x_m, 0.1)),
        ("uniform_(-b,b) f32", None, lambda: torch.empty(n).uniform_(-0.1, 0.1),
         lambda: mt.uniform_(minitorch.empty(n), -0.1, 0.1)),
        ("randn f64", None, lambda: torch.randn(n, dtype=torch.float64),
         lambda: mt.randn(n, dtype=minitorch.float64)),
    ]


def measure(rounds: int, n: int = 1_000_000) -> list[Row]:
    set_torch_threads(torch)
    rows = []
    for name, target, torch_fn, mini_fn in cases(n):
        times = interleaved({"torch": torch_fn, "minitorch": mini_fn}, rounds)
        rows.append(Row("random draws, 1M elements", name, "s", times, "<= %dx" % target if target else "",
                        {"cpu path": _rng.cpu_path()}))
    return rows


if __name__ == "__main__":
    command_line(measure, __doc__, rounds=9, n=1_000_000)
