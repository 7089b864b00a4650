"""Session 18's per-op paths (issue 15), bit for bit against torch: a bias's gradient (a sum over dim 0) whose blocks of
16 rows start from the output's 0 instead of a ``+ 0`` pass after them; products of C- or F-contiguous matrices by
np.dot (np.matmul's bits, and its own loop for other strides)."""
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



_LAYOUTS = {  # a matrix of ``columns`` columns taken from one of twice as many, in the layouts mm meets
    "C": lambda x, columns: x[:, :columns].contiguous(),
    "F": lambda x, columns: x[:, :columns].t().contiguous().t(),  # (a transposed weight)
    "strided": lambda x, columns: x[:, ::2],
    "expanded": lambda x, columns: x[:1, :columns].expand(x.shape[0], columns),
}


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("shape", [(32, 20, 64), (64, 32, 10), (1, 300, 20), (50, 1, 90), (20, 300, 1), (7, 70, 90)])
def test_product_bits_by_layout(dtype: str, shape: tuple[int, int, int]) -> None:
    """Products past the MKL-modelled sizes (``mkl_gemm.SMALL``) are NumPy's BLAS product, whatever the operands'
    layouts (np.dot, taken for C- or F-contiguous matrices, must keep np.matmul's bits), and close to torch's; so are
    their gradients."""
    m, k, n = shape
    rng = np.random.default_rng(m * k * n)
    left, right = rng.standard_normal((m, 2 * k)).astype(dtype), rng.standard_normal((k, 2 * n)).astype(dtype)
    cotangent = rng.standard_normal((m, n)).astype(dtype)
    for left_layout, right_layout in [(p, q) for p in _LAYOUTS for q in _LAYOUTS]:
        results = []
        for T in (minitorch, torch):
            x, w = T.tensor(left, requires_grad=True), T.tensor(right, requires_grad=True)
            a, b = _LAYOUTS[left_layout](x, k), _LAYOUTS[right_layout](w, n)
            y = a @ b
            results.append((a, b, y, *T.autograd.grad(y, (a, b), T.tensor(cotangent))))
        (a, b, y, grad_a, grad_b), reference = results
        arrays = a.detach().numpy(), b.detach().numpy()
        where = (left_layout, right_layout)
        assert y.detach().numpy().tobytes() == np.matmul(*arrays).tobytes(), where
        assert grad_a.numpy().tobytes() == np.matmul(cotangent, arrays[1].T).tobytes(), where
        # (a transposed mat2's gradient is the transposed product, laid out as mat2: torch's mm_mat2_backward)
        transposed = arrays[1].flags.f_contiguous and not arrays[1].flags.c_contiguous
        expected_b = np.matmul(cotangent.T, arrays[0]).T if transposed else np.matmul(arrays[0].T, cotangent)
        assert grad_b.numpy().tobytes() == expected_b.tobytes(), where
        for mine, theirs in zip((y, grad_a, grad_b), reference[2:]):
            torch.testing.assert_close(torch.from_numpy(mine.detach().numpy().copy()), theirs.detach(), rtol=1e-4,
                                       atol=1e-4)  # (MKL's sums in other orders than OpenBLAS's)
