"""torch's argument checks, their order and messages, and its warnings (issue 10, deep sweeps 2 and 3), one table
per class of fix, each case run under torch and minitorch:

- sizes read torch's way: ``size(dim)`` of a 0-d tensor names the dim ("Dimension specified as ..."), a wrapped
  dim names the range; and the order in which torch reads them (the RNN cells read the weights' sizes first, an
  LSTM the cell state's, a batch-first input is transposed before the parameters are gathered);
- linalg's dtype checks before its shape checks (solve, lu_solve), and the default rtol that pinv's and
  matrix_rank's tolerances read before the factorization's checks;
"""
from __future__ import annotations

import warnings
from typing import Any, Callable

import numpy as np
import pytest
import torch

import minitorch

from harness import assert_same_warnings, check

RNG = np.random.default_rng(7)
TRIL = np.tril(RNG.random((3, 3))) + 2 * np.eye(3)
RHS = RNG.random((3, 2))
V = RNG.random((3, 4, 2)) - 0.5


def scalar(T: Any, dtype: str = "float32") -> Any:
    return T.tensor(1, dtype=getattr(T, dtype))


def ones(T: Any, *shape: int, dtype: str = "float32") -> Any:
    return T.ones(shape, dtype=getattr(T, dtype))


SIZES_READ: dict[str, Callable] = {
    # cross reads each input's size(dim) before wrapping dim
    "cross_0d_dim_4": lambda T: scalar(T, "int32").cross(scalar(T, "int32"), dim=4),
    "linalg_cross_0d_dim_minus_2": lambda T: T.linalg.cross(scalar(T), scalar(T), dim=-2),
    "linalg_cross_dim_out_of_range": lambda T: T.linalg.cross(ones(T, 2, 3), ones(T, 2, 3), dim=2),
    # the cells: the weights' sizes first (w_ih.size(1), then w_hh.size(1)), then the input's and the states'
    "gru_cell_0d_w_ih": lambda T: T.gru_cell(ones(T, 2), scalar(T), scalar(T), ones(T, 2)),
    "gru_cell_0d_w_hh": lambda T: T.gru_cell(ones(T, 2, 3), ones(T, 2), ones(T, 6, 3), scalar(T)),
    "lstm_cell_0d_w_ih": lambda T: T.lstm_cell(ones(T, 2), [ones(T, 2), ones(T, 2)], scalar(T), ones(T, 2, 2)),
    "rnn_tanh_cell_0d_input": lambda T: T.rnn_tanh_cell(scalar(T), ones(T, 2, 2), ones(T, 2, 3), ones(T, 2, 2)),
    "rnn_relu_cell_1d_hx": lambda T: T.rnn_relu_cell(ones(T, 2, 3), ones(T, 2), ones(T, 2, 3), ones(T, 2, 2)),
    # the layered functionals: an LSTM reads the cell state's size(2) first, then a batch-first input is
    # transposed, then the parameters are counted
    "lstm_0d_h_1d_c": lambda T: T.lstm(ones(T, 3), [scalar(T), ones(T, 3)], [ones(T, 3)] * 3, False, 1, 0.0, True,
                                       False, True),
    "lstm_1d_h_2d_c": lambda T: T.lstm(ones(T, 3), [ones(T, 2), ones(T, 3, 3)], [ones(T, 3)] * 3, False, 1, 0.0,
                                       True, False, True),
    "lstm_0d_h_3d_c": lambda T: T.lstm(ones(T, 3), [scalar(T), ones(T, 1, 1, 2)], [ones(T, 3)], False, 1, 0.0,
                                       True, False, True),
    "gru_batch_first_0d": lambda T: T.gru(scalar(T), scalar(T), [scalar(T)] * 2, True, 4, 0.0, False, False, True),
    "rnn_relu_batch_first_1d": lambda T: T.rnn_relu(ones(T, 3), ones(T, 3), [scalar(T)], False, 1, 0.0, False,
                                                    True, True),
    "rnn_tanh_params_counted_after_transpose": lambda T: T.rnn_tanh(ones(T, 3, 2, 2), ones(T, 3),
                                                                    [ones(T, 2, 1), scalar(T)], True, 3, 0.0,
                                                                    False, False, True),
    "gru_not_batch_first_params_first": lambda T: T.gru(scalar(T), scalar(T), [scalar(T)] * 3, True, 1, 0.0,
                                                        False, False, False),
    # repeat_interleave with tensor repeats reads the input's size(dim) unwrapped (a 0-d input has none)
    "repeat_interleave_0d_tensor_repeats": lambda T: T.repeat_interleave(scalar(T), T.tensor(3), dim=0),
    "repeat_interleave_0d_float_repeats": lambda T: T.repeat_interleave(scalar(T, "float64"),
                                                                        scalar(T, "float64"), dim=1),
    "repeat_interleave_0d_two_repeats": lambda T: T.repeat_interleave(scalar(T), T.tensor([3, 1]), dim=0),
    "repeat_interleave_2d_repeats_first": lambda T: T.repeat_interleave(ones(T, 2), ones(T, 2, 2, dtype="int64"),
                                                                        dim=3),
    "repeat_interleave_0d_int_repeats": lambda T: T.repeat_interleave(scalar(T), 3, dim=0),
    "repeat_interleave_0d_flattened": lambda T: T.repeat_interleave(scalar(T), T.tensor(3)),
    # baddbmm: the batches' dims and sizes before their dtypes match
    "baddbmm_2d_batch1_before_dtypes": lambda T: T.baddbmm(scalar(T, "int16"), ones(T, 2, 0, dtype="int16"),
                                                           ones(T, 1, 2, 0)),
    "baddbmm_batch_sizes_before_dtypes": lambda T: T.baddbmm(ones(T, 2, 2, 3), ones(T, 2, 2, 2),
                                                             ones(T, 3, 2, 3, dtype="float64")),
    "baddbmm_batches_dtypes": lambda T: T.baddbmm(ones(T, 2, 2, 3), ones(T, 2, 2, 2),
                                                  ones(T, 2, 2, 3, dtype="float64")),
    "baddbmm_input_dtype_first": lambda T: T.baddbmm(ones(T, 2, 2, 3, dtype="float64"), ones(T, 2, 2, 2),
                                                     ones(T, 2, 2, 3, dtype="float64")),
    # bilinear: all four dtypes first (a float64 bias widened a float32 result)
    "bilinear_dtypes_first": lambda T: T.bilinear(scalar(T, "int16"), ones(T, 2, 0, dtype="int16"), ones(T, 1, 2, 0),
                                                  ones(T, 1, 3, 2, dtype="int16")),
    "bilinear_double_weight": lambda T: T.nn.functional.bilinear(ones(T, 2, 3), ones(T, 2, 4),
                                                                 ones(T, 5, 3, 4, dtype="float64")),
    "bilinear_double_bias": lambda T: T.nn.functional.bilinear(ones(T, 2, 3), ones(T, 2, 4), ones(T, 5, 3, 4),
                                                               ones(T, 5, dtype="float64")),
    "bilinear_0d": lambda T: T.nn.functional.bilinear(scalar(T), scalar(T), scalar(T)),
    # lu_unpack's autograd kernel reads LU's sizes (-1, then -2) first
    "lu_unpack_0d_requires_grad": lambda T: T.lu_unpack(scalar(T, "float16").requires_grad_(), scalar(T)),
    "lu_unpack_1d_requires_grad": lambda T: T.lu_unpack(ones(T, 3).requires_grad_(), scalar(T)),
    "lu_unpack_0d": lambda T: T.lu_unpack(scalar(T, "float16"), scalar(T)),
    # the reflectors' tau: size(-1) of a 0-d tau
    "householder_product_0d_tau": lambda T: T.linalg.householder_product(ones(T, 3, 2), scalar(T)),
    "orgqr_0d_tau": lambda T: ones(T, 1, 3, 3, dtype="float64").orgqr(scalar(T, "float64")),
    "ormqr_0d_tau": lambda T: T.ormqr(ones(T, 3, 2), scalar(T), ones(T, 3, 2)),
    "ormqr_0d_tau_right": lambda T: T.ormqr(ones(T, 3, 2), scalar(T), ones(T, 2, 3), left=False),
}


@pytest.mark.parametrize("name", sorted(SIZES_READ))
def test_sizes_read_as_torch(name: str) -> None:
    check(lambda T: SIZES_READ[name](T), [], grad=False)


LINALG_ORDER: dict[str, Callable] = {
    # solve, solve_ex, lu_solve: the operands' dtypes match before any shape check
    "solve_0d_dtype_first": lambda T: T.linalg.solve(scalar(T, "float64"), ones(T, 2, 1, 3, dtype="int16")),
    "solve_ex_0d_dtype_first": lambda T: T.linalg.solve_ex(scalar(T), ones(T, 3, 3, 3, dtype="float64")),
    "solve_ex_not_square_dtype_first": lambda T: T.linalg.solve_ex(ones(T, 3, 3, 2), ones(T, 3, 3, dtype="int64")),
    "solve_half_float": lambda T: T.linalg.solve(ones(T, 3, 3, dtype="float16"), ones(T, 3, 3)),
    "solve_int_a_first": lambda T: T.linalg.solve(ones(T, 3, 3, dtype="int32"), ones(T, 3, 3, dtype="float16")),
    "lu_solve_0d_dtype_first": lambda T: T.linalg.lu_solve(scalar(T), scalar(T, "uint8"), scalar(T, "int16")),
    "lu_solve_dtype_before_pivots": lambda T: T.linalg.lu_solve(ones(T, 3, 3), ones(T, 3, dtype="int64"),
                                                                ones(T, 3, 3, dtype="float64")),
    "lu_solve_deprecated_method": lambda T: ones(T, 1, dtype="uint8").lu_solve(ones(T, 1, dtype="float64"),
                                                                             scalar(T, "int8")),
    # the float-tolerance overload of pinv computes its default rtol first: the sizes, then the epsilon
    "pinv_atol_0d": lambda T: T.linalg.pinv(scalar(T, "int32"), atol=-0.0),
    "pinv_positive_atol_0d": lambda T: T.linalg.pinv(scalar(T), atol=1.0),
    "pinv_atol_1d": lambda T: T.linalg.pinv(ones(T, 3), atol=0.0),
    "pinv_atol_int": lambda T: T.linalg.pinv(ones(T, 2, 2, dtype="int32"), atol=0.0),
    "pinv_atol_half": lambda T: T.linalg.pinv(ones(T, 2, 2, dtype="float16"), atol=0.0),
    "pinv_rtol_int": lambda T: T.linalg.pinv(ones(T, 2, 2, dtype="int32"), rtol=0.0),
    "pinv_tensor_atol_0d": lambda T: T.linalg.pinv(scalar(T), atol=T.tensor(0.0)),
    # matrix_rank: the default rtol's epsilon when rtol is not given, else the factorization's checks
    "matrix_rank_tol_tensor_int": lambda T: T.linalg.matrix_rank(ones(T, 2, 3, dtype="int8"),
                                                                 ones(T, 2, 1, 3, dtype="int8")),
    "matrix_rank_tol_float_bool": lambda T: T.linalg.matrix_rank(ones(T, 2, 3, dtype="bool"), 0.5),
    "matrix_rank_rtol_int": lambda T: T.linalg.matrix_rank(ones(T, 2, 3, dtype="int8"), rtol=0.5),
    "matrix_rank_atol_int": lambda T: T.linalg.matrix_rank(ones(T, 2, 3, dtype="int8"), atol=T.tensor(0.5)),
    "matrix_rank_default_int": lambda T: T.linalg.matrix_rank(ones(T, 2, 3, dtype="int8")),
    "matrix_rank_tol_half": lambda T: T.linalg.matrix_rank(ones(T, 2, 3, dtype="float16"), ones(T, 3)),
    "matrix_rank_hermitian_int": lambda T: T.linalg.matrix_rank(ones(T, 3, 3, dtype="int8"), ones(T, 3),
                                                                hermitian=True),
    "matrix_rank_hermitian_half": lambda T: T.linalg.matrix_rank(ones(T, 2, 2, dtype="float16"), 0.5,
                                                                 hermitian=True),
    "matrix_rank_hermitian_not_square": lambda T: T.linalg.matrix_rank(ones(T, 2, 3), hermitian=True),
    "matrix_rank_hermitian_bool_not_square": lambda T: T.linalg.matrix_rank(ones(T, 2, 3, dtype="bool"), 0.5,
                                                                            hermitian=True),
    # eig checks the values' finiteness before the shape (eigvals does not)
    "eig_nan_0d": lambda T: T.linalg.eig(T.tensor(float("nan"))),
    "eig_inf_not_square": lambda T: T.linalg.eig(ones(T, 2, 3) * float("inf")),
    "eig_inf_half": lambda T: T.linalg.eig(ones(T, 2, 2, dtype="bfloat16") * float("inf")),
    "eigvals_nan_0d": lambda T: T.linalg.eigvals(T.tensor(float("nan"))),
    # solve_triangular: the shapes, the batch broadcast, then the kernel's dtype (A's: the result is allocated as A)
    "solve_triangular_half_shapes_first": lambda T: T.linalg.solve_triangular(
        ones(T, 1, 2, 2, dtype="float16"), ones(T, 3, 2, 1, dtype="uint8"), upper=False, left=False),
    "solve_triangular_half": lambda T: T.linalg.solve_triangular(ones(T, 2, 2, dtype="float16"), ones(T, 2, 1),
                                                                 upper=False),
    "solve_triangular_bfloat16": lambda T: T.linalg.solve_triangular(ones(T, 2, 2, dtype="bfloat16"),
                                                                     ones(T, 2, 1, dtype="bfloat16"), upper=True),
    "solve_triangular_half_batch": lambda T: T.linalg.solve_triangular(ones(T, 2, 2, 2, dtype="float16"),
                                                                       ones(T, 3, 2, 3, dtype="float16"), upper=False),
    "solve_triangular_int_shapes_first": lambda T: T.linalg.solve_triangular(ones(T, 2, 2, dtype="int32"),
                                                                             ones(T, 3, 1, dtype="int32"), upper=False),
    "solve_triangular_int_a": lambda T: T.linalg.solve_triangular(ones(T, 2, 2, dtype="int32"),
                                                                  ones(T, 2, 1, dtype="float16"), upper=False),
    "solve_triangular_bool_a": lambda T: T.linalg.solve_triangular(ones(T, 2, 2, dtype="bool"), ones(T, 2, 1),
                                                                   upper=False),
    # tensorinv slices the sizes at ind unchecked
    "tensorinv_0d": lambda T: T.linalg.tensorinv(scalar(T, "uint8")),
    "tensorinv_1d": lambda T: T.linalg.tensorinv(ones(T, 3, dtype="int16")),
    "tensorinv_ind_past_end": lambda T: T.linalg.tensorinv(ones(T, 2, 2, 2), ind=5),
    # the spectral matrix norms refuse the reduced floats before reading dim
    "matrix_norm_nuc_half": lambda T: T.linalg.matrix_norm(ones(T, 2, 2, dtype="float16"), "nuc"),
    "matrix_norm_2_bfloat16": lambda T: T.linalg.matrix_norm(ones(T, 2, 2, dtype="bfloat16"), -2),
    "matrix_norm_nuc_half_bad_dim": lambda T: T.linalg.matrix_norm(ones(T, 2, 2, dtype="float16"), "nuc", (0, 5)),
    "matrix_norm_nuc_half_dtype": lambda T: T.linalg.matrix_norm(ones(T, 2, 2, dtype="float16"), "nuc",
                                                                 dtype=T.float32),
    "linalg_norm_2_half": lambda T: T.linalg.norm(ones(T, 2, 2, dtype="float16"), 2),
    "nuclear_norm_half_bad_dim": lambda T: T.nuclear_norm(ones(T, 2, 1, 0, dtype="float16"), 4),
    "nuclear_norm_half_three_dims": lambda T: T.nuclear_norm(ones(T, 2, 2, dtype="float16"), [0, 1, 2]),
    "nuclear_norm_int_three_dims": lambda T: T.nuclear_norm(ones(T, 2, 2, dtype="int32"), [0, 1, 2]),
    "nuclear_norm_1d_three_dims": lambda T: T.nuclear_norm(ones(T, 2), [0, 1, 2]),
    "nuclear_norm_three_dims": lambda T: T.nuclear_norm(ones(T, 2, 2), [0, 1, 2]),
    # the deprecated torch.cholesky: no floating check, its kernel's refusal
    "cholesky_bool": lambda T: T.cholesky(ones(T, 2, 2, 2, dtype="bool")),
    "cholesky_int": lambda T: T.cholesky(ones(T, 2, 2, dtype="int32")),
    "cholesky_int_not_square": lambda T: T.cholesky(ones(T, 2, 3, dtype="int32")),
}


@pytest.mark.parametrize("name", sorted(LINALG_ORDER))
def test_linalg_order_of_checks(name: str) -> None:
    check(lambda T: LINALG_ORDER[name](T), [], grad=False)


NN_CHECKS: dict[str, Callable] = {
    # prelu: the dtypes match before the shapes are read
    "prelu_0d_dtypes": lambda T: T.prelu(scalar(T, "int64"), ones(T, 1, 3, 1, dtype="int32")),
    "prelu_channels_dtypes": lambda T: T.prelu(ones(T, 2, 3), ones(T, 2, dtype="float64")),
    "prelu_method_empty": lambda T: ones(T, 3, 0, 2, dtype="int16").prelu(ones(T, 3, 2, 2, dtype="uint8")),
    "prelu_functional": lambda T: T.nn.functional.prelu(scalar(T, "int16"), ones(T, 2, dtype="float64")),
    # cosine_similarity: eps non-negative (NaN refused), after the dtype, before the shapes
    "cosine_similarity_negative_eps": lambda T: T.cosine_similarity(ones(T, 2, 3), ones(T, 2, 3), eps=-0.5),
    "cosine_similarity_eps_before_shapes": lambda T: T.cosine_similarity(ones(T, 2, 3), ones(T, 4, 3), eps=-1e-300),
    "cosine_similarity_eps_before_dim": lambda T: T.cosine_similarity(scalar(T, "float16"), ones(T, 3), eps=-2.0733),
    "cosine_similarity_nan_eps": lambda T: T.cosine_similarity(ones(T, 2, 3), ones(T, 2, 3), eps=float("nan")),
    "cosine_similarity_int_eps": lambda T: T.nn.functional.cosine_similarity(ones(T, 2, 3), ones(T, 2, 3), eps=-1),
    "cosine_similarity_module": lambda T: T.nn.CosineSimilarity(eps=-123456789.0)(ones(T, 2, 3), ones(T, 2, 3)),
    "cosine_similarity_int_before_eps": lambda T: T.cosine_similarity(ones(T, 2, dtype="int32"),
                                                                      ones(T, 2, dtype="int32"), eps=-1.0),
    "cosine_similarity_zero_eps": lambda T: T.cosine_similarity(ones(T, 2, 3), ones(T, 2, 3), eps=-0.0),
    # trapezoid's Scalar dx: a bool or a complex refused (trapz's double takes a bool as 1.0)
    "trapezoid_bool_dx": lambda T: T.trapezoid(ones(T, 1, 2, 2, dtype="int16"), dx=False),
    "trapezoid_complex_dx": lambda T: T.trapezoid(ones(T, 3), dx=1j),
    "trapezoid_0d_dim_first": lambda T: T.trapezoid(scalar(T), dx=False),
    "trapezoid_empty_before_dx": lambda T: T.trapezoid(ones(T, 2, 0), dx=True),
    "trapezoid_bool_y_before_dx": lambda T: T.trapezoid(ones(T, 3, dtype="bool"), dx=False),
    "trapz_bool_dx": lambda T: T.trapz(ones(T, 3), dx=True),
    "cumulative_trapezoid_bool_dx": lambda T: T.cumulative_trapezoid(scalar(T, "float16"), dx=False),
    "cumulative_trapezoid_complex_dx": lambda T: T.cumulative_trapezoid(ones(T, 3), dx=1j),
    "cumulative_trapezoid_int_dx": lambda T: T.cumulative_trapezoid(ones(T, 3), dx=2),
    # with sample points, a bool x or y is named as either
    "trapezoid_bool_y_x": lambda T: T.trapezoid(ones(T, 1, 1, dtype="bool"), ones(T, 1, dtype="uint8")),
    "trapezoid_bool_x": lambda T: T.trapezoid(ones(T, 1, 1, dtype="uint8"), ones(T, 1, dtype="bool")),
    "trapz_bool_y_x": lambda T: T.trapz(ones(T, 3, dtype="bool"), ones(T, 3)),
    "cumulative_trapezoid_bool_y_x": lambda T: T.cumulative_trapezoid(ones(T, 1, 1, dtype="bool"),
                                                                      ones(T, 1, dtype="uint8")),
    # the argument checks' type names: torch.<X>Tensor for the legacy classes, CPU<X>Type for the others
    "embedding_renorm_bool_indices": lambda T: T.embedding_renorm_(ones(T, 1, 1, dtype="bool").t(),
                                                                   T.tensor(False), -2.4, 5e-324),
    "embedding_renorm_uint16_indices": lambda T: T.embedding_renorm_(ones(T, 2, 2), ones(T, 1, dtype="uint16"),
                                                                     1.0, 2.0),
    "embedding_renorm_half_indices": lambda T: T.embedding_renorm_(ones(T, 2, 2), ones(T, 1, dtype="float16"),
                                                                   1.0, 2.0),
    "embedding_bool_indices": lambda T: T.nn.functional.embedding(T.tensor([True]), ones(T, 2, 2)),
    "embedding_bag_complex_weight": lambda T: T.nn.functional.embedding_bag(T.tensor([1]),
                                                                            ones(T, 2, 2, dtype="complex64"),
                                                                            T.tensor([0])),
    "embedding_bag_per_sample_weights_type": lambda T: T.nn.functional.embedding_bag(
        T.tensor([1]), ones(T, 2, 2, dtype="bfloat16"), T.tensor([0]), per_sample_weights=ones(T, 1), mode="sum"),
    # F.embedding's and F.embedding_bag's max_norm run embedding_renorm_'s checks
    "embedding_max_norm_bool_indices": lambda T: T.nn.functional.embedding(T.tensor([True]), ones(T, 2, 2),
                                                                           max_norm=1.0),
    "embedding_max_norm_index_out_of_range": lambda T: T.nn.functional.embedding(T.tensor([5]), ones(T, 2, 2),
                                                                                 max_norm=1.0),
    "embedding_max_norm_int_weight": lambda T: T.nn.functional.embedding(T.tensor([1]), ones(T, 2, 2, dtype="int32"),
                                                                         max_norm=1.0),
    "embedding_bag_max_norm_bool_indices": lambda T: T.nn.functional.embedding_bag(T.tensor([True]), ones(T, 2, 2),
                                                                                   T.tensor([0]), max_norm=1.0),
    "embedding_renorm_negative_index": lambda T: T.embedding_renorm_(ones(T, 3, 2) * 3, T.tensor([-1, 0]), 1.0, 2.0),
    "embedding_max_norm_repeated": lambda T: T.nn.functional.embedding(T.tensor([0, 1, 1]), ones(T, 3, 2) * 3,
                                                                       max_norm=1.0),
    # normal(Tensor mean, double std=1): std may be left out; the kernel refuses non-floating means
    "normal_uint8_mean": lambda T: T.normal(scalar(T, "uint8")),
    "normal_bool_mean_std": lambda T: T.normal(T.tensor([True]), 1.0),
    "normal_mean_only_shape": lambda T: T.normal(ones(T, 2, dtype="float16")).shape,
    "normal_complex_mean_dtype": lambda T: T.normal(ones(T, 2, dtype="complex64")).dtype,
    # margin_ranking_loss takes input1 - input2 before negating target
    "margin_ranking_loss_bool_inputs": lambda T: T.margin_ranking_loss(T.tensor(False), T.tensor(False),
                                                                       T.tensor(True)),
    "margin_ranking_loss_bool_input1": lambda T: T.margin_ranking_loss(T.tensor([True]), T.tensor([2.0]),
                                                                       T.tensor([True])),
    "margin_ranking_loss_bool_target": lambda T: T.margin_ranking_loss(T.tensor([1.0]), T.tensor([2.0]),
                                                                       T.tensor([True])),
    # diff: prepend's and append's sizes off the differencing dim
    "diff_prepend_sizes": lambda T: ones(T, 3, 2, dtype="float64").diff(prepend=ones(T, 1, 2, dtype="float64"), dim=1),
    "diff_append_sizes_transposed": lambda T: T.diff(ones(T, 3, 2).t(), append=ones(T, 1, 2)),
    "diff_append_after_prepend": lambda T: ones(T, 3, 2).diff(prepend=ones(T, 3, 5), append=ones(T, 2, 1), dim=1),
    "diff_prepend_dims": lambda T: ones(T, 3, 2).diff(prepend=ones(T, 2), dim=1),
    # F.batch_norm's Python checks are its own: torch.batch_norm and instance_norm have none of them
    "batch_norm_one_value_per_channel": lambda T: T.batch_norm(T.arange(2.0).reshape(1, 2), None, None, None, None,
                                                               True, 0.5, 1e-5, True),
    "batch_norm_negative_eps_eval": lambda T: T.batch_norm(T.arange(6.0).reshape(3, 2), ones(T, 2), T.zeros(2), None,
                                                           None, False, 0.5, -1.0, True),
    "instance_norm_negative_eps": lambda T: T.instance_norm(T.arange(6.0).reshape(1, 2, 3), None, None, None, None,
                                                            True, 0.5, -1.0, True),
    "instance_norm_running_var_before_eps": lambda T: T.instance_norm(
        T.zeros(3, 1, 3), None, None, T.ones(1), T.ones(3, dtype=T.int64), True, 0.5, float("-inf"), True),
    "functional_instance_norm_negative_eps": lambda T: T.nn.functional.instance_norm(T.arange(6.0).reshape(1, 2, 3),
                                                                                     eps=-1.0),
    "functional_batch_norm_negative_eps": lambda T: T.nn.functional.batch_norm(T.arange(6.0).reshape(3, 2),
                                                                               T.zeros(2), ones(T, 2), eps=-1.0),
    "functional_batch_norm_one_value": lambda T: T.nn.functional.batch_norm(T.arange(2.0).reshape(1, 2), None, None,
                                                                            training=True),
    # norm_except_dim calls ATen's norm: its dtype message and its node names
    "norm_except_dim_bool": lambda T: T.norm_except_dim(ones(T, 3, dtype="bool"), pow=-2 ** 63),
    "norm_except_dim_int_dim_0": lambda T: T.norm_except_dim(ones(T, 3, dtype="int32"), 2, 0),
    "norm_except_dim_int_last": lambda T: T.norm_except_dim(ones(T, 3, 2, dtype="int32"), 3, 1),
    "norm_except_dim_int_bad_dim": lambda T: T.norm_except_dim(ones(T, 3, 2, dtype="int32"), 3, 5),
    "frobenius_norm_int": lambda T: T.frobenius_norm(ones(T, 3, 2, dtype="int32"), [1]),
}


@pytest.mark.parametrize("name", sorted(NN_CHECKS))
def test_nn_argument_checks(name: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (frobenius_norm's deprecation, tested elsewhere)
        check(lambda T: NN_CHECKS[name](T), [], grad=False)


def _byte_index(T: Any, x: Any) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (the deprecation, compared in test_byte_mask_warns)
        return x[T.tensor([1, 0, 1], dtype=T.uint8)]


INDEX_PUT: dict[str, Callable] = {
    # the masks' shapes (a dim past the end read as size(dim)), the indices' broadcast, then the value's shape
    # against the indexing result's, then the dtypes, and the indices' bounds last
    "mask_more_dims": lambda T: T.index_put_(ones(T, 3, 3, dtype="int32"), [ones(T, 0, 0, 2, dtype="bool"),
                                                                            ones(T, 0, 2, dtype="int32")],
                                             scalar(T, "int32"), accumulate=True),
    "mask_method": lambda T: T.tensor([[7]], dtype=T.int8).index_put_([ones(T, 3, 0, 1, dtype="bool")],
                                                                      ones(T, 3, dtype="int8")),
    "mask_past_the_end": lambda T: T.zeros(3, 3).index_put_([ones(T, 3, 3, 1, dtype="bool")], T.tensor([5.5])),
    "value_shape_before_bounds": lambda T: T.zeros(0, 0, 3, dtype=T.int64).index_put(
        [T.tensor(4), ones(T, 0, 3, dtype="bool")], ones(T, 0, 3, dtype="int64")),
    "value_shape_before_dtype": lambda T: T.zeros(0, dtype=T.int16).index_put([ones(T, 0, dtype="bool")],
                                                                              ones(T, 2, dtype="int8")),
    "value_shape_0d_index": lambda T: T.tensor([3, 4, 2], dtype=T.int16).index_put_([T.tensor(-9, dtype=T.int32)],
                                                                                    ones(T, 3, dtype="int16")),
    "value_shape_rows": lambda T: T.zeros(3, 3).index_put_([T.tensor([0, 5])], ones(T, 4)),
    "bounds_last": lambda T: T.zeros(3, 3).index_put_([T.tensor([0, 5])], T.tensor([5.5])),
    "dtype_int_indices": lambda T: T.zeros(3, dtype=T.int16).index_put_([T.tensor([0, 2])], T.tensor([5.5])),
    "dtype_accumulate_mask": lambda T: T.zeros(3, dtype=T.int16).index_put_([T.tensor([True, False, True])],
                                                                           T.tensor([5.5]), accumulate=True),
    # one value through a single mask is masked_fill_: converted to the dtype (with its overflow check)
    "mask_fill_converts": lambda T: T.zeros(3, dtype=T.int16).index_put_([T.tensor([True, False, True])],
                                                                        T.tensor(5, dtype=T.int8)),
    "mask_fill_float_into_int": lambda T: T.zeros(3, dtype=T.int16).index_put_([T.tensor([True, False, True])],
                                                                              T.tensor([5.5])),
    "mask_fill_overflow": lambda T: T.zeros(3, dtype=T.uint8).index_put_([T.tensor([True, False, True])],
                                                                        T.tensor(500)),
    "setitem_non_adjacent_result": lambda T: _setitem(T.zeros(3, 4, 5), (T.tensor([0, 1]), slice(None),
                                                                         T.tensor([[1], [2]])), T.ones(3)),
    "setitem_non_adjacent_values": lambda T: _setitem(T.zeros(3, 4, 5), (T.tensor([0, 1]), slice(None),
                                                                         T.tensor([[1], [2]])), T.arange(4.0)),
    "setitem_leading_ones": lambda T: _setitem(T.zeros(3, 4, 5), (T.tensor([0, 1]), slice(None),
                                                                  T.tensor([[1], [2]])), T.ones(1, 1, 2, 1, 4)),
    # a uint8 index is a mask (deprecated), not indices
    "byte_mask_getitem": lambda T: _byte_index(T, T.arange(3.0)),
    "byte_mask_rows": lambda T: _byte_index(T, T.arange(6.0).reshape(3, 2)),
    # index_copy: the index's dtype before the counts; a 0-d source takes one index
    "index_copy_dtype_first": lambda T: T.index_copy(scalar(T, "float64"), -1, T.tensor([1.0], dtype=T.float64),
                                                     ones(T, 2, dtype="float64")),
    "index_copy_float_index": lambda T: T.index_copy(ones(T, 3), 0, T.tensor([1.0]), ones(T, 2)),
    "index_copy_scalar_source": lambda T: T.index_copy(ones(T, 3), 0, T.tensor([0, 1]), scalar(T)),
    "index_copy_count_after_slices": lambda T: T.index_copy(ones(T, 3, 2), 0, T.tensor([0, 1]), ones(T, 3, 2)),
    "index_copy_slices_first": lambda T: T.index_copy(ones(T, 3, 2), 0, T.tensor([0, 1]), ones(T, 3, 3)),
}


def _signs(T: Any) -> Any:
    return T.tensor([1.0, -1.0, 1.0], dtype=T.float64)[:, None, None]


def _byte_put(T: Any, a: Any, v: Any) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (the deprecation, compared in test_byte_mask_warns)
        return T.index_put(a, [T.tensor([1, 0, 1], dtype=T.uint8)], v)


HISTOGRAM: dict[str, Callable] = {
    # torch.histogram is histogramdd of the flattened input: its messages, the data range's dtype refusal
    # ("histogramdd"), then its kernel's ("histogram_cpu", which takes the reduced floats)
    "nan_range": lambda T: T.histogram(T.tensor([[[float("nan")], [10.0]]], dtype=T.float64)),
    "inf_in_data": lambda T: T.histogram(T.tensor([1.0, float("inf")])),
    "nan_range_given": lambda T: T.histogram(T.tensor([1.0, 2.0]), range=(float("nan"), 1.0)),
    "min_above_max": lambda T: T.histogram(T.tensor([1.0, 2.0]), range=(2.0, 1.0)),
    "bins_before_dtype": lambda T: T.histogram(T.tensor([1, 2]), 0),
    "int_data_range": lambda T: T.histogram(T.tensor([1, 2])),
    "int_method": lambda T: T.tensor(3).histogram(range=None),
    "int_weight": lambda T: T.histogram(T.tensor([1, 2]), weight=ones(T, 3)),
    "int_range_given": lambda T: T.histogram(T.tensor([1, 2]), range=(1.0, 2.0)),
    "int_empty": lambda T: T.histogram(ones(T, 0, dtype="int32")),
    "int_edges": lambda T: T.histogram(T.tensor([1, 2]), T.tensor([1, 2])),
    "int_float_edges": lambda T: T.histogram(T.tensor([1, 2]), T.tensor([1.0, 2.0])),
    "half_data_range": lambda T: T.histogram(ones(T, 2, dtype="float16")),
    "half_range_given": lambda T: T.histogram(T.tensor([1.0, 2.0], dtype=T.float16), range=(0.0, 1.0)),
    "bfloat16_edges": lambda T: T.histogram(ones(T, 2, dtype="bfloat16"), T.tensor([0.0, 1.0], dtype=T.bfloat16)),
    "weight_numel": lambda T: T.histogram(T.tensor([1.0, 2.0]), weight=ones(T, 3)),
    "weight_reshaped": lambda T: T.histogram(T.tensor([1.0, 2.0]), weight=ones(T, 2, 1)),
    "weight_dtype": lambda T: T.histogram(T.tensor([1.0, 2.0]), weight=ones(T, 2, dtype="float64")),
    "one_edge": lambda T: T.histogram(T.tensor([1.0, 2.0]), T.tensor([1.0])),
    "density": lambda T: T.histogram(T.tensor([1.0, 2.0, 3.0, 0.5]), 3, density=True),
    "weighted_edges_density": lambda T: T.histogram(T.tensor([1.0, 2.0, 3.0, 0.5]), T.tensor([0.0, 1.0, 2.5, 3.0]),
                                                    weight=T.tensor([1.0, 2.0, 3.0, 4.0]), density=True),
}


@pytest.mark.parametrize("name", sorted(HISTOGRAM))
def test_histogram(name: str) -> None:
    check(lambda T: HISTOGRAM[name](T), [], grad=False)


BROADCASTS: dict[str, Callable] = {
    # the operands' shapes are checked before a kernel refuses a dtype or an argument
    "polar": lambda T: T.polar(ones(T, 2, 1, 3), ones(T, 0, 2, 1)),
    "complex": lambda T: T.complex(ones(T, 2), ones(T, 3)),
    "complex_dtype_before_shapes": lambda T: T.complex(ones(T, 2), ones(T, 3, dtype="float64")),
    "lerp_int_tensor_weight": lambda T: ones(T, 1, 3, 1, dtype="int32").lerp(ones(T, 3, 3, 3, dtype="int32"),
                                                                             ones(T, 2, dtype="int32")),
    "lerp_bool_scalar_weight": lambda T: ones(T, 1, 2, 2, dtype="bool").lerp(ones(T, 3, 2, dtype="bool"), 0.5),
    "lerp_int_kernel": lambda T: ones(T, 2, dtype="int32").lerp(ones(T, 2, dtype="int32"), 0.5),
    "lerp_0d_weight": lambda T: ones(T, 2).lerp(ones(T, 3), T.tensor(0.3, dtype=T.float64)),
    "add_float_alpha_int": lambda T: T.add(ones(T, 3, dtype="int32"), ones(T, 2, dtype="int32"), alpha=0.5),
    "add_inf_alpha_bool": lambda T: T.add(ones(T, 3, 2, 2, dtype="bool"), ones(T, 0, dtype="bool"),
                                          alpha=float("-inf")),
    "add_bool_alpha": lambda T: T.add(ones(T, 3), ones(T, 2), alpha=True),
    "sub_float_alpha_int": lambda T: ones(T, 3, dtype="int32").sub(ones(T, 2, dtype="int32"), alpha=0.5),
    "add_float_alpha_int_same_shapes": lambda T: T.add(ones(T, 3, dtype="int32"), ones(T, 3, dtype="int32"),
                                                       alpha=0.5),
    "add_inplace_float_alpha": lambda T: ones(T, 3, dtype="int32").add_(ones(T, 2, dtype="int32"), alpha=0.5),
    # rsub(input, other) is sub(other, input): other's shape is tensor a
    "rsub": lambda T: T.rsub(ones(T, 3), ones(T, 2)),
    "rsub_float_alpha_int": lambda T: T.rsub(ones(T, 3, dtype="int32"), ones(T, 2, dtype="int32"), alpha=0.5),
    # cov: the weights' dtype before their count
    "cov_aweights_int": lambda T: T.tensor([1.0, 2.0]).cov(aweights=ones(T, 3, dtype="int32")),
    "cov_fweights_float": lambda T: T.tensor([1.0, 2.0]).cov(fweights=ones(T, 3)),
    "cov_fweights_count": lambda T: T.tensor([1.0, 2.0]).cov(fweights=ones(T, 3, dtype="int32")),
    "cov_aweights_bool": lambda T: T.tensor([1.0, 2.0]).cov(aweights=ones(T, 2, dtype="bool")),
    # view_as_complex_copy: the view's checks before its refusal of autograd
    "view_as_complex_copy_last_size": lambda T: T.view_as_complex_copy(ones(T, 1).requires_grad_()),
    "view_as_complex_copy_transposed": lambda T: T.view_as_complex_copy(ones(T, 3, 2).t().requires_grad_()),
    "view_as_complex_copy_stride": lambda T: T.view_as_complex_copy(
        ones(T, 1, 2, 1, dtype="float64").expand(1, 2, 2).requires_grad_()),
    "view_as_complex_copy_grad": lambda T: T.view_as_complex_copy(ones(T, 2).requires_grad_()),
    "view_as_complex_copy": lambda T: T.view_as_complex_copy(ones(T, 3, 2)),
    # div's Scalar is read (int64 or uint64) before its rounding mode
    "div_mode_negative_overflow": lambda T: T.div(ones(T, 2, 3, dtype="float16"), -2 ** 63 - 1, rounding_mode="amax"),
    "div_mode_overflow": lambda T: T.div(ones(T, 2, 3), 2 ** 64, rounding_mode="bad"),
    "div_inplace_mode_overflow": lambda T: ones(T, 2).div_(-2 ** 63 - 1, rounding_mode="x"),
    "div_mode_uint64": lambda T: T.div(ones(T, 2, 3), 2 ** 63, rounding_mode="bad"),
}


@pytest.mark.parametrize("name", sorted(BROADCASTS))
def test_shapes_before_dtypes_and_arguments(name: str) -> None:
    check(lambda T: BROADCASTS[name](T), [], grad=False)


def _complex_half_warned(T: Any, fn: Callable) -> Any:
    always = T.is_warn_always_enabled()
    T.set_warn_always(True)  # (a once-per-process warning: emitted every time, whatever ran before)
    try:
        return fn(T)
    finally:
        T.set_warn_always(always)


# a complex32 result is allocated (torch warns) after the parts' first dtype check, before the others
COMPLEX_HALF: dict[str, Callable] = {
    "complex_bool_part": lambda T: T.complex(scalar(T, "float16"), T.tensor(True)),
    "polar_bool_part": lambda T: T.polar(ones(T, 2, 2, 3, dtype="float16"), ones(T, 2, 2, 3, dtype="bool")),
    "complex_shapes": lambda T: T.complex(ones(T, 2, dtype="float16"), ones(T, 3, dtype="float16")),
    "complex_float_part": lambda T: T.complex(ones(T, 2, dtype="float16"), ones(T, 2)),
    "polar_half": lambda T: T.polar(ones(T, 2, dtype="float16"), ones(T, 2, dtype="float16")),
    "polar_half_shapes": lambda T: T.polar(ones(T, 2, dtype="float16"), ones(T, 3, dtype="float16")),
}


@pytest.mark.parametrize("name", sorted(COMPLEX_HALF))
def test_complex_half_parts(name: str) -> None:
    def fn(T: Any) -> Any:
        return _complex_half_warned(T, COMPLEX_HALF[name])

    def warned(T: Any) -> None:
        try:
            fn(T)
        except (RuntimeError, NotImplementedError):
            pass  # (compared by check)
    check(lambda T: fn(T), [], grad=False)
    assert_same_warnings(warned)


def _every_time(T: Any, fn: Callable) -> Any:
    """``fn(T)`` with torch's once-per-process warnings emitted every time; an error is compared by check."""
    always = T.is_warn_always_enabled()
    T.set_warn_always(True)
    try:
        return fn(T)
    except (RuntimeError, NotImplementedError):
        return None
    finally:
        T.set_warn_always(always)


WARNINGS: dict[str, Callable] = {
    # var/std and their _mean forms: the reduction factor is the input's numel over the output's, 0 when empty
    "var_empty": lambda T: T.zeros(0).var(),
    "var_empty_no_correction": lambda T: T.zeros(0).var(correction=0),
    "var_empty_kept_dim": lambda T: T.zeros(2, 0).var(dim=0),
    "var_empty_reduced_dim": lambda T: T.zeros(2, 0, dtype=T.float16).var(dim=[1]),
    "var_empty_negative_correction": lambda T: T.zeros(0, 2).var(dim=0, correction=-1),
    "var_transposed_empty": lambda T: T.zeros(0, 2).t().var(unbiased=False),
    "std_empty": lambda T: T.zeros(0).std(unbiased=True),
    "std_empty_keepdim": lambda T: T.zeros(3, 0).std(0, keepdim=True),
    "var_mean_empty": lambda T: T.var_mean(T.zeros(1, 0, 2).transpose(0, 1), unbiased=True),
    "std_mean_empty": lambda T: T.std_mean(T.zeros(0)),
    "var_one": lambda T: T.zeros(1).var(),
    "var_correction_equal": lambda T: T.zeros(2, 3).var(dim=1, correction=3),
    "var_correction_below": lambda T: T.zeros(2, 3).var(dim=1, correction=2),
    # searchsorted and bucketize: each non-contiguous operand, after the shape checks
    "searchsorted_boundary": lambda T: T.searchsorted(T.arange(6.0)[::2], T.ones(3)),
    "searchsorted_values": lambda T: T.searchsorted(T.arange(3.0), T.arange(6.0)[::2]),
    "searchsorted_both": lambda T: T.searchsorted(T.arange(6.0)[::2], T.arange(6.0)[::2]),
    "searchsorted_sorter": lambda T: T.searchsorted(T.arange(3.0), T.ones(3), sorter=T.tensor([2, 1, 0, 1, 0, 2])[::2]),
    "searchsorted_scalar": lambda T: T.searchsorted(T.zeros(1).expand(3), 2.0),
    "searchsorted_bool_kernel": lambda T: T.searchsorted(ones(T, 4, dtype="bool")[::2], ones(T, 2, dtype="bool")),
    "searchsorted_shapes_first": lambda T: T.searchsorted(T.ones(2, 3)[:, :2], T.ones(3, 1)),
    "bucketize_both": lambda T: T.bucketize(T.arange(6.0)[::2], T.arange(6.0)[::2]),
    "bucketize_scalar": lambda T: T.bucketize(T.tensor(False), T.zeros(1).expand(3), right=True),
    # where reads a Scalar operand before its condition's dtype (warning or error)
    "where_uint8_scalar_overflow": lambda T: T.tensor(0, dtype=T.uint8).where(T.tensor(3, dtype=T.uint8), -2 ** 63),
    "where_int_condition_scalar_overflow": lambda T: T.where(T.tensor(1, dtype=T.int32), T.tensor(0, dtype=T.uint8),
                                                             -2 ** 63),
    "where_uint8_shapes": lambda T: T.where(T.tensor(1, dtype=T.uint8), ones(T, 2, dtype="uint8"),
                                            ones(T, 3, dtype="uint8")),
    # the random fills' precision warning, with its source line, every time
    "randint_like_precision": lambda T: T.randint_like(ones(T, 2, dtype="float64"), 2 ** 63 - 1).shape,
    "random_precision_from": lambda T: ones(T, 2, dtype="float64").random_(-2 ** 60, 5).shape,
}


@pytest.mark.parametrize("name", sorted(WARNINGS))
def test_warnings(name: str) -> None:
    check(lambda T: _every_time(T, WARNINGS[name]), [], grad=False)
    assert_same_warnings(lambda T: _every_time(T, WARNINGS[name]))


def test_warnings_point_at_the_caller() -> None:
    for T in (torch, minitorch):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            _every_time(T, WARNINGS["searchsorted_both"])
            _every_time(T, WARNINGS["randint_like_precision"])
        assert [w.filename for w in caught] == [__file__] * 3


def _setitem(x: Any, key: Any, value: Any) -> Any:
    x[key] = value
    return x


@pytest.mark.parametrize("name", sorted(INDEX_PUT))
def test_index_put_order_of_checks(name: str) -> None:
    check(lambda T: INDEX_PUT[name](T), [], grad=False)


def test_byte_mask_warns() -> None:
    assert assert_same_warnings(lambda T: T.arange(3.0)[T.tensor([1, 0, 1], dtype=T.uint8)])


# the paths these fixes moved, on real inputs: values, dtypes, grad_fn names, gradients (second order in float64)
GRADS: dict[str, tuple[Callable, list]] = {
    # solve_triangular's result takes A's dtype (B is copied into it): a float32 A with a float64 B is float32
    "solve_triangular_float_a_double_b": (lambda T, a, b: T.linalg.solve_triangular(a.float(), b, upper=False),
                                          [TRIL, RHS]),
    "solve_triangular_double_a_float_b": (lambda T, a, b: T.linalg.solve_triangular(a, b.float(), upper=False),
                                          [TRIL, RHS]),
    "solve_triangular_right_upper": (lambda T, a, b: T.linalg.solve_triangular(a.mT, b.mT, upper=True, left=False),
                                     [TRIL, RHS]),
    "norm_except_dim_all": (lambda T, v: T.norm_except_dim(v, 3, -1), [V]),
    "norm_except_dim_first": (lambda T, v: T.norm_except_dim(v, 1, 0), [V]),
    "norm_except_dim_middle": (lambda T, v: T.norm_except_dim(v, 2, 1), [V]),
    "norm_except_dim_last": (lambda T, v: T.norm_except_dim(v, 2, 2), [V]),
    "weight_norm_middle": (lambda T, v: T._weight_norm(v, T.ones(1, 4, 1, dtype=T.float64), 1), [V]),
    "trapezoid_dx": (lambda T, y: T.trapezoid(y, dx=0.5), [V]),
    "cumulative_trapezoid_int_dx": (lambda T, y: T.cumulative_trapezoid(y, dx=2, dim=1), [V]),
    "index_put_mask_value": (lambda T, a, v: T.index_put(a, [T.tensor([True, False, True])], v),
                             [V[:, :, 0].copy(), np.array(2.5)]),
    "index_put_mask_wider_value": (lambda T, a, v: T.index_put(a.float(), [T.tensor([True, False, True])], v),
                                   [V[:, :, 0].copy(), np.array(2.5)]),
    "index_put_pairs": (lambda T, a, v: T.index_put(a, [T.tensor([0, 2]), T.tensor([1])], v),
                        [V[:, :, 0].copy(), np.array([1.5, 2.5])]),
    "index_put_byte_mask": (lambda T, a, v: _byte_put(T, a, v), [V[:, :, 0].copy(), np.arange(8.0).reshape(2, 4)]),
    "lerp_scalar_weight": (lambda T, a, b: T.lerp(a, b, 0.7), [V, V[::-1].copy()]),
    "lerp_tensor_weight": (lambda T, a, b: T.lerp(a, b, b), [V, V[::-1].copy()]),
    "polar": (lambda T, a, b: T.polar(a.abs(), b), [V, V[::-1].copy()]),
    "add_alpha": (lambda T, a, b: T.add(a, b, alpha=0.5), [V, V[:1].copy()]),
    "rsub_alpha": (lambda T, a, b: T.rsub(a, b, alpha=2), [V, V[:1].copy()]),
    "cov_weights": (lambda T, a: T.cov(a[0], fweights=T.tensor([1, 2, 1, 3]), aweights=T.tensor(
        [0.5, 1.0, 2.0, 1.5], dtype=T.float64)), [V]),
    "margin_ranking_loss": (lambda T, a, b: T.nn.functional.margin_ranking_loss(a, b, _signs(T), margin=0.1),
                            [V, V[::-1].copy()]),
    "diff_prepend_append": (lambda T, a, b: T.diff(a, prepend=b[:, :1], append=b, dim=1), [V, V[::-1].copy()]),
    "repeat_interleave_tensor_repeats": (lambda T, a: T.repeat_interleave(a, T.tensor([1, 2, 0]), dim=0), [V]),
    "cosine_similarity_eps_0": (lambda T, a, b: T.cosine_similarity(a, b, dim=2, eps=0.0), [V, V[::-1].copy()]),
}


@pytest.mark.parametrize("name", sorted(GRADS))
def test_values_and_grads(name: str) -> None:
    fn, values = GRADS[name]
    check(fn, values, grad=True, second_order=True)


def test_solve_triangular_complex_b_into_real_a_warns() -> None:
    def fn(T: Any) -> Any:
        always = T.is_warn_always_enabled()
        T.set_warn_always(True)  # (torch warns once per process: every time, whatever ran before)
        try:
            return T.linalg.solve_triangular(T.eye(2), T.ones(2, 1, dtype=T.complex64), upper=False)
        finally:
            T.set_warn_always(always)
    check(lambda T: fn(T), [], grad=False)
    assert assert_same_warnings(fn)


def test_version_error_names_the_saved_bool_tensor() -> None:
    def fn(T: Any) -> Any:
        x = T.ones(3, requires_grad=True)
        mask = x > 0
        y = T.where(mask, x, 0.0)
        mask.logical_not_()
        y.sum().backward()
    check(lambda T: fn(T), [], grad=False)


def test_frobenius_norm_grad_fn_and_complex_grads() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (the deprecation)
        check(lambda T, x: T.frobenius_norm(x, [1]), [V], grad=True, second_order=True)
        check(lambda T, x: T.frobenius_norm(x * (1 + 2j), [1]), [V], grad=True)


# the paths these fixes moved, on real inputs
VALUES: dict[str, Callable] = {
    "matrix_rank_hermitian": lambda T: T.linalg.matrix_rank(T.eye(3, dtype=T.float64), hermitian=True),
    "matrix_rank_atol": lambda T: T.linalg.matrix_rank(T.eye(3, dtype=T.float64) * 1e-9, atol=1e-3),
    "matrix_rank_default": lambda T: T.linalg.matrix_rank(T.eye(3, dtype=T.float64) * 1e-9),
    "matrix_rank_complex": lambda T: T.linalg.matrix_rank(T.ones(2, 2, dtype=T.complex64), 0.5),
    "pinv_atol": lambda T: T.linalg.pinv(T.eye(3, dtype=T.float64) * 1e-9, atol=1e-3),
    "pinv_complex_atol": lambda T: T.linalg.pinv(T.ones(2, 2, dtype=T.complex64), atol=0.5),
}


@pytest.mark.parametrize("name", sorted(VALUES))
def test_values(name: str) -> None:
    check(lambda T: VALUES[name](T), [], grad=False)
