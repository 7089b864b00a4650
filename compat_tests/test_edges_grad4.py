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

# ---- logit: torch's logit_backward kernel (no graph kept) ----------------------------------------------------------
# eps is read in the input's dtype; below 0 (-1e-50 in float64; not in float32, where it is -0.0) it is no eps: the
# slope is NaN outside [0, 1] (float32's max included), else 0 outside [eps, 1 - eps]; at 0 and 1 (and -0) the slope
# is grad * inf. Under create_graph torch's differentiable formula applies (checked by the second order).
for _dt in (DOUBLE, FLOAT, HALF):
    _x = np.concatenate([specials(_dt), np.array([0.05, 0.95, 0.3, 1e-20, 1 - 1e-7], _dt)])
    # (-1e-50 in float64 clamps nothing in the forward either: the value-silent branch's fix, tested there)
    _tiny_negative = () if _dt is DOUBLE else (-1e-50,)
    for _eps in (None, -3.06, 0.0, -0.0, 0.1, 0.5, 1.5, NAN, INF, -INF, 1e-50) + _tiny_negative:
        for _name, _fn in (("logit", lambda T, x, eps: x.logit(eps)),
                           ("logit_inplace", lambda T, x, eps: T.logit_(x.clone(), eps))):
            CASES[_case_id(_name, _eps, np.dtype(_dt).name)] = (
                (lambda fn, eps: lambda T, x: fn(T, x, eps))(_fn, _eps), [_x], {"second_order": _dt is DOUBLE})
CASES["logit_inplace_float32_max_fuzz_sweep5"] = (lambda T, x: x.clone().logit_(eps=-3.0592543756496546),
                                                  [np.array(np.finfo(FLOAT).max, FLOAT)], {})

# ---- xlogy, xlog1py: derivatives.yaml's formula per overload --------------------------------------------------------
# With a tensor other, self's gradient is 0 where self == 0 and other <= 0. (<= -1. for xlog1py): a double, so an
# integral other compares as a float (a uint8 255 is not <= -1, as it would be as uint8); with a number (the Scalar
# overload), 0 wherever self == 0 unless the number is above the bound (NaN is not).
for _dt in (DOUBLE, FLOAT):
    _s = specials(_dt)
    _second = {"second_order": _dt is DOUBLE}
    for _number in (NAN, 0.0, -0.0, 1.0, -1.0, -0.5, -2.0, INF, -INF, 5e-324, 2, -1, True):
        for _name, _fn in (("xlogy_method_number", lambda T, x, n: x.xlogy(n)),
                           ("xlog1py_number", lambda T, x, n: T.special.xlog1py(x, n)),
                           ("xlogy_number_self", lambda T, x, n: T.xlogy(n, x)),
                           ("xlog1py_number_self", lambda T, x, n: T.special.xlog1py(n, x))):
            CASES[_case_id(_name, _number, np.dtype(_dt).name)] = (
                (lambda fn, n: lambda T, x: fn(T, x, n))(_fn, _number), [_s], _second)
    _a, _b = np.meshgrid(_s, _s)
    CASES[_case_id("xlogy_every_pair", np.dtype(_dt).name)] = (lambda T, x, y: T.xlogy(x, y), [_a, _b], _second)
    CASES[_case_id("xlog1py_every_pair", np.dtype(_dt).name)] = (lambda T, x, y: T.special.xlog1py(x, y), [_a, _b],
                                                                 _second)
    for _idt in (np.uint8, np.int8, np.int64, bool):
        _other = np.array([0, 1, 255, 127, 3]).astype(_idt)
        _x = np.array([0., -0., 1., NAN, 2.], _dt)
        CASES[_case_id("xlogy_integral_other", np.dtype(_idt).name, np.dtype(_dt).name)] = (
            lambda T, x, y: T.xlogy(x, y), [_x, _other], _second)
        CASES[_case_id("xlog1py_integral_other", np.dtype(_idt).name, np.dtype(_dt).name)] = (
            lambda T, x, y: T.special.xlog1py(x, y), [_x, _other], _second)
CASES["xlog1py_uint8_expanded_fuzz_sweep5"] = (lambda T, x, y: T.special.xlog1py(x, y.expand(1, 2)),
                                               [np.array(-0., FLOAT), np.array([[255]], np.uint8)], {})

# ---- atan2: torch's atan2_backward computes both gradients from one reciprocal ------------------------------------
# (self^2 + other^2).reciprocal(), 0 where the sum is 0 (not where the reciprocal is infinite): one node, which the
# double backward reaches once with both gradients' contributions summed (autograd.joint.joint_vjps).
for _dt in (DOUBLE, FLOAT):
    _s = specials(_dt)
    _a, _b = np.meshgrid(_s, _s)
    _second = {"second_order": _dt is DOUBLE}
    CASES[_case_id("atan2_every_pair", np.dtype(_dt).name)] = (lambda T, x, y: T.atan2(x, y), [_a, _b], _second)
    CASES[_case_id("atan2_subnormal_denominator", np.dtype(_dt).name)] = (
        lambda T, x, y: T.atan2(x, y),
        [np.array([1e-160, 1e-200, 0., 3.], _dt), np.array([1e-200, 1e-200, 0., 4.], _dt)],
        _second)
    for _seed in range(6):
        _x, _y = drawn(_dt, (3, 4), _seed), drawn(_dt, (1, 4), _seed + 7)
        CASES[_case_id("atan2_broadcast", _seed, np.dtype(_dt).name)] = (
            lambda T, x, y: T.atan2(x, y.expand(3, 4)), [_x, _y], _second)
        CASES[_case_id("atan2_inplace", _seed, np.dtype(_dt).name)] = (
            lambda T, x, y: x.clone().atan2_(y), [_x, _y], _second)
        CASES[_case_id("arctan2_self_only", _seed, np.dtype(_dt).name)] = (
            lambda T, x, y: T.arctan2(x, y.detach()), [_x, _y], _second)
        CASES[_case_id("arctan2_other_only", _seed, np.dtype(_dt).name)] = (
            lambda T, x, y: T.arctan2(x.detach(), y), [_x, _y], _second)
_EXTREMES = np.array([0., -0., 5e-324, -5e-324, 1e-200, -1e-225, 1e-160, 1e150, -1e200, 1e308, INF, -INF, NAN, 1.,
                      -2.5])
CASES["atan2_extreme_pairs"] = (lambda T, x, y: T.atan2(x, y), list(np.meshgrid(_EXTREMES, _EXTREMES)),
                                {"second_order": True})
CASES["atan2_fuzz_sweep4"] = (lambda T, x, y: T.atan2(x[..., ::2], y), [
    np.array([[[INF, 6.680844195996485], [-4.927523806765301, -0.], [5e-324, -INF]]]),
    np.array([[[-3.2465381516619206e-225], [-1.3831286474545504e-249], [-7.008683786275676e-100]]])],
    {"second_order": True})


def _atan2_twice(T: object, x: object, y: object) -> tuple:
    """A retained graph differentiated again: the joint gradients are computed anew for each backward."""
    z = T.atan2(x, y).sum()  # type: ignore[attr-defined]
    first = T.autograd.grad(z, (x, y), retain_graph=True, create_graph=True)  # type: ignore[attr-defined]
    again = T.autograd.grad(z, (x,), retain_graph=True)  # type: ignore[attr-defined]
    return first[0] + again[0], first[1]


CASES["atan2_retained_graph"] = (_atan2_twice, [np.array([1., 2., 0.]), np.array([3., -1., 0.])],
                                 {"second_order": True})


def _saved_number(T: object, x: object) -> tuple:
    """The Scalar overload saves the number itself (``_saved_other``)."""
    xlog1py, xlogy = T.special.xlog1py(x, 2.5), T.xlogy(x, -1.5)  # type: ignore[attr-defined]
    return xlog1py, xlog1py.grad_fn._saved_other, xlogy, xlogy.grad_fn._saved_other


CASES["xlogy_xlog1py_saved_number"] = (_saved_number, [np.array([0., 1., 2.])], {"second_order": True})


@pytest.mark.parametrize("name", sorted(CASES))
def test_grad(name: str) -> None:
    fn, inputs, options = CASES[name]
    check(fn, inputs, **options)
