"""Op-table cases for pointwise math: transcendental functions, rounding, division, clamping,
interpolation, bitwise and logical ops, closeness tests, their in-place forms and operators."""
from __future__ import annotations

from typing import Any, Callable

from hypothesis import strategies as st

from op_table import OpCase, binary, ndarray, unary
from strategies import ALL, FLOATS, INTS, array, broadcast_shapes, shapes

NUMERIC = FLOATS + INTS
INTEGRAL = INTS + ("bool",)


def _leaf(x: Any) -> Any:
    """A fresh leaf requiring grad (for cases whose harness gradient check must stay off)."""
    return x.detach().requires_grad_()


def _grad_fn_name(fn: Callable) -> Callable:
    """Cases for ops torch records but cannot differentiate (grad_fn ``NotImplemented``)."""
    def run(T: Any, x: Any, *rest: Any) -> tuple:
        out = fn(T, _leaf(x) if x.is_floating_point() else x, *rest)
        return out.detach(), type(out.grad_fn).__name__
    return run


def _sgn(T: Any, x: Any) -> tuple:
    """sgn's values; its gradient, which torch returns as a lazy zero tensor (``+ 0`` makes it real)."""
    if not x.is_floating_point():
        return T.sgn(x), x.clone().sgn_()
    leaf = _leaf(x)
    out = leaf.sgn()
    return out.detach(), type(out.grad_fn).__name__, T.autograd.grad(out.sum(), leaf)[0] + 0


def _inplace_through_view(T: Any, x: Any) -> tuple:
    """In-place ops on views of a recorded tensor: the base sees each write, gradients flow through."""
    base = x.clone()
    base[..., :1].erf_()
    base.select(-1, -1).clamp_(-0.5, 0.5)
    if base.ndim == 2:
        base.t().lerp_(x.t(), 0.25)
    else:
        base[..., 1:].addcmul_(x[..., 1:], x[..., 1:], value=0.5)
    return base, base.sum()


def _pair(domain: str | None = None, other_domain: str | None = None) -> Callable:
    """Two broadcastable arrays, each with its own domain."""
    def draw_pair(draw: Any, dtype: str) -> list:
        s1, s2 = draw(broadcast_shapes(2))
        return [array(draw, dtype, tuple(s1), domain), array(draw, dtype, tuple(s2), other_domain)]
    return draw_pair


def _with_arrays(n: int, domain: str | None = None, extra: Callable | None = None) -> Callable:
    """``n`` broadcastable arrays, then ``extra(draw)``'s values."""
    def draw_inputs(draw: Any, dtype: str) -> list:
        arrays = [array(draw, dtype, tuple(s), domain) for s in draw(broadcast_shapes(n))]
        return arrays + (extra(draw) if extra else [])
    return draw_inputs


def _bounded(draw: Any, dtype: str) -> list:
    """x and two bounds broadcasting to x's shape (torch's clamp backward fails when x is smaller)."""
    x = ndarray(draw, dtype, domain="small")
    return [x] + [array(draw, dtype, x.shape[draw(st.integers(0, x.ndim)):], "small") for _ in range(2)]


def _ints_with_shift(draw: Any, dtype: str) -> list:
    x = ndarray(draw, dtype)
    return [x, array(draw, dtype, x.shape[draw(st.integers(0, x.ndim)):])]


# ---- unary ops computed in floating point: (name, input domain); int and bool inputs too
_UNARY_FLOAT = (
    ("rsqrt", "positive"), ("exp2", "small"), ("expm1", "small"), ("log2", "positive"),
    ("log10", "positive"), ("log1p", "positive"), ("sin", None), ("cos", None), ("tan", "small"),
    ("asin", "unit"), ("acos", "unit"), ("atan", None), ("sinh", "small"), ("cosh", "small"),
    ("asinh", None), ("atanh", "unit"), ("erf", "small"), ("erfc", "small"), ("erfinv", "unit"),
)


def _every_inplace(names: tuple, prepare: Callable = lambda x: x) -> Callable:
    """Each in-place op on a recorded clone (gradients flow back) and on a detached copy."""
    def run(T: Any, x: Any) -> tuple:
        x = prepare(x)
        return tuple(getattr(src.clone(), n + "_")() for n in names for src in (x, x.detach()))
    return run


_ROUNDING = ("floor", "ceil", "round", "trunc", "fix")
_INVERSE_HYPERBOLIC = ("asinh", "atanh", "arcsinh", "arctanh")
_BINARY_FLOAT_INPLACE = ("atan2", "arctan2", "hypot", "xlogy")
_COMPARISON_ALIASES = ("greater", "greater_equal", "less", "less_equal", "not_equal")
_COMPARISONS = ("eq", "ne", "lt", "le", "gt", "ge") + _COMPARISON_ALIASES
_UNIT_INPLACE = ("sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "erf", "erfc", "erfinv", "arcsin",
                 "arccos", "arctan", "abs", "absolute", "neg", "negative", "exp", "tanh", "sigmoid", "relu")
_POSITIVE_INPLACE = ("rsqrt", "log2", "log10", "log1p", "exp2", "expm1", "log", "sqrt", "reciprocal")
_EDGE_UNARY = ("exp2", "expm1", "log2", "log10", "log1p", "rsqrt", "sin", "cos", "tan", "asin", "acos",
               "atan", "sinh", "cosh", "asinh", "acosh", "atanh", "erf", "erfc", "erfinv", "floor",
               "ceil", "round", "trunc", "frac", "sign", "sgn", "nan_to_num", "isposinf", "isneginf",
               "isnan", "isinf", "isfinite")

CASES = [
    *[unary(name, dtypes=ALL, domain=domain) for name, domain in _UNARY_FLOAT],
    OpCase("acosh", lambda T, x: T.acosh(x.abs() + 1), dtypes=ALL),
    OpCase("erf_wide", lambda T, x: (x.erf(), x.erfc()), rtol=1e-6, atol=1e-30),
    OpCase("erfinv_tails", lambda T, x: T.erfinv(x.tanh() * 0.999999), domain="small"),
    OpCase("unary_float_inplace", _every_inplace(_UNIT_INPLACE), domain="unit"),
    OpCase("unary_float_inplace_positive", _every_inplace(_POSITIVE_INPLACE, lambda x: x.abs() + 1), domain="unit"),
    OpCase("unary_function_aliases", lambda T, x: (T.absolute(x), x.absolute(), T.negative(x), x.negative()),
           dtypes=NUMERIC),
    OpCase("arithmetic_inplace", lambda T, x, y: (
        x.clone().sub_(y), x.clone().subtract_(y, alpha=2), x.clone().multiply_(y), x.clone().true_divide_(y),
        x.clone().pow_(2), x.clone().__iadd__(y), x.clone().__isub__(y), x.clone().__imul__(y),
        x.clone().__itruediv__(y), x.clone().__ipow__(3), T.subtract(x, y), x.subtract(y), T.multiply(x, y),
        x.multiply(y), T.true_divide(x, y), x.true_divide(y)),
        inputs=_pair("small", "nonzero")),
    # torch records these three in place under a grad_fn that refuses to differentiate
    OpCase("inverse_hyperbolic_inplace", lambda T, x: tuple(
        (getattr(x.clone(), n + "_")(), type(getattr(_leaf(x).clone(), n + "_")().grad_fn).__name__)
        for n in _INVERSE_HYPERBOLIC) + (x.abs().add(1).acosh_(), x.abs().add(2).arccosh_()),
        domain="unit", grad=False),
    OpCase("unary_edge", lambda T, x: tuple(getattr(T, n)(x) for n in _EDGE_UNARY), edge=True, grad=False),
    # ---- rounding: integers pass through, bool is refused
    *[unary(name, dtypes=ALL) for name in ("floor", "ceil", "round", "trunc")],
    unary("frac", dtypes=ALL),
    OpCase("rounding_inplace", _every_inplace(_ROUNDING), dtypes=NUMERIC),
    OpCase("frac_inplace", _every_inplace(("frac",))),
    OpCase("round_decimals", lambda T, x, d: (T.round(x, decimals=d), x.round(decimals=-d)),
           inputs=lambda draw, t: [ndarray(draw, t), draw(st.integers(0, 3))], dtypes=ALL),
    OpCase("round_decimals_inplace", lambda T, x: x.clone().round_(decimals=2), dtypes=NUMERIC),
    OpCase("sign_edge", lambda T, x: (T.sign(x), x.clone().sign_()), dtypes=ALL, edge=True),
    OpCase("sgn", _sgn, dtypes=ALL, edge=True, grad=False),
    OpCase("nan_to_num", lambda T, x: (T.nan_to_num(x), x.nan_to_num(1.5, posinf=2.0), x.nan_to_num(neginf=-3)),
           dtypes=ALL, edge=True),
    OpCase("nan_to_num_inplace", lambda T, x: x.clone().nan_to_num_(nan=7.0), dtypes=ALL, edge=True),
    OpCase("predicates", lambda T, x: (T.isposinf(x), x.isneginf(), T.isnan(x), x.isinf(), T.isfinite(x)),
           dtypes=ALL, edge=True),
    OpCase("square", lambda T, x: (T.square(x), x.square()), dtypes=ALL),
    OpCase("square_inplace", lambda T, x: x.clone().square_(), dtypes=NUMERIC),
    # ---- division
    OpCase("div_floor", lambda T, x, y: T.div(x, y, rounding_mode="floor"), arity=2, dtypes=NUMERIC,
           domain="nonzero"),
    OpCase("div_trunc", lambda T, x, y: x.divide(y, rounding_mode="trunc"), arity=2, dtypes=NUMERIC,
           domain="nonzero"),
    OpCase("div_modes_scalar", lambda T, x: (x.div(2.5, rounding_mode="floor"), T.div(x, -3, rounding_mode="trunc"),
                                             T.div(x, 4, rounding_mode=None), x.divide(-2)), dtypes=NUMERIC),
    OpCase("div_modes_inplace", lambda T, x, y: (x.clone().div_(y, rounding_mode="floor"),
                                                 x.clone().divide_(y, rounding_mode="trunc"), x.clone().div_(y)),
           inputs=_pair("nonzero", "nonzero"), dtypes=FLOATS),
    OpCase("div_modes_int_inplace", lambda T, x, y: (x.clone().div_(y, rounding_mode="floor"),
                                                     x.clone().div_(y, rounding_mode="trunc")),
           inputs=_pair(None, "nonzero"), dtypes=INTS),
    OpCase("division_edge", lambda T, x, y: (T.div(x, y, rounding_mode="floor"), T.div(x, y, rounding_mode="trunc"),
                                             x // y, x % y, T.fmod(x, y)), arity=2, edge=True, grad=False),
    OpCase("floor_divide", _grad_fn_name(lambda T, x, y: T.floor_divide(x, y)), inputs=_pair(None, "nonzero"),
           dtypes=NUMERIC, grad=False),
    OpCase("floordiv_operators", lambda T, x, y: (x // y, 7 // y, x // 2.5, T.floor_divide(3, y)),
           inputs=_pair(None, "nonzero"), dtypes=NUMERIC, grad=False),
    OpCase("floordiv_inplace", lambda T, x, y: (x.clone().floor_divide_(y), x.clone().__ifloordiv__(2)),
           inputs=_pair(None, "nonzero"), dtypes=NUMERIC, grad=False),
    OpCase("floordiv_grad_fn", _grad_fn_name(lambda T, x: 2 // x.clone().floor_divide_(3)), grad=False),
    binary("remainder", dtypes=NUMERIC, domain="nonzero"),
    binary("fmod", dtypes=NUMERIC, domain="nonzero"),
    OpCase("remainder_scalar", lambda T, x: (T.remainder(x, 2.5), x.remainder(-3), x % 4), dtypes=NUMERIC),
    OpCase("fmod_scalar", lambda T, x: (T.fmod(x, 2.5), x.fmod(-3)), dtypes=NUMERIC),
    OpCase("rmod", _grad_fn_name(lambda T, x: 7 % x), domain="nonzero", dtypes=NUMERIC, grad=False),
    OpCase("remainder_number_self", lambda T, x: T.remainder(-5, x), domain="nonzero", dtypes=INTS),
    OpCase("mod_inplace", lambda T, x, y: (x.clone().remainder_(y), x.clone().fmod_(y), x.clone().__imod__(3),
                                           x.clone().remainder_(2.5), x.clone().fmod_(-1.5)),
           inputs=_pair(None, "nonzero")),
    OpCase("mod_int_inplace", lambda T, x, y: (x.clone().remainder_(y), x.clone().fmod_(y), x.clone().__imod__(3)),
           inputs=_pair(None, "nonzero"), dtypes=INTS),
    # a zero result's sign shows through 1 / 0 = +-inf (and in printing)
    OpCase("division_zero_signs", lambda T, x: (1 / (x.round() % -1), 1 / T.remainder(-2.0, x.round().abs() + 1),
                                                1 / T.fmod(x.round(), -1), 1 / (x * 0 // -3),
                                                1 / T.div(x * 0, -2, rounding_mode="trunc")), grad=False),
    OpCase("number_input", lambda T, x: (T.div(2, x), T.true_divide(3, x), T.mul(-2, x), T.multiply(2.5, x)),
           domain="nonzero", dtypes=NUMERIC),
    OpCase("division_promotion", lambda T, x, y: (x.int() // y, T.remainder(x.double(), y.int()),
                                                  T.fmod(x.bool(), y),
                                                  T.div(x.int(), y.double(), rounding_mode="floor")),
           inputs=_pair(None, "nonzero"), grad=False),
    # ---- binary functions of two tensors
    # (away from underflow: where 1/(x^2+y^2)^2 overflows, torch's shared reciprocal gives -inf, ours NaN)
    binary("atan2", dtypes=ALL, domain="nonzero"),
    OpCase("atan2_axes", lambda T, x, y: T.atan2(x * (x > 0), y * (y > 0)), arity=2, domain="nonzero"),
    binary("hypot"),
    binary("logaddexp"),
    binary("logaddexp2"),
    binary("xlogy", dtypes=ALL, domain="positive"),
    OpCase("xlogy_zeros", lambda T, x, y: T.xlogy(x * (x > 0), y * (y > 0)), arity=2),
    OpCase("xlogy_scalars", lambda T, x: (T.xlogy(x, 3.0), T.xlogy(2, x), x.xlogy(0)), domain="positive", dtypes=ALL),
    binary("fmax", dtypes=ALL),
    binary("fmin", dtypes=ALL),
    OpCase("fmax_fmin_nan", lambda T, x, y: (T.fmax(x, y), T.fmin(x, y)), arity=2, edge=True),
    OpCase("binary_float_inplace", lambda T, x, y: tuple(
        getattr(src.clone(), n + "_")(y) for n in _BINARY_FLOAT_INPLACE for src in (x, x.detach())),
        inputs=_pair("positive", "positive")),
    OpCase("binary_float_promotion", lambda T, x, y: (T.atan2(x.int(), y), T.hypot(x.float(), y.double()),
                                                      T.logaddexp(x.double(), y.float()), T.xlogy(x.int(), y.bool()),
                                                      T.fmax(x.int(), y.long())), inputs=_pair("small", "small"),
           rtol=1e-5, atol=1e-6),  # float32 steps inside float64 gradients
    OpCase("binary_edge", lambda T, x, y: (T.atan2(x, y), T.hypot(x, y), T.logaddexp(x, y), T.logaddexp2(x, y),
                                           T.xlogy(x, y)), arity=2, edge=True, grad=False),
    # ---- clamp
    OpCase("clamp_scalar", lambda T, x: (T.clamp(x, -1, 2.5), x.clamp(min=0), T.clip(x, max=-0.5), x.clip(3, -3)),
           dtypes=ALL, domain="small"),
    OpCase("clamp_scalar_ties", lambda T, x: (T.clamp(x, 0.0, 1.0), x.clamp(x.detach().max().item())),
           inputs=lambda draw, t: [array(draw, t, draw(st.sampled_from([(3,), (2, 2)])))
                                   .clip(0, 1).round()]),
    OpCase("clamp_tensor", lambda T, x, lo, hi: (T.clamp(x, lo, hi), x.clamp(min=lo), x.clip(max=hi)),
           inputs=_bounded, dtypes=NUMERIC),
    OpCase("clamp_tensor_ties", lambda T, x, lo: (T.clamp(x, lo, lo + 1), T.clamp(x, x, lo)),
           inputs=lambda draw, t: [array(draw, t, s) for s in [draw(shapes())] * 2]),
    OpCase("clamp_min_max", lambda T, x, y: (T.clamp_min(x, y), x.clamp_max(y), T.clamp_min(x, 0.5), x.clamp_max(-1)),
           arity=2, dtypes=NUMERIC),
    OpCase("clamp_bool", lambda T, x, y: (T.clamp(x, 0, 1), T.clamp(x, min=y), x.clamp_max(y), x.clamp(max=2)),
           arity=2, dtypes=("bool",)),
    OpCase("clamp_promotion", lambda T, x, y: (T.clamp(x.int(), 0.5), T.clamp(x, min=y.double()),
                                               T.clamp(x.int(), min=y.double().sum())),
           inputs=_pair("small", "small")),
    # a number and a 0-d tensor that requires grad fit neither of clamp's overloads
    OpCase("clamp_mixed_bounds", lambda T, x, y: T.clamp(x, -1, y.sum()), inputs=_pair("small", "small"), raises=True),
    OpCase("clamp_inplace", lambda T, x, y: (x.clone().clamp_(-1, 1), x.clone().clip_(min=y), x.clone().clamp_min_(0.5),
                                             x.clone().clamp_max_(y), x.clone().clamp_(max=y), T.clamp_(x.clone(), y),
                                             T.clip_(x.clone(), -2, 2), T.clamp_min_(x.clone(), y),
                                             T.clamp_max_(x.clone(), 1)),
           inputs=_pair("small", "small"), dtypes=NUMERIC),
    OpCase("clamp_nan", lambda T, x, y: (T.clamp(x, -1, 1), T.clamp(x, y), T.clamp(x, max=y)), arity=2, edge=True,
           grad=False),
    # ---- lerp, addcmul, addcdiv
    OpCase("lerp_scalar", lambda T, x, y, w: (T.lerp(x, y, w), x.lerp(y, 1 - w)), inputs=_with_arrays(
        2, extra=lambda draw: [draw(st.sampled_from([0.0, 0.25, 0.5, 0.75, 1.0, -2.0]))])),
    OpCase("lerp_tensor", lambda T, x, y, w: T.lerp(x, y, w), inputs=_with_arrays(3, "small")),
    OpCase("lerp_0d_weight", lambda T, x, y: T.lerp(x, y, T.tensor(0.3, dtype=T.float64)), arity=2),
    OpCase("lerp_inplace", lambda T, x, y, w: (x.clone().lerp_(y, 0.3), x.clone().lerp_(y, w),
                                               x.detach().clone().lerp_(y.detach(), w.detach())),
           inputs=lambda draw, t: [array(draw, t, (2, 3)), array(draw, t, (3,)), array(draw, t, (1, 3))]),
    OpCase("addcmul", lambda T, x, a, b, v: (T.addcmul(x, a, b), x.addcmul(a, b, value=v)),
           inputs=_with_arrays(3, "small", lambda draw: [draw(st.sampled_from([2, -0.5, True]))]),
           dtypes=NUMERIC),
    # one shape: a broadcast divisor's gradient is a float32 sum of large terms that cancel
    OpCase("addcdiv", lambda T, x, a, b, v: (T.addcdiv(x, a, b), x.addcdiv(a, b, value=v)),
           inputs=lambda draw, t: [array(draw, t, s, d) for s, d in zip([draw(shapes())] * 3,
                                                                     ("small", "small", "nonzero"))]
           + [draw(st.sampled_from([2, -0.5, True]))]),
    OpCase("addc_promotion", lambda T, x, a, b: (T.addcmul(x.int(), a.int(), b), T.addcdiv(x.int(), a, b.double()),
                                                 T.addcmul(x.int(), a.int(), b.int(), value=0.5)),
           inputs=_with_arrays(3, "nonzero")),
    OpCase("addc_inplace", lambda T, x, a, b: (x.clone().addcmul_(a, b, value=0.5), x.clone().addcdiv_(a, b, value=-2),
                                               x.detach().clone().addcmul_(a.detach(), b.detach())),
           inputs=lambda draw, t: [array(draw, t, (2, 3), "nonzero"), array(draw, t, (3,), "nonzero"),
                                   array(draw, t, (1, 3), "nonzero")]),
    OpCase("inplace_through_view", _inplace_through_view, inputs=lambda draw, t: [ndarray(draw, t, 1)]),
    # ---- bitwise, shifts, logical
    *[binary(n, dtypes=INTEGRAL) for n in ("bitwise_and", "bitwise_or", "bitwise_xor")],
    OpCase("bitwise_scalars", lambda T, x: (T.bitwise_and(x, 6), T.bitwise_or(3, x), x.bitwise_xor(True), 5 & x,
                                            True | x, x ^ 1), dtypes=INTEGRAL),
    OpCase("bitwise_operators", lambda T, x, y: (x & y, x | y, x ^ y, ~x, ~y, 3 & y, 3 | y, 3 ^ y), arity=2,
           dtypes=INTEGRAL),
    OpCase("bitwise_inplace", lambda T, x, y: (x.clone().bitwise_and_(y), x.clone().bitwise_or_(y),
                                               x.clone().bitwise_xor_(y), x.clone().bitwise_not_(),
                                               x.clone().__iand__(y), x.clone().__ior__(y), x.clone().__ixor__(y)),
           inputs=_ints_with_shift, dtypes=INTEGRAL),
    unary("bitwise_not", dtypes=INTEGRAL),
    OpCase("shifts", lambda T, x, y: (T.bitwise_left_shift(x, y.abs()), x.bitwise_right_shift(y.abs()), x << y, x >> y),
           arity=2, dtypes=INTS),
    OpCase("shift_scalars", lambda T, x: (x << 3, x >> 1, 1 << x.abs(), -64 >> x.abs(), x << 65, x >> 70,
                                          T.bitwise_left_shift(2, x.abs()), x << True), dtypes=INTEGRAL),
    OpCase("shift_inplace", lambda T, x, y: (x.clone().bitwise_left_shift_(y.abs()), x.clone().bitwise_right_shift_(2),
                                             x.clone().__ilshift__(1), x.clone().__irshift__(y)),
           inputs=_ints_with_shift, dtypes=INTS),
    *[binary(n, dtypes=ALL, edge=True) for n in ("logical_and", "logical_or", "logical_xor")],
    unary("logical_not", dtypes=ALL, edge=True),
    OpCase("logical_inplace", lambda T, x, y: (x.clone().logical_and_(y), x.clone().logical_or_(y.bool()),
                                               x.clone().logical_xor_(y.int()), x.clone().logical_not_()),
           inputs=_ints_with_shift, dtypes=ALL, grad=False),
    # ---- where, comparisons, closeness
    OpCase("where_scalars", lambda T, c, x: (T.where(c > 0, x, 0.0), T.where(c > 0, 1, x), x.where(c < 0, 2),
                                             T.where(c > 0, 2.5, -1)), arity=2, dtypes=ALL),
    OpCase("where_condition_only", lambda T, x: (T.where(x > 0), T.where(x)), dtypes=ALL, grad=False),
    OpCase("where_promotion", lambda T, c, x, y: (T.where(c > 0, x.int(), y.double()), T.where(c > 0, x.bool(), y)),
           arity=3),
    OpCase("comparison_operators", lambda T, x, y: (x == y, x != y, x < y, x <= y, x > y, x >= y, 1 < x, 2.5 >= y)
           + tuple(getattr(T, n)(x, y) for n in _COMPARISON_ALIASES)
           + tuple(getattr(x, n)(0) for n in _COMPARISON_ALIASES),
           arity=2, dtypes=ALL, edge=True),
    OpCase("comparison_inplace", lambda T, x, y: tuple(getattr(src.clone(), n + "_")(o) for n in _COMPARISONS
                                                       for src in (x, x.detach()) for o in (y, 0.5)),
           inputs=_ints_with_shift, dtypes=ALL),
    OpCase("isclose", lambda T, x, y: (T.isclose(x, y), x.isclose(y, rtol=0.1, atol=0.5),
                                       T.isclose(x, x + y * 1e-7, equal_nan=True), T.isclose(x, y, rtol=0, atol=0)),
           arity=2, dtypes=ALL, edge=True, grad=False),
    OpCase("allclose_equal", lambda T, x, y: (T.allclose(x, y), x.allclose(x, equal_nan=True), T.equal(x, y),
                                              x.equal(x), T.equal(x, x.double()), T.allclose(x, y, 0.5, 2.0)),
           arity=2, dtypes=ALL, edge=True, grad=False),
]
