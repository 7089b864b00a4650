"""torch's argument checks, their order and messages, and its warnings (issue 10, deep sweeps 2 and 3), one table
per class of fix, each case run under torch and minitorch:

- sizes read torch's way: ``size(dim)`` of a 0-d tensor names the dim ("Dimension specified as ..."), a wrapped
  dim names the range; and the order in which torch reads them (the RNN cells read the weights' sizes first, an
  LSTM the cell state's, a batch-first input is transposed before the parameters are gathered);
- linalg's dtype checks before its shape checks (solve, lu_solve), and the default rtol that pinv's and
  matrix_rank's tolerances read before the factorization's checks;
"""
from __future__ import annotations

from typing import Any, Callable

import pytest

from harness import check


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
}


@pytest.mark.parametrize("name", sorted(LINALG_ORDER))
def test_linalg_order_of_checks(name: str) -> None:
    check(lambda T: LINALG_ORDER[name](T), [], grad=False)


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
