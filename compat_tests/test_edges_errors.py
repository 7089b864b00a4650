"""Errors in torch's order (issue 10): which in-place writes torch refuses, which of an op's checks comes first
(autograd's leaf refusal, the overlap check, shapes, dtypes), torch's own dtype refusals, and torch's warnings
once each, where torch emits them. Every case runs under torch and minitorch (``harness.check``)."""
from __future__ import annotations

import warnings
from typing import Any, Callable

import numpy as np
import pytest

from harness import LIBS, assert_same_warnings, check

INT64_MAX, INT64_MIN = 2 ** 63 - 1, -2 ** 63


def _expanded(T: Any, *shape: int, dtype: Any = None) -> Any:
    """A tensor whose elements share one memory location (an empty one when a size is 0)."""
    return T.ones((1,) * len(shape), dtype=dtype or T.float32).expand(*shape)


def _view_of_leaf(T: Any, dtype: Any = None) -> Any:
    return T.ones(3, dtype=dtype or T.float32, requires_grad=True)[:2]


def _leaf(T: Any, dtype: Any = None) -> Any:
    return T.ones(2, dtype=dtype or T.float32, requires_grad=True)


# in-place writes into a tensor whose elements share memory: refused unless it is empty; the overlap check
# comes before the result's shape and dtype are checked, but after the op's own argument checks
OVERLAP = {
    "clamp_empty": lambda T: _expanded(T, 2, 3, 0).clamp_(min=T.zeros(2, 3, 0)),
    "eq_empty": lambda T: _expanded(T, 2, 3, 0, dtype=T.int64).eq_(T.zeros(2, 3, 0, dtype=T.int64)),
    "lt_empty": lambda T: _expanded(T, 2, 0).lt_(1),
    "random_empty": lambda T: _expanded(T, 2, 0, dtype=T.int64).random_(),
    "uniform_empty": lambda T: _expanded(T, 0, 3).uniform_(),
    "copy_empty": lambda T: _expanded(T, 2, 0).copy_(T.zeros(2, 0)),
    "clamp_nonempty": lambda T: _expanded(T, 2, 3).clamp_(min=0),
    "random_nonempty": lambda T: _expanded(T, 2, 3).random_(),
    "fill_empty": lambda T: _expanded(T, 3, 0).fill_(2),
    "overlap_before_shape": lambda T: _expanded(T, 3).add_(T.ones(2, 3)),
    "overlap_before_cast": lambda T: _expanded(T, 3, dtype=T.int16).add_(T.ones(3)),
    "overlap_before_unary_cast": lambda T: _expanded(T, 3, dtype=T.int16).exp_(),
    "overlap_before_kernel_dtype": lambda T: _expanded(T, 3).bitwise_and_(T.ones(3)),
    "overlap_before_addcdiv_cast": lambda T: _expanded(T, 3, dtype=T.int16).addcdiv_(
        T.ones(3, dtype=T.int16), T.ones(3, dtype=T.float64)),
    "clamp_bounds_before_overlap": lambda T: _expanded(T, 3).clamp_(),
    "cumsum_bool_before_overlap": lambda T: _expanded(T, 3, dtype=T.bool).cumsum_(0),
}

# autograd's refusal of a write into a leaf requiring grad (or a view of one) comes before the op's own checks
LEAF_FIRST = {
    "bitwise_and_view": lambda T: _view_of_leaf(T).bitwise_and_(T.ones(2)),
    "bitwise_left_shift_view": lambda T: _view_of_leaf(T).bitwise_left_shift_(T.ones(2)),
    "gcd_leaf_half": lambda T: T.gcd_(_leaf(T, T.float16), _leaf(T, T.float16)),
    "lcm_leaf_half": lambda T: T.lcm_(_leaf(T, T.float16), _leaf(T, T.float16)),
    "scatter_float_index": lambda T: _view_of_leaf(T).scatter_(0, T.ones(1), True),
    "subtract_bool_alpha": lambda T: _view_of_leaf(T).subtract_(T.ones(2), alpha=True),
    "index_put_too_many": lambda T: T.tensor(0.0, requires_grad=True).index_put_([T.tensor(0)], T.tensor(0.0)),
    "celu_alpha_zero": lambda T: T.celu_(_leaf(T), 0),
    "celu_alpha_zero_no_grad": lambda T: T.celu_(T.ones(2), 0),
}

# dtype and argument checks, in torch's order
CHECKS = {
    # found by the session-6 deep sweep: a Scalar int beyond int64 and uint64 is the parser's OverflowError (with
    # CPython's message for each side), before the op's own checks; linalg checks squareness before the dtype; MKL
    # refuses a transform over an empty batch
    "scalar_int_below_int64": lambda T: T.nn.functional.leaky_relu(T.tensor([1, 2]), -2 ** 64),
    "scalar_int_beyond_uint64": lambda T: T.float_power(T.tensor([1, 2]), 2 ** 70),
    "scalar_int_result_type": lambda T: T.result_type(INT64_MIN - 1, INT64_MAX),
    "scalar_int_keyword": lambda T: T.nn.functional.softshrink(T.ones(2), lambd=-2 ** 64),
    **{"square_before_dtype_%s" % name: (lambda fn: lambda T: fn(T)(T.zeros(1, 3, dtype=T.int32)))(fn)
       for name, fn in (("inv", lambda T: T.linalg.inv), ("det", lambda T: T.det), ("slogdet", lambda T: T.slogdet),
                        ("logdet", lambda T: T.logdet), ("matrix_exp", lambda T: T.linalg.matrix_exp),
                        ("cholesky", lambda T: T.linalg.cholesky))},
    "split_size_before_dim": lambda T: T.tensor([1.]).split(-1, dim=3),
    "unsafe_split_size_before_dim": lambda T: T.unsafe_split(T.tensor([1., 2.]), -3, dim=5),
    "dist_bool_operand": lambda T: T.dist(T.tensor([True]), T.tensor([1.])),
    "dist_shapes": lambda T: T.dist(T.ones(2), T.ones(3)),
    "bernoulli_empty_integral": lambda T: (T.bernoulli(T.zeros(0, 2, dtype=T.uint8)),
                                           T.zeros(0, dtype=T.int8).bernoulli_(T.zeros(0, dtype=T.uint8))),
    # torch's kernels lacking a dtype (no silent computation where torch refuses)
    "nansum_integral_dtype_with_grad": lambda T: T.nansum(T.ones(2, requires_grad=True), dtype=T.uint8),
    "nanmean_integral_dtype": lambda T: T.nanmean(T.tensor([3.3]), dtype=T.int32),
    "threshold_bool": lambda T: T.nn.functional.threshold(T.tensor([True]), 0.5, 1),
    "isin_bool": lambda T: T.isin(T.tensor([1.]), T.tensor([True])),
    "isin_python_bool": lambda T: T.isin(T.tensor([1]), True),
    "searchsorted_bool": lambda T: T.searchsorted(T.tensor([False, True]), T.tensor([True])),
    "repeat_interleave_uint8_repeats": lambda T: T.tensor([1, 2]).repeat_interleave(T.tensor([1, 2], dtype=T.uint8)),
    "fftfreq_integral_dtype": lambda T: T.fft.fftfreq(3, dtype=T.int64),
    "rfftfreq_complex_dtype": lambda T: T.fft.rfftfreq(3, dtype=T.complex64),
    "range_has_no_pin_memory": lambda T: T.range(1, 3, pin_memory=False),
    **{"%s_half" % name: (lambda fn: lambda T: fn(T, T.eye(2, dtype=T.float16)))(fn) for name, fn in (
        ("cholesky_solve", lambda T, a: T.cholesky_solve(a, a)),
        ("cholesky_inverse", lambda T, a: T.cholesky_inverse(a)),
        ("triangular_solve", lambda T, a: T.triangular_solve(a, a)),
        ("ldl_factor", lambda T, a: T.linalg.ldl_factor(a)),
        ("ldl_solve", lambda T, a: T.linalg.ldl_solve(a, T.ones(2, dtype=T.int32), a)))},
    # the dim is wrapped first
    "cumprod_inplace_bool_dim": lambda T: T.tensor([[True]]).expand(3, 2).cumprod_(INT64_MAX),
    "diff_dim_before_prepend": lambda T: T.diff(T.tensor([[1, 2], [3, 4]]), dim=INT64_MAX, prepend=T.tensor([1])),
    "glu_dim_before_dtype": lambda T: T.nn.functional.glu(T.zeros(3, 0, dtype=T.int16), dim=3),
    "stack_dim_before_sizes": lambda T: T.stack([T.ones(0), T.tensor(True)], dim=4),
    "renorm_dim_before_dtype": lambda T: T.zeros(3, 2, 2, dtype=T.uint8).renorm(2, INT64_MIN, 1.),
    "narrow_length_before_dim": lambda T: T.tensor([1, 2]).narrow(5, 0, -1),
    # an empty tensor never reaches the kernel that refuses its dtype
    "softmax_empty_integral": lambda T: (T.softmax(T.zeros(0, dtype=T.int64), 0),
                                         T.log_softmax(T.zeros(0, 2, dtype=T.int16), 1)),
    "random_fills_empty_integral": lambda T: (T.zeros(0, 2, dtype=T.int16).log_normal_(), T.randn(0, dtype=T.int64),
                                              T.randn_like(T.zeros(2, 0, dtype=T.int64)),
                                              T.zeros(0, dtype=T.int64).exponential_()),
    "exponential_empty_lambda_checked": lambda T: T.zeros(0, dtype=T.int64).exponential_(-1),
    # an offset past the matrix is an empty diagonal (NumPy's C long would overflow)
    "diagonal_offset_extremes": lambda T: (T.tensor([[1, 2]]).diag(INT64_MIN), T.tensor([[1, 2]]).diagonal(INT64_MIN),
                                           T.tensor([[1, 2]]).triu(INT64_MIN), T.tensor([[1, 2]]).tril(INT64_MAX)),
    "polygamma_largest_order_backward": lambda T: (lambda x: T.autograd.grad(T.polygamma(INT64_MAX, x), x))(
        T.tensor(-8.3359375, dtype=T.float16, requires_grad=True)),
    "cov_weights_sum_to_zero": lambda T: T.cov(T.ones(2, 3), fweights=T.zeros(3, dtype=T.int64)),
    "cov_empty_weights": lambda T: T.cov(T.zeros(2, 0), fweights=T.zeros(0, dtype=T.int64)),
    **{"%s_dtype_before_length" % name: (lambda name: lambda T: getattr(T, name)(-3, dtype=T.int16))(name)
       for name in ("hann_window", "hamming_window", "bartlett_window", "blackman_window", "kaiser_window")},
    "irfftn_size_before_dtype": lambda T: T.fft.irfftn(T.ones(1, 1, dtype=T.float16)),
    "hfft2_size_before_dtype": lambda T: T.fft.hfft2(T.ones(1, 1, dtype=T.float16)),
    "vecdot_floating_before_same_dtype": lambda T: T.linalg.vecdot(T.tensor(6, dtype=T.uint8), T.ones(2, 0, 3,
                                                                                                      dtype=T.int64)),
    "vecdot_same_dtype": lambda T: T.linalg.vecdot(T.ones(3), T.ones(3, dtype=T.int64)),
    # layer norm's mixed dtypes (CPU): float32 parameters with a reduced-float input only, checked first
    **{"layer_norm_mixed_%s" % name: (lambda args: lambda T: T.nn.functional.layer_norm(
        T.ones(3, dtype=getattr(T, args[0])), [4], *(None if d is None else T.ones(3, dtype=getattr(T, d))
                                                     for d in args[1:])))(args)
       for name, args in (("double_input", ("float64", "float32", "float32")),
                          ("double_weight", ("float32", "float64")), ("half_params", ("float32", "float16", "float16")),
                          ("bias_only", ("float32", None, "float64")),
                          ("bfloat16_bias", ("bfloat16", "float32", "bfloat16")))},
    "fft_empty_batch": lambda T: T.fft.fft(T.zeros(3, 0), dim=0),
    "rfft_empty_batch": lambda T: T.fft.rfft(T.zeros(0, 4)),
    "irfft_empty_batch": lambda T: T.fft.irfft(T.zeros(1, 1, 0, dtype=T.float64), n=3, dim=1),
    "index_put_too_many": lambda T: T.zeros(2).index_put([T.tensor(0), T.tensor(1)], T.tensor(0.0)),
    "gather_dim_before_index_dtype": lambda T: T.ones(2, 3).gather(5, T.ones(1, 1)),
    "gather_empty_float_index": lambda T: T.ones(2, 3).gather(0, T.ones(0, 3)),
    "scatter_empty_float_index": lambda T: T.ones(2, 3).scatter(0, T.ones(0, 3), T.ones(1, 3)),
    "scatter_add_dim_first": lambda T: T.ones(2, 3).scatter_add(5, T.ones(1, 3), T.ones(2, 3)),
    "scatter_reduce_operands_before_reduce": lambda T: T.ones(2).scatter_reduce(0, T.ones(1), T.ones(1), "floor"),
    "take_along_dim_empty_int16_index": lambda T: T.take_along_dim(T.tensor(5, dtype=T.int16),
                                                                   T.zeros(2, 0, dtype=T.int16)),
    "take_along_dim_flattens_by_view": lambda T: T.take_along_dim(T.ones(3, 2).mT, T.tensor([0])),
    "masked_scatter_source_dtype_first": lambda T: T.ones(2).masked_scatter_(T.ones(2, dtype=T.int16),
                                                                              T.ones(2, dtype=T.float64)),
    "masked_scatter_mask_expanded_first": lambda T: T.tensor(1).masked_scatter_(T.ones(1, 2, dtype=T.int32),
                                                                                 T.ones(2, dtype=T.int64)),
    "where_uint8_condition": lambda T: T.where(T.tensor([1, 0], dtype=T.uint8), T.ones(2), T.zeros(2)),
    "where_int8_condition": lambda T: T.where(T.tensor([1, 0], dtype=T.int8), T.ones(2), T.zeros(2)),
    "trace_bool_3d": lambda T: T.trace(T.zeros(1, 0, 0, dtype=T.bool)),
    "addmm_dtypes_before_dims": lambda T: T.addmm(T.ones(2, 2), T.ones(2, dtype=T.int16), T.ones(2)),
    "addmm_self_dtype": lambda T: T.ones(2, 2).addmm(T.ones(2, 2, 1), T.ones(2, 2, dtype=T.int16)),
    "addr__vectors_first": lambda T: T.tensor(0.0).addr_(T.tensor(0.0), T.tensor(0.0)),
    "hardtanh_bool": lambda T: T.nn.functional.hardtanh(T.zeros(2, dtype=T.bool)),
    "relu6_bool": lambda T: T.nn.functional.relu6(T.zeros(2, dtype=T.bool), inplace=True),
    "kl_div_integral": lambda T: T.kl_div(T.ones(2), T.ones(2, dtype=T.int64)),
    "kl_div_complex": lambda T: T.kl_div(T.ones(2, dtype=T.complex64), T.ones(2, dtype=T.complex64)),
    "hinge_embedding_loss_int16": lambda T: T.hinge_embedding_loss(T.tensor([3, 0], dtype=T.int16),
                                                                   T.tensor([-1, 1], dtype=T.int16), 2.7),
    "soft_margin_loss_output_shape": lambda T: T.nn.functional.soft_margin_loss(T.ones(2), T.ones(3, 2)),
    "loss_reduction_minus_one_unreduced": lambda T: T.margin_ranking_loss(T.ones(2), T.zeros(2), T.ones(2), 0.0, -1),
    "poisson_nll_loss_reduction_3": lambda T: T.poisson_nll_loss(T.ones(2), T.ones(2), True, True, 1e-8, 3),
    "binomial_half": lambda T: T.binomial(T.ones(2, dtype=T.float16), T.ones(2, dtype=T.float16)),
    "binomial_shape_before_dtype": lambda T: T.binomial(T.ones(2, dtype=T.float16), T.ones(3)),
    "frobenius_norm_integral": lambda T: T.frobenius_norm(T.ones(2, dtype=T.int16), [0]),
    "frobenius_norm_int_dim": lambda T: T.frobenius_norm(T.tensor(-6.0), INT64_MAX, keepdim=True),
    "ldexp__cast_before_shape": lambda T: T.ones(2, dtype=T.int16).ldexp_(T.ones(3, 2, dtype=T.int16)),
    "igamma__shape_before_dtype": lambda T: T.ones(2, dtype=T.int16).igamma_(T.ones(3, 2, dtype=T.int16)),
    "igamma_broadcast_before_dtype": lambda T: T.igamma(T.ones(2, dtype=T.int16), T.ones(3, dtype=T.int16)),
    "bitwise_and_broadcast_before_dtype": lambda T: T.bitwise_and(T.ones(2), T.ones(3)),
    "searchsorted_sorter_first": lambda T: T.searchsorted(T.ones(1, 1, 2, dtype=T.int16), 1.15,
                                                          sorter=T.tensor(-5, dtype=T.int16)),
    "rsub_bool_alpha": lambda T: T.rsub(T.tensor(0.0, dtype=T.float16), 2.0, alpha=False),
    "vander_half": lambda T: T.linalg.vander(T.ones(2, dtype=T.float16)),
    "mvlgamma_bool": lambda T: T.mvlgamma(T.ones(2, dtype=T.bool), 2),
    "mvlgamma_huge_p": lambda T: T.mvlgamma(T.tensor(3.0), INT64_MAX),
    "arange_size_wraps": lambda T: T.arange(-INT64_MAX * 0.5 + 0.5, 0.5, 0.5),
    "polygamma_huge_n": lambda T: T.polygamma(INT64_MAX, T.tensor([2.0, 0.5])),
    "polygamma_n_wraps_as_c_int": lambda T: T.polygamma(2 ** 32 + 2, T.tensor([2.0, 0.5], dtype=T.float64)),
    "polygamma__cast": lambda T: T.ones(2, dtype=T.int16).polygamma_(INT64_MAX),
    "round_huge_decimals": lambda T: T.round(T.tensor([1.5, 123.4]), decimals=INT64_MIN),
    "round_decimals_past_float_range": lambda T: T.tensor([1.5]).round_(decimals=400),
    "round_half_decimals_5": lambda T: T.round(T.tensor([1.5, 0.123456], dtype=T.float16), decimals=5),
    "pinv_rcond_requires_grad": lambda T: T.linalg.pinv(T.tensor(1.0), T.ones(2, requires_grad=True)),
    "pinv_atol_before_rtol": lambda T: T.linalg.pinv(T.ones(2, 2), atol=T.ones(1, requires_grad=True),
                                                     rtol=T.ones(1, requires_grad=True)),
    "ldl_solve_square_first": lambda T: T.linalg.ldl_solve(T.ones(1, 2), T.zeros(5, dtype=T.int32), T.ones(2, 1)),
    "ldl_solve_b_before_pivots": lambda T: T.linalg.ldl_solve(T.ones(2, 2), T.zeros(5, dtype=T.int32), T.ones(2)),
    "tensorsolve_fewer_dims": lambda T: T.linalg.tensorsolve(T.ones(2), T.ones(2, 2)),
}

# derivatives torch names after the in-place op
GRADS = {
    "floor_divide_": lambda T: _leaf(T).clone().floor_divide_(2).sum().backward(),
    "heaviside_": lambda T: (lambda x: x.clone().heaviside_(x))(_leaf(T)).sum().backward(),
}


@pytest.mark.parametrize("name", sorted(OVERLAP))
def test_inplace_overlap(name: str) -> None:
    check(lambda T: OVERLAP[name](T), [], grad=False)


@pytest.mark.parametrize("name", sorted(LEAF_FIRST))
def test_leaf_refusal_comes_first(name: str) -> None:
    check(lambda T: LEAF_FIRST[name](T), [], grad=False)


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_checks_in_torch_order(name: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (where's uint8 warning: test_warnings_once)
        check(lambda T: CHECKS[name](T), [])


@pytest.mark.parametrize("name", sorted(GRADS))
def test_inplace_derivative_names(name: str) -> None:
    check(lambda T: GRADS[name](T), [], grad=False)


def test_where_uint8_condition_gradient() -> None:
    values = [np.arange(3, dtype=np.float64), np.arange(3, dtype=np.float64) + 5]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check(lambda T, x, y: T.where(T.tensor([1, 0, 3], dtype=T.uint8), x, y), values, second_order=True)


# torch's warnings: the text with its "Triggered internally" suffix, emitted where torch emits them; those torch
# emits once per process (TORCH_WARN_ONCE) under warn_always here, so that the test does not depend on its order
WARNINGS = {
    "cov_dof": lambda T: T.cov(T.tensor(3.0)),
    "corrcoef_dof": lambda T: T.corrcoef(T.tensor(3.0)),
    "cross_without_dim": lambda T: T.cross(T.ones(3), T.ones(3)),
    "index_reduce_beta": lambda T: T.index_reduce(T.zeros(3), 0, T.tensor([0]), T.ones(1), "prod"),
    "index_reduce_refused_first": lambda T: _raises(lambda: T.index_reduce(T.zeros(3), 0, T.tensor([0]), T.ones(1),
                                                                           "floor")),
    "scatter_reduce_src_before_checks": lambda T: _raises(lambda: T.ones(3).scatter_(5, T.tensor([0]), T.ones(1),
                                                                                     reduce="add")),
    "where_uint8": lambda T: T.where(T.tensor([1, 0], dtype=T.uint8), T.ones(2), T.zeros(2)),
}
ONCE = ("cross_without_dim", "index_reduce_beta", "scatter_reduce_src_before_checks", "where_uint8")


def _raises(fn: Callable) -> None:
    with pytest.raises((RuntimeError, IndexError)):
        fn()


@pytest.mark.parametrize("name", sorted(WARNINGS))
def test_torch_warnings(name: str) -> None:
    always = [T.is_warn_always_enabled() for T in LIBS]
    for T in LIBS:
        T.set_warn_always(True)
    try:
        assert_same_warnings(WARNINGS[name])
    finally:
        for T, was in zip(LIBS, always):
            T.set_warn_always(was)


@pytest.mark.parametrize("name", ONCE)
def test_warnings_once(name: str) -> None:
    """Without warn_always, a second call warns no more (the first may have been used up by another test)."""
    def twice(T: Any) -> None:
        WARNINGS[name](T)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            WARNINGS[name](T)
        assert not caught, "%s warned again: %s" % (T.__name__, caught[0].message)
    for T in LIBS:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            twice(T)


def test_masked_scatter_uint8_mask_warns_every_time_before_the_refusal() -> None:
    """torch's TORCH_WARN (not once) for a uint8 mask, then its kernel's refusal of any mask but bool."""
    def scatter(T: Any) -> None:
        _raises(lambda: T.masked_scatter(T.tensor(6, dtype=T.uint8), T.tensor(9, dtype=T.uint8),
                                         T.tensor([1], dtype=T.uint8)))
        _raises(lambda: T.tensor([6, 7], dtype=T.uint8).masked_scatter_(T.tensor(9, dtype=T.uint8),
                                                                         T.tensor([1], dtype=T.uint8)))
    assert_same_warnings(scatter)
    assert_same_warnings(scatter)
