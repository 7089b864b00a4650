"""Silent value and gradient mismatches and leaked Python errors the third deep fuzz sweep found (issue 10), each
class with differential cases that would have caught it: the kernels' branches at zero and their empty-input
shortcuts, the derivatives.yaml formulas torch runs op by op in a reduced float, the norm kernel's paths."""
from __future__ import annotations

from typing import Callable

import numpy as np
import pytest
import torch

import minitorch
from harness import check

NAN = float("nan")
INF = float("inf")
HALF, FLOAT, DOUBLE = np.float16, np.float32, np.float64
FMAX, TINY = float(np.finfo(FLOAT).max), float(np.finfo(FLOAT).tiny)


# (fn, input arrays, check's options)
CASES: dict[str, tuple[Callable, list, dict]] = {
    # pixel_unshuffle returns an empty input's copy, shape unchanged (its backward, pixel_shuffle, then refuses)
    **{"pixel_unshuffle_empty_%s" % "x".join(map(str, shape)): (
        lambda T, x: T.pixel_unshuffle(x, 2), [np.zeros(shape)], {})
       for shape in ((2, 2, 0), (0, 2, 4), (2, 0, 4, 4), (0, 4, 2, 2))},
    # elu's forward takes a zero through the linear side: 0 * scale, not NaN for a NaN or infinite alpha
    **{"celu_alpha_%s_%s" % (alpha, np.dtype(dt).name): (
        (lambda alpha: lambda T, x: T.celu(x, alpha=alpha))(alpha), [np.array([0., -0., -1e-30, -1., 1.], dt)], {})
       for alpha in (NAN, INF, -2.) for dt in (HALF, FLOAT, DOUBLE)},
    "elu_alpha_nan_half": (lambda T, x: T.nn.functional.elu(x, alpha=NAN), [np.array([0., -0., -1., 2.], HALF)], {}),
    "elu_inplace_alpha_inf": (lambda T, x: T.nn.functional.elu_(x.clone(), alpha=INF), [np.array([0., -0., -1.])],
                              {}),
    "selu_negative_zero": (lambda T, x: T.selu(x), [np.array([-0., 0., -1e-30])], {}),
    # dist's and the norms' backward is torch's norm_backward formula, each op rounding a float16
    **{"dist_int32_half_p%s" % p: ((lambda p: lambda T, x, y: T.dist(x.int(), y, p))(p),
                                   [np.array([[9.], [2147483647.]]).T, np.array(5.2734375, HALF)], {})
       for p in (2, 1, 3, INF)},
    **{"vector_norm_half_p%s" % p: ((lambda p: lambda T, x: T.linalg.vector_norm(x, p))(p),
                                    [np.array([300., 2., -0.001], HALF)], {})
       for p in (2, 3, .5, INF)},
    "norm_dim_half_p3": (lambda T, x: T.norm(x, 3, -1), [np.array([[300., 2., -0.001]], HALF)], {}),
    # the norm kernel reduces a 0-d input's named dim (|x|^p, p in the opmath dtype: float for float16 and float32)
    **{"pairwise_distance_0d_%s_%s" % (np.dtype(dt).name, v): (
        lambda T, x, y: T.pairwise_distance(x, y, p=2.2250738585072014e-308, eps=0.),
        [np.array(v, dt), np.array(0., dt)], {}) for dt in (HALF, FLOAT, DOUBLE) for v in (0., 2.)},
    **{"vector_norm_0d_dim_%s" % name: ((lambda dim: lambda T, x: T.linalg.vector_norm(x, 1e-50, dim))(dim),
                                        [np.array(2., FLOAT)], {})
       for name, dim in (("none", None), ("minus1", -1), ("list0", [0]), ("empty", []))},
    # the empty input's gradient as torch's backward returns it: logcumsumexp the (constant) grad, cummax/cummin
    # the input itself (so it requires grad under create_graph)
    "logcumsumexp_empty": (lambda T, x: T.logcumsumexp(x, 0), [np.zeros(0)], {"second_order": True}),
    "cummax_empty": (lambda T, x: x.cummax(-1), [np.zeros((2, 0))], {"second_order": True}),
    "cummin_empty": (lambda T, x: T.cummin(x, 0), [np.zeros((0, 3))], {"second_order": True}),
    "cummin_values": (lambda T, x: T.cummin(x, 0), [np.array([[1., 3.], [0., 5.]])], {"second_order": True}),
    # acosh's derivative as torch's formula: x * x - 1 for real x (0 * x at a huge x, not pow's NaN), and
    # (x + 1)^-1/2 (x - 1)^-1/2 for complex x (its branch cut: the sign left of -1)
    "acosh_extremes": (lambda T, x: x.acosh(), [np.array([-1.7976931348623157e+308, 1e200, 2., -1e160])],
                       {"second_order": True}),
    "acosh_complex": (lambda T, x: x.acosh(), [np.array([-2 + .1j, -2 - .1j, .5 + 0j, -.5 - 2j, 3 + 1j])], {}),
    # float32 linalg at the range's ends: LAPACK factors A itself (inv(A^T)^T pivots otherwise: NaN at a subnormal
    # pivot); slogdet's sign is the LU's where det overflows (a negative one is logdet's NaN, not log|det|)
    "inverse_subnormal_pivots": (lambda T, x: T.inverse(x), [np.array(
        [[[TINY, TINY, 4.11], [TINY, TINY * 2 ** -23, TINY], [TINY, TINY, -INF]]], FLOAT)], {"grad": False}),
    "logdet_overflowing_det": (lambda T, x: T.logdet(x), [np.array(
        [[[FMAX, FMAX], [FMAX, -7.]], [[FMAX, FMAX], [FMAX, FMAX]], [[FMAX, 1.], [-FMAX, 1.]]], FLOAT)],
                               {"grad": False}),
    "slogdet_overflowing_det": (lambda T, x: T.linalg.slogdet(x), [np.array(
        [[[INF, FMAX], [-0., TINY * 2 ** -23]], [[-FMAX, 2.], [FMAX, 3.]]], FLOAT)],
                                {"grad": False}),
    # integer division by zero raises only where an element is computed: an empty input divides nothing
    "floor_divide_empty_by_false": (lambda T, x: T.floor_divide(x, T.tensor(False)), [np.zeros(0, np.int8)], {}),
    "fmod_empty_by_false": (lambda T, x: T.fmod(x, False), [np.zeros((2, 1, 0), np.uint8)], {}),
    "fmod_empty_rows_by_bools": (lambda T, x: T.fmod(x, T.tensor([True, False])), [np.zeros((0, 2), np.int64)], {}),
    "div_trunc_empty_by_false": (lambda T, x: x.div(False, rounding_mode="trunc"), [np.zeros((3, 2, 0), np.int16)],
                                 {}),
    "div_floor_empty_out": (lambda T, x: T.div(x, 0, rounding_mode="floor", out=T.zeros(0, dtype=T.int8)),
                            [np.zeros(0, np.int8)], {}),
    "remainder_empty_inplace": (lambda T, x: x.remainder_(0), [np.zeros(0, np.int8)], {}),
    "remainder_number_by_empty_zeros": (lambda T, x: T.remainder(3, x), [np.zeros((0, 2), np.int64)], {}),
    "remainder_by_zero": (lambda T, x: T.remainder(x, 0), [np.ones(2, np.int64)], {}),
    "floor_divide_empty_bool": (lambda T, x: T.floor_divide(x, T.tensor(True)), [np.zeros(0, bool)], {}),
    # matrix_exp: a 1-by-1 matrix is exp of its entry, a matrix of infinite norm all NaN, a huge finite one scaled
    # without overflowing a Python float (each leaked OverflowError)
    "matrix_exp_1x1_extremes": (lambda T, x: T.matrix_exp(x), [np.array([[[INF]], [[-INF]], [[NAN]], [[800.]],
                                                                          [[-1.7976931348623157e+308]], [[2.]]])],
                                {}),
    "matrix_exp_infinite_norm": (lambda T, x: T.linalg.matrix_exp(x), [np.array([[INF, 0.], [0., 1.]])],
                                 {"grad": False}),
    "matrix_exp_huge_norm": (lambda T, x: T.matrix_exp(x), [np.array([[[1e308, 0.], [0., 1.]], [[1., 2.], [3., 4.]]])],
                             {"grad": False}),
    # binomial's samplers with C's floor and ceil: an infinite step or count stays infinite (or NaN)
    "binomial_subnormal_prob": (lambda T, n, p: (T.manual_seed(0), T.binomial(n, p))[1],
                                [np.array([1e9, 1e300, 5.]), np.array([5e-324, 1e-310, 1e-300])], {"grad": False}),
    "binomial_infinite_count": (lambda T, n, p: (T.manual_seed(0), T.binomial(n, p))[1],
                                [np.array([INF, INF, INF, 1e38, 100.], FLOAT),
                                 np.array([.3, .7, 1e-3, .5, .4], FLOAT)], {"grad": False}),
    "binomial_float32_subnormal_prob": (lambda T, n, p: (T.manual_seed(0), T.binomial(n, p))[1],
                                        [np.array([1e9, INF, 5.], FLOAT), np.array([1e-45, 1e-45, 1e-44], FLOAT)],
                                        {"grad": False}),
    # refusals torch's backward formulas make: addcdiv's value / tensor2 is C++'s Scalar / Tensor (written back into
    # an integral tensor2's dtype); clamp with two tensor bounds combines its masks in place; slice_inverse's src
    # gradient scatters zeros of self's shape into the slice
    **{"addcdiv_backward_%s_divisor" % np.dtype(dt).name: (
        lambda T, x, t1, t2: T.addcdiv(x, t1, t2, value=2.5),
        [np.array([1., 2.]), np.array([3., 5.]), np.array([1, 2], dt)], {})
       for dt in (np.int64, np.int32, np.uint8, bool)},
    "addcdiv_backward_integer_self": (lambda T, x, t1, t2: T.addcdiv(x, t1, t2, value=0),
                                      [np.array(2, np.int32), np.array(-INF), np.array(1, np.int32)], {}),
    "addcdiv_integer_dividend": (lambda T, x, t1, t2: T.addcdiv(x, t1, t2, value=2.5),
                                 [np.array([1., 2.]), np.array([3, 5], np.int16), np.array([2., 4.])], {}),
    **{"clamp_backward_bounds_%s_%s_%s" % tuple("x".join(map(str, s)) or "0d" for s in shapes): (
        lambda T, x, lo, hi: T.clamp(x, lo, hi), [np.zeros(shapes[0]), np.zeros(shapes[1]), np.ones(shapes[2])], {})
       for shapes in (((), (1, 2), ()), ((1,), (1, 2), (2,)), ((2,), (), (2, 1)), ((), (), (2,)), ((2,), (2,), (2,)))},
    "clamp_backward_min_only": (lambda T, x, lo: T.clamp(x, min=lo), [np.zeros((), HALF), np.zeros((1, 2), HALF)], {}),
    "slice_inverse_backward_slice_shape": (lambda T, x, src: x.slice_inverse(src.expand(2, 2), end=3),
                                           [np.array([.8, -0.]), np.array([[1.], [3.]])], {}),
    "slice_inverse_backward": (lambda T, x, src: x.slice_inverse(src.expand(2, 2), end=1),
                               [np.array([[.8, -0.]]), np.array([[1.], [3.]])], {}),
    # refusals torch makes up front: cholesky_inverse of a factor with an exactly zero diagonal (LAPACK's potri);
    # soft_margin_loss computed in place in input's dtype (neg_out, mul_, exp_); rrelu's bounds finite (the
    # out-of-place form only); chunk's size from torch's int64 sum, which wraps; uniform_'s dtype and bounds checked
    # before its overlap refusal and on empty tensors (not on an empty complex one)
    "cholesky_inverse_zero_diagonal_batched": (lambda T, x: T.cholesky_inverse(x), [np.array([[[INF]], [[1e308]],
                                                                                              [[-0.]]])], {}),
    "cholesky_inverse_zero_diagonal": (lambda T, x: T.cholesky_inverse(x, upper=True), [np.array([[1., 0.], [2., 0.]])],
                                       {}),
    "cholesky_inverse_nan_diagonal": (lambda T, x: T.cholesky_inverse(x), [np.array([[1., 0.], [2., NAN]])], {}),
    **{"soft_margin_loss_%s_%s" % (np.dtype(a).name, np.dtype(b).name): (
        lambda T, x, y: T.nn.functional.soft_margin_loss(x, y), [np.array([[1, 2]], a), np.array(5, b)], {})
       for a, b in ((np.int32, np.int32), (np.int32, np.float64), (np.int32, np.float16), (np.uint8, np.uint8),
                    (bool, bool), (np.float16, np.float64), (np.float32, np.int64))},
    "soft_margin_loss_empty_uint8": (lambda T, x, y: T.nn.functional.soft_margin_loss(x, y, reduction="sum"),
                                     [np.zeros((0, 2, 0), np.uint8), np.array(5, np.uint8)], {}),
    **{"rrelu_bounds_%s_%s" % (lower, upper): (
        (lambda lower, upper: lambda T, x: T.rrelu(x, lower=lower, upper=upper))(lower, upper),
        [np.array([-1., 2.])], {}) for lower, upper in ((-INF, -226.), (.1, INF), (INF, -INF), (NAN, NAN), (.5, .3))},
    "rrelu_inplace_infinite_bound": (lambda T, x: T.nn.functional.rrelu(x.clone(), -INF, .3, inplace=True),
                                     [np.array([-1., 2.])], {"grad": False}),
    "rrelu_module_infinite_bound": (lambda T, x: T.nn.RReLU(-INF, .3)(x), [np.array([-1., 2.])], {}),
    "chunk_wrapping_size": (lambda T, x: x.chunk(2 ** 63 - 1), [np.zeros((3, 3))], {}),
    "chunk_huge_chunks": (lambda T, x: x.chunk(2 ** 63 - 3, 1), [np.zeros((3, 3))], {}),
    **{"uniform_%s" % name: (fn, [value], {"grad": False}) for name, fn, value in (
        ("int_expanded_empty", lambda T, x: x.expand(2, 0, 3).uniform_(to=1e308), np.array([[[-1, 10, -8]]], np.int32)),
        ("int_expanded", lambda T, x: x.expand(2, 1, 3).uniform_(to=1.5), np.array([[[-1, 10, -8]]], np.int32)),
        ("float_expanded_bad_bounds", lambda T, x: x.expand(2).uniform_(3, 1), np.zeros(1, FLOAT)),
        ("complex_expanded_bad_bounds", lambda T, x: x.expand(2).uniform_(3, 1), np.zeros(1, np.complex64)),
        ("complex_empty_bad_bounds", lambda T, x: x.uniform_(3, 1), np.zeros((0, 2), np.complex64)),
        ("float_empty_bad_bounds", lambda T, x: x.uniform_(0, INF), np.zeros(0, FLOAT)))},
    # lerp with a tensor weight runs in the promoted dtype (an integer input with a 0-d float weight computes), the
    # reduced floats in float32 with a number weight read in it; cumsum/cumprod have no bool kernel; gradient's
    # tensor spacings are 1-D coordinates; linalg.svd's driver= is CUDA's (checked before the half refusal)
    "lerp_uint8_half_weight": (lambda T, a, b, w: T.lerp(a, b, w), [np.array(3, np.uint8),
                                                                    np.array([255, 255], np.uint8),
                                                                    np.array(-9.4453125, HALF)], {}),
    "lerp_uint8_float_weight": (lambda T, a, b, w: T.lerp(a, b, w), [np.array([3], np.uint8),
                                                                     np.array([255, 255], np.uint8),
                                                                     np.array(.5, FLOAT)], {}),
    "lerp_uint8_uint8_weight": (lambda T, a, b, w: T.lerp(a, b, w), [np.array([3], np.uint8),
                                                                     np.array([255, 255], np.uint8),
                                                                     np.array(5, np.uint8)], {}),
    **{"lerp_%s_weight_%s" % (np.dtype(dt).name, name): (fn, [np.array([3., .1, 7.3], dt),
                                                               np.array([255., .7, -3.3], dt)], {})
       for dt in (HALF, FLOAT) for name, fn in (
           ("number", lambda T, a, b: T.lerp(a, b, .77)),
           ("tensor", lambda T, a, b: T.lerp(a, b, T.tensor([-9.4453125, .3, .77], dtype=a.dtype))))},
    **{"%s_bool_dtype_%s" % (name, np.dtype(dt).name): (
        (lambda name: lambda T, x: getattr(x, name)(0, dtype=T.bool))(name), [np.zeros(shape, dt)], {"grad": False})
       for name in ("cumsum", "cumprod") for dt, shape in ((np.int8, 3), (bool, 3), (FLOAT, 3), (np.int8, 0))},
    **{"gradient_spacing_%s" % name: ((lambda spacing, dim: lambda T, x: T.gradient(
        x, spacing=[T.tensor(s) for s in spacing], dim=dim))(spacing, dim), [np.zeros(shape)], {})
       for name, shape, spacing, dim in (
           ("3d_empty", (3, 2, 0), [np.zeros((3, 2, 0))], -2), ("2d", (3, 2, 2), [np.zeros((2, 2))], 1),
           ("0d", (3, 2, 0), [np.array(2.)], 1), ("0d_all_dims", (3, 4), [np.array(2.), np.array(1.)], None),
           ("coordinates", (3, 4), [np.array([2., 3, 4]), np.array([1., 2, 3, 5])], None))},
    **{"svd_driver_%s" % name: (fn, [np.eye(3, dtype=dt)], {"grad": False}) for name, fn, dt in (
        ("svdvals", lambda T, x: T.linalg.svdvals(x, driver="trunc"), FLOAT),
        ("svd", lambda T, x: T.linalg.svd(x, driver="gesvd"), DOUBLE),
        ("svd_half", lambda T, x: T.linalg.svd(x, driver="gesvd"), HALF),
        ("svdvals_int", lambda T, x: T.linalg.svdvals(x, driver="x"), np.int32))},
    # torch runs no LAPACK kernel on an empty matrix: lu/lu_factor(_ex) of any dtype, without pivoting too (P then an
    # empty vector), ldl_factor of float16; linear adds a bias that is not 1-d in place after matmul
    **{"lu_factor_empty_%s_%s" % (np.dtype(dt).name, "x".join(map(str, shape))): (
        lambda T, x: T.linalg.lu_factor(x), [np.zeros(shape, dt)], {}) for dt, shape in (
            (np.int16, (0, 1, 2)), (np.int64, (0, 1)), (bool, (0, 2, 2)), (DOUBLE, (2, 0, 3)))},
    "lu_factor_empty_half": (lambda T, x: T.linalg.lu_factor(x), [np.zeros((3, 0), HALF)], {"grad": False}),
    "lu_factor_ex_empty_no_pivot": (lambda T, x: T.linalg.lu_factor_ex(x, pivot=False), [np.zeros((0, 0), FLOAT)], {}),
    "lu_factor_ex_empty_uint8": (lambda T, x: T.linalg.lu_factor_ex(x), [np.zeros((1, 0), np.uint8)], {}),
    "lu_empty_bool": (lambda T, x: T.linalg.lu(x), [np.zeros((0, 2), bool)], {}),
    "lu_empty_int8_batch": (lambda T, x: T.linalg.lu(x), [np.zeros((0, 3, 2), np.int8)], {}),
    "lu_empty_no_pivot": (lambda T, x: T.linalg.lu(x, pivot=False), [np.zeros((2, 0, 3))], {}),
    "lu_empty_no_pivot_half": (lambda T, x: T.linalg.lu(x, pivot=False), [np.zeros((2, 0, 3), HALF)], {"grad": False}),
    "lu_no_pivot": (lambda T, x: T.linalg.lu_factor_ex(x, pivot=False), [np.eye(2)], {}),
    "ldl_factor_ex_empty_half": (lambda T, x: T.linalg.ldl_factor_ex(x), [np.zeros((0, 1, 1), HALF)], {}),
    "ldl_factor_empty_half": (lambda T, x: T.linalg.ldl_factor(x, hermitian=True), [np.zeros((0, 2, 2), HALF)], {}),
    "ldl_factor_half": (lambda T, x: T.linalg.ldl_factor(x), [np.zeros((2, 2), HALF)], {}),
    **{"linear_%s" % name: (lambda T, x, w, b: T.nn.functional.linear(x, w, b), [np.ones(a), np.ones(b), np.ones(c)],
                            {}) for name, a, b, c in (
        ("empty_vectors", (0,), (0,), ()), ("vectors_0d_bias", (3,), (3,), ()), ("vectors_1d_bias", (3,), (3,), (2,)),
        ("3d_vector_weight", (4, 2, 3), (3,), ()), ("vector_input", (3,), (2, 3), (2,)),
        ("2d_bias", (4, 2, 3), (5, 3), (2, 5)))},
    "linear_transposed_bias_growing": (lambda T, x, w, b: T.nn.functional.linear(x.mT, w, b),
                                       [np.ones((4, 3, 2)), np.ones((5, 3)), np.ones((2, 4, 1, 5))], {}),
    # slogdet's backward as torch's: the forward's LU solved against (a singular matrix's gradient infinite, not
    # refused), a solve under create_graph (which refuses it)
    **{"slogdet_backward_%s" % name: (fn, [value], {"second_order": value.dtype == DOUBLE}) for name, fn, value in (
        ("singular_1x1", lambda T, x: T.logdet(x), np.array([[0.]], FLOAT)),
        ("singular_1x1_double", lambda T, x: T.logdet(x), np.array([[0.]])),
        ("singular", lambda T, x: T.linalg.slogdet(x)[1], np.array([[1., 2.], [2., 4.]])),
        ("batch", lambda T, x: T.linalg.slogdet(x), np.array([[[2., 1.], [1., 3.]], [[1., 5.], [2., 3.]]])),
        ("complex", lambda T, x: T.linalg.slogdet(x), np.array([[[2., 1j], [1., 3.]], [[1., 5.], [2j, 3.]]])))},
    # view(dtype) to a larger element checks size(-1) before stride(-1)
    "view_dtype_odd_sliced": (lambda T, x: x[::2].view(T.float64), [np.zeros(6, FLOAT)], {}),
    "view_dtype_odd_expanded": (lambda T, x: T.view_copy(x.expand(3), T.int64), [np.zeros(1, FLOAT)], {}),
    "view_dtype_odd_transposed": (lambda T, x: x.t().view(T.float64), [np.zeros((3, 2), FLOAT)], {}),
    "view_dtype_even_sliced": (lambda T, x: x[::2].view(T.float64), [np.zeros(8, FLOAT)], {}),
}

# torch's tensor of a NumPy array keeps its strides, an empty one's too (NumPy may give those zero strides), and
# copies a broadcast one row-major
ARRAY_STRIDES: dict[str, Callable] = {
    "tensor_empty": lambda T: T.tensor(np.zeros((3, 0, 1))).stride(),
    "tensor_empty_int16": lambda T: T.tensor(np.zeros((0, 2), np.int16)).stride(),
    "tensor_empty_cast": lambda T: T.tensor(np.zeros((0, 3), FLOAT), dtype=T.float64).stride(),
    "tensor_empty_slice": lambda T: T.tensor(np.empty((3, 4))[:0]).stride(),
    "tensor_empty_requires_grad": lambda T: T.tensor(np.zeros((0, 3)), requires_grad=True).stride(),
    "from_numpy_empty": lambda T: T.from_numpy(np.zeros((3, 0))).stride(),
    "as_tensor_empty": lambda T: T.as_tensor(np.zeros((3, 0))).stride(),
    "new_tensor_empty": lambda T: T.zeros(1).new_tensor(np.zeros((2, 0))).stride(),
    "tensor_broadcast_row": lambda T: T.tensor(np.broadcast_to(np.zeros(3), (2, 3))).stride(),
    "tensor_broadcast_column": lambda T: T.tensor(np.broadcast_to(np.zeros((3, 1)), (3, 2))).stride(),
    "tensor_sliced_transposed": lambda T: T.tensor(np.zeros((4, 3))[::2].T).stride(),
}


@pytest.mark.parametrize("name", sorted(ARRAY_STRIDES))
def test_array_strides_as_torch(name: str) -> None:
    assert ARRAY_STRIDES[name](minitorch) == ARRAY_STRIDES[name](torch)


@pytest.mark.parametrize("name", sorted(CASES))
def test_as_torch(name: str) -> None:
    fn, values, options = CASES[name]
    check(fn, values, **options)
