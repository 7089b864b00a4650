"""Per-op overhead and a small MLP forward+backward: minitorch vs torch, as ratios in one run.

Contenders alternate (A B A B ...) and medians are reported: this machine is shared and noisy.
Run: python benchmarks/bench_ops.py [--repeat N]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from typing import Callable

for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ.setdefault(var, "1")
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import torch  # noqa: E402

import minitorch  # noqa: E402

torch.set_num_threads(1)


def per_call_us(fn: Callable[[], object], calls: int) -> float:
    start = time.perf_counter()
    for _ in range(calls):
        fn()
    return (time.perf_counter() - start) / calls * 1e6


def cases(T) -> dict[str, tuple[Callable[[], object], int]]:
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    libs = {"torch": cases(torch), "minitorch": cases(minitorch)}
    samples: dict[tuple[str, str], list[float]] = {}
    for _ in range(args.repeat):
        for name in libs["torch"]:
            for lib in ("torch", "minitorch"):  # interleaved
                fn, calls = libs[lib][name]
                samples.setdefault((lib, name), []).append(per_call_us(fn, calls))
    print("%-22s %12s %12s %8s" % ("case", "torch us", "minitorch us", "ratio"))
    for name in libs["torch"]:
        t = statistics.median(samples[("torch", name)])
        m = statistics.median(samples[("minitorch", name)])
        print("%-22s %12.2f %12.2f %7.2fx" % (name, t, m, m / t))


if __name__ == "__main__":
    main()
