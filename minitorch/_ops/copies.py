"""The ``*_copy`` functions (``t_copy``, ``diagonal_copy``...: a view op's result in memory of its own) and the
``unsafe_*`` splits (pieces sharing the input's memory, not tracked as views).

Each is its view op, run as it is, with the output taken out of the view machinery; the view's node then
becomes the output's history under torch's name for it (``TBackward0_copy``), so the gradients are the
view op's.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

from .. import _dtype as D
from .._tensor import Tensor
from ..autograd import grad_mode
from ..autograd.recording import TANGENT_HOOK, defop, record, refuse_complex_grad
from .complex import view_as_complex, view_as_real
from .joining import chunk, split_method, split_with_sizes, unbind
from .linalg.diagonals import diagonal
from .nn_ops.fold import unfold
from .inplace import EXACT
from .registry import check_out_grad, op, resize_output, write_out
from .scatter import _no_derivative
from .shape import (_view_dtype, alias, expand, expanded_size, narrow, narrow_start, permute, select, slice_bounds,
                    slice_dim, squeeze, t, transpose, unsqueeze, view)
from .dims import check_storage, check_symint_sizes, tensor_array, wrap_dim
from .strided import as_strided
from .preserve_format import empty_like_array
from .views import renamed_node


def detached(view_op: Callable, copy: bool = True, names: Callable[[str], str] = lambda n: n + "_copy",
             no_complex_grad: str = "") -> Callable:
    """``view_op``'s outputs (one tensor or a tuple) copied (``*_copy``) or sharing memory (``unsafe_*``).
    ``no_complex_grad``: the op's name when torch has no complex derivative for it (``defop``'s ``complex_grad``)."""
    def run(*args: Any, **kwargs: Any) -> Any:
        result = view_op(*args, **kwargs)
        views = result if isinstance(result, tuple) else (result,)
        node = next((v._grad_fn for v in views if v._grad_fn is not None), None)
        if no_complex_grad and node is not None and any(v.dtype.is_complex for v in views):
            refuse_complex_grad(no_complex_grad)
        if node is not None:  # one node for all the outputs of a multi-output view op
            node.__class__ = renamed_node(type(node), names(type(node).__name__))
        outs = tuple(_detached_output(v, copy) for v in views)
        return outs if isinstance(result, tuple) else outs[0]
    return run


def _detached_output(view: Tensor, copy: bool) -> Tensor:
    """``view``'s values and history outside the view machinery (copied, or sharing its memory)."""
    out = Tensor._make(view._data.copy() if copy else view._data)
    if view._grad_fn is not None:
        out._grad_fn, out._output_nr, out._requires_grad = view._grad_fn, view._output_nr, True
    if TANGENT_HOOK[0] is not None:  # forward AD: the view's tangent is the output's
        TANGENT_HOOK[0].alias(out, view)
    return out


# ---- *_copy --------------------------------------------------------------------------------------
op("t_copy(Tensor input, *, Tensor out=None)", out_check=True)(detached(t))
op("alias_copy(Tensor input, *, Tensor out=None)", out_check=True)(detached(alias))
op("transpose_copy(Tensor input, int64_t dim0, int64_t dim1, *, Tensor out=None)", out_check=True)(detached(transpose))
op("unsqueeze_copy(Tensor input, int64_t dim, *, Tensor out=None)", out_check=True)(detached(unsqueeze))
op("squeeze_copy(Tensor input, *, Tensor out=None)", "squeeze_copy(Tensor input, int64_t dim, *, Tensor out=None)",
   "squeeze_copy(Tensor input, IntArrayRef dim, *, Tensor out=None)", out_check=True)(detached(squeeze))
op("permute_copy(Tensor input, IntArrayRef dims, *, Tensor out=None)", out_check=True)(detached(permute))
_EXPAND_COPY = detached(expand)


@op("expand_copy(Tensor input, SymIntArrayRef size, *, bool implicit=False, Tensor out=None)", out_check=True)
def expand_copy(input: Tensor, size: Any, implicit: bool = False) -> Tensor:
    """The expanded view copied: torch's copy checks its storage (NumPy's limit on the view comes after)."""
    check_storage(expanded_size(input, size), input._data.dtype)
    return _EXPAND_COPY(input, size, implicit)
op("select_copy(Tensor input, int64_t dim, SymInt index, *, Tensor out=None)", out_check=True)(
    detached(select, no_complex_grad="select_copy"))
op("diagonal_copy(Tensor input, int64_t offset=0, int64_t dim1=0, int64_t dim2=1, *, Tensor out=None)", out_check=True)(
    detached(diagonal))
op("as_strided_copy(Tensor input, SymIntArrayRef size, SymIntArrayRef stride, SymInt? storage_offset=None, *, "
   "Tensor out=None)", out_check=True)(detached(as_strided))
op("unfold_copy(Tensor input, int64_t dimension, int64_t size, int64_t step, *, Tensor out=None)", out_check=True)(
    detached(unfold))
op("view_as_real_copy(Tensor input, *, Tensor out=None)", out_check=True)(detached(view_as_real))
op("view_as_complex_copy(Tensor input, *, Tensor out=None)", out_check=True)(
    detached(view_as_complex, no_complex_grad="view_as_complex_copy"))


def _narrow_copy_grad(grad: Tensor, self_shape: tuple, dim: int, start: int, length: int) -> Tensor:
    """torch's formula: ``grad`` copied into zeros' slice [start, start + length) along ``dim``, its start not
    wrapped (a negative start whose slice ends at 0 selects nothing, and the copy fails as torch's)."""
    result = grad.new_zeros(self_shape)
    result[(slice(None),) * dim + (slice(start, start + length),)].copy_(grad)
    return result


NARROW_COPY = defop("narrow_copy", grads={"self": _narrow_copy_grad}, complex_vjps=True)


@op("narrow_copy(Tensor input, int64_t dim, SymInt start, SymInt length, *, Tensor out=None)", method=True,
    writes_out=True)
def narrow_copy(input: Tensor, dim: int, start: int, length: int, *, out: Tensor | None = None) -> Tensor:
    ndim = input._data.ndim
    if ndim and dim >= ndim:  # torch's copy kernel wraps a negative dim only, then asserts
        raise RuntimeError("Expected dim < static_cast<int64_t>(self_sizes.size()) to be true, but got false.  (Could "
                           "this error message be improved?  If so, please report an enhancement request to PyTorch.)")
    if ndim and length < 0:  # ... and counts a negative length as reaching past the end
        size = input._data.shape[wrap_dim(dim, ndim)]
        raise RuntimeError("start (%d) + length (%d) exceeds dimension size (%d)."
                           % (narrow_start(size, int(start), 0), length, size))
    with grad_mode.no_grad():
        data = narrow(input, dim, start, length)._data.copy()
    result = record(NARROW_COPY, data, (input,),
                    {"dim": wrap_dim(dim, ndim) if ndim else 0, "start": int(start), "length": int(length)})
    if out is None:
        return result
    check_out_grad("narrow_copy", [input, dim, start, length], {}, out)
    if out.dtype is not input.dtype:
        raise RuntimeError("Expected self.dtype() == output.dtype() to be true, but got false.  (Could this error "
                           "message be improved?  If so, please report an enhancement request to PyTorch.)")
    if out._data.shape != result._data.shape:  # torch's narrow_copy resizes out without the deprecation warning
        out._data = tensor_array(np.empty(result._data.shape, out.dtype.np))
    return write_out(out, result)
_SPLIT_COPY = detached(split_method)
_SPLIT_WITH_SIZES_COPY = detached(split_with_sizes)
_UNBIND_COPY = detached(unbind)


def _copy_pieces(kernel: str, pieces: Sequence[Tensor], out: Sequence[Tensor], resize: bool) -> None:
    """torch's out= of the multi-output copies: one tensor per piece, each written with copy_ (which casts and
    broadcasts, and records no history), or, for split_with_sizes_copy and unbind_copy (``resize``), of the
    pieces' dtype and resized to them first. They return None."""
    if len(out) != len(pieces):
        raise RuntimeError("%s expected an out= argument of size %d, got size %d" % (kernel, len(pieces), len(out)))
    for o, piece in zip(out, pieces):
        if resize:
            EXACT.check(piece.dtype, o.dtype)
            resize_output(o, piece._data.shape, stacklevel=6)
        with grad_mode.no_grad():
            o.copy_(piece)


@op("split_copy(Tensor input, SymInt split_size, int64_t dim=0, *, TensorList out=None)", writes_out=True)
def split_copy(input: Tensor, split_size: int, dim: int = 0, *, out: Sequence[Tensor] | None = None) -> Any:
    pieces = _SPLIT_COPY(input, split_size, dim)
    return pieces if out is None else _copy_pieces("split_copy_Tensor_out()", pieces, out, False)


@op("split_with_sizes_copy(Tensor input, SymIntArrayRef split_sizes, int64_t dim=0, *, TensorList out=None)",
    writes_out=True)
def split_with_sizes_copy(input: Tensor, split_sizes: Sequence[int], dim: int = 0, *,
                          out: Sequence[Tensor] | None = None) -> Any:
    pieces = _SPLIT_WITH_SIZES_COPY(input, split_sizes, dim)
    return pieces if out is None else _copy_pieces("split_with_sizes_copy_out", pieces, out, True)


@op("unbind_copy(Tensor input, int64_t dim=0, *, TensorList out=None)", writes_out=True)
def unbind_copy(input: Tensor, dim: int = 0, *, out: Sequence[Tensor] | None = None) -> Any:
    pieces = _UNBIND_COPY(input, dim)
    return pieces if out is None else _copy_pieces("unbind_copy_int_out", pieces, out, True)


@op("view_copy(Tensor input, ScalarType dtype, *, Tensor out=None)",
    "view_copy(Tensor input, SymIntArrayRef size, *, Tensor out=None)", out_check=True)
def view_copy(input: Tensor, size: Any) -> Tensor:
    if isinstance(size, D.dtype):  # not differentiable in torch: no history
        with grad_mode.no_grad():  # (not through detach(), which loses an empty input's strides the view checks)
            return Tensor._make(_view_dtype(input, size)._data.copy())
    return detached(view)(input, size)


_SLICE_COPY = detached(slice_dim, no_complex_grad="slice_copy")


@op("slice_copy(Tensor input, int64_t dim=0, SymInt? start=None, SymInt? end=None, SymInt step=1, *, "
    "Tensor out=None)", out_check=True)
def slice_copy(input: Tensor, dim: int = 0, start: int | None = None, end: int | None = None,
               step: int = 1) -> Tensor:
    d, lo, hi = slice_bounds(input, dim, start, end, step)
    return _SLICE_COPY(input, d, lo, hi, step, exact_strides=False)


DETACH_COPY = defop("detach_copy", grads={"self": _no_derivative("detach_copy")}, grad_name="NotImplemented")


@op("detach_copy(Tensor input, *, Tensor out=None)", out_check=True)
def detach_copy(input: Tensor) -> Tensor:
    return record(DETACH_COPY, input._data.copy(), (input,))


# ---- unsafe splits -------------------------------------------------------------------------------
_UNSAFE_NAMES = {"SplitBackward0": "UnsafeSplitBackward0", "SplitWithSizesBackward0": "UnsafeSplitWithSizesBackward0"}


def _unsafe_name(name: str) -> str:
    return _UNSAFE_NAMES.get(name, name)


op("unsafe_split(Tensor input, SymInt split_size, int64_t dim=0)", method=True)(
    detached(split_method, copy=False, names=_unsafe_name))
op("unsafe_split_with_sizes(Tensor input, SymIntArrayRef split_sizes, int64_t dim=0)", method=True)(
    detached(split_with_sizes, copy=False, names=_unsafe_name))
op("unsafe_chunk(Tensor input, int64_t chunks, int64_t dim=0)", method=True)(
    detached(chunk, copy=False, names=_unsafe_name))


# ---- *_scatter: a copy of the input with a view's region replaced ------------------------------------
def _scatter_into(op: Any, input: Tensor, src: Tensor, region: Callable[[Tensor], Tensor], attrs: dict) -> Tensor:
    """``input``'s clone (laid out as torch's clone lays it out, an empty one's strides kept) with ``src`` written
    where ``region`` (a view op) reads, recorded as ``op``."""
    data = empty_like_array(input._data, input._data.dtype)
    data[...] = input._data
    copy = Tensor._make(data)
    target = region(copy)
    if target._data.shape != src._data.shape:
        raise RuntimeError("expected src to have a size equal to the slice of self. src size = %s, slice size = %s"
                           % (list(src._data.shape), list(target._data.shape)))
    target._data[...] = src._data
    return record(op, data, (input, src), attrs)


SELECT_SCATTER = defop("select_scatter", ("self", "src"), {
    "self": lambda grad, src, dim, index: grad.select_scatter(src.new_zeros(src.shape), dim, index),
    "src": lambda grad, dim, index: grad.select(dim, index)}, complex_grad=False, complex_vjps=True)
SLICE_SCATTER = defop("slice_scatter", ("self", "src"), {
    "self": lambda grad, src, dim, start, end, step: grad.slice_scatter(src.new_zeros(src.shape), dim, start, end,
                                                                     step),
    "src": lambda grad, dim, start, end, step: slice_dim(grad, dim, start, end, step)}, complex_grad=False,
                      complex_vjps=True)
DIAGONAL_SCATTER = defop("diagonal_scatter", ("self", "src"), {
    "self": lambda grad, src, offset, dim1, dim2: grad.diagonal_scatter(src.new_zeros(src.shape), offset, dim1,
                                                                        dim2),
    "src": lambda grad, offset, dim1, dim2: grad.diagonal(offset, dim1, dim2)}, complex_vjps=True)


@op("select_scatter(Tensor input, Tensor src, int64_t dim, SymInt index)", method=True)
def select_scatter(input: Tensor, src: Tensor, dim: int, index: int) -> Tensor:
    return _scatter_into(SELECT_SCATTER, input, src, lambda t: select(t, dim, index), {"dim": dim, "index": index})


@op("slice_scatter(Tensor input, Tensor src, int64_t dim=0, SymInt? start=None, SymInt? end=None, SymInt step=1)",
    method=True)
def slice_scatter(input: Tensor, src: Tensor, dim: int = 0, start: int | None = None, end: int | None = None,
                  step: int = 1) -> Tensor:
    d, lo, hi = slice_bounds(input, dim, start, end, step)
    return _scatter_into(SLICE_SCATTER, input, src, lambda t: slice_dim(t, d, lo, hi, step, exact_strides=False),
                         {"dim": d, "start": lo, "end": hi, "step": step})


@op("diagonal_scatter(Tensor input, Tensor src, int64_t offset=0, int64_t dim1=0, int64_t dim2=1)", method=True)
def diagonal_scatter(input: Tensor, src: Tensor, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:
    return _scatter_into(DIAGONAL_SCATTER, input, src, lambda t: diagonal(t, offset, dim1, dim2),
                         {"offset": offset, "dim1": dim1, "dim2": dim2})


# ---- hsplit, vsplit, dsplit ----------------------------------------------------------------------------
def _split_along(name: str, dim: int, min_dims: int) -> Callable:
    """torch.<name>: ``tensor_split`` along ``dim`` (0 for a 1-d hsplit), sections dividing the dim exactly."""
    def split_n(input: Tensor, sections: Any) -> tuple[Tensor, ...]:
        n = input._data.ndim
        if n < min_dims:
            raise RuntimeError("torch.%s requires a tensor with at least %d dimension, but got a tensor with %d "
                               "dimensions!" % (name, min_dims, n))
        d = 0 if name == "hsplit" and n == 1 else dim
        if isinstance(sections, (list, tuple)):
            check_symint_sizes(sections)  # (torch hands the indices on to tensor_split as SymInts)
            return input.tensor_split(list(sections), d)
        size = input._data.shape[d]
        if sections == 0 or size % sections:
            raise RuntimeError("torch.%s attempted to split along dimension %d, but the size of the dimension %d is "
                               "not divisible by the split_size %d!" % (name, d, size, sections))
        return input.tensor_split(sections, d)
    return split_n


for _name, _dim, _min in (("hsplit", 1, 1), ("vsplit", 0, 2), ("dsplit", 2, 3)):
    op("%s(Tensor input, int64_t sections)" % _name, "%s(Tensor input, IntArrayRef indices)" % _name,
       method=True)(_split_along(_name, _dim, _min))


# ---- sum_to_size -----------------------------------------------------------------------------------
@op(method=["sum_to_size(SymIntArrayRef size)"])
def sum_to_size(self: Tensor, size: Sequence[int]) -> Tensor:
    """``self`` summed over the dims that ``size`` broadcasts it from; ``self`` itself when it has that size."""
    size, shape = tuple(size), self._data.shape
    lead = len(shape) - len(size)
    if lead < 0 or any(s != 1 and s != n for s, n in zip(size, shape[lead:])):
        raise RuntimeError("size {%s} is not expandable to size {%s}." % (list(size), list(shape)))
    if not size:  # torch's sum_to: a 0-d size is the plain sum (SumBackward0), of a 0-d input too
        return self.sum()
    if size == shape:
        return self
    dims = tuple(range(lead)) + tuple(lead + k for k, s in enumerate(size) if s == 1 and shape[lead + k] != 1)
    out = self.sum(dims, keepdim=True)
    return out.view(size) if lead else out
