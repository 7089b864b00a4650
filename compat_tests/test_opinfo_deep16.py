"""What session 16's deep OpInfo run found, differential against torch: matrix_exp's float32 results bit for bit
(torch's mexp multiplies with bmm, whose own in-order loop small matrices take, and squares each matrix with mm), and
cholesky_inverse of an empty complex upper factor."""
from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch

import minitorch
from harness import check

_rng = np.random.default_rng(1616)


def _same_bits(mine: Any, ref: Any) -> None:
    m, r = np.ascontiguousarray(mine.numpy()), np.ascontiguousarray(ref.numpy())
    assert m.dtype == r.dtype and m.shape == r.shape
    np.testing.assert_array_equal(m.view(np.int32), r.view(np.int32))


# 1-norms of each degree's interval (1, 2, 4, 8, 12 and 18 by float32's bounds), and past them: scaled, then squared.
# (Matrices of at most 7x7: bmm's own loop; larger ones' batched products are MKL's, which NumPy's keep approximating.)
@pytest.mark.parametrize("norm", [1e-8, 3e-4, 0.03, 0.4, 1.2, 2.5, 27.0, 400.0])
@pytest.mark.parametrize("shape", [(5, 5), (7, 7), (3, 5, 5), (2, 2, 3, 3), (4, 7, 7)])
def test_matrix_exp_float32_bit_for_bit(norm: float, shape: tuple) -> None:
    a = _rng.standard_normal(shape).astype(np.float32)
    a *= np.float32(norm) / np.abs(a).sum(-2).max(-1)[..., None, None]
    _same_bits(minitorch.matrix_exp(minitorch.tensor(a)), torch.matrix_exp(torch.tensor(a)))


def test_matrix_exp_mixed_norms_in_one_batch() -> None:
    """Each matrix of a batch takes its own degree (bmm on the matrices of each)."""
    a = _rng.standard_normal((6, 6, 6)).astype(np.float32)
    a *= np.array([1e-9, 1e-3, 0.1, 1.0, 5.0, 50.0], np.float32)[:, None, None]
    _same_bits(minitorch.matrix_exp(minitorch.tensor(a)), torch.matrix_exp(torch.tensor(a)))


@pytest.mark.parametrize("dtype", [np.float64, np.complex128])
def test_matrix_exp_values_and_gradients(dtype: Any) -> None:
    a = (_rng.standard_normal((3, 4, 4)) * 2).astype(dtype)
    if dtype == np.complex128:
        a = a + 1j * _rng.standard_normal(a.shape)
    check(lambda T, x: T.matrix_exp(x), [a], second_order=dtype == np.float64)


@pytest.mark.parametrize("dtype", ["complex64", "complex128", "float32"])
@pytest.mark.parametrize("shape", [(0, 0), (2, 0, 0), (0, 3, 3)])
@pytest.mark.parametrize("upper", [True, False])
def test_cholesky_inverse_of_empty_factors(dtype: str, shape: tuple, upper: bool) -> None:
    for T in (torch, minitorch):
        out = T.cholesky_inverse(T.zeros(shape, dtype=getattr(T, dtype)), upper=upper)
        assert tuple(out.shape) == shape and out.dtype == getattr(T, dtype)
        if T is torch:
            expected = out.stride()
        else:
            assert out.stride() == expected
