#!/usr/bin/env python3
"""MLP 784-128-10 training step: minitorch vs torch vs a hand-written NumPy step (the floor).

One step is forward, CrossEntropyLoss, backward and an SGD momentum update, at batch 64 and 512,
from the same weights and data for every contender. Reported (threads: see timing.py):

* time per step: contenders interleaved (A B C, B C A, ...) in one process, median of the rounds;
* peak memory (ru_maxrss) of a 100-step run, each contender in its own process;
* time from process start to the end of the third step, each contender in its own process.

    python benchmarks/bench_mlp.py            # everything (about a minute)
    python benchmarks/bench_mlp.py --profile  # where minitorch's step spends its time (cProfile)
    python benchmarks/bench_mlp.py --split    # CPU time per phase of the step, each contender
    python benchmarks/bench_mlp.py --trace    # Python frames and C calls per phase of one minitorch step, by file
    python benchmarks/bench_mlp.py --opcodes  # Python bytecodes run per phase of one minitorch step, by function
    python benchmarks/bench_mlp.py --semantic # the floor, torch's arithmetic by hand in NumPy, and minitorch
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

from timing import Row, configure_threads, interleaved, report, set_torch_threads

configure_threads()  # before NumPy and torch are imported

import numpy as np  # noqa: E402

CONTENDERS = ("minitorch", "torch", "numpy")
BATCHES = (64, 512)
SIZES = (784, 128, 10)
LR, MOMENTUM = 0.01, 0.9
GOALS = {64: "<= 0.8x torch, <= 1.2x numpy", 512: "<= 1.05x numpy"}


def problem(batch: int, sizes: tuple[int, ...] = SIZES) -> tuple[list[np.ndarray], np.ndarray, np.ndarray]:
    """Weights (torch's Linear layout and init range), inputs and labels, the same for everyone."""
    rng = np.random.default_rng(0)
    weights = []
    for fan_in, fan_out in zip(sizes, sizes[1:]):
        bound = fan_in ** -0.5
        weights += [rng.uniform(-bound, bound, (fan_out, fan_in)).astype(np.float32),
                    rng.uniform(-bound, bound, fan_out).astype(np.float32)]
    x = rng.random((batch, sizes[0]), dtype=np.float32)
    y = rng.integers(0, sizes[-1], batch)
    return weights, x, y


def _no_mark(phase: str) -> None:
    pass


def framework_step(T: Any, batch: int, sizes: tuple[int, ...] = SIZES, mark: Callable[[str], None] = _no_mark
                   ) -> Callable[[], None]:
    """The step as a torch user writes it; ``T`` is torch or minitorch. ``mark(phase)`` is called at the end of
    each phase (``--split``)."""
    weights, x, y = problem(batch, sizes)
    model = T.nn.Sequential(T.nn.Linear(sizes[0], sizes[1]), T.nn.ReLU(), T.nn.Linear(sizes[1], sizes[2]))
    with T.no_grad():
        for p, w in zip(model.parameters(), weights):
            p.copy_(T.from_numpy(w))
    criterion = T.nn.CrossEntropyLoss()
    optimizer = T.optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM)
    inputs, labels = T.from_numpy(x), T.from_numpy(y)

    def step() -> None:
        optimizer.zero_grad()
        mark("zero_grad")
        logits = model(inputs)
        mark("forward")
        loss = criterion(logits, labels)
        mark("loss")
        loss.backward()
        mark("backward")
        optimizer.step()
        mark("optimizer")
    return step


def numpy_step(batch: int, sizes: tuple[int, ...] = SIZES, mark: Callable[[str], None] = _no_mark
               ) -> Callable[[], None]:
    """The floor: the same step by hand, in place wherever NumPy allows (its phases as ``framework_step``'s;
    there is no gradient to zero, and "loss" is the softmax and its gradient)."""
    (w1, b1, w2, b2), x, y = problem(batch, sizes)
    params = [w1, b1, w2, b2]
    velocity = [np.zeros_like(p) for p in params]
    rows = np.arange(batch)

    def step() -> None:
        mark("zero_grad")
        h = x @ w1.T
        h += b1
        np.maximum(h, 0, out=h)
        z = h @ w2.T
        z += b2
        mark("forward")
        z -= z.max(axis=1, keepdims=True)
        np.exp(z, out=z)
        z /= z.sum(axis=1, keepdims=True)  # softmax; the loss itself is not needed for the update
        z[rows, y] -= 1
        z /= batch  # dL/dlogits of the mean cross entropy
        mark("loss")
        grads = [None, None, z.T @ h, z.sum(axis=0)]
        dh = z @ w2
        dh *= h > 0
        grads[0], grads[1] = dh.T @ x, dh.sum(axis=0)
        mark("backward")
        for p, g, v in zip(params, grads, velocity):
            v *= np.float32(MOMENTUM)
            v += g
            v_scaled = v * np.float32(-LR)
            p += v_scaled
        mark("optimizer")
    return step


def semantic_step(batch: int, sizes: tuple[int, ...] = SIZES) -> Callable[[], float]:
    """The step as torch computes it, written by hand in NumPy without a framework: log_softmax and nll_loss and their
    backward kernels, a new array for relu and for threshold_backward, the bias gradients as sums over the batch. Its
    distance to ``numpy_step`` is the arithmetic torch's semantics cost; minitorch's distance to it, the framework."""
    (w1, b1, w2, b2), x, y = problem(batch, sizes)
    params = [w1, b1, w2, b2]
    velocity = [np.zeros_like(p) for p in params]
    rows = np.arange(batch)

    def step() -> float:
        h = x @ w1.T
        h += b1
        r = np.maximum(h, 0)
        z = r @ w2.T
        z += b2
        shifted = z - z.max(axis=1, keepdims=True)
        out = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))  # log_softmax
        loss = -out[rows, y].sum() / batch  # nll_loss
        g = np.zeros_like(out)
        g[rows, y] = -1 / batch  # nll_loss_backward
        g -= np.exp(out) * g.sum(axis=1, keepdims=True)  # log_softmax_backward
        grads = [None, None, g.T @ r, g.sum(axis=0)]
        dr = np.where(r > 0, g @ w2, np.float32(0))  # threshold_backward
        grads[0], grads[1] = dr.T @ x, dr.sum(axis=0)
        for p, grad, v in zip(params, grads, velocity):
            v *= np.float32(MOMENTUM)
            v += grad
            p += v * np.float32(-LR)
        return float(loss)
    return step


def semantic(batch: int, rounds: int) -> None:
    """CPU time per step (median of interleaved blocks) of the floor, the semantic step and minitorch's."""
    steps: dict[str, Callable[[], object]] = {"numpy": numpy_step(batch), "semantic": semantic_step(batch),
                                              "minitorch": make_step("minitorch", batch)}
    block = max(2, 1280 // batch)
    times: dict[str, list[float]] = {name: [] for name in steps}
    for fn in steps.values():
        for _ in range(block):
            fn()
    for r in range(rounds):
        for name, fn in steps.items():
            start = time.process_time()
            for _ in range(block):
                fn()
            times[name].append((time.process_time() - start) / block)
    floor = statistics.median(times["numpy"])
    for name, values in times.items():
        print("batch %d %-10s %8.1f us  %.2fx floor" % (batch, name, statistics.median(values) * 1e6,
                                                       statistics.median(values) / floor))


def make_step(name: str, batch: int, sizes: tuple[int, ...] = SIZES, mark: Callable[[str], None] = _no_mark
              ) -> Callable[[], None]:
    if name == "numpy":
        return numpy_step(batch, sizes, mark)
    if name == "torch":
        import torch
        set_torch_threads(torch)
        return framework_step(torch, batch, sizes, mark)
    import minitorch
    return framework_step(minitorch, batch, sizes, mark)


def step_times(batch: int, rounds: int, sizes: tuple[int, ...] = SIZES) -> dict[str, float]:
    """Median seconds per step of each contender, interleaved, in blocks of ~10-30 ms."""
    steps = {name: make_step(name, batch, sizes) for name in CONTENDERS}
    block = max(2, 1280 // batch)
    return interleaved(steps, rounds, calls=block, warmup=block)


# ---- one process per contender: memory and start-up ---------------------------------------------------
def child_run(name: str, batch: int, steps: int) -> None:
    """Build, take 3 steps, say so (the parent times this from process start), finish, report RSS."""
    step = make_step(name, batch)
    for _ in range(3):
        step()
    print("ready", flush=True)
    for _ in range(steps - 3):
        step()
    print(peak_rss_kib(), flush=True)


def peak_rss_kib() -> int:
    """This process's peak resident set. Linux's VmHWM, since ``ru_maxrss`` carries the parent's peak over
    fork and exec (a child spawned by a process that had loaded torch would report torch's)."""
    try:
        with open("/proc/self/status") as f:
            return next(int(line.split()[1]) for line in f if line.startswith("VmHWM:"))
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # (KiB on Linux, bytes on macOS)


def measure_runs(batch: int, repeats: int) -> dict[str, tuple[float, float]]:
    """Per contender: (median seconds from spawn to 3 steps done, median peak RSS in MiB)."""
    results: dict[str, tuple[list[float], list[float]]] = {n: ([], []) for n in CONTENDERS}
    for _ in range(repeats):
        for name in CONTENDERS:
            t0 = time.perf_counter()
            proc = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--child", name, "--batch",
                                     str(batch)], stdout=subprocess.PIPE, text=True)
            assert proc.stdout is not None
            assert proc.stdout.readline().strip() == "ready"
            results[name][0].append(time.perf_counter() - t0)
            results[name][1].append(int(proc.stdout.readline()) / 1024)
            proc.wait()
    return {n: (statistics.median(s), statistics.median(m)) for n, (s, m) in results.items()}


def measure(rounds: int, repeats: int = 3) -> list[Row]:
    rows = [Row("MLP 784-128-10 training step", "batch %d" % batch, "s", step_times(batch, rounds), GOALS[batch])
            for batch in BATCHES]
    runs = measure_runs(64, repeats)
    rows.append(Row("MLP training, 100 steps", "peak RSS", "MiB", {n: runs[n][1] for n in CONTENDERS},
                    "<= 0.3x torch"))
    rows.append(Row("MLP training, 100 steps", "start to 3rd step", "s", {n: runs[n][0] for n in CONTENDERS}))
    return rows


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


PHASES = ("zero_grad", "forward", "loss", "backward", "optimizer")


def split(batch: int, rounds: int) -> None:
    """CPU time (``process_time``: another process's turn on the core is not counted) of each phase of the
    step, per contender: the minimum over rounds of the mean over a block of steps."""
    clock = time.process_time
    best: dict[str, dict[str, float]] = {}
    for name in CONTENDERS:
        totals = dict.fromkeys(PHASES, 0.0)
        last = [0.0]

        def mark(phase: str) -> None:
            now = clock()
            totals[phase] += now - last[0]
            last[0] = now
        step = make_step(name, batch, mark=mark)
        block = max(4, 1280 // batch)
        best[name] = dict.fromkeys(PHASES, float("inf"))
        for r in range(rounds + 1):
            for phase in PHASES:
                totals[phase] = 0.0
            for _ in range(block):
                last[0] = clock()
                step()
            if r:  # (the first block warms up)
                for phase in PHASES:
                    best[name][phase] = min(best[name][phase], totals[phase] / block)
    print("batch %d, CPU us per step (min over %d blocks)" % (batch, rounds))
    print("%-10s" % "phase" + "".join("%12s" % n for n in CONTENDERS))
    for phase in PHASES + ("total",):
        values = [sum(best[n].values()) if phase == "total" else best[n][phase] for n in CONTENDERS]
        print("%-10s" % phase + "".join("%12.1f" % (v * 1e6) for v in values))


def _phased_step(batch: int) -> tuple[Callable[[], None], list[str], Any]:
    """A warm minitorch step, the phase it is in (``phase[0]``, what a tracer counts its work to) and the code of the
    marker that moves it on (which a tracer leaves out)."""
    phase = ["zero_grad"]

    def mark(done: str) -> None:
        phase[0] = PHASES[(PHASES.index(done) + 1) % len(PHASES)]
    step = make_step("minitorch", batch, mark=mark)
    for _ in range(5):
        step()
    phase[0] = "zero_grad"
    return step, phase, mark.__code__


def trace(batch: int) -> None:
    """One warm minitorch step under ``sys.setprofile``: per phase, the Python frames entered (by file) and the
    builtin C calls (NumPy's ufuncs are not builtins: they do not show, their Python wrappers do)."""
    import collections
    step, phase, marker = _phased_step(batch)
    frames: dict[str, collections.Counter] = {p: collections.Counter() for p in PHASES}
    c_calls: collections.Counter = collections.Counter()

    def profiler(frame: Any, event: str, arg: Any) -> None:
        if frame.f_code is marker:
            return
        if event == "call":
            frames[phase[0]][os.path.basename(frame.f_code.co_filename)] += 1
        elif event == "c_call":
            c_calls[phase[0]] += 1
    sys.setprofile(profiler)
    step()
    sys.setprofile(None)
    for p in PHASES:
        by_file = ", ".join("%s %d" % kv for kv in frames[p].most_common())
        print("%-10s %4d Python frames, %4d C calls: %s" % (p, sum(frames[p].values()), c_calls[p], by_file))


def opcodes(batch: int) -> None:
    """One warm minitorch step traced opcode by opcode: the bytecodes each phase runs (the interpreter's work, which
    the machine's load does not move), and the functions that run the most."""
    import collections
    step, phase, marker = _phased_step(batch)
    per_phase: collections.Counter = collections.Counter()
    per_function: collections.Counter = collections.Counter()

    def tracer(frame: Any, event: str, arg: Any) -> Any:
        if frame.f_code is marker:
            return None
        frame.f_trace_opcodes, frame.f_trace_lines = True, False
        if event == "opcode":
            per_phase[phase[0]] += 1
            per_function[(phase[0], os.path.basename(frame.f_code.co_filename), frame.f_code.co_name)] += 1
        return tracer
    sys.settrace(tracer)
    step()
    sys.settrace(None)
    print("opcodes per phase: %s; %d in all" % (", ".join("%s %d" % (p, per_phase[p]) for p in PHASES),
                                                sum(per_phase.values())))
    for (p, file, function), count in per_function.most_common(int(os.environ.get("OPCODE_TOP", "20"))):
        print("%6d  %-10s %s:%s" % (count, p, file, function))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--child", choices=CONTENDERS, help=argparse.SUPPRESS)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--rounds", type=int, default=31, help="timed rounds per batch size")
    p.add_argument("--repeats", type=int, default=3, help="processes per contender for memory/start-up")
    p.add_argument("--profile", action="store_true", help="profile minitorch's step at --batch")
    p.add_argument("--split", action="store_true", help="CPU time per phase of each contender's step at --batch")
    p.add_argument("--trace", action="store_true", help="Python frames and C calls per phase of minitorch's step")
    p.add_argument("--opcodes", action="store_true", help="Python bytecodes per phase of minitorch's step")
    p.add_argument("--semantic", action="store_true", help="the floor, torch's arithmetic in NumPy and minitorch")
    args = p.parse_args()
    if args.child:
        return child_run(args.child, args.batch, 100)
    if args.profile:
        return profile(args.batch, 500)
    if args.split:
        return split(args.batch, 15)
    if args.trace:
        return trace(args.batch)
    if args.opcodes:
        return opcodes(args.batch)
    if args.semantic:
        return semantic(args.batch, args.rounds)
    report(measure(args.rounds, args.repeats))


if __name__ == "__main__":
    main()
