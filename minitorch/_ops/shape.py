"""Shape and movement ops on one tensor: view, reshape, squeeze, expand, transpose, permute, select,
narrow, flip... Views share memory with their input, as torch's do. Splitting one tensor into several,
joining several into one, and repeating are ``joining.py``.

Ops that torch composes from others (movedim, flatten, fliplr...) are composed the same way here, so
that their results carry torch's grad_fn names.
"""
from __future__ import annotations

import warnings
from typing import Any, Sequence

import numpy as np

from .. import _dtype as D
from .._device import preserve_format
from .._float8 import as_strided
from .._tensor import Tensor
from .concrete_sizes import VIEW_SITE, check_concrete_sizes
from ..autograd.engine import type_string
from .dims import (INT64_MAX, as_int64, broadcast_pair, check_nonnegative, check_numel, check_symint_sizes, strided,
                   element_strides, fits_numpy, numpy_cannot_hold, parse_size, strided_storage_bytes, wrap_dim,
                   wrap_dims)
from .registry import op, python_method, python_op
from .scalar_cast import checked_scalar
from .result_layout import in_suggested_format
from .signature import check_tensor_list
from ..autograd.grad_mode import STATE as _GRAD_STATE
from ..autograd.recording import TANGENT_HOOK, check_inplace, defop, record
from .preserve_format import empty_like_array
from .views import inplace_view, make_view
from ..autograd.history import tie_view, view_step


def _shape_str(shape: Sequence[int]) -> str:
    return str(list(shape))


def _infer_size(shape: tuple[int, ...], numel: int) -> tuple[int, ...]:
    """Resolve one ``-1`` in a requested shape, with torch's errors (the known sizes' product in int64, wrapping
    as torch's does: the tensor made then meets the element count's overflow check)."""
    infer = None
    known = 1
    for i, s in enumerate(shape):
        if s == -1:
            if infer is not None:
                raise RuntimeError("only one dimension can be inferred")
            infer = i
        elif s < 0:
            raise RuntimeError("invalid shape dimension %d at index %d of shape %s" % (s, i, _shape_str(shape)))
        else:
            known = as_int64(known * s)
    if numel == known or (infer is not None and known > 0 and numel % known == 0):
        if infer is None:
            return shape
        if known == 0:
            raise RuntimeError("cannot reshape tensor of 0 elements into shape %s because the unspecified "
                               "dimension size -1 can be any value and is ambiguous" % _shape_str(shape))
        return shape[:infer] + (numel // known,) + shape[infer + 1:]
    raise RuntimeError("shape '%s' is invalid for input of size %d" % (_shape_str(shape), numel))


def _view_size(shape: tuple[int, ...], input: Tensor) -> tuple[int, ...]:
    """The size a view or reshape of ``input`` to ``shape`` takes, checked as torch's."""
    size = _infer_size(shape, input._data.size)
    check_numel(size)
    if not fits_numpy(size, input._data.dtype):
        raise numpy_cannot_hold(size)
    return size


_to_shape = lambda grad, self_shape: grad.reshape(self_shape)  # noqa: E731 - a VJP

VIEW = defop("view", grads={"self": _to_shape}, complex_vjps=True)
RESHAPE_ALIAS = defop("_reshape_alias", grads={"self": _to_shape}, grad_name="ReshapeAliasBackward0", complex_vjps=True)
UNSAFE_VIEW = defop("_unsafe_view", grads={"self": _to_shape}, grad_name="UnsafeViewBackward0", complex_vjps=True)
CLONE = defop("clone", grads={"self": lambda grad: grad}, complex_vjps=True)
ALIAS = defop("alias", grads={"self": lambda grad: grad}, complex_vjps=True)


@op(method=["view(ScalarType dtype)", "view(SymIntArrayRef size)"])
def view(self: Tensor, size: Any) -> Tensor:
    if isinstance(size, D.dtype):
        return _view_dtype(self, size)
    size = _view_size(parse_size((size,), "view"), self)
    return make_view(VIEW, _viewed(self._data, size), self, None, view_step(view, size))


def _viewed(data: np.ndarray, size: tuple) -> np.ndarray:
    """``data`` in ``size`` without a copy, or torch's refusal where its strides cannot express it."""
    try:
        return np.reshape(data, size, copy=False)
    except ValueError:
        raise RuntimeError("view size is not compatible with input tensor's size and stride (at least one "
                           "dimension spans across two contiguous subspaces). Use .reshape(...) instead."
                           ) from None


def _view_dtype(self: Tensor, dtype: D.dtype) -> Tensor:
    if dtype.itemsize != self.dtype.itemsize:
        _check_resize(self, dtype)
    return _reinterpreted(self, dtype)  # (in self's own dtype too: torch's result then has no history either)


def _reinterpreted(self: Tensor, dtype: D.dtype) -> Tensor:
    """The bytes of ``self`` read as another dtype: a view that shares memory and version counter but not
    history (torch's view.dtype is not differentiable, and its result is not a view autograd tracks)."""
    out = Tensor._make(self._data.view(dtype.np))
    out._vbox = self._vbox
    return out


def _check_resize(self: Tensor, dtype: D.dtype) -> None:
    """torch's conditions for reading the bytes as elements of another size."""
    what = "view %s as %s (different element sizes)" % (self.dtype._cast_name, dtype._cast_name)
    if self._data.ndim == 0:
        raise RuntimeError("self.dim() cannot be 0 to " + what)
    strides = self.stride()
    ratio = dtype.itemsize // self.dtype.itemsize
    if ratio > 1 and self._data.shape[-1] % ratio:  # (growing elements: the last size is checked first)
        raise RuntimeError("self.size(-1) must be divisible by %d to %s, but got %d"
                           % (ratio, what, self._data.shape[-1]))
    if strides[-1] != 1:
        raise RuntimeError("self.stride(-1) must be 1 to %s, but got %d" % (what, strides[-1]))
    if ratio > 1:
        if self.storage_offset() % ratio:
            raise RuntimeError("self.storage_offset() must be divisible by %d to %s, but got %d"
                               % (ratio, what, self.storage_offset()))
        for d, stride in enumerate(strides[:-1]):
            if stride % ratio:
                raise RuntimeError("self.stride(%d) must be divisible by %d to %s, but got %d"
                                   % (d, ratio, what, stride))


@op("reshape(Tensor input, SymIntArrayRef shape)", method=True)
def reshape(input: Tensor, shape: Any) -> Tensor:
    """A view when the layout allows (ViewBackward0 if contiguous, else ReshapeAliasBackward0), else a copy."""
    shape = parse_size((shape,), "reshape")
    if input._data.flags.c_contiguous:  # torch's view, whose kernel takes concrete sizes only
        check_concrete_sizes(VIEW_SITE, shape)
    size = _view_size(shape, input)
    if input._data.flags.c_contiguous:
        return make_view(VIEW, input._data.reshape(size), input, None, view_step(view, size))
    try:
        data = np.reshape(input._data, size, copy=False)
    except ValueError:  # not expressible as a view: copy, as torch's _unsafe_view(clone())
        copied = clone(input)
        return record(UNSAFE_VIEW, copied._data.reshape(size), (copied,))
    return make_view(RESHAPE_ALIAS, data, input, None, view_step(reshape, size))


@op(method=["view_as(Tensor other)"])
def view_as(self: Tensor, other: Tensor) -> Tensor:
    return view(self, other._data.shape)


@op(method=["reshape_as(Tensor other)"])
def reshape_as(self: Tensor, other: Tensor) -> Tensor:
    return reshape(self, other._data.shape)


@op("flatten(Tensor input, int64_t start_dim=0, int64_t end_dim=-1)", method=True)
def flatten(input: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    start, end = wrap_dim(start_dim, input._data.ndim), wrap_dim(end_dim, input._data.ndim)
    if input._data.ndim == 0:
        return reshape(input, (1,))
    if start > end:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    if start == end:
        return input
    shape = input._data.shape
    return reshape(input, shape[:start] + (int(np.prod(shape[start:end + 1])),) + shape[end + 1:])


@op("ravel(Tensor input)", method=True)
def ravel(input: Tensor) -> Tensor:
    return view(contiguous(input), (-1,))


@op("unflatten(Tensor input, int64_t dim, SymIntArrayRef sizes)")
def unflatten(input: Tensor, dim: int, sizes: Sequence[int]) -> Tensor:
    d = wrap_dim(dim, input._data.ndim)
    if not len(sizes):
        raise RuntimeError("unflatten: sizes must be non-empty")
    shape = input._data.shape
    if not shape:  # (a 0-d input's dim wraps, its size does not: torch rethrows c10's error, backtrace included)
        raise RuntimeError("unflatten got an unexpected error:\nDimension specified as 0 but tensor has no dimensions\n"
                           "Exception raised from maybe_wrap_dim_slow at /__w/pytorch/pytorch/c10/core/"
                           "WrapDimMinimal.cpp:12 (most recent call first):\n")
    sizes = tuple(sizes)
    try:
        inferred = _infer_size(sizes, shape[d])
    except RuntimeError as e:  # (torch's handle_unflatten_exception: a wrong product in its words, others rethrown)
        message = str(e)
        if "is invalid for input of size" in message:
            raise RuntimeError("unflatten: Provided sizes %s don't multiply up to the size of dim %d (%d) in the input "
                               "tensor" % (list(sizes), d, shape[d])) from None
        raise RuntimeError("unflatten got an unexpected error:\n%s\nException raised from infer_size_impl at "
                           "/__w/pytorch/pytorch/aten/src/ATen/InferSize.h:%d (most recent call first):\n"
                           % (message, _INFER_SIZE_LINES[message[:12]])) from None
    return view(input, shape[:d] + inferred + shape[d + 1:])


# the line of InferSize.h raising each of infer_size's own errors (by their first words), which unflatten's rethrown
# message names
_INFER_SIZE_LINES = {"only one dim": 30, "invalid shap": 35, "cannot resha": 88}


@python_method("unflatten")
def unflatten_method(self: Tensor, dim: int, sizes: Sequence[int]) -> Tensor:
    return unflatten(self, dim, sizes)


unflatten_method.__qualname__ = "Tensor.unflatten"  # a Python method in torch: Python's messages name it so


UNSQUEEZE = defop("unsqueeze", grads={"self": lambda grad, dim: grad.squeeze(dim)}, complex_vjps=True)


@op("unsqueeze(Tensor input, int64_t dim)", method=True)
def unsqueeze(input: Tensor, dim: int) -> Tensor:
    src = input._data
    d = wrap_dim(dim, src.ndim + 1)
    data = np.expand_dims(src, d)
    # torch's stride for the new dim: the extent of the dim it goes before (size * stride), 1 at the end (NumPy
    # picks its own for a size-1 dim)
    extent = (src.strides[d] * src.shape[d],) if d < src.ndim else (src.itemsize,)
    strides = src.strides[:d] + extent + src.strides[d:]
    if data.strides != strides:
        data = as_strided(data, data.shape, strides)
    return make_view(UNSQUEEZE, data, input, {"dim": d}, view_step(unsqueeze, d))


def _unsqueeze_to(grad: Tensor, dims: tuple[int, ...]) -> Tensor:
    """torch's unsqueeze_to: the squeezed dims given back one unsqueeze each, in increasing order (UnsqueezeBackward0
    nodes in a double backward's graph; a squeeze that removed no dim gives the gradient itself)."""
    for d in dims:
        grad = grad.unsqueeze(d)
    return grad


SQUEEZE_ALL = defop("squeeze", grads={"self": _unsqueeze_to}, grad_name="SqueezeBackward0", complex_vjps=True)
SQUEEZE_DIM = defop("squeeze", grads={"self": _unsqueeze_to}, grad_name="SqueezeBackward1", complex_vjps=True)
SQUEEZE_DIMS = defop("squeeze", grads={"self": _unsqueeze_to}, grad_name="SqueezeBackward2", complex_vjps=True)


@op("squeeze(Tensor input)", "squeeze(Tensor input, int64_t dim)", "squeeze(Tensor input, IntArrayRef dim)",
    method=True)
def squeeze(input: Tensor, dim: Any = None) -> Tensor:
    shape = input._data.shape
    if dim is None:
        op, dims = SQUEEZE_ALL, tuple(i for i, s in enumerate(shape) if s == 1)
    elif isinstance(dim, (tuple, list)):
        listed = wrap_dims(dim, len(shape), each_in_turn=True)
        op, dims = SQUEEZE_DIMS, tuple(d for d in listed if len(shape) and shape[d] == 1)
    else:
        d = wrap_dim(dim, len(shape))
        op, dims = SQUEEZE_DIM, ((d,) if len(shape) and shape[d] == 1 else ())
    return make_view(op, np.squeeze(input._data, dims), input, {"dims": tuple(sorted(set(dims)))},
                     view_step(squeeze, dim))


# the engine sums back to self's shape; torch's sum_to sums to a 0-d shape even from one (a float8 or complex32
# gradient is refused there)
EXPAND = defop("expand", grads={"self": lambda grad, self_shape: grad if self_shape else grad.sum()}, complex_vjps=True)


def _expanded(data: np.ndarray, size: tuple) -> np.ndarray:
    """``data`` broadcast to ``size`` as a view, with torch's strides (a dim that keeps its size keeps its stride,
    a size-1 one too: NumPy's broadcast_to zeroes those); writable unless elements overlap (a stride-0 dim of
    size > 1), where torch refuses in-place writes. ``size`` is one ``data`` broadcasts to (callers check it)."""
    lead = len(size) - data.ndim
    strides = tuple(data.strides[i - lead] if i >= lead and data.shape[i - lead] == s else 0
                    for i, s in enumerate(size))
    overlaps = any(st == 0 and s > 1 for st, s in zip(strides, size))
    return strided(data, size, strides, writeable=data.flags.writeable and not overlaps)  # (an empty one marked)


@op(method=["expand(SymIntArrayRef size, *, bool implicit=False)"])
def expand(self: Tensor, size: Any, implicit: bool = False) -> Tensor:
    size = expanded_size(self, size)
    if not fits_numpy(size, self._data.dtype):
        raise numpy_cannot_hold(size)
    return make_view(EXPAND, _expanded(self._data, size), self, None, view_step(expand, size))


def expanded_size(self: Tensor, size: Any) -> tuple[int, ...]:
    """The shape ``self`` expands to (``-1`` keeps a size), with torch's checks."""
    target = parse_size((size,), "expand")
    shape = self._data.shape
    if len(target) < len(shape):
        raise RuntimeError("expand(%s{[%s]}, size=[%s]): the number of sizes provided (%d) must be "
                           "greater or equal to the number of dimensions in the tensor (%d)"
                           % (type_string(self.dtype), ", ".join(map(str, shape)), ", ".join(map(str, target)),
                              len(target), len(shape)))
    lead = len(target) - len(shape)
    out = list(target)
    for i in range(len(target) - 1, -1, -1) if shape else ():  # torch checks from the last dim (a 0-d tensor
        # takes the sizes as given)
        s = target[i]
        if i < lead:
            if s == -1:
                raise RuntimeError("The expanded size of the tensor (%d) isn't allowed in a leading, "
                                   "non-existing dimension %d" % (s, i))
            continue
        cur = shape[i - lead]
        if s == -1:
            out[i] = cur
        elif cur != s and cur != 1:
            raise RuntimeError("The expanded size of the tensor (%d) must match the existing size (%d) at "
                               "non-singleton dimension %d.  Target sizes: [%s].  Tensor sizes: [%s]"
                               % (s, cur, i, ", ".join(map(str, target)), ", ".join(map(str, shape))))
    size = tuple(out)
    check_numel(size)
    check_nonnegative(size)  # (torch makes a tensor of negative size when another size is 0)
    return size


@op(method=["expand_as(Tensor other)"])
def expand_as(self: Tensor, other: Tensor) -> Tensor:
    return expand(self, other._data.shape)


@op("broadcast_to(Tensor input, SymIntArrayRef size)", method=True)
def broadcast_to(input: Tensor, size: Sequence[int]) -> Tensor:
    return expand(input, tuple(size))


@python_op("broadcast_tensors")
def broadcast_tensors(*tensors: Tensor) -> tuple[Tensor, ...]:
    """Each tensor expanded to the common shape; one already of that shape is returned as is (as torch).
    (As torch's, it takes the tensors as separate arguments, not one list of them.)"""
    check_tensor_list(tensors)
    shape: tuple = ()
    for x in tensors:
        shape = broadcast_pair(shape, x._data.shape)
    return tuple(x if x._data.shape == shape else expand(x, shape) for x in tensors)


# (outside create_graph the gradient needs no view of its own: nothing can write through it; untraced() inline, as
# every linear layer's backward asks)
T_OP = defop("t", grads={"self": lambda grad: Tensor._make(grad._data.T) if not _GRAD_STATE.enabled
                         and TANGENT_HOOK[0] is None else grad.t()},
             grad_name="TBackward0", complex_vjps=True)


@op("t(Tensor input)", method=True)
def t(input: Tensor) -> Tensor:
    if input._data.ndim > 2:
        raise RuntimeError("t() expects a tensor with <= 2 dimensions, but self is %dD" % input._data.ndim)
    # (every linear layer's forward: make_view written out, with its view step made once)
    data = input._data.T
    out = record(T_OP, data, (input,))
    tie_view(out, input, _T_STEP, None)
    return out


_T_STEP = view_step(t)


TRANSPOSE = defop("transpose", grads={"self": lambda grad, dim0, dim1: grad.transpose(dim0, dim1)}, complex_vjps=True)


@op("transpose(Tensor input, int64_t dim0, int64_t dim1)", method=True, aliases=("swapdims",))
def transpose(input: Tensor, dim0: int, dim1: int) -> Tensor:
    n = input._data.ndim
    d0, d1 = wrap_dim(dim0, n), wrap_dim(dim1, n)
    data = np.swapaxes(input._data, d0, d1) if n else input._data.view()
    return make_view(TRANSPOSE, data, input, {"dim0": d0, "dim1": d1}, view_step(transpose, d0, d1))


PERMUTE = defop("permute", grads={"self": lambda grad, dims: grad.permute(tuple(np.argsort(dims)))}, complex_vjps=True)


op("swapaxes(Tensor input, int64_t axis0, int64_t axis1)", method=True)(transpose)

# the in-place forms of the view ops: self takes the view's shape (torch's nodes are numbered after the
# out-of-place ones)
op(method=["unsqueeze_(int64_t dim)"])(inplace_view(unsqueeze, {"UnsqueezeBackward0": "UnsqueezeBackward1"}))
op(method=["squeeze_()", "squeeze_(int64_t dim)", "squeeze_(IntArrayRef dim)"])(inplace_view(squeeze, {
    "SqueezeBackward0": "SqueezeBackward3", "SqueezeBackward1": "SqueezeBackward4",
    "SqueezeBackward2": "SqueezeBackward5"}))
_TRANSPOSE_INPLACE = inplace_view(transpose, {"TransposeBackward0": "TransposeBackward1"})
op(method=["transpose_(int64_t dim0, int64_t dim1)"])(_TRANSPOSE_INPLACE)
op(method=["swapaxes_(int64_t axis0, int64_t axis1)"])(_TRANSPOSE_INPLACE)
op(method=["swapdims_(int64_t dim0, int64_t dim1)"])(_TRANSPOSE_INPLACE)
_T_INPLACE = inplace_view(t, {"TBackward0": "TBackward1"})


@op(method=["t_()"])
def t_(self: Tensor) -> Tensor:
    check_inplace(self)  # (autograd's refusal first)
    if self._data.ndim > 2:
        raise RuntimeError("t_() expects a tensor with <= 2 dimensions, but self is %dD" % self._data.ndim)
    return _T_INPLACE(self)


@op("permute(Tensor input, IntArrayRef dims)", method=True)
def permute(input: Tensor, dims: Any) -> Tensor:
    n = input._data.ndim
    order = parse_size((dims,), "permute")
    if len(order) != n:
        raise RuntimeError("permute(sparse_coo): number of dimensions in the tensor input does not match "
                           "the length of the desired ordering of dimensions i.e. input.dim() = %d is not "
                           "equal to len(dims) = %d" % (n, len(order)))
    order = tuple(wrap_dim(d, n) for d in order)
    if len(set(order)) != n:
        raise RuntimeError("permute(): duplicate dims are not allowed.")
    return make_view(PERMUTE, np.transpose(input._data, order), input, {"dims": order},
                     view_step(permute, order))


@op("movedim(Tensor input, int64_t source, int64_t destination)",
    "movedim(Tensor input, IntArrayRef source, IntArrayRef destination)", method=True, aliases=("moveaxis",))
def movedim(input: Tensor, source: Any, destination: Any) -> Tensor:
    src = [source] if isinstance(source, int) else list(source)
    dst = [destination] if isinstance(destination, int) else list(destination)
    if len(src) != len(dst):
        raise RuntimeError("movedim: Invalid source or destination dims: source (%s dims) should contain the same "
                           "number of dims as destination (%s dims)" % (src, dst))
    n = input._data.ndim
    wsrc, wdst = [wrap_dim(d, n) for d in src], [wrap_dim(d, n) for d in dst]
    for name, given, wrapped in (("source", src, wsrc), ("destination", dst, wdst)):
        if len(set(wrapped)) != len(wrapped):
            raise RuntimeError("movedim: repeated dim in `%s` (%s)" % (name, given))
    if not n:  # a 0-d tensor's only dim (0 or -1) moves nowhere
        return alias(input)
    order = [-1] * n
    for s, d in zip(wsrc, wdst):
        order[d] = s
    rest = iter(d for d in range(n) if d not in wsrc)
    return permute(input, tuple(o if o >= 0 else next(rest) for o in order))


def _T(self: Tensor) -> Tensor:
    n = self._data.ndim
    if n == 2:
        return permute(self, (1, 0))
    if n < 2:
        return self
    warnings.warn("The use of `x.T` on tensors of dimension other than 2 to reverse their shape is "
                  "deprecated and it will throw an error in a future release. Consider `x.mT` to "
                  "transpose batches of matrices or `x.permute(*torch.arange(x.ndim - 1, -1, -1))` to "
                  "reverse the dimensions of a tensor.", UserWarning, stacklevel=2)
    return permute(self, tuple(range(n - 1, -1, -1)))


def _mT(self: Tensor) -> Tensor:
    if self._data.ndim == 0:
        warnings.warn("Tensor.mT is deprecated on 0-D tensors. This function is the identity in these cases.",
                      UserWarning, stacklevel=2)
        return self
    if self._data.ndim < 2:
        raise RuntimeError("tensor.mT is only supported on matrices or batches of matrices. Got %d-D tensor."
                           % self._data.ndim)
    return transpose(self, -2, -1)


python_method("T")(property(_T))
python_method("mT")(property(_mT))


@op("clone(Tensor input, *, MemoryFormat? memory_format=None)", method=True)
def clone(input: Tensor, *, memory_format: Any = None) -> Tensor:
    data = empty_like_array(input._data, input._data.dtype, memory_format)
    data[...] = input._data
    return _recorded_copy(input, data)


def _recorded_copy(input: Tensor, data: np.ndarray) -> Tensor:
    return record(CLONE, data, (input,))


@op(method=["contiguous(*, MemoryFormat memory_format=torch.contiguous_format)"])
def contiguous(self: Tensor, *, memory_format: Any = None) -> Tensor:
    if memory_format is preserve_format:
        raise RuntimeError("preserve memory format is unsupported by the contiguous operator")
    return self if self._data.flags.c_contiguous else _recorded_copy(self, np.ascontiguousarray(self._data))


def alias(input: Tensor) -> Tensor:
    return make_view(ALIAS, input._data.view(), input, None, view_step(alias))


@python_method("_unsafe_view")  # not torch API: a helper method linalg's matmul and kron call
def _unsafe_view(self: Tensor, shape: tuple) -> Tensor:
    """A view of ``self``'s memory that autograd does not track as one (torch's view_impl: the same refusal)."""
    return record(UNSAFE_VIEW, _viewed(self._data, shape), (self,))


# ---- select, slice, narrow ----------------------------------------------------------------------
_ALL = slice(None)


def dim_key(dim: int, item: Any) -> tuple:
    # the trailing Ellipsis makes an int key yield a 0-d view rather than a NumPy scalar copy; dim 0 (``x[i]``, the
    # commonest) is written out: building the empty prefix cost more than the indexing itself
    return (item, Ellipsis) if dim == 0 else (_ALL,) * dim + (item, Ellipsis)


def _embed(grad: Tensor, shape: tuple, key: tuple) -> np.ndarray:
    out = np.zeros(shape, grad._data.dtype)
    out[key] = grad._data
    return out


SELECT_BACKWARD = defop("select_backward", ("grad",), {"grad": lambda g, dim, index: select(g, dim, index)},
                        grad_name="SelectBackwardBackward0", complex_vjps=True)
SLICE_BACKWARD = defop("slice_backward", ("grad",), {
    "grad": lambda g, dim, start, stop, step: slice_dim(g, dim, start, stop, step)},
    grad_name="SliceBackwardBackward0", complex_vjps=True)
SELECT = defop("select", grads={"self": lambda grad, self_shape, dim, index: record(
    SELECT_BACKWARD, _embed(grad, self_shape, dim_key(dim, index)), (grad,), {"dim": dim, "index": index})},
               complex_vjps=True)
SLICE = defop("slice", grads={"self": lambda grad, self_shape, dim, start, stop, step: record(
    SLICE_BACKWARD, _embed(grad, self_shape, dim_key(dim, slice(start, stop, step))), (grad,),
    {"dim": dim, "start": start, "stop": stop, "step": step})}, complex_vjps=True)


def select_index(input: Tensor, dim: int, index: int, key_position: int | None = None) -> Tensor:
    """``input[..., index]`` along ``dim`` (a wrapped dim), with indexing's out-of-range error, which names
    the index's position in the key (``key_position``, by default ``dim``) as its dimension."""
    size = input._data.shape[dim]
    if index < -size or index >= size:
        raise IndexError("index %d is out of bounds for dimension %d with size %d"
                         % (index, dim if key_position is None else key_position, size))
    i = index + size if index < 0 else index
    # (x[i]'s path: dim 0's key, the view step and make_view written out, their frames cost more than NumPy's
    # indexing)
    data = input._data[(i, Ellipsis) if dim == 0 else dim_key(dim, i)]
    out = record(SELECT, data, (input,), {"dim": dim, "index": i})
    tie_view(out, input, (select_index, (dim, i)), None)
    return out


@op("select(Tensor input, int64_t dim, SymInt index)", method=True)
def select(input: Tensor, dim: int, index: int) -> Tensor:
    n = input._data.ndim
    if n == 0:
        raise IndexError("select() cannot be applied to a 0-dim tensor.")
    d = wrap_dim(dim, n)
    i = int(index)
    if not -input._data.shape[d] <= i < input._data.shape[d]:
        raise IndexError("select(): index %d out of range for tensor of size %s at dimension %d"
                         % (i, list(input._data.shape), d))
    return select_index(input, d, i)


def slice_bounds(input: Tensor, dim: int, start: int | None, end: int | None, step: int) -> tuple[int, int, int]:
    """The wrapped dim and the clamped bounds of a ``start:end:step`` slice along it."""
    if not input._data.ndim:
        raise IndexError("slice() cannot be applied to a 0-dim tensor.")
    d = wrap_dim(dim, input._data.ndim)
    if step <= 0:
        raise RuntimeError("slice step must be positive")
    lo, hi, _ = slice(start, end).indices(input._data.shape[d])
    return d, lo, max(lo, hi)


def _slice_length(length: int, step: int) -> int:
    """torch's count of a slice's elements, ``(length + step - 1) / step`` in int64: past its range the sum wraps, and
    the count is 0 or -1 (C's division truncates)."""
    total = as_int64(length + step - 1)
    return total // step if total >= 0 else -(-total // step)


def _slice_strides_held(src: np.ndarray, dim: int, size: int, step: int, exact: bool) -> bool:
    """torch's checks of the slice's sizes and strides (``stride * step`` wraps in int64) as as_strided makes the
    view; whether NumPy can hold its stepped stride in bytes (else a view is refused, and a copy's view, of one
    element at most, takes any stride)."""
    sizes = src.shape[:dim] + (size,) + src.shape[dim + 1:]
    strides = list(element_strides(src))
    stepped = strides[dim] * step
    strides[dim] = as_int64(stepped)
    check_symint_sizes(strides)
    if strides[dim] < 0:
        raise RuntimeError("as_strided: Negative strides are not supported at the moment, got strides: %s" % strides)
    strided_storage_bytes(sizes, strides, src.itemsize, 0)
    check_numel(sizes)  # (a count of -1 over a zero stride passes the storage's check)
    held = stepped * src.itemsize <= INT64_MAX
    if exact and not held:
        raise numpy_cannot_hold(sizes, strides)
    return held


def slice_dim(input: Tensor, dim: int, start: int, stop: int, step: int = 1, exact_strides: bool = True) -> Tensor:
    """``input[start:stop:step]`` along ``dim``, with bounds already clamped. Without ``exact_strides`` (the view of a
    copy: slice_copy, slice_scatter) a stepped stride NumPy cannot hold is not refused."""
    src = input._data
    size = _slice_length(stop - start, step)
    held = step == 1 or _slice_strides_held(src, dim, size, step, exact_strides)
    data = src[dim_key(dim, slice(start, stop if size else start, step))]
    if held and data.strides[dim] != src.strides[dim] * step:  # (NumPy keeps an empty slice's stride unstepped)
        data = as_strided(data, data.shape, data.strides[:dim] + (src.strides[dim] * step,) + data.strides[dim + 1:])
    return make_view(SLICE, data, input, {"dim": dim, "start": start, "stop": stop, "step": step},
                     view_step(slice_dim, dim, start, stop, step))


@op("narrow(Tensor input, int64_t dim, Tensor start, SymInt length)",
    "narrow(Tensor input, int64_t dim, SymInt start, SymInt length)", method=True)
def narrow(input: Tensor, dim: int, start: Any, length: int) -> Tensor:
    if isinstance(start, Tensor):  # (read as an int64 before narrow's own checks)
        if start._data.ndim or start.dtype.category != D.INTEGRAL:
            raise RuntimeError("start must be an 0-dim integral Tensor.")
        start = int(checked_scalar(start, D.int64))
    if input._data.ndim == 0:
        raise RuntimeError("narrow() cannot be applied to a 0-dim tensor.")
    if length < 0:  # (before the dim is wrapped)
        raise RuntimeError("narrow(): length must be non-negative.")
    d = wrap_dim(dim, input._data.ndim)
    start = narrow_start(input._data.shape[d], int(start), length)
    return slice_dim(input, d, start, start + length)


def narrow_start(size: int, start: int, length: int) -> int:
    """narrow's checks on ``start`` and ``length`` along a dim of ``size``; the non-negative start."""
    if length < 0:
        raise RuntimeError("narrow(): length must be non-negative.")
    if start < -size or start > size:
        raise IndexError("start out of range (expected to be in range of [%d, %d], but got %d)"
                         % (-size, size, start))
    start = start + size if start < 0 else start
    if start + length > size:
        raise RuntimeError("start (%d) + length (%d) exceeds dimension size (%d)." % (start, length, size))
    return start


# ---- flip, roll, rot90 --------------------------------------------------------------------------------
FLIP = defop("flip", grads={"self": lambda grad, dims: grad.flip(dims)},
             complex_vjps=True)  # (the gated op: a float8 grad's refusal)
# (the backward's shifts, negated, meet torch's check of symbolic sizes: roll's own, through the method)
ROLL = defop("roll", grads={"self": lambda grad, shifts, dims: grad.roll(tuple(-s for s in shifts), dims)},
             complex_vjps=True)
ROT90 = defop("rot90", grads={"self": lambda grad, k, dims: rot90(grad, -k, dims)}, complex_vjps=True)


@op("flip(Tensor input, IntArrayRef dims)", method=True)
def flip(input: Tensor, dims: Any) -> Tensor:
    axes = wrap_dims(tuple(dims), input._data.ndim, each_in_turn=True)
    # a 0-d tensor's dim 0 (or -1) flips nothing; the result is laid out like the input (torch's empty_like)
    out = empty_like_array(input._data, input._data.dtype)
    out[...] = np.flip(input._data, axes) if input._data.ndim else input._data
    return record(FLIP, out, (input,), {"dims": axes if input._data.ndim else ()})


@op("fliplr(Tensor input)", method=True)
def fliplr(input: Tensor) -> Tensor:
    if input._data.ndim < 2:
        raise RuntimeError("Input must be >= 2-d.")
    return flip(input, (1,))


@op("flipud(Tensor input)", method=True)
def flipud(input: Tensor) -> Tensor:
    if input._data.ndim < 1:
        raise RuntimeError("Input must be >= 1-d.")
    return flip(input, (0,))


@op("roll(Tensor input, SymIntArrayRef[1] shifts, IntArrayRef[1] dims=None)", method=True)
def roll(input: Tensor, shifts: Any, dims: Any = None) -> Tensor:
    shifts = (shifts,) if isinstance(shifts, int) else tuple(shifts)
    axes = () if dims is None else (dims,) if isinstance(dims, int) else tuple(dims)
    if not shifts:
        raise RuntimeError("`shifts` required")
    if len(shifts) != len(axes) and not (not axes and len(shifts) == 1):
        raise RuntimeError("shifts and dimensions must align. shifts: %d, dims:%d" % (len(shifts), len(axes)))
    if not input._data.size:  # torch's roll clones an empty tensor before it reads a dim (without dims, its
        # flattened copy, contiguous)
        data = empty_like_array(input._data, input._data.dtype) if axes else np.empty(input._data.shape,
                                                                                      input._data.dtype)
        return record(ROLL, data, (input,), {"shifts": shifts, "dims": axes or None})
    axes = tuple(wrap_dim(d, input._data.ndim, wrap_scalar=False) for d in axes)  # (a 0-d tensor has no dim 0)
    data = np.roll(input._data, shifts, axes) if axes else np.roll(input._data, shifts[0])
    # (torch's roll allocates its result so; without dims it rolls a flattened copy: contiguous)
    data = in_suggested_format(data, input._data) if axes else np.asarray(data, order="C")
    return record(ROLL, data, (input,), {"shifts": shifts, "dims": axes or None})


@op("rot90(Tensor input, int64_t k=1, IntArrayRef dims={0,1})", method=True)
def rot90(input: Tensor, k: int = 1, dims: Sequence[int] = (0, 1)) -> Tensor:
    n = input._data.ndim
    if len(dims) != 2:
        raise RuntimeError("expected total rotation dims == 2, but got dims = %d" % len(dims))
    if n < 2:
        raise RuntimeError("expected total dims >= 2, but got total dims = %d" % n)
    d0, d1 = wrap_dim(dims[0], n), wrap_dim(dims[1], n)
    if d0 == d1:
        raise RuntimeError("expected rotation dims to be different, but got dim0 = %d and dim1 = %d" % tuple(dims))
    x = input._data
    turns = k % 4
    # torch's layouts: a quarter turn is a flipped copy, transposed (a non-contiguous result)
    if turns == 1:
        data = np.swapaxes(np.flip(x, d1).copy(), d0, d1)
    elif turns == 2:
        data = np.flip(x, (d0, d1)).copy()
    elif turns == 3:
        data = np.swapaxes(np.flip(x, d0).copy(), d0, d1)
    else:
        data = x.copy()
    return record(ROT90, data, (input,), {"k": k, "dims": (d0, d1)})
