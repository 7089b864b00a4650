"""Op-table cases for matrix functions, norms and chained products: slogdet/logdet, inv_ex/solve_ex, pinv,
matrix_norm/norm/cond/matrix_rank, matrix_power, matrix_exp, multi_dot, vecdot, vander."""
from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from cases_linalg_decompositions import TOL, full_rank, symmetric
from op_table import OpCase
from strategies import array

INF = float("inf")


def _square(draw: Any, dtype: str) -> list:
    n = draw(st.integers(1, 4))
    batch = tuple(draw(st.lists(st.integers(1, 3), max_size=2)))
    return [full_rank(draw, dtype, batch + (n, n))]


def _signed_square(draw: Any, dtype: str) -> list:
    """Invertible, with a negative determinant half the time."""
    a = _square(draw, dtype)[0]
    return [-a if draw(st.booleans()) and a.shape[-1] % 2 else a]


def _small_square(draw: Any, dtype: str) -> list:
    """Entries in [-1, 1]: matrix_exp and powers stay moderate."""
    n = draw(st.integers(1, 4))
    batch = tuple(draw(st.lists(st.integers(1, 3), max_size=1)))
    return [array(draw, dtype, batch + (n, n), "unit")]


def _system(draw: Any, dtype: str) -> list:
    a = _square(draw, dtype)[0]
    return [a, array(draw, dtype, a.shape[:-1] + (2,), "unit")]


def _chain(draw: Any, dtype: str) -> list:
    """2 to 4 matrices, the first and last possibly vectors."""
    count = draw(st.integers(2, 4))
    sizes = [draw(st.integers(1, 4)) for _ in range(count + 1)]
    arrays = [array(draw, dtype, (sizes[i], sizes[i + 1]), "unit") for i in range(count)]
    if draw(st.booleans()):
        arrays[0] = arrays[0][0]
    if draw(st.booleans()):
        arrays[-1] = arrays[-1][:, 0]
    return arrays


def _vecdot_inputs(draw: Any, dtype: str) -> list:
    n = draw(st.integers(1, 4))
    return [array(draw, dtype, (2, n), "unit"), array(draw, dtype, (n,), "unit"), draw(st.sampled_from([-1, 1]))]


def _matrix_norms(T: Any, a: Any) -> tuple:
    return tuple(T.linalg.matrix_norm(a, ord) for ord in ("fro", "nuc", 2, -2, 1, -1, INF, -INF)) + tuple(
        T.linalg.matrix_norm(a, ord, dim=(-1, -2), keepdim=True) for ord in ("fro", "nuc", 2, 1, -INF)) + (
        T.linalg.matrix_norm(a, dtype=T.float64),)


def _norms(T: Any, a: Any) -> tuple:
    return (T.linalg.norm(a), T.linalg.norm(a, dim=-1), T.linalg.norm(a, 3, dim=0, keepdim=True),
            T.linalg.norm(a, "fro", dim=(0, 1)), T.linalg.norm(a, 2, dim=(-1, 0)),
            T.linalg.norm(a[0, 0], -INF), T.linalg.norm(a[0], "nuc"), T.linalg.norm(a[0], 1))


def _conds(T: Any, a: Any) -> tuple:
    return tuple(T.linalg.cond(a, p) for p in (None, 2, -2, 1, -1, INF, -INF, "fro", "nuc"))


def _ranks(T: Any, a: Any, h: Any) -> tuple:
    return (T.linalg.matrix_rank(a), T.linalg.matrix_rank(a, 1.0), T.linalg.matrix_rank(a, atol=1.0, rtol=0.1),
            T.linalg.matrix_rank(a, rtol=0.5), T.linalg.matrix_rank(h, hermitian=True),
            T.linalg.matrix_rank(a, T.tensor(0.5, dtype=a.dtype)))


def _rank_deficient(draw: Any, dtype: str) -> list:
    """Low-rank products, whose rank the tolerances decide."""
    m, n, r = (draw(st.integers(1, 4)) for _ in range(3))
    a = array(draw, dtype, (m, r), "unit") @ array(draw, dtype, (r, n), "unit")
    x = array(draw, dtype, (n, r), "unit")
    return [a, x @ x.T]


def _pinvs(T: Any, a: Any) -> tuple:
    return (T.linalg.pinv(a), T.linalg.pinv(a, rtol=1e-3), T.linalg.pinv(a, atol=0.5), T.linalg.pinv(a, 1e-2),
            T.pinverse(a), a.pinverse(rcond=1e-5))


def _powers(T: Any, a: Any) -> tuple:
    return tuple(T.linalg.matrix_power(a, n) for n in (0, 1, 2, 3, 5, 6, -1, -2, -3)) + (
        T.matrix_power(a, 4), a.matrix_power(7))


CASES = [
    OpCase("linalg_slogdet", lambda T, a: (T.linalg.slogdet(a), T.slogdet(a), a.slogdet(), T.logdet(a), a.logdet()),
           inputs=_signed_square, **TOL),
    OpCase("linalg_slogdet_singular", lambda T, a: (T.linalg.slogdet(a), T.logdet(a)), grad=False,
           inputs=lambda d, t: [np.array([[1.0, 2.0], [2.0, 4.0]], t)]),
    OpCase("linalg_inv_ex", lambda T, a: T.linalg.inv_ex(a), inputs=_square, **TOL),
    OpCase("linalg_solve_ex", lambda T, a, b: (T.linalg.solve_ex(a, b), T.linalg.solve_ex(a, b.mT, left=False)),
           inputs=_system, **TOL),
    OpCase("linalg_pinv", _pinvs, inputs=lambda d, t: [full_rank(d, t)],
           **TOL),
    OpCase("linalg_pinv_hermitian", lambda T, a: T.linalg.pinv(a, hermitian=True),
           inputs=lambda d, t: [symmetric(d, t)],
           **TOL),
    OpCase("linalg_pinv_rank_deficient", lambda T, a, h: T.linalg.pinv(a), inputs=_rank_deficient, grad=False, **TOL),
    OpCase("linalg_matrix_norm", _matrix_norms, inputs=lambda d, t: [full_rank(d, t)], **TOL),
    OpCase("linalg_norm", _norms, inputs=lambda d, t: [full_rank(d, t, (2, 3, 2))], **TOL),
    OpCase("linalg_norm_unsupported_order", lambda T, a: T.linalg.norm(a, 0.5),
           inputs=lambda d, t: [full_rank(d, t, (3, 2))], raises=True),
    OpCase("linalg_cond", _conds, inputs=_square, **TOL),
    OpCase("linalg_matrix_rank", _ranks, inputs=_rank_deficient, grad=False),
    OpCase("linalg_matrix_power", _powers, inputs=lambda d, t: [full_rank(d, t, (d(st.integers(1, 3)),) * 2) / 20],
           **TOL),
    OpCase("linalg_matrix_power_batched", lambda T, a: tuple(T.linalg.matrix_power(a, n) for n in (0, 1, 3, 4, -1)),
           inputs=lambda d, t: [full_rank(d, t, (2, 2, 2)) / 20], **TOL),
    OpCase("linalg_matrix_power_ints", lambda T, a: (T.linalg.matrix_power(a, 3), T.linalg.matrix_power(a, 0)),
           inputs=lambda d, t: [array(d, t, (3, 3))], dtypes=("int64",)),
    OpCase("linalg_matrix_exp", lambda T, a: (T.linalg.matrix_exp(a), T.matrix_exp(a), a.matrix_exp()),
           inputs=_small_square, **TOL),
    OpCase("linalg_matrix_exp_large", lambda T, a: T.linalg.matrix_exp(a), inputs=lambda d, t: [
        array(d, t, (3, 3), "unit") * 4], rtol=1e-4, atol=1e-3),
    OpCase("linalg_multi_dot", lambda T, *ts: T.linalg.multi_dot(list(ts)), inputs=_chain, **TOL),
    OpCase("linalg_vecdot", lambda T, x, y, dim: T.linalg.vecdot(x, y, dim=-1), inputs=_vecdot_inputs, **TOL),
    OpCase("linalg_vander", lambda T, x: (T.linalg.vander(x), T.linalg.vander(x, N=4)),
           inputs=lambda d, t: [array(d, t, (d(st.integers(2, 4)),) * d(st.integers(1, 2)), "unit")],
           dtypes=("float32", "float64", "int64"), **TOL),
]
