"""Shape and movement ops. Views share memory with their input, as torch's do."""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from .. import _dtype as D
from .._tensor import Tensor
from .dims import parse_size, wrap_dim, wrap_dims
from .registry import METHODS, VARIADIC, both, check_tensor, defop, function, method, record, record_multi
from .views import make_view, view_step


def _infer_size(shape: tuple[int, ...], numel: int) -> tuple[int, ...]:
    """Resolve one ``-1`` in a requested shape, with torch's errors."""
    infer = None
    known = 1
    for i, s in enumerate(shape):
        if s == -1:
            if infer is not None:
                raise RuntimeError("only one dimension can be inferred")
            infer = i
        elif s < 0:
            raise RuntimeError("invalid shape dimension %d" % s)
        else:
            known *= s
    if infer is not None:
        if known == 0 or numel % known:
            if known == 0 and numel == 0:
                raise RuntimeError("cannot reshape tensor of 0 elements into shape %s because the "
                                   "unspecified dimension size -1 can be any value and is ambiguous"
                                   % str(list(shape)).replace(" ", ""))
            raise RuntimeError("shape '%s' is invalid for input of size %d"
                               % (str(list(shape)).replace(" ", ""), numel))
        return shape[:infer] + (numel // known,) + shape[infer + 1:]
    if known != numel:
        raise RuntimeError("shape '%s' is invalid for input of size %d"
                           % (str(list(shape)).replace(" ", ""), numel))
    return shape


_to_shape = lambda grad, self_shape: grad.reshape(self_shape)  # noqa: E731 - a VJP

VIEW = defop("view", grads={"self": _to_shape})
UNSAFE_VIEW = defop("_unsafe_view", grads={"self": _to_shape}, grad_name="UnsafeViewBackward0")
CLONE = defop("clone", grads={"self": lambda grad: grad})
ALIAS = defop("alias", grads={"self": lambda grad: grad})


@method("view")
def view(self: Tensor, *shape: Any) -> Tensor:
    if len(shape) == 1 and isinstance(shape[0], D.dtype):
        return _view_dtype(self, shape[0])
    size = _infer_size(parse_size(shape, "view"), self._data.size)
    try:
        data = np.reshape(self._data, size, copy=False)
    except ValueError:
        raise RuntimeError("view size is not compatible with input tensor's size and stride (at least one "
                           "dimension spans across two contiguous subspaces). Use .reshape(...) instead."
                           ) from None
    return make_view(VIEW, data, self, None, view_step(view, size))


def _view_dtype(self: Tensor, dtype: D.dtype) -> Tensor:
    if dtype.itemsize != self.dtype.itemsize:
        raise RuntimeError("self.dim() cannot be 0 to view %s as %s (different element sizes)"
                           % (self.dtype, dtype))
    return make_view(ALIAS, self._data.view(dtype.np), self, None, view_step(_view_dtype, dtype))


@both("reshape")
def reshape(input: Tensor, *shape: Any) -> Tensor:
    size = _infer_size(parse_size(shape, "reshape"), input._data.size)
    try:
        data = np.reshape(input._data, size, copy=False)
    except ValueError:  # not expressible as a view: copy, as torch's _unsafe_view(clone())
        copied = clone(input)
        return record(UNSAFE_VIEW, copied._data.reshape(size), (copied,))
    return make_view(VIEW, data, input, None, view_step(view, size))


@method("view_as")
def view_as(self: Tensor, other: Tensor) -> Tensor:
    return view(self, other._data.shape)


@method("reshape_as")
def reshape_as(self: Tensor, other: Tensor) -> Tensor:
    return reshape(self, other._data.shape)


@both("flatten")
def flatten(input: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    check_tensor("flatten", input)
    if input._data.ndim == 0:
        return reshape(input, (1,))
    start, end = wrap_dim(start_dim, input._data.ndim), wrap_dim(end_dim, input._data.ndim)
    if start > end:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    if start == end:
        return input
    shape = input._data.shape
    return reshape(input, shape[:start] + (-1,) + shape[end + 1:])


@both("unflatten")
def unflatten(input: Tensor, dim: int, sizes: Sequence[int]) -> Tensor:
    d = wrap_dim(dim, input._data.ndim)
    shape = input._data.shape
    inner = _infer_size(tuple(sizes), shape[d])
    return view(input, shape[:d] + inner + shape[d + 1:])


UNSQUEEZE = defop("unsqueeze", grads={"self": lambda grad, dim: grad.squeeze(dim)})


@both("unsqueeze")
def unsqueeze(input: Tensor, dim: int) -> Tensor:
    check_tensor("unsqueeze", input)
    d = wrap_dim(dim, input._data.ndim + 1)
    return make_view(UNSQUEEZE, np.expand_dims(input._data, d), input, {"dim": d}, view_step(unsqueeze, d))


SQUEEZE_ALL = defop("squeeze", grads={"self": _to_shape}, grad_name="SqueezeBackward0")
SQUEEZE_DIM = defop("squeeze", grads={"self": _to_shape}, grad_name="SqueezeBackward1")
SQUEEZE_DIMS = defop("squeeze", grads={"self": _to_shape}, grad_name="SqueezeBackward2")


@both("squeeze")
def squeeze(input: Tensor, dim: Any = None) -> Tensor:
    check_tensor("squeeze", input)
    shape = input._data.shape
    if dim is None:
        op, dims = SQUEEZE_ALL, tuple(i for i, s in enumerate(shape) if s == 1)
    elif isinstance(dim, (tuple, list)):
        op, dims = SQUEEZE_DIMS, tuple(d for d in wrap_dims(dim, len(shape)) if len(shape) and shape[d] == 1)
    else:
        d = wrap_dim(dim, len(shape))
        op, dims = SQUEEZE_DIM, ((d,) if len(shape) and shape[d] == 1 else ())
    return make_view(op, np.squeeze(input._data, dims), input, None, view_step(squeeze, dim))


EXPAND = defop("expand", grads={"self": lambda grad: grad})  # the engine sums back to self's shape


@method("expand")
def expand(self: Tensor, *sizes: Any) -> Tensor:
    target = parse_size(sizes, "expand")
    shape = self._data.shape
    if len(target) < len(shape):
        raise RuntimeError("expand(torch.FloatTensor{[%s]}, size=[%s]): the number of sizes provided (%d) "
                           "must be greater or equal to the number of dimensions in the tensor (%d)"
                           % (", ".join(map(str, shape)), ", ".join(map(str, target)), len(target), len(shape)))
    lead = len(target) - len(shape)
    out = list(target)
    for i, s in enumerate(target):
        if i < lead:
            if s < 0:
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
    return make_view(EXPAND, np.broadcast_to(self._data, size), self, None, view_step(expand, size))


@method("expand_as")
def expand_as(self: Tensor, other: Tensor) -> Tensor:
    return expand(self, other._data.shape)


@both("broadcast_to")
def broadcast_to(input: Tensor, size: Sequence[int]) -> Tensor:
    return expand(input, tuple(size))


T_OP = defop("t", grads={"self": lambda grad: grad.t()}, grad_name="TBackward0")


@both("t")
def t(input: Tensor) -> Tensor:
    check_tensor("t", input)
    if input._data.ndim > 2:
        raise RuntimeError("t() expects a tensor with <= 2 dimensions, but self is %dD" % input._data.ndim)
    return make_view(T_OP, input._data.T, input, None, view_step(t))


TRANSPOSE = defop("transpose", grads={"self": lambda grad, dim0, dim1: grad.transpose(dim0, dim1)})


@both("transpose", "swapaxes", "swapdims")
def transpose(input: Tensor, dim0: int, dim1: int) -> Tensor:
    check_tensor("transpose", input)
    n = input._data.ndim
    d0, d1 = wrap_dim(dim0, n), wrap_dim(dim1, n)
    data = np.swapaxes(input._data, d0, d1) if n else input._data.view()
    return make_view(TRANSPOSE, data, input, {"dim0": d0, "dim1": d1}, view_step(transpose, d0, d1))


PERMUTE = defop("permute", grads={"self": lambda grad, dims: grad.permute(tuple(np.argsort(dims)))})


@both("permute")
def permute(input: Tensor, *dims: Any) -> Tensor:
    n = input._data.ndim
    if not dims:
        raise TypeError('permute() missing 1 required positional arguments: "dims"')
    order = parse_size(dims, "permute")
    if len(order) != n:
        raise RuntimeError("permute(sparse_coo): number of dimensions in the tensor input does not match "
                           "the length of the desired ordering of dimensions i.e. input.dim() = %d is not "
                           "equal to len(dims) = %d" % (n, len(order)))
    order = wrap_dims(order, n)
    return make_view(PERMUTE, np.transpose(input._data, order), input, {"dims": order},
                     view_step(permute, order))


def _T(self: Tensor) -> Tensor:
    n = self._data.ndim
    if n == 2:
        return permute(self, (1, 0))
    if n < 2:
        return self
    import warnings
    warnings.warn("The use of `x.T` on tensors of dimension other than 2 to reverse their shape is "
                  "deprecated and it will throw an error in a future release. Consider `x.mT` to "
                  "transpose batches of matrices or `x.permute(*torch.arange(x.ndim - 1, -1, -1))` to "
                  "reverse the dimensions of a tensor.", UserWarning, stacklevel=2)
    return permute(self, tuple(range(n - 1, -1, -1)))


def _mT(self: Tensor) -> Tensor:
    if self._data.ndim < 2:
        raise RuntimeError("tensor.mT is only supported on matrices or batches of matrices. Got %d-D tensor."
                           % self._data.ndim)
    return transpose(self, -2, -1)


METHODS["T"] = property(_T)
METHODS["mT"] = property(_mT)


@both("clone")
def clone(input: Tensor, *, memory_format: Any = None) -> Tensor:
    return record(CLONE, input._data.copy(), (input,))


@method("contiguous")
def contiguous(self: Tensor, memory_format: Any = None) -> Tensor:
    return self if self._data.flags.c_contiguous else clone(self)


def alias(input: Tensor) -> Tensor:
    return make_view(ALIAS, input._data.view(), input, None, view_step(alias))


UNBIND = defop("unbind", grads={"self": lambda grad, dim: stack(grad, dim)}, num_outputs=-1)


@both("unbind")
def unbind(input: Tensor, dim: int = 0) -> tuple[Tensor, ...]:
    d = wrap_dim(dim, input._data.ndim)
    datas = [input._data[(slice(None),) * d + (i, Ellipsis)] for i in range(input._data.shape[d])]
    outs = record_multi(UNBIND, datas, (input,), {"dim": d})
    for i, o in enumerate(outs):
        o._base = input if input._base is None else input._base
        o._vbox = input._vbox
        o._view_chain = input._view_chain + (view_step(_select, d, i),)
        o._view_version = input._vbox[0]
    return tuple(outs)


def _select(t: Tensor, dim: int, index: int) -> Tensor:
    return t.select(dim, index)


STACK = defop("stack", VARIADIC, {"*": lambda grad, index, dim: grad.select(dim, index)})
CAT = defop("cat", VARIADIC, {"*": lambda grad, index, dim, offsets: grad.narrow(
    dim, offsets[index], offsets[index + 1] - offsets[index])})


def _check_tensor_list(fname: str, tensors: Any) -> list[Tensor]:
    if isinstance(tensors, Tensor) or not isinstance(tensors, (list, tuple)):
        raise TypeError("%s(): argument 'tensors' (position 1) must be tuple of Tensors, not %s"
                        % (fname, type(tensors).__name__))
    for i, x in enumerate(tensors):
        if not isinstance(x, Tensor):
            raise TypeError("%s(): argument 'tensors' (position 1) must be tuple of Tensors, not %s"
                            % (fname, type(x).__name__))
    if not tensors:
        raise RuntimeError("%s expects a non-empty TensorList" % fname)
    return list(tensors)


def _common_dtype(tensors: list[Tensor]) -> D.dtype:
    dt = tensors[0].dtype
    for x in tensors[1:]:
        dt = D.promote_types(dt, x.dtype)
    return dt


@function("stack")
def stack(tensors: Any, dim: int = 0) -> Tensor:
    tensors = _check_tensor_list("stack", tensors)
    shape = tensors[0]._data.shape
    for i, x in enumerate(tensors):
        if x._data.shape != shape:
            raise RuntimeError("stack expects each tensor to be equal size, but got %s at entry 0 and %s at "
                               "entry %d" % (list(shape), list(x._data.shape), i))
    d = wrap_dim(dim, len(shape) + 1)
    dt = _common_dtype(tensors)
    data = np.stack([x._data.astype(dt.np, copy=False) for x in tensors], axis=d)
    return record(STACK, data, tensors, {"dim": d})


@function("cat", "concat", "concatenate")
def cat(tensors: Any, dim: int = 0) -> Tensor:
    tensors = _check_tensor_list("cat", tensors)
    # legacy rule: 1-d empty tensors are skipped whatever the other shapes
    used = [not (x._data.ndim == 1 and x._data.size == 0) for x in tensors]
    nonempty = [x for x, u in zip(tensors, used) if u]
    ref = nonempty[0] if nonempty else tensors[0]
    d = wrap_dim(dim, ref._data.ndim)
    for i, (x, u) in enumerate(zip(tensors, used)):
        if u and x._data.ndim != ref._data.ndim:
            raise RuntimeError("Tensors must have same number of dimensions: got %d and %d"
                               % (ref._data.ndim, x._data.ndim))
        if u:
            for k in range(ref._data.ndim):
                if k != d and x._data.shape[k] != ref._data.shape[k]:
                    raise RuntimeError("Sizes of tensors must match except in dimension %d. Expected size %d "
                                       "but got size %d for tensor number %d in the list."
                                       % (d, ref._data.shape[k], x._data.shape[k], i))
    dt = _common_dtype(tensors)
    offsets = [0]
    for x, u in zip(tensors, used):
        offsets.append(offsets[-1] + (x._data.shape[d] if u else 0))
    data = np.concatenate([x._data.astype(dt.np, copy=False) for x in nonempty], axis=d) if nonempty \
        else np.zeros((0,), dt.np)
    return record(CAT, data, tensors, {"dim": d, "offsets": offsets})


@method("_unsafe_view")
def _unsafe_view(self: Tensor, shape: tuple) -> Tensor:
    return record(UNSAFE_VIEW, self._data.reshape(shape), (self,))
