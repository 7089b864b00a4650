"""The autocast state functions torch binds at top level (``torch.set_autocast_enabled``...), over the
state in ``_ops.autocast_policy``: torch's signatures and errors, and its deprecation warnings for the
per-device spellings (``torch.is_autocast_cpu_enabled``...)."""
from __future__ import annotations

import re
import warnings
from typing import Any, Callable

from .. import _dtype as D
from .._ops import autocast_policy as policy
from .._ops.registry import compile_callable
from .._ops.signature import Parser


def device_type_of(text: str) -> str:
    """The device type of a device string (``"cuda:1"`` -> ``"cuda"``), with c10's errors."""
    match = re.fullmatch(r"([a-zA-Z_]+)(?::(\d+))?", text)
    if match is None:
        raise RuntimeError("Invalid device string: '%s'" % text)
    if match.group(1) not in policy.DEVICE_TYPES:
        raise RuntimeError("Expected one of %s device type at start of device string: %s"
                           % (", ".join(policy.DEVICE_TYPES), text))
    return match.group(1)


def _keyed(device_type: str) -> str:
    kind = device_type_of(device_type)
    if kind not in policy.KEYED_DEVICE_TYPES:
        raise RuntimeError("unknown device type for autocast in get_autocast_dispatch_key_from_device_type")
    return kind


def _bound(impl: Callable, *signatures: str) -> Callable:
    """A function with torch's argument parsing for ``signatures`` (not an op: it joins no table)."""
    return compile_callable(Parser(list(signatures)), impl, False, impl.__name__)


def _is_enabled(device_type: str = "cuda") -> bool:
    return policy.STATE.is_enabled(_keyed(device_type))


def _set_enabled(*args: Any) -> None:
    device_type, enabled = args if len(args) == 2 else ("cuda", args[0])
    policy.STATE.set_enabled(_keyed(device_type), enabled)


def _get_dtype(device_type: str) -> D.dtype:
    found = policy.STATE.dtypes.get(device_type_of(device_type))
    if found is None:
        raise RuntimeError("unsupported scalarType")
    return found


def _set_dtype(device_type: str, dtype: D.dtype) -> None:
    policy.STATE.dtypes[device_type_of(device_type)] = dtype


def _is_available(device_type: str) -> bool:
    return device_type_of(device_type) in policy.KEYED_DEVICE_TYPES


_is_enabled.__name__, _set_enabled.__name__ = "is_autocast_enabled", "set_autocast_enabled"
_get_dtype.__name__, _set_dtype.__name__ = "get_autocast_dtype", "set_autocast_dtype"
_is_available.__name__ = "_is_autocast_available"
is_autocast_enabled = _bound(_is_enabled, "is_autocast_enabled(c10::string_view device_type)", "is_autocast_enabled()")
set_autocast_enabled = _bound(_set_enabled, "set_autocast_enabled(c10::string_view device_type, bool enabled)",
                              "set_autocast_enabled(bool enabled)")
get_autocast_dtype = _bound(_get_dtype, "get_autocast_dtype(c10::string_view device_type)")
set_autocast_dtype = _bound(_set_dtype, "set_autocast_dtype(c10::string_view device_type, ScalarType dtype)")
is_autocast_available = _bound(_is_available, "_is_autocast_available(c10::string_view device_type)")


# ---- the C functions without torch's argument parser: CPython's METH_NOARGS / METH_O errors ----------
def _no_arguments(name: str, impl: Callable[[], Any]) -> Callable:
    def function(*args: Any, **kwargs: Any) -> Any:
        if args or kwargs:
            raise TypeError("torch.%s() takes no %s" % (name, "keyword arguments" if kwargs else
                                                        "arguments (%d given)" % len(args)))
        return impl()
    function.__name__ = function.__qualname__ = name
    return function


def _one_argument(name: str, impl: Callable[[Any], Any]) -> Callable:
    def function(*args: Any, **kwargs: Any) -> Any:
        if kwargs:
            raise TypeError("torch.%s() takes no keyword arguments" % name)
        if len(args) != 1:
            raise TypeError("torch.%s() takes exactly one argument (%d given)" % (name, len(args)))
        return impl(args[0])
    function.__name__ = function.__qualname__ = name
    return function


def _checked_bool(value: Any) -> bool:
    if type(value) is not bool:
        raise TypeError("enabled must be a bool (got %s)" % type(value).__name__)
    return value


def _checked_dtype(value: Any) -> D.dtype:
    if not isinstance(value, D.dtype):
        raise TypeError("dtype must be a torch.dtype (got %s)" % type(value).__name__)
    return value


def _increment_nesting() -> int:
    policy.STATE.nesting += 1
    return policy.STATE.nesting


def _decrement_nesting() -> int:
    policy.STATE.nesting -= 1
    return policy.STATE.nesting


def _set_cache_enabled(enabled: Any) -> None:
    policy.STATE.cache_enabled = _checked_bool(enabled)


autocast_increment_nesting = _no_arguments("autocast_increment_nesting", _increment_nesting)
autocast_decrement_nesting = _no_arguments("autocast_decrement_nesting", _decrement_nesting)
clear_autocast_cache = _no_arguments("clear_autocast_cache", policy.clear_cache)
is_autocast_cache_enabled = _no_arguments("is_autocast_cache_enabled", lambda: policy.STATE.cache_enabled)
set_autocast_cache_enabled = _one_argument("set_autocast_cache_enabled", _set_cache_enabled)


# ---- the deprecated per-device spellings (torch/csrc/autograd/init.cpp) ----------------------------
def _deprecated(message: str, line: int) -> None:
    warnings.warn("%s (Triggered internally at /__w/pytorch/pytorch/torch/csrc/autograd/init.cpp:%d.)"
                  % (message, line), DeprecationWarning, stacklevel=3)


def _is_enabled_for(device_type: str, line: int) -> Callable:
    def impl() -> bool:
        _deprecated("torch.is_autocast_%s_enabled() is deprecated. Please use torch.is_autocast_enabled('%s') "
                    "instead." % (device_type, device_type), line)
        return policy.STATE.is_enabled(device_type)
    return _no_arguments("is_autocast_%s_enabled" % device_type, impl)


def _set_enabled_for(device_type: str, line: int) -> Callable:
    def impl(enabled: Any) -> None:
        _checked_bool(enabled)
        _deprecated("torch.set_autocast_%s_enabled(enabled) is deprecated. Please use "
                    "torch.set_autocast_enabled('%s', enabled) instead." % (device_type, device_type), line)
        policy.STATE.set_enabled(device_type, enabled)
    return _one_argument("set_autocast_%s_enabled" % device_type, impl)


def _get_dtype_for(spelled: str, device_type: str, line: int) -> Callable:
    def impl() -> D.dtype:
        _deprecated("torch.get_autocast_%s_dtype() is deprecated. Please use torch.get_autocast_dtype('%s') "
                    "instead." % (spelled, device_type), line)
        return policy.STATE.dtypes[device_type]
    return _no_arguments("get_autocast_%s_dtype" % spelled, impl)


def _set_dtype_for(spelled: str, device_type: str, line: int) -> Callable:
    def impl(dtype: Any) -> None:
        _checked_dtype(dtype)
        _deprecated("torch.set_autocast_%s_dtype(dtype) is deprecated. Please use "
                    "torch.set_autocast_dtype('%s', dtype) instead." % (spelled, device_type), line)
        policy.STATE.dtypes[device_type] = dtype
    return _one_argument("set_autocast_%s_dtype" % spelled, impl)


is_autocast_cpu_enabled = _is_enabled_for("cpu", 883)
set_autocast_cpu_enabled = _set_enabled_for("cpu", 874)
is_autocast_ipu_enabled = _is_enabled_for("ipu", 909)
set_autocast_ipu_enabled = _set_enabled_for("ipu", 900)
is_autocast_xla_enabled = _is_enabled_for("xla", 935)
set_autocast_xla_enabled = _set_enabled_for("xla", 926)
get_autocast_cpu_dtype = _get_dtype_for("cpu", "cpu", 1016)
set_autocast_cpu_dtype = _set_dtype_for("cpu", "cpu", 967)
get_autocast_gpu_dtype = _get_dtype_for("gpu", "cuda", 1007)
set_autocast_gpu_dtype = _set_dtype_for("gpu", "cuda", 952)
get_autocast_ipu_dtype = _get_dtype_for("ipu", "ipu", 1025)
set_autocast_ipu_dtype = _set_dtype_for("ipu", "ipu", 982)
get_autocast_xla_dtype = _get_dtype_for("xla", "xla", 1034)
set_autocast_xla_dtype = _set_dtype_for("xla", "xla", 997)


__all__ = ["is_autocast_enabled", "set_autocast_enabled", "get_autocast_dtype", "set_autocast_dtype",
           "autocast_increment_nesting", "autocast_decrement_nesting", "clear_autocast_cache",
           "is_autocast_cache_enabled", "set_autocast_cache_enabled", "is_autocast_cpu_enabled",
           "set_autocast_cpu_enabled", "is_autocast_ipu_enabled", "set_autocast_ipu_enabled", "is_autocast_xla_enabled",
           "set_autocast_xla_enabled", "get_autocast_cpu_dtype", "set_autocast_cpu_dtype", "get_autocast_gpu_dtype",
           "set_autocast_gpu_dtype", "get_autocast_ipu_dtype", "set_autocast_ipu_dtype", "get_autocast_xla_dtype",
           "set_autocast_xla_dtype"]
