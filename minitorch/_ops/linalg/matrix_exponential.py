"""torch's matrix exponential (LinearAlgebra.cpp's ``mexp``, after Bader, Blanes and Casas 2019): each matrix of a
batch takes the Taylor polynomial of the lowest degree (1, 2, 4, 8, 12 or 18) whose norm bound its 1-norm meets,
evaluated with torch's products and coefficients (a zero coefficient of an infinite power makes NaN, as torch's);
past the last bound, degree 18 on the matrix scaled by 2**-s, then s squarings."""
from __future__ import annotations

import numpy as np

from .products import _batched_data, _mm_data

# the 1-norm bounds of degrees 1, 2, 4, 8, 12 and 18: float32's for float32 and complex64, else float64's
_THETAS_FLOAT = (1.192092800768788e-07, 5.978858893805233e-04, 5.116619363445086e-02, 5.800524627688768e-01,
                 1.461661507209034e+00, 3.010066362817634e+00)
_THETAS_DOUBLE = (2.220446049250313e-16, 2.580956802971767e-08, 3.397168839976962e-04, 4.991228871115323e-02,
                  2.996158913811580e-01, 1.090863719290036e+00)

def _t8_coefficients(real: type) -> tuple:
    """compute_T8's constants (x3, x1, x2, x4, x5, x6, x7, y2): sqrt(177) and 2/3 are constants of the real type
    (float32's for float32), the others computed from them in double, as C++ promotes them."""
    sqrt_177, x3 = float(real(0.1330413469565007072504e+2)), float(real(2. / 3.))
    return (x3, x3 * ((1. + sqrt_177) / 88.), x3 * ((1. + sqrt_177) / 352.), (-271. + 29. * sqrt_177) / (315. * x3),
            (-11. + 11. * sqrt_177) / (1260. * x3), (-99. + 11. * sqrt_177) / (5040. * x3),
            (89. - sqrt_177) / (5040. * x3), (857. - 58. * sqrt_177) / 630.)
_T12 = ((9.0198e-16, 0.46932117595418237389, -0.20099424927047284052, -0.04623946134063071740),
        (5.31597895759871264183, 1.19926790417132231573, 0.01179296240992997031, 0.01108844528519167989),
        (0.18188869982170434744, 0.05502798439925399070, 0.09351590770535414968, 0.00610700528898058230),
        (-2.0861320e-13, -0.13181061013830184015, -0.02027855540589259079, -0.00675951846863086359))
_T18 = ((0., -1.00365581030144618291e-01, -8.02924648241156932449e-03, -8.92138498045729985177e-04, 0.),
        (0., 3.97849749499645077844e-01, 1.36783778460411720168e+00, 4.98289622525382669416e-01,
         -6.37898194594723280150e-04),
        (-1.09676396052962061844e+01, 1.68015813878906206114e+00, 5.71779846478865511061e-02,
         -6.98210122488052056106e-03, 3.34975017086070470649e-05),
        (-9.04316832390810593223e-02, -6.76404519071381882256e-02, 6.75961301770459654925e-02,
         2.95552570429315521194e-02, -1.39180257516060693404e-05),
        (0., 0., -9.23364619367118555360e-02, -1.69364939002081722752e-02, -1.40086798182036094347e-05))


def _combination(matrices: list, coefficients: tuple) -> np.ndarray:
    """torch's _compute_linear_combination: 0 + c0 m0 + c1 m1 + ..., in order (a zero coefficient of an infinite
    power still makes NaN)."""
    real = matrices[0].real.dtype.type
    total = np.zeros_like(matrices[0])
    for m, c in zip(matrices, coefficients):
        total = total + m * real(c)
    return total


def _product(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """torch's matmul of two batches of matrices (a degree's polynomial on the batch of the matrices that chose it, the
    degree-18 one too): bmm's, its own in-order loop for small matrices. (A single matrix: a batch of one.)"""
    return _batched_data(a, b) if a.ndim == 3 else _batched_data(a[None], b[None])[0]


def _powers(a: np.ndarray, count: int) -> list:
    """The first ``count`` of I, A, A^2, A^3, A^6."""
    out = [np.broadcast_to(np.eye(a.shape[-1], dtype=a.dtype), a.shape), a]
    if count > 2:
        out.append(_product(a, a))
    if count > 3:
        out.append(_product(a, out[2]))
    if count > 4:
        out.append(_product(out[3], out[3]))
    return out


def _t1(a: np.ndarray) -> np.ndarray:
    return _combination(_powers(a, 2), (1, 1))


def _t2(a: np.ndarray) -> np.ndarray:
    eye, a, a2 = _powers(a, 3)
    return _combination([eye, a, a2 / a.real.dtype.type(2)], (1, 1, 1))


def _t4(a: np.ndarray) -> np.ndarray:
    powers = _powers(a, 3)
    a4 = _product(powers[2], _combination(powers, (1 / 2.0, 1 / 6.0, 1 / 24.0)))
    return _combination(powers + [a4], (1.0, 1.0, 0.0, 1.0))


def _t8(a: np.ndarray) -> np.ndarray:
    x3, x1, x2, x4, x5, x6, x7, y2 = _t8_coefficients(a.real.dtype.type)
    powers = _powers(a, 3)
    a4 = _product(powers[2], _combination(powers[1:3], (x1, x2)))
    a8 = _product(_combination([powers[2], a4], (x3, 1.0)), _combination(powers + [a4], (x4, x5, x6, x7)))
    return _combination(powers + [a4, a8], (1.0, 1.0, y2, 0.0, 1.0))


def _t12(a: np.ndarray) -> np.ndarray:
    powers = _powers(a, 4)
    b = [_combination(powers, row) for row in _T12]
    b[2] = b[2] + _product(b[3], b[3])  # A6
    return b[0] + _product(b[1] + b[2], b[2])


def _t18(a: np.ndarray) -> np.ndarray:
    powers = _powers(a, 5)
    b = [_combination(powers, row) for row in _T18]
    b[3] = b[3] + _product(b[0], b[4])  # A9
    return b[1] + _product(b[2] + b[3], b[3])


def _scaled_and_squared(a: np.ndarray, norm: np.ndarray, theta: np.ndarray) -> np.ndarray:
    """Degree 18 on A * 2**-s, s = max(0, ceil(log2(norm / theta))) in the matrix's real dtype (2**-1024 is float64's
    subnormal, where 2**1024 would overflow), then s squarings (none for an infinite or NaN s, whose int64 is
    INT64_MIN)."""
    exponent = np.fmax(0, np.ceil(np.log2(norm / theta))) if not np.isnan(norm) else norm
    result = _t18(a * a.real.dtype.type(2) ** -exponent)
    for _ in range(int(exponent) if np.isfinite(exponent) else 0):  # (each matrix alone: mm's products)
        result = _mm_data(result, result)
    return result


_DEGREES = (_t1, _t2, _t4, _t8, _t12)


def mexp(a: np.ndarray) -> np.ndarray:
    """exp of each matrix of a batch ``(b, n, n)`` of float32, float64 or complex matrices, as torch's: a batch of
    more than one matrix takes degree 18 for each (torch's compute_highest_degree_approx). A single matrix whose
    1-norm is NaN is left NaN (torch leaves its result uninitialized)."""
    thetas = _THETAS_FLOAT if a.real.dtype == np.float32 else _THETAS_DOUBLE
    real = a.real.dtype.type
    result = np.full_like(a, np.nan)
    with np.errstate(all="ignore"):
        norms = np.abs(a).sum(-2).max(-1) if a.shape[-1] else np.zeros(a.shape[0], a.real.dtype)
        if a.shape[0] > 1:
            for i in range(a.shape[0]):
                result[i] = _scaled_and_squared(a[i], norms[i], real(thetas[5]))
            return result
        for i, degree in enumerate(_DEGREES):
            lower = real(-1) if i == 0 else real(thetas[i - 1])
            chosen = (lower < norms) & (norms <= real(thetas[i]))
            if chosen.any():
                result[chosen] = degree(a[chosen])
        for large in np.flatnonzero(norms >= real(thetas[4])):  # (a norm at the degree-12 bound: degree 18 wins)
            result[large] = _scaled_and_squared(a[large], norms[large], real(thetas[5]))
    return result
