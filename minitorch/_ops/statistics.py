"""Statistics and numerical calculus: aminmax, the NaN-ignoring reductions (nansum, nanmean, nanmedian,
nanquantile), quantile, logcumsumexp, cov/corrcoef, diff, trapezoid/cumulative_trapezoid, dist, renorm,
histc/histogram, cdist/pdist.

Where torch composes other ops (nanmean, cov, corrcoef, diff, trapezoid, the matrix-product path of cdist),
so do these, and the gradients and grad_fn names follow from the ops composed. The others record their own
node with torch's backward formula written in minitorch ops.
"""
from __future__ import annotations

import math
import warnings
from typing import Any, Callable

import numpy as np

from .. import _dtype as D
from .. import return_types
from .._complex_half_storage import warn_experimental
from .._tensor import Tensor
from .._threads import get_num_threads
from .._creation import full_like, linspace, scalar_tensor, zeros_like
from ..autograd.recording import defop, record, record_multi
from .complex import complex as complex_
from .complex_product import complex_product, magnitude
from .cpp_format import cpp_double
from .dims import as_int64, broadcast_pair, check_numel, check_storage, wrap_dim, wrap_dims
from .inplace import OutCheck, dtype_from_out
from .pointwise import _no_bool_sub
from .pointwise_math import _log1p
from .promotion import check_broadcast
from .joining import cat
from .reduction import (_amax_grad, _axis, _check_grad_dtype, _evenly, _integral_to_long, _norm_grad,
                        _np_norm, _np_sum, _reduce_dims, _select_back, _unreduce, check_norm_identity, nonzero_in_norm,
                        vector_norm)
from .registry import FUNCTIONS, op, python_op
from .result_layout import contiguous
from .scalar_cast import checked_scalar
from .scalar_overloads import div_scalar, mul_scalar, sub_scalar
from .shape import slice_dim
from .limited_dtypes import refuse_kernel
from .sorting import (median_out, _refused_by_selection_kernel, _nth_element, _one_per_row, _pairs, _rows, _selection,
                      stable_argsort)


def _floating_only(fname: str, input: Tensor, what: str = "input") -> None:
    if input.dtype.category < D.FLOATING:
        raise RuntimeError("%s(): expected %s to have floating point or complex dtype but got %s"
                           % (fname, what, input.dtype._cast_name))


# ---- aminmax ---------------------------------------------------------------------------------------
def _aminmax_grad(grad: tuple, self: Tensor, dims: tuple, keepdim: bool, mins: Tensor, maxs: Tensor) -> Tensor:
    return _amax_grad(grad[0], self, mins, dims, keepdim) + _amax_grad(grad[1], self, maxs, dims, keepdim)


AMINMAX = defop("aminmax", grads={"self": _aminmax_grad}, num_outputs=2)


@op("aminmax(Tensor input, *, int64_t? dim=None, bool keepdim=False, TensorList[2] out=None)", method=True,
    out_check=True)
def aminmax(input: Tensor, *, dim: int | None = None, keepdim: bool = False) -> Any:
    data = input._data
    if not data.size and dim is None:
        raise RuntimeError("aminmax(): cannot compute aminmax over an empty dimension as the operation has no "
                           "identity.")
    dims = _reduce_dims(input, dim)
    if dim is not None and data.ndim and not data.shape[dims[0]]:
        raise IndexError("aminmax: Expected reduction dim %d to have non-zero size." % dims[0])
    if dim is not None and not data.ndim and input.dtype.is_complex:  # (its copy path's own check; else its kernel's)
        raise RuntimeError("aminmax not implemented for %s" % input.dtype._cast_name)
    axis = _axis(input, dims)
    mins = contiguous(np.asarray(np.minimum.reduce(data, axis=axis, keepdims=keepdim)))
    maxs = contiguous(np.asarray(np.maximum.reduce(data, axis=axis, keepdims=keepdim)))
    values = (Tensor._make(mins), Tensor._make(maxs))
    outs = record_multi(AMINMAX, (mins, maxs), (input,), {"dims": dims, "keepdim": keepdim,
                                                            "mins": values[0], "maxs": values[1]})
    return return_types.aminmax(*outs)


# ---- nansum, nanmean ---------------------------------------------------------------------------------
# (torch's nansum_backward: the gradient in self's dtype times a bool mask, which a float8 cannot promote with)
NANSUM = defop("nansum", grads={"self": lambda grad, self, dims, keepdim: _unreduce(
    grad.to(self.dtype), self.shape, dims, keepdim) * self.isnan().logical_not()})


def _nansum_out(positional: list, keywords: dict, out: Tensor) -> None:
    """nansum's out= (nanmean's sum too): an integral input is sum's (in out's dtype); a floating one runs the nansum
    kernel in out's dtype, compiled for the floating types only."""
    if positional[0].dtype.is_floating_point and not out.dtype.is_floating_point:
        raise NotImplementedError("\"nansum_cpu\" not implemented for '%s'" % out.dtype._cast_name)
    dtype_from_out(positional, keywords, out)


@op("nansum(Tensor input, IntArrayRef[1]? dim=None, bool keepdim=False, *, ScalarType? dtype=None, "
    "Tensor out=None)", method=True, out_rule=_nansum_out)
def nansum(input: Tensor, dim: Any = None, keepdim: bool = False, *, dtype: D.dtype | None = None) -> Tensor:
    """The sum with NaN counted as zero."""
    out_dtype = _integral_to_long(input, dtype)
    dims = _reduce_dims(input, dim)
    if input.dtype.is_complex:
        raise RuntimeError("nansum on CPU does not support complex inputs")
    if out_dtype.is_complex and input.dtype.is_floating_point:  # (its kernel is not compiled for complex; torch sums
        # an integral input with sum's kernel, which is)
        if out_dtype is D.complex32:  # (its output is allocated first)
            warn_experimental()
        if input._data.size:  # (an empty input runs no kernel: its sum is zeros)
            raise NotImplementedError("\"nansum_cpu\" not implemented for '%s'" % out_dtype._cast_name)
    if input.dtype.is_floating_point and out_dtype.category < D.FLOATING:
        # torch sums a floating input into an integral dtype as sum(nan_to_num(input)): nan_to_num's kernel refuses
        # float8, sum's the wide uints
        return input.nan_to_num(0.0).sum(dims, keepdim, dtype=out_dtype)
    _check_grad_dtype(input, out_dtype)  # (torch's autograd refuses the result after the dims are checked)
    data = _np_sum(input._data, _axis(input, dims), keepdim, out_dtype, ignore_nan=True)
    return record(NANSUM, contiguous(data), (input,), {"dims": dims, "keepdim": keepdim})


@op("nanmean(Tensor input, IntArrayRef[1]? dim=None, bool keepdim=False, *, ScalarType? dtype=None, "
    "Tensor out=None)", method=True, out_rule=_nansum_out)
def nanmean(input: Tensor, dim: Any = None, keepdim: bool = False, *, dtype: D.dtype | None = None) -> Tensor:
    """The mean of the values that are not NaN (torch's composition: nansum / count)."""
    _floating_only("nanmean", input)
    if dtype is not None and dtype.category < D.FLOATING:
        raise RuntimeError("nanmean(): could not infer output dtype. Optional dtype must be either a floating point or "
                           "complex dtype. Got: %s" % dtype._cast_name)
    if dim is not None:  # (sum's dim check comes before nansum's refusal, which the pending one would raise at isnan)
        wrap_dims(dim, input.dim())
    count = input.isnan().logical_not().sum(dim, keepdim)
    return nansum(input, dim, keepdim, dtype=dtype) / count


# ---- nanmedian -----------------------------------------------------------------------------------
NANMEDIAN = defop("nanmedian", grads={"self": _evenly}, grad_name="NanmedianBackward0", complex_grad=False)
NANMEDIAN_DIM = defop("nanmedian", grads={"self": _select_back}, grad_name="NanmedianBackward1", complex_grad=False,
                      saved_outputs=("indices",))


def _lower_median_index(rows: np.ndarray) -> np.ndarray:
    """Per row: the index of the lower median of the values that are not NaN, ties in index order; in an
    all-NaN row, the NaN torch's std::nth_element picks (its comparisons of NaNs are all false)."""
    order = stable_argsort(rows, 1)  # NaN last
    nan_counts = np.isnan(rows).sum(1) if D.is_floating_np(rows.dtype) else np.zeros(len(rows), np.int64)
    k = np.maximum(rows.shape[1] - nan_counts - 1, 0) // 2
    idx = order[np.arange(len(rows)), k]
    for r in np.flatnonzero(nan_counts == rows.shape[1]):
        pairs = _pairs(np.zeros(rows.shape[1]))
        _nth_element(pairs, 0)
        idx[r] = pairs[0][1]
    return idx


@op("nanmedian(Tensor input)",
    "nanmedian(Tensor input, int64_t dim, bool keepdim=False, *, TensorList[2] out=None)", method=True,
    out_rule=median_out)
def nanmedian(input: Tensor, dim: int | None = None, keepdim: bool = False) -> Any:
    """The lower median of the values that are not NaN (NaN if there are none)."""
    data = input._data
    if dim is None:
        if not data.size:
            return record(NANMEDIAN, D.cast_np(np.asarray(np.nan), data.dtype), (input,))
        _refused_by_selection_kernel("median_cpu", input)
        flat = data.reshape(1, -1)
        return record(NANMEDIAN, np.asarray(flat[0, _lower_median_index(flat)[0]]), (input,))
    d = wrap_dim(dim, data.ndim)
    if data.ndim and not data.shape[d]:
        raise IndexError("median(): Expected reduction dim %d to have non-zero size." % d)
    _refused_by_selection_kernel("median_out", input)
    idx = _lower_median_index(_rows(data, d))
    return _selection(NANMEDIAN_DIM, return_types.nanmedian, input, _one_per_row(idx, data.shape, d), d, keepdim)


# ---- quantile, nanquantile -------------------------------------------------------------------------
_INTERPOLATIONS = ("linear", "lower", "higher", "midpoint", "nearest")
_ROUNDINGS = {"lower": "floor_", "higher": "ceil_", "nearest": "round_"}  # (round_: half to even)


def _check_quantile(input: Tensor, q: Any, dim: int | None, interpolation: str) -> None:
    """torch's checks in torch's order (whose messages name quantile for nanquantile too): a q tensor's values last,
    after the output shape's dim is wrapped."""
    if not isinstance(q, Tensor) and not 0 <= q <= 1:
        raise RuntimeError("quantile() q must be in the range [0, 1] but got %s" % cpp_double(q))
    if interpolation not in _INTERPOLATIONS:
        raise RuntimeError("quantile() interpolation must be one of linear, lower, higher, midpoint or nearest, "
                           "but got %s" % interpolation)
    if not input._data.size:
        raise RuntimeError("quantile() input tensor must be non-empty")
    if isinstance(q, Tensor) and q.ndim > 1:
        raise RuntimeError("quantile() q must be a scalar or 1D tensor")
    if input.dtype not in (D.float32, D.float64):
        raise RuntimeError("quantile() input tensor must be either float or double dtype")
    if isinstance(q, Tensor) and q.dtype is not input.dtype:
        raise RuntimeError("quantile() q tensor must be same dtype as the input tensor")
    if dim is not None:
        wrap_dim(dim, input._data.ndim)
    if isinstance(q, Tensor) and np.any((q._data < 0) | (q._data > 1)):
        raise RuntimeError("quantile() q values must be in the range [0, 1]")


def _quantile(ignore_nan: bool, input: Tensor, q: Any, dim: int | None, keepdim: bool,
              interpolation: str) -> Tensor:
    """ATen's quantile_compute, op by op (so its graph is torch's: sort, gathers, an in-place lerp and squeeze): the
    reduced dim sorted last, each q's rank in it (NaN rows: the last, NaN, element; nanquantile counts the non-NaN
    ones), the two neighbours gathered and interpolated."""
    _check_quantile(input, q, dim, interpolation)
    if not isinstance(q, Tensor):
        q = scalar_tensor(q, dtype=input.dtype)
    out_shape = list(_quantile_shape(tuple(input.shape), dim, keepdim))
    if dim is None:
        ordered = input.flatten().sort()[0]
    elif wrap_dim(dim, max(input.ndim, 1)) == input.ndim - 1:
        ordered = input.sort()[0]
    else:
        ordered = input.unsqueeze(-1).transpose(wrap_dim(dim, max(input.ndim, 1)), -1).sort()[0]
    # (q as a 1-d tensor from here: the reduced shape, then the sorted dim)
    ordered = ordered.view(out_shape + [ordered.size(-1)])
    if ordered.size(-1) > 1 << 24:
        raise RuntimeError("quantile() input tensor is too large")
    if ignore_nan:  # an all-NaN row: rank 0, whose value is NaN
        ranks = q * (ordered.isnan().logical_not_().sum(-1, True) - 1)
        ranks.masked_fill_(ranks < 0, 0)
    else:  # a row with NaN: its last (NaN) element
        last = ordered.size(-1) - 1
        scaled, has_nan = FUNCTIONS["broadcast_tensors"](mul_scalar(q, last), ordered.isnan().any(-1, True))
        ranks = scaled.masked_fill(has_nan, last)
    if interpolation in _ROUNDINGS:
        getattr(ranks, _ROUNDINGS[interpolation])()
    below = ranks.to(D.int64)
    values = ordered.gather(-1, below)
    if interpolation in ("linear", "midpoint"):
        weights = full_like(ranks, 0.5) if interpolation == "midpoint" else ranks - below
        values.lerp_(ordered.gather(-1, ranks.ceil_().to(D.int64)), weights)
    if q.ndim == 0:
        return values.squeeze_(-1)
    return values.unsqueeze_(0).transpose_(0, -1).squeeze_(-1)


def _quantile_shape(shape: tuple, dim: int | None, keepdim: bool) -> tuple:
    if dim is None:
        return (1,) * len(shape) if keepdim else ()
    if not shape:
        return ()
    d = wrap_dim(dim, len(shape))
    return shape[:d] + ((1,) if keepdim else ()) + shape[d + 1:]


_QUANTILE_OUT = OutCheck("quantile() out tensor must be same dtype as the input tensor")
# histc's and histogram's out= (histogramdd_check_inputs): the counts in the input's dtype
HIST_OUT = OutCheck("torch.histogram: input tensor and hist tensor should have the same dtype, but got input "
                    "%(result_cpp)s and hist %(out_cpp)s")
_QUANTILE_SIGNATURES = (
    "{0}(Tensor input, Tensor q, int64_t? dim=None, bool keepdim=False, *, c10::string_view interpolation=\"linear\", "
    "Tensor out=None)",
    "{0}(Tensor input, double q, int64_t? dim=None, bool keepdim=False, *, c10::string_view interpolation=\"linear\", "
    "Tensor out=None)")


@op(*(s.format("quantile") for s in _QUANTILE_SIGNATURES), method=True, out_check=_QUANTILE_OUT)
def quantile(input: Tensor, q: Any, dim: int | None = None, keepdim: bool = False, *,
             interpolation: str = "linear") -> Tensor:
    return _quantile(False, input, q, dim, keepdim, interpolation)


@op(*(s.format("nanquantile") for s in _QUANTILE_SIGNATURES), method=True, out_check=_QUANTILE_OUT)
def nanquantile(input: Tensor, q: Any, dim: int | None = None, keepdim: bool = False, *,
                interpolation: str = "linear") -> Tensor:
    return _quantile(True, input, q, dim, keepdim, interpolation)


# ---- logcumsumexp ----------------------------------------------------------------------------------
# torch's accumulate type on CPU (at::acc_type<T, false>): what its scans and renorm's norms run in
_ACCUMULATE = {D.float16: D.float32, D.bfloat16: D.float32, D.float32: D.float64, D.complex64: D.complex128}


def _reverse_logcumsumexp(x: Tensor, dim: int) -> Tensor:
    return x.flip(dim).logcumsumexp(dim).flip(dim)


def _logcumsumexp_grad(grad: Tensor, self: Tensor, result: Tensor, dim: int) -> Tensor:
    """d out_j / d x_k = exp(x_k - out_j) for j >= k, summed against grad in log space, the positive and the
    negative parts of a real grad apart (the lowest finite value stands for log 0, keeping the graph finite); a
    complex grad's log takes both (the node conjugates grad and the result: torch's formula)."""
    if not self.ndim or not self.numel():
        return grad
    if grad.is_complex():
        return (_reverse_logcumsumexp(grad.log() - result, dim) + self).exp()
    lowest = float(D.finfo_np(grad.dtype.np).min)
    log_abs = grad.abs().log()
    positive = log_abs.where(grad > 0, lowest)
    negative = log_abs.where(grad < 0, lowest)
    return ((_reverse_logcumsumexp(positive - result, dim) + self).exp()
            - (_reverse_logcumsumexp(negative - result, dim) + self).exp())


LOGCUMSUMEXP = defop("logcumsumexp", grads={"self": _logcumsumexp_grad}, widen=False)


@op("logcumsumexp(Tensor input, int64_t dim, *, Tensor out=None)", method=True,
    out_check=OutCheck("expected scalar_type %(result)s but found %(out)s"))
def logcumsumexp(input: Tensor, dim: int) -> Tensor:
    """log(cumsum(exp(input))) along ``dim``, without overflow."""
    data = input._data
    d = wrap_dim(dim, data.ndim)
    if input.dtype.category < D.FLOATING or input.dtype is D.complex32:
        raise NotImplementedError('"logcumsumexp_out_cpu" not implemented for \'%s\'' % input.dtype._cast_name)
    if not data.ndim:
        out = data.copy() if input.dtype.category == D.FLOATING else _complex_logcumsumexp(data[None], 0)[0]
    elif input.dtype.category == D.FLOATING:  # (the running value in the accumulate type, each step stored)
        running = np.logaddexp.accumulate(data.astype(_ACCUMULATE.get(input.dtype, input.dtype).np), axis=d)
        out = running.astype(data.dtype)
    else:
        out = _complex_logcumsumexp(data, d)
    return record(LOGCUMSUMEXP, contiguous(np.asarray(out)), (input,), {"dim": d})


def _complex_logcumsumexp(data: np.ndarray, axis: int) -> np.ndarray:
    """torch's CPU scan of complex values: from -inf, each element x joins the running value by torch's complex
    log-add-exp, in complex128 (the accumulate type), each step stored in ``data``'s dtype."""
    out = np.empty(data.shape, data.dtype)
    running = np.full(data.shape[:axis] + data.shape[axis + 1:], -np.inf, np.complex128)
    for i in range(data.shape[axis]):
        running = _complex_log_add_exp(np.take(data, i, axis=axis).astype(np.complex128), running)
        out[(slice(None),) * axis + (i,)] = running
    return out


def _complex_log_add_exp(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """torch's _log_add_exp_helper for complex (LogAddExp.h): any NaN part makes NaN; ordered by real part (a tie
    puts y first), log1p(exp(min - max)) + max; both real parts the same infinity: -inf keeps min,
    +inf is log(exp(min) + exp(max))."""
    lower = x.real < y.real
    low, high = np.where(lower, x, y), np.where(lower, y, x)
    with np.errstate(all="ignore"):
        general = _log1p(np.exp(low - high)) + high
        both_infinite = np.log(np.exp(low) + np.exp(high))
    same_infinity = ~np.isfinite(low.real) & (low.real == high.real)
    out = np.where(same_infinity, np.where(low.real < 0, low, both_infinite), general)
    nan = np.isnan(x.real) | np.isnan(x.imag) | np.isnan(y.real) | np.isnan(y.imag)
    return np.where(nan, complex(np.nan, np.nan), out)


# ---- cov, corrcoef ---------------------------------------------------------------------------------
def _check_weights(name: str, weights: Tensor | None, observations: int, integral: bool) -> None:
    if weights is None:
        return
    if weights.ndim > 1:
        raise RuntimeError("cov(): expected %s to have one or fewer dimensions but got %s with %d dimensions"
                           % (name, name, weights.ndim))
    if integral and weights.dtype.category != D.INTEGRAL:
        raise RuntimeError("cov(): expected fweights to have integral dtype but got fweights with %s dtype"
                           % weights.dtype._cast_name)
    if not integral and weights.dtype.category != D.FLOATING:
        raise RuntimeError("cov(): expected aweights to have floating point dtype but got aweights with %s dtype"
                           % weights.dtype._cast_name)
    if weights.numel() != observations:
        raise RuntimeError("cov(): expected %s to have the same numel as there are observations in the input but "
                           "got %d != %d" % (name, weights.numel(), observations))
    if observations:  # (torch tests weights.min() >= 0: min's kernel refuses the limited dtypes)
        refuse_kernel("min_all", weights.dtype)
        if not bool((weights._data >= 0).all()):  # (a NaN minimum is not >= 0 either)
            raise RuntimeError("cov(): %s cannot be negative" % name)


@op("cov(Tensor input, *, int64_t correction=1, Tensor? fweights=None, Tensor? aweights=None)", method=True)
def cov(input: Tensor, *, correction: int = 1, fweights: Tensor | None = None,
        aweights: Tensor | None = None) -> Tensor:
    """The covariance matrix of the variables in ``input``'s rows, observed in its columns (torch's
    composition: weighted mean, centred product, normalised, squeezed)."""
    if input.ndim > 2:
        raise RuntimeError("cov(): expected input to have two or fewer dimensions but got an input with %d "
                           "dimensions" % input.ndim)
    if input.dtype is D.bool:
        raise RuntimeError("cov(): bool dtype is not supported for input")
    x = input if input.ndim == 2 else input.view(1, -1)
    observations = x.shape[1]
    _check_weights("fweights", fweights, observations, True)
    _check_weights("aweights", aweights, observations, False)
    w = fweights
    if aweights is not None:
        w = aweights if w is None else w * aweights
    w_sum = Tensor._make(np.asarray(observations, np.int64)) if w is None else w.sum()
    if w is not None and not w_sum._data:
        raise RuntimeError("cov(): weights sum to zero, can't be normalized")
    avg = (x if w is None else x * w).sum(1) / w_sum
    if correction == 0:
        norm_factor = w_sum
    elif w is None or aweights is None:
        norm_factor = sub_scalar(w_sum, correction)
    elif fweights is None and observations == 1 and correction == 1:
        norm_factor = Tensor._make(np.asarray(0, np.int64))  # (torch's exact zero where rounding would not give one)
    else:
        norm_factor = w_sum - mul_scalar((w * aweights).sum(), correction) / w_sum
    if bool((norm_factor <= 0).item()):
        warnings.warn("cov(): degrees of freedom is <= 0. Correction should be strictly less than the number of "
                      "observations. (Triggered internally at /__w/pytorch/pytorch/aten/src/ATen/native/"
                      "Correlation.cpp:129.)", UserWarning, stacklevel=3)
        norm_factor.zero_()
    if observations == 1 and (fweights is None) != (aweights is None):
        # one observation under one kind of weights is its own weighted mean: torch centres it to an exact zero (x * w
        # / w need not round back to x) by zeroing the input in place. That writes the caller's tensor (zeros after
        # the call, a ZeroBackward0 or CopySlices in its graph) and refuses a leaf that requires grad: a torch bug,
        # copied because it is observable.
        x.zero_()
        centred = x.to(D.float32) if x.dtype.category == D.INTEGRAL else x
    else:
        centred = x - avg.unsqueeze(1)
    product = centred.mm((centred if w is None else centred * w).t().conj())
    if product.dtype.category == D.COMPLEX and 1 in centred.shape:
        # torch zeroes the imaginary part of a variable's product with its own conjugate (exactly 0, not a
        # rounding residue that a zero norm factor would turn into inf)
        product = complex_(product.real, zeros_like(product.real))
    return product.true_divide(norm_factor).squeeze()


@op("corrcoef(Tensor input)", method=True)
def corrcoef(input: Tensor) -> Tensor:
    """Pearson's correlation coefficients: the covariance over the product of the deviations, clamped to
    [-1, 1]."""
    if input.ndim > 2:
        raise RuntimeError("corrcoef(): expected input to have two or fewer dimensions but got an input with %d "
                           "dimensions" % input.ndim)
    c = cov(input)
    if c.ndim == 0:
        return c / c
    variances = c.diagonal()
    deviations = (variances.real if variances.dtype.category == D.COMPLEX else variances).sqrt()
    c = c / deviations.view(-1, 1)
    c = c / deviations.view(1, -1)
    if c.dtype.category == D.COMPLEX:  # (each part clipped, as NumPy)
        return complex_(c.real.clamp(-1, 1), c.imag.clamp(-1, 1))
    return c.clamp(-1, 1)


# ---- diff, trapezoid, cumulative_trapezoid ---------------------------------------------------------
@op("diff(Tensor input, int64_t n=1, int64_t dim=-1, Tensor? prepend=None, Tensor? append=None, *, "
    "Tensor out=None)", method=True)
def diff(input: Tensor, n: int = 1, dim: int = -1, prepend: Tensor | None = None,
         append: Tensor | None = None) -> Tensor:
    """The n-th forward difference along ``dim`` (logical xor for bools), after prepend/append."""
    if input.ndim == 0:
        raise RuntimeError("diff expects input to be at least one-dimensional")
    if n < 0:
        raise RuntimeError("order must be non-negative but got %d" % n)
    for extra in (prepend, append):
        if extra is not None:
            d = wrap_dim(dim, input.ndim)  # (torch checks the dim before comparing prepend's or append's)
            if extra.ndim != input.ndim:
                raise RuntimeError("diff expects prepend or append to be the same dimension as input")
            for i, (size, extra_size) in enumerate(zip(input.shape, extra.shape)):
                if i != d and extra_size != size:
                    raise RuntimeError("diff expects the shape of tensor to prepend or append to match that of input "
                                       "except along the differencing dimension; input.size(%d) = %d, but got "
                                       "tensor.size(%d) = %d" % (i, size, i, extra_size))
    if n == 0:  # torch: a copy of input, prepend and append left out (its dim not even checked)
        return zeros_like(input).copy_(input)
    d = wrap_dim(dim, input.ndim)
    x = input
    if prepend is not None or append is not None:
        x = cat([t for t in (prepend, input, append) if t is not None], d)
    for _ in range(n):
        length = x.shape[d]
        if length == 0:
            break
        after, before = x.narrow(d, 1, length - 1), x.narrow(d, 0, length - 1)
        x = after.logical_xor(before) if x.dtype is D.bool else after - before
    return x


def _sample_spacing(fname: str, y: Tensor, x: Tensor, dim: int) -> Tensor:
    """The differences of the sample points ``x``, shaped to broadcast against ``y``'s intervals."""
    if x.ndim == 1:
        if x.shape[0] != y.size(dim):
            raise RuntimeError("%s: There must be one `x` value for each sample point" % fname)
        shape = [1] * y.ndim
        shape[dim] = x.shape[0]
        x = x.view(tuple(shape))
    elif x.ndim < y.ndim:
        x = x.view((1,) * (y.ndim - x.ndim) + tuple(x.shape))
    if not x.ndim:  # (torch slices x into its left and right ends)
        raise IndexError("slice() cannot be applied to a 0-dim tensor.")
    return diff(x, dim=dim)


def _intervals(y: Tensor, dim: int) -> Tensor:
    """Each interval's two ends summed: torch's ``y.slice(dim, 0, -1) + y.slice(dim, 1)`` (an empty ``dim`` gives two
    empty slices; a 0-d ``y`` refuses the slice before ``dim`` is read)."""
    if not y.ndim:
        raise IndexError("slice() cannot be applied to a 0-dim tensor.")
    dim = wrap_dim(dim, y.ndim)
    n = y.shape[dim]
    return slice_dim(y, dim, 0, max(n - 1, 0)) + slice_dim(y, dim, min(n, 1), n)


def _no_bool_samples(fname: str, y: Tensor, x: Tensor | None = None) -> None:
    if y.dtype is D.bool or x is not None and x.dtype is D.bool:
        raise RuntimeError("%s: received a bool input for `%s`, but bool is not supported"
                           % (fname, "y" if x is None else "x` or `y"))


def _real_spacing(fname: str, dx: Any) -> float:
    """A Scalar ``dx`` as a float: a bool or a complex number refused."""
    if isinstance(dx, (bool, complex)):
        raise RuntimeError("%s: Currently, we only support dx as a real number." % fname)
    return float(dx)


def _trapezoid(fname: str, y: Tensor, x: Tensor | None, dx: Any, dim: int) -> Tensor:
    if x is not None:  # (only this overload wraps ``dim`` before reading y's size, which a 0-d y refuses)
        dim = wrap_dim(dim, y.ndim)
    empty = y.size(dim) == 0
    d = wrap_dim(dim, y.ndim)
    if empty:  # numpy's answer for no samples: 0
        return y.new_zeros(tuple(y.shape[:d]) + tuple(y.shape[d + 1:]))
    if x is not None:
        _no_bool_samples(fname, y, x)
        spacing = _sample_spacing(fname, y, x, d)  # (x's checks and differences come before y's sums)
        return div_scalar((_intervals(y, d) * spacing).sum(d), 2.0)
    _no_bool_samples(fname, y)
    dx = _real_spacing(fname, dx)
    return mul_scalar(y.sum(d) - mul_scalar(y.select(d, 0) + y.select(d, -1), 0.5), dx)


@op("trapezoid(Tensor y, Tensor x, *, int64_t dim=-1)", "trapezoid(Tensor y, *, Scalar dx=1, int64_t dim=-1)")
def trapezoid(y: Tensor, x: Tensor | None = None, *, dx: Any = 1, dim: int = -1) -> Tensor:
    """The trapezoidal rule along ``dim``: over the sample points ``x``, or at spacing ``dx``."""
    return _trapezoid("trapezoid", y, x, dx, dim)


@op("trapz(Tensor y, *, double dx=1, int64_t dim=-1)", "trapz(Tensor y, Tensor x, *, int64_t dim=-1)")
def trapz(y: Tensor, x: Tensor | None = None, *, dx: float = 1, dim: int = -1) -> Tensor:
    return _trapezoid("trapezoid", y, x, float(dx), dim)  # (a double: a bool is 1.0 here)


@op("cumulative_trapezoid(Tensor y, Tensor x, *, int64_t dim=-1)",
    "cumulative_trapezoid(Tensor y, *, Scalar dx=1, int64_t dim=-1)")
def cumulative_trapezoid(y: Tensor, x: Tensor | None = None, *, dx: Any = 1, dim: int = -1) -> Tensor:
    """The running trapezoidal integral along ``dim``."""
    if x is not None:
        d = wrap_dim(dim, y.ndim)
        _no_bool_samples("cumulative_trapezoid", y, x)
        if x.ndim == 1:
            y.size(d)  # (torch compares a 1-d x with y's size before it slices y: a 0-d y refuses the read)
        spacing = _sample_spacing("cumulative_trapezoid", y, x, d)
        return div_scalar((_intervals(y, d) * spacing).cumsum(d), 2.0)
    _no_bool_samples("cumulative_trapezoid", y)
    dx = _real_spacing("cumulative_trapezoid", dx)
    return mul_scalar(_intervals(y, dim), dx / 2.0).cumsum(dim)


# ---- dist, renorm --------------------------------------------------------------------------------
def _difference_norm_grad(grad: Tensor, self: Tensor, other: Tensor, p: float, result: Tensor) -> Tensor | None:
    """self's gradient: torch's 0-norm has none (undefined: self gets no gradient)."""
    difference = self - other
    return _norm_grad(grad, difference, result, p, tuple(range(difference.ndim)), False)


def _negated_difference_norm_grad(grad: Tensor, self: Tensor, other: Tensor, p: float, result: Tensor) -> Tensor:
    """other's gradient, the negated self's: torch's negation refuses the 0-norm's undefined one."""
    g = _difference_norm_grad(grad, self, other, p, result)
    if g is None:
        raise RuntimeError("Expected a proper Tensor but got None (or an undefined Tensor in C++) for argument #0 "
                           "'self'")
    return -g


# (norm_backward is torch's complex formula, run op by op; a real operand of a complex difference gets its complex
# gradient, which autograd refuses)
DIST = defop("dist", ("self", "other"), {
    "self": lambda grad, self, other, p, result: _difference_norm_grad(grad, self, other, p, result),
    "other": lambda grad, self, other, p, result: _negated_difference_norm_grad(grad, self, other, p, result)},
    complex_vjps=True, widen=False, real_part=False)


@op("dist(Tensor input, Tensor other, Scalar p=2)", method=True)
def dist(input: Tensor, other: Tensor, p: Any = 2) -> Tensor:
    """The p-norm of ``input - other`` (whose checks come first)."""
    _no_bool_sub(input, other)
    check_broadcast(input._data, other._data)
    dt = D.result_type_of((D.operand_key(input), D.operand_key(other)))
    if dt.category < D.FLOATING:
        raise RuntimeError("norm(): input dtype should be either floating point or complex. Got %s instead."
                           % dt._cast_name)
    a, b = D.cast_np(input._data, dt.np), D.cast_np(other._data, dt.np)  # (complex32: its pair storage)
    # torch's complex sub is a + (-1) * b, a complex product: an infinite part's partner turns NaN (0 * inf)
    difference = a + complex_product(b, a.dtype.type(-1)) if a.dtype.kind == "c" else a - b
    check_norm_identity(difference, p, None)  # (torch's dist is linalg.vector_norm of the difference)
    magnitudes = magnitude(difference)
    if difference.size == 1:  # torch: |x| (x != 0 for p = 0), no reduction
        value = (nonzero_in_norm(difference) if p == 0 else magnitudes).reshape(())
    else:  # (accumulated in float32 for the reduced floats, as torch's norm: the root's 1/p too)
        value = _np_norm(magnitudes.astype(D.opmath_np(magnitudes.dtype), copy=False), float(p), None, False)
    return record(DIST, np.asarray(value, dt.to_real().np), (input, other), {"p": float(p)})


def _renorm_grad(grad: Tensor, self: Tensor, p: float, dim: int, maxnorm: float) -> Tensor:
    """torch's renorm_backward: the norms and their gradient's reduction in the accumulate type (float32 for the
    reduced floats, float64 for float32), norm_backward on self in its own dtype (so that a float16 self refuses an
    exponent it cannot hold, as torch's), the scale's own derivative where it applies."""
    dims = tuple(i for i in range(self.ndim) if i != dim)
    accumulate = _ACCUMULATE.get(self.dtype, self.dtype)
    norm = vector_norm(self, p, dims, True, dtype=accumulate)
    product = self.conj() * grad
    grad_output = (product.real if product.dtype.is_complex else product).sum(dims, True, dtype=accumulate.to_real())
    norm_grad = _norm_grad(grad_output, self, norm, p, dims, True)
    inverse = (norm + 1e-7).reciprocal()
    scaled = maxnorm * inverse * (grad - inverse * norm_grad)
    return scaled.to(grad.dtype).where(norm > maxnorm, grad)


RENORM = defop("renorm", grads={"self": _renorm_grad}, complex_vjps=True, widen=False)


@op("renorm(Tensor input, Scalar p, int64_t dim, Scalar maxnorm, *, Tensor out=None)", method=True, inplace=True,
    out_check=True)
def renorm(input: Tensor, p: Any, dim: int, maxnorm: Any) -> Tensor:
    """Each slice along ``dim`` whose p-norm exceeds ``maxnorm`` scaled down to norm ``maxnorm``."""
    if not p > 0:  # (NaN refused too)
        raise RuntimeError("renorm: non-positive-norm not supported")
    if not maxnorm >= 0:
        raise RuntimeError("renorm: expected maxnorm to be >= 0 but got %s" % cpp_double(maxnorm))
    if input.ndim <= 1:
        raise RuntimeError("renorm: input needs at least 2 dimensions, got %d dimensions" % input.ndim)
    data = input._data
    d = wrap_dim(dim, data.ndim)
    if input.dtype.category < D.FLOATING:
        raise RuntimeError("linalg.vector_norm: Expected a floating point or complex tensor as input. Got %s"
                           % input.dtype._cast_name)
    if input.dtype in D.FLOAT8:
        _refuse_float8_norms(input.dtype)
    dims = tuple(i for i in range(data.ndim) if i != d)
    # torch takes the norms in double for float32 and scales by a factor rounded to the input's dtype
    norm = _np_norm(magnitude(data.astype(np.complex128 if input.dtype.is_complex else np.float64)), float(p), dims,
                    True)
    factor = np.where(norm > maxnorm, maxnorm / (norm + 1e-7), 1.0).astype(data.dtype)
    return record(RENORM, contiguous(data * factor), (input,), {"p": float(p), "dim": d, "maxnorm": float(maxnorm)})


def _refuse_float8_norms(dtype: D.dtype) -> None:
    """renorm's norms in the accumulate type: float for float8_e5m2 and float8_e4m3fn (whose norm then refuses to
    promote with it); torch's AccumulateType.cpp has none for the other float8s (its internal assert)."""
    if dtype in (D.float8_e5m2, D.float8_e4m3fn):
        raise RuntimeError("Promotion for Float8 Types is not supported, attempted to promote %s and Float"
                           % dtype._cast_name)
    raise RuntimeError("false INTERNAL ASSERT FAILED at \"/__w/pytorch/pytorch/aten/src/ATen/AccumulateType.cpp\":23, "
                       "please report a bug to PyTorch. Unrecognized ScalarType: %s" % dtype._cast_name)


# ---- histc --------------------------------------------------------------------------------------
def _outer_edges(data: np.ndarray, low: float, high: float) -> tuple[float, float]:
    """histc's outermost bin edges: ``[low, high]``, the data's range when they are equal (and there is data), then
    a point range widened to the next values of a float32/float64 input's type, by at least 1 each way."""
    if low == high and data.size:
        low, high = float(data.min()), float(data.max())
        if data.size > 1 and math.isnan(low):  # torch's vectorized aminmax gives x86's default NaN, negative
            low = high = -math.nan
    if low == high and data.dtype in (np.float32, np.float64):
        info = np.finfo(data.dtype)
        with np.errstate(over="ignore"):  # (an edge beyond float32's range becomes inf, as C's cast)
            low = min(float(np.nextafter(info.dtype.type(low), info.min)), low - 1)
            high = max(float(np.nextafter(info.dtype.type(high), info.max)), high + 1)
    elif low == high:
        low, high = low - 1, high + 1
    if not (np.isfinite(low) and np.isfinite(high)):
        raise RuntimeError("torch.histc: range of [%s, %s] is not finite" % (cpp_double(low), cpp_double(high)))
    if not low < high:
        raise RuntimeError("torch.histc: max must be larger than min")
    return low, high


def bin_positions(x: np.ndarray, edges: np.ndarray, local_search: bool, linear: bool) -> tuple[np.ndarray, np.ndarray]:
    """torch's histogram kernel along one dimension: which of the values ``x`` (1-D) fall within the outer edges,
    and the bin of each of those (0 for the others), by linear interpolation between the outer edges (then
    corrected against the edges themselves, with ``local_search``) or by binary search in ``edges``; the last
    bin is closed."""
    bins = len(edges) - 1
    low, high = edges[0], edges[-1]
    inside = (x >= low) & (x <= high)
    within = x[inside]
    if linear:
        with np.errstate(over="ignore", invalid="ignore"):
            pos = ((within - low) * x.dtype.type(bins) / (high - low)).astype(np.int64)
        # a position that is NaN (equal edges), infinite (an overflowed product) or past int64 converts to INT64_MIN
        # on x86, in C as in NumPy; torch's bin index times the element size then wraps to the first bin's address:
        # bin 0, before the local search
        pos = np.clip(pos, 0, bins - 1)
        if local_search:
            pos = np.where(within < edges[pos], pos - 1,
                           np.where(within >= edges[np.minimum(pos + 1, bins)], pos + 1, pos))
            pos = np.clip(pos, 0, bins - 1)
    else:
        pos = np.minimum(np.searchsorted(edges, within, side="right") - 1, bins - 1)
    positions = np.zeros(x.shape, np.int64)
    positions[inside] = pos
    return inside, positions


_HISTOGRAM_GRAIN_SIZE = 200  # (torch's HISTOGRAM_GRAIN_SIZE: elements per thread, divided by the dimensions)


def accumulate_bins(bins: np.ndarray, inside: np.ndarray, weight: np.ndarray | None, size: int, dtype: np.dtype,
                    dims: int = 1) -> np.ndarray:
    """torch's histogram accumulation: its parallel_for splits the points (``inside`` marks the counted ones, ``bins``
    their flat bin indices) into as many chunks as threads, each of at least the grain size; each chunk adds its
    points' weights (or ones) into its own histogram in order, in the input's dtype; the chunks' histograms are then
    summed."""
    n = inside.shape[0]
    chunks = max(1, min(get_num_threads(), -(-n // max(1, _HISTOGRAM_GRAIN_SIZE // dims))))
    step = -(-n // chunks) if n else 1
    weights = np.ones(n, dtype) if weight is None else weight.astype(dtype, copy=False)
    total = np.zeros(size, dtype)
    for start in range(0, max(n, 1), step):
        part = np.zeros(size, dtype)
        counted = inside[start:start + step]
        np.add.at(part, bins[start:start + step][counted], weights[start:start + step][counted])
        total += part
    return total


def _bin_counts(data: np.ndarray, edges: np.ndarray, weight: np.ndarray | None, local_search: bool,
                linear: bool) -> np.ndarray:
    """torch's 1-D histogram: the elements' (or their weights') sums per bin; elements outside the edges are left
    out."""
    inside, pos = bin_positions(data.reshape(-1), edges, local_search, linear)
    return accumulate_bins(pos, inside, None if weight is None else weight.reshape(-1), len(edges) - 1, data.dtype)


def check_edges_size(bins: int, input: Tensor) -> None:
    """torch allocates the ``bins + 1`` edges (in the input's dtype) before it looks at the data: its int64 sum
    wraps, and the count and storage are checked."""
    edges = as_int64(bins + 1)
    check_numel((edges,))
    check_storage((edges,), input._data.dtype)


def _no_integers(input: Tensor) -> None:
    if input.dtype.category != D.FLOATING:
        raise NotImplementedError('"histogram_cpu" not implemented for \'%s\'' % input.dtype._cast_name)


@op("histc(Tensor input, int64_t bins=100, Scalar min=0, Scalar max=0, *, Tensor out=None)", method=True,
    out_check=HIST_OUT)
def histc(input: Tensor, bins: int = 100, min: Any = 0, max: Any = 0) -> Tensor:  # noqa: A002 - torch's names
    """The counts of ``input`` in ``bins`` equal bins between min and max (the data's range if they are equal)."""
    if bins <= 0:
        raise RuntimeError("torch.histogram(): bins must be > 0, but got %d for dimension 0" % bins)
    check_edges_size(bins, input)
    if float(min) == float(max) and input._data.size:  # (the data's range: its aminmax kernel refuses a complex
        refuse_kernel("aminmax_cpu", input.dtype)       # input before the range is checked)
    low, high = _outer_edges(input._data, float(min), float(max))
    if input.dtype.category in (D.INTEGRAL, D.FLOATING):  # it writes the outer edges in the input's dtype (checked:
        for edge in (low, high):                           # a float16 edge past 65504 overflows) before its kernel
            checked_scalar(edge, input.dtype)
    if input.dtype is D.bool:  # (torch builds the edges with linspace in the input's dtype, which refuses bool)
        raise NotImplementedError('"linspace_cpu" not implemented for \'Bool\'')
    _no_integers(input)
    edges = linspace(low, high, bins + 1, dtype=input.dtype)._data
    return Tensor._make(_bin_counts(input._data, edges, None, False, True))


# ---- cdist, pdist --------------------------------------------------------------------------------
def _backward_kernel(name: str) -> Callable[[Tensor, tuple], Tensor]:
    """torch computes these gradients in one kernel (``_cdist_backward``...) that has no derivative of its own:
    the gradient, recorded as that kernel's output, so that differentiating it again raises torch's error."""
    def refuse(grad: Tensor) -> Tensor:
        raise NotImplementedError("the derivative for '%s' is not implemented." % name)
    node = defop(name, ("grad", "x1", "x2"), {"grad": refuse, "x1": refuse, "x2": refuse})

    def as_kernel_output(value: Tensor, inputs: tuple) -> Tensor:
        return record(node, value._data, inputs + (None,) * (3 - len(inputs)))
    return as_kernel_output


_cdist_backward = _backward_kernel("_cdist_backward")
_pdist_backward = _backward_kernel("_pdist_backward")


def _pairwise_grad(grad: Tensor, difference: Tensor, result: Tensor, p: float) -> Tensor:
    """d ||difference||_p along its last dim, times grad (one value per pair)."""
    if p == float("inf"):  # torch's cdist/pdist backward: every tie gets the whole gradient
        return grad.unsqueeze(-1) * difference.sign() * (difference.abs() == result.unsqueeze(-1))
    g = _norm_grad(grad, difference, result, p, (difference.ndim - 1,), False)
    return difference * 0 if g is None else g


def _cdist_grad(grad: Tensor, x1: Tensor, x2: Tensor, p: float, result: Tensor, of_x1: bool) -> Tensor:
    difference = x1.unsqueeze(-2) - x2.unsqueeze(-3)  # (..., P, R, M)
    pairs = _pairwise_grad(grad, difference, result, p)
    return _cdist_backward(pairs.sum(-2) if of_x1 else -pairs.sum(-3), (grad, x1, x2))


CDIST = defop("cdist", ("x1", "x2"), {
    "x1": lambda grad, x1, x2, p, result: _cdist_grad(grad, x1, x2, p, result, True),
    "x2": lambda grad, x1, x2, p, result: _cdist_grad(grad, x1, x2, p, result, False)})
_COMPUTE_MODES = {"use_mm_for_euclid_dist_if_necessary": None, "use_mm_for_euclid_dist": 1,
                  "donot_use_mm_for_euclid_dist": 2}


def _euclidean_grads(grad: Tensor, x1: Tensor, x2: Tensor, result: Tensor) -> tuple[Tensor, Tensor]:
    ratio = (grad / result).where(result != 0, 0.0)
    return (x1 * ratio.sum(-1, keepdim=True) - ratio.matmul(x2),
            x2 * ratio.sum(-2).unsqueeze(-1) - ratio.mT.matmul(x1))


EUCLIDEAN_DIST = defop("_euclidean_dist", ("x1", "x2"), {
    "x1": lambda grad, x1, x2, result: _euclidean_grads(grad, x1, x2, result)[0],
    "x2": lambda grad, x1, x2, result: _euclidean_grads(grad, x1, x2, result)[1]}, widen=False)


def _euclidean_by_products(x1: Tensor, x2: Tensor) -> Tensor:
    """torch's matrix-product Euclidean distances: |a|^2 - 2 a.b + |b|^2 in one matmul, clamped at 0, rooted."""
    a, b = x1._data, x2._data
    acc = D.opmath_np(a.dtype)  # the reduced floats sum and multiply in float32, rounding each result
    a_norm, b_norm = (np.add.reduce(v * v, -1, dtype=acc, keepdims=True).astype(a.dtype) for v in (a, b))
    a_ = np.concatenate([a * -2, a_norm, np.ones_like(a_norm)], -1).astype(acc)
    b_ = np.concatenate([b, np.ones_like(b_norm), b_norm], -1).astype(acc)
    products = (a_ @ np.swapaxes(b_, -1, -2)).astype(a.dtype)
    return record(EUCLIDEAN_DIST, np.sqrt(np.maximum(products, 0)), (x1, x2))


@python_op("cdist")
def cdist(x1: Tensor, x2: Tensor, p: float = 2.0, compute_mode: str = "use_mm_for_euclid_dist_if_necessary"
          ) -> Tensor:
    """The p-norm distance between each pair of rows of ``x1`` and ``x2`` (batched)."""
    if compute_mode not in _COMPUTE_MODES:
        raise ValueError("%s is not a valid value for compute_mode" % compute_mode)
    mode = _COMPUTE_MODES[compute_mode]
    for name, x in (("X1", x1), ("X2", x2)):
        if x.ndim < 2:
            raise RuntimeError("cdist only supports at least 2D tensors, %s got: %dD" % (name, x.ndim))
    if x1.shape[-1] != x2.shape[-1]:
        raise RuntimeError("X1 and X2 must have the same number of columns. X1: %d X2: %d"
                           % (x1.shape[-1], x2.shape[-1]))
    for name, x in (("X1", x1), ("X2", x2)):
        if x.dtype.category != D.FLOATING:
            raise RuntimeError("cdist only supports floating-point dtypes, %s got: %s" % (name, x.dtype._cast_name))
    if not p >= 0:  # (NaN refused too)
        raise RuntimeError("cdist only supports non-negative p values")
    batch = broadcast_pair(x1.shape[:-2], x2.shape[:-2])
    rows1, rows2 = x1.shape[-2], x2.shape[-2]
    # (torch sends empty inputs to its plain kernel whatever the mode, so that they have its graph)
    by_products = (p == 2 and x1._data.size != 0 and x2._data.size != 0
                   and (mode == 1 or (mode is None and (rows1 > 25 or rows2 > 25))))
    if by_products:  # (torch's cdist_impl: the operands as they are for one batch, else expanded and flattened)
        if math.prod(batch) == 1:
            distances = _euclidean_by_products(x1, x2)
        else:
            distances = _euclidean_by_products(
                x1.expand(batch + tuple(x1.shape[-2:])).contiguous().view(-1, rows1, x1.shape[-1]),
                x2.expand(batch + tuple(x2.shape[-2:])).contiguous().view(-1, rows2, x2.shape[-1]))
        return distances.view(batch + (rows1, rows2))
    if x1._data.size and x2._data.size and x1.dtype in (D.float16, D.bfloat16):
        # (torch's kernel, AT_DISPATCH_FLOATING_TYPES, where there are rows and columns; float8: the dtype table)
        raise NotImplementedError("\"cdist\" not implemented for '%s'" % x1.dtype._cast_name)
    difference = np.abs(x1._data[..., :, None, :] - x2._data[..., None, :, :])
    value = _np_norm(difference, float(p), -1, False)
    return record(CDIST, contiguous(np.asarray(value, x1.dtype.np)), (x1, x2), {"p": float(p)})


def _pdist_grad(grad: Tensor, self: Tensor, p: float, result: Tensor) -> Tensor:
    if self.dtype not in (D.float32, D.float64):  # (torch's kernel: AT_DISPATCH_FLOATING_TYPES, empty or not)
        raise NotImplementedError("\"pdist_backward\" not implemented for '%s'" % self.dtype._cast_name)
    first, second = np.triu_indices(self.shape[0], 1)
    rows_i, rows_j = Tensor._make(first.astype(np.int64)), Tensor._make(second.astype(np.int64))
    pairs = _pairwise_grad(grad, self.index_select(0, rows_i) - self.index_select(0, rows_j), result, p)
    return _pdist_backward(self.new_zeros(self.shape).index_add(0, rows_i, pairs).index_add(0, rows_j, -pairs),
                           (grad, self))


PDIST = defop("pdist", grads={"self": _pdist_grad}, widen=False)  # (its kernel refuses the reduced floats)


@op("pdist(Tensor input, double p=2)")
def pdist(input: Tensor, p: float = 2) -> Tensor:
    """The p-norm distances between the rows of ``input``, pair (i, j) for i < j in row order."""
    if input.ndim != 2:
        raise RuntimeError("pdist only supports 2D tensors, got: %dD" % input.ndim)
    if input.dtype.category != D.FLOATING:
        raise RuntimeError("pdist only supports floating-point dtypes")
    if not p >= 0:  # (NaN refused too)
        raise RuntimeError("pdist only supports non-negative p values")
    data = input._data
    if data.shape[0] > 1 and data.shape[1] and input.dtype in D.REDUCED_FLOATS:  # (the kernel, when it runs)
        raise NotImplementedError('"pdist" not implemented for \'%s\'' % input.dtype._cast_name)
    first, second = np.triu_indices(data.shape[0], 1)
    if data.shape[1]:
        value = _np_norm(np.abs(data[first] - data[second]), float(p), -1, False)
    else:  # (torch's zeros, no kernel: float8_e8m0fnu's smallest value, which no difference of its gives)
        value = np.zeros(len(first), data.dtype)
    return record(PDIST, np.asarray(value, data.dtype).reshape(-1), (input,), {"p": float(p)})
