"""torch.fft's transforms against torch: values and dtypes (float32 computed in single precision, compared
with torch's tolerances), n/s, dim, norm, and first and second derivatives. Complex inputs are built
from two real leaves and complex outputs compared through view_as_real (see test_complex.py)."""
from __future__ import annotations

import numpy as np
import pytest

from harness import check, check_error

RNG = np.random.default_rng(3)
X = RNG.standard_normal((3, 4))
Y = RNG.standard_normal((3, 4))

ONE_D = ["fft", "ifft", "rfft", "irfft", "hfft", "ihfft"]
MULTI = [name + suffix for suffix in ("2", "n") for name in ONE_D]


def _compare(T, out):
    return T.view_as_real(out.resolve_conj()) if out.is_complex() else out


def _input(T, name, x, y):
    """The real transforms take real inputs; the others are given complex ones."""
    return x if name.startswith(("rfft", "ihfft")) else T.complex(x, y)


@pytest.mark.parametrize("name", ONE_D)
@pytest.mark.parametrize("n,dim,norm", [(None, -1, None), (3, 0, "ortho"), (6, 1, "forward"), (5, -1, "backward")])
def test_one_dim(name: str, n: object, dim: int, norm: object) -> None:
    check(lambda T, x, y: _compare(T, getattr(T.fft, name)(_input(T, name, x, y), n, dim, norm)), [X, Y],
          second_order=True)


@pytest.mark.parametrize("name", MULTI)
@pytest.mark.parametrize("s,dim,norm", [(None, None, None), ((2, 5), None, "ortho"), (None, (1, 0), "forward"),
                                        ((4, 3), (0, 1), "backward")])
def test_multi_dim(name: str, s: object, dim: object, norm: object) -> None:
    dims = {} if dim is None else {"dim": dim}  # (fft2's dim may not be None)
    check(lambda T, x, y: _compare(T, getattr(T.fft, name)(_input(T, name, x, y), s=s, norm=norm, **dims)),
          [X, Y], second_order=True)


@pytest.mark.parametrize("name", ["fft", "ifft", "rfft", "ihfft", "fft2", "rfftn"])
def test_real_and_integer_inputs(name: str) -> None:
    check(lambda T, x: (_compare(T, getattr(T.fft, name)(x)), _compare(T, getattr(T.fft, name)(x.round().long()))),
          [X], second_order=True)


@pytest.mark.parametrize("name", ONE_D + ["fftn", "irfftn"])
def test_single_precision(name: str) -> None:
    check(lambda T, x, y: _compare(T, getattr(T.fft, name)(_input(T, name, x, y))),
          [X.astype(np.float32), Y.astype(np.float32)], rtol=1.3e-6, atol=1e-5, grad_rtol=1.3e-6, grad_atol=1e-5)


def test_errors() -> None:
    z = lambda T: T.ones(4, dtype=T.complex64)  # noqa: E731
    check_error(lambda T: T.fft.rfft(z(T)))
    check_error(lambda T: T.fft.ihfft(z(T)))
    check_error(lambda T: T.fft.fft(z(T), 0))
    check_error(lambda T: T.fft.fft(z(T), norm="bad"))
    check_error(lambda T: T.fft.fftn(z(T), s=(2, 2), dim=(0,)))
    check_error(lambda T: T.fft.fftn(z(T), s=(2, 2)))
    check_error(lambda T: T.fft.irfft(T.ones(1)))
    check_error(lambda T: T.fft.fft(z(T), dim=2))
