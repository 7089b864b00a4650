"""The hot paths that skip frames (issue 15), against torch and against minitorch's own general path.

- Binary operators compute a float32/float64 tensor with a tensor of its dtype, or with a Python float, themselves
  (``registry.DirectBinary``): values, dtypes, grad_fn names, gradients, errors and warnings as torch's, and the
  same bits as the op's method, which takes the general path.
- The generated callables test the limited dtypes' gate and autocast inline: the refusals and the casts still
  happen, through the operators, functions, methods and no-argument methods.
- ``x[i]``: select's view, its version counter, and the restrictions a view inherits.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest

import minitorch
from harness import assert_same_warnings, check, check_error

_RNG = np.random.default_rng(15)


def _values(shape: tuple, dtype: str) -> np.ndarray:
    return _RNG.standard_normal(shape).astype(dtype)


OPERATORS: dict[str, Callable[[Any, Any], Any]] = {
    "add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b, "div": lambda a, b: a / b,
    "eq": lambda a, b: a == b, "ne": lambda a, b: a != b, "lt": lambda a, b: a < b,
    "radd": lambda a, b: b + a, "rmul": lambda a, b: b * a, "rsub": lambda a, b: b - a,
}

# (left shape, right shape, dtype): same dtypes (the direct path), broadcasting, 0-d, empty, mixed dtypes (not direct)
OPERANDS = {
    "float32": ((3, 4), (4,), "float32"),
    "float64": ((2, 3), (2, 3), "float64"),
    "0-d": ((), (), "float32"),
    "0-d and 1-d": ((), (3,), "float64"),
    "empty": ((0, 3), (3,), "float32"),
    "float16": ((3,), (3,), "float16"),
}


@pytest.mark.parametrize("operand", OPERANDS)
@pytest.mark.parametrize("name", OPERATORS)
def test_operator_with_a_tensor(name: str, operand: str) -> None:
    left, right, dtype = OPERANDS[operand]
    check(lambda T, a, b: OPERATORS[name](a, b), [_values(left, dtype), _values(right, dtype)])


@pytest.mark.parametrize("name", OPERATORS)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_operator_with_a_float(name: str, dtype: str) -> None:
    check(lambda T, a: (OPERATORS[name](a, 2.5), OPERATORS[name](a, -0.0)), [_values((2, 3), dtype)])


@pytest.mark.parametrize("name", ["add", "sub", "mul", "div"])
def test_operator_mixed_dtypes_and_views(name: str) -> None:
    fn = OPERATORS[name]
    check(lambda T, a, b: (fn(a, b.double()), fn(a.t(), b.t()), fn(a[0], b[1]), fn(a, 3)),
          [_values((3, 3), "float32"), _values((3, 3), "float32")])


@pytest.mark.parametrize("name", ["add", "mul", "eq", "radd"])
def test_operator_shapes_that_do_not_broadcast(name: str) -> None:
    check_error(lambda T, a, b: OPERATORS[name](a, b), [_values((2, 3), "float32"), _values((4,), "float32")])


def test_operator_overflow_is_silent() -> None:
    def overflow(T: Any) -> Any:
        big = T.tensor([3e38, -3e38, float("nan")])
        return big * 10.0, big + big, big / 0.0, big * big
    assert assert_same_warnings(overflow) == []
    check(lambda T: overflow(T), [])


@pytest.mark.parametrize("name", ["add", "sub", "mul", "div", "eq"])
def test_operator_is_bitwise_the_method(name: str) -> None:
    """The operator's own computation and the method's general path give the same bits."""
    method = {"add": "add", "sub": "sub", "mul": "mul", "div": "div", "eq": "eq"}[name]
    fn = OPERATORS[name]
    for dtype in ("float32", "float64"):
        a = minitorch.tensor(_values((5, 4), dtype) * 1e3)
        b = minitorch.tensor(_values((4,), dtype))
        for other in (b, 1 / 3):
            np.testing.assert_array_equal(fn(a, other).numpy(), getattr(a, method)(other).numpy())


def test_operator_modes() -> None:
    def modes(T: Any, a: Any, b: Any) -> Any:
        with T.no_grad():
            plain = a * b
        with T.inference_mode():
            inferred = a + 1.5
        return plain, plain.requires_grad, inferred, inferred.is_inference(), (a - b).requires_grad
    check(modes, [_values((3,), "float32"), _values((3,), "float32")])


def test_operator_parameter_operands() -> None:
    def layer(T: Any, x: Any) -> Any:
        w = T.nn.Parameter(T.ones(3) * 0.5)
        return w * x + w, type(w * x).__name__
    check(layer, [_values((2, 3), "float32")])


# ---- the gate and autocast, inline -------------------------------------------------------------------
LIMITED_CALLS = {
    "operator": lambda T: T.ones(2, dtype=T.uint16) + T.ones(2, dtype=T.uint16),
    "function": lambda T: T.add(T.ones(2, dtype=T.uint32), T.ones(2, dtype=T.uint32)),
    "method": lambda T: T.ones(2, 2, dtype=T.uint32).mm(T.ones(2, 2, dtype=T.uint32)),
    "matmul operator": lambda T: T.ones(2, 2, dtype=T.uint64) @ T.ones(2, 2, dtype=T.uint64),
    "no-argument method": lambda T: T.ones(2, dtype=T.float8_e5m2).exp(),
    "reduction": lambda T: T.ones(2, dtype=T.float8_e4m3fn).sum(),
    "scalar operand": lambda T: T.ones(2, dtype=T.float8_e5m2) * 2.0,
}


@pytest.mark.parametrize("autocast", [False, True])
@pytest.mark.parametrize("call", LIMITED_CALLS)
def test_limited_dtypes_are_refused(call: str, autocast: bool) -> None:
    def refused(T: Any) -> Any:
        if not autocast:
            return LIMITED_CALLS[call](T)
        with T.autocast("cpu"):
            return LIMITED_CALLS[call](T)
    check_error(refused)


def test_limited_dtypes_where_torch_computes() -> None:
    check(lambda T: (T.ones(3, dtype=T.uint16) * 2, T.ones(3, dtype=T.uint32).abs().float()), [])


def test_autocast_casts_inline() -> None:
    def cast(T: Any, x: Any, w: Any) -> Any:
        with T.autocast("cpu"):
            low = (x @ w, T.mm(x, w), x.mm(w), T.matmul(x, w), x + x)
            square = (T.eye(3) * 2).bfloat16()
            fp32 = (square.trace(), square.inverse())
        return (*low, *fp32, x @ w)
    check(cast, [_values((2, 3), "float32"), _values((3, 4), "float32")], rtol=1e-2, atol=1e-2)


# ---- x[i] ----------------------------------------------------------------------------------------
def test_int_index_views() -> None:
    def views(T: Any, x: Any) -> Any:
        first, last, inner = x[0], x[-1], x[1][2]
        return first, last, inner, first._base is x, inner._base is x
    check(views, [_values((3, 4), "float32")])


def test_int_index_version_and_writes() -> None:
    def written(T: Any, x: Any) -> Any:
        x = x.clone()
        row = x[1]
        x.add_(1.0)
        row.mul_(2.0)
        return x, row, row._version, x._version
    check(written, [_values((3, 2), "float64")])


@pytest.mark.parametrize("key", [3, -4, 100])
def test_int_index_out_of_range(key: int) -> None:
    check_error(lambda T, x: x[key], [_values((3, 2), "float32")])


def test_int_index_of_a_0d_tensor() -> None:
    check_error(lambda T: T.tensor(1.0)[0])


def test_view_restrictions_are_inherited() -> None:
    def no_grad_view(T: Any, x: Any) -> Any:
        y = x.requires_grad_() * 1.0
        with T.no_grad():
            v = y[0]
        v[0].add_(1.0)
    check_error(no_grad_view, [_values((2, 3), "float32")])

    def multi_output_view(T: Any, x: Any) -> Any:
        part = (x.requires_grad_() * 1.0).unbind(0)[0]
        part[1].mul_(2.0)
    check_error(multi_output_view, [_values((2, 3), "float32")])
