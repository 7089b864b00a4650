"""Padding against torch: every padding layer (repr, values, gradients) and nn.functional.pad in every
mode and dimensionality torch supports, second order on float64, and torch's errors."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest

from harness import check, check_error
from nn_harness import check_module

_rng = np.random.default_rng(77)


def randn(*shape: int, dtype: Any = np.float32) -> np.ndarray:
    return _rng.standard_normal(shape).astype(dtype)


LAYERS: list[tuple[str, Callable[[Any], Any], list]] = [
    ("ConstantPad1d", lambda T: T.nn.ConstantPad1d(2, 3.5), [randn(2, 3, 4)]),
    ("ConstantPad1d_negative", lambda T: T.nn.ConstantPad1d((-1, 2), -1), [randn(3, 4)]),
    ("ConstantPad2d", lambda T: T.nn.ConstantPad2d((3, 0, 2, 1), 3.5), [randn(1, 2, 2)]),
    ("ConstantPad3d", lambda T: T.nn.ConstantPad3d(1, 0.5), [randn(1, 1, 2, 2, 2)]),
    ("ZeroPad1d", lambda T: T.nn.ZeroPad1d((3, 1)), [randn(1, 2, 3)]),
    ("ZeroPad2d", lambda T: T.nn.ZeroPad2d(2), [randn(1, 1, 3, 3)]),
    ("ZeroPad3d", lambda T: T.nn.ZeroPad3d((1, 0, 0, 2, 1, 1)), [randn(2, 2, 2, 3)]),
    ("ReflectionPad1d", lambda T: T.nn.ReflectionPad1d((3, 1)), [randn(1, 2, 4)]),
    ("ReflectionPad2d", lambda T: T.nn.ReflectionPad2d(2), [randn(1, 1, 3, 3)]),
    ("ReflectionPad2d_unbatched", lambda T: T.nn.ReflectionPad2d((1, 1, 2, 0)), [randn(2, 3, 3)]),
    ("ReflectionPad3d", lambda T: T.nn.ReflectionPad3d(1), [randn(1, 1, 2, 2, 2)]),
    ("ReplicationPad1d", lambda T: T.nn.ReplicationPad1d((3, 1)), [randn(2, 4)]),
    ("ReplicationPad2d", lambda T: T.nn.ReplicationPad2d((1, 1, 2, 0)), [randn(1, 1, 3, 3)]),
    ("ReplicationPad3d", lambda T: T.nn.ReplicationPad3d((3, 3, 1, 0, 1, 1)), [randn(1, 2, 2, 3, 2)]),
    ("CircularPad1d", lambda T: T.nn.CircularPad1d((2, 1)), [randn(2, 2, 3)]),
    ("CircularPad2d", lambda T: T.nn.CircularPad2d(1), [randn(2, 3, 3)]),
    ("CircularPad2d_cropping", lambda T: T.nn.CircularPad2d((-1, 2, 1, -1)), [randn(1, 2, 3, 4)]),
    ("CircularPad3d", lambda T: T.nn.CircularPad3d((1, 2, 0, 1, 2, 2)), [randn(1, 1, 2, 3, 3)]),
]


@pytest.mark.parametrize("make, values", [c[1:] for c in LAYERS], ids=[c[0] for c in LAYERS])
def test_layer(make: Callable, values: list) -> None:
    check_module(make, values)


def _pad_cases() -> list:
    cases = [("constant_%dd_input" % n, (1, 2) * min(n, 2), "constant", n) for n in range(1, 5)]
    for mode in ("reflect", "replicate", "circular"):
        for k in (1, 2, 3):
            for n in (k + 1, k + 2):
                cases.append(("%s_%dd_pad_%dd_input" % (mode, k, n), (1, 2, 2, 1, 0, 1)[:2 * k], mode, n))
    return cases


PADS = _pad_cases()


@pytest.mark.parametrize("pad, mode, ndim", [c[1:] for c in PADS], ids=[c[0] for c in PADS])
def test_functional_pad(pad: tuple, mode: str, ndim: int) -> None:
    """F.pad in every mode and supported dimensionality, to second order on float64."""
    shape = (2, 3, 4, 3, 3)[:ndim]
    check(lambda T, x: T.nn.functional.pad(x, pad, mode), [randn(*shape, dtype=np.float64)], second_order=True)


def test_functional_pad_value_and_negative() -> None:
    check(lambda T, x: (T.nn.functional.pad(x, (1, -2, -1, 1), value=2.5),
                        T.nn.functional.pad(x, [0, 1], mode="replicate"),
                        T.nn.functional.pad(x, (-1, 1), mode="circular"),
                        T.nn.functional.pad(x, (2, 2), mode="reflect", value=0),
                        T.nn.functional.pad(x, (-1, -1, -1, 0), mode="replicate"),
                        T.nn.functional.pad(x, (-1, 1, 0, -1), mode="reflect"),
                        T.nn.functional.pad(x, (-2, -1), mode="circular")), [randn(2, 3, 4)])


ERRORS = [
    lambda T: T.nn.ReflectionPad1d(3)(T.ones(1, 2, 3)),
    lambda T: T.nn.ReflectionPad2d((0, 0, 3, 0))(T.ones(1, 2, 3, 4)),
    lambda T: T.nn.ReflectionPad3d(2)(T.ones(1, 2, 2, 2)),
    lambda T: T.nn.ReflectionPad1d(1)(T.ones(1, 2, 3, 4)),
    lambda T: T.nn.ReplicationPad2d(1)(T.ones(3)),
    lambda T: T.nn.ReplicationPad1d(1)(T.ones(1, 0, 3)),
    lambda T: T.nn.ReplicationPad1d(-3)(T.ones(1, 2, 3)),
    lambda T: T.nn.CircularPad1d(4)(T.ones(1, 2, 3)),
    lambda T: T.nn.CircularPad2d(1)(T.ones(3, 3)),
    lambda T: T.nn.CircularPad3d(1)(T.ones(1, 1, 1, 3, 3, 3)),
    lambda T: T.nn.ConstantPad2d(1, 0.0)(T.ones(1, 2, 3).unsqueeze(0)[0, 0, 0]),
    lambda T: T.nn.ConstantPad1d(-3, 1.0)(T.ones(2, 4)),
    lambda T: T.nn.functional.pad(T.ones(1, 2, 3), (-2, -1), "replicate"),
    lambda T: T.nn.functional.pad(T.ones(1, 2, 3), (-1, -2), "reflect"),
    lambda T: T.nn.functional.pad(T.ones(1, 2, 3, 3), (0, 0, -3, -1), "replicate"),
    lambda T: T.nn.functional.pad(T.ones(1, 2, 3, 3), (-4, 0, -3, -1), "replicate"),
    lambda T: T.nn.functional.pad(T.ones(2, 3, 3), (-5, 0, -3, -1), "reflect"),
    lambda T: T.nn.functional.pad(T.ones(1, 2, 3, 3, 3), (-5, 0, -3, -1, 0, 0), "replicate"),
    lambda T: T.nn.functional.pad(T.ones(1, 2, 3, 3, 3), (-5, 0, -3, -1, -4, 0), "reflect"),
    lambda T: T.nn.functional.pad(T.ones(1, 2, 3, 3), (0, 0, -2, -2), "circular"),
    lambda T: T.nn.functional.pad(T.ones(2, 3), (1, 1), mode=1),
    lambda T: T.nn.functional.pad(T.ones(2, 3), (1, 1), value="a"),
    lambda T: T.nn.functional.pad(T.ones(2, 3), (1,), "constant", 1, 2),
    lambda T: T.nn.functional.pad(T.ones(2, 3), (1,)),
    lambda T: T.nn.functional.pad(T.ones(2, 3), (1, 1, 1, 1, 1, 1)),
    lambda T: T.nn.functional.pad(T.ones(2, 3), (1, 1), mode="reflect", value=1.0),
    lambda T: T.nn.functional.pad(T.ones(2, 3), (1, 1), mode="edge"),
    lambda T: T.nn.functional.pad(T.ones(2, 3, 4, 5, 6, 7), (1, 1), mode="reflect"),
    lambda T: T.nn.functional.pad(T.ones(3), (1, 1), mode="replicate"),
    lambda T: T.nn.functional.pad(T.ones(2, 3), "a"),
]


@pytest.mark.parametrize("bad", ERRORS, ids=[str(i) for i in range(len(ERRORS))])
def test_errors(bad: Callable) -> None:
    check_error(bad)
