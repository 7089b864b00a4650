"""torch.fft at its edges: 0-d inputs, float16 (CPU transforms take single and double precision only), empty
and repeated dims, complex inputs to the real transforms, fft2's default dims; results or torch's errors."""
from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from harness import check

TRANSFORMS = [prefix + kind + suffix for suffix in ("", "2", "n") for prefix in ("", "i")
              for kind in ("fft", "rfft", "hfft")]
INPUTS = {
    "0-d": (np.float32(1.5), {}),
    "0-d dim 0": (np.float64(1.5), {"dim": 0}),
    "0-d complex": (np.complex64(1 + 2j), {}),
    "float16": (np.ones((2, 2), np.float16), {}),
    "int empty": (np.zeros((0,), np.int32), {}),
    "complex": (np.ones((2, 3), np.complex64), {}),
    "dim None": (np.ones((2, 3)), {"dim": None}),
    "dims repeated": (np.ones((2, 3), bool), {"dim": [0, 0]}),
    "size 0 given": (np.ones((2, 3)), {"s": [3, 0]}),
}


def _kwargs(name: str, kwargs: dict) -> dict:
    if name.endswith(("2", "n")):
        return kwargs
    return {k: v for k, v in kwargs.items() if k != "s" and not isinstance(v, list)}


@pytest.mark.parametrize("case", INPUTS)
@pytest.mark.parametrize("name", TRANSFORMS)
def test_transform_edges(name: str, case: str) -> None:
    value, kwargs = INPUTS[case]
    kwargs = _kwargs(name, kwargs)
    check(lambda T, x: getattr(T.fft, name)(x, **kwargs), [np.asarray(value)], grad=False)


@pytest.mark.parametrize("name", ["fftshift", "ifftshift"])
@pytest.mark.parametrize("dim", [0, [1], [0, 0], None])
def test_shift_edges(name: str, dim: Any) -> None:
    for value in (np.float32(2.0), np.arange(6.0).reshape(2, 3)):
        check(lambda T, x: getattr(T.fft, name)(x, dim=dim), [np.asarray(value)], grad=False)


@pytest.mark.parametrize("name", TRANSFORMS)
@pytest.mark.parametrize("shape,kwargs", [((), {"s": 3}), ((4,), {"s": 3}), ((2, 4), {"s": 3, "dim": 0}),
                                          ((4,), {"dim": 2 ** 63 - 1, "norm": "amin"}), ((4,), {"norm": "amin"})])
def test_int_sizes_and_check_order(name: str, shape: tuple, kwargs: dict) -> None:
    """An int for ``s`` or ``dim`` is a one-element list; the dims are checked before the norm."""
    if not name.endswith(("2", "n")):
        kwargs = {("n" if k == "s" else k): v for k, v in kwargs.items()}
    check(lambda T, x: getattr(T.fft, name)(x, **kwargs), [np.ones(shape, np.float32)], grad=False)
