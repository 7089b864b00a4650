"""Differences the deep OpInfo run (``HYPOTHESIS_PROFILE=deep`` over ``test_opinfo.py``) found, each as a
differential case that would have caught it; values are compared exactly where torch's kernel is reproduced
bit for bit."""
from __future__ import annotations

from typing import Callable

import numpy as np
import pytest

from harness import check, check_error

EXACT_CASES: dict[str, Callable] = {
    # logspace: the bounds' difference in the dtype, step and exponents in double, libm's pow, one rounding
    # (double to float first for the reduced floats); a single step is the start as given
    "logspace_half": lambda T: T.logspace(0, 2, 4, dtype=T.float16),
    "logspace_bfloat16": lambda T: T.logspace(-2.3, 4.1, 50, dtype=T.bfloat16),
    "logspace_float32": lambda T: T.logspace(0, 3, 101, 7.5),
    "logspace_float64": lambda T: T.logspace(-2.3, 4.1, 50, dtype=T.float64),
    "logspace_one_step_half": lambda T: T.logspace(4.3, -3, 1, dtype=T.float16),
    "logspace_one_step_int": lambda T: T.logspace(2.7, -3, 1, dtype=T.int64),
    "logspace_overflow": lambda T: T.logspace(0, 401, 3, base=-10., dtype=T.float64),
    # isclose of integers: both converted to the default dtype before the difference (no wrapping, and
    # float32's precision: 2**24 + 1 is close to 2**24 within 0.5)
    "isclose_int8_wraps_not": lambda T: T.isclose(T.tensor([-128, -128, 0], dtype=T.int8),
                                                  T.tensor([127, -127, -1], dtype=T.int8), rtol=0, atol=1),
    # sub is add with -alpha (rsub too, its operands swapped): -alpha is the number the dtype must hold
    "rsub_uint8_negative_alpha": lambda T: T.rsub(T.tensor([5, 6], dtype=T.uint8), T.tensor([1, 200], dtype=T.uint8),
                                                  alpha=-3),
    "rsub_uint8_scalar_negative_alpha": lambda T: T.rsub(T.tensor([5, 6], dtype=T.uint8), 2, alpha=-255),
    "sub_int8_alpha_128": lambda T: T.sub(T.tensor([5, 6], dtype=T.int8), T.tensor([1, 20], dtype=T.int8), alpha=128),
    "index_add_uint8_negative_alpha": lambda T: T.tensor(7, dtype=T.uint8).index_add(
        0, T.tensor([0]), T.tensor(3, dtype=T.uint8), alpha=-1),
    # bools' amin/amax start a scattered-to position from True/False when include_self=False
    "scatter_reduce_bool_amin": lambda T: T.tensor([True, False, True]).scatter_reduce(
        0, T.tensor([0, 1, 1]), T.tensor([False, True, False]), "amin", include_self=False),
    "scatter_reduce_bool_amax": lambda T: T.tensor([True, False, True]).scatter_reduce(
        0, T.tensor([0, 1, 1]), T.tensor([False, True, False]), "amax", include_self=False),
    # unique along a dim of an empty tensor: empty along that dim only
    "unique_consecutive_empty_dim": lambda T: T.unique_consecutive(T.ones(5, 0, 5), dim=1, return_inverse=True,
                                                                   return_counts=True),
    "unique_empty_dim": lambda T: T.unique(T.ones(0, 3), dim=0, return_counts=True),
    # float16 products of empty tensors (torch's ordered float16 kernel), tensordot's broadcast dims summed in
    # the operands' dtype, an LDL solve of 0 x 0 matrices
    "prod_half_empty": lambda T: T.prod(T.ones(0, dtype=T.float16)),
    "prod_half_empty_dim": lambda T: (T.prod(T.ones(0, 3, dtype=T.float16), 0), T.ones(3, 0, dtype=T.float16).prod(0)),
    "tensordot_uint8_broadcast_dims": lambda T: T.tensordot(T.ones(2, 1, 3, dtype=T.uint8) * 200,
                                                            T.ones(1, 3, 2, dtype=T.uint8), dims=((1, 2), (0, 1))),
    "ldl_solve_empty": lambda T: T.linalg.ldl_solve(T.zeros(0, 0), T.zeros(0, dtype=T.int32), T.zeros(0, 5)),
    "isclose_uint8": lambda T: T.isclose(T.tensor([0, 255], dtype=T.uint8), T.tensor([255, 0], dtype=T.uint8),
                                         atol=1),
    "isclose_int64_in_float32": lambda T: T.isclose(T.tensor([2 ** 24 + 1, 2 ** 62]), T.tensor([2 ** 24, -2 ** 62]),
                                                    rtol=0, atol=0.5),
}


@pytest.mark.parametrize("name", sorted(EXACT_CASES))
def test_exact_as_torch(name: str) -> None:
    check(lambda T: EXACT_CASES[name](T), [], grad=False, rtol=0, atol=0)


VALUE_CASES: dict[str, Callable] = {
    # Hurwitz zeta of a q far below 0: the sum runs (in order) until past 9, through the pole's neighbours; an
    # enormous s stops the tail at its first negligible term (no inf * 0)
    "zeta_q_far_below_zero": lambda T: T.special.zeta(T.tensor([501., 3., 6., 1e20], dtype=T.float64),
                                                      T.tensor([-13437.7, -20000.5, -3e6 - 0.25, -1001.2],
                                                               dtype=T.float64)),
    "zeta_float32_q_far_below_zero": lambda T: T.special.zeta(T.tensor([501., 4988429., 1e20]),
                                                              T.tensor([-13437.7, -13437.7, -1001.2])),
    # igamma/igammac for a large a with x near a (Temme's expansion; the series and fraction do not converge)
    "igamma_large_a": lambda T: T.igamma(T.tensor([4000., 13437.7, 4988429.2, 1e20, 2e4]),
                                         T.tensor([4000., 13437.7, 4988429.2, 1e20, 2e4 + 500])),
    "igammac_large_a_float64": lambda T: T.special.gammaincc(T.tensor([2500., 1e6], dtype=T.float64),
                                                             T.tensor([2600., 1e6 - 3000], dtype=T.float64)),
    # local_response_norm of integers: torch's average pooling of the squares truncates the mean
    "local_response_norm_int_3d": lambda T: T.nn.functional.local_response_norm(
        T.tensor([[[-8, 6, 9], [0, 0, 5], [5, 7, 6], [5, 1, -5], [2, -1, 8], [-4, 0, -6]]]), 2, 3e-5, 0.5, 1.25),
    "local_response_norm_int_4d": lambda T: T.nn.functional.local_response_norm(
        T.arange(24).reshape(1, 6, 2, 2) - 7, 3),
}


@pytest.mark.parametrize("name", sorted(VALUE_CASES))
def test_value_as_torch(name: str) -> None:
    check(lambda T: VALUE_CASES[name](T), [], grad=False)


GRAD_CASES: dict[str, tuple[Callable, list]] = {
    # an empty batch of packed LU factors unpacks and differentiates (only unpack_data=False refuses)
    "lu_unpack_empty_batch": (lambda T, lu: T.lu_unpack(lu, T.zeros(0, 3, dtype=T.int32))[1:],
                              [np.zeros((0, 3, 5), np.float32)]),
    # solving with a 0 x 0 LU factor: no pivots to apply
    "lu_solve_empty": (lambda T, b, lu: T.linalg.lu_solve(lu, T.zeros(0, dtype=T.int32), b),
                       [np.zeros((0, 4), np.float32), np.zeros((0, 0), np.float32)]),
    "linalg_lu_solve_empty_batch": (lambda T, lu, b: T.linalg.lu_solve(lu, T.zeros(2, 0, dtype=T.int32), b),
                                    [np.zeros((2, 0, 0)), np.zeros((2, 0, 3))]),
    # an empty index: torch checks neither its dtype nor its number of dims, and writes nothing
    "gather_empty_index_more_dims": (lambda T, x: T.gather(x, 0, T.zeros(2, 0, dtype=T.uint8)), [np.ones(5)]),
    "scatter_add_empty_index": (lambda T, x, src: x.scatter_add(0, T.zeros(2, 0, dtype=T.int64), src),
                                [np.ones(3), np.ones((1, 1, 1))]),
    "scatter_reduce_empty_index": (lambda T, x, src: x.scatter_reduce(0, T.zeros(2, 0, dtype=T.int64), src, "amax",
                                                                      include_self=False),
                                   [np.ones(3), np.ones((2, 2))]),
    # ormqr without reflectors: no gradient for the factors, C's is an ormqr (differentiable again)
    "ormqr_no_reflector": (lambda T, a, tau, c: T.ormqr(a, tau, c, True, True),
                           [np.zeros((5, 0)), np.zeros(0), np.ones((5, 3))]),
    "ormqr_empty_batch": (lambda T, a, tau, c: T.ormqr(a, tau, c, False, False),
                          [np.zeros((0, 5, 5)), np.zeros((0, 5)), np.zeros((0, 2, 5))]),
    "ormqr_right_transpose": (lambda T, a, tau, c: T.ormqr(a, tau, c, False, True),
                              [np.arange(12.).reshape(4, 3) / 7, np.array([1.2, 0.5, 1.9]),
                               np.arange(8.).reshape(2, 4) - 3]),
    # mish's gradient as torch's: tanh(log1p(exp(x))), whose own derivative is NaN once exp(x) overflows
    "mish_beyond_exp_overflow": (lambda T, x: T.nn.functional.mish(x), [np.array([-30., 0.5, 100., 800., 1e20])]),
}


@pytest.mark.parametrize("name", sorted(GRAD_CASES))
def test_gradient_as_torch(name: str) -> None:
    fn, values = GRAD_CASES[name]
    second_order = all(v.dtype == np.float64 for v in values)
    check(fn, values, grad=True, second_order=second_order)


ERROR_CASES: dict[str, Callable] = {
    # aminmax's out= must have the result's dtype (min's checked first), not one it can be cast to
    "aminmax_out_max_double": lambda T: T.aminmax(T.ones(4, 4), dim=0, out=(T.empty(4), T.empty(4, dtype=T.float64))),
    "aminmax_out_both_wrong": lambda T: T.ones(3).aminmax(out=(T.empty((), dtype=T.int64), T.empty((), dtype=T.int32))),
    "rsub_uint8_alpha_beyond": lambda T: T.rsub(T.tensor([5], dtype=T.uint8), T.tensor([1], dtype=T.uint8),
                                                alpha=-256),
    "sub_int8_alpha_minus_128": lambda T: T.ones(2, dtype=T.int8).sub_(T.ones(2, dtype=T.int8), alpha=-128),
    "index_add_uint8_alpha_beyond": lambda T: T.tensor(7, dtype=T.uint8).index_add(
        0, T.tensor([0]), T.tensor(3, dtype=T.uint8), alpha=-256),
    "unique_consecutive_empty_other_dim": lambda T: T.unique_consecutive(T.ones(0, 3), dim=1),
    "unique_empty_other_dim": lambda T: T.ones(2, 0).unique(dim=0),
    # amax/amin's out= must have the input's dtype, in their own words
    "amax_out_int": lambda T: T.amax(T.ones(3, 3), 0, out=T.empty(3, dtype=T.int32)),
    "amin_out_double": lambda T: T.ones(3, 3, dtype=T.int64).amin(out=T.empty((), dtype=T.float64)),
    # multinomial with replacement checks each entry in turn, >= 0 first (which NaN fails), then isinf
    "multinomial_nan_entry": lambda T: T.multinomial(T.tensor([1., 1., float("nan")]), 2, replacement=True),
    "multinomial_inf_before_negative": lambda T: T.multinomial(T.tensor([1., float("inf"), -1.]), 2, True),
    # local_response_norm of bools and complex numbers: the average pooling's refusal
    "local_response_norm_bool": lambda T: T.nn.functional.local_response_norm(T.ones(1, 6, 2, dtype=T.bool), 3),
    "local_response_norm_complex_4d": lambda T: T.nn.LocalResponseNorm(3)(T.ones(1, 6, 2, 2, dtype=T.complex64)),
}


@pytest.mark.parametrize("name", sorted(ERROR_CASES))
def test_error_as_torch(name: str) -> None:
    check_error(lambda T: ERROR_CASES[name](T))
