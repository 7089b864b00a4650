"""Op-table cases for the breadth of torch's top-level math: angle conversion, sign and floating-point
decomposition, gcd/lcm, heaviside, ldexp, float_power; statistics, searching, windows and creation helpers."""
from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from op_table import OpCase, binary, ndarray, unary
from strategies import ALL, FLOATS, INTS, array, broadcast_shapes, shapes

NUMERIC = FLOATS + INTS


def _pair(draw: Any, dtype: str, domain: str | None = None, other_dtype: str | None = None) -> list:
    """Two broadcastable arrays (the second of ``other_dtype``, default ``dtype``)."""
    a, b = draw(broadcast_shapes(2))
    return [array(draw, dtype, tuple(a), domain), array(draw, other_dtype or dtype, tuple(b), domain)]


POINTWISE = [
    unary("deg2rad", dtypes=ALL), unary("rad2deg", dtypes=ALL),
    unary("signbit", dtypes=ALL, edge=True, grad=False),
    unary("positive", dtypes=NUMERIC),
    OpCase("frexp", lambda T, x: T.frexp(x), dtypes=FLOATS, edge=True),
    OpCase("frexp_method", lambda T, x: x.frexp().mantissa * 3),
    binary("copysign", dtypes=ALL, edge=True),
    OpCase("copysign_scalar", lambda T, x: (T.copysign(x, -2.0), x.copysign(0.0))),
    binary("nextafter", edge=True),
    binary("gcd", dtypes=INTS), binary("lcm", dtypes=INTS),
    OpCase("gcd_lcm_inplace", lambda T, x, y: (x.clone().gcd_(y), T.lcm_(x.clone(), y)), inputs=lambda d, t: [
        array(d, t, (3,)), array(d, t, (3,))], dtypes=INTS),
    binary("heaviside", dtypes=ALL, grad=False),
    # integral exponents from 0 to 62: torch's gradient takes 2 ** e in int64, wrong outside them (test_math_breadth)
    OpCase("ldexp", lambda T, x, e: T.ldexp(x, e), inputs=lambda d, t: [
        array(d, t, (3,), "small"), array(d, "int64", (3,), "positive")]),
    OpCase("ldexp_float_exponent", lambda T, x, e: (T.ldexp(x, e), x.clone().ldexp_(e)),
           inputs=lambda d, t: _pair(d, t, "small")),
    OpCase("float_power", lambda T, x, y: T.float_power(x, y), inputs=lambda d, t: _pair(d, t, "positive"),
           dtypes=NUMERIC),
    OpCase("float_power_scalars", lambda T, x: (T.float_power(x, 2), T.float_power(1.5, x), x.float_power(-0.5)),
           domain="positive", dtypes=NUMERIC),
    OpCase("float_power_inplace", lambda T, x: (x * 1).float_power_(3), dtypes=("float64",)),
    OpCase("inplace_functions", lambda T, x: (T.exp_(x * 1), T.arccos_(x / 4), T.relu_(x - 1),
                                              T.round_(x * 1, decimals=1),
                                              T.deg2rad_(x * 1), T.xlogy_(x * 1, 2.0)), domain="small"),
]



def _with_nans(draw: Any, dtype: str, min_dims: int = 1) -> np.ndarray:
    x = ndarray(draw, dtype, min_dims, 3, "small")
    return np.where(array(draw, "bool", x.shape) & array(draw, "bool", x.shape), np.nan, x).astype(dtype)


def _dim_of(draw: Any, x: np.ndarray) -> int:
    return draw(st.integers(-x.ndim, x.ndim - 1))


def _reduced(draw: Any, dtype: str) -> list:
    x = ndarray(draw, dtype, 1, 3, "small")
    return [x, _dim_of(draw, x), draw(st.booleans())]


def _nan_reduced(draw: Any, dtype: str) -> list:
    x = _with_nans(draw, dtype)
    return [x, _dim_of(draw, x), draw(st.booleans())]


def _quantiles(draw: Any, dtype: str) -> list:
    x, dim, keepdim = _reduced(draw, dtype)
    q = np.asarray(draw(st.lists(st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.8, 1.0]), min_size=1, max_size=3)), dtype)
    return [x, q, dim, keepdim, draw(st.sampled_from(["linear", "lower", "higher", "midpoint", "nearest"]))]


def _nan_quantiles(draw: Any, dtype: str) -> list:
    x, q, dim, keepdim, mode = _quantiles(draw, dtype)
    return [np.where(array(draw, "bool", x.shape) & array(draw, "bool", x.shape), np.nan, x).astype(dtype), q, dim,
            keepdim, mode]


def _matrix(draw: Any, dtype: str, rows: tuple = (1, 4), cols: tuple = (2, 5)) -> np.ndarray:
    shape = (draw(st.integers(*rows)), draw(st.integers(*cols)))
    return array(draw, dtype, shape, "small")


def _weights(draw: Any, dtype: str) -> list:
    x = _matrix(draw, dtype, cols=(3, 5))
    n = x.shape[1]
    return [x, np.asarray(draw(st.lists(st.integers(1, 3), min_size=n, max_size=n))),
            array(draw, dtype, (n,), "positive"), draw(st.integers(0, 2))]


def _on_grid(x: np.ndarray) -> np.ndarray:
    """Values on a 1/8 grid: near |x| ~ 1e-36 the norms' power sums underflow, and torch's and minitorch's
    gradients part there (NaN against 0)."""
    return np.round(x * 8) / 8


def _points(draw: Any, dtype: str) -> list:
    rows1, rows2, cols = (draw(st.integers(1, 4)) for _ in range(3))
    batch = draw(st.sampled_from([(), (2,)]))
    return [_on_grid(array(draw, dtype, batch + (rows1, cols), "small")),
            _on_grid(array(draw, dtype, (rows2, cols), "small")),
            draw(st.sampled_from([0.0, 1.0, 1.5, 2.0, 3.0, float("inf")]))]


def _samples(draw: Any, dtype: str) -> list:
    y = ndarray(draw, dtype, 1, 3, "small")
    dim = _dim_of(draw, y)
    return [y, np.sort(array(draw, dtype, (y.shape[dim],), "small")), dim]


STATISTICS = [
    OpCase("aminmax", lambda T, x, dim, keepdim: T.aminmax(x, dim=dim, keepdim=keepdim), inputs=_reduced,
           dtypes=ALL),
    OpCase("aminmax_all", lambda T, x: x.aminmax(), inputs=lambda d, t: [ndarray(d, t, 0, 3, "small")]),
    OpCase("nansum", lambda T, x, dim, keepdim: (T.nansum(x, dim, keepdim), x.nansum()), inputs=_nan_reduced),
    OpCase("nansum_integers", lambda T, x: (T.nansum(x), T.nansum(x, 0, dtype=T.float64)),
           inputs=lambda d, t: [ndarray(d, t, 1)], dtypes=INTS + ("bool",)),
    OpCase("nanmean", lambda T, x, dim, keepdim: (T.nanmean(x, dim, keepdim), x.nanmean()), inputs=_nan_reduced),
    OpCase("nanmedian", lambda T, x: T.nanmedian(x), inputs=lambda d, t: [_with_nans(d, t, 0)], dtypes=NUMERIC),
    OpCase("nanmedian_dim", lambda T, x, dim, keepdim: x.nanmedian(dim, keepdim), inputs=_nan_reduced),
    OpCase("quantile", lambda T, x, q, dim, keepdim, mode: T.quantile(x, q, dim, keepdim, interpolation=mode),
           inputs=_quantiles),
    OpCase("quantile_scalar", lambda T, x, q, dim, keepdim, mode: (x.quantile(float(q[0]), interpolation=mode),
                                                                     T.quantile(x, float(q[-1]), dim, keepdim)),
           inputs=_quantiles),
    OpCase("nanquantile", lambda T, x, q, dim, keepdim, mode: T.nanquantile(x, q, dim, keepdim, interpolation=mode),
           inputs=_nan_quantiles),
    OpCase("logcumsumexp", lambda T, x, dim: T.logcumsumexp(x, dim), inputs=lambda d, t: _reduced(d, t)[:2]),
    OpCase("cov", lambda T, x: (T.cov(x), x.cov(correction=0)), inputs=lambda d, t: [_matrix(d, t, cols=(3, 5))]),
    OpCase("cov_weights", lambda T, x, fw, aw, c: (T.cov(x, correction=c, fweights=fw), T.cov(x, aweights=aw),
                                                    T.cov(x, fweights=fw, aweights=aw, correction=c)), inputs=_weights),
    OpCase("cov_vector_integers", lambda T, x: T.cov(x), inputs=lambda d, t: [array(d, t, (4,))], dtypes=INTS),
    OpCase("corrcoef", lambda T, x: (T.corrcoef(x), x[:1].corrcoef()),
           inputs=lambda d, t: [_matrix(d, t, (2, 4), (3, 5))]),
    OpCase("diff", lambda T, x, dim, n: T.diff(x, n, dim),
           inputs=lambda d, t: _reduced(d, t)[:2] + [d(st.integers(1, 3))],
           dtypes=ALL),
    OpCase("diff_prepend_append", lambda T, x: (x.diff(prepend=x, append=x[..., :1]), T.diff(x, dim=0, append=x),
                                                T.diff(x, 0, prepend=x)),
           inputs=lambda d, t: [ndarray(d, t, 2, 3, "small")]),
    OpCase("trapezoid", lambda T, y, x, dim: (T.trapezoid(y, dim=dim), T.trapezoid(y, x, dim=dim),
                                              T.trapezoid(y, dx=0.5, dim=dim), T.trapz(y, x, dim=dim),
                                              T.trapz(y, dx=2.0)), inputs=_samples),
    OpCase("cumulative_trapezoid", lambda T, y, x, dim: (T.cumulative_trapezoid(y, dim=dim),
                                                         T.cumulative_trapezoid(y, x, dim=dim),
                                                         T.cumulative_trapezoid(y, dx=3, dim=dim)), inputs=_samples),
    OpCase("trapezoid_integers", lambda T, y: (T.trapezoid(y), T.cumulative_trapezoid(y)),
           inputs=lambda d, t: [ndarray(d, t, 1)], dtypes=INTS),
    OpCase("dist", lambda T, x, y, p: (T.dist(x, y, p), x.dist(y)), inputs=lambda d, t: [
        _on_grid(a) for a in _pair(d, t, "small")] + [d(st.sampled_from([1, 1.5, 2, 3, float("inf")]))]),
    OpCase("dist_tiny", lambda T, x, y: tuple(T.dist(x, y, p) for p in (0, 1, 2, 3)), inputs=lambda d, t: [
        np.asarray(0.0, t), np.asarray(1e-36, t)], grad=False),
    OpCase("renorm", lambda T, x, p, dim, maxnorm: (T.renorm(x, p, dim, maxnorm), (x * 1).renorm_(p, dim, maxnorm)),
           inputs=lambda d, t: [ndarray(d, t, 2, 3, "small"), d(st.sampled_from([1, 1.5, 2, 3])),
                                d(st.integers(0, 1)), d(st.sampled_from([0.5, 1.0, 5.0]))]),
    OpCase("histc", lambda T, x, bins: (T.histc(x, bins), x.histc(bins, -1, 1.5)),
           inputs=lambda d, t: [ndarray(d, t, 0, 3, "small"), d(st.integers(1, 6))], grad=False),
    OpCase("histogram", lambda T, x, bins: (T.histogram(x, bins), x.histogram(bins, range=(-1.0, 2.0), density=True),
                                            T.histogram(x, T.tensor([-2.0, 0.0, 0.5, 3.0], dtype=x.dtype),
                                                        weight=x.abs())),
           inputs=lambda d, t: [ndarray(d, t, 1, 3, "small"), d(st.integers(1, 6))], grad=False),
    OpCase("cdist", lambda T, x1, x2, p: T.cdist(x1, x2, p), inputs=_points,
           second_order=False),  # torch: "the derivative for '_cdist_backward' is not implemented"
    OpCase("cdist_by_products", lambda T, x1, x2, p: (T.cdist(x1, x2, compute_mode="use_mm_for_euclid_dist"),
                                                      T.cdist(x1, x2.expand(30, -1))), inputs=_points, rtol=1e-4,
           atol=1e-5),
    OpCase("pdist", lambda T, x, p: (T.pdist(x, p), T.nn.functional.pdist(x, p)),
           inputs=lambda d, t: [_on_grid(_matrix(d, t, (2, 5))),
                                d(st.sampled_from([0.0, 1.0, 1.5, 2.0, float("inf")]))],
           second_order=False),  # torch: "the derivative for '_pdist_backward' is not implemented"
]

def _sorted_rows(draw: Any, dtype: str) -> list:
    """Sorted boundaries (1-d, or rows matching the values' leading dims) and values, some of them on the
    boundaries."""
    batch = draw(st.sampled_from([(), (2,)]))
    boundaries = np.sort(array(draw, dtype, batch + (draw(st.integers(1, 5)),)), -1)
    values = array(draw, dtype, batch + (draw(st.integers(1, 4)),))
    return [boundaries, np.concatenate([values, boundaries[..., :1]], -1)]


def _run_data(draw: Any, dtype: str) -> list:
    """Few distinct values, so that runs repeat."""
    shape = draw(st.sampled_from([(6,), (4, 3), (3, 2, 2)]))
    return [np.asarray(array(draw, "int64", shape) % 3, dtype), draw(st.integers(0, len(shape) - 1))]


SEARCHING = [
    OpCase("searchsorted", lambda T, b, v: (T.searchsorted(b, v), T.searchsorted(b, v, right=True),
                                            T.searchsorted(b, v, side="right", out_int32=True)),
           inputs=_sorted_rows, dtypes=NUMERIC, grad=False),
    OpCase("searchsorted_sorter_scalar", lambda T, b, v: (
        T.searchsorted(b.flip(-1), v, sorter=T.arange(b.shape[-1] - 1, -1, -1).expand(b.shape).contiguous()),
        T.searchsorted(b.reshape(-1).sort().values, 1.5)), inputs=_sorted_rows, grad=False),
    OpCase("searchsorted_nan",
           lambda T, b, v: T.searchsorted(T.tensor([1.0, float("nan")]), T.tensor([float("nan"), 2.0])),
           inputs=lambda d, t: [np.zeros(1), np.zeros(1)], grad=False),
    OpCase("bucketize", lambda T, b, v: (T.bucketize(v, b[..., 0, :] if b.ndim > 1 else b),
                                         T.bucketize(v, b.reshape(-1).sort().values, right=True, out_int32=True),
                                         T.bucketize(2, b.reshape(-1).sort().values)),
           inputs=_sorted_rows, dtypes=NUMERIC, grad=False),
    OpCase("isin", lambda T, x, y: (T.isin(x, y), T.isin(x, y, invert=True), T.isin(2, y), T.isin(x, 3),
                                    T.isin(x, y.long(), assume_unique=True)),
           inputs=lambda d, t: [np.asarray(array(d, "int64", d(shapes(0, 2))) % 4, t),
                                np.asarray(array(d, "int64", d(shapes(0, 2))) % 4, t)], dtypes=NUMERIC, grad=False),
    OpCase("unique_consecutive", lambda T, x, dim: (T.unique_consecutive(x), x.unique_consecutive(True, True),
                                                    T.unique_consecutive(x, return_counts=True, dim=dim),
                                                    T.unique_consecutive(x, return_inverse=True, dim=dim)),
           inputs=_run_data, dtypes=ALL, grad=False),
    OpCase("msort", lambda T, x: (T.msort(x), x.msort()), inputs=lambda d, t: [ndarray(d, t, 1, 3, "small")],
           dtypes=ALL),
    OpCase("argwhere", lambda T, x: (T.argwhere(x), x.argwhere()), inputs=lambda d, t: [ndarray(d, t, 0, 3)],
           dtypes=ALL),
]

def _window_calls(T: Any, n: int, periodic: bool, dtype: str) -> tuple:
    dt = getattr(T, dtype)
    return (T.hann_window(n, periodic, dtype=dt), T.hamming_window(n, dtype=dt), T.hamming_window(n, periodic, 0.5),
            T.hamming_window(n, periodic, 0.6, 0.3, dtype=dt), T.blackman_window(n, periodic, dtype=dt),
            T.bartlett_window(n, periodic, dtype=dt), T.kaiser_window(n, dtype=dt), T.kaiser_window(n, periodic, 5.0),
            T.hann_window(n, requires_grad=True))


def _vector(draw: Any, dtype: str, low: int = 1) -> np.ndarray:
    return array(draw, dtype, (draw(st.integers(low, 4)),), "small")


def _logspace_calls(T: Any, start: float, end: float, steps: int, base: float) -> tuple:
    return (T.logspace(start, end, steps), T.logspace(start, end, steps, base, dtype=T.float64),
            T.logspace(T.tensor(start), end, steps, 2.0), T.logspace(0, 3, steps, dtype=T.int64))


CREATION = [
    OpCase("windows", lambda T, n, periodic, dtype: _window_calls(T, n, periodic, dtype), inputs=lambda d, t: [
        d(st.integers(0, 12)), d(st.booleans()), t], grad=False),
    OpCase("logspace", _logspace_calls, inputs=lambda d, t: [d(st.sampled_from([-2.0, 0.0, 0.5])),
                                                            d(st.sampled_from([1.0, 2.0, 3.5])), d(st.integers(0, 9)),
                                                            d(st.sampled_from([2.0, 3.0, 10.0]))], grad=False),
    OpCase("triangle_indices", lambda T, r, c, k: (T.tril_indices(r, c), T.tril_indices(r, c, k),
                                                   T.triu_indices(r, c, k, dtype=T.int32), T.triu_indices(r, c)),
           inputs=lambda d, t: [d(st.integers(0, 5)), d(st.integers(0, 5)), d(st.integers(-3, 3))], grad=False),
    OpCase("scalar_tensor", lambda T, x: (T.scalar_tensor(x), T.scalar_tensor(int(x), dtype=T.int32),
                                          T.scalar_tensor(True), T.scalar_tensor(x, requires_grad=True)),
           inputs=lambda d, t: [d(st.floats(-5, 5))], grad=False),
    OpCase("block_diag", lambda T, a, b, c: T.block_diag(a, b, c, a.sum()), inputs=lambda d, t: [
        _matrix(d, t), _vector(d, t), _matrix(d, t, (0, 2), (0, 3))], dtypes=ALL),
    OpCase("block_diag_mixed_dtypes", lambda T, a, b: T.block_diag(a, b.long()), inputs=lambda d, t: [
        _matrix(d, t), _vector(d, t)]),
    OpCase("cartesian_prod", lambda T, a, b, c: (T.cartesian_prod(a, b, c), T.cartesian_prod(a)),
           inputs=lambda d, t: [_vector(d, t), _vector(d, t), _vector(d, t)], dtypes=ALL),
    OpCase("combinations", lambda T, x, r: (T.combinations(x), T.combinations(x, r), T.combinations(x, r, True)),
           inputs=lambda d, t: [_vector(d, t), d(st.integers(0, 3))], dtypes=ALL),
    OpCase("vander", lambda T, x, n: (T.vander(x), T.vander(x, n), T.vander(x, n, increasing=True)),
           inputs=lambda d, t: [_vector(d, t), d(st.integers(0, 4))], dtypes=ALL,
           # torch's own backward fails here (its in-place cumprod overwrites a tensor it saved); minitorch's
           # differentiates: values and grad_fn names are compared
           grad=False),
    OpCase("diagflat", lambda T, x, k: (T.diagflat(x), x.diagflat(k)), inputs=lambda d, t: [
        ndarray(d, t, 0, 2, "small"), d(st.integers(-2, 2))], dtypes=ALL),
    OpCase("broadcast_shapes", lambda T, a, b: (T.broadcast_shapes(a.shape, b.shape), T.broadcast_shapes(a.shape, 1),
                                                T.broadcast_shapes()), inputs=lambda d, t: _pair(d, t), grad=False),
    OpCase("unravel_index", lambda T, i, n: (T.unravel_index(i, (3, n)), T.unravel_index(i.int(), n),
                                             T.unravel_index(i, (2, 1, n))), inputs=lambda d, t: [
        ndarray(d, t, 0, 2), d(st.integers(1, 5))], dtypes=INTS, grad=False),
]

CASES = POINTWISE + STATISTICS + SEARCHING + CREATION
