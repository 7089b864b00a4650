"""Reductions: sum, mean, max/min (whole and along a dim), argmax/argmin."""
from __future__ import annotations

from typing import Any

import numpy as np

from .. import _dtype as D
from .. import return_types
from .._tensor import Tensor
from .dims import wrap_dim, wrap_dims
from .registry import both, check_tensor, defop, record


def _unreduce(grad: Tensor, self_shape: tuple, dims: tuple, keepdim: bool) -> Tensor:
    """Broadcast a reduction's gradient back over the reduced dims."""
    if not keepdim and dims and len(self_shape):
        shape = list(grad._data.shape)
        for d in sorted(dims):
            shape.insert(d, 1)
        grad = grad.reshape(tuple(shape))
    return grad.expand(self_shape)


def _reduce_dims(input: Tensor, dim: Any) -> tuple[int, ...]:
    if dim is None or (isinstance(dim, (tuple, list)) and len(dim) == 0):
        return tuple(range(input._data.ndim))
    return wrap_dims(dim, input._data.ndim)


def _axis(input: Tensor, dims: tuple) -> Any:
    return dims if input._data.ndim else None


def _count(shape: tuple, dims: tuple) -> int:
    n = 1
    for d in dims:
        n *= shape[d]
    return n


SUM = defop("sum", grads={"self": lambda grad, self_shape: grad.expand(self_shape)}, grad_name="SumBackward0")
SUM_DIM = defop("sum", grads={"self": lambda grad, self_shape, dims, keepdim: _unreduce(
    grad, self_shape, dims, keepdim)}, grad_name="SumBackward1")
MEAN = defop("mean", grads={"self": lambda grad, self_shape, count: grad.expand(self_shape) / count},
             grad_name="MeanBackward0")
MEAN_DIM = defop("mean", grads={"self": lambda grad, self_shape, dims, keepdim, count: _unreduce(
    grad, self_shape, dims, keepdim) / count}, grad_name="MeanBackward1")


def _sum_dtype(input: Tensor, dtype: D.dtype | None) -> D.dtype:
    if dtype is not None:
        return dtype
    return D.int64 if input.dtype.category != D.FLOATING else input.dtype


def _np_sum(data: np.ndarray, axis: Any, keepdim: bool, out_dtype: D.dtype) -> np.ndarray:
    # float16 accumulates in float32, as torch does
    acc = np.float32 if out_dtype is D.float16 else out_dtype.np
    return np.asarray(np.sum(data, axis=axis, dtype=acc, keepdims=keepdim)).astype(out_dtype.np, copy=False)


@both("sum")
def sum(input: Tensor, dim: Any = None, keepdim: bool = False, *, dtype: D.dtype | None = None) -> Tensor:  # noqa: A001
    check_tensor("sum", input)
    out_dtype = _sum_dtype(input, dtype)
    if dim is None:
        return record(SUM, _np_sum(input._data, None, False, out_dtype), (input,))
    dims = _reduce_dims(input, dim)
    data = _np_sum(input._data, _axis(input, dims), keepdim, out_dtype)
    return record(SUM_DIM, data, (input,), {"dims": dims, "keepdim": keepdim})


@both("mean")
def mean(input: Tensor, dim: Any = None, keepdim: bool = False, *, dtype: D.dtype | None = None) -> Tensor:
    check_tensor("mean", input)
    out_dtype = dtype or input.dtype
    if out_dtype.category != D.FLOATING:
        raise RuntimeError("mean(): could not infer output dtype. %s must be either a floating point or "
                           "complex dtype. Got: %s" % ("Optional dtype" if dtype is not None else "Input dtype",
                                                        out_dtype._cast_name))
    dims = _reduce_dims(input, dim)
    count = _count(input._data.shape, dims)
    with np.errstate(all="ignore"):
        total = _np_sum(input._data, _axis(input, dims), keepdim and dim is not None, out_dtype)
        data = np.asarray(total / out_dtype.np.type(count) if count else total * np.nan).astype(out_dtype.np)
    if dim is None:
        return record(MEAN, data, (input,), {"count": count})
    return record(MEAN_DIM, data, (input,), {"dims": dims, "keepdim": keepdim, "count": count})


# ---- max / min --------------------------------------------------------------------------------
def _evenly(grad: Tensor, self: Tensor, result: Tensor) -> Tensor:
    """torch's evenly_distribute_backward: ties share the gradient equally."""
    mask = (self == result) | (self.isnan() & result.isnan())
    return mask * (grad / mask.sum())


def _scatter_back(grad: Tensor, self_shape: tuple, dim: int, indices: Tensor, keepdim: bool) -> Tensor:
    if not keepdim and len(self_shape):
        grad = grad.unsqueeze(dim)
        indices = indices.unsqueeze(dim)
    return grad.new_zeros(self_shape).scatter(dim, indices, grad) if len(self_shape) else grad


def _extreme(name: str, np_fn: Any, arg_fn: Any):
    whole = defop(name, grads={"self": _evenly}, grad_name=name.capitalize() + "Backward1")
    along = defop(name, grads={"self": lambda grad, self_shape, dim, indices, keepdim: _scatter_back(
        grad, self_shape, dim, indices, keepdim)}, grad_name=name.capitalize() + "Backward0")
    result_type = getattr(return_types, name)

    def fn(input: Tensor, dim: Any = None, keepdim: bool = False) -> Any:
        check_tensor(name, input)
        if isinstance(dim, Tensor):  # max(input, other): the binary maximum
            return (input.maximum if name == "max" else input.minimum)(dim)
        data = input._data
        if dim is None:
            if data.size == 0:
                raise RuntimeError("%s(): Expected reduction dim to be specified for input.numel() == 0. "
                                   "Specify the reduction dim with the 'dim' argument." % name)
            return record(whole, np.asarray(np_fn(data)), (input,))
        d = wrap_dim(dim, data.ndim)
        if data.ndim and data.shape[d] == 0:
            raise IndexError("%s(): Expected reduction dim %d to have non-zero size." % (name, d))
        if data.ndim == 0:
            idx = np.zeros((), np.int64)
            values = data.copy()
        else:
            idx = np.asarray(arg_fn(data, axis=d, keepdims=keepdim)).astype(np.int64)
            values = np.take_along_axis(data, idx if keepdim else np.expand_dims(idx, d), axis=d)
            if not keepdim:
                values = np.squeeze(values, d)
        indices = Tensor._make(idx)
        values_t = record(along, np.asarray(values), (input,),
                          {"dim": d, "indices": indices, "keepdim": keepdim})
        return result_type(values_t, indices)
    fn.__name__ = name
    return fn


def _nan_arg(np_arg: Any) -> Any:
    """argmax/argmin that, like torch, pick the first NaN when there is one."""
    def arg(data: np.ndarray, axis: Any = None, keepdims: bool = False) -> np.ndarray:
        if data.dtype.kind == "f":
            nan = np.isnan(data)
            if nan.any():
                first_nan = np.argmax(nan, axis=axis, keepdims=keepdims)
                return np.where(np.any(nan, axis=axis, keepdims=keepdims), first_nan,
                                np_arg(data, axis=axis, keepdims=keepdims))
        return np_arg(data, axis=axis, keepdims=keepdims)
    return arg


_argmax, _argmin = _nan_arg(np.argmax), _nan_arg(np.argmin)
both("max")(_extreme("max", np.max, _argmax))
both("min")(_extreme("min", np.min, _argmin))


def _arg_reduce(name: str, fn: Any):
    def arg(input: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:
        check_tensor(name, input)
        data = input._data
        if dim is None:
            if data.size == 0:
                raise RuntimeError("%s(): Expected reduction dim to be specified for input.numel() == 0."
                                   % name)
            out = np.asarray(fn(data.reshape(-1)))
            if keepdim:
                out = out.reshape((1,) * data.ndim)
            return Tensor._make(out.astype(np.int64))
        d = wrap_dim(dim, data.ndim)
        if data.ndim == 0:
            return Tensor._make(np.zeros((), np.int64))
        return Tensor._make(np.asarray(fn(data, axis=d, keepdims=keepdim)).astype(np.int64))
    arg.__name__ = name
    return arg


both("argmax")(_arg_reduce("argmax", _argmax))
both("argmin")(_arg_reduce("argmin", _argmin))
