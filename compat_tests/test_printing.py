"""Differential test of tensor printing: minitorch's repr against torch's, string for string.

Every case builds one NumPy array, gives it to torch (``torch.from_numpy``) and to
``minitorch._tensor_str.tensor_repr`` (through a stand-in exposing just the attributes the printer
reads, so printing is tested apart from the Tensor class), and compares the two strings exactly.
"""
from __future__ import annotations

import contextlib
import math
from typing import Any, Iterator

import numpy as np
import pytest
import torch
from hypothesis import given, settings, strategies as st

from minitorch import _dtype
from minitorch import _tensor_str as mts


DTYPE_NAMES = ("float32", "float64", "float16", "int64", "int32", "int16", "int8", "uint8", "bool")
FLOAT_NAMES = ("float32", "float64", "float16")
NAN, INF = math.nan, math.inf
DEFAULTS = {"precision": 4, "threshold": 1000, "edgeitems": 3, "linewidth": 80, "sci_mode": None}


class _Node:
    def __init__(self, name: str) -> None:
        self._name = name

    def name(self) -> str:
        return self._name


class _FakeTensor:
    """The attributes tensor_repr reads, over a NumPy array."""

    def __init__(self, data: np.ndarray, requires_grad: bool = False, grad_fn: _Node | None = None):
        self._data = data
        self.dtype = _dtype.from_numpy_dtype(data.dtype)
        self.requires_grad = requires_grad
        self.grad_fn = grad_fn
        self.is_leaf = grad_fn is None


def _pair(arr: Any, dtype: str | None = None,
          grad: str | None = None) -> tuple[torch.Tensor, _FakeTensor]:
    """The same values in torch and in a fake minitorch tensor; ``grad`` is None, "leaf" or "op"."""
    arr = np.asarray(arr, dtype=dtype)
    ref = torch.from_numpy(arr.copy())
    node = None
    if grad is not None:
        ref.requires_grad_()
        if grad == "op":
            ref = ref * 1
            node = _Node(type(ref.grad_fn).__name__)
    return ref, _FakeTensor(arr, grad is not None, node)


def check(arr: Any, dtype: str | None = None, grad: str | None = None) -> None:
    ref, fake = _pair(arr, dtype, grad)
    expected = repr(ref)
    assert mts.tensor_repr(fake) == expected
    assert str(ref) == expected  # str and repr are the same thing in torch


@contextlib.contextmanager
def both_options(**kwargs: Any) -> Iterator[None]:
    """Set the same print options in both libraries; restore torch's defaults afterwards."""
    torch.set_printoptions(**kwargs)
    mts.set_printoptions(**kwargs)
    try:
        assert mts.get_printoptions() == torch._tensor_str.get_printoptions()
        yield
    finally:
        torch.set_printoptions(profile="default")
        mts.set_printoptions(profile="default")


@contextlib.contextmanager
def default_dtype(name: str) -> Iterator[None]:
    torch.set_default_dtype(getattr(torch, name))
    _dtype.set_default_dtype(getattr(_dtype, name))
    try:
        yield
    finally:
        torch.set_default_dtype(torch.float32)
        _dtype.set_default_dtype(_dtype.float32)


# ---------------------------------------------------------------- hand-picked cases

rng = np.random.default_rng(0)
VALUES = [
    # 0-d
    1.5, -0.0, 0.0, NAN, INF, -INF, 1e-5, 1e10, 3.0, -2.0, 123456.789, 1e8, 99999999.0,
    # 1-d
    [], [1.0, 2.0, 3.0], [-0.0, 1.0], [-0.0, 1.5], [0.1, 0.2, 0.3], [1e-5, 1.0], [1e8, 1.0],
    [1e9], [1e-4, 0.1], [1.0, 1000.0], [1.0, 1001.0], [NAN, 1.5], [INF, -INF, NAN], [1.0, NAN],
    [1.0, -INF], [1234.5, 0.001], [0.0, 0.0], [-0.0, -0.0], [1e-300, 1e300], [5e-324, 1.0],
    [1e20, 1e21], [-1.5, 2.25, -1e-3], [0.5] * 30, list(np.arange(100) * 1.5),
    list(np.arange(1000.0)), list(np.arange(1001.0)), list(np.arange(2000) / 7),
    list(rng.normal(size=40)), list(rng.normal(size=40) * 1e6),
    # n-d
    np.zeros((2, 3)), np.arange(24.0).reshape(2, 3, 4), rng.normal(size=(2, 3, 4, 5)),
    rng.normal(size=(40, 40)), rng.normal(size=(3, 400)), np.ones((1, 1, 1, 1)),
    rng.normal(size=(10, 10, 11)), rng.normal(size=(7, 7, 7, 7)), rng.normal(size=(2, 30)) * 1e-6,
    np.arange(12.0).reshape(3, 4) - 6, [[NAN, INF], [-INF, -0.0]],
    # empty
    np.zeros((0, 3)), np.zeros((3, 0)), np.zeros((2, 0, 4)), np.zeros((0,)),
]
INT_VALUES = [0, 7, [], [1, -100, 3], [0, 1], list(range(1000)), list(range(1001)),
              np.arange(24).reshape(2, 3, 4), np.arange(5000).reshape(50, 100), np.zeros((0, 2))]


@pytest.mark.parametrize("value", VALUES, ids=range(len(VALUES)))
@pytest.mark.parametrize("dtype", FLOAT_NAMES)
def test_float_values(value: Any, dtype: str) -> None:
    with np.errstate(over="ignore"):
        check(value, dtype)


@pytest.mark.parametrize("value", INT_VALUES, ids=range(len(INT_VALUES)))
@pytest.mark.parametrize("dtype", DTYPE_NAMES)
def test_integral_values(value: Any, dtype: str) -> None:
    arr = np.asarray(value)
    if np.dtype(dtype).kind in "iu":
        info = np.iinfo(dtype)
        arr = np.clip(arr, info.min, info.max)
    check(arr.astype(dtype))


@pytest.mark.parametrize("value", [[True, False], True, [[True], [False]], [True] * 1200])
def test_bool(value: Any) -> None:
    check(value, "bool")


@pytest.mark.parametrize("dtype", DTYPE_NAMES)
def test_dtype_extremes(dtype: str) -> None:
    if dtype == "bool":
        return check([True, False], dtype)
    info = np.iinfo(dtype) if dtype not in FLOAT_NAMES else np.finfo(dtype)
    check([info.min, 0, info.max], dtype)
    check(np.array([info.min, info.max], dtype=dtype).reshape(2, 1))


@pytest.mark.parametrize("grad", ["leaf", "op"])
@pytest.mark.parametrize("dtype", FLOAT_NAMES)
@pytest.mark.parametrize("value", [1.5, [1.0, 2.0], list(np.arange(17) / 3), list(np.arange(19.0)),
                                   list(np.arange(60) / 7), np.arange(6.0).reshape(2, 3),
                                   np.arange(4000.0).reshape(40, 100), []],
                         ids=range(8))
def test_autograd_suffixes(value: Any, dtype: str, grad: str) -> None:
    check(value, dtype, grad)


@pytest.mark.parametrize("value", [1.5, [1.0, 2.5], [], np.zeros((0, 2)), np.arange(30.0) / 7])
@pytest.mark.parametrize("dtype", DTYPE_NAMES)
def test_default_dtype_float64(value: Any, dtype: str) -> None:
    with default_dtype("float64"):
        check(value, dtype)


def test_tensor_contents() -> None:
    for value, dtype in [([1.0, 2.0], "float64"), ([], "int32"), (np.zeros((2, 0)), "float32")]:
        ref, fake = _pair(value, dtype, "leaf" if dtype != "int32" else None)
        expected = torch._tensor_str._str(ref, tensor_contents="[...]")
        assert mts.tensor_repr(fake, tensor_contents="[...]") == expected


# ---------------------------------------------------------------- print options

OPTION_SETS = [
    {"precision": 2}, {"precision": 0}, {"precision": 10}, {"threshold": 5}, {"threshold": 0},
    {"edgeitems": 0}, {"edgeitems": 1}, {"edgeitems": 5}, {"linewidth": 20}, {"linewidth": 200},
    {"linewidth": 5}, {"sci_mode": True}, {"sci_mode": False}, {"profile": "short"},
    {"profile": "full"}, {"profile": "default"}, {"profile": "short", "precision": 6},
    {"profile": "nonsense"}, {"threshold": 5, "edgeitems": 0, "linewidth": 30},
]
OPTION_VALUES = [0.0, 1.5, NAN, [1.0, 2.0, 3.0], [1e-6, 1.0, 1e6], list(np.arange(1500) / 3),
                 np.arange(30.0).reshape(5, 6) * 1.01, rng.normal(size=(3, 4, 50)), [NAN, INF],
                 np.zeros((0, 4)), list(np.arange(20.0))]


@pytest.mark.parametrize("options", OPTION_SETS, ids=[str(o) for o in OPTION_SETS])
def test_printoptions(options: dict[str, Any]) -> None:
    with both_options(**options):
        for i, value in enumerate(OPTION_VALUES):
            check(value, "float64" if i % 2 else "float32", "leaf" if i % 3 == 0 else None)
        check(np.arange(2000).reshape(2, 1000), "int64")
        check([True, False] * 600, "bool")


@pytest.mark.parametrize("linewidth", range(10, 100, 3))
def test_suffix_wrapping(linewidth: int) -> None:
    """Every linewidth around the lengths of the suffixes (each one wrapped or not)."""
    with both_options(linewidth=linewidth):
        for dtype, grad in [("float64", "leaf"), ("float16", "op"), ("float32", "op")]:
            for value in (1.5, [1.0, 2.0], list(np.arange(12) / 7), np.zeros((2, 0))):
                check(value, dtype, grad)
    with both_options(linewidth=linewidth, edgeitems=0):
        check(np.arange(6.0).reshape(2, 3), "float64", "op")


def test_printoptions_semantics() -> None:
    """A sequence of calls leaves the same options in both (sci_mode resets on every call)."""
    steps = [{"sci_mode": True, "precision": 3}, {"linewidth": 100}, {"profile": "full"},
             {"edgeitems": 1, "threshold": 7}, {"profile": "short", "linewidth": 60}, {}]
    assert mts.get_printoptions() == DEFAULTS == torch._tensor_str.get_printoptions()
    try:
        for step in steps:
            torch.set_printoptions(**step)
            mts.set_printoptions(**step)
            assert mts.get_printoptions() == torch._tensor_str.get_printoptions()
            with mts.printoptions(precision=1, sci_mode=False), \
                    torch._tensor_str.printoptions(precision=1, sci_mode=False):
                assert mts.get_printoptions() == torch._tensor_str.get_printoptions()
            assert mts.get_printoptions() == torch._tensor_str.get_printoptions()
    finally:
        torch.set_printoptions(profile="default")
        mts.set_printoptions(profile="default")
    assert mts.get_printoptions() == DEFAULTS


# ---------------------------------------------------------------- hypothesis


@st.composite
def arrays(draw: st.DrawFn) -> np.ndarray:
    """Arrays of every dtype and rank 0-4, some past the summarization threshold."""
    dtype = draw(st.sampled_from(DTYPE_NAMES))
    ndim = draw(st.integers(0, 4))
    cap = (1, 1500, 60, 16, 9)[ndim]
    if draw(st.sampled_from([False, False, True])):  # large: often past the threshold of 1000
        size = st.integers(max(1, cap // 2), cap)
    else:
        size = st.one_of(st.integers(1, 4), st.integers(0, cap))
    shape = tuple(draw(st.lists(size, min_size=ndim, max_size=ndim)))
    gen = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    n = math.prod(shape)
    if dtype == "bool":
        return np.asarray(gen.random(shape) < draw(st.floats(0, 1)))
    if dtype not in FLOAT_NAMES:
        info = np.iinfo(dtype)
        hi = min(info.max, 2 ** draw(st.integers(0, info.bits)))
        values = gen.integers(max(info.min, -hi), hi, size=shape, endpoint=True, dtype=dtype)
        return np.asarray(values)
    # magnitudes over a random span of decades, optionally integer-valued, with some specials
    low = draw(st.integers(-12, 12))
    values = 10.0 ** gen.uniform(low, low + draw(st.integers(0, 12)), n)
    if draw(st.booleans()):
        values = np.round(values)
    if draw(st.booleans()):
        values *= gen.choice([-1.0, 1.0], n)
    specials = gen.random(n) < draw(st.sampled_from([0.0, 0.0, 0.05, 0.5]))
    values[specials] = gen.choice([NAN, INF, -INF, 0.0, -0.0], specials.sum())
    with np.errstate(over="ignore"):
        return values.astype(dtype).reshape(shape)


@settings(derandomize=True, max_examples=250, deadline=None)
@given(arrays(), st.sampled_from([None, "leaf", "op"]))
def test_random_arrays(arr: np.ndarray, grad: str | None) -> None:
    check(arr, grad=grad if arr.dtype.kind == "f" else None)


@settings(derandomize=True, max_examples=120, deadline=None)
@given(arrays(), st.fixed_dictionaries({}, optional={
    "precision": st.integers(0, 8), "threshold": st.sampled_from([0, 10, 100, 1000, math.inf]),
    "edgeitems": st.integers(0, 4), "linewidth": st.integers(10, 150),
    "sci_mode": st.sampled_from([True, False]),
    "profile": st.sampled_from(["default", "short", "full"])}))
def test_random_printoptions(arr: np.ndarray, options: dict[str, Any]) -> None:
    with both_options(**options):
        check(arr, grad="leaf" if arr.dtype.kind == "f" else None)


def test_minitorch_tensor() -> None:
    """The same through minitorch.tensor and Tensor.__repr__, once the Tensor class exists."""
    import minitorch

    if not hasattr(minitorch, "tensor"):
        pytest.skip("minitorch.tensor does not exist yet")
    for value in ([1.5, -0.0, NAN], [[1, 2], [3, 4]], [True], [], 2.0, list(range(2000))):
        assert repr(minitorch.tensor(value)) == repr(torch.tensor(value))
        assert str(minitorch.tensor(value)) == str(torch.tensor(value))
    x = minitorch.tensor([1.0, 2.0], dtype=minitorch.float64, requires_grad=True)
    ref = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
    assert repr(x) == repr(ref) and repr(x + 1) == repr(ref + 1)
