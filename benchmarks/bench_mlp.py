#!/usr/bin/env python3
"""MLP 784-128-10 training step: minitorch vs torch vs a hand-written NumPy step (the floor).

One step is forward, CrossEntropyLoss, backward and an SGD momentum update, at batch 64 and 512,
from the same weights and data for every contender. Reported, once with one BLAS/OpenMP thread for
everybody and once with the libraries' default threading:

* time per step: contenders interleaved (A B C, B C A, ...) in one process, median of the rounds;
* peak memory (ru_maxrss) of a 100-step run, each contender in its own process;
* time from process start to the end of the third step, each contender in its own process.

    python benchmarks/bench_mlp.py            # everything (about a minute)
    python benchmarks/bench_mlp.py --profile  # where minitorch's step spends its time (cProfile)
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from typing import Any, Callable

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CONTENDERS = ("minitorch", "torch", "numpy")
BATCHES = (64, 512)
SIZES = (784, 128, 10)
LR, MOMENTUM = 0.01, 0.9
THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "VECLIB_MAXIMUM_THREADS",
               "NUMEXPR_NUM_THREADS")
GOALS = "goals: minitorch <= 0.8x torch and <= 1.2x numpy at batch 64, <= 1.05x numpy at 512; memory <= 0.2x torch"


def problem(batch: int) -> tuple[list[np.ndarray], np.ndarray, np.ndarray]:
    """Weights (torch's Linear layout and init range), inputs and labels, the same for everyone."""
    rng = np.random.default_rng(0)
    weights = []
    for fan_in, fan_out in zip(SIZES, SIZES[1:]):
        bound = fan_in ** -0.5
        weights += [rng.uniform(-bound, bound, (fan_out, fan_in)).astype(np.float32),
                    rng.uniform(-bound, bound, fan_out).astype(np.float32)]
    x = rng.random((batch, SIZES[0]), dtype=np.float32)
    y = rng.integers(0, SIZES[-1], batch)
    return weights, x, y


def framework_step(T: Any, batch: int) -> Callable[[], None]:
    """The step as a torch user writes it; ``T`` is torch or minitorch."""
    weights, x, y = problem(batch)
    model = T.nn.Sequential(T.nn.Linear(784, 128), T.nn.ReLU(), T.nn.Linear(128, 10))
    with T.no_grad():
        for p, w in zip(model.parameters(), weights):
            p.copy_(T.from_numpy(w))
    criterion = T.nn.CrossEntropyLoss()
    optimizer = T.optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM)
    inputs, labels = T.from_numpy(x), T.from_numpy(y)

    def step() -> None:
        optimizer.zero_grad()
        loss = criterion(model(inputs), labels)
        loss.backward()
        optimizer.step()
    return step


def numpy_step(batch: int) -> Callable[[], None]:
    """The floor: the same step by hand, in place wherever NumPy allows."""
    (w1, b1, w2, b2), x, y = problem(batch)
    params = [w1, b1, w2, b2]
    velocity = [np.zeros_like(p) for p in params]
    rows = np.arange(batch)

    def step() -> None:
        h = x @ w1.T
        h += b1
        np.maximum(h, 0, out=h)
        z = h @ w2.T
        z += b2
        z -= z.max(axis=1, keepdims=True)
        np.exp(z, out=z)
        z /= z.sum(axis=1, keepdims=True)  # softmax; the loss itself is not needed for the update
        z[rows, y] -= 1
        z /= batch  # dL/dlogits of the mean cross entropy
        grads = [None, None, z.T @ h, z.sum(axis=0)]
        dh = z @ w2
        dh *= h > 0
        grads[0], grads[1] = dh.T @ x, dh.sum(axis=0)
        for p, g, v in zip(params, grads, velocity):
            v *= np.float32(MOMENTUM)
            v += g
            v_scaled = v * np.float32(-LR)
            p += v_scaled
    return step


def make_step(name: str, batch: int) -> Callable[[], None]:
    if name == "numpy":
        return numpy_step(batch)
    if name == "torch":
        import torch
        return framework_step(torch, batch)
    sys.path.insert(0, ROOT)
    import minitorch
    return framework_step(minitorch, batch)


# ---- child processes ------------------------------------------------------------------------------
def child_timing(rounds: int) -> None:
    """Median time per step of each contender at each batch size, contenders interleaved."""
    for batch in BATCHES:
        steps = {name: make_step(name, batch) for name in CONTENDERS}
        block = max(2, 1280 // batch)  # steps per timed block: ~10-30 ms
        for step in steps.values():
            for _ in range(block):
                step()  # warm up caches, allocator and lazy initialisation
        samples: dict[str, list[float]] = {name: [] for name in CONTENDERS}
        for r in range(rounds):
            order = CONTENDERS[r % 3:] + CONTENDERS[:r % 3]
            for name in order:
                step = steps[name]
                t0 = time.perf_counter()
                for _ in range(block):
                    step()
                samples[name].append((time.perf_counter() - t0) / block)
        print(batch, *(statistics.median(samples[n]) for n in CONTENDERS), flush=True)


def child_run(name: str, batch: int, steps: int) -> None:
    """Build, take 3 steps, say so (the parent times this from process start), finish, report RSS."""
    step = make_step(name, batch)
    for _ in range(3):
        step()
    print("ready", flush=True)
    for _ in range(steps - 3):
        step()
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, flush=True)  # KiB on Linux


# ---- the report -------------------------------------------------------------------------------------
def spawn(args: list[str], env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, os.path.abspath(__file__), *args], env=env, stdout=subprocess.PIPE,
                            text=True)


def measure_runs(env: dict[str, str], batch: int, repeats: int) -> dict[str, tuple[float, float]]:
    """Per contender: (median seconds from spawn to 3 steps done, median peak RSS in MiB)."""
    results: dict[str, tuple[list[float], list[float]]] = {n: ([], []) for n in CONTENDERS}
    for _ in range(repeats):
        for name in CONTENDERS:
            t0 = time.perf_counter()
            proc = spawn(["--child", "run", "--contender", name, "--batch", str(batch)], env)
            assert proc.stdout is not None
            assert proc.stdout.readline().strip() == "ready"
            results[name][0].append(time.perf_counter() - t0)
            results[name][1].append(int(proc.stdout.readline()) / 1024)
            proc.wait()
    return {n: (statistics.median(s), statistics.median(m)) for n, (s, m) in results.items()}


def report(label: str, env: dict[str, str], rounds: int, repeats: int) -> None:
    print(f"\n== {label} ==")
    proc = spawn(["--child", "time", "--rounds", str(rounds)], env)
    out, _ = proc.communicate()
    print(f"{'batch':>5}  {'minitorch':>10} {'torch':>10} {'numpy':>10}   {'mt/torch':>8} {'mt/numpy':>8}")
    for row in out.strip().splitlines():
        batch, mt, th, npy = row.split()
        mt_, th_, np_ = float(mt), float(th), float(npy)
        print(f"{batch:>5}  {mt_ * 1e3:8.3f}ms {th_ * 1e3:8.3f}ms {np_ * 1e3:8.3f}ms   "
              f"{mt_ / th_:7.2f}x {mt_ / np_:7.2f}x")
    runs = measure_runs(env, 64, repeats)
    print("100 steps at batch 64, one process each: peak RSS and time from start to 3 steps done")
    for name in CONTENDERS:
        start, rss = runs[name]
        print(f"  {name:>9}: {rss:7.1f} MiB  {start:6.2f} s")
    mt, th = runs["minitorch"], runs["torch"]
    print(f"  minitorch/torch: memory {mt[1] / th[1]:.2f}x, start-up {mt[0] / th[0]:.2f}x")


def profile(batch: int, steps: int) -> None:
    import cProfile
    import pstats
    step = make_step("minitorch", batch)
    for _ in range(20):
        step()
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(steps):
        step()
    prof.disable()
    stats = pstats.Stats(prof)
    stats.sort_stats("tottime").print_stats(25)
    stats.sort_stats("cumulative").print_stats(30)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--child", choices=("time", "run"), help=argparse.SUPPRESS)
    p.add_argument("--contender", choices=CONTENDERS, help=argparse.SUPPRESS)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--rounds", type=int, default=31, help="timed rounds per contender and batch size")
    p.add_argument("--repeats", type=int, default=3, help="processes per contender for memory/start-up")
    p.add_argument("--profile", action="store_true", help="profile minitorch's step at --batch")
    args = p.parse_args()
    if args.child == "time":
        return child_timing(args.rounds)
    if args.child == "run":
        return child_run(args.contender, args.batch, 100)
    if args.profile:
        return profile(args.batch, 500)
    print(GOALS)
    single = dict(os.environ, **{v: "1" for v in THREAD_VARS})
    defaults = {k: v for k, v in os.environ.items() if k not in THREAD_VARS}
    report("one BLAS/OpenMP thread for all", single, args.rounds, args.repeats)
    report("default threading", defaults, args.rounds, args.repeats)


if __name__ == "__main__":
    main()
