"""Backward of large graphs: minitorch vs torch, as ratios in one run.

* a chain of 100,000 ops (``y = y * 1.0``) on a 10-element leaf, then ``y.sum().backward()``;
* 10,000 summed slices: ``sum(x[i] for i in range(10_000))`` of a 10,000-element leaf, then backward.

Only ``backward()`` is timed (the graph is built before the clock starts). Contenders alternate
(A B A B ...) and medians are reported: this machine is shared and noisy.
Run: python benchmarks/bench_backward.py [--repeat N]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from typing import Any, Callable

for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ.setdefault(var, "1")
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import torch  # noqa: E402

import minitorch  # noqa: E402

torch.set_num_threads(1)

CHAIN_OPS = 100_000
SLICES = 10_000


def chain(T: Any) -> Any:
    y = T.ones(10, requires_grad=True)
    for _ in range(CHAIN_OPS):
        y = y * 1.0
    return y.sum()


def summed_slices(T: Any) -> Any:
    x = T.ones(SLICES, requires_grad=True)
    return sum(x[i] for i in range(SLICES))


CASES: dict[str, Callable[[Any], Any]] = {
    "backward, 100,000-op chain": chain,
    "backward, 10,000 summed slices": summed_slices,
}


def backward_seconds(T: Any, build: Callable[[Any], Any]) -> float:
    loss = build(T)
    start = time.perf_counter()
    loss.backward()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    samples: dict[tuple[str, str], list[float]] = {}
    for _ in range(args.repeat):
        for name, build in CASES.items():
            for lib, T in (("torch", torch), ("minitorch", minitorch)):  # interleaved
                samples.setdefault((lib, name), []).append(backward_seconds(T, build))
    print("%-32s %10s %12s %8s" % ("case", "torch s", "minitorch s", "ratio"))
    for name in CASES:
        t = statistics.median(samples[("torch", name)])
        m = statistics.median(samples[("minitorch", name)])
        print("%-32s %10.3f %12.3f %7.2fx" % (name, t, m, m / t))


if __name__ == "__main__":
    main()
