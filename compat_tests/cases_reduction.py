"""Op-table cases for reductions, scans, sorting and selection.

Which index torch returns among equal values is part of what is compared, so most inputs here are
drawn from a small pool of values (``tied``): rows have ties, NaNs and signed zeros. Row lengths
beyond 16, 64 reach the parts of torch's kernels (introsort, heap select) that are not stable.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from op_table import OpCase, ndarray, with_dim, with_dims
from strategies import ALL, FLOATS, INTS, array, shapes

NUMERIC = FLOATS + INTS
INF = float("inf")


# ---- values
def tied(draw: Any, dtype: str, shape: tuple, nan: bool = True) -> np.ndarray:
    """An array of values from a small pool, so that equal values are common."""
    if dtype == "bool":
        pool: list = [False, True]
    elif dtype.startswith(("int", "uint")):
        pool = [0, 1, 2, 3] if dtype.startswith("uint") else [-2, 0, 1, 3]
    else:
        pool = [-1.5, -0.0, 0.0, 0.5, 2.0] + ([float("nan")] if nan else [])
    return draw(hnp.arrays(np.dtype(dtype), shape, elements=st.sampled_from(pool)))


def moderate(draw: Any, dtype: str, shape: tuple) -> np.ndarray:
    """Distinct magnitudes in [0.125, 3] (and small integers): products and their quotients stay
    finite. (Tiny values would also test the second derivative of division, which is not this file's
    business; distinct values keep a float slice's spread from being pure rounding noise, whose
    gradient through std depends on the order torch sums in.)"""
    if dtype in FLOATS:
        magnitudes = st.floats(0.125, 3.0, width=32 if dtype == "float32" else 64)
        elements = st.tuples(magnitudes, st.booleans()).map(lambda p: -p[0] if p[1] else p[0])
        return draw(hnp.arrays(np.dtype(dtype), shape, elements=elements, unique=True))
    return array(draw, dtype, shape)


def plain(draw: Any, dtype: str, shape: tuple) -> np.ndarray:
    """Moderate values or tied ones (no NaN): what moments and norms are tested on."""
    return tied(draw, dtype, shape, nan=False) if draw(st.booleans()) else moderate(draw, dtype, shape)


# ---- inputs: values with dims and the ops' other arguments
def tied_dim(draw: Any, dtype: str, min_dims: int = 0, max_side: int = 5, nan: bool = True) -> list:
    """A tied array and a dim of it."""
    x = tied(draw, dtype, draw(shapes(min_dims, 3, max_side=max_side)), nan)
    return [x, draw(st.integers(-max(x.ndim, 1), max(x.ndim, 1) - 1))]


def long_rows(draw: Any, dtype: str, low: int = 17, high: int = 40) -> list:
    """Tied rows longer than 16 (where std::sort stops being an insertion sort), and their dim."""
    n = draw(st.integers(low, high))
    shape = draw(st.sampled_from([(n,), (2, n), (n, 2)]))
    return [tied(draw, dtype, shape), shape.index(n)]


def reduce_dims(draw: Any, ndim: int) -> Any:
    """None, an int, or a tuple of dims (possibly empty) of an ``ndim``-d tensor."""
    n = max(ndim, 1)
    return draw(st.one_of(st.none(), st.integers(-n, n - 1),
                          st.lists(st.integers(0, n - 1), max_size=n, unique=True).map(tuple)))


def with_reduce_dims(draw: Any, dtype: str, make: Callable) -> list:
    """Values from ``make``, dims to reduce and keepdim."""
    x = make(draw, dtype, draw(shapes(0, 3)))
    return [x, reduce_dims(draw, x.ndim), draw(st.booleans())]


def _dims_kw(dims: Any) -> dict:
    return {} if dims is None else {"dim": dims}


def _small_dim(draw: Any, dtype: str) -> list:
    """Moderate values, a dim and keepdim."""
    x = moderate(draw, dtype, draw(shapes(0, 3)))
    n = max(x.ndim, 1)
    return [x, draw(st.integers(-n, n - 1)), draw(st.booleans())]


def _zeros_in(draw: Any, dtype: str) -> list:
    """Products whose rows hold no, one or several zeros."""
    x = draw(hnp.arrays(np.dtype(dtype), draw(shapes(1, 3)), elements=st.sampled_from([0.0, 0.0, 1.5, -0.5, 2.0])))
    return [x, draw(st.integers(-x.ndim, x.ndim - 1))]


def _tied_in(draw: Any, dtype: str) -> list:
    return [tied(draw, dtype, draw(shapes(0, 3)))]


def _plain_dim(draw: Any, dtype: str) -> list:
    x = plain(draw, dtype, draw(shapes(1, 3)))
    return [x, draw(st.integers(-x.ndim, x.ndim - 1))]


def _correction_args(draw: Any, dtype: str) -> list:
    x, dims, keepdim = with_reduce_dims(draw, dtype, plain)
    return [x, dims, draw(st.sampled_from([0, 1, 2, 0.5])), keepdim]


def _norm_args(draw: Any, dtype: str) -> list:
    x = plain(draw, dtype, draw(shapes(0, 3)))
    ord_ = draw(st.sampled_from([2, 1, INF, -INF, 0, 3, 0.5, -1, 1.5, 2.5]))
    return [x, ord_, reduce_dims(draw, x.ndim), draw(st.booleans())]


def _torch_norm_args(draw: Any, dtype: str) -> list:
    x = ndarray(draw, dtype, 1, 3, "small")
    dim = draw(st.one_of(st.none(), st.integers(0, x.ndim - 1),
                         st.lists(st.integers(0, x.ndim - 1), min_size=1, max_size=min(2, x.ndim),
                                  unique=True).map(tuple)))
    return [x, draw(st.sampled_from([2, 1, INF, "fro", None, 3])), dim, draw(st.booleans())]


def _topk_args(draw: Any, dtype: str, rows: list) -> list:
    x, d = rows
    n = x.shape[d] if x.ndim else 1
    return [x, draw(st.integers(0, n)), d, draw(st.booleans()), draw(st.booleans())]


def _partial_sort_rows(draw: Any, dtype: str) -> list:
    """Rows of at least 64 with k * 64 <= n: topk's heap-based partial sort."""
    x, d = long_rows(draw, dtype, 64, 130)
    return [x, draw(st.integers(1, x.shape[d] // 64)), d, draw(st.booleans()), draw(st.booleans())]


def _kth_args(draw: Any, dtype: str) -> list:
    x, d = tied_dim(draw, dtype, max_side=12) if draw(st.booleans()) else long_rows(draw, dtype)
    n = x.shape[d] if x.ndim else 1
    return [x, draw(st.integers(1, n)), d, draw(st.booleans())]


def _bincount_args(draw: Any, dtype: str) -> list:
    n = draw(st.integers(0, 8))
    x = draw(hnp.arrays(np.int64, (n,), elements=st.integers(0, 6)))
    return [x, draw(st.integers(0, 9))]


def _weights_args(draw: Any, dtype: str) -> list:
    x, minlength = _bincount_args(draw, dtype)
    return [x, array(draw, dtype, x.shape, "small"), minlength]


# ---- functions under test
def _inplace(method: str) -> Callable:
    """``y = x.clone(); y.<method>(dim); y``: an in-place scan on a tensor that may require grad."""
    def fn(T: Any, x: Any, dim: int) -> Any:
        y = x.clone()
        getattr(y, method)(dim)
        return y
    return fn


def _node_names(t: Any) -> tuple:
    return type(t.grad_fn).__name__, t.grad_fn.name()


CASES = [
    # ---- sum / mean: the overloads the core cases leave out
    OpCase("sum_keepdim_all", lambda T, x, k: (x.sum(None, True), T.sum(x, dim=(), keepdim=k)),
           inputs=lambda d, t: [ndarray(d, t), d(st.booleans())], dtypes=ALL),
    OpCase("sum_dims_dtype", lambda T, x, dims, k: T.sum(x, dims, keepdim=k, dtype=T.float64),
           inputs=with_dims, dtypes=ALL),
    OpCase("mean_keepdim_dtype", lambda T, x, dims, k: (T.mean(x, None, keepdim=True),
                                                        x.mean(dims, k, dtype=T.float64)),
           inputs=with_dims, dtypes=FLOATS),
    OpCase("mean_int_dtype", lambda T, x: x.mean(dtype=T.float32), inputs=lambda d, t: [ndarray(d, t)],
           dtypes=INTS + ("bool",)),
    # ---- prod
    OpCase("prod", lambda T, x: x.prod(), inputs=lambda d, t: _small_dim(d, t)[:1], dtypes=ALL),
    OpCase("prod_dim", lambda T, x, dim, k: T.prod(x, dim, keepdim=k), inputs=_small_dim, dtypes=ALL),
    OpCase("prod_zeros", lambda T, x, dim: (x.prod(), x.prod(dim), T.prod(x, dim, True)), inputs=_zeros_in),
    OpCase("prod_dtype", lambda T, x, dim, k: (x.prod(dtype=T.float64), x.prod(dim, k, dtype=T.float64)),
           inputs=_small_dim, dtypes=NUMERIC),
    # ---- max / min / amax / amin / argmax / argmin, with ties and NaN
    OpCase("max_min_ties", lambda T, x: (x.max(), T.min(x)), inputs=_tied_in, dtypes=ALL),
    OpCase("max_dim_ties", lambda T, x, dim, k: T.max(x, dim, keepdim=k),
           inputs=lambda d, t: tied_dim(d, t) + [d(st.booleans())], dtypes=ALL),
    OpCase("min_dim_ties", lambda T, x, dim, k: x.min(dim, k),
           inputs=lambda d, t: tied_dim(d, t) + [d(st.booleans())], dtypes=ALL),
    OpCase("amax", lambda T, x, dims, k: (x.amax(), T.amax(x, **_dims_kw(dims), keepdim=k)),
           inputs=lambda d, t: with_reduce_dims(d, t, tied), dtypes=ALL),
    OpCase("amin", lambda T, x, dims, k: (T.amin(x), x.amin(**_dims_kw(dims), keepdim=k)),
           inputs=lambda d, t: with_reduce_dims(d, t, tied), dtypes=ALL),
    OpCase("argmax_argmin_ties", lambda T, x, dim, k: (x.argmax(), T.argmin(x), x.argmax(dim, k),
                                                        T.argmin(x, dim=dim, keepdim=k), x.argmax(None, True)),
           inputs=lambda d, t: tied_dim(d, t) + [d(st.booleans())], dtypes=NUMERIC),
    # ---- var / std / var_mean / std_mean
    OpCase("var", lambda T, x, dims, k: (x.var(), T.var(x, **_dims_kw(dims), keepdim=k)),
           inputs=lambda d, t: with_reduce_dims(d, t, plain)),
    OpCase("var_correction", lambda T, x, dims, c, k: T.var(x, **_dims_kw(dims), correction=c, keepdim=k),
           inputs=_correction_args),
    OpCase("var_unbiased", lambda T, x, dim: (x.var(False), T.var(x, dim, False), x.var(dim, True, True),
                                              T.var(x, None, unbiased=False, keepdim=True)),
           inputs=_plain_dim),
    OpCase("std", lambda T, x, dims, k: (x.std(), T.std(x, **_dims_kw(dims), keepdim=k)),
           inputs=lambda d, t: with_reduce_dims(d, t, plain)),
    OpCase("std_correction", lambda T, x, dims, c, k: x.std(**_dims_kw(dims), correction=c, keepdim=k),
           inputs=_correction_args),
    OpCase("std_unbiased", lambda T, x, dim: (T.std(x, False), x.std(dim, False), T.std(x, dim, True, True)),
           inputs=_plain_dim),
    OpCase("var_mean", lambda T, x, dims, c, k: (T.var_mean(x), T.var_mean(x, **_dims_kw(dims), correction=c,
                                                                          keepdim=k)),
           inputs=_correction_args),
    OpCase("std_mean", lambda T, x, dims, c, k: (T.std_mean(x, unbiased=False),
                                                 T.std_mean(x, **_dims_kw(dims), correction=c, keepdim=k)),
           inputs=_correction_args),
    # ---- logsumexp
    OpCase("logsumexp", lambda T, x, dims, k: T.logsumexp(x, dims, keepdim=k),
           inputs=lambda d, t: [ndarray(d, t, 0, 3) if t != "float64" else array(
               d, t, d(shapes(0, 3)), edge=d(st.booleans())), d(st.integers(-1, 0)), d(st.booleans())],
           dtypes=ALL),
    OpCase("logsumexp_dims", lambda T, x, dims, k: x.logsumexp(dims, k), inputs=with_dims),
    OpCase("logsumexp_large", lambda T, x, dim: x.logsumexp(dim),
           inputs=lambda d, t: [d(hnp.arrays(np.dtype(t), d(shapes(1, 2)), elements=st.sampled_from(
               [1000.0, 999.5, -1000.0, 88.5]))), 0]),
    # ---- vector norms
    OpCase("vector_norm", lambda T, x, ord_, dims, k: T.linalg.vector_norm(x, ord_, dims, k),
           inputs=_norm_args),
    OpCase("vector_norm_dtype", lambda T, x: (T.linalg.vector_norm(x, dtype=T.float64),
                                              T.linalg.vector_norm(x, ord=INF, dim=-1, dtype=T.float64)),
           inputs=lambda d, t: [ndarray(d, t, 1, 3, "small")]),
    OpCase("norm", lambda T, x, p, dim, k: (x.norm(), T.norm(x, p, dim, k)), inputs=_torch_norm_args),
    OpCase("norm_dtype", lambda T, x: (x.norm(dtype=T.float64), x.norm(1, 0, dtype=T.float64)),
           inputs=lambda d, t: [ndarray(d, t, 1, 3, "small")]),
    # ---- all / any / count_nonzero (no gradients)
    OpCase("all", lambda T, x, dims, k: (x.all(), T.all(x, **_dims_kw(dims), keepdim=k), x.all(())),
           inputs=lambda d, t: with_reduce_dims(d, t, tied), dtypes=ALL + ("uint8",)),
    OpCase("any", lambda T, x, dims, k: (T.any(x), x.any(**_dims_kw(dims), keepdim=k), T.any(x, ())),
           inputs=lambda d, t: with_reduce_dims(d, t, tied), dtypes=ALL + ("uint8",)),
    OpCase("count_nonzero", lambda T, x, dims: (T.count_nonzero(x), x.count_nonzero(dims)),
           inputs=lambda d, t: with_reduce_dims(d, t, tied)[:2], dtypes=ALL),
    # ---- scans
    OpCase("cumsum", lambda T, x, dim: (T.cumsum(x, dim), x.cumsum(dim=dim)), inputs=lambda d, t: with_dim(
        d, t, keepdim=False) if d(st.booleans()) else [ndarray(d, t, 0, 0), 0], dtypes=ALL),
    OpCase("cumsum_dtype", lambda T, x, dim: T.cumsum(x, dim, dtype=T.float64),
           inputs=lambda d, t: with_dim(d, t, keepdim=False), dtypes=ALL),
    OpCase("cumsum_", _inplace("cumsum_"), inputs=lambda d, t: with_dim(d, t, keepdim=False), dtypes=NUMERIC),
    OpCase("cumprod", lambda T, x, dim: (T.cumprod(x, dim), x.cumprod(dim)),
           inputs=lambda d, t: _small_dim(d, t)[:2], dtypes=ALL),
    OpCase("cumprod_zeros", lambda T, x, dim: x.cumprod(dim), inputs=_zeros_in),
    OpCase("cumprod_dtype", lambda T, x, dim: x.cumprod(dim, dtype=T.float64), inputs=lambda d, t: _small_dim(d, t)[:2],
           dtypes=NUMERIC),
    OpCase("cumprod_", _inplace("cumprod_"), inputs=lambda d, t: _small_dim(d, t)[:2], dtypes=NUMERIC),
    OpCase("cummax", lambda T, x, dim: T.cummax(x, dim), inputs=tied_dim, dtypes=ALL),
    OpCase("cummin", lambda T, x, dim: x.cummin(dim), inputs=tied_dim, dtypes=ALL),
    # ---- sort / argsort
    OpCase("sort", lambda T, x, dim, desc: T.sort(x, dim, desc), inputs=lambda d, t: tied_dim(d, t) + [
        d(st.booleans())], dtypes=ALL),
    OpCase("sort_stable", lambda T, x, dim, desc, stable: x.sort(dim=dim, descending=desc, stable=stable),
           inputs=lambda d, t: long_rows(d, t) + [d(st.booleans()), d(st.booleans())], dtypes=ALL),
    OpCase("sort_long_rows", lambda T, x, dim, desc: x.sort(dim, descending=desc),
           inputs=lambda d, t: long_rows(d, t, high=70) + [d(st.booleans())], dtypes=ALL),
    OpCase("argsort", lambda T, x, dim, desc: (T.argsort(x, dim, desc), x.argsort(dim=dim, stable=True),
                                               x.argsort(descending=desc, stable=False)),
           inputs=lambda d, t: (tied_dim(d, t) if d(st.booleans()) else long_rows(d, t)) + [d(st.booleans())],
           dtypes=ALL),
    # ---- topk / kthvalue / median / mode
    OpCase("topk", lambda T, x, k, dim, largest, srt: T.topk(x, k, dim, largest, srt),
           inputs=lambda d, t: _topk_args(d, t, tied_dim(d, t, max_side=8)), dtypes=NUMERIC),
    OpCase("topk_long_rows", lambda T, x, k, dim, largest, srt: x.topk(k, dim, largest=largest, sorted=srt),
           inputs=lambda d, t: _topk_args(d, t, long_rows(d, t)), dtypes=NUMERIC),
    OpCase("topk_partial_sort", lambda T, x, k, dim, largest, srt: x.topk(k, dim=dim, largest=largest, sorted=srt),
           inputs=_partial_sort_rows, dtypes=NUMERIC),
    OpCase("kthvalue", lambda T, x, k, dim, keepdim: T.kthvalue(x, k, dim, keepdim), inputs=_kth_args,
           dtypes=NUMERIC),
    OpCase("median", lambda T, x: (x.median(), T.median(x)), inputs=lambda d, t: [
        tied(d, t, d(shapes(0, 3))) if d(st.booleans()) else ndarray(d, t)], dtypes=NUMERIC),
    OpCase("median_dim", lambda T, x, dim, k: (T.median(x, dim), x.median(dim=dim, keepdim=k)),
           inputs=lambda d, t: (tied_dim(d, t, max_side=6) if d(st.booleans()) else long_rows(d, t))
           + [d(st.booleans())], dtypes=NUMERIC),
    OpCase("mode", lambda T, x, dim, k: (x.mode(), T.mode(x, dim, k)),
           inputs=lambda d, t: (tied_dim(d, t, max_side=6) if d(st.booleans()) else long_rows(d, t))
           + [d(st.booleans())], dtypes=ALL),
    # ---- unique / nonzero / bincount
    OpCase("unique", lambda T, x, ri, rc: (T.unique(x), x.unique(sorted=False, return_inverse=ri, return_counts=rc),
                                           T.unique(x, return_inverse=True, return_counts=True)),
           inputs=lambda d, t: _tied_in(d, t) + [d(st.booleans()), d(st.booleans())], dtypes=ALL, grad=False),
    OpCase("unique_grad_fn", lambda T, x: _node_names(T.unique(x)), inputs=lambda d, t: [ndarray(d, t, 1)]),
    OpCase("unique_dim", lambda T, x, dim: T.unique(x, dim=dim, return_inverse=True, return_counts=True),
           inputs=lambda d, t: tied_dim(d, t, min_dims=1, max_side=4, nan=False), dtypes=INTS + ("bool",)),
    OpCase("nonzero", lambda T, x: (T.nonzero(x), x.nonzero(as_tuple=True), T.nonzero(x, as_tuple=True)),
           inputs=_tied_in, dtypes=ALL),
    OpCase("bincount", lambda T, x, m: (T.bincount(x), x.bincount(minlength=m)), inputs=_bincount_args,
           dtypes=("int64",)),
    OpCase("bincount_weights", lambda T, x, w, m: T.bincount(x, w, m), inputs=_weights_args, dtypes=ALL,
           grad=False),
    OpCase("bincount_grad_fn", lambda T, x, w: _node_names(T.bincount(x, weights=w)),
           inputs=lambda d, t: _weights_args(d, t)[:2]),
    # ---- printing of the named tuples
    OpCase("return_types_repr", lambda T, x: [repr(r) for r in (
        x.max(0), x.min(-1), x.sort(), x.topk(1), x.kthvalue(1), x.median(0), x.mode(), x.cummax(0),
        x.cummin(0))], inputs=lambda d, t: [tied(d, t, d(shapes(1, 2, max_side=3)))], dtypes=("float64", "int64")),
]
