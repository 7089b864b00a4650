#!/usr/bin/env python3
"""LSTM language-model training step: minitorch vs torch, in the same process.

The model of the PyTorch word-language-model example at its small size: embedding 200, a 2-layer
LSTM of hidden size 200, a decoder to a 10000-word vocabulary; sequence 35, batch 20. One step is
forward, CrossEntropyLoss, backward, gradient clipping and an SGD update, from the same weights and
data for both. The contenders run interleaved in rounds; the median per step is reported.

    python benchmarks/bench_lstm.py            # goal: minitorch <= 1.5x torch
    BENCH_THREADS=default python benchmarks/bench_lstm.py
"""
from __future__ import annotations

from typing import Any, Callable

from timing import command_line, configure_threads, interleaved, Row, set_torch_threads

configure_threads()  # before NumPy and torch are imported

import numpy as np  # noqa: E402

SEQ, BATCH, EMBED, HIDDEN, LAYERS, VOCAB = 35, 20, 200, 200, 2, 10000


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


def measure(rounds: int) -> list[Row]:
    import torch

    import minitorch
    set_torch_threads(torch)
    times = interleaved({"torch": lm_step(torch), "minitorch": lm_step(minitorch)}, rounds)
    return [Row("LSTM language model training step", "seq 35, batch 20, 2x200", "s", times, "<= 1.5x")]


if __name__ == "__main__":
    command_line(measure, __doc__, rounds=7)
