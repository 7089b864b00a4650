"""Silent gradients the fifth deep fuzz sweep found (issue 10), by class: each derivative is now torch's formula
(derivatives.yaml, FunctionsManual.cpp, the backward kernels) in its order of operations, checked here on inputs
full of special values (zeros of both signs, subnormals, the dtype's extremes, infinities, NaN): first and second
order in float64, first order in float32 (and float16 where torch has a backward kernel of its own)."""
from __future__ import annotations

from typing import Callable

import numpy as np
import pytest

from harness import check
from test_nn_multiclass_losses import nn_binding

NAN = float("nan")
INF = float("inf")
HALF, FLOAT, DOUBLE = np.float16, np.float32, np.float64


def specials(dt: type) -> np.ndarray:
    """Every special value of a floating dtype, and a few ordinary ones."""
    info = np.finfo(dt)
    return np.array([0., -0., float(info.smallest_subnormal), -float(info.smallest_subnormal), 1., -1., 0.5, -2.5,
                     float(info.max), -float(info.max), INF, -INF, NAN], dt)


def drawn(dt: type, shape: tuple, seed: int) -> np.ndarray:
    """Ordinary values with special ones scattered among them."""
    rng = np.random.default_rng(seed)
    values = rng.standard_normal(shape) * 3
    pick = rng.random(shape) < 0.3
    values[pick] = rng.choice(specials(dt), size=int(pick.sum()))
    return values.astype(dt)


def _case_id(*parts: object) -> str:
    return "_".join(str(p) for p in parts)


# (fn, input arrays, check's options)
CASES: dict[str, tuple[Callable, list, dict]] = {}

# ---- elu, celu, selu: torch's elu_backward op ----------------------------------------------------------------------
# The first derivative is elu_backward's kernel (x <= 0 picks the exponential side, the coefficients read in the
# compute type), whose own double backward masks by a product with (x < 0): a NaN or infinite coefficient makes the
# second derivative NaN on the positive side too. celu's backward reads alpha as a C float (1 / float(alpha)).
_ALPHAS = (1.0, 0.1, 2.5, NAN, INF, -1.0, 1e-3)
for _a in _ALPHAS:
    for _dt in (DOUBLE, FLOAT, HALF):
        _x = [specials(_dt)]
        _second = {"second_order": _dt is DOUBLE}
        CASES[_case_id("celu", _a, np.dtype(_dt).name)] = ((lambda a: lambda T, x: T.celu(x, a))(_a), _x, _second)
        CASES[_case_id("elu", _a, np.dtype(_dt).name)] = (
            (lambda a: lambda T, x: nn_binding(T, "elu")(x, alpha=a, scale=1.5, input_scale=a))(_a), _x, _second)
        # in place the derivative comes from the result; torch refuses it for a negative (or NaN) alpha
        CASES[_case_id("elu_inplace", _a, np.dtype(_dt).name)] = (
            (lambda a: lambda T, x: nn_binding(T, "elu_")(x.clone(), alpha=a, scale=0.5, input_scale=2.0))(_a), _x,
            _second)
        CASES[_case_id("celu_inplace", _a, np.dtype(_dt).name)] = (
            (lambda a: lambda T, x: T.celu_(x.clone(), a))(_a), _x, _second)
for _a in (1e-300, -1e-46, 1e300):  # alpha outside float's range: 1 / float(alpha) is infinite, or float refuses it
    CASES[_case_id("celu_float_alpha", _a)] = ((lambda a: lambda T, x: T.celu(x, a))(_a), [specials(DOUBLE)],
                                               {"second_order": True})
for _seed in range(3):
    CASES[_case_id("selu_drawn", _seed)] = (lambda T, x: T.selu(x), [drawn(DOUBLE, (4, 5), _seed)],
                                            {"second_order": True})
    CASES[_case_id("elu_module_inplace", _seed)] = (lambda T, x: T.nn.ELU(0.5, inplace=True)(x * 1),
                                                    [drawn(DOUBLE, (3, 4), _seed)], {"second_order": True})

# ---- cumprod (and prod's second derivative, which runs through it): torch's cumprod_backward --------------------
# With zeros in a slice torch has two formulas: outside a recorded graph an O(n) one (exactly 0 after the first
# zero, whatever infinities follow), under create_graph an O(n^2) one whose products associate as
# prod(x[:k]) * cumprod(x[k+1:j]); prod's gradient with a zero is made of cumprods, so its second derivative is
# cumprod's backward.
_PRODUCT_INPUTS = {
    "inf_after_zero": [1., 0., INF, 2.], "two_zeros_nan": [2., 0., 3., 0., NAN], "overflow": [INF, 0., 1e308, 1e308],
    "underflow": [0., 1e-300, 1e-300, 1e300, 1e300], "nan_first": [NAN, 0., 2.],
    "fuzz_sweep5": [4.8542471721631585e-110, -1.7976931348623157e+308, -0., INF, -1.7976931348623157e+308,
                    2.3881314455659837],
}
for _name, _values in _PRODUCT_INPUTS.items():
    for _fn_name, _fn in (("cumprod", lambda T, x: x.cumprod(0)), ("prod", lambda T, x: x.prod()),
                          ("prod_dim", lambda T, x: T.prod(x, 0))):
        CASES[_case_id(_fn_name, _name)] = (_fn, [np.array(_values)], {"second_order": True})
        with np.errstate(over="ignore"):  # (float64's extremes are infinities in float32)
            CASES[_case_id(_fn_name, _name, "float32")] = (_fn, [np.array(_values).astype(FLOAT)], {})


def _with_zeros(dt: type, shape: tuple, seed: int) -> np.ndarray:
    x = drawn(dt, shape, seed)
    x[np.random.default_rng(seed + 100).random(shape) < 0.2] = 0
    return x


_PRODUCTS = (("cumprod_dim0", lambda T, x: x.cumprod(0)), ("cumprod_dim1", lambda T, x: T.cumprod(x, 1)),
             ("cumprod_transposed", lambda T, x: x.t().cumprod(1)), ("prod_all", lambda T, x: x.prod()),
             ("prod_dim1", lambda T, x: x.prod(1)), ("prod_keepdim", lambda T, x: x.prod(0, keepdim=True)))
for _seed in range(12):
    for _dt in (DOUBLE, FLOAT):
        for _fn_name, _fn in _PRODUCTS:
            CASES[_case_id(_fn_name, "drawn", _seed, np.dtype(_dt).name)] = (
                _fn, [_with_zeros(_dt, (3, 4), _seed)], {"second_order": _dt is DOUBLE})
    _rng = np.random.default_rng(_seed)
    _z = _rng.standard_normal((3, 4)) + 1j * _rng.standard_normal((3, 4))  # (finite: complex products of infinities
    _z[_rng.random((3, 4)) < 0.3] = 0                                       # are the forward's own class)
    CASES[_case_id("cumprod_complex", _seed)] = (lambda T, x: x.cumprod(1), [_z], {"second_order": True})


@pytest.mark.parametrize("name", sorted(CASES))
def test_grad(name: str) -> None:
    fn, inputs, options = CASES[name]
    check(fn, inputs, **options)
