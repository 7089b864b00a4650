"""Tensor methods torch keeps for old code or for other backends: ``H``, the Python-callable maps (``apply_``,
``map_``, ``map2_``), the legacy constructor ``new``, ``as_subclass``, the deprecated non-inplace ``resize``
and ``resize_as``, the removed ``volatile`` and ``reinforce``, ``module_load``, ``dim_order``,
``const_data_ptr``, ``grad_dtype``, pinned and shared memory, and the flags of devices and layouts
minitorch has not.
"""
from __future__ import annotations

import functools
import operator
import warnings
from typing import Any, Callable

import numpy as np

from . import _creation
from . import _dtype as D
from ._ops.registry import python_method
from ._ops.shape import alias
from ._device import contiguous_format, memory_format
from ._tensor import Tensor, grad_dtype_of
from ._warn_once import warn_once
from .autograd.engine import set_grad_dtype
from .autograd.function import Function

# devices, layouts and tensor kinds a minitorch tensor never is (all CPU, strided, dense)
for _flag in ("is_xpu", "is_mps", "is_ipu", "is_maia", "is_mtia", "is_vulkan", "is_mkldnn", "is_nested", "is_xla",
              "is_sparse_csr"):
    python_method(_flag)(property(lambda self: False))


def _conjugate_transpose(self: Tensor) -> Tensor:
    """The conjugate transpose of a matrix (the conjugate of a 0-d tensor, deprecated)."""
    if self.dim() == 0:
        warn_once("H_0d", "Tensor.H is deprecated on 0-D tensors. Consider using x.conj(). (Triggered internally at "
                  "/__w/pytorch/pytorch/aten/src/ATen/native/TensorShape.cpp:4335.)")
        return self.conj()
    if self.dim() != 2:
        raise RuntimeError("tensor.H is only supported on matrices (2-D tensors). Got %d-D tensor.%s"
                           % (self.dim(), " For batches of matrices, consider using tensor.mH" if self.dim() > 2
                              else ""))
    return self.mH


python_method("H")(property(_conjugate_transpose))


# ---- Python callables applied element by element, in place --------------------------------------------
def _map_in_place(name: str, self: Tensor, fn: Callable, others: tuple) -> Tensor:
    if self.requires_grad:
        raise RuntimeError("Can't call %s() on Variable that requires grad. Use var.detach().%s() instead."
                           % (name, name))
    columns = [self._data.reshape(-1)] + [o.expand(self.shape)._data.reshape(-1) for o in others]
    convert = _python_scalar(self.dtype)
    results = [convert(fn(*(v.item() for v in values))) for values in zip(*columns)]
    if results:
        self._data[...] = np.array(results, dtype=self.dtype.np).reshape(self.shape)
    self._bump_version()
    return self


def _python_scalar(dtype: D.dtype) -> Callable[[Any], Any]:
    """How torch reads a callable's result as an element of ``dtype`` (an integer truncates a float)."""
    def to_integer(r: Any) -> int:
        return int(r) if isinstance(r, float) else operator.index(r)

    def to_number(r: Any) -> Any:
        if isinstance(r, (int, float, np.integer, np.floating)) or (dtype.is_complex and isinstance(r, complex)):
            return r
        raise TypeError("must be real number, not %s" % type(r).__name__)
    return to_number if dtype.category >= D.FLOATING else to_integer


@python_method("apply_")
def apply_(self: Tensor, callable: Callable) -> Tensor:  # noqa: A002 - torch's name
    """``self[i] = callable(self[i])`` for every element (CPU tensors only, slow)."""
    return _map_in_place("apply_", self, callable, ())


@python_method("map_")
def map_(self: Tensor, tensor: Tensor, callable: Callable) -> Tensor:  # noqa: A002
    """``self[i] = callable(self[i], tensor[i])``, ``tensor`` broadcast to ``self``'s shape."""
    return _map_in_place("map_", self, callable, (tensor,))


@python_method("map2_")
def map2_(self: Tensor, x: Tensor, y: Tensor, callable: Callable) -> Tensor:  # noqa: A002
    """``self[i] = callable(self[i], x[i], y[i])``."""
    return _map_in_place("map2_", self, callable, (x, y))


# ---- constructors and subclasses ------------------------------------------------------------------------
@python_method("new")
def new(self: Tensor, *args: Any, **kwargs: Any) -> Tensor:
    """The legacy constructor in ``self``'s dtype: ``x.new(2, 3)``, ``x.new([1, 2])``, ``x.new(other)`` (of
    ``self``'s dtype)."""
    if len(args) == 1 and isinstance(args[0], Tensor) and args[0].dtype is not self.dtype:
        raise TypeError("expected %s (got %s)" % (_options(self.dtype), _options(args[0].dtype)))
    return _creation.legacy_new(self.dtype, args)


_CPP_TYPES = {D.float32: "float", D.float64: "double", D.float16: "c10::Half", D.bfloat16: "c10::BFloat16",
              D.int64: "long int", D.int32: "int", D.int16: "short int", D.int8: "signed char",
              D.uint8: "unsigned char", D.bool: "bool", D.complex64: "c10::complex<float>",
              D.complex128: "c10::complex<double>"}


def _options(dtype: D.dtype) -> str:
    """c10's printing of a CPU tensor's TensorOptions."""
    return ("TensorOptions(dtype=%s, device=cpu, layout=Strided, requires_grad=false (default), pinned_memory=false "
            "(default), memory_format=(nullopt))" % _CPP_TYPES[dtype])


@python_method("as_subclass")
def as_subclass(self: Tensor, cls: type) -> Tensor:
    """An alias of ``self`` (``AliasBackward0``) of the Tensor subclass ``cls``."""
    if not (isinstance(cls, type) and issubclass(cls, Tensor)):
        raise TypeError("Creating a Tensor subclass from a class that does not inherit from Tensor is not possible. "
                        "Make sure your class inherits from Tensor.")
    out = alias(self)
    out.__class__ = cls
    return out


class Resize(Function):
    """torch's deprecated autograd-aware reshape behind ``Tensor.resize`` (grad_fn ``ResizeBackward``)."""

    @staticmethod
    def forward(ctx: Any, tensor: Tensor, sizes: tuple) -> Tensor:
        total = functools.reduce(operator.mul, sizes, 1)
        if total != tensor.numel():
            raise RuntimeError("requested resize to %s (%s elements in total), but the given tensor has a size of %s "
                               "(%d elements). autograd's resize can only change the shape of a given tensor, while "
                               "preserving the number of elements. " % ("x".join(map(str, sizes)), total,
                                                                       "x".join(map(str, tensor.shape)),
                                                                       tensor.numel()))
        ctx.sizes = tensor.size()
        return tensor.detach().contiguous().view(sizes).clone()

    @staticmethod
    def backward(ctx: Any, grad_output: Tensor) -> tuple:
        return grad_output.contiguous().view(ctx.sizes), None


@python_method("resize")
def resize(self: Tensor, *sizes: Any) -> Tensor:
    warnings.warn("non-inplace resize is deprecated", UserWarning, stacklevel=2)
    return Resize.apply(self, sizes)


@python_method("resize_as")
def resize_as(self: Tensor, tensor: Tensor) -> Tensor:
    warnings.warn("non-inplace resize_as is deprecated", UserWarning, stacklevel=2)
    return Resize.apply(self, tuple(tensor.size()))


# ---- removed autograd API -------------------------------------------------------------------------------
def _volatile(self: Tensor) -> bool:
    warnings.warn("volatile was removed (Variable.volatile is always False)", UserWarning, stacklevel=2)
    return False


python_method("volatile")(property(_volatile))


_REINFORCE_REMOVED = """reinforce() was removed.
Use torch.distributions instead.
See https://pytorch.org/docs/main/distributions.html

Instead of:

probs = policy_network(state)
action = probs.multinomial()
next_state, reward = env.step(action)
action.reinforce(reward)
action.backward()

Use:

probs = policy_network(state)
# NOTE: categorical is equivalent to what used to be called multinomial
m = torch.distributions.Categorical(probs)
action = m.sample()
next_state, reward = env.step(action)
loss = -m.log_prob(action) * reward
loss.backward()
"""


@python_method("reinforce")
def reinforce(self: Tensor, reward: Any) -> None:
    raise RuntimeError(_REINFORCE_REMOVED)


def _grad_dtype(self: Tensor) -> D.dtype | None:
    if not self.is_leaf:
        raise RuntimeError("grad_dtype can only be accessed on leaf tensors.")
    return grad_dtype_of(self)


def _set_grad_dtype(self: Tensor, value: D.dtype | None) -> None:
    """torch 2.13's checks, in its order; the engine then casts the gradients reaching the leaf to it."""
    grad = self.grad  # (read first, as torch's setter does: a non-leaf's warning comes before its refusal)
    if not self.is_leaf:
        raise RuntimeError("grad_dtype can only be set on leaf tensors.")
    if value is not None and not isinstance(value, D.dtype):
        raise RuntimeError("grad_dtype must be a torch.dtype or None, but got " + type(value).__name__)
    if grad is not None and value is not None and grad.dtype is not value:
        raise RuntimeError(
            "Cannot set grad_dtype to '%s' because there is already a gradient with dtype '%s'. Please clear the "
            "gradient (.grad = None) before changing grad_dtype, or ensure the new grad_dtype matches the existing "
            "gradient's dtype." % (value._cast_name, grad.dtype.cpp_name))
    set_grad_dtype(self, value)


python_method("grad_dtype")(property(_grad_dtype, _set_grad_dtype))


def _set_name(self: Tensor, value: Any) -> None:
    raise AttributeError("attribute 'name' of 'torch._C.TensorBase' objects is not writable")


python_method("name")(property(lambda self: None, _set_name))  # (torch's JIT names graph values; never eager ones)


@python_method("module_load")
def module_load(self: Tensor, other: Tensor, assign: bool = False) -> Tensor:
    """What ``Module.load_state_dict`` stores for ``self`` given the state's ``other``: ``other`` itself with
    ``assign``, else ``other`` copied into ``self`` (both detached)."""
    if assign:
        return other.detach()
    return self.copy_(other).detach()


# ---- memory -----------------------------------------------------------------------------------------------
@python_method("dim_order")
def dim_order(self: Tensor, *, ambiguity_check: bool | list = False) -> tuple[int, ...]:
    """The dims from outermost to innermost in memory (largest stride first). ``ambiguity_check``: refuse a
    tensor whose order is not unique (equal strides, or a dim of size 1), unless it is contiguous in exactly
    one of the memory formats listed."""
    if not isinstance(ambiguity_check, bool) and not (
            isinstance(ambiguity_check, list) and all(isinstance(f, memory_format) for f in ambiguity_check)):
        raise TypeError("The ambiguity_check argument must be a bool or a list of memory formats.")
    sizes, strides = self.shape, self.stride()
    ambiguous = any(a == b for a, b in zip(strides, strides[1:])) or 1 in sizes
    formats = ambiguity_check if isinstance(ambiguity_check, list) else []
    matching = sum(f is contiguous_format and self.is_contiguous() for f in formats)
    if ambiguity_check is not False and ambiguous and matching != 1:
        raise RuntimeError("The tensor does not have unique dim order, or cannot map to exact one of the given "
                           "memory formats.")
    return tuple(sorted(range(self.dim()), key=lambda d: -strides[d]))


@python_method("const_data_ptr")
def const_data_ptr(self: Tensor) -> int:
    return self.data_ptr()


@python_method("is_pinned")
def is_pinned(self: Tensor, device: Any = None) -> bool:
    """Never: there is no accelerator whose transfers pinned memory would speed up."""
    return False


@python_method("pin_memory")
def pin_memory(self: Tensor, device: Any = None) -> Tensor:
    raise RuntimeError("Cannot access accelerator device when none is available.")
