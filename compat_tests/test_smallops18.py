"""Session 18's per-op paths (issue 15), bit for bit against torch: a bias's gradient (a sum over dim 0) whose blocks of
16 rows start from the output's 0 instead of a ``+ 0`` pass after them."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import minitorch

NAN, INF = float("nan"), float("inf")


def _bits_equal(mine: minitorch.Tensor, ref: torch.Tensor) -> None:
    assert str(mine.dtype) == str(ref.dtype) and tuple(mine.shape) == tuple(ref.shape)
    assert mine.stride() == ref.stride(), (mine.stride(), ref.stride())
    assert mine.detach().numpy().tobytes() == ref.detach().numpy().tobytes(), (mine, ref)


def _columns(rows: int, columns: int, dtype: str) -> np.ndarray:
    """Random columns of every magnitude, and columns of signed zeros (all -0: torch's sum is +0; -0 and +0 mixed),
    with an infinity, with NaN, and an overflowing one, wherever the column count leaves room."""
    rng = np.random.default_rng(rows * 1000 + columns)
    x = rng.standard_normal((rows, columns)) * 10.0 ** rng.integers(-8, 8, (rows, columns))
    if dtype.startswith("complex"):
        x = x + 1j * rng.standard_normal((rows, columns))
    x[:, 0] = -0.0
    x[:, 1] = np.where(np.arange(rows) % 3, -0.0, 0.0)
    x[rows // 2, 2] = INF
    x[rows - 1, 3] = NAN
    x[:, 4] = 3e38 if dtype in ("float32", "complex64") else 1.7e308
    x[:16, 5] = -0.0  # (a block of -0s, then other values)
    return x.astype(dtype)


# rows: within one block, one block, two blocks (a batch of 32), two with a tail, many blocks, the general cascade;
# columns: whole groups of 4 vectors (the cascade's path) for float32, float64 and complex64
_SHAPES = [(rows, columns) for rows in (8, 16, 17, 32, 35, 48, 100, 255, 256, 300) for columns in (32, 64)]


@pytest.mark.parametrize("dtype", ["float32", "float64", "complex64"])
@pytest.mark.parametrize("shape", _SHAPES)
def test_bias_gradient_bits(dtype: str, shape: tuple[int, int]) -> None:
    """A broadcast bias's gradient and ``sum(0)`` equal torch's bits (the engine's reduction of the gradient and the
    op's)."""
    x = _columns(*shape, dtype)
    grads = []
    for T in (minitorch, torch):
        bias = T.zeros(shape[1], dtype=getattr(T, dtype), requires_grad=True)
        (T.zeros(shape, dtype=bias.dtype) + bias).backward(T.tensor(x))
        grads.append(bias.grad)
    _bits_equal(*grads)
    _bits_equal(minitorch.tensor(x).sum(0), torch.tensor(x).sum(0))
