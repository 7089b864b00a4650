"""What torch refuses and minitorch accepted, and Python errors minitorch leaked (issue 10, the fifth deep fuzz
sweep), each class with differential cases that would have caught it."""
from __future__ import annotations

import warnings
from typing import Callable

import numpy as np
import pytest
import torch

import minitorch
from harness import assert_same_warnings, check

NAN = float("nan")
INF = float("inf")
HALF, BF16, FLOAT, DOUBLE = np.float16, "bfloat16", np.float32, np.float64
F = "nn.functional"


def _half(*values: float) -> np.ndarray:
    return np.array(values, HALF)


def _fn(path: str, *args: object, **kwargs: object) -> Callable:
    """``T.<path>(x, *args, **kwargs)`` for one input ``x``."""
    def call(T: object, x: object) -> object:
        target = T
        for part in path.split("."):
            target = getattr(target, part)
        return target(x, *args, **kwargs)
    return call


def _as(dtype: str, fn: Callable) -> Callable:
    """``fn`` on its float64 input converted to ``dtype`` (bfloat16 has no NumPy dtype to draw it in)."""
    return lambda T, x: fn(T, x.to(getattr(T, dtype)))


_X = np.array([[-2.5, 0.25, 1.], [3., -0.5, 0.]])

# (fn, input arrays, check's options)
CASES: dict[str, tuple[Callable, list, dict]] = {
    # pow's backward reads a number exponent as a double (exponent - 1 of -2**63 is no int64 to refuse); its
    # Half and BFloat16 kernels read the exponent in their own type (refused beyond it), the float ones in double
    **{"pow_grad_huge_exponent_%s_%s" % (e, np.dtype(dt).name): (_fn("pow", e), [np.array([-0., 1.5, 2.], dt)], {})
       for e in (-2 ** 63, -2 ** 63 + 5, 2 ** 64 - 1) for dt in (FLOAT, DOUBLE)},
    **{"pow_half_exponent_%r" % e: (_fn("pow", e), [_half(0.5, 1., 2.)], {})
       for e in (1e5, 70000, 65504., 65520., -2 ** 63, INF, NAN, 2, 0.5)},
    **{"pow_bfloat16_exponent_%r" % e: (_as(BF16, _fn("pow", e)), [np.array([0.5, 2.])], {})
       for e in (1e300, -1e39, 3e38, INF)},
    "pow_half_inplace_exponent": (lambda T, x: x.clone().pow_(1e5), [_half(1., 2.)], {}),
    "pow_half_number_base": (lambda T, x: T.pow(1e5, x), [_half(1., 2.)], {}),
    "pow_half_tensor_exponent": (lambda T, x: T.pow(x, T.tensor(1e5)), [_half(1., 2.)], {}),
    # the kernels that read a Scalar in the input's own dtype: hardshrink's lambd, clamp's (hardtanh's) bounds
    **{"hardshrink_%s_%r" % (name, v): (_as(name, _fn(F + ".hardshrink", v)) if name == BF16 else
                                        _fn(F + ".hardshrink", v), [_X.astype(dt) if name != BF16 else _X], {})
       for name, dt, values in (("float16", HALF, (1e5, 65504., 0.5)), (BF16, DOUBLE, (1e300, 1.)),
                                ("float32", FLOAT, (1e300, 3e38)), ("float64", DOUBLE, (1e300,)))
       for v in values},
    "hardshrink_half_empty": (_fn(F + ".hardshrink", 1e5), [np.zeros(0, HALF)], {}),
    **{"hardtanh_half_%r_%r" % bounds: (_fn(F + ".hardtanh", *bounds), [_X.astype(HALF)], {})
       for bounds in ((-1e5, 1.), (-1., 1e5), (-2 ** 63, -2 ** 63), (NAN, 1e5), (-1e5, NAN), (-INF, INF))},
    "hardtanh_half_empty": (_fn(F + ".hardtanh", -1e5, 1.), [np.zeros(0, HALF)], {}),
    "hardtanh_float32_huge": (_fn(F + ".hardtanh", -1e300, 1.), [_X.astype(FLOAT)], {}),
    "hardtanh_bfloat16_huge": (_as(BF16, _fn(F + ".hardtanh", -1., 1e300)), [_X], {}),
    "hardtanh_inplace_half": (lambda T, x: T.nn.functional.hardtanh(x.clone(), -1e5, 1., inplace=True),
                              [_X.astype(HALF)], {}),
    "hardtanh_int8_bound": (lambda T, x: T.nn.functional.hardtanh(x.to(T.int8), -1000, 1), [_X], {"grad": False}),
    "hardtanh_complex": (lambda T, x: T.nn.functional.hardtanh(x.to(T.complex64)), [_X], {"grad": False}),
    "relu6_half": (_fn(F + ".relu6"), [_X.astype(HALF)], {}),
    **{"clamp_half_%r_%r" % bounds: (_fn("clamp", *bounds), [_X.astype(HALF)], {})
       for bounds in ((NAN, 1e5), (1e5, NAN), (None, 1e5), (-1e5, None), (-1., 1.))},
    "clamp_int8_nan_bound": (lambda T, x: T.clamp(x.to(T.int8), 1000, NAN), [_X], {"grad": False}),
    "clamp_inplace_half_nan": (lambda T, x: x.clone().clamp_(-1e5, NAN), [_X.astype(HALF)], {}),
    # the kernels that read a Scalar in their compute type (float32 for float32 and the reduced floats)
    **{"%s_%s_%s_huge" % (name, arg, dt): ((lambda name, arg, dt: lambda T, x: getattr(T.nn.functional, name)(
        x.to(getattr(T, dt)), **{arg: 1e300}))(name, arg, dt), [_X], {})
       for name, args in (("elu", ("alpha", "scale", "input_scale")), ("celu", ("alpha",)),
                          ("softplus", ("beta", "threshold")))
       for arg in args for dt in ("float16", "bfloat16", "float32", "float64")},
    "celu_tiny_alpha_float32": (_fn(F + ".celu", 1e-300), [_X.astype(FLOAT)], {}),
    "celu_tiny_alpha_float64": (_fn(F + ".celu", 1e-300), [_X], {}),
    "celu_complex_alpha": (_fn(F + ".celu", 1j), [_X.astype(FLOAT)], {}),
    "elu_integral_huge_alpha": (lambda T, x: T.nn.functional.elu(x.to(T.int32), 1e300), [_X], {"grad": False}),
    **{"rrelu_%s_%s" % (dt, "training" if training else "eval"): (
        (lambda dt, training: lambda T, x: T.rrelu(x.to(getattr(T, dt)), -1e300, 1e300, training=training))(
            dt, training), [_X], {"grad": False})
       for dt in ("float16", "bfloat16", "float32", "float64") for training in (False, True)
       if dt != "float64" or not training},  # (float64 takes the bounds: its draws are values, not refusals)
    "rrelu_eval_huge_mean": (lambda T, x: T.rrelu(x, 1e300, 1e300), [_X.astype(FLOAT)], {}),
    "rrelu_half_eval_fits": (lambda T, x: T.rrelu(x, 1e5, 1e5), [_X.astype(HALF)], {"grad": False}),
    "softshrink_bfloat16_lambda": (_as(BF16, _fn(F + ".softshrink", 1e300)), [_X], {}),
    **{"lerp_weight_%s_%r" % (dt, w): ((lambda dt, w: lambda T, a: T.lerp(a.to(getattr(T, dt)),
                                                                         (a * 2).to(getattr(T, dt)), w))(dt, w),
                                       [_X], {})
       for dt, w in (("float32", 1e300), ("float16", 1e300), ("bfloat16", -1e300), ("float64", 1e300),
                     ("complex64", 1e300j), ("complex64", 0.3 + 0.2j), ("float16", 1e5))},
    **{"%s_value_%s" % (name, dt): ((lambda name, dt: lambda T, a: getattr(T, name)(
        a.to(getattr(T, dt)), a.to(getattr(T, dt)), (a + 4).to(getattr(T, dt)), value=1e300))(name, dt), [_X], {})
       for name in ("addcmul", "addcdiv") for dt in ("bfloat16", "float16", "float32")},
    # fill_'s conversion is checked, except that a one-element tensor is filled through a fast path that rounds a
    # number to float16 or bfloat16 unchecked (where's number operands are such one-element tensors)
    **{"fill_half_%d_%r" % (n, v): ((lambda n, v: lambda T, x: x.new_ones(n).fill_(v))(n, v), [_half(1.)],
                                    {"grad": False})
       for n in (1, 2) for v in (1e5, -1e300, 2 ** 64 - 1, -2 ** 63)},
    "fill_bfloat16_one_element": (lambda T, x: x.to(T.bfloat16)[:1].clone().fill_(1e300), [_X[0]], {"grad": False}),
    "fill_half_0d_tensor_value": (lambda T, x: x.new_ones(1).fill_(T.tensor(1e5)), [_half(1.)], {"grad": False}),
    "fill_half_complex_value": (lambda T, x: T.full((1, 1), 1e5j, dtype=T.float16), [_half(1.)], {"grad": False}),
    "fill_float32_one_element": (lambda T, x: x.new_ones(1).fill_(1e300), [np.ones(1, FLOAT)], {"grad": False}),
    "fill_int8_one_element": (lambda T, x: x.new_ones(1).fill_(1000), [np.ones(1, np.int8)], {"grad": False}),
    **{"full_half_%s" % "x".join(map(str, shape)): (
        (lambda shape: lambda T, x: T.full(shape, 1e5, dtype=T.float16))(shape), [_half(1.)], {"grad": False})
       for shape in ((1,), (), (1, 1), (2,), (0,))},
    "full_half_tensor_value": (lambda T, x: T.full((1, 1), T.tensor(1e5), dtype=T.float16), [_half(1.)],
                               {"grad": False}),
    "full_out_one_element": (lambda T, x: T.full((1,), 1e5, out=x.new_ones(3)), [_half(1.)], {"grad": False}),
    "full_like_half_0d_double_max": (lambda T, x: T.full_like(x, 1.7976931348623157e+308), [np.array(-0., HALF)],
                                     {"grad": False}),
    "new_full_half": (lambda T, x: x.new_full((1,), 1e5), [_half(1.)], {"grad": False}),
    "fill_half_function": (lambda T, x: T.fill(x, 1e5), [_half(1.)], {"grad": False}),
    "scalar_tensor_half": (lambda T, x: T.scalar_tensor(1e5, dtype=T.float16), [_half(1.)], {"grad": False}),
    "scalar_tensor_float32": (lambda T, x: T.scalar_tensor(1e300, dtype=T.float32), [_half(1.)], {"grad": False}),
    **{"where_%s" % name: (fn, [_X.astype(HALF)], {}) for name, fn in (
        ("half_other", lambda T, x: T.where(x > 0, x, 1e5)), ("half_self", lambda T, x: T.where(x > 0, 1e5, x)),
        ("float32_other", lambda T, x: T.where(x > 0, x.float(), 1e300)),
        ("both_numbers", lambda T, x: T.where(x > 0, 1e300, 1.)),
        ("int8_other", lambda T, x: T.where(x > 0, x.to(T.int8), 1000)),
        ("half_condition", lambda T, x: T.where(x, 1e5, x)), ("method", lambda T, x: x.where(x > 0, 1e5)))},
    # complex64 holds a number whose parts each fit a float
    **{"complex64_fill_%r" % (v,): ((lambda v: lambda T, x: x.to(T.complex64).fill_(v))(v), [_X], {"grad": False})
       for v in (1e300, 1e300j, complex(NAN, 1e300), complex(INF, 0.), 2 ** 64 - 1, -2 ** 63)},
    "complex64_full": (lambda T, x: T.full((2,), 1e300j, dtype=T.complex64), [_X], {"grad": False}),
    "complex64_masked_fill": (lambda T, x: x.to(T.complex64).masked_fill(x > 0, 1e300), [_X], {"grad": False}),
    "complex128_fill": (lambda T, x: x.to(T.complex128).fill_(1e300j), [_X], {"grad": False}),
    # constant padding fills the new border (fill_: checked) and only then copies; F.pad reads value as a double
    **{"pad_%s_%r_%r" % (np.dtype(dt).name, pad, v): (
        (lambda pad, v: lambda T, x: T.nn.functional.pad(x, pad, value=v))(pad, v), [np.ones((2, 2), dt)],
        {"grad": np.dtype(dt).kind == "f"})
       for dt, pad, v in ((HALF, (1, 1), 1e5), (HALF, (0, 0), 1e5), (HALF, (-1, 0), 1e5), (np.uint8, (1, 1), -1),
                          (np.int64, (1, 1), 2 ** 62 + 1), (np.int8, (1, 1), 1000), (np.int8, (1, 1), 2.5),
                          (FLOAT, (1, 1), 1e300), (HALF, (1, -3), 1e5))},
    "pad_value_int_beyond_double": (lambda T, x: T.nn.functional.pad(x, (1, 1), value=10 ** 400),
                                    [np.ones(2, FLOAT)], {}),
    **{"constant_pad_nd_%s_%r" % (np.dtype(dt).name, v): (
        (lambda v: lambda T, x: T.constant_pad_nd(x, (1, 1), v))(v), [np.ones(2, dt)], {"grad": False})
       for dt, v in ((HALF, 1e5), (np.uint8, -1), (FLOAT, 1e300))},
    # torch's formulas in C++: `Scalar / Tensor` is a fill of the tensor's dtype (rounded, checked) divided in
    # place; the norms' backward take pow(self, p - 2) in self's own dtype (a float16 self refuses a huge p)
    **{"addcdiv_grad_value_%r_%s" % (v, np.dtype(dt).name): (
        (lambda v: lambda T, a, b, c: T.addcdiv(a, b, c, value=v))(v),
        [np.array([0.3, 3.7, 1e-3], dt), np.array([1., -2., 3.], dt), np.array([0.3, 3.7, 1e-3], dt)], {})
       for v in (0.3, 7.1, -2.5, 1e5) for dt in (HALF, FLOAT, DOUBLE)},
    "addcdiv_second_derivative": (lambda T, a: T.addcdiv(a, a, a, value=3), [np.array([0.5, 2.])],
                                  {"second_order": True}),
    **{"addcdiv_integral_tensor2_%s_%r" % (dt, v): (
        (lambda dt, v: lambda T, a: T.addcdiv(T.ones(2), a, T.ones(2, dtype=getattr(T, dt)), value=v))(dt, v),
        [np.ones(2, FLOAT)], {})
       for dt, v in (("int64", 1), ("int8", 1000))},
    "addcmul_grad_half": (lambda T, a, b, c: T.addcmul(a, b, c, value=0.3),
                          [_half(0.3, 3.7, 1e-3), _half(1., -2., 3.), _half(7.1, 0.1, 3e3)], {}),
    **{"%s_grad_half_huge_p_%r" % (name, p): ((lambda fn, p: lambda T, x: fn(T, x, p))(fn, p),
                                               [_X.astype(HALF) / 4], {})
       for name, fn in (("renorm", lambda T, x, p: T.renorm(x, p, 0, 1.)),
                        ("dist", lambda T, x, p: T.dist(x, x * 0.5, p)),
                        ("vector_norm", lambda T, x, p: T.linalg.vector_norm(x, p)),
                        ("norm", lambda T, x, p: T.norm(x, p)),
                        ("pairwise_distance", lambda T, x, p: T.nn.functional.pairwise_distance(x, x * 0.5, p)))
       for p in (1e5, 65520., 3.)},
    **{"renorm_grad_%s_p%r" % (np.dtype(dt).name, p): (
        (lambda p: lambda T, x: T.renorm(x, p, 0, 2.))(p), [np.array([[3., -1., 2.], [0.1, 0.2, -0.3]], dt)], {})
       for dt in (HALF, FLOAT, DOUBLE) for p in (1, 2, 3, 0.5, 4.5, INF)},
    # integer factories cannot require grad; kernels that refuse a dtype (when they run)
    **{"%s_requires_grad_%d" % (name, n): ((lambda name, n: lambda T, x: getattr(T, name)(n, 4, requires_grad=True))(
        name, n), [_half(1.)], {"grad": False}) for name in ("tril_indices", "triu_indices") for n in (0, 3)},
    **{"layer_norm_%s_%s" % (dt, "x".join(map(str, shape))): (
        (lambda dt, shape: lambda T, x: T.nn.functional.layer_norm(T.ones(shape, dtype=getattr(T, dt)), shape[-1:]))(
            dt, shape), [_half(1.)], {"grad": False})
       for dt in ("int64", "bool", "complex64") for shape in ((1, 3, 0), (1, 3, 2), (0, 3))},
    "native_layer_norm_int64": (lambda T, x: T.native_layer_norm(x.long(), [2], None, None, 1e-5), [np.ones((1, 3, 2))],
                                {"grad": False}),
    **{"pdist_%s_%s" % (np.dtype(dt).name if dt != BF16 else dt, "x".join(map(str, shape))): (
        _as(dt, _fn(F + ".pdist")) if dt == BF16 else _fn(F + ".pdist"),
        [np.ones(shape, dt if dt != BF16 else DOUBLE)], {"grad": False})
       for dt in (HALF, BF16) for shape in ((3, 2), (1, 3), (3, 0))},
    # a norm's dtype= must hold the input without narrowing; a min/max-like norm of nothing has no identity
    **{"%s_narrowing_%s_to_%s" % (name, a, b): (
        (lambda fn, a, b: lambda T, x: fn(T, x.to(getattr(T, a)), getattr(T, b)))(fn, a, b), [np.ones((2, 2))],
        {"grad": False})
       for name, fn in (("vector_norm", lambda T, x, dt: T.linalg.vector_norm(x, dtype=dt)),
                        ("matrix_norm", lambda T, x, dt: T.linalg.matrix_norm(x, dtype=dt)),
                        ("matrix_norm_nuc", lambda T, x, dt: T.linalg.matrix_norm(x, "nuc", dtype=dt)),
                        ("linalg_norm", lambda T, x, dt: T.linalg.norm(x, dtype=dt)),
                        ("norm", lambda T, x, dt: T.norm(x, dtype=dt)))
       for a, b in (("float64", "float32"), ("float32", "float16"), ("float16", "bfloat16"),
                    ("complex128", "complex64"), ("float32", "float64"), ("int64", "float32"))},
    **{"dist_empty_p_%r" % p: ((lambda p: lambda T, a, b: T.dist(a, b, p))(p),
                               [np.ones((0, 1, 2), HALF), np.ones((0, 1, 1), HALF)], {})
       for p in (-112, -0.5, INF, 2, 0)},
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_case(name: str) -> None:
    fn, values, options = CASES[name]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (the warnings each op emits are tested where the op is)
        check(fn, values, **options)


# ---- Poisson draws at an infinite rate ---------------------------------------------------------------------
def test_poisson_infinite_rate_draws_without_a_leak() -> None:
    """torch casts the draw's floor to int64 (undefined from 2**63 on: it reads INT64_MIN); minitorch's draw is inf,
    after the same uniforms, so that the next elements' draws are torch's."""
    rates = [INF, 30., 30., 1e300, 12., 3.]
    draws = []
    for T in (torch, minitorch):
        T.manual_seed(0)
        draws.append(T.poisson(T.tensor(rates, dtype=T.float64)).tolist())
    assert draws[1][0] == INF and draws[1][3] == 1e300
    assert [draws[0][i] for i in (1, 2, 4, 5)] == [draws[1][i] for i in (1, 2, 4, 5)]
    minitorch.manual_seed(0)
    assert minitorch.poisson(minitorch.tensor([INF], dtype=minitorch.float16)).tolist() == [INF]


# ---- integral results of differentiable ops --------------------------------------------------------------
def _integral_requiring_grad(T: object, dtype: str = "int64") -> object:
    """An integral tensor that requires grad: fill_ with a float tensor that does records its node."""
    a = T.zeros(3, dtype=getattr(T, dtype))
    a.fill_(T.tensor(1., requires_grad=True))
    return a


_INTEGRAL_OPS: dict[str, Callable] = {
    "add_int": lambda T, a: a + 1, "add_float": lambda T, a: a + 1.5, "mul_float_tensor": lambda T, a: a * T.ones(3),
    "sum": lambda T, a: a.sum(), "neg": lambda T, a: -a, "abs": lambda T, a: a.abs(), "view": lambda T, a: a.view(3),
    "getitem": lambda T, a: a[0], "clone": lambda T, a: a.clone(), "to_float": lambda T, a: a.float(),
    "to_int": lambda T, a: a.to(T.int32), "to_bool": lambda T, a: a.bool(), "eq": lambda T, a: a == 1,
    "argmax": lambda T, a: a.argmax(), "cat": lambda T, a: T.cat([a, a]), "detach": lambda T, a: a.detach(),
    "where": lambda T, a: T.where(a > 0, a, a), "cumsum": lambda T, a: a.cumsum(0),
    "expand": lambda T, a: a.expand(2, 3), "unsqueeze": lambda T, a: a.unsqueeze(0), "max": lambda T, a: a.max(),
    "sort_values": lambda T, a: a.sort()[0], "index_select": lambda T, a: a.index_select(0, T.tensor([0])),
    "true_divide": lambda T, a: a / 2, "mean_of_float": lambda T, a: a.float().mean(),
    "bool_input": lambda T, a: _integral_requiring_grad(T, "bool") & True,
}


@pytest.mark.parametrize("name", sorted(_INTEGRAL_OPS))
def test_integral_result_of_a_differentiable_op(name: str) -> None:
    """torch's set_history refuses an integral (or bool) result of a differentiable op ("Autograd not support
    dtype"); comparisons, conversions and detach have none to refuse."""
    fn = _INTEGRAL_OPS[name]
    check(lambda T: fn(T, _integral_requiring_grad(T)), [], grad=False)


@pytest.mark.parametrize("self_dtype", ["int32", "int16", "bool"])
def test_slice_inverse_of_an_integral_self_with_a_float_source(self_dtype: str) -> None:
    check(lambda T, src: T.slice_inverse(T.ones((), dtype=getattr(T, self_dtype)), src, 0),
          [np.array(1.5, FLOAT)])


# ---- indexing with byte masks and narrow integer indices -------------------------------------------------
def _u8(T: object, *values: int) -> object:
    return T.tensor(list(values), dtype=T.uint8)


_SETITEM: dict[str, Callable] = {
    "mask_number": lambda T: (T.zeros(3), _u8(T, 1, 0, 1), 5),
    "mask_0d_tensor": lambda T: (T.zeros(3), _u8(T, 1, 0, 1), T.tensor(5.)),
    "mask_one_element": lambda T: (T.zeros(3), _u8(T, 1, 0, 1), T.tensor([5.])),
    "mask_two_elements": lambda T: (T.zeros(3), _u8(T, 1, 0, 1), T.tensor([7., 8.])),
    "mask_rows": lambda T: (T.zeros(3, 2), _u8(T, 1, 0, 1), 5),
    "mask_2d": lambda T: (T.zeros(3, 2), T.ones(3, 2, dtype=T.uint8), 5),
    "slice_then_mask": lambda T: (T.zeros(2, 3), (slice(None), _u8(T, 1, 0, 1)), 5),
    "mask_then_int": lambda T: (T.zeros(3, 2), (_u8(T, 1, 0, 1), 0), 5),
    "mask_wrong_size": lambda T: (T.zeros(3), _u8(T, 1, 0), 5),
    "bool_mask": lambda T: (T.zeros(3), T.tensor([True, False, True]), 5),
    "uint8_0d_nonzero": lambda T: (T.zeros(3), T.tensor(2, dtype=T.uint8), 5),
    "uint8_0d_zero": lambda T: (T.zeros(3), T.tensor(0, dtype=T.uint8), 5),
    **{"%s_index" % dt: (lambda dt: lambda T: (T.zeros(3), T.tensor([1, 0], dtype=getattr(T, dt)), 5))(dt)
       for dt in ("int8", "int16", "uint16", "uint32", "uint64", "int32")},
}


@pytest.mark.parametrize("name", sorted(_SETITEM))
def test_setitem_index_dtypes(name: str) -> None:
    """torch's setitem writes one value through a single mask with masked_fill_, which refuses a uint8 mask (before
    index_put_'s deprecation warning); a 0-d uint8 index is read as a bool; an index tensor is int64, int32, uint8
    or bool."""
    def write(T: object) -> object:
        x, key, value = _SETITEM[name](T)
        x[key] = value
        return x

    check(write, [], grad=False)
    assert_same_warnings(lambda T: _quietly(write, T))


def _quietly(fn: Callable, T: object) -> object:
    try:
        return fn(T)
    except Exception as e:  # noqa: BLE001 - only the warnings are compared here (check compared the errors)
        return e


_GETITEM: dict[str, Callable] = {
    "uint8_0d_nonzero": lambda T, x: x[T.tensor(2, dtype=T.uint8)],
    "uint8_0d_zero": lambda T, x: x[T.tensor(0, dtype=T.uint8)],
    "uint8_0d_then_int": lambda T, x: x.view(2, 3)[T.tensor(1, dtype=T.uint8), 1],
    "uint8_mask": lambda T, x: x[_u8(T, 1, 0, 1, 1, 0, 0)],
    "uint8_mask_none": lambda T, x: x[_u8(T, 1, 0, 1, 1, 0, 0), None],
    **{"%s_index" % dt: (lambda dt: lambda T, x: x[T.tensor([1, 0], dtype=getattr(T, dt))])(dt)
       for dt in ("int8", "int16", "uint16", "uint32", "uint64", "int32", "int64")},
    "int8_0d": lambda T, x: x[T.tensor(1, dtype=T.int8)],
    "index_put_uint8_one_value": lambda T, x: x.index_put((_u8(T, 1, 0, 1, 1, 0, 0),), T.tensor(5.)),
    "index_put_uint8_values": lambda T, x: x.index_put((_u8(T, 1, 0, 1, 1, 0, 0),), T.tensor([1., 2., 3.])),
    "index_put_uint8_accumulate": lambda T, x: x.index_put((_u8(T, 1, 0, 1, 1, 0, 0),), T.tensor([1.]), True),
    "index_put_int8": lambda T, x: x.index_put((T.tensor([1, 0], dtype=T.int8),), T.tensor(1.)),
    "index_put__uint8_one_value": lambda T, x: x.clone().index_put_((_u8(T, 1, 0, 1, 1, 0, 0),), T.tensor(5.)),
}


@pytest.mark.parametrize("name", sorted(_GETITEM))
def test_index_dtypes(name: str) -> None:
    fn = _GETITEM[name]
    check(fn, [np.arange(6.)], grad=False)
    assert_same_warnings(lambda T: _quietly(lambda T: fn(T, T.arange(6.)), T))
