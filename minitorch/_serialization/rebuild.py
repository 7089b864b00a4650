"""Tensors and Parameters to and from pickles: the reduce side (``__reduce_ex__``, deepcopy) and the
rebuild functions a pickle calls (torch's ``torch._utils._rebuild_*``, under whose names
``torch.save`` writes these, see ``torch_names``).

A tensor pickles as (storage, offset, size, stride, requires_grad, hooks) over its storage, as in
torch: ``torch.save`` writes each storage once as a record, a plain ``pickle`` carries its bytes,
``copy.copy`` shares it and ``copy.deepcopy`` copies each storage once, so views stay views.
"""
from __future__ import annotations

import copy
import warnings
from collections import OrderedDict
from typing import Any, Callable

import numpy as np

from .. import _dtype as D
from .._ops.registry import python_method
from .._tensor import Tensor
from ..nn.parameter import Parameter
from .storage import (
    STORAGE_CLASS_NAMES, MissingDtype, TypedStorage, UntypedStorage, contiguous_strides, storage_view, view_of,
)


# ---- reduce side --------------------------------------------------------------------------------
def user_state(t: Tensor) -> dict | None:
    """The Python attributes a user set on ``t`` (minitorch's own bookkeeping left out), or None."""
    if not t.__dict__:
        return None
    state = {k: v for k, v in t.__dict__.items() if not hasattr(Tensor, k) and k != "_creation_meta"}
    return state or None


def _warn_if_has_hooks(t: Tensor) -> None:
    hooks = t._hooks if t._grad_fn is None else (t._grad_fn._tensor_hooks or {}).get(t._output_nr)
    for hook in hooks or ():
        if not hasattr(hook, "__torch_unserializable__"):
            warnings.warn("backward hook %r on tensor will not be serialized.  If this is expected, you can "
                          "decorate the function with @torch.utils.hooks.unserializable_hook to suppress this "
                          "warning" % (hook,), stacklevel=3)


@python_method("__reduce_ex__")
def reduce_tensor(t: Tensor, protocol: int = 2) -> tuple:
    """``Tensor.__reduce_ex__``."""
    _warn_if_has_hooks(t)
    storage, offset, size, stride = storage_view(t)
    args: tuple = (storage, offset, size, stride, t.requires_grad, OrderedDict())
    rebuild = _rebuild_tensor_v2
    if t.dtype._name not in STORAGE_CLASS_NAMES:  # uint16, float8...: the dtype travels beside an untyped storage
        args, rebuild = args + (t.dtype,), _rebuild_tensor_v3
    state = user_state(t)
    if type(t) is Tensor and not state:
        return (rebuild, args)
    return (_rebuild_from_type_v2, (rebuild, type(t), args, state))


def reduce_parameter(p: Parameter, protocol: int = 2) -> tuple:
    """``Parameter.__reduce_ex__``: rebuilt as a Parameter over ``p.data``."""
    state = user_state(p)
    if not state:
        return (_rebuild_parameter, (p.data, p.requires_grad, OrderedDict()))
    return (_rebuild_parameter_with_state, (p.data, p.requires_grad, OrderedDict(), state))


Parameter.__reduce_ex__ = reduce_parameter  # pickling belongs here, with the rebuild functions it names


@python_method("__deepcopy__")
def deepcopy_tensor(t: Tensor, memo: dict) -> Tensor:
    """``Tensor.__deepcopy__``: each storage is copied once per deepcopy call, so tensors sharing
    memory before share their copies after."""
    if t._grad_fn is not None:
        raise RuntimeError("Only Tensors created explicitly by the user (graph leaves) support the deepcopy "
                           "protocol at the moment.  If you were attempting to deepcopy a module, this may be "
                           "because of a torch.nn.utils.weight_norm usage, see "
                           "https://github.com/pytorch/pytorch/pull/103001")
    if id(t) in memo:
        return memo[id(t)]
    storage, offset, size, stride = storage_view(t)
    root = storage._untyped_storage._root
    key = ("minitorch storage", id(root))  # never an id() key of copy's own
    if key not in memo:  # the original stays referenced, so its id is not reused during this copy
        memo[key] = (root, root.copy(order="K"))
    copied = TypedStorage(UntypedStorage(memo[key][1]), t.dtype)
    new = type(t)._make(view_of(copied, offset, size, stride), t.requires_grad)
    if t._grad is not None:
        new._grad = deepcopy_tensor(t._grad, memo)
    for name, value in copy.deepcopy(user_state(t) or {}, memo).items():
        setattr(new, name, value)
    memo[id(t)] = new
    return new


# ---- rebuild side (torch._utils names; argument checks and messages as torch's) -----------------
def _rebuild_tensor(storage: TypedStorage, storage_offset: int, size: Any, stride: Any) -> Tensor:
    if isinstance(storage.dtype, MissingDtype):
        raise storage.dtype.unsupported()
    _check_set_arguments(storage_offset, size, stride)
    size = tuple(size)
    stride = contiguous_strides(size) if stride is None else tuple(stride)
    return Tensor._make(view_of(storage, storage_offset, size, stride))


def _rebuild_tensor_v2(storage: TypedStorage, storage_offset: int, size: Any, stride: Any, requires_grad: bool,
                       backward_hooks: Any, metadata: Any = None) -> Tensor:
    return _with_flags(_rebuild_tensor(storage, storage_offset, size, stride), requires_grad, metadata)


def _rebuild_tensor_v3(storage: TypedStorage, storage_offset: int, size: Any, stride: Any, requires_grad: bool,
                       backward_hooks: Any, dtype: Any, metadata: Any = None) -> Tensor:
    """The form torch uses for dtypes without a legacy storage class (uint16, float8...): an
    untyped storage and the dtype given separately."""
    if isinstance(dtype, MissingDtype):
        raise dtype.unsupported()
    t = _rebuild_tensor(TypedStorage(storage._untyped_storage, dtype), storage_offset, size, stride)
    return _with_flags(t, requires_grad, metadata)


def _with_flags(t: Tensor, requires_grad: Any, metadata: Any) -> Tensor:
    _set_requires_grad(t, requires_grad)
    return _apply_metadata(t, metadata) if metadata else t


def _rebuild_parameter(data: Tensor, requires_grad: bool, backward_hooks: Any) -> Parameter:
    return Parameter(data, requires_grad)


def _rebuild_parameter_with_state(data: Tensor, requires_grad: bool, backward_hooks: Any, state: Any) -> Parameter:
    return _set_obj_state(Parameter(data, requires_grad), state)


def _rebuild_from_type_v2(func: Callable, new_type: type, args: tuple, state: Any) -> Any:
    """A tensor subclass, or a tensor with Python attributes: rebuilt by ``func``, then retyped and
    given its attributes (through the class's own ``__setstate__`` when it defines one)."""
    ret = func(*args)
    if type(ret) is not new_type:
        ret = _as_subclass(ret, new_type)
    if getattr(type(ret), "__setstate__", None) is not None:
        ret.__setstate__(state)
        return ret
    return _set_obj_state(ret, state)


def _as_subclass(t: Tensor, cls: type) -> Tensor:
    if not (isinstance(cls, type) and issubclass(cls, Tensor)):
        raise TypeError("Creating a Tensor subclass from a class that does not inherit from Tensor is not possible. "
                        "Make sure your class inherits from Tensor.")
    out = cls._make(t._data, t._requires_grad)
    out._vbox = t._vbox
    return out


def set_(t: Tensor, storage: TypedStorage, storage_offset: int, size: Any, stride: Any = None) -> Tensor:
    """``t.set_(storage, offset, size, stride)``: ``t`` becomes that view of ``storage``."""
    view = _rebuild_tensor(storage, storage_offset, size, stride)
    t._data, t.dtype = view._data, view.dtype
    return t


def tensor_setstate(t: Tensor, state: tuple) -> None:
    """torch's ``Tensor.__setstate__``, for pickles older than the rebuild functions."""
    if t._grad_fn is not None:
        raise RuntimeError("__setstate__ can be only called on leaf Tensors")
    if len(state) == 4:  # a legacy Tensor: (storage, offset, size, stride)
        set_(t, *state)
        return
    if len(state) == 5:  # a legacy Variable: (data, _, hooks, requires_grad, _)
        t._data, t.dtype = state[0]._data, state[0].dtype
        state = (state[3], state[4], state[2])
    requires_grad, _, _ = state
    _set_requires_grad(t, requires_grad)


def _set_obj_state(obj: Any, state: Any) -> Any:
    if isinstance(state, tuple):
        if len(state) != 2:
            raise RuntimeError("Invalid serialized state: %s" % (state,))
        dict_state, slots_state = state
    else:
        dict_state, slots_state = state, None
    for k, v in (dict_state or {}).items():
        setattr(obj, k, v)
    for k, v in (slots_state or {}).items():
        setattr(obj, k, v)
    return obj


def _set_requires_grad(t: Tensor, requires_grad: Any) -> None:
    if type(requires_grad) is not bool:
        raise RuntimeError("requires_grad must be a bool")
    if requires_grad and t.dtype.category < D.FLOATING:
        raise RuntimeError("only Tensors of floating point and complex dtype can require gradients")
    t._requires_grad = requires_grad


def _apply_metadata(t: Tensor, metadata: Any) -> Tensor:
    """torch's lazy negation bit: the stored values are to be negated (conjugation is a no-op on the
    real dtypes minitorch has)."""
    if not isinstance(metadata, dict):
        raise AssertionError("expected dict, got %s" % type(metadata).__name__)
    if metadata.get("neg"):
        return Tensor._make(np.negative(t._data), t._requires_grad)
    return t


def _is_int(x: Any) -> bool:
    return isinstance(x, (int, np.integer)) and not isinstance(x, bool)


def _is_int_sequence(x: Any) -> bool:
    return isinstance(x, (tuple, list)) and all(_is_int(v) for v in x)


def _check_set_arguments(offset: Any, size: Any, stride: Any) -> None:
    """The argument types torch's ``Tensor.set_(storage, offset, size, stride)`` accepts."""
    if _is_int(offset) and _is_int_sequence(size) and (stride is None or _is_int_sequence(stride)):
        return
    got = ", ".join(["torch.storage.UntypedStorage"] + [type(a).__name__ for a in (offset, size, stride)])
    marked = ", ".join(["!torch.storage.UntypedStorage!", "int" if _is_int(offset) else "!%s!" % type(offset).__name__,
                        _described(size), _described(stride)])
    overload = ("      didn't match because some of the arguments have invalid types: (%s)\n" % marked)
    raise TypeError(
        "set_() received an invalid combination of arguments - got (%s), but expected one of:\n"
        " * ()\n"
        " * (torch.Storage source)\n"
        " * (torch.Storage source, int storage_offset, tuple of ints size, tuple of ints stride = None)\n%s"
        " * (Tensor source)\n"
        " * (Tensor source, int storage_offset, tuple of ints size, tuple of ints stride = None)\n%s"
        % (got, overload, overload))


def _described(x: Any) -> str:
    """How torch's argument parser names a value in its 'invalid types' list."""
    if isinstance(x, tuple):
        names = [type(v).__name__ for v in x]
        return "!tuple of (%s%s)!" % (", ".join(names), "," if len(names) == 1 else "")
    if isinstance(x, list):
        return "!list of [%s]!" % ", ".join(type(v).__name__ for v in x)
    return "!%s!" % type(x).__name__
