"""Whole training steps, differential against torch: the same seeded models (initialised by each
library's own generator, which must agree), the same data, plain SGD written by hand; the loss of
every step and the final weights must match."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest
import torch

import minitorch



def mlp(T: Any) -> Any:
    return T.nn.Sequential(T.nn.Flatten(), T.nn.Linear(64, 32), T.nn.ReLU(), T.nn.Linear(32, 10))


def cnn(T: Any) -> Any:
    return T.nn.Sequential(
        T.nn.Conv2d(1, 4, 3, padding=1), T.nn.BatchNorm2d(4), T.nn.ReLU(), T.nn.MaxPool2d(2),
        T.nn.Conv2d(4, 8, 3), T.nn.GELU(), T.nn.AdaptiveAvgPool2d(2), T.nn.Flatten(),
        T.nn.Dropout(0.2), T.nn.Linear(32, 10), T.nn.LogSoftmax(1))


def attention_like(T: Any) -> Any:
    class Model(T.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.embed = T.nn.Embedding(20, 8, padding_idx=0)
            self.norm = T.nn.LayerNorm(8)
            self.proj = T.nn.Linear(8, 8)
            self.out = T.nn.Linear(8, 10)

        def forward(self, tokens: Any) -> Any:
            h = self.norm(self.embed(tokens))
            weights = T.nn.functional.softmax(self.proj(h) @ h.transpose(1, 2), dim=-1)
            return self.out(T.nn.functional.silu(weights @ h).mean(1))
    return Model()


def _data(kind: str) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(5)
    if kind == "tokens":
        return rng.integers(0, 20, (6, 5)), rng.integers(0, 10, 6)
    return rng.random((16, 1, 8, 8)).astype(np.float32), rng.integers(0, 10, 16)


def train(T: Any, make: Callable, kind: str, loss_fn: Callable, steps: int = 4) -> tuple[list, list]:
    T.manual_seed(0)
    model = make(T)
    x, y = (T.tensor(a) for a in _data(kind))
    losses = []
    for _ in range(steps):
        model.zero_grad()
        loss = loss_fn(T, model(x), y)
        loss.backward()
        with T.no_grad():
            for p in model.parameters():
                p -= 0.1 * p.grad
        losses.append(loss.item())
    return losses, [v.detach().numpy().copy() for v in model.state_dict().values()]


MODELS = [
    ("mlp_cross_entropy", mlp, "images", lambda T, out, y: T.nn.CrossEntropyLoss()(out, y)),
    ("cnn_nll", cnn, "images", lambda T, out, y: T.nn.functional.nll_loss(out, y)),
    ("embedding_layernorm_smoothing", attention_like, "tokens",
     lambda T, out, y: T.nn.functional.cross_entropy(out, y, label_smoothing=0.1)),
]


@pytest.mark.parametrize("make, kind, loss_fn", [m[1:] for m in MODELS], ids=[m[0] for m in MODELS])
def test_training_steps(make: Callable, kind: str, loss_fn: Callable) -> None:
    ref_losses, ref_state = train(torch, make, kind, loss_fn)
    my_losses, my_state = train(minitorch, make, kind, loss_fn)
    np.testing.assert_allclose(my_losses, ref_losses, rtol=1e-5)
    for r, m in zip(ref_state, my_state):
        np.testing.assert_allclose(m, r, rtol=1e-4, atol=1e-5)
