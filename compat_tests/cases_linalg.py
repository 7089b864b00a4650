"""Op-table cases for linear algebra: products of every rank, einsum, tensordot, kron, inv/det/solve,
diagonals, triangles and cross."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
from hypothesis import strategies as st

from op_table import OpCase, matrices
from strategies import ALL, FLOATS, array

NUMERIC = FLOATS + ("int64",)


def _sizes(draw: Any, n: int, low: int = 1, high: int = 4) -> list:
    return [draw(st.integers(low, high)) for _ in range(n)]


def _batch(draw: Any, max_dims: int = 2) -> tuple:
    return tuple(draw(st.lists(st.integers(1, 3), max_size=max_dims)))


def _matmul_operands(draw: Any, dtype: str) -> list:
    """Operands of every rank pair from 1-D to 4-D, batch dims broadcasting (size 1 against n)."""
    n, k, m = _sizes(draw, 3)
    batch = _batch(draw, 2)
    shapes = []
    for last in ((n, k), (k, m)):
        rank = draw(st.integers(1, 2 + len(batch)))
        if rank == 1:
            shapes.append((k,))
            continue
        lead = batch[len(batch) - (rank - 2):] if rank > 2 else ()
        lead = tuple(1 if draw(st.booleans()) else s for s in lead)
        shapes.append(lead + last)
    return [array(draw, dtype, s, "small") for s in shapes]


def _vectors(draw: Any, dtype: str) -> list:
    n = draw(st.integers(1, 4))
    return [array(draw, dtype, (n,), "small"), array(draw, dtype, (n,), "small")]


def _addmv_inputs(draw: Any, dtype: str) -> list:
    n, k = _sizes(draw, 2)
    bias = draw(st.sampled_from([(n,), (1,), ()]))
    return [array(draw, dtype, bias, "small"), array(draw, dtype, (n, k), "small"),
            array(draw, dtype, (k,), "small")]


def _baddbmm_inputs(draw: Any, dtype: str) -> list:
    b, n, k, m = _sizes(draw, 4, high=3)
    bias = draw(st.sampled_from([(b, n, m), (n, m), (1, m), ()]))
    return [array(draw, dtype, bias, "small")] + [array(draw, dtype, (b, n, k), "small"),
                                                  array(draw, dtype, (b, k, m), "small")]


_EINSUM = (  # (equation, operand shapes over the sizes i, j, k)
    ("ij,jk->ik", "ij jk"), ("ij,jk", "ij jk"), ("bij,bjk->bik", "kij kjj"), ("i,i->", "i i"), ("i,j->ij", "i j"),
    ("ii->i", "ii"), ("ii", "ii"), ("ij->ji", "ij"), ("ij->", "ij"), ("ij->j", "ij"), ("...ij,...jk", "kij jk"),
    ("ij,ij->ij", "ij ij"), ("i,i,i->", "i i i"), ("ij,k->k", "ij k"), ("iij->j", "iij"), ("ij,jk,kl", "ij jk ki"),
    ("bn,anm,bm->ba", "ki jik kk"),
)


def _einsum_inputs(draw: Any, dtype: str) -> list:
    equation, shapes = draw(st.sampled_from(_EINSUM))
    sizes = dict(zip("ijk", _sizes(draw, 3)))
    return [equation] + [array(draw, dtype, tuple(sizes[c] for c in s), "small") for s in shapes.split()]


def _tensordot_inputs(draw: Any, dtype: str) -> list:
    i, j, k = _sizes(draw, 3)
    dims = draw(st.sampled_from([0, 1, 2, ([1, 0], [0, 1]), ([2], [1]), ([0], [-1])]))
    if dims == ([0], [-1]):
        return [array(draw, dtype, (i, j), "small"), array(draw, dtype, (k, i), "small"), dims]
    return [array(draw, dtype, (i, j, k), "small"), array(draw, dtype, (j, k, i), "small"), dims]


def _kron_inputs(draw: Any, dtype: str) -> list:
    a = tuple(_sizes(draw, draw(st.integers(0, 3)), high=3))
    b = tuple(_sizes(draw, draw(st.integers(0, 3)), high=3))
    return [array(draw, dtype, a, "small"), array(draw, dtype, b, "small")]


def _invertible(draw: Any, dtype: str, batch: tuple = ()) -> np.ndarray:
    """Diagonally dominant, so well conditioned."""
    n = draw(st.integers(1, 4))
    return array(draw, dtype, batch + (n, n), "unit") + n * np.eye(n, dtype=dtype)


def _square_inputs(draw: Any, dtype: str) -> list:
    return [_invertible(draw, dtype, _batch(draw, 2))]


def _solve_inputs(draw: Any, dtype: str) -> list:
    a = _invertible(draw, dtype, _batch(draw, 1))
    n = a.shape[-1]
    b_shape = draw(st.sampled_from([(n,), a.shape[:-1], (n, 2), (2, n, 1), a.shape[:-2] + (n, 3)]))
    return [a, array(draw, dtype, b_shape, "small")]


def _matrix(draw: Any, dtype: str, min_dims: int = 2, max_dims: int = 2) -> list:
    ndim = draw(st.integers(min_dims, max_dims))
    return [array(draw, dtype, tuple(_sizes(draw, ndim)), "small")]


def _with_offset(draw: Any, dtype: str, ndim: int) -> list:
    return _matrix(draw, dtype, ndim, ndim) + [draw(st.integers(-3, 3))]


def _diagonal_inputs(draw: Any, dtype: str) -> list:
    x = _matrix(draw, dtype, 2, 4)[0]
    d1, d2 = draw(st.lists(st.integers(-x.ndim, x.ndim - 1), min_size=2, max_size=2, unique_by=lambda d: d % x.ndim))
    return [x, draw(st.integers(-3, 3)), d1, d2]


def _cross_inputs(draw: Any, dtype: str) -> list:
    batch = _batch(draw, 2)
    dim = draw(st.integers(0, len(batch)))
    shape = batch[:dim] + (3,) + batch[dim:]
    other = tuple(1 if draw(st.booleans()) and i != dim else s for i, s in enumerate(shape))
    return [array(draw, dtype, shape, "small"), array(draw, dtype, other, "small"), dim]


def _scaled(fn: Callable) -> Callable:
    """``fn`` called with beta/alpha drawn from the values torch special-cases (0 and 1)."""
    def run(T: Any, *args: Any) -> Any:
        return (fn(T, *args), fn(T, *args, beta=0, alpha=2), fn(T, *args, beta=1, alpha=1),
                fn(T, *args, beta=2, alpha=0.5) if args[0].is_floating_point() else fn(T, *args, beta=3, alpha=2))
    return run


CASES = [
    OpCase("matmul_ranks", lambda T, a, b: (T.matmul(a, b), a.matmul(b)), inputs=_matmul_operands, dtypes=NUMERIC),
    OpCase("rmatmul", lambda T, a, b: b.__rmatmul__(a), inputs=_matmul_operands),
    OpCase("linalg_matmul", lambda T, a, b: T.linalg.matmul(a, b), inputs=_matmul_operands),
    OpCase("mm_ints", lambda T, a, b: a.mm(b), inputs=matrices, dtypes=("int64",)),
    OpCase("vdot", lambda T, a, b: (T.vdot(a, b), a.vdot(b)), inputs=_vectors, dtypes=NUMERIC),
    OpCase("outer", lambda T, a, b: (T.outer(a, b), a.outer(b), T.ger(a, b), a.ger(b)),
           inputs=lambda d, t: [array(d, t, (d(st.integers(1, 4)),), "small"), array(d, t, (d(st.integers(1, 4)),))],
           dtypes=ALL),
    OpCase("addmv", _scaled(lambda T, s, m, v, **kw: T.addmv(s, m, v, **kw)), inputs=_addmv_inputs, dtypes=NUMERIC),
    OpCase("addmv_method", lambda T, s, m, v: s.addmv(m, v), inputs=_addmv_inputs),
    OpCase("baddbmm", _scaled(lambda T, s, a, b, **kw: T.baddbmm(s, a, b, **kw)), inputs=_baddbmm_inputs,
           dtypes=NUMERIC),
    OpCase("baddbmm_method", lambda T, s, a, b: s.baddbmm(a, b), inputs=_baddbmm_inputs),
    OpCase("addmm_beta0", lambda T, c, a, b: T.addmm(c * float("nan"), a, b, beta=0), inputs=lambda d, t: [
        array(d, t, (2, 3), "small"), array(d, t, (2, 4), "small"), array(d, t, (4, 3), "small")]),
    # torch's deprecated scalar-first overloads (beta, input, [alpha,] m1, m2), as functions and methods
    OpCase("addmv_deprecated", lambda T, s, m, v: (T.addmv(0.5, s, 2.0, m, v), T.addmv(3, s, m, v),
                                                   s.addmv(0.5, 2, m, v),
                                                   s.addmv(0.5, m, v)), inputs=_addmv_inputs),
    OpCase("baddbmm_deprecated", lambda T, s, a, b: (T.baddbmm(0.5, s, 2.0, a, b), T.baddbmm(3, s, a, b),
                                                     s.baddbmm(0.5, 2, a, b), s.baddbmm(0.5, a, b)),
           inputs=_baddbmm_inputs),
    OpCase("addmm_deprecated", lambda T, c, a, b: (T.addmm(0.5, c, 2.0, a, b), T.addmm(3, c, a, b),
                                                   c.addmm(0.5, 2, a, b),
                                                   c.addmm(0.5, a, b)), inputs=lambda d, t: [
        array(d, t, (2, 3), "small"), array(d, t, (2, 4), "small"), array(d, t, (4, 3), "small")]),
    OpCase("einsum", lambda T, eq, *ops: T.einsum(eq, *ops), inputs=_einsum_inputs, dtypes=NUMERIC),
    OpCase("einsum_forms", lambda T, a, b: (T.einsum("ij,jk", [a, b]), T.einsum(a, [0, 1], b, [1, 2], [0, 2]),
                                            T.einsum(a, [Ellipsis, 1], b, [1, 2]), T.einsum("i j , j k -> i k", a, b)),
           inputs=matrices),
    OpCase("einsum_broadcast", lambda T, a, b: T.einsum("ij,ij->i", a, b), inputs=lambda d, t: [
        array(d, t, (3, 1), "small"), array(d, t, (3, 4), "small")]),
    OpCase("einsum_mixed_dtypes", lambda T, a, b: T.einsum("i,j->ij", a, b.long()), inputs=_vectors),
    OpCase("einsum_bool", lambda T, a, b: (T.einsum("i,i->i", a, b), T.einsum("ij->", a.outer(b))),
           inputs=_vectors, dtypes=("bool",)),
    OpCase("tensordot", lambda T, a, b, dims: T.tensordot(a, b, dims), inputs=_tensordot_inputs, dtypes=NUMERIC),
    OpCase("tensordot_broadcast", lambda T, a, b: (T.tensordot(a, b, ([0, 1], [1, 0])), T.tensordot(b, a, T.tensor(1))),
           inputs=lambda d, t: [array(d, t, (3, 1), "small"), array(d, t, (4, 3), "small")]),
    OpCase("kron", lambda T, a, b: (T.kron(a, b), a.kron(b)), inputs=_kron_inputs, dtypes=ALL),
    OpCase("inv", lambda T, a: (T.linalg.inv(a), T.inverse(a), a.inverse()), inputs=_square_inputs,
           rtol=1e-4, atol=1e-5),
    OpCase("det", lambda T, a: (T.linalg.det(a), T.det(a), a.det()), inputs=_square_inputs, rtol=1e-4, atol=1e-5),
    # singular matrices whose LU reaches its zero pivot exactly in any arithmetic
    OpCase("det_singular", lambda T, a: T.linalg.det(a), inputs=lambda d, t: [d(st.sampled_from([
        np.array([[1.0, 2.0], [2.0, 4.0]]), np.array([[[1.0, 0.0], [1.0, 0.0]], [[2.0, 1.0], [1.0, 2.0]]]),
        np.array([[[0.0]], [[2.0]]])])).astype(t)]),
    # A singular matrix whose LU pivots go through 1/3: whether torch's last pivot is exactly 0 or a rounding
    # residue (det ~1e-7 in float32) depends on its LAPACK build (fused multiply-adds in getrf), and with it
    # torch's gradient: 0 (its formula at a zero pivot) or det * A^-T ~ the cofactor matrix. Only the value
    # is defined; the gradient is not compared.
    OpCase("det_singular_rounding", lambda T, a: T.linalg.det(a), inputs=lambda d, t: [
        np.array([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [1.0, 0.0, 1.0]], t)], grad=False),
    # torch's second derivative at a zero matrix is nan (its SVD's repeated zeros); minitorch's is the true 0
    OpCase("det_zero", lambda T, a: T.linalg.det(a), inputs=lambda d, t: [np.zeros((3, 3), t)], second_order=False),
    OpCase("solve", lambda T, a, b: T.linalg.solve(a, b), inputs=_solve_inputs, rtol=1e-4, atol=1e-5),
    OpCase("solve_left_false", lambda T, a, b: T.linalg.solve(a, b.mT, left=False),
           inputs=lambda d, t: [a := _invertible(d, t), array(d, t, (a.shape[0], 2), "small")], rtol=1e-4, atol=1e-5),
    OpCase("trace", lambda T, x: (T.trace(x), x.trace()), inputs=_matrix, dtypes=NUMERIC + ("int32",)),
    OpCase("diag", lambda T, x, k: (T.diag(x), T.diag(x, k), x.diag(k)), inputs=lambda d, t: _with_offset(
        d, t, d(st.integers(1, 2))), dtypes=ALL),
    OpCase("diagonal", lambda T, x, k, d1, d2: (T.diagonal(x), x.diagonal(k, d1, d2), T.diagonal(x, offset=k)),
           inputs=_diagonal_inputs, dtypes=ALL),
    OpCase("linalg_diagonal", lambda T, x: T.linalg.diagonal(x, offset=1), inputs=lambda d, t: _matrix(d, t, 2, 3)),
    OpCase("diag_embed", lambda T, x, k, d1, d2: (T.diag_embed(x), x.diag_embed(k, d1, d2)),
           inputs=lambda d, t: [x := _matrix(d, t, 1, 3)[0], d(st.integers(-2, 2))] + d(st.lists(
               st.integers(0, x.ndim), min_size=2, max_size=2, unique=True)), dtypes=ALL),
    OpCase("tril_triu", lambda T, x, k: (T.tril(x), x.tril(k), T.triu(x, k), x.triu(diagonal=k)),
           inputs=lambda d, t: _matrix(d, t, 2, 4) + [d(st.integers(-3, 3))], dtypes=ALL),
    OpCase("tril_triu_", lambda T, x, k: (x.clone().tril_(k), x.clone().triu_(k)),
           inputs=lambda d, t: _matrix(d, t, 2, 3) + [d(st.integers(-2, 2))], dtypes=ALL),
    OpCase("cross", lambda T, a, b, dim: (T.cross(a, b, dim=dim), a.cross(b, dim), T.linalg.cross(a, b, dim=dim)),
           inputs=_cross_inputs, dtypes=NUMERIC),
]
