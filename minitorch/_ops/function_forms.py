"""Small ops torch binds as ``torch.*`` functions: the function forms of Tensor methods minitorch has
(``torch.is_inference``, ``get_device``, ``index_put_``, ``as_strided_``, ``resize_as_``), and a few ops of
their own (``nonzero_static``, ``embedding_renorm_``, ``slice_inverse``, ``is_distributed`` and the deprecated
``range``)."""
from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

from .. import _creation
from .. import _dtype as D
from .._tensor import Tensor
from ..autograd.history import view_step
from ..autograd.recording import check_inplace, defop
from .nn_ops.embedding import renorm_rows
from .complex_half import refuse_creation
from .cpp_format import cpp_double
from .dims import as_int64, check_storage, check_symint_sizes
from .inplace import OutCheck
from .limited_dtypes import refuse_kernel
from .registry import OPS, op
from .shape import slice_bounds, slice_dim
from .scalar_cast import check_scalar_int, checked_scalar
from . import indexing, strided  # noqa: F401 - the records joined below
from .strided import _storage, _strided_view
from .views import make_view

# functions torch binds beside methods minitorch already has: each joins its method's record
for _signature in ("is_inference(Tensor input)", "get_device(Tensor input)",
                   "index_put_(Tensor input, c10::List<::std::optional<Tensor>> indices, Tensor values, "
                   "bool accumulate=False)",
                   "as_strided_(Tensor input, SymIntArrayRef size, SymIntArrayRef stride, SymInt? storage_offset=None)",
                   "resize_as_(Tensor input, Tensor the_template, *, MemoryFormat? memory_format=None)"):
    op(_signature)(OPS[_signature.partition("(")[0]].impl)


@op("is_distributed(Tensor input)", method=True)
def is_distributed(input: Tensor) -> bool:
    """Always False: a minitorch tensor lives in this process."""
    return False


@op("nonzero_static(Tensor input, *, SymInt size, int64_t fill_value=-1, Tensor out=None)",
    method=["nonzero_static(*, SymInt size, int64_t fill_value=-1)"],
    out_check=OutCheck("nonzero_static: Expected out tensor to have scalar type Long but got scalar type%(out)s"))
def nonzero_static(input: Tensor, *, size: int, fill_value: int = -1) -> Tensor:
    """``nonzero`` cut or padded with ``fill_value`` rows to ``size`` rows (a 0-d input has no index columns)."""
    if size < 0:
        raise RuntimeError("nonzero_static: 'size' must be an non-negative integer")
    data = input._data
    found = np.argwhere(data)[:size] if data.ndim else np.zeros((0, 0), np.int64)
    check_storage((size, data.ndim), np.dtype(np.int64))
    out = np.full((size, data.ndim), fill_value, np.int64)
    out[:len(found)] = found
    return Tensor._make(out)


@op("embedding_renorm_(Tensor input, Tensor indices, double max_norm, double norm_type)")
def embedding_renorm_(input: Tensor, indices: Tensor, max_norm: float, norm_type: float) -> Tensor:
    """The rows of ``input`` that ``indices`` name rescaled in place to norm at most ``max_norm`` (what
    ``F.embedding``'s ``max_norm`` does), with ATen's checks."""
    check_inplace(input, ())
    renorm_rows(input, indices, max_norm, norm_type)
    return input


def _sliced(grad: Tensor, dim: int, start: int | None, end: int | None, step: int) -> Tensor:
    """aten's slice, which torch's formula calls (its checks: Python indexing's differ)."""
    return slice_dim(grad, *slice_bounds(grad, dim, start, end, step), step, exact_strides=False)


def _outside_slice(grad: Tensor, self_shape: tuple, dim: int, start: int | None, end: int | None, step: int
                   ) -> Tensor:
    # zeros of ``self``'s shape, as torch's formula: a self that is not the slice's shape is refused here
    return grad.slice_scatter(grad.new_zeros(self_shape), dim, start, end, step)


# the slice's elements are ``input``'s; the others are read from ``src``'s positions of the storage
SLICE_INVERSE = defop("slice_inverse", ("self", "src"), {"self": _sliced, "src": _outside_slice},
                      complex_grad=False)


@op("slice_inverse(Tensor input, Tensor src, int64_t dim=0, SymInt? start=None, SymInt? end=None, SymInt step=1)",
    method=True)
def slice_inverse(input: Tensor, src: Tensor, dim: int = 0, start: int | None = None, end: int | None = None,
                  step: int = 1) -> Tensor:
    """The inverse of ``src[..., start:end:step]`` along ``dim``: the view of ``input``'s storage with
    ``src``'s sizes, strides and offset (``input`` being that slice of a tensor laid out as ``src``)."""
    size, stride = tuple(src.shape), tuple(src.stride())
    data = _strided_view(_storage(input), size, stride, src.storage_offset())
    attrs = {"dim": dim, "start": start, "end": end, "step": step}
    return make_view(SLICE_INVERSE, data, input, attrs, view_step(slice_inverse, src, dim, start, end, step),
                     (input, src))


_RANGE_DEPRECATED = ("torch.range is deprecated and will be removed in a future release because its behavior is "
                     "inconsistent with Python's range builtin. Instead, use torch.arange, which produces values in "
                     "[start, end).")


@op("range(Scalar start, Scalar end, Scalar step=1, *, Tensor out=None, ScalarType? dtype=None, "
    "Layout layout=torch.strided, Device? device=None, bool requires_grad=False)",
    writes_out=True)
def range(start: Any, end: Any, step: Any = 1, *, out: Tensor | None = None,  # noqa: A001 - torch's name
          dtype: D.dtype | None = None, layout: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """Deprecated: ``start, start + step, ...`` up to ``end`` included, in the default float dtype unless
    told otherwise."""
    warnings.warn(_RANGE_DEPRECATED, UserWarning, stacklevel=4)
    bounds = [x.item() if isinstance(x, Tensor) else x for x in (start, end, step)]
    for bound in bounds:
        if type(bound) is int:
            check_scalar_int(bound)
    _creation.check_factory_device(device)
    start, end, step = bounds
    dt = _creation._out_dtype(dtype, out) or D.get_default_dtype()
    refuse_creation("range_cpu", dt)  # (complex32: once its output is allocated, with the warning)
    if dt is D.bool:
        raise NotImplementedError("\"range_cpu\" not implemented for 'Bool'")
    refuse_kernel("range_cpu", dt)  # (torch's whole kernel, its checks included, is inside its dtype dispatch)
    if dt.category != D.FLOATING:  # the integer kernel steps in int64
        start, end, step = (int(checked_scalar(x, D.int64)) for x in bounds)
    # the step and the bounds' consistency are checked on the values given, in double, before an integer dtype
    # truncates them
    first, last, by = (float(x) for x in bounds)
    if not (by > 0 or by < 0):
        raise RuntimeError("step must be nonzero")
    if not (math.isfinite(start) and math.isfinite(end)):
        raise RuntimeError("unsupported range: %s -> %s" % (cpp_double(start), cpp_double(end)))
    if (last - first) * by < 0:
        raise RuntimeError("upper bound and lower bound inconsistent with step sign")
    if not step:  # (a fractional step that an integer dtype truncates to 0: torch itself crashes, dividing by it)
        raise RuntimeError("step must be nonzero")
    # torch's kernel computes in the dtype's accumulate type: float for float16 and bfloat16, else double or int64
    accumulate = np.float32 if dt in D.REDUCED_FLOATS else float
    if dt.category == D.FLOATING:  # counted so, read as an int64 (x86 reads any out-of-range one as its least)
        with np.errstate(over="ignore"):
            count = (accumulate(end) - accumulate(start)) / accumulate(step) + 1
        count = int(count) if count < 2 ** 63 else -2 ** 63
    else:  # in int64 arithmetic (C++'s division truncates toward zero)
        span = as_int64(end - start)
        count = as_int64(abs(span) // abs(step) * (1 if span * step >= 0 else -1) + 1)
    check_symint_sizes((count,))
    check_storage((count,), dt.np)
    if dt in D.REDUCED_FLOATS:  # (start + index * step)
        data = accumulate(start) + np.arange(count, dtype=accumulate) * accumulate(step)
    else:
        data = start + np.arange(count, dtype=np.float64 if dt.category == D.FLOATING else np.int64) * step
    return _creation.emit(data.astype(dt.np), out, requires_grad)
