"""BLAS-level products in torch's order, bit for bit (issue 10, session 15).

* torch's float32 and float64 ``dot`` (and ``vdot``, ``matmul`` of two vectors, and a full contraction of tensordot
  and inner) is MKL's ``?dot``, whose order depends on the operands' strides and on their addresses modulo 16 bytes
  (``minitorch._ops.linalg.mkl_dot``). Compared over random lengths (0 to 600, and some to 4095: longer float64
  ones, like float32 ones from 8192, run on several threads, not modelled), offsets into a larger buffer (every
  alignment of each operand), strides, and values of many magnitudes. ``probe(cases)`` runs a longer comparison
  (20,000 cases matched when it was written).
* small float32 ``mm`` (MKL's sgemm: ``minitorch._ops.linalg.mkl_gemm``) in both kernels' regions (in-order sums, with
  the peel of unaligned result rows; FMA chains), row- or column-major operands (a column-major ``mat2``'s in-order
  sums up to 3 products only).
* small ``bmm``/``baddbmm`` (torch's own loop below 400 products per matrix).
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest
import torch

import minitorch

_DTYPES = ("float32", "float64")


def _vector(rng: np.random.Generator, n: int, dtype: str) -> Callable[[Any], Any]:
    """A vector of ``n`` values, at a random offset (and sometimes stride) into a larger buffer, built the same way by
    torch and minitorch (``T``: either module)."""
    offset, stride = int(rng.integers(0, 5)), int(rng.choice([1, 1, 1, 2, 3]))
    vals = rng.standard_normal(offset + n * stride + 3) * np.exp(rng.uniform(-4, 4, offset + n * stride + 3))
    return lambda T: T.tensor(vals).to(getattr(T, dtype))[offset:offset + n * stride:stride]


def _length(rng: np.random.Generator) -> int:
    return int(rng.choice([int(rng.integers(0, 40)), int(rng.integers(0, 600)), int(rng.integers(600, 4096))],
                          p=[0.45, 0.45, 0.1]))


def _bits(t: Any) -> tuple:
    return str(t.dtype), tuple(t.shape), t.numpy().tobytes()


def _mismatches(cases: int, seed: int, op: str = "dot") -> list:
    rng = np.random.default_rng(seed)
    bad = []
    for _ in range(cases):
        dtype, n = _DTYPES[int(rng.integers(0, 2))], _length(rng)
        x, y = _vector(rng, n, dtype), _vector(rng, n, dtype)
        expected = getattr(torch, op)(x(torch), y(torch))
        got = getattr(minitorch, op)(x(minitorch), y(minitorch))
        if _bits(got) != _bits(expected):
            bad.append((op, dtype, n, expected.item(), got.item()))
    return bad


def probe(cases: int = 20000, seed: int = 0) -> list:
    """The longer comparison: every mismatch (op, dtype, length, torch's value, minitorch's)."""
    return [m for op in ("dot", "vdot", "matmul") for m in _mismatches(cases // 3, seed, op)]


@pytest.mark.parametrize("op", ["dot", "vdot", "matmul"])
def test_dot_bit_for_bit(op: str) -> None:
    assert _mismatches(300, 15, op) == []


@pytest.mark.parametrize("dtype", _DTYPES)
def test_every_alignment_and_length(dtype: str) -> None:
    """Lengths 0 to 70 (the peel, the leftover vectors and scalars) at each operand's 4 offsets."""
    rng = np.random.default_rng(7)
    tdtype, mdtype = getattr(torch, dtype), getattr(minitorch, dtype)
    for n in range(71):
        vals = rng.standard_normal((2, n + 4)) * np.exp(rng.uniform(-4, 4, (2, n + 4)))
        for ox in range(4):
            for oy in range(4):
                expected = torch.dot(torch.tensor(vals[0], dtype=tdtype)[ox:ox + n],
                                     torch.tensor(vals[1], dtype=tdtype)[oy:oy + n])
                got = minitorch.dot(minitorch.tensor(vals[0], dtype=mdtype)[ox:ox + n],
                                    minitorch.tensor(vals[1], dtype=mdtype)[oy:oy + n])
                assert _bits(got) == _bits(expected), (n, ox, oy)


def test_negative_zero_products() -> None:
    """MKL's accumulators start at +0: a dot of -0 products is +0, in every path."""
    for n, stride in ((1, 1), (3, 1), (9, 1), (5, 2)):
        for T in (torch, minitorch):
            x = T.full((n * stride,), -0.0)[::stride]
            assert T.dot(x, T.ones(n)).numpy().tobytes() == np.float32(0).tobytes()


def _small_mm_shapes(rng: np.random.Generator) -> tuple[int, int, int]:
    """(m, k, n) in the modelled regions, at most 4096 products: the in-order sums (m < 4 or n < 12; a row-major
    ``input`` needs n > 1), or the FMA chains (m a multiple of 4, n >= 12)."""
    if rng.random() < 0.7:
        m, n = (int(rng.integers(1, 4)), int(rng.integers(2, 40))) if rng.random() < 0.5 else \
            (int(rng.integers(1, 30)), int(rng.integers(2, 12)))
    else:
        m, n = 4 * int(rng.integers(1, 4)), int(rng.integers(12, 24))
    return m, int(rng.integers(0, 4096 // (m * n) + 1)), n


@pytest.mark.parametrize("input_layout", ["row-major", "column-major"])
@pytest.mark.parametrize("mat2_layout", ["row-major", "column-major"])
def test_small_float32_mm(input_layout: str, mat2_layout: str) -> None:
    rng = np.random.default_rng(11)
    for _ in range(80):
        m, k, n = _small_mm_shapes(rng)
        if mat2_layout == "column-major" and not (m >= 4 and n >= 12):
            k = min(k, 3)
        a = rng.standard_normal((m, k)) * np.exp(rng.uniform(-3, 3, (m, k)))
        b = rng.standard_normal((k, n))

        def product(T: Any) -> Any:
            mat = T.tensor(a.T.copy(), dtype=T.float32).t() if input_layout == "column-major" else \
                T.tensor(a, dtype=T.float32)
            mat2 = T.tensor(b.T.copy(), dtype=T.float32).t() if mat2_layout == "column-major" else \
                T.tensor(b, dtype=T.float32)
            return T.mm(mat, mat2)
        assert _bits(product(minitorch)) == _bits(product(torch)), (m, k, n)


def test_vector_matrix_products_and_full_contractions() -> None:
    """A vector times a matrix (matmul's mm of one row), the full contractions torch's tensordot and inner take dot
    for (same graph: ViewBackward0 over DotBackward0), and cov's (2, 3) @ (3, 2) with a transposed mat2."""
    rng = np.random.default_rng(3)
    for _ in range(50):
        v, w, x = rng.standard_normal(20), rng.standard_normal((20, 7)), rng.standard_normal((4, 5))

        def products(T: Any) -> list:
            tv, tw, tx = (T.tensor(a, dtype=T.float32) for a in (v, w, x))
            return [tv @ tw, T.inner(tv, tv + 1), T.tensordot(tx, tx * 2, 2), T.cov(tx[:2, :3])]
        assert [_bits(t) for t in products(minitorch)] == [_bits(t) for t in products(torch)]


@pytest.mark.parametrize("dtype", ["float32", "float64", "complex64", "bfloat16"])
def test_small_bmm_and_baddbmm(dtype: str) -> None:
    """Below 400 products per matrix, torch's own loop: each entry's products in order, in the opmath type."""
    rng = np.random.default_rng(5)
    for _ in range(40):
        b, m, k, n = (int(v) for v in rng.integers(1, 8, 4))
        vals = [rng.standard_normal(s) + (1j * rng.standard_normal(s) if dtype == "complex64" else 0)
                for s in ((b, m, k), (b, k, n), (b, m, n))]

        def products(T: Any) -> list:
            a, bb, c = (T.tensor(v).to(getattr(T, dtype)) for v in vals)
            return [T.bmm(a, bb), T.baddbmm(c, a, bb), T.baddbmm(c, a, bb, beta=0.5, alpha=2), T.matmul(a, bb)]
        for got, expected in zip(products(minitorch), products(torch)):
            assert _bits(got.view(minitorch.uint8)) == _bits(expected.view(torch.uint8)), (b, m, k, n)


def test_small_float32_addmm() -> None:
    """addmm (beta and alpha 1) in the modelled regions: the bias first in the in-order sums of a row-major mat2
    (no peeled rows: n a multiple of 4 or at most 4), added after a column-major mat2's sums (k <= 3) and the fused
    chains."""
    rng = np.random.default_rng(13)
    for _ in range(120):
        kind = int(rng.integers(0, 3))
        if kind == 0:
            m, n, k, transposed = int(rng.integers(1, 12)), int(rng.choice([2, 3, 4, 8])), int(rng.integers(40)), False
        elif kind == 1:
            m, n, k, transposed = int(rng.integers(1, 4)), int(rng.integers(2, 30)), int(rng.integers(0, 4)), True
        else:
            m, n, k, transposed = 4, int(rng.integers(12, 20)), int(rng.integers(1, 50)), bool(rng.integers(0, 2))
        a, b, c = rng.standard_normal((m, k)), rng.standard_normal((k, n)), rng.standard_normal(n)

        def product(T: Any) -> Any:
            mat2 = T.tensor(b.T.copy(), dtype=T.float32).t() if transposed else T.tensor(b, dtype=T.float32)
            return T.addmm(T.tensor(c, dtype=T.float32), T.tensor(a, dtype=T.float32), mat2)
        assert _bits(product(minitorch)) == _bits(product(torch)), (m, k, n, transposed)


def test_full_contraction_of_copied_operands() -> None:
    """A full contraction whose permuted operands are not contiguous: torch's mul and sum, in the inputs' dtype."""
    results = []
    for T in (torch, minitorch):
        x = T.arange(4, dtype=T.uint8).reshape(2, 2, 1)
        y = T.arange(4, dtype=T.uint8).reshape(2, 1, 2)
        r = T.tensordot(x, y, ([0, 1], [2, 0]))
        results.append((str(r.dtype), r.item()))
    assert results[0] == results[1] and results[0][0] == "torch.uint8"
    x = minitorch.ones(2, 2, requires_grad=True)
    grad_fn = minitorch.tensordot(x, minitorch.ones(2, 2), ([0, 1], [1, 0])).grad_fn
    assert type(grad_fn.next_functions[0][0]).__name__ == "SumBackward0"
