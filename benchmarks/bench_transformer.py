#!/usr/bin/env python3
"""TransformerEncoderLayer training step: minitorch vs torch in the same run.

One step is forward through ``nn.TransformerEncoderLayer(128, 4, batch_first=True)`` (torch's defaults:
feed-forward 2048, dropout 0.1, relu) on a (16, 64, 128) batch, an MSE loss, backward and an Adam
update, from the same weights and data for both. Contenders are interleaved round by round and the
median time per step reported, with one BLAS/OpenMP thread for both unless ``--threads`` says otherwise.

    python benchmarks/bench_transformer.py [--rounds 15] [--threads 1]

Goal (issue 12): minitorch <= 1.5x torch.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from typing import Any, Callable

THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "VECLIB_MAXIMUM_THREADS")
BATCH, SEQ, D_MODEL, HEADS = 16, 64, 128, 4


def make_step(T: Any, state: dict, x: Any, y: Any) -> Callable[[], None]:
    """The step as a torch user writes it; ``T`` is torch or minitorch."""
    layer = T.nn.TransformerEncoderLayer(D_MODEL, HEADS, batch_first=True)
    layer.load_state_dict({k: T.from_numpy(v.copy()) for k, v in state.items()})
    optimizer = T.optim.Adam(layer.parameters(), lr=1e-3)
    inputs, target = T.from_numpy(x), T.from_numpy(y)

    def step() -> None:
        optimizer.zero_grad()
        loss = T.nn.functional.mse_loss(layer(inputs), target)
        loss.backward()
        optimizer.step()
    return step


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    for var in THREAD_VARS:
        os.environ[var] = str(args.threads)
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    import numpy as np
    import torch

    import minitorch

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    state = {k: v.numpy() for k, v in torch.nn.TransformerEncoderLayer(D_MODEL, HEADS, batch_first=True)
             .state_dict().items()}
    rng = np.random.default_rng(0)
    x = rng.standard_normal((BATCH, SEQ, D_MODEL)).astype(np.float32)
    y = rng.standard_normal((BATCH, SEQ, D_MODEL)).astype(np.float32)
    steps = {"torch": make_step(torch, state, x, y), "minitorch": make_step(minitorch, state, x, y)}
    times: dict[str, list[float]] = {name: [] for name in steps}
    for step in steps.values():  # warm up
        step()
    for r in range(args.rounds):
        order = list(steps) if r % 2 == 0 else list(reversed(steps))
        for name in order:
            start = time.perf_counter()
            steps[name]()
            times[name].append(time.perf_counter() - start)
    medians = {name: statistics.median(t) for name, t in times.items()}
    for name, m in medians.items():
        print("%-10s %8.2f ms/step" % (name, m * 1e3))
    print("ratio minitorch/torch: %.2fx  (goal <= 1.5x; %d thread(s), median of %d rounds)"
          % (medians["minitorch"] / medians["torch"], args.threads, args.rounds))


if __name__ == "__main__":
    main()
