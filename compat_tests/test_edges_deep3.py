"""Silent value and gradient mismatches and refusals the fourth deep fuzz sweep found (issue 10), each class with
differential cases that would have caught it."""
from __future__ import annotations

from typing import Callable

import numpy as np
import pytest

from harness import check
from test_nn_multiclass_losses import nn_binding

NAN = float("nan")
INF = float("inf")
HALF, FLOAT, DOUBLE = np.float16, np.float32, np.float64
DMAX = float(np.finfo(DOUBLE).max)

# (fn, input arrays, check's options)
CASES: dict[str, tuple[Callable, list, dict]] = {
    # complex and polar set each part on its own: an infinite part never meets the other part's zero (inf * 0j)
    **{"complex_infinite_parts_%s" % np.dtype(dt).name: (
        lambda T, re, im: T.complex(re, im),
        [np.array([-INF, INF, -INF, 1., NAN], dt), np.array([NAN, 1., INF, -INF, 0.], dt)], {})
       for dt in (HALF, FLOAT, DOUBLE)},
    "complex_broadcast_infinite_real": (lambda T, re, im: T.complex(re, im),
                                        [np.array(-INF), np.array([[NAN], [-DMAX], [INF]])], {}),
    **{"polar_infinite_abs_%s" % np.dtype(dt).name: (
        lambda T, r, theta: T.polar(r, theta),
        [np.array([INF, INF, INF, NAN, INF, 1.], dt), np.array([0., 1., 3., 1., NAN, -INF], dt)], {})
       for dt in (FLOAT, DOUBLE)},
    # ldexp's exponent gradient multiplies the gradient by the result (self * 2 ** other), not by self first: a
    # float16 gradient times a tiny self underflows to 0 (then 0 * inf), times a large one overflows differently
    **{"ldexp_half_exponent_grad_scale_%s" % scale: (
        (lambda scale: lambda T, x, e: T.ldexp(x, e) * scale)(scale),
        [np.array([6e-8, 6e4, 2., 0.], HALF), np.array([INF, 10., 16., INF], HALF)], {})
       for scale in (0.5, 1e-3, -0.25)},
    "ldexp_float32_exponent_grad": (lambda T, x, e: T.ldexp(x, e) * 1e-30,
                                    [np.array([1e-45, 3e38, 1.], FLOAT), np.array([INF, 2., 127.], FLOAT)], {}),
    # torch's gemm kernels have no Bool form (refused by the kernel the product folds into), except when there is
    # nothing to multiply
    **{"bool_product_%s_%s" % ("x".join(map(str, sa)) or "0d", "x".join(map(str, sb))): (
        lambda T, a, b: T.matmul(a, b), [np.ones(sa, bool), np.ones(sb, bool)], {"grad": False})
       for sa, sb in (((3, 3, 3), (3, 3)), ((2, 2), (2, 2)), ((2,), (2, 2)), ((2, 2), (2,)), ((2, 2, 2), (2,)),
                      ((2, 2), (2, 2, 2)), ((2, 2, 2), (2, 2, 2)), ((2,), (2,)), ((2, 0), (0, 2)), ((0, 2), (2, 3)),
                      ((1, 2, 0), (1, 0, 2)))},
    **{"bool_%s" % name: (fn, [np.ones(shape, bool)], {"grad": False}) for name, fn, shape in (
        ("mm", lambda T, a: T.mm(a, a), (2, 2)), ("bmm", lambda T, a: T.bmm(a, a), (2, 2, 2)),
        ("mv", lambda T, a: T.mv(a, a[0]), (2, 2)), ("addmm", lambda T, a: T.addmm(a, a, a), (2, 2)),
        ("addmv", lambda T, a: T.addmv(a[0], a, a[0]), (2, 2)), ("inner", lambda T, a: T.inner(a, a), (2, 2)),
        ("chain_matmul", lambda T, a: T.chain_matmul(a, a), (2, 2)),
        ("multi_dot", lambda T, a: T.linalg.multi_dot([a, a]), (2, 2)),
        ("matrix_power_2", lambda T, a: T.matrix_power(a, 2), (3, 3)),
        ("matrix_power_batched", lambda T, a: T.matrix_power(a, 3), (2, 3, 3)),
        ("matrix_power_0", lambda T, a: T.matrix_power(a, 0), (3, 3)),
        ("matrix_power_1", lambda T, a: T.matrix_power(a, 1), (3, 3)))},
    # bmm returns before its dtype check when there is nothing to multiply, in mat2's dtype (matmul's batches too)
    **{"bmm_empty_mixed_%s_%s_%s_%s" % ("x".join(map(str, sa)), "x".join(map(str, sb)), np.dtype(da).name,
                                        np.dtype(db).name): (
        (lambda name: lambda T, a, b: getattr(T, name)(a, b))(name), [np.ones(sa, da), np.ones(sb, db)], {})
       for name in ("bmm", "matmul") for sa, sb, da, db in (
           ((0, 3, 3), (0, 3, 3), FLOAT, DOUBLE), ((2, 3, 0), (2, 0, 3), FLOAT, DOUBLE),
           ((2, 3, 3), (2, 3, 0), HALF, FLOAT), ((0, 3, 3), (0, 3, 3), DOUBLE, FLOAT),
           ((2, 3, 3), (2, 3, 3), FLOAT, DOUBLE),
           ((2, 3, 3), (2, 3, 0), FLOAT, np.int32))},
    "matmul_broadcast_empty_mixed": (lambda T, a, b: T.matmul(a, b), [np.ones((1, 3, 3)), np.ones((0, 3, 3), FLOAT)],
                                     {}),
    # det's kernel returns the empty product before its dtype dispatch (no Half LU) when there is nothing to factor
    **{"det_empty_%s_%s" % ("x".join(map(str, shape)), np.dtype(dt).name): (
        lambda T, a: T.linalg.det(a), [np.ones(shape, dt)], {}) for shape in ((0, 0), (2, 0, 0), (0, 3, 3), (3, 3))
       for dt in (HALF, FLOAT)},
    # soft_margin_loss's reduction enum beyond Mean/Sum: the unreduced loss resized to 0-d (its first element)
    **{"soft_margin_loss_reduction_%d_%s" % (reduction, "x".join(map(str, shape)) or "0d"): (
        (lambda reduction: lambda T, x, t: nn_binding(T, "soft_margin_loss")(x, t, reduction))(reduction),
        [np.arange(1., 1. + np.prod(shape, dtype=int)).reshape(shape), np.full(shape, 0.5)], {})
       for reduction in (-1, 3, 9_223_372_036_854_775_807, 0, 1, 2) for shape in ((), (3,), (2, 2))},
    # logit_ refuses an integral self (its float result does not fit) before it converts eps
    **{"logit_inplace_%s_eps_%s" % (np.dtype(dt).name, eps): (
        (lambda eps: lambda T, x: T.logit_(x.clone(), eps=eps))(eps), [np.array([0.25, 127], dt)], {"grad": False})
       for dt in (np.int8, np.int64, bool, FLOAT, DOUBLE) for eps in (DMAX, 0.1, None)},
}


@pytest.mark.filterwarnings("ignore:ComplexHalf support is experimental")  # both libraries warn for complex32
@pytest.mark.parametrize("name", sorted(CASES))
def test_case(name: str) -> None:
    fn, arrays, options = CASES[name]
    check(fn, arrays, **options)
