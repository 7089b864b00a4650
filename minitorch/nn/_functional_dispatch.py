"""The dispatch helpers torch.nn.functional re-exports: the ``__torch_function__`` checks
(``torch.overrides``), ``boolean_dispatch`` (``torch._jit_internal``) and ``assert_int_or_pair``.

minitorch's own ops do not route through ``__torch_function__`` (its tensors have no override protocol),
so these helpers decide as torch does for what can be decided without one: an exact ``Tensor`` or
``Parameter`` never dispatches; an argument whose type defines ``__torch_function__`` does, in torch's
precedence (subclasses before their bases, otherwise left to right, one argument per type). Tensors
take part in ``handle_torch_function`` with the behaviour of torch's ``Tensor.__torch_function__``
(decline unless every type is a Tensor; else call the function). A minitorch ``Tensor`` subclass
dispatches only when it defines ``__torch_function__`` itself.
"""
from __future__ import annotations

import re
import warnings
from typing import Any, Callable, Iterable

from .._tensor import Tensor
from .parameter import Parameter

_EXACT_TENSOR_TYPES = (Tensor, Parameter)


def _overrides(arg: Any) -> bool:
    """torch's check of one argument: not an exact Tensor, with a ``__torch_function__`` attribute (looked up
    on the object, so a class defining the classmethod counts)."""
    return type(arg) not in _EXACT_TENSOR_TYPES and hasattr(arg, "__torch_function__")


def _as_sequence(relevant_args: Any) -> tuple:
    try:
        return tuple(relevant_args)
    except TypeError:
        raise TypeError("expected a sequence") from None


def _count_check(name: str, args: tuple, kwargs: dict) -> None:
    if kwargs:
        raise TypeError("torch._C.%s() takes no keyword arguments" % name)
    if len(args) != 1:
        raise TypeError("torch._C.%s() takes exactly one argument (%d given)" % (name, len(args)))


def has_torch_function(*args: Any, **kwargs: Any) -> bool:
    """Whether an element of the sequence ``relevant_args`` overrides torch functions."""
    _count_check("_has_torch_function", args, kwargs)
    return any(_overrides(a) for a in _as_sequence(args[0]))


def has_torch_function_unary(*args: Any, **kwargs: Any) -> bool:
    """``has_torch_function`` for one argument."""
    _count_check("_has_torch_function_unary", args, kwargs)
    return _overrides(args[0])


def has_torch_function_variadic(*args: Any, **kwargs: Any) -> bool:
    """``has_torch_function`` over the positional arguments themselves."""
    if kwargs:
        raise TypeError("torch._C._has_torch_function_variadic() takes no keyword arguments")
    return any(_overrides(a) for a in args)


def _overloaded_args(relevant_args: Iterable[Any]) -> list:
    """One argument per type defining ``__torch_function__``, subclasses ahead of their bases, otherwise
    left to right."""
    chosen: list = []
    for arg in relevant_args:
        arg_type = type(arg)
        takes_part = isinstance(arg, Tensor) or hasattr(arg_type, "__torch_function__")
        if not takes_part or any(type(c) is arg_type for c in chosen):
            continue
        index = next((i for i, c in enumerate(chosen) if issubclass(arg_type, type(c))), len(chosen))
        chosen.insert(index, arg)
    return chosen


def _tensor_torch_function(func: Callable, types: tuple, args: tuple, kwargs: dict) -> Any:
    """What torch's ``Tensor.__torch_function__`` does for a plain tensor."""
    if not all(issubclass(t, Tensor) for t in types):
        return NotImplemented
    return func(*args, **kwargs)


def handle_torch_function(public_api: Callable, relevant_args: Iterable[Any], *args: Any, **kwargs: Any) -> Any:
    """Call the ``__torch_function__`` overrides of ``relevant_args`` in precedence order; the first
    result that is not ``NotImplemented`` is returned."""
    overloaded = _overloaded_args(relevant_args)
    types = tuple(type(a) for a in overloaded)
    for arg in overloaded:
        method = getattr(arg, "__torch_function__", None) or _tensor_torch_function
        if getattr(method, "__self__", None) is arg:
            warnings.warn("Defining your `__torch_function__ as a plain method is deprecated and will be an error in "
                          "future, please define it as a classmethod.", DeprecationWarning, stacklevel=2)
        result = method(public_api, types, args, kwargs)
        if result is not NotImplemented:
            return result
    # (named as the script names it: minitorch stands in for torch)
    module = re.sub(r"^minitorch\b", "torch", public_api.__module__)
    raise TypeError("no implementation found for '%s.%s' on types that implement __torch_function__: %s"
                    % (module, public_api.__name__, [type(a) for a in overloaded]))


def boolean_dispatch(arg_name: str, arg_index: int, default: bool, if_true: Callable, if_false: Callable,
                     module_name: str | None, func_name: str | None) -> Callable:
    """A function calling ``if_true`` or ``if_false`` on the value of one boolean argument (given by
    keyword ``arg_name`` or at position ``arg_index``, else ``default``); the docstring is the one of
    the two functions that has one."""
    def fn(*args: Any, **kwargs: Any) -> Any:
        if arg_name in kwargs:
            flag = kwargs[arg_name]
        else:
            flag = args[arg_index] if arg_index < len(args) else default
        return if_true(*args, **kwargs) if flag else if_false(*args, **kwargs)

    if if_true.__doc__ is not None and if_false.__doc__ is not None:
        raise RuntimeError("only one function can have a docstring")
    fn.__doc__ = if_true.__doc__ if if_true.__doc__ is not None else if_false.__doc__
    if_true.__doc__ = if_false.__doc__ = fn.__doc__
    if module_name is not None:
        fn.__module__ = module_name
    if func_name is not None:
        fn.__name__ = func_name
    return fn


def assert_int_or_pair(arg: Any, arg_name: str, message: str) -> None:
    if not (isinstance(arg, int) or len(arg) == 2):
        raise AssertionError(message.format(arg_name))
