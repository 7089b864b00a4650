#!/usr/bin/env python3
"""TransformerEncoderLayer training step: minitorch vs torch in the same run.

One step is forward through ``nn.TransformerEncoderLayer(128, 4, batch_first=True)`` (torch's defaults:
feed-forward 2048, dropout 0.1, relu) on a (16, 64, 128) batch, an MSE loss, backward and an Adam
update, from the same weights and data for both. Contenders are interleaved round by round and the
median time per step reported (threads: see timing.py).

    python benchmarks/bench_transformer.py [--rounds 15]

Goal (issue 12): minitorch <= 1.5x torch.
"""
from __future__ import annotations

from typing import Any, Callable

from timing import command_line, configure_threads, interleaved, Row, set_torch_threads

configure_threads()  # before NumPy and torch are imported

import numpy as np  # noqa: E402

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


def measure(rounds: int) -> list[Row]:
    import torch

    import minitorch
    set_torch_threads(torch)
    torch.manual_seed(0)
    state = {k: v.numpy() for k, v in torch.nn.TransformerEncoderLayer(D_MODEL, HEADS, batch_first=True)
             .state_dict().items()}
    rng = np.random.default_rng(0)
    x = rng.standard_normal((BATCH, SEQ, D_MODEL)).astype(np.float32)
    y = rng.standard_normal((BATCH, SEQ, D_MODEL)).astype(np.float32)
    times = interleaved({"torch": make_step(torch, state, x, y), "minitorch": make_step(minitorch, state, x, y)},
                        rounds)
    return [Row("TransformerEncoderLayer training step", "(16, 64, 128), 4 heads", "s", times, "<= 1.5x")]


if __name__ == "__main__":
    command_line(measure, __doc__, rounds=15)
