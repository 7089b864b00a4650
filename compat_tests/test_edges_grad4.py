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
    values[pick] = rng.choice(specials(DOUBLE), size=int(pick.sum()))
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


@pytest.mark.parametrize("name", sorted(CASES))
def test_grad(name: str) -> None:
    fn, inputs, options = CASES[name]
    check(fn, inputs, **options)
