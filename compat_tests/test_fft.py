"""torch.fft's real-valued functions: sample frequencies and spectrum shifts (values, dtypes, gradients,
argument errors)."""
from __future__ import annotations

import numpy as np
import pytest

from harness import check, check_error

X = np.arange(30.0).reshape(5, 6)


@pytest.mark.parametrize("n,d", [(0, 1.0), (1, 1.0), (5, 1.0), (6, 0.5), (7, 3), (3, 0.0), (0, 0.0)])
def test_frequencies(n: int, d: float) -> None:
    check(lambda T: (T.fft.fftfreq(n, d), T.fft.rfftfreq(n, d), T.fft.fftfreq(n, dtype=T.float64),
                     T.fft.rfftfreq(n, d=d, requires_grad=True)), [])


@pytest.mark.parametrize("dim", [None, 0, 1, -1, (0, 1), [1]])
def test_shifts(dim: object) -> None:
    check(lambda T, x: (T.fft.fftshift(x, dim), T.fft.ifftshift(x, dim=dim), T.fft.ifftshift(T.fft.fftshift(x))),
          [X], second_order=True)


def test_errors() -> None:
    check_error(lambda T: T.fft.fftfreq(4, "a"))
    check_error(lambda T: T.fft.fftfreq(4.0))
    check_error(lambda T: T.fft.fftfreq(-1))
    check_error(lambda T: T.fft.rfftfreq(-4))
    check(lambda T: (T.fft.rfftfreq(-2), T.fft.rfftfreq(-3)), [])
    check_error(lambda T, x: T.fft.fftshift(x, 2), [X])
