"""1M-element random draws, minitorch against torch: interleaved runs, medians, ratios.

    python3 benchmarks/bench_random.py [--repeat 9] [--n 1000000]

Each op is timed under torch with one thread and with torch's default thread count, alternating
with minitorch so that machine noise hits both sides alike. Targets (issue 6): within 5x of
single-thread torch for rand, randint and dropout, within 20x for randn and randperm.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from typing import Callable

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

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


def timed(fn: Callable[[], object], times: list[float]) -> None:
    t0 = time.perf_counter()
    fn()
    times.append((time.perf_counter() - t0) * 1e3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--n", type=int, default=1_000_000)
    args = parser.parse_args()
    default_threads = torch.get_num_threads()
    print(f"n={args.n}, median of {args.repeat}, cpu path {_rng.cpu_path()!r}, torch threads 1 and {default_threads}")
    print(f"| op | torch 1T ms | torch {default_threads}T ms | minitorch ms | ratio (1T) | target |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, target, torch_fn, mini_fn in cases(args.n):
        t1: list[float] = []
        tn: list[float] = []
        ours: list[float] = []
        torch_fn(), mini_fn()  # warm-up
        for _ in range(args.repeat):
            torch.set_num_threads(1)
            timed(torch_fn, t1)
            timed(mini_fn, ours)
            torch.set_num_threads(default_threads)
            timed(torch_fn, tn)
        a, b, c = statistics.median(t1), statistics.median(tn), statistics.median(ours)
        goal = f"{target}x" if target else "-"
        print(f"| {name} | {a:.2f} | {b:.2f} | {c:.2f} | {c / a:.1f}x | {goal} |")
    torch.set_num_threads(default_threads)


if __name__ == "__main__":
    main()
