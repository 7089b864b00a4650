"""Reductions and scans: sum, mean, prod, max/min, amax/amin, argmax/argmin, var/std and var_mean/
std_mean, logsumexp, vector norms, all/any, count_nonzero, cumsum/cumprod, cummax/cummin.

The backward formulas follow torch's (FunctionsManual.cpp) so that gradients agree in the corner
cases too: ties, zeros in a product, NaN, and a correction that leaves no degrees of freedom.

Every op is an ``@op`` record with torch's signatures. Hand-written: the in-place scans (``cumsum_``,
``cumprod_``: torch checks ``dtype`` against ``self`` and keeps an integral dtype), and ``norm``, which torch
implements in Python (a ``python_op``).
"""
from __future__ import annotations

import numbers
from typing import Any, Callable

import numpy as np

from .. import _dtype as D
from .._complex_half_storage import values_of
from .._float8 import FLOAT8_NP
from .._fp_warnings import warn_from_caller
from .. import return_types
from .._tensor import Tensor
from ..autograd import grad_mode
from .dims import wrap_dim, wrap_dims
from .inplace import EXACT, OutCheck, castable_out, dtype_from_out, out_dtype_where
from .limited_dtypes import refuse_kernel
from ..autograd.recording import check_inplace, check_result_dtype, defop, record, record_multi, untraced
from .pointwise import no_kernel, where
from .registry import adopt, linalg_op, op
from .result_layout import contiguous
from .scalar_overloads import div_scalar, mul_scalar
from .joining import cat, stack
from .shape import _expanded
from .half_product import half_prod
from .complex_product import complex_cumulative_product, complex_reduced_product, magnitude
from .conversion import discard_imaginary, warn_discarding_imaginary
from .limited_dtypes import kernel_reached
from .dims import element_strides
from .dims import non_overlapping_and_dense
from .sum_order import SUMMED_IN_ORDER, in_threads, torch_order_sum, whole_sum
from .vec_reduce import TWO_NORM_ROW_LIMIT, two_norms
from .cpu_loops import GRAIN_SIZE

_INF, _NAN = float("inf"), float("nan")
# NumPy is called through ufunc methods (np.add.reduce, not np.sum) so that its floating-point
# warnings are attributed to this module, where minitorch silences them (torch computes inf - inf
# quietly); np.sum would attribute them to NumPy's own module.
# torch's CPU scans accumulate floats in double (the reduced floats, float16 and bfloat16, in float; complex64 in
# complex128: at::acc_type on CPU)
_ACC = {np.dtype(np.float32): np.float64, D.float16.np: np.float32, D.bfloat16.np: np.float32,
        np.dtype(np.complex64): np.complex128}


# ---- helpers shared by the reductions ----------------------------------------------------------
def _restore(t: Tensor, ndim: int, dims: tuple, keepdim: bool) -> Tensor:
    """A reduction's output (or its gradient) with the reduced dims back as size 1, so that it
    broadcasts against the input."""
    if keepdim or ndim == 0:
        return t
    shape = list(t._data.shape)
    for d in sorted(dims):
        shape.insert(d, 1)
    return t.reshape(tuple(shape))


def _unsqueezed(t: Tensor, ndim: int, dims: tuple, keepdim: bool) -> Tensor:
    """A reduction's gradient (or output) with the reduced dims back as size 1 as torch's ``unsqueeze_multiple`` puts
    them (one unsqueeze per dim, in order: its UnsqueezeBackward0 nodes under create_graph; ``_restore`` is torch's
    ``restore_reduced_dims``, a reshape)."""
    if keepdim or ndim == 0:
        return t
    for d in sorted(dims):
        t = t.unsqueeze(d)
    return t


def _unreduce(grad: Tensor, self_shape: tuple, dims: tuple, keepdim: bool) -> Tensor:
    """Broadcast a reduction's gradient back over the reduced dims (torch's sum_backward)."""
    return _unsqueezed(grad, len(self_shape), dims, keepdim).expand(self_shape)


def _reduce_dims(input: Tensor, dim: Any) -> tuple[int, ...]:
    """``dim`` wrapped; None and ``()`` reduce every dim."""
    if dim is None or (isinstance(dim, (tuple, list)) and len(dim) == 0):
        return tuple(range(input._data.ndim))
    return wrap_dims(dim, input._data.ndim)


def _axis(input: Tensor, dims: tuple) -> Any:
    return dims if input._data.ndim else None


def _reduced_shape(shape: tuple, dims: tuple, keepdim: bool) -> tuple:
    return tuple(1 if i in dims else s for i, s in enumerate(shape) if keepdim or i not in dims)


def _count(shape: tuple, dims: Any) -> int:
    """How many elements a reduction over ``dims`` combines (one, for a 0-d input)."""
    n = 1
    for d in dims if shape else ():
        n *= shape[d]
    return n


def _check_grad_dtype(input: Tensor, out_dtype: D.dtype) -> None:
    """``x.sum(dtype=torch.long)`` with ``x`` requiring grad: torch refuses an integral result, once its kernel has
    cast the input (a complex one's warning)."""
    try:
        check_result_dtype(out_dtype, (input,))
    except RuntimeError:
        kernel_reached()  # (a kernel refusing the dtype asked for comes first: sum(x, dtype=torch.uint64))
        _real_if(input._data, out_dtype)
        raise


def _integral_to_long(input: Tensor, dtype: D.dtype | None) -> D.dtype:
    """The result dtype of sum/prod/cumsum/cumprod: ``dtype``, else int64 for bool and integers."""
    if dtype is not None:
        return dtype
    return D.int64 if input.dtype.category < D.FLOATING else input.dtype


def _reverse_cumsum(t: Tensor, dim: int) -> Tensor:
    if t._data.ndim == 0 or t._data.shape[dim] <= 1:
        return t
    return t.flip(dim).cumsum(dim).flip(dim)


# ---- sum / mean ---------------------------------------------------------------------------------
def _sum_grad(grad: Tensor, self_shape: tuple) -> Tensor:
    """``grad.expand(self_shape)``. Outside a recorded graph, the array expand makes (writable unless elements
    overlap), without the op call and its view tensor (as ``t``'s VJP: no graph records through it)."""
    if untraced():
        return Tensor._make(_expanded(grad._data, self_shape))
    return grad.expand(self_shape)


# (sum/mean/prod(dtype=complex) of a real input: their formulas have no handle_r_to_c, the engine refuses)
SUM = defop("sum", grads={"self": _sum_grad}, grad_name="SumBackward0", real_part=False)
SUM_DIM = defop("sum", grads={"self": lambda grad, self_shape, dims, keepdim: _unreduce(
    grad, self_shape, dims, keepdim)}, grad_name="SumBackward1", real_part=False)
_PLAIN_FLOATS = (np.dtype(np.float32), np.dtype(np.float64))


def _mean_grad(grad: Tensor, self_shape: tuple, count: int) -> Tensor:
    """``grad.expand(self_shape) / count``. Outside a recorded graph, that division on the one value, which fills a
    new array: the same quotient in every element, with no expand and no division op."""
    data = grad._data
    if data.dtype in _PLAIN_FLOATS and untraced():
        filled = np.empty(self_shape, data.dtype)
        filled.fill(np.true_divide(data, data.dtype.type(count)))  # (np.full's two Python frames, without them)
        return Tensor._make(filled)
    return div_scalar(grad.expand(self_shape), count)  # (torch's mean_backward divides by a Scalar: DivBackward1)


MEAN = defop("mean", grads={"self": _mean_grad}, grad_name="MeanBackward0", real_part=False)
MEAN_DIM = defop("mean", grads={"self": lambda grad, self_shape, dims, keepdim, count: div_scalar(_unreduce(
    grad, self_shape, dims, keepdim), count)}, grad_name="MeanBackward1", real_part=False)


def _acc_type(np_dtype: Any) -> Any:
    """The type torch's CPU reductions accumulate ``np_dtype`` in: float32 for the reduced floats and the float8s
    (whose only sums are empty ones: torch's 0, which NumPy's float8_e8m0fnu identity would make NaN), else itself."""
    np_dtype = np.dtype(np_dtype)
    return np.float32 if np_dtype in FLOAT8_NP else D.opmath_np(np_dtype).type


def _real_if(data: np.ndarray, out_dtype: D.dtype) -> np.ndarray:
    """A reduction's input as torch converts it to a real ``out_dtype`` first (complex: its real part, warning;
    into bool: true where either part is nonzero, silently)."""
    complex_data = data.dtype.kind == "c" or data.dtype == D.complex32.np
    if not complex_data or out_dtype.is_complex:
        return data
    return D.cast_np(data, np.dtype(np.bool_)) if out_dtype is D.bool else discard_imaginary(data)


def _np_sum(data: np.ndarray, axis: Any, keepdim: bool, out_dtype: D.dtype, cast: bool = True,
            ignore_nan: bool = False) -> np.ndarray:
    """The sum in ``out_dtype``, accumulated as torch does: the input converted to ``out_dtype`` first (a float64
    input summed with dtype=bfloat16 is rounded to bfloat16 element by element, then accumulated in float32; ``to``
    keeps a dense input's layout, which decides the order of the sum), a floating or complex one summed in torch's
    order; ``cast=False`` keeps the accumulator's dtype; ``ignore_nan``: nansum's (NaN read as 0)."""
    data = _real_if(data, out_dtype)
    if data.dtype != out_dtype.np:
        if not non_overlapping_and_dense(data.shape, element_strides(data)):
            data = np.ascontiguousarray(data)
        data = D.cast_np(data, out_dtype.np)
    if data.dtype in SUMMED_IN_ORDER:
        axes = tuple(range(data.ndim)) if axis is None else axis
        shape = None if keepdim else tuple(n for d, n in enumerate(data.shape) if d not in axes)
        return torch_order_sum(data, axes, ignore_nan, shape)
    if ignore_nan and D.is_floating_np(data.dtype):
        data = np.where(np.isnan(data), data.dtype.type(0), data)
    total = np.asarray(np.add.reduce(data, axis=axis, dtype=_acc_type(out_dtype.np), keepdims=keepdim))
    return D.cast_np(total, out_dtype.np) if cast else total


_FLOAT32, _FLOAT64 = D.float32, D.float64
_asarray = np.asarray
_ZERO_BY_ZERO = -np.nan  # (an empty mean: torch's 0 / 0, the CPU's default NaN, whose sign bit is set)
_ALL_DIMS = tuple(tuple(range(ndim)) for ndim in range(65))  # every dim of an array, by its ndim (NumPy's at most 64)

# sum/mean called without ``dim`` are torch's whole-tensor overloads (SumBackward0); any dim given, None included,
# calls the dim overload (SumBackward1)
_NO_DIM: Any = object()


def _sum_all(data: np.ndarray) -> np.ndarray:
    """The sum of every element of a float32/float64 array in torch's order (``sum()``'s)."""
    return whole_sum(data.reshape(-1)) if data.flags.c_contiguous else \
        torch_order_sum(data, _ALL_DIMS[data.ndim], shape=())


@op("sum(Tensor input, *, ScalarType? dtype=None)",
    "sum(Tensor input, IntArrayRef[1]? dim, bool keepdim=False, *, ScalarType? dtype=None, Tensor out=None)",
    method=True, out_rule=dtype_from_out)
def sum(input: Tensor, dim: Any = _NO_DIM, keepdim: bool = False, *,  # noqa: A001
        dtype: D.dtype | None = None) -> Tensor:
    dt = input.dtype
    if (dt is _FLOAT32 or dt is _FLOAT64) and dim is _NO_DIM and dtype is None:
        # the common call in this frame: the general path's sum in torch's order, with nothing to convert or refuse
        return record(SUM, _asarray(_sum_all(input._data)), (input,))
    out_dtype = _integral_to_long(input, dtype)
    dims = None if dim is _NO_DIM else _reduce_dims(input, dim)
    _check_grad_dtype(input, out_dtype)  # (torch's autograd refuses the result after the dims are checked)
    if dims is None:
        return record(SUM, _np_sum(input._data, None, False, out_dtype), (input,))
    data = _np_sum(input._data, _axis(input, dims), keepdim, out_dtype)
    return record(SUM_DIM, contiguous(data), (input,), {"dims": dims, "keepdim": keepdim})


def _mean_out(positional: list, keywords: dict, out: Tensor) -> None:
    """mean's ``out=``: torch sums a floating or complex input into ``out``'s dtype (float32 for the reduced floats,
    whose mean is then rounded as out of place), then divides the sum in place by a number."""
    if positional[0].dtype.category < D.FLOATING or keywords.get("dtype") is not None:
        return  # (mean's own refusal of an integral input; out cast to from the dtype asked for)
    if len(positional) == 1 and not D.can_cast(positional[0].dtype, out.dtype):  # (mean(input)'s own: mean.dtype_out)
        raise RuntimeError("mean.dtype_out(): input types can't be cast to the desired output type "
                           + out.dtype._cast_name)
    if out.dtype.category < D.FLOATING:
        refuse_kernel("sum_cpu", out.dtype)  # (the sum's kernel refuses uint16-64; the division an integral sum)
        raise RuntimeError("result type Float can't be cast to the desired output type %s" % out.dtype._cast_name)
    if out.dtype not in D.REDUCED_FLOATS or positional[0].dtype.is_complex:  # (a real input's reduced-float mean: the
        keywords["dtype"] = out.dtype                                      # float32 one's, rounded)


@op("mean(Tensor input, *, ScalarType? dtype=None, Tensor out=None)",
    "mean(Tensor input, IntArrayRef[1]? dim, bool keepdim=False, *, ScalarType? dtype=None, Tensor out=None)",
    method=True, out_rule=_mean_out)
def mean(input: Tensor, dim: Any = _NO_DIM, keepdim: bool = False, *, dtype: D.dtype | None = None) -> Tensor:
    out_dtype = dtype or input.dtype
    if (out_dtype is _FLOAT32 or out_dtype is _FLOAT64) and dim is _NO_DIM and dtype is None:
        # the common call: the general path's sum over every dim and its division (a scalar of the input's dtype,
        # which the general path's conversion would copy)
        count = input._data.size
        total = _sum_all(input._data)
        return record(MEAN, _asarray(total / total.dtype.type(count) if count else total * _ZERO_BY_ZERO), (input,),
                      {"count": count})
    if out_dtype.category < D.FLOATING:
        raise RuntimeError("mean(): could not infer output dtype. %s must be either a floating point or "
                           "complex dtype. Got: %s" % ("Optional dtype" if dtype is not None else "Input dtype",
                                                        out_dtype._cast_name))
    dims = _reduce_dims(input, None if dim is _NO_DIM else dim)
    count = _count(input._data.shape, dims)
    # (torch sums a float16/bfloat16 mean with dtype=float32: the input converted to float32, not to the half)
    total = _np_sum(input._data, _axis(input, dims), keepdim,
                    _FLOAT32 if out_dtype in D.REDUCED_FLOATS else out_dtype, cast=False)
    # (bfloat16's empty whole mean is c10's conversion of the NaN, 0x7FC0, which ml_dtypes makes of np.nan only)
    empty = total * (np.nan if out_dtype is D.bfloat16 else _ZERO_BY_ZERO)
    data = np.asarray(total / total.dtype.type(count) if count else empty).astype(out_dtype.np)
    if dim is _NO_DIM:
        return record(MEAN, data, (input,), {"count": count})
    return record(MEAN_DIM, contiguous(data), (input,), {"dims": dims, "keepdim": keepdim, "count": count})


# ---- prod ---------------------------------------------------------------------------------------
def _prod_grad(grad: Tensor, self: Tensor, result: Tensor, dim: int | None, keepdim: bool) -> Tensor:
    """torch's prod_backward: ``grad * result / self`` unless ``self`` has zeros, with ``self`` in the result's dtype
    (a ``dtype=`` product's gradient is computed in that dtype, then converted to the input's)."""
    self = self.to(grad.dtype)
    if self._data.ndim == 0:
        return grad
    zeros = np.count_nonzero(values_of(self._data) == 0)
    if dim is None:  # the product of everything
        if not zeros:
            return grad * (result / self).conj()
        if zeros > 1 and not grad_mode.STATE.enabled:  # every gradient is a product with a zero
            return self.new_zeros(self._data.shape)
        return prod_of_others(grad, self.reshape(-1), 0).reshape(self._data.shape)
    if not keepdim:
        grad, result = grad.unsqueeze(dim), result.unsqueeze(dim)
    if not zeros:
        return grad * (result / self).conj()
    return prod_of_others(grad, self, dim)


def prod_of_others(grad: Tensor, x: Tensor, dim: int) -> Tensor:
    """For each element, grad times the (conjugated) product of the other elements along ``dim``: an exclusive
    cumprod from the front times one from the back. No division, so exact with zeros, and
    differentiable again."""
    n = x._data.shape[dim]
    if n == 1:
        return grad
    ones = x.new_ones(x._data.shape[:dim] + (1,) + x._data.shape[dim + 1:])
    before = cat([ones, x.narrow(dim, 0, n - 1)], dim).cumprod(dim)
    after = cat([ones, x.flip(dim).narrow(dim, 0, n - 1)], dim).cumprod(dim).flip(dim)
    return grad * (before * after).conj()


# (torch's formulas for complex values: the derivative conjugated, as pointwise's _MUL_GRADS)
PROD = defop("prod", grads={"self": _prod_grad}, grad_name="ProdBackward0", widen=False, real_part=False,
             complex_vjps=True)
PROD_DIM = defop("prod", grads={"self": _prod_grad}, grad_name="ProdBackward1", widen=False, real_part=False,
                 complex_vjps=True)


@op("prod(Tensor input, *, ScalarType? dtype=None)",
    "prod(Tensor input, int64_t dim, bool keepdim=False, *, ScalarType? dtype=None, Tensor out=None)",
    method=True, out_rule=dtype_from_out)
def prod(input: Tensor, dim: int | None = None, keepdim: bool = False, *, dtype: D.dtype | None = None
         ) -> Tensor:
    out_dtype = _integral_to_long(input, dtype)
    data = input._data
    d = None if dim is None else wrap_dim(dim, data.ndim)
    _check_grad_dtype(input, out_dtype)
    axis = d if data.ndim else None
    if out_dtype is D.float16:  # torch multiplies in float16, in its kernel's order
        out = half_prod(_real_if(data, out_dtype).astype(np.float16, copy=False), axis, keepdim and dim is not None)
    else:
        values = _real_if(data, out_dtype)
        # (D.cast_np reads complex32's storage too: prod(x, dtype=complex64) converts inside its kernel, no node)
        ordered = complex_reduced_product(D.cast_np(values, out_dtype.np), axis) if (
            out_dtype is D.complex64 or out_dtype is D.complex128) and values.ndim else None
        if ordered is not None:  # (in torch's order; NumPy's complex products fuse otherwise)
            out = ordered.reshape(_reduced_shape(data.shape, (axis,), True)) if keepdim and dim is not None \
                else ordered
        else:
            out = np.asarray(np.multiply.reduce(values, axis=axis, dtype=out_dtype.np,
                                                keepdims=keepdim and dim is not None))
    if dim is None:
        return record(PROD, out, (input,), {"dim": None, "keepdim": False})
    return record(PROD_DIM, contiguous(out), (input,), {"dim": d, "keepdim": keepdim})


# ---- max / min, amax / amin -------------------------------------------------------------------
def _evenly(grad: Tensor, self: Tensor, result: Tensor) -> Tensor:
    """torch's evenly_distribute_backward: ties share the gradient equally."""
    mask = (self == result) | (self.isnan() & result.isnan())
    return mask * (grad / mask.sum())


def _select_back(grad: Tensor, self_shape: tuple, dim: int, indices: Tensor, keepdim: bool) -> Tensor:
    """torch's value_selecting_reduction_backward: each value's gradient back to where it came from."""
    if not keepdim and len(self_shape):  # (a 0-d input's gradient is scattered too: its kernel refuses float8)
        grad, indices = grad.unsqueeze(dim), indices.unsqueeze(dim)
    return grad.new_zeros(self_shape).scatter(dim, indices, grad)


def _nan_arg(np_arg: Any) -> Any:
    """argmax/argmin that, like torch, pick the first NaN when there is one."""
    def arg(data: np.ndarray, axis: Any = None, keepdims: bool = False) -> np.ndarray:
        if D.is_floating_np(data.dtype):
            nan = np.isnan(data)
            if nan.any():
                first_nan = np.argmax(nan, axis=axis, keepdims=keepdims)
                return np.where(np.any(nan, axis=axis, keepdims=keepdims), first_nan,
                                np_arg(data, axis=axis, keepdims=keepdims))
        return np_arg(data, axis=axis, keepdims=keepdims)
    return arg


_argmax, _argmin = _nan_arg(np.argmax), _nan_arg(np.argmin)
MAX = defop("max", grads={"self": _evenly}, grad_name="MaxBackward1")
MAX_DIM = defop("max", grads={"self": _select_back}, grad_name="MaxBackward0", saved_outputs=("indices",))
MIN = defop("min", grads={"self": _evenly}, grad_name="MinBackward1")
MIN_DIM = defop("min", grads={"self": _select_back}, grad_name="MinBackward0", saved_outputs=("indices",))


def _extreme(name: str, input: Tensor, dim: int | None, keepdim: bool, whole: Any, along: Any, np_fn: Any,
             arg_fn: Any) -> Any:
    """max/min of everything (``dim`` None) or along ``dim`` (values and indices)."""
    data = input._data
    if dim is None:
        _check_nonempty(name, input, None, ())
        no_kernel(name + "_all", D.COMPLEX)(input.dtype)  # (torch's kernel refuses after the op's checks)
        return record(whole, np.asarray(np_fn(data)), (input,))
    d = wrap_dim(dim, data.ndim)
    _check_nonempty(name, input, d, (d,))
    if input.dtype.is_complex:  # (after the dim's checks, as torch's meta function)
        raise RuntimeError("%s(): does not support complex input" % name)
    if data.ndim == 0:
        idx = np.zeros((), np.int64)
        values = data.copy()
    else:
        idx = np.asarray(arg_fn(data, axis=d, keepdims=keepdim)).astype(np.int64)
        values = np.take_along_axis(data, idx if keepdim else np.expand_dims(idx, d), axis=d)
        if not keepdim:
            values = np.squeeze(values, d)
    indices = Tensor._make(contiguous(idx))
    values_t = record(along, contiguous(values), (input,), {"dim": d, "indices": indices, "keepdim": keepdim})
    return getattr(return_types, name)(values_t, indices)


# max(input)'s and min(input)'s out= (max_unary_out): castable to from the input's dtype; the reductions along a dim
# want their values and indices exact (the out= wrapper torch generates), the binary forms are maximum/minimum's
_EXTREME_OUT = castable_out(lambda input, dim=None, keepdim=False: input.dtype if dim is None else None,
                            "Expected canCast( typeMetaToScalarType(self.dtype()), typeMetaToScalarType(out.dtype()))"
                            " to be true, but got false.  (Could this error message be improved?  If so, please report"
                            " an enhancement request to PyTorch.)")


@op("max(Tensor input, *, Tensor out=None)", "max(Tensor input, Tensor other, *, Tensor out=None)",
    "max(Tensor input, int64_t dim, bool keepdim=False, *, TensorList[2] out=None)", method=True,
    out_rule=_EXTREME_OUT, out_check=(EXACT, EXACT))
def reduce_max(input: Tensor, dim: Any = None, keepdim: bool = False) -> Any:
    if isinstance(dim, Tensor):  # max(input, other): the binary maximum
        return input.maximum(dim)
    return _extreme("max", input, dim, keepdim, MAX, MAX_DIM, np.max, _argmax)


@op("min(Tensor input, *, Tensor out=None)", "min(Tensor input, Tensor other, *, Tensor out=None)",
    "min(Tensor input, int64_t dim, bool keepdim=False, *, TensorList[2] out=None)", method=True,
    out_rule=_EXTREME_OUT, out_check=(EXACT, EXACT))
def reduce_min(input: Tensor, dim: Any = None, keepdim: bool = False) -> Any:
    if isinstance(dim, Tensor):  # min(input, other): the binary minimum
        return input.minimum(dim)
    return _extreme("min", input, dim, keepdim, MIN, MIN_DIM, np.min, _argmin)


def _amax_grad(grad: Tensor, self: Tensor, result: Tensor, dims: tuple, keepdim: bool) -> Tensor:
    """torch's scale_grad_by_count: the gradient shared among the elements equal to the extreme."""
    ndim = self._data.ndim
    mask = _restore(result, ndim, dims, keepdim) == self
    return _restore(grad, ndim, dims, keepdim) / mask.sum(dims, keepdim=True) * mask


def _explicit(dim: Any) -> bool:
    """Whether ``dim`` names dims (None and ``()`` mean every dim)."""
    return dim is not None and not (isinstance(dim, (tuple, list)) and len(dim) == 0)


def _check_nonempty(name: str, input: Tensor, dim: Any, dims: tuple) -> None:
    """torch's refusal to reduce an empty slice with an op that has no identity (max, amax...)."""
    data = input._data
    if data.size:
        return
    if not _explicit(dim):
        raise RuntimeError("%s(): Expected reduction dim to be specified for input.numel() == 0. "
                           "Specify the reduction dim with the 'dim' argument." % name)
    for given, d in zip(dim if isinstance(dim, (tuple, list)) else (dim,), dims):
        if data.ndim and data.shape[d] == 0:  # torch names the dim as the call gave it
            raise IndexError("%s(): Expected reduction dim %d to have non-zero size." % (name, given))


AMAX = defop("amax", grads={"self": _amax_grad}, complex_grad=False)
AMIN = defop("amin", grads={"self": _amax_grad}, complex_grad=False)


def _amax_like(name: str, node: Any, np_fn: Any, input: Tensor, dim: Any, keepdim: bool) -> Tensor:
    dims = _reduce_dims(input, dim)
    _check_nonempty(name, input, dim, dims)
    if input._data.size:  # (torch's kernel refuses after the op's checks; an empty result reaches none)
        no_kernel(name[1:] + "_values_cpu", D.COMPLEX)(input.dtype)
    out = contiguous(np_fn(input._data, axis=_axis(input, dims), keepdims=keepdim))
    return record(node, out, (input,), {"dims": dims, "keepdim": keepdim})


_AMAX_OUT = OutCheck("Expected the dtype for input and out to match, but got %(result)s for input's dtype and %(out)s "
                     "for out's dtype.")


@op("amax(Tensor input, IntArrayRef[1] dim=None, bool keepdim=False, *, Tensor out=None)", method=True,
    out_check=_AMAX_OUT)
def amax(input: Tensor, dim: Any = (), keepdim: bool = False) -> Tensor:
    return _amax_like("amax", AMAX, np.max, input, dim, keepdim)


@op("amin(Tensor input, IntArrayRef[1] dim=None, bool keepdim=False, *, Tensor out=None)", method=True,
    out_check=_AMAX_OUT)
def amin(input: Tensor, dim: Any = (), keepdim: bool = False) -> Tensor:
    return _amax_like("amin", AMIN, np.min, input, dim, keepdim)


def _arg_reduce(name: str, fn: Any, input: Tensor, dim: int | None, keepdim: bool) -> Tensor:
    data = input._data
    if input.dtype is D.bool or input.dtype.is_complex:
        raise RuntimeError("%s(): does not support %s input" % (name, "bool" if input.dtype is D.bool else "complex"))
    if dim is None:
        if data.size == 0:
            raise IndexError("%s(): Expected reduction dim to be specified for input.numel() == 0." % name)
        out = np.asarray(fn(data.reshape(-1)))
        if keepdim:
            out = out.reshape((1,) * data.ndim)
        return Tensor._make(out.astype(np.int64))
    d = wrap_dim(dim, data.ndim)
    _check_nonempty(name, input, d, (d,))
    if input.dtype.is_complex:
        raise RuntimeError("%s(): does not support complex input" % name)
    if data.ndim == 0:
        return Tensor._make(np.zeros((), np.int64))
    return Tensor._make(np.asarray(fn(data, axis=d, keepdims=keepdim)).astype(np.int64))


@op("argmax(Tensor input, int64_t? dim=None, bool keepdim=False, *, Tensor out=None)", method=True, out_check=True)
def argmax(input: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:
    return _arg_reduce("argmax", _argmax, input, dim, keepdim)


@op("argmin(Tensor input, int64_t? dim=None, bool keepdim=False, *, Tensor out=None)", method=True, out_check=True)
def argmin(input: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:
    return _arg_reduce("argmin", _argmin, input, dim, keepdim)


# ---- var / std / var_mean / std_mean ----------------------------------------------------------
def _var_grad(grad: Tensor, self: Tensor, dims: tuple | None, correction: float, keepdim: bool) -> Tensor:
    """torch's var_backward. ``dims`` is None when no dim was given. torch (and so this) counts the
    elements of a ``dim=()`` reduction as one here, although the forward reduces everything."""
    if self._data.ndim == 0 or dims is None:
        dof = self._data.size - correction
        if dof <= 0:  # 2 / dof is infinite: NaN where self equals the mean (inf * 0), inf elsewhere
            return grad * where(self == self.mean(), _NAN, _INF)
        return mul_scalar(grad, 2.0 / dof) * (self - self.mean())  # (a C++ double: the Scalar overload)
    if not keepdim and self._data.ndim > 1:
        grad = _unsqueezed(grad, self._data.ndim, dims, False)
    dof = _count(self._data.shape, dims) - correction
    return mul_scalar(grad, 2.0 / dof if dof else _INF) * (self - self.mean(dims, keepdim=True))


def _std_grad(grad: Tensor, self: Tensor, std: Tensor, dims: tuple | None, correction: float,
              keepdim: bool) -> Tensor:
    # (torch's std_backward: a Scalar overload, then a masked_fill_)
    return _var_grad((grad / mul_scalar(std, 2)).masked_fill_(std == 0, 0), self, dims, correction, keepdim)


def _mean_dims_grad(grad: Tensor, self_shape: tuple, dims: tuple | None, keepdim: bool) -> Tensor:
    """torch's mean_backward (no dims and ``dim=()`` both mean every dim)."""
    if not dims:
        return div_scalar(grad.expand(self_shape), _count(self_shape, range(len(self_shape))))
    return div_scalar(_unreduce(grad, self_shape, dims, keepdim), _count(self_shape, dims))


# torch's var_backward, 2 / dof * grad * (self - mean), holds for complex inputs as written (a real variance of
# |self - mean|^2): these VJPs are applied as they are. It is a formula of ops, each rounding in float16/bfloat16
# (widen=False), as std_backward's division by 2 * std is
VAR = defop("var", grads={"self": lambda grad, self, dims, correction, keepdim: _var_grad(
    grad, self, dims, correction, keepdim)}, complex_vjps=True, widen=False)
STD = defop("std", grads={"self": lambda grad, self, result, dims, correction, keepdim: _std_grad(
    grad, self, result, dims, correction, keepdim)}, complex_vjps=True, widen=False)
VAR_MEAN = defop("var_mean", grads={"self": lambda grad, self, self_shape, dims, correction, keepdim: _var_grad(
    grad[0], self, dims, correction, keepdim) + _mean_dims_grad(grad[1], self_shape, dims, keepdim)}, num_outputs=2,
    complex_vjps=True, widen=False)
# a multi-output node saves no outputs, so std_mean's backward recomputes the std (as a graph, for
# double backward) rather than reading it
STD_MEAN = defop("std_mean", grads={"self": lambda grad, self, self_shape, dims, correction, keepdim: _std_grad(
    grad[0], self, _std(self, dims, correction, keepdim), dims, correction, keepdim)
    + _mean_dims_grad(grad[1], self_shape, dims, keepdim)}, num_outputs=2, complex_vjps=True, widen=False)

_DOF_WARNING = ("%s(): degrees of freedom is <= 0. Correction should be strictly less than the reduction factor "
                "(input numel divided by output numel). (Triggered internally at "
                "/__w/pytorch/pytorch/aten/src/ATen/native/ReduceOps.cpp:1861.)")


def _moments(fname: str, input: Tensor, dim: Any, unbiased: Any, keepdim: bool, correction: Any,
             warn: bool = True, running: bool = False) -> tuple[dict, np.ndarray, np.ndarray]:
    """The attributes of a var/std call and its variance and mean, computed as torch does. ``running``: the mean
    as var_mean's and std_mean's running update leaves it."""
    if isinstance(dim, bool):  # var(input, unbiased): the legacy overload
        dim, unbiased = None, dim
    if input.dtype.category < D.FLOATING:
        raise RuntimeError("%s only support floating point and complex dtypes"
                           % ("std and var" if fname in ("var", "std") else fname))
    if correction is None:
        correction = 0 if unbiased is False else 1
    data = input._data
    dims = None if dim is None else () if not _explicit(dim) else wrap_dims(dim, data.ndim, each_in_turn=True)
    axis = _axis(input, dims) if dims else None
    n = _count(data.shape, dims) if dims else data.size
    # torch's reduction factor is the input's numel over the output's (at least 1): 0 for any empty input
    kept = _count(data.shape, [d for d in range(data.ndim) if d not in dims]) if dims else 1
    warns = warn and data.size // max(kept, 1) - correction <= 0
    # torch's var and std run std_var_all (a two-pass sum) for a float32/float64 input reduced to one element, else
    # the Welford kernel in double (a float32 row of 3e38s has variance 0 there, inf in two passes)
    returned_mean = running
    running = running or input.dtype.to_real() not in (D.float32, D.float64) or kept > 1
    part_moments = (axis, n, keepdim, correction, running, returned_mean, warns, fname)
    attrs = {"dims": dims, "correction": correction, "keepdim": keepdim}
    if not input.dtype.is_complex:
        return (attrs, *_real_moments(data, *part_moments))
    # torch computes a complex tensor's as its real and imaginary parts' (each warning): their variances added
    # in the real dtype, their means paired
    halves = input.dtype is D.complex32  # (its storage: a pair of float16 fields)
    var_re, mu_re = _real_moments(data["real"] if halves else data.real, *part_moments)
    var_im, mu_im = _real_moments(data["imag"] if halves else data.imag, *part_moments)
    mu = np.empty(mu_re.shape, data.dtype)
    if halves:
        mu["real"], mu["imag"] = mu_re, mu_im
    else:
        mu.real, mu.imag = mu_re, mu_im
    return attrs, var_re.astype(mu_re.dtype) + var_im.astype(mu_re.dtype), mu


def _real_moments(data: np.ndarray, axis: Any, n: int, keepdim: bool, correction: Any, running: bool,
                  returned_mean: bool, warns: bool, fname: str) -> tuple[np.ndarray, np.ndarray]:
    """The variance (in double) and mean (in ``data``'s dtype) of real ``data``, as torch's kernels compute them
    (``returned_mean``: the mean is var_mean's or std_mean's result, else only the variance is)."""
    if warns:
        warn_from_caller(_DOF_WARNING % fname)
    # as torch: the mean in the input's dtype, then the squared deviations summed in double
    acc = _acc_type(data.dtype)
    mu = (np.add.reduce(data, axis=axis, dtype=acc, keepdims=True) / acc(n)).astype(data.dtype)
    if not running and data.size and data.dtype in (np.float32, np.float64):
        # std_var_all: the deviations from torch's mean (sum()'s order), their squares added one by one in memory
        # order, by each thread's chunk
        deviations = np.ravel(data, order="K").astype(np.float64) - float(_sum_all(data) / data.dtype.type(n))
        squared_sum = in_threads(np.square(deviations), lambda flat: np.add.accumulate(flat)[-1])
        squares = np.reshape(squared_sum, (1,) * data.ndim)  # (the sum below: of this one element)
    else:
        squares = np.square(data.astype(np.float64) - mu)
    # no element: NaN whatever the correction (a negative one included)
    var = np.add.reduce(squares, axis=axis, keepdims=keepdim) / (max(0, n - correction) if n else 0)
    mu = mu if keepdim else mu.reshape(np.shape(var))
    if running:
        var, mu = _running_moments(data, axis, np.asarray(var), np.asarray(mu), correction, returned_mean)
    return np.asarray(var), np.asarray(mu)


def _std(input: Tensor, dims: tuple | None, correction: float, keepdim: bool) -> Tensor:
    attrs, var, _ = _moments("std", input, dims, None, keepdim, correction, warn=False)
    return record(STD, contiguous(np.sqrt(var).astype(input.dtype.to_real().np)), (input,), attrs)


def _check_std_var_all(input: Tensor, variance: np.ndarray) -> None:
    """torch's var and std of a non-empty input down to one element run std_var_all, which refuses the float8s with
    an error of its own (its other results come from the std_cpu kernel: the table's refusal)."""
    if input.dtype in D.FLOAT8 and variance.size == 1 and input._data.size:
        raise RuntimeError("std_var_all: Unsupported dtype " + input.dtype._cast_name)


def _moments_out(positional: list, keywords: dict, out: Tensor) -> None:
    """var's and std's out=: a real input's kernel runs in out's dtype, and std_cpu is not compiled for complex."""
    if not positional[0].dtype.is_complex and out.dtype.is_complex:
        raise NotImplementedError("\"std_cpu\" not implemented for '%s'" % out.dtype._cast_name)


@op("var(Tensor input, IntArrayRef[1]? dim, bool unbiased=True, bool keepdim=False, *, Tensor out=None)",
    "var(Tensor input, IntArrayRef[1]? dim=None, *, Scalar? correction=None, bool keepdim=False, Tensor out=None)",
    "var(Tensor input, bool unbiased=True)", method=True, out_rule=_moments_out)
def var(input: Tensor, dim: Any = None, unbiased: Any = None, keepdim: bool = False, *,
        correction: Any = None) -> Tensor:
    attrs, v, _ = _moments("var", input, dim, unbiased, keepdim, correction)
    _check_std_var_all(input, v)
    return record(VAR, contiguous(v.astype(input.dtype.to_real().np)), (input,), attrs)


@op("std(Tensor input, IntArrayRef[1]? dim, bool unbiased=True, bool keepdim=False, *, Tensor out=None)",
    "std(Tensor input, IntArrayRef[1]? dim=None, *, Scalar? correction=None, bool keepdim=False, Tensor out=None)",
    "std(Tensor input, bool unbiased=True)", method=True, out_rule=_moments_out)
def std(input: Tensor, dim: Any = None, unbiased: Any = None, keepdim: bool = False, *,
        correction: Any = None) -> Tensor:
    attrs, v, _ = _moments("std", input, dim, unbiased, keepdim, correction)
    _check_std_var_all(input, v)
    return record(STD, contiguous(np.sqrt(v).astype(input.dtype.to_real().np)), (input,), attrs)


@op("var_mean(Tensor input, IntArrayRef[1]? dim, bool unbiased=True, bool keepdim=False)",
    "var_mean(Tensor input, IntArrayRef[1]? dim=None, *, Scalar? correction=None, bool keepdim=False)",
    "var_mean(Tensor input, bool unbiased=True)")
def var_mean(input: Tensor, dim: Any = None, unbiased: Any = None, keepdim: bool = False, *,
             correction: Any = None) -> tuple[Tensor, Tensor]:
    attrs, v, mu = _moments("var_mean", input, dim, unbiased, keepdim, correction, running=True)
    return tuple(record_multi(VAR_MEAN, (v.astype(input.dtype.to_real().np), mu.astype(input.dtype.np)), (input,),
                              attrs))


WELFORD_FLOAT64_ROWS = 4096


def _running_moments(data: np.ndarray, axis: Any, var: np.ndarray, mu: np.ndarray, correction: float,
                     returned_mean: bool) -> tuple[np.ndarray, np.ndarray]:
    """var_mean's and std_mean's variance and mean as torch's running (Welford) update leaves them where they are
    not finite (``var``, ``mu``: the two-pass ones, which agree elsewhere but for float64's last bit): an infinity
    followed by any element is NaN there (inf - inf), finite data whose sum overflows has a finite mean, an
    overflowing deviation a NaN variance. float64's rows are all run (the two-pass last bit differs in ~40%),
    up to ``WELFORD_FLOAT64_ROWS`` elements a row (a Python step each: longer rows keep the two-pass values).
    A float32 mean that is returned is the double one rounded (``mu``, summed in float32, differs in ~45%): the
    row's sum in double over its length, run where that is too near a float32 midpoint to tell the rounding (rows
    up to ``WELFORD_FLOAT64_ROWS`` elements)."""
    if not data.ndim or not data.size:
        return var, mu  # (torch fills an empty reduction's with NaN)
    axes = tuple(range(data.ndim)) if axis is None else axis if isinstance(axis, tuple) else (axis,)
    every_row = data.dtype == np.float64 and _count(data.shape, axes) <= WELFORD_FLOAT64_ROWS
    double_mean = returned_mean and data.dtype == np.float32
    if not (every_row or double_mean) and np.isfinite(mu).all() and np.isfinite(var).all() \
            and np.isfinite(data).all():
        return var, mu
    # the reduced dims in memory order (TensorIterator's), outermost first
    axes = sorted((a % data.ndim for a in axes), key=lambda a: -abs(data.strides[a]))
    kept = [a for a in range(data.ndim) if a not in axes]
    rows = np.transpose(data, kept + axes).reshape([data.shape[a] for a in kept] + [-1])
    kept_shape = rows.shape[:-1]
    redo = np.ones(kept_shape, bool) if every_row else ~(
        np.isfinite(rows).all(-1) & np.isfinite(mu).reshape(kept_shape) & np.isfinite(var).reshape(kept_shape))
    var, mu = var.copy(), mu.copy()
    if double_mean:
        mean = np.add.reduce(rows, axis=-1, dtype=np.float64) / rows.shape[-1]
        mu.reshape(kept_shape)[...] = mean.astype(np.float32)
        if rows.shape[-1] <= WELFORD_FLOAT64_ROWS:
            redo |= _near_float32_midpoint(mean, np.max(np.abs(rows), axis=-1) * (rows.shape[-1] * 2.0 ** -50))
    if redo.any():
        var.reshape(redo.shape)[redo], mu.reshape(redo.shape)[redo] = _welford(rows[redo], correction)
    return var, mu


def _near_float32_midpoint(value: np.ndarray, tolerance: np.ndarray) -> np.ndarray:
    """Where ``value`` (float64) lies within ``tolerance`` of a midpoint between two float32 values (there its
    rounding to float32 depends on those last bits; NaN and infinite values say False)."""
    with np.errstate(all="ignore"):
        rounded = value.astype(np.float32)
        nearest = np.minimum(*(np.abs(value - (rounded.astype(np.float64) + np.nextafter(rounded, np.float32(to)))
                                      / 2) for to in (-np.inf, np.inf)))
    return nearest <= tolerance


def _welford(rows: np.ndarray, correction: float) -> tuple[np.ndarray, np.ndarray]:
    """Each row's variance and mean as torch's WelfordOps computes them, in double."""
    mean, m2 = np.zeros(rows.shape[:-1]), np.zeros(rows.shape[:-1])
    n = rows.shape[-1]
    with np.errstate(all="ignore"):
        for i in range(n):
            x = rows[..., i].astype(np.float64)
            delta = x - mean
            mean = mean + delta / (i + 1)
            m2 = m2 + delta * (x - mean)
        return m2 / max(n - correction, 0), mean


@op("std_mean(Tensor input, IntArrayRef[1]? dim, bool unbiased=True, bool keepdim=False)",
    "std_mean(Tensor input, IntArrayRef[1]? dim=None, *, Scalar? correction=None, bool keepdim=False)",
    "std_mean(Tensor input, bool unbiased=True)")
def std_mean(input: Tensor, dim: Any = None, unbiased: Any = None, keepdim: bool = False, *,
             correction: Any = None) -> tuple[Tensor, Tensor]:
    attrs, v, mu = _moments("std_mean", input, dim, unbiased, keepdim, correction, running=True)
    return tuple(record_multi(STD_MEAN, (contiguous(np.sqrt(v).astype(input.dtype.to_real().np)),
                                         contiguous(mu.astype(input.dtype.np))), (input,), attrs))


# ---- logsumexp ----------------------------------------------------------------------------------
def _logsumexp_grad(grad: Tensor, self: Tensor, result: Tensor, dims: tuple, keepdim: bool) -> Tensor:
    ndim = self._data.ndim
    return _unsqueezed(grad, ndim, dims, keepdim) * (self - _unsqueezed(result, ndim, dims, keepdim)).exp().conj()


LOGSUMEXP = defop("logsumexp", grads={"self": _logsumexp_grad}, widen=False, complex_vjps=True)


@op("logsumexp(Tensor input, IntArrayRef[1] dim, bool keepdim=False, *, Tensor out=None)", method=True,
    out_rule=out_dtype_where(lambda dt: dt.category >= D.FLOATING,
                             "logsumexp(): Expected floating point type for result tensor, but got: %(out)s"))
def logsumexp(input: Tensor, dim: Any, keepdim: bool = False) -> Tensor:
    data = input._data
    if not data.size:  # (torch sums exp(input) into the result: exp's kernel runs before the dims are read)
        if input.dtype is D.complex32:
            raise NotImplementedError("\"exp_vml_cpu\" not implemented for 'ComplexHalf'")
        refuse_kernel("exp_vml_cpu", input.dtype)
    if isinstance(dim, (tuple, list)) and not dim and data.ndim and not keepdim:
        # torch reduces everything into a 0-d output and then fails to broadcast it back
        raise RuntimeError("output with shape [] doesn't match the broadcast shape [%s]"
                           % ", ".join(["1"] * data.ndim))
    dims = _reduce_dims(input, dim)
    if input.dtype.category < D.FLOATING:
        data = data.astype(D.get_default_dtype().np)
    axis = _axis(input, dims)
    # shift by the max for stability; an infinite max shifts by 0 so that inf - inf is not taken
    # (an empty reduction's max is -inf: a shift of 0 too)
    # (a complex input shifts by its real parts' max, as torch's: the imaginary part stays the principal log's)
    shift = np.maximum.reduce(data.real if data.dtype.kind == "c" else data, axis=axis, keepdims=True, initial=-np.inf)
    shift = np.where(np.isinf(shift), 0, shift).astype(data.dtype)
    exps = np.exp(data - shift)
    if exps.dtype in SUMMED_IN_ORDER:  # (torch sums the exponentials with its sum: in its order)
        total = torch_order_sum(exps, axis if data.ndim else (), shape=None if keepdim else
                                tuple(n for d, n in enumerate(data.shape) if d not in dims))
    else:
        total = np.add.reduce(exps, axis=axis, keepdims=keepdim, dtype=_acc_type(data.dtype))
    out = np.log(np.asarray(total).astype(data.dtype, copy=False))
    out = out + (shift if keepdim else shift.reshape(out.shape))
    return record(LOGSUMEXP, contiguous(np.asarray(out, data.dtype)), (input,), {"dims": dims, "keepdim": keepdim})


# ---- vector norms -------------------------------------------------------------------------------
def _norm_grad(grad: Tensor, self: Tensor, result: Tensor, ord: float, dims: tuple, keepdim: bool
               ) -> Tensor | None:
    """torch's norm_backward."""
    ndim = self._data.ndim
    grad, norm = _unsqueezed(grad, ndim, dims, keepdim), _unsqueezed(result, ndim, dims, keepdim)
    if ord == 0:
        return None  # torch's gradient is undefined: autograd.grad returns None
    if ord == 1:
        return self.sgn() * grad
    if ord == 2:
        return grad * (self / norm).masked_fill(norm == 0, 0)
    # (torch's C++ evaluates an operator's right operand first: which op refuses a limited dtype first)
    if ord in (_INF, -_INF):  # the gradient of amax(|self|), shared among ties, NaN-aware
        magnitude = self.abs()
        mask = (magnitude == norm) | magnitude.isnan()
        shared = (grad / mask.sum(dims, keepdim=True)) * mask
        return self.sgn() * shared
    if ord < 1:
        powered = self.abs().pow(ord - 1).masked_fill(self == 0, 0)
        scaled = self.sgn() * powered
        factor = norm.pow(1 - ord)
        return scaled * grad * factor
    if ord < 2:
        powered = self.abs().pow(ord - 1)
        scaled = self.sgn() * powered
    else:
        scaled = self * self.abs().pow(ord - 2)
    return scaled * (grad / norm.pow(ord - 1)).masked_fill(norm == 0, 0)


# torch's norm_backward is written for complex inputs (sgn, a real norm): applied as it is, op by op (each op
# rounding a reduced float, as torch's formula)
LINALG_VECTOR_NORM = defop("linalg_vector_norm", grads={"self": _norm_grad}, complex_vjps=True, widen=False)


def _scalar_text(x: float) -> str:
    """A number as torch's messages print a Scalar: ``-1``, ``-2.5``, ``inf``."""
    return str(x) if isinstance(x, int) else "%g" % x


@linalg_op("linalg_vector_norm(Tensor input, Scalar ord=2, IntArrayRef[1]? dim=None, bool keepdim=False, *, "
           "ScalarType? dtype=None, Tensor out=None)", out_check=True)
def vector_norm(x: Tensor, ord: Any = 2, dim: Any = None, keepdim: bool = False, *,
                dtype: D.dtype | None = None) -> Tensor:
    """torch.linalg.vector_norm."""
    if isinstance(ord, Tensor):
        ord = ord.item()
    if not isinstance(ord, numbers.Real):
        raise TypeError("linalg_vector_norm(): argument 'ord' (position 2) must be Number, not %s"
                        % type(ord).__name__)
    if x.dtype.category < D.FLOATING:
        raise RuntimeError("linalg.vector_norm: Expected a floating point or complex tensor as input. Got %s"
                           % x.dtype._cast_name)
    data = x._data
    check_norm_identity(data, ord, dim)
    check_norm_dtype("linalg.vector_norm", x, dtype)  # (after the empty-input checks, as torch)
    dims = _reduce_dims(x, dim)
    if dtype is not None:
        data = D.cast_np(data, dtype.np)
    magnitudes = magnitude(values_of(data))  # (real, for complex inputs too)
    if data.dtype == D.complex32.np:  # |z| of complex32 parts, rounded to float16 as torch's kernel does
        magnitudes = magnitudes.astype(np.float16)
    # torch: |x| (x != 0 for ord 0), no reduction, over dims of size 1 (a 0-d input's named dim is reduced)
    if (data.ndim or not _explicit(dim)) and all(data.shape[d] == 1 for d in dims if data.ndim):
        out = (nonzero_in_norm(data) if ord == 0 else magnitudes).reshape(_reduced_shape(data.shape, dims, keepdim))
    else:
        out = _last_dim_two_norms(data, magnitudes, ord, dims, keepdim)
        if out is None:
            out = _np_norm(magnitudes.astype(_acc_type(magnitudes.dtype), copy=False), float(ord), _axis(x, dims),
                           keepdim)
    # (torch's cast: an empty float8_e8m0fnu input's 0 is its smallest value, 2^-127; NumPy's is NaN)
    return record(LINALG_VECTOR_NORM, contiguous(D.cast_np(np.asarray(out), magnitudes.dtype)), (x,),
                  {"ord": float(ord), "dims": dims if _explicit(dim) else (), "keepdim": keepdim})


# ATen's norm, which torch's C++ ops call (frobenius_norm, norm_except_dim): its own dtype message and node names,
# NormBackward0 over every dim, NormBackward1 over given dims
ATEN_NORM = defop("norm", grads={"self": _norm_grad}, complex_vjps=True, widen=False)
ATEN_NORM_DIMS = defop("norm", grads={"self": _norm_grad}, grad_name="NormBackward1", complex_vjps=True,
                        widen=False)


def aten_norm(x: Tensor, p: float, dim: Any = None, keepdim: bool = False) -> Tensor:
    if x.dtype.category < D.FLOATING:
        raise RuntimeError("norm(): input dtype should be either floating point or complex. Got %s instead."
                           % x.dtype._cast_name)
    value = vector_norm(x.detach(), p, dim, keepdim)
    return record(ATEN_NORM if dim is None else ATEN_NORM_DIMS, value._data, (x,),
                  {"ord": float(p), "dims": _reduce_dims(x, dim) if _explicit(dim) else (), "keepdim": keepdim})


def nonzero_in_norm(data: np.ndarray) -> np.ndarray:
    """``data != 0``, the 0-norm over dims of size 1, as torch's ne writes it into the norm's real result: computed
    in a complex input's dtype, then copied (with the copy's warning)."""
    values = values_of(data)
    if values.dtype.kind == "c":
        warn_discarding_imaginary(values.size)
    return values != 0


def check_norm_identity(data: np.ndarray, ord: Any, dim: Any) -> None:
    """linalg.vector_norm's refusal of a min/max-like norm (ord < 0 or inf) with nothing to reduce: no identity."""
    if data.size or not (ord < 0 or ord == _INF):
        return
    if not _explicit(dim):
        raise RuntimeError("linalg.vector_norm cannot compute the %s norm on an empty tensor because the "
                           "operation does not have an identity" % _scalar_text(ord))
    for d in (dim,) if isinstance(dim, int) else dim:
        if data.shape[wrap_dim(d, data.ndim)] == 0:
            raise RuntimeError("linalg.vector_norm cannot compute the %s norm on the dimension %d"
                               "because this dimension is empty and the operation does not have an "
                               "identity" % (_scalar_text(ord), d))


def check_norm_dtype(fname: str, x: Tensor, dtype: D.dtype | None) -> None:
    """A norm's ``dtype=``: floating, and complex exactly when the input is (the result is real either way)."""
    if dtype is None:
        return
    if dtype.category < D.FLOATING:
        raise RuntimeError("%s: dtype should be floating point or complex, but got %s" % (fname, dtype._cast_name))
    if x.dtype.is_complex != dtype.is_complex:
        raise RuntimeError("%s: dtype should be %s for %s inputs, but got %s"
                           % (fname, *(("complex", "complex") if x.dtype.is_complex else ("real", "real")),
                              dtype._cast_name))
    if D.promote_types(x.dtype, dtype) is not dtype:
        raise RuntimeError("%s: the dtype of the input (%s) should be convertible without narrowing to the specified "
                           "dtype (%s)" % (fname, x.dtype._cast_name, dtype._cast_name))


def _last_dim_two_norms(data: np.ndarray, magnitudes: np.ndarray, ord: Any, dims: tuple, keepdim: bool
                        ) -> np.ndarray | None:
    """torch's 2-norms of C-contiguous float32/float64/complex64/complex128 ``data`` (``magnitudes``: its
    absolute values) over its last dim, or over all of it (one row, as TensorIterator coalesces it), in its
    kernel's order; None elsewhere. A real row's is the vectorized path's (``vec_reduce.two_norms``); a complex
    row's, ``NormTwoOps`` one element after another (``acc + |z| * |z|``, the product rounded; measured), on rows
    of one thread (a whole reduction under the grain size) up to ``TWO_NORM_ROW_LIMIT``."""
    if ord != 2 or data.dtype not in _TWO_NORM_DTYPES or not data.flags.c_contiguous or not data.size:
        return None
    if dims == (data.ndim - 1,):
        rows = magnitudes.reshape(-1, data.shape[-1])
    elif sorted(dims) == list(range(data.ndim)) and (data.dtype.kind != "c" or data.size < GRAIN_SIZE):
        rows = magnitudes.reshape(1, -1)
    else:
        return None
    if data.dtype.kind != "c":
        norms = two_norms(rows)
    elif rows.shape[1] > TWO_NORM_ROW_LIMIT:
        return None
    else:
        norms = np.zeros(rows.shape[0], rows.dtype)
        for column in rows.T:
            norms += column * column
        norms = np.sqrt(norms)
    return None if norms is None else norms.reshape(_reduced_shape(data.shape, dims, keepdim))


_TWO_NORM_DTYPES = tuple(np.dtype(t) for t in (np.float32, np.float64, np.complex64, np.complex128))


def _np_norm(a: np.ndarray, ord: float, axis: Any, keepdim: bool) -> np.ndarray:
    """The ``ord``-norm of the magnitudes ``a``."""
    if a.size == 0:  # torch fills an empty input's norms with 0, NaN's too (ords without an identity were refused)
        return np.add.reduce(a, axis=axis, keepdims=keepdim)
    if ord == _INF:
        return np.maximum.reduce(a, axis=axis, keepdims=keepdim)
    if ord == -_INF:
        return np.minimum.reduce(a, axis=axis, keepdims=keepdim)
    if ord == 0:
        return np.add.reduce(a != 0, axis=axis, dtype=a.dtype, keepdims=keepdim)
    if ord == 1:
        return np.add.reduce(a, axis=axis, keepdims=keepdim)
    if ord == 2:
        return np.sqrt(np.add.reduce(a * a, axis=axis, keepdims=keepdim))
    return np.power(np.add.reduce(np.power(a, ord), axis=axis, keepdims=keepdim), 1.0 / ord)


# ---- all / any / count_nonzero ------------------------------------------------------------------
def _truth_reduce(input: Tensor, dim: Any, keepdim: bool, np_fn: Any) -> Tensor:
    data = input._data
    if isinstance(dim, (tuple, list)) and not dim:  # an empty dim list reduces nothing
        out = data != 0
    else:
        dims = _reduce_dims(input, dim)
        out = np_fn(data, axis=_axis(input, dims), keepdims=keepdim)
    # uint8 in, uint8 out (0 or 1), as torch keeps for backward compatibility
    return Tensor._make(np.asarray(out, np.uint8 if input.dtype is D.uint8 else np.bool_, order="C"))


def _bool_or_byte(dt: D.dtype) -> bool:
    """The result dtypes all and any write (uint8 for a uint8 input, as NumPy's any)."""
    return dt is D.bool or dt is D.uint8


@op("all(Tensor input, *, Tensor out=None)",
    "all(Tensor input, IntArrayRef? dim=None, bool keepdim=False, *, Tensor out=None)",
    "all(Tensor input, int64_t dim, bool keepdim=False, *, Tensor out=None)", method=True,
    out_rule=out_dtype_where(_bool_or_byte, "all only supports bool tensor for result, got: %(out)s"))
def reduce_all(input: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:
    return _truth_reduce(input, dim, keepdim, np.all)


@op("any(Tensor input, *, Tensor out=None)",
    "any(Tensor input, IntArrayRef? dim=None, bool keepdim=False, *, Tensor out=None)",
    "any(Tensor input, int64_t dim, bool keepdim=False, *, Tensor out=None)", method=True,
    out_rule=out_dtype_where(_bool_or_byte, "any only supports bool tensor for result, got: %(out)s"))
def reduce_any(input: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:
    return _truth_reduce(input, dim, keepdim, np.any)


@op("count_nonzero(Tensor input, int64_t? dim=None)", "count_nonzero(Tensor input, IntArrayRef dim)", method=True)
def count_nonzero(input: Tensor, dim: Any = None) -> Tensor:
    dims = _reduce_dims(input, dim)
    return Tensor._make(contiguous(np.asarray(np.count_nonzero(input._data, axis=_axis(input, dims)), np.int64)))


# ---- cumsum / cumprod / cummax / cummin -------------------------------------------------------
def _scan(data: np.ndarray, d: int, ufunc: Any, acc: Any = None) -> np.ndarray:
    """``ufunc.accumulate`` along ``d``; a 0-d input scans as one element (torch copies it)."""
    if data.ndim == 0:
        return ufunc.accumulate(data.reshape(1), axis=0, dtype=acc).reshape(())
    result = ufunc.accumulate(data, axis=d, dtype=acc)
    if ufunc is np.add and result.dtype.kind in "fc":
        # torch's sums start from +0: no partial sum is -0 (+0 + -0 is +0), where accumulate keeps a leading -0
        np.add(result, 0, out=result)
    return result


def _cumprod_grad(grad: Tensor, self: Tensor, result: Tensor, dim: int) -> Tensor:
    """torch's cumprod_backward: without zeros, a reversed cumsum of result * grad divided by the input; with zeros, its
    O(n) formula outside a recorded graph and its O(n^2) one under create_graph (whose derivative is the second
    derivative), each as torch writes it, so that infinities, NaN and overflow meet in torch's products."""
    grad = grad.to(self.dtype)  # (torch's cumprod_backward takes the gradient in the input's dtype: dtype= scans)
    if self._data.size <= 1 or self._data.shape[dim] == 1:
        return grad
    is_zero = self._data == 0
    if not is_zero.any():
        return _reverse_cumsum(result * grad, dim) / self
    if grad_mode.STATE.enabled:
        return _cumprod_grad_omitted_products(grad, self, dim)
    return _cumprod_grad_to_first_zero(grad, self, result, is_zero, dim)


def _cumprod_grad_to_first_zero(grad: Tensor, self: Tensor, result: Tensor, is_zero: np.ndarray, dim: int) -> Tensor:
    """Before a slice's first zero z1, the zero-free formula on the terms before z1; at z1, prod(x[:z1]) times the
    sum of grad[j] * cumprod(x[z1 + 1:j + 1]) up to the second zero; after z1, exactly 0."""
    zeros_so_far = np.cumsum(is_zero, axis=dim)
    before = Tensor._make(zeros_so_far == 0)
    up_to_second = zeros_so_far == 1
    z1 = np.argmax(up_to_second, axis=dim, keepdims=True)  # (0 in a slice without zeros: masked out below)
    at_first = np.zeros_like(up_to_second)
    np.put_along_axis(at_first, z1, True, axis=dim)
    at_first &= up_to_second
    between = Tensor._make(up_to_second & ~at_first)
    upto = _reverse_cumsum((result * grad).masked_fill(before.logical_not(), 0.0), dim) / self
    prefix = result.gather(dim, Tensor._make(np.maximum(z1 - 1, 0))).masked_fill(Tensor._make(z1 == 0), 1.0)
    at_zero = (self.masked_fill(between.logical_not(), 1.0).cumprod(dim)
               * grad.masked_fill(Tensor._make(~up_to_second), 0.0)).sum(dim, keepdim=True) * prefix
    return where(before, upto, where(Tensor._make(at_first), at_zero, 0.0))


def _cumprod_grad_omitted_products(grad: Tensor, self: Tensor, dim: int) -> Tensor:
    """d out_j / d x_k = prod(x[:k]) * cumprod(x[k + 1:j + 1]), summed against grad[j] for j >= k: one slice of the
    gradient per k, as torch's loop (O(n^2), differentiable again)."""
    n = self._data.shape[dim]
    ones = grad.new_ones(self._data.shape[:dim] + (1,) + self._data.shape[dim + 1:])
    slices = []
    for k in range(n):
        if k == 0:
            omitted = cat([ones, self.narrow(dim, 1, n - 1).cumprod(dim)], dim)
        else:
            until_k = self.narrow(dim, 0, k).prod(dim, keepdim=True)
            if k == n - 1:
                omitted = until_k
            else:
                from_next = self.narrow(dim, k + 1, n - k - 1).cumprod(dim)
                omitted = cat([until_k, until_k.expand_as(from_next) * from_next], dim)
        slices.append((grad.narrow(dim, k, n - k) * omitted).sum(dim))
    return stack(slices, dim)


# (torch's cumsum_backward takes the gradient in the input's dtype first: a dtype= scan's float64 input gets a float64
# reversed scan, not a bfloat16 one; a float16/bfloat16 scan's accumulates in float32, as the forward's)
CUMSUM = defop("cumsum", grads={"self": lambda grad, dim, self_dtype: _reverse_cumsum(grad.to(self_dtype), dim)},
               widen=False, complex_vjps=True)
# (cumprod_backward is a composite formula: each of its ops rounds to float16/bfloat16)
CUMPROD = defop("cumprod", grads={"self": _cumprod_grad}, widen=False, real_part=False)


def _cumulative(node: Any, ufunc: Any, input: Tensor, dim: int, dtype: D.dtype | None) -> Tensor:
    out_dtype = _integral_to_long(input, dtype)
    d = wrap_dim(dim, input._data.ndim)
    if out_dtype is D.bool and input._data.size and input._data.ndim:  # (an empty or 0-d scan computes nothing)
        raise NotImplementedError('"%s_out_cpu" not implemented for \'Bool\'' % node.name)
    _check_grad_dtype(input, out_dtype)
    # torch casts the input to the result's dtype, then accumulates in its accumulation type
    data = _real_if(input._data, out_dtype)
    data = data if data.dtype == out_dtype.np else D.cast_np(data, out_dtype.np)  # (complex32 too: NumPy warns)
    if ufunc is np.multiply and out_dtype.is_complex and data.ndim:  # (a 0-d scan copies its input)
        data = complex_cumulative_product(data.reshape(data.shape or (1,)), d, np.dtype(np.complex128))
        data = data.reshape(input._data.shape)
    else:
        data = _scan(data, d, ufunc, _ACC.get(out_dtype.np, out_dtype.np))
    # (a bfloat16 scan's float32 sums stored by c10's conversion, one at a time: a NaN is 0x7FC0)
    data = D.bfloat16_c10_nans(data.astype(out_dtype.np), data) if out_dtype is D.bfloat16 else data.astype(
        out_dtype.np, copy=False)
    return record(node, contiguous(data), (input,), {"dim": d, "self_dtype": input.dtype})


def _cumulative_(name: str, scan: Callable, self: Tensor, dim: int, dtype: D.dtype | None) -> Tensor:
    """The in-place scan is hand-written: torch checks ``dtype`` against ``self`` and keeps an integral
    ``self``'s dtype (the out-of-place scan promotes integers to int64); the dim is checked first."""
    wrap_dim(dim, self._data.ndim)
    if dtype is not None and dtype is not self.dtype:
        raise RuntimeError("Bad in-place call: input tensor dtype %s and output tensor dtype %s should match"
                           % (self.dtype.cpp_name, dtype.cpp_name))
    if self._data.size and self._data.ndim:  # (an empty or 0-d scan computes nothing)
        if self.dtype is D.bool:
            raise NotImplementedError('"%s_out_cpu" not implemented for \'Bool\'' % name)
        refuse_kernel("%s_out_cpu" % name, self.dtype)  # (uint16-64 too: the scan runs in self's dtype, not int64)
    check_inplace(self, ())
    return adopt(self, scan(self, dim, dtype=self.dtype))


@op("cumsum(Tensor input, int64_t dim, *, ScalarType? dtype=None, Tensor out=None)", method=True,
    out_rule=dtype_from_out, inplace=lambda self, dim, *, dtype=None: _cumulative_("cumsum", cumsum, self, dim, dtype))
def cumsum(input: Tensor, dim: int, *, dtype: D.dtype | None = None) -> Tensor:
    return _cumulative(CUMSUM, np.add, input, dim, dtype)


@op("cumprod(Tensor input, int64_t dim, *, ScalarType? dtype=None, Tensor out=None)", method=True,
    out_rule=dtype_from_out,
    inplace=lambda self, dim, *, dtype=None: _cumulative_("cumprod", cumprod, self, dim, dtype))
def cumprod(input: Tensor, dim: int, *, dtype: D.dtype | None = None) -> Tensor:
    return _cumulative(CUMPROD, np.multiply, input, dim, dtype)


def _cum_extreme_grad(grad: Tensor, self: Tensor, dim: int, indices: Tensor) -> Tensor:
    """torch's cummaxmin_backward: each output's gradient to the element it copied (an empty input is its own
    gradient, as torch's returns it: one that requires grad under create_graph)."""
    if not self.numel():
        return self
    return grad.new_zeros(self.shape).scatter_add(dim, indices, grad)


CUMMAX = defop("cummax", grads={"self": _cum_extreme_grad}, complex_grad=False, saved_outputs=("indices",))
CUMMIN = defop("cummin", grads={"self": _cum_extreme_grad}, complex_grad=False, saved_outputs=("indices",))


def _cum_extreme(name: str, node: Any, ufunc: Any, input: Tensor, dim: int) -> Any:
    data = input._data
    if not data.ndim and dim not in (-1, 0):
        raise IndexError("%s(): Expected reduction dim -1 or 0 for scalar but got %d" % (name, dim))
    d = wrap_dim(dim, data.ndim) if data.size else 0  # (torch returns an empty input's result without reading dim)
    values = _scan(data, d, ufunc)
    # the index of the last element that set or tied the running extreme, as torch's kernel
    # takes the later index on ties (>= / <=); once a NaN is seen, of the last NaN
    hit = data == values
    if D.is_floating_np(data.dtype):
        hit |= np.isnan(data) & np.isnan(values)
    positions = np.zeros((), np.int64)
    if data.ndim:
        positions = np.where(hit, np.arange(data.shape[d]).reshape((-1,) + (1,) * (data.ndim - d - 1)), 0)
    indices = Tensor._make(contiguous(_scan(positions, d, np.maximum).astype(np.int64)))
    out = record(node, contiguous(values), (input,), {"dim": d, "indices": indices})
    return getattr(return_types, name)(out, indices)


_CUMULATIVE_OUT = OutCheck("expected scalar_type %(result)s but found %(out)s")  # values' and indices'


@op("cummax(Tensor input, int64_t dim, *, TensorList[2] out=None)", method=True, out_check=(_CUMULATIVE_OUT,) * 2)
def cummax(input: Tensor, dim: int) -> Any:
    return _cum_extreme("cummax", CUMMAX, np.maximum, input, dim)


@op("cummin(Tensor input, int64_t dim, *, TensorList[2] out=None)", method=True, out_check=(_CUMULATIVE_OUT,) * 2)
def cummin(input: Tensor, dim: int) -> Any:
    return _cum_extreme("cummin", CUMMIN, np.minimum, input, dim)
