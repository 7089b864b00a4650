"""Per-op overhead and a small MLP forward+backward: minitorch vs torch, as ratios in one run.

Contenders alternate (A B A B ...) and medians are reported: this machine is shared and noisy.
Run: python benchmarks/bench_ops.py [--rounds N]
"""
from __future__ import annotations

from typing import Any, Callable

from timing import command_line, configure_threads, interleaved, Row, set_torch_threads

configure_threads()  # before NumPy and torch are imported

GOALS = {"a + b (10 elems)": "<= 1.0x", "a + b with grad": "<= 1.5x", "x[0]": "<= 1.5x",
         "small MLP fwd+bwd": "<= 1.0x"}


def cases(T: Any) -> dict[str, tuple[Callable[[], object], int]]:
    a, b = T.ones(10), T.ones(10)
    ga, gb = T.ones(10, requires_grad=True), T.ones(10, requires_grad=True)
    x = T.ones(32, 20)
    w1, b1 = T.ones(20, 64, requires_grad=True), T.zeros(64, requires_grad=True)
    w2, b2 = T.ones(64, 10, requires_grad=True), T.zeros(10, requires_grad=True)

    def mlp_step() -> None:
        h = (x @ w1 + b1).relu()
        loss = ((h @ w2 + b2) ** 2).mean()
        loss.backward()

    return {
        "a + b (10 elems)": (lambda: a + b, 20000),
        "a + b with grad": (lambda: ga + gb, 20000),
        "a * 2.0": (lambda: a * 2.0, 20000),
        "a.sum()": (lambda: a.sum(), 20000),
        "x[0]": (lambda: x[0], 20000),
        "small MLP fwd+bwd": (mlp_step, 500),
    }


def measure(rounds: int) -> list[Row]:
    import torch

    import minitorch
    set_torch_threads(torch)
    libs = {"torch": cases(torch), "minitorch": cases(minitorch)}
    rows = []
    for name, (_, calls) in libs["torch"].items():
        times = interleaved({lib: libs[lib][name][0] for lib in libs}, rounds, calls)
        rows.append(Row("per-op overhead", name, "s", times, GOALS.get(name, "")))
    return rows


if __name__ == "__main__":
    command_line(measure, __doc__, rounds=7)
