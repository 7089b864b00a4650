"""The rest of torch.linalg and torch's older linear-algebra names, differential against torch: values,
dtypes, gradients (second order on float64), torch's warnings and errors."""
from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest
import torch

import minitorch
from harness import check, check_error

RNG = np.random.default_rng(13)


def rand(*shape: int, dtype: str = "float64") -> np.ndarray:
    return RNG.standard_normal(shape).astype(dtype)


def warning_texts(fn: Any, T: Any) -> list:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fn(T)
    return [str(w.message) for w in caught]


# ---- products ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_accumulated_products(dtype: str) -> None:
    second = dtype == "float64"
    check(lambda T, a, b, c: (T.addr(a, b, c, beta=0.5, alpha=2), a.addr(b, c)),
          [rand(3, 4, dtype=dtype), rand(3, dtype=dtype), rand(4, dtype=dtype)], second_order=second)
    check(lambda T, a, b, c: T.addr(a, b, c), [rand(4, dtype=dtype), rand(3, dtype=dtype), rand(4, dtype=dtype)])
    check(lambda T, a, b, c: (T.addbmm(a, b, c, beta=0.5, alpha=2), a.addbmm(b, c)),
          [rand(3, 4, dtype=dtype), rand(2, 3, 5, dtype=dtype), rand(2, 5, 4, dtype=dtype)], second_order=second,
          rtol=1e-4, atol=1e-5)
    check(lambda T, a, b: (T.inner(a, b), a.inner(b[0, 0])), [rand(3, 4, dtype=dtype), rand(2, 5, 4, dtype=dtype)],
          second_order=second, rtol=1e-4, atol=1e-5)
    check(lambda T, a, b: (T.inner(a, b), T.inner(a[0], b)), [rand(dtype=dtype), rand(2, 4, dtype=dtype)])


def test_products_of_other_dtypes() -> None:
    ints = [np.arange(6).reshape(2, 3), np.arange(2), np.arange(3)]
    check(lambda T, a, b, c: (T.addr(a, b, c, beta=2, alpha=3), T.addr(a > 2, b > 0, c > 1, beta=False),
                              T.addr(a.double(), b, c)), ints)
    check(lambda T, a, b, c: T.addbmm(a, b, c), [np.ones((2, 4), np.int64), np.ones((5, 2, 3), np.int64),
                                                 np.ones((5, 3, 4), np.int64)])


def test_inplace_products() -> None:
    def inplace(T: Any, a: Any, b: Any, c: Any, v: Any, w: Any, b1: Any, b2: Any) -> tuple:
        x = a * 1
        x.addmm_(b, c, beta=0.5)
        x.addr_(v, w)
        x.addbmm_(b1, b2, alpha=3)
        y = a[0] * 1
        y.addmv_(b[0, :1].expand(4, 2), c[:, 0], alpha=2)
        z = a.unsqueeze(0) * 1
        z.baddbmm_(b[:3].unsqueeze(0), c.unsqueeze(0))
        resized = a[0] * 1  # torch's addbmm_ resizes a self that only broadcasts to the product
        resized.addbmm_(b1, b2)
        return x, y, z, resized
    check(inplace, [rand(3, 4), rand(3, 2), rand(2, 4), rand(3), rand(4), rand(2, 3, 5), rand(2, 5, 4)],
          second_order=True)


def test_deprecated_products_warn() -> None:
    for fn in (lambda T: T.chain_matmul(T.ones(2, 2), T.ones(2, 2)), lambda T: T.frobenius_norm(T.ones(2, 2), (0, 1)),
               lambda T: T.nuclear_norm(T.ones(2, 2))):
        assert warning_texts(fn, torch) == warning_texts(fn, minitorch)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check(lambda T, a, b, c: (T.chain_matmul(a, b, c), T.chain_matmul(a)), [rand(3, 4), rand(4, 5), rand(5, 2)],
              second_order=True)
        check(lambda T, a, b: T.chain_matmul(a, b, out=T.empty(0, dtype=a.dtype)), [rand(3, 4), rand(4, 5)], grad=False)
        check(lambda T, a: (T.frobenius_norm(a, (0, 1)), T.frobenius_norm(a, (1,), True)), [rand(3, 4)],
              second_order=True)
        check(lambda T, a: (T.nuclear_norm(a), T.nuclear_norm(a, (0, 1), True), T.nuclear_norm(a, keepdim=True)),
              [rand(3, 4)], second_order=True)


@pytest.mark.parametrize("fn", [
    lambda T: T.inner(T.ones(2, 3), T.ones(4, 2)),
    lambda T: T.inner(T.ones(2, 3), T.ones(4, 3, dtype=T.float64)),
    lambda T: T.addr(T.ones(2, 3), T.ones(2, 1), T.ones(3)),
    lambda T: T.addr(T.ones(2, 3), T.ones(2), T.ones(3, 2)),
    lambda T: T.addr(T.ones(2, 4), T.ones(2), T.ones(3)),
    lambda T: T.addr(T.ones(3, dtype=T.int64), T.ones(2, dtype=T.int64), T.ones(3, dtype=T.int64), beta=1.5),
    lambda T: T.addr(T.ones(2, 3), T.ones(2), T.ones(3), beta=True),
    lambda T: T.addbmm(T.ones(2, 4), T.ones(5, 2, 3), T.ones(5, 3, 4, dtype=T.float64)),
    lambda T: T.addbmm(T.ones(4, dtype=T.float64), T.ones(5, 2, 3), T.ones(5, 3, 4)),
    lambda T: T.addbmm(T.ones(2, 4), T.ones(2, 3), T.ones(5, 3, 4)),
    lambda T: T.addbmm(T.ones(2, 4), T.ones(5, 2, 3), T.ones(3, 4)),
    lambda T: T.addbmm(T.ones(2, 4), T.ones(5, 2, 3), T.ones(4, 3, 4)),
    lambda T: T.addbmm(T.ones(2, 4), T.ones(5, 2, 3), T.ones(5, 2, 4)),
    lambda T: T.ones(4).addr_(T.ones(5), T.ones(4)),
    lambda T: T.ones(1, 4).addr_(T.ones(5), T.ones(4)),
    lambda T: T.ones(5, 4, dtype=T.int64).addr_(T.ones(5), T.ones(4)),
    lambda T: T.ones(4).addmm_(T.ones(5, 2), T.ones(2, 4)),
    lambda T: T.ones(1).addmv_(T.ones(3, 2), T.ones(2)),
    lambda T: T.ones(4).baddbmm_(T.ones(5, 2, 3), T.ones(5, 3, 4)),
    lambda T: T.chain_matmul(),
    lambda T: T.chain_matmul(T.ones(3)),
    lambda T: T.chain_matmul(T.ones(2, 2), "a"),
    lambda T: T.chain_matmul(T.ones(2, 2, dtype=T.float64), T.ones(2, 2, dtype=T.float64), out=T.empty(0)),
    lambda T: T.frobenius_norm(T.ones(2, 2), (1, 1)),
    lambda T: T.frobenius_norm(T.ones(2, 2), (1, 0, 1)),
    lambda T: T.nuclear_norm(T.ones(2, 2), (1,)),
    lambda T: T.chain_matmul(T.ones(2, 2, requires_grad=True), T.ones(2, 2), out=T.empty(0)),
])
def test_product_errors(fn: Any) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check_error(fn)


@pytest.mark.parametrize("fn", [
    lambda T: T.matrix_rank(T.ones(2, 2)), lambda T: T.solve(T.ones(2, 2), T.ones(2, 2)),
    lambda T: T.lstsq(T.ones(2, 2), T.ones(2, 2)), lambda T: T.eig(T.ones(2, 2), True),
    lambda T: T.symeig(T.ones(2, 2), eigenvectors=True), lambda T: T.ones(2, 2).solve(T.ones(2, 2)),
    lambda T: T.ones(2, 2).lstsq(T.ones(2, 2)), lambda T: T.ones(2, 2).eig(), lambda T: T.ones(2, 2).symeig(True),
])
def test_removed_functions_say_what_replaces_them(fn: Any) -> None:
    check_error(fn)


# ---- LU ---------------------------------------------------------------------------------------------------
SINGULAR = np.array([[1.0, 2, 3], [2, 4, 6], [1, 1, 1]])


@pytest.mark.parametrize("shape", [(3, 3), (2, 3, 3), (3, 5), (5, 3), (2, 1, 2, 4)])
def test_lu_factorisations(shape: tuple) -> None:
    a = rand(*shape)
    check(lambda T, a: (T.linalg.lu_factor(a), T.linalg.lu_factor_ex(a)), [a], second_order=True)
    check(lambda T, a: T.linalg.lu(a), [a], second_order=True)
    check(lambda T, a: T.lu_unpack(*T.linalg.lu_factor(a)), [a], second_order=True)
    check(lambda T, a: (T.lu_unpack(*T.linalg.lu_factor(a), unpack_data=False),
                        T.lu_unpack(*T.linalg.lu_factor(a), unpack_pivots=False)), [a])  # torch's backward fails
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check(lambda T, a: (T.lu(a), a.lu(get_infos=True)), [a], second_order=True)


def test_lu_in_float32_and_singular() -> None:
    check(lambda T, a: (T.linalg.lu_factor(a), T.linalg.lu(a)), [rand(2, 4, 4, dtype="float32")], rtol=1e-4,
          atol=1e-5)
    # a zero pivot: info, and LAPACK's partial factors
    check(lambda T, a: (T.linalg.lu_factor_ex(a), T.linalg.lu(a)), [np.stack([np.eye(3), SINGULAR])], grad=False)


@pytest.mark.parametrize("left", [True, False])
@pytest.mark.parametrize("adjoint", [False, True])
def test_lu_solve(left: bool, adjoint: bool) -> None:
    check(lambda T, a, b: T.linalg.lu_solve(*T.linalg.lu_factor(a), b, left=left, adjoint=adjoint),
          [rand(2, 3, 3), rand(3, 2) if left else rand(2, 3)], second_order=True)


def test_deprecated_lu_names() -> None:
    for fn in (lambda T: T.lu(T.eye(2)), lambda T: T.lu_solve(T.ones(2, 1), *T.linalg.lu_factor(T.eye(2)))):
        assert warning_texts(fn, torch) == warning_texts(fn, minitorch)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check(lambda T, a, b: (T.lu_solve(b, *T.linalg.lu_factor(a)), b.lu_solve(*T.linalg.lu_factor(a))),
              [rand(3, 3), rand(2, 3, 2)], second_order=True)
        check(lambda T, a: T.lu(a, get_infos=True, out=(T.empty(0), T.empty(0, dtype=T.int32),
                                                        T.empty(0, dtype=T.int32))), [rand(3, 3, dtype="float32")],
              grad=False)


_LU, _PIVOTS = (lambda T: T.linalg.lu_factor(T.tensor([[2.0, 1], [1, 3]]))[0]), \
    (lambda T: T.linalg.lu_factor(T.tensor([[2.0, 1], [1, 3]]))[1])


@pytest.mark.parametrize("fn", [
    lambda T: T.linalg.lu_factor(T.tensor(SINGULAR)),
    lambda T: T.linalg.lu_factor(T.stack([T.eye(3, dtype=T.float64), T.tensor(SINGULAR)])),
    lambda T: T.linalg.lu_factor_ex(T.tensor(SINGULAR), check_errors=True),
    lambda T: T.linalg.lu_factor(T.ones(3)),
    lambda T: T.linalg.lu_factor_ex(T.ones(3)),
    lambda T: T.linalg.lu(T.ones(3)),
    lambda T: T.linalg.lu_factor(T.ones(3, 3, dtype=T.int64)),
    lambda T: T.linalg.lu_factor(T.ones(2, 3), pivot=False),
    lambda T: T.linalg.lu(T.ones(2, 3), pivot=False),
    lambda T: T.linalg.lu_solve(_LU(T), _PIVOTS(T), T.ones(2)),
    lambda T: T.linalg.lu_solve(_LU(T), _PIVOTS(T), T.ones(3, 2)),
    lambda T: T.linalg.lu_solve(_LU(T), _PIVOTS(T), T.ones(2, 3), left=False),
    lambda T: T.linalg.lu_solve(_LU(T), _PIVOTS(T).long(), T.ones(2, 2)),
    lambda T: T.linalg.lu_solve(_LU(T), _PIVOTS(T), T.ones(2, 2, dtype=T.float64)),
    lambda T: T.linalg.lu_solve(_LU(T)[:1], _PIVOTS(T), T.ones(1, 2)),
    lambda T: T.linalg.lu_solve(_LU(T), _PIVOTS(T)[:1], T.ones(2, 2)),
    lambda T: T.lu_unpack(_LU(T), _PIVOTS(T).long()),
    lambda T: T.lu_unpack(_LU(T), _PIVOTS(T) + 5),
    lambda T: T.lu_unpack(T.ones(3), T.ones(3, dtype=T.int32)),
])
def test_lu_errors(fn: Any) -> None:
    check_error(fn)


# ---- solvers on a factor -------------------------------------------------------------------------------
def _triangle(shape: tuple, upper: bool) -> np.ndarray:
    a = rand(*shape) + 3 * np.eye(shape[-1])
    return np.triu(a) if upper else np.tril(a)


def test_triangular_solve_is_deprecated() -> None:
    fn = lambda T: T.triangular_solve(T.eye(2), T.eye(2))  # noqa: E731
    assert warning_texts(fn, torch) == warning_texts(fn, minitorch)


@pytest.mark.filterwarnings("ignore:torch.triangular_solve is deprecated")
@pytest.mark.parametrize("upper", [True, False])
def test_triangular_solve(upper: bool) -> None:
    for transpose in (False, True):
        for unit in (False, True):
            # the whole A (not only its triangle) is differentiated: its cloned coefficient is all of it
            check(lambda T, b, a: T.triangular_solve(b, a, upper, transpose, unit),
                  [rand(2, 3, 2), rand(3, 3) + 3 * np.eye(3)], second_order=True)
    check(lambda T, b, a: b.triangular_solve(a, upper=upper), [rand(3, 1), _triangle((2, 3, 3), upper)])


@pytest.mark.parametrize("upper", [True, False])
def test_cholesky_solve_and_inverse(upper: bool) -> None:
    factor = _triangle((2, 3, 3), upper)
    check(lambda T, b, f: (T.cholesky_solve(b, f, upper), b.cholesky_solve(f[0], upper=upper)),
          [rand(3, 2), factor], second_order=True)
    check(lambda T, f: (T.cholesky_inverse(f, upper), f[0].cholesky_inverse(upper)), [factor], second_order=True)
    check(lambda T, f: T.cholesky_inverse(f), [_triangle((3, 3), False).astype("float32")], rtol=1e-4, atol=1e-5)


_BAD_SYSTEMS = [  # (b, A) pairs each solver refuses, in torch's order of checks
    lambda T: (T.ones(3), T.eye(3)),
    lambda T: (T.ones(3, 1), T.ones(3)),
    lambda T: (T.ones(2, 2), T.eye(3)),
    lambda T: (T.ones(3, 2, dtype=T.float64), T.eye(3)),
    lambda T: (T.ones(3, 2), T.ones(3, 2)),
    lambda T: (T.ones(3, 2, dtype=T.int64), T.ones(3, 3, dtype=T.int64)),
    lambda T: (T.ones(2, 3, 2), T.ones(3, 3, 3)),
]


@pytest.mark.filterwarnings("ignore:torch.triangular_solve is deprecated")
@pytest.mark.parametrize("solver", ["cholesky_solve", "triangular_solve"])
@pytest.mark.parametrize("system", _BAD_SYSTEMS)
def test_factored_solver_errors(solver: str, system: Any) -> None:
    check_error(lambda T: getattr(T, solver)(*system(T)))


@pytest.mark.parametrize("fn", [
    lambda T: T.cholesky_inverse(T.ones(3)),
    lambda T: T.cholesky_inverse(T.ones(3, 2)),
    lambda T: T.cholesky_inverse(T.ones(3, 3, dtype=T.int64)),
])
def test_cholesky_inverse_errors(fn: Any) -> None:
    check_error(fn)


# ---- least squares -------------------------------------------------------------------------------------
DEFICIENT = np.array([[1.0, 2], [2, 4], [3, 6]])


@pytest.mark.parametrize("driver", [None, "gels", "gelsy", "gelsd", "gelss"])
def test_lstsq_drivers(driver: str | None) -> None:
    for a_shape, b_shape in (((5, 3), (5, 2)), ((2, 5, 3), (5,)), ((3, 5), (1, 3, 2)), ((4, 4), (2, 4, 1))):
        if len(b_shape) == 1:
            b_shape = a_shape[:-1]  # a batch of vectors
        check(lambda T, a, b: T.linalg.lstsq(a, b, driver=driver), [rand(*a_shape), rand(*b_shape)],
              second_order=True, rtol=1e-6, atol=1e-8)
    check(lambda T, a, b: T.linalg.lstsq(a, b, driver=driver),
          [rand(6, 3, dtype="float32"), rand(6, 2, dtype="float32")], rtol=1e-4, atol=1e-5)


def test_lstsq_rank_deficient_and_rcond() -> None:
    for driver in ("gelsy", "gelsd", "gelss"):
        check(lambda T, a, b: T.linalg.lstsq(a, b, driver=driver), [DEFICIENT, rand(3, 2)], grad=False)
    # not gelsy: with this rcond torch's (MKL's) gelsy is not deterministic, its rank is 1 or 2 from run to run
    for driver in ("gelsd", "gelss"):
        check(lambda T, a, b: T.linalg.lstsq(a, b, 0.3, driver=driver),
              [np.diag([3.0, 2.0, 0.5]) + 0.01 * rand(3, 3), rand(3, 2)], grad=False)


@pytest.mark.parametrize("fn", [
    lambda T: T.linalg.lstsq(T.ones(3), T.ones(3)),
    lambda T: T.linalg.lstsq(T.ones(3, 2), T.tensor(1.0)),
    lambda T: T.linalg.lstsq(T.ones(3, 2), T.ones(4, 2)),
    lambda T: T.linalg.lstsq(T.ones(3, 2), T.ones(2)),
    lambda T: T.linalg.lstsq(T.ones(3, 2), T.ones(1, 1, 3, 2)),
    lambda T: T.linalg.lstsq(T.ones(3, 2), T.ones(3, 2), driver="foo"),
    lambda T: T.linalg.lstsq(T.ones(3, 2), T.ones(3, 2, dtype=T.float64)),
    lambda T: T.linalg.lstsq(T.ones(3, 2, dtype=T.int64), T.ones(3, 2, dtype=T.int64)),
    lambda T: T.linalg.lstsq(T.ones(2, 3, 2), T.ones(3, 3, 2)),
    lambda T: T.linalg.lstsq(T.tensor([[1.0, 0], [0, 0]]), T.ones(2, 2), driver="gels"),
])
def test_lstsq_errors(fn: Any) -> None:
    check_error(fn)


# ---- tensor inverses ------------------------------------------------------------------------------------
def test_tensorinv_and_tensorsolve() -> None:
    check(lambda T, a: (T.linalg.tensorinv(a), T.linalg.tensorinv(a.reshape(24, 2, 3, 4), ind=1)),
          [rand(4, 6, 8, 3) + np.eye(24).reshape(4, 6, 8, 3) * 5], second_order=True, rtol=1e-6, atol=1e-8)
    check(lambda T, a, b: (T.linalg.tensorsolve(a, b), T.linalg.tensorsolve(a.permute(2, 3, 0, 1), b, dims=(0, 1))),
          [rand(2, 3, 6) .reshape(2, 3, 2, 3) + np.eye(6).reshape(2, 3, 2, 3) * 5, rand(2, 3)], second_order=True,
          rtol=1e-6, atol=1e-8)
    check(lambda T, a, b: T.linalg.tensorsolve(a, b),
          [(rand(6, 2, 3) + np.eye(6).reshape(6, 2, 3) * 5).astype("float32"), rand(6, dtype="float32")],
          rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("fn", [
    lambda T: T.linalg.tensorinv(T.ones(2, 2), ind=0),
    lambda T: T.linalg.tensorinv(T.ones(2, 3, 4)),
    lambda T: T.linalg.tensorinv(T.ones(2, 2)),
    lambda T: T.linalg.tensorsolve(T.ones(2, 3, 4), T.ones(2, 3)),
    lambda T: T.linalg.tensorsolve(T.ones(6, 2, 3), T.ones(6)),
])
def test_tensor_inverse_errors(fn: Any) -> None:
    check_error(fn)


# ---- Householder reflectors -----------------------------------------------------------------------------
@pytest.mark.parametrize("shape", [(4, 3), (2, 3, 3), (3, 5)])
def test_geqrf(shape: tuple) -> None:
    # geqrf's reflectors and scales are LAPACK's (Householder QR's signs are fixed by the algorithm)
    check(lambda T, a: (T.geqrf(a), a.geqrf()), [rand(*shape)], grad=False)
    check(lambda T, a: T.geqrf(a)[0].sum(), [rand(*shape)])  # torch's refusal to differentiate it


def test_householder_product_and_orgqr() -> None:
    for shape, k in (((4, 3), 3), ((2, 5, 3), 2), ((3, 3), 3)):
        check(lambda T, a, tau: (T.linalg.householder_product(a, tau), T.orgqr(a, tau), a.orgqr(tau)),
              [rand(*shape), rand(*shape[:-2], k)], second_order=True)
    check(lambda T, a, tau: T.linalg.householder_product(a, tau), [rand(4, 3, dtype="float32"),
                                                                   rand(3, dtype="float32")], rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("left", [True, False])
@pytest.mark.parametrize("transpose", [False, True])
def test_ormqr(left: bool, transpose: bool) -> None:
    check(lambda T, a, tau, c: (T.ormqr(a, tau, c, left, transpose), a.ormqr(tau, c, left=left, transpose=transpose)),
          [rand(2, 4, 3), rand(2, 3), rand(2, 4, 2) if left else rand(2, 2, 4)], second_order=True)


@pytest.mark.parametrize("fn", [
    lambda T: T.geqrf(T.ones(3)),
    lambda T: T.geqrf(T.ones(3, 3, dtype=T.int64)),
    lambda T: T.linalg.householder_product(T.ones(3, 4), T.ones(3)),
    lambda T: T.linalg.householder_product(T.ones(4, 3), T.ones(4)),
    lambda T: T.linalg.householder_product(T.ones(4, 3), T.ones(2, 2)),
    lambda T: T.linalg.householder_product(T.ones(4, 3), T.ones(2, dtype=T.float64)),
    lambda T: T.linalg.householder_product(T.ones(3), T.ones(2)),
    lambda T: T.linalg.householder_product(T.ones(2, 4, 3), T.ones(3, 2)),
    lambda T: T.ormqr(T.ones(4, 3), T.ones(3), T.ones(3, 2)),
    lambda T: T.ormqr(T.ones(4, 3), T.ones(4), T.ones(4, 2)),
    lambda T: T.ormqr(T.ones(4, 3), T.ones(2), T.ones(2, 4), left=False),
    lambda T: T.ormqr(T.ones(4, 3), T.ones(3), T.ones(2, 3), left=False),
    lambda T: T.ormqr(T.ones(4, 3), T.ones(3), T.ones(2)),
    lambda T: T.ormqr(T.ones(2, 2), T.ones(2, 2), T.ones(2, 2)),
    lambda T: T.ormqr(T.ones(2, 2), T.ones(2), T.ones(1, 2, 2)),
    lambda T: T.ormqr(T.ones(2, 2), T.ones(2, dtype=T.float64), T.ones(2, 2)),
    lambda T: T.ormqr(T.ones(2, 2), T.ones(2), T.ones(2, 2, dtype=T.float64)),
])
def test_householder_errors(fn: Any) -> None:
    check_error(fn)


# ---- randomized low-rank SVD -------------------------------------------------------------------------------
def _signed_by_first_row(vectors: Any) -> Any:
    """Singular vectors with each column's sign fixed by its first entry: the final small SVD's signs are the
    LAPACK build's (torch's MKL, NumPy's OpenBLAS differ), the subspace and the product are not."""
    return vectors * vectors[..., :1, :].sign()


def _lowrank(T: Any, a: Any, fn: str, **kwargs: Any) -> tuple:
    T.manual_seed(3)  # the random projection is drawn from the global generator: same seed, same factors
    U, S, V = getattr(T, fn)(a, **kwargs)
    return _signed_by_first_row(U), S, _signed_by_first_row(V), T.randn(2)


def test_svd_and_pca_lowrank() -> None:
    check(lambda T, a: _lowrank(T, a, "svd_lowrank", q=4), [rand(2, 7, 5)], second_order=True, rtol=1e-6, atol=1e-8)
    check(lambda T, a: _lowrank(T, a, "svd_lowrank", q=3, niter=1, M=a.mean(-2, keepdim=True)), [rand(4, 6)],
          rtol=1e-6, atol=1e-8)
    check(lambda T, a: _lowrank(T, a, "pca_lowrank", q=3), [rand(8, 5)], rtol=1e-6, atol=1e-8)
    # float32: values only (its gradients, through two SVDs and QRs, agree to 1e-4 only)
    check(lambda T, a: _lowrank(T, a, "pca_lowrank", center=False), [rand(5, 8, dtype="float32")], rtol=1e-4,
          atol=1e-5, grad=False)


@pytest.mark.parametrize("fn", [
    lambda T: T.pca_lowrank(T.ones(3, 2), q=3),
    lambda T: T.pca_lowrank(T.ones(3, 2), niter=-1),
])
def test_lowrank_errors(fn: Any) -> None:
    check_error(fn)


# ---- LDL ---------------------------------------------------------------------------------------------------
def _symmetric(n: int, small_diagonal: bool, batch: tuple = ()) -> np.ndarray:
    a = rand(*batch, n, n)
    a = a + np.swapaxes(a, -1, -2)
    if small_diagonal:  # Bunch-Kaufman then pivots, with 2x2 blocks
        a[..., np.arange(n), np.arange(n)] *= 0.01
    return a


@pytest.mark.parametrize("small_diagonal", [False, True])
def test_ldl_factor_and_solve(small_diagonal: bool) -> None:
    a = _symmetric(5, small_diagonal, (3,))
    # LAPACK's compact factors and pivots; torch defines no gradient for them (its refusal is compared)
    check(lambda T, a: (T.linalg.ldl_factor(a), T.linalg.ldl_factor_ex(a, hermitian=True)), [a])
    check(lambda T, a, b: T.linalg.ldl_solve(*T.linalg.ldl_factor(a), b), [a, rand(5, 2)])
    check(lambda T, a, b: T.linalg.ldl_solve(*T.linalg.ldl_factor(a), b), [a[0].astype("float32"),
                                                                         rand(5, 1, dtype="float32")],
          rtol=1e-4, atol=1e-4, grad=False)


_SINGULAR_SYMMETRIC = np.array([[4.0, 1, 2], [1, -3, 0.5], [2, 0.5, 1]])


def test_ldl_of_a_singular_matrix() -> None:
    check(lambda T, a: T.linalg.ldl_factor_ex(a), [_SINGULAR_SYMMETRIC], grad=False)  # its info says where


@pytest.mark.parametrize("fn", [
    lambda T: T.linalg.ldl_factor(T.tensor(_SINGULAR_SYMMETRIC)),
    lambda T: T.linalg.ldl_factor_ex(T.tensor(_SINGULAR_SYMMETRIC), check_errors=True),
    lambda T: T.linalg.ldl_factor(T.ones(3)),
    lambda T: T.linalg.ldl_factor(T.ones(2, 3)),
    lambda T: T.linalg.ldl_factor(T.ones(2, 2, dtype=T.int64)),
    lambda T: T.linalg.ldl_solve(*T.linalg.ldl_factor(T.eye(3)), T.ones(2, 2)),
    lambda T: T.linalg.ldl_solve(*T.linalg.ldl_factor(T.eye(3)), T.ones(3, 2, dtype=T.float64)),
])
def test_ldl_errors(fn: Any) -> None:
    check_error(fn)
