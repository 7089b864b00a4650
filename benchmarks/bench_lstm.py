#!/usr/bin/env python3
"""LSTM language-model training step: minitorch vs torch, in the same process.

The model of the PyTorch word-language-model example at its small size: embedding 200, a 2-layer
LSTM of hidden size 200, a decoder to a 10000-word vocabulary; sequence 35, batch 20. One step is
forward, CrossEntropyLoss, backward, gradient clipping and an SGD update, from the same weights and
data for both. The contenders run interleaved in rounds; the median per step is reported.

    python benchmarks/bench_lstm.py            # goal: minitorch <= 1.5x torch
    python benchmarks/bench_lstm.py --threads 1
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from typing import Any, Callable

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEQ, BATCH, EMBED, HIDDEN, LAYERS, VOCAB = 35, 20, 200, 200, 2, 10000
GOAL = 1.5


def lm_step(T: Any) -> Callable[[], float]:
    """One training step as a torch user writes it; ``T`` is torch or minitorch."""
    T.manual_seed(0)
    embed, lstm, decoder = T.nn.Embedding(VOCAB, EMBED), T.nn.LSTM(EMBED, HIDDEN, LAYERS, dropout=0.2), \
        T.nn.Linear(HIDDEN, VOCAB)
    params = list(embed.parameters()) + list(lstm.parameters()) + list(decoder.parameters())
    optimizer = T.optim.SGD(params, lr=20.0)
    rng = np.random.default_rng(0)
    data = T.from_numpy(rng.integers(0, VOCAB, (SEQ + 1, BATCH)))
    inputs, targets = data[:-1], data[1:].reshape(-1)
    criterion = T.nn.CrossEntropyLoss()
    drop = T.nn.Dropout(0.2)
    hidden = None

    def step() -> float:
        nonlocal hidden
        optimizer.zero_grad()
        output, hidden = lstm(drop(embed(inputs)), hidden)
        hidden = tuple(h.detach() for h in hidden)
        loss = criterion(decoder(drop(output)).view(-1, VOCAB), targets)
        loss.backward()
        T.nn.utils.clip_grad_norm_(params, 0.25)
        optimizer.step()
        return loss.item()
    return step


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--threads", type=int, default=None, help="torch.set_num_threads (default: torch's)")
    args = parser.parse_args()
    sys.path.insert(0, ROOT)
    import torch

    import minitorch
    if args.threads:
        torch.set_num_threads(args.threads)
    steps = {"torch": lm_step(torch), "minitorch": lm_step(minitorch)}
    times: dict[str, list[float]] = {name: [] for name in steps}
    for name, step in steps.items():  # warm-up
        step()
    for r in range(args.rounds):
        order = list(steps) if r % 2 == 0 else list(reversed(steps))
        for name in order:
            start = time.perf_counter()
            steps[name]()
            times[name].append(time.perf_counter() - start)
    med = {name: statistics.median(ts) for name, ts in times.items()}
    for name in steps:
        print("%-10s %8.1f ms/step" % (name, med[name] * 1e3))
    ratio = med["minitorch"] / med["torch"]
    print("minitorch / torch: %.2fx (goal <= %.1fx) with torch on %d thread(s)"
          % (ratio, GOAL, torch.get_num_threads()))


if __name__ == "__main__":
    main()
