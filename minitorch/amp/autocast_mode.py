"""``torch.autocast`` (``torch.amp.autocast``): a context manager and decorator that turns autocast on for a
region, and ``custom_fwd``/``custom_bwd`` for ``autograd.Function``s in such regions. What autocast casts is
``_ops.autocast_policy``."""
from __future__ import annotations

import collections.abc
import functools
import warnings
from typing import Any, Callable, Literal

import numpy as np

from .. import _dtype as D
from .._tensor import Tensor
from . import _functions as F

__all__ = ["autocast_decorator", "autocast", "is_autocast_available", "custom_fwd", "custom_bwd"]

# what torch's Python autocast checks a device's dtype against (the privateuse1 backend would register its own)
_SUPPORTED_DTYPES = (D.bfloat16, D.float16)


def is_autocast_available(device_type: str) -> bool:
    """Whether autocast has a state for ``device_type`` (``cpu``, ``cuda``, ``mps``...)."""
    return F.is_autocast_available(device_type)


def _check_device_type(device_type: Any) -> None:
    if not isinstance(device_type, str):
        raise ValueError(f"Expected `device_type` of type `str`, got: `{type(device_type)}`")


def autocast_decorator(autocast_instance: autocast, func: Callable) -> Callable:
    @functools.wraps(func)
    def decorate_autocast(*args: Any, **kwargs: Any) -> Any:
        with autocast_instance:
            return func(*args, **kwargs)
    return decorate_autocast


class autocast:  # noqa: N801 - torch's name
    """Run the region's ops in the dtype autocast picks for each (``device_type``'s default: bfloat16 on CPU,
    float16 on CUDA); see ``_ops.autocast_policy`` for which ops and how."""

    def __init__(self, device_type: str, dtype: D.dtype | None = None, enabled: bool = True,
                 cache_enabled: bool | None = None) -> None:
        _check_device_type(device_type)
        self.fast_dtype = F.get_autocast_dtype(device_type) if dtype is None else dtype
        self.device = device_type
        if not is_autocast_available(device_type):
            raise RuntimeError(f"User specified an unsupported autocast device_type '{device_type}'")
        if device_type == "privateuseone":
            raise AssertionError(
                "Tried to use AMP with the `privateuseone` backend, but the backend has not registered a module or  "
                "the module miss some necessary funcs. The backend should register a module by "
                "`torch._register_device_module`, and the module must have these funcs: \n"
                "`get_amp_supported_dtype() -> List[torch.dtype]`. \n")
        self.custom_backend_name = "privateuseone"
        self._cache_enabled = F.is_autocast_cache_enabled() if cache_enabled is None else cache_enabled
        if enabled:
            if device_type == "cuda":  # no CUDA here
                warnings.warn("CUDA is not available or torch_xla is imported. Disabling autocast.", stacklevel=2)
                enabled = False
            elif self.fast_dtype not in _SUPPORTED_DTYPES:
                name = device_type.upper()
                warnings.warn(f"In {name} autocast, but the target dtype is not supported. Disabling autocast.\n"
                              f"{name} Autocast only supports dtypes of "
                              + ", ".join(map(str, _SUPPORTED_DTYPES)) + " currently.", stacklevel=2)
                enabled = False
        self._enabled = enabled

    def __enter__(self) -> autocast:
        self.prev_cache_enabled = F.is_autocast_cache_enabled()
        self.prev = F.is_autocast_enabled(self.device)
        self.prev_fastdtype = F.get_autocast_dtype(self.device)
        F.set_autocast_enabled(self.device, self._enabled)
        F.set_autocast_dtype(self.device, self.fast_dtype)
        F.autocast_increment_nesting()
        F.set_autocast_cache_enabled(self._cache_enabled)
        return self

    def __exit__(self, exc_type: Any, exc_val: Any, exc_tb: Any) -> Literal[False]:
        # the weight cache lives as long as the outermost region
        if F.autocast_decrement_nesting() == 0:
            F.clear_autocast_cache()
        F.set_autocast_enabled(self.device, self.prev)
        F.set_autocast_dtype(self.device, self.prev_fastdtype)
        F.set_autocast_cache_enabled(self.prev_cache_enabled)
        return False

    def __call__(self, func: Any) -> Callable:
        if not callable(func):
            raise TypeError(
                f"autocast()(func) requires a callable, but got {type(func).__name__}. Did you mean to use autocast "
                "as a context manager? For example:\n    with torch.autocast(device_type=...):\n"
                "        output = model(input)")
        return autocast_decorator(self, func)


def _cast(value: Any, device_type: str, dtype: D.dtype) -> Any:
    """``value`` with its floating tensors (float64 aside) cast to ``dtype``, through lists, tuples, mappings
    and other iterables (strings, bytes and arrays pass as they are)."""
    if isinstance(value, Tensor):
        eligible = value.is_floating_point() and value.device.type == device_type and value.dtype is not D.float64
        return value.to(dtype) if eligible else value
    if isinstance(value, (str, bytes, np.ndarray)):
        return value
    if isinstance(value, collections.abc.Mapping):
        return {_cast(k, device_type, dtype): _cast(v, device_type, dtype) for k, v in value.items()}
    if isinstance(value, collections.abc.Iterable):
        cast = (_cast(v, device_type, dtype) for v in value)
        return type(value)(cast) if isinstance(value, (list, tuple)) else cast
    return value


def custom_fwd(fwd: Callable | None = None, *, device_type: str, cast_inputs: D.dtype | None = None) -> Callable:
    """For ``forward`` of an ``autograd.Function``: with ``cast_inputs``, inside an autocast region, its floating
    tensor inputs are cast to ``cast_inputs`` and it runs with autocast off; without, it runs in the current
    state. Either way ``custom_bwd`` runs ``backward`` in the state ``forward`` saw."""
    _check_device_type(device_type)
    if fwd is None:
        return functools.partial(custom_fwd, device_type=device_type, cast_inputs=cast_inputs)
    forward = fwd

    @functools.wraps(forward)
    def decorate_fwd(*args: Any, **kwargs: Any) -> Any:
        ctx = args[0]
        ctx._dtype = F.get_autocast_dtype(device_type)
        in_region = F.is_autocast_enabled(device_type)
        if cast_inputs is None or not in_region:
            ctx._fwd_used_autocast = in_region and cast_inputs is None
            return forward(*args, **kwargs)
        ctx._fwd_used_autocast = False
        with autocast(device_type=device_type, enabled=False):
            return forward(*_cast(args, device_type, cast_inputs), **_cast(kwargs, device_type, cast_inputs))
    return decorate_fwd


def custom_bwd(bwd: Callable | None = None, *, device_type: str) -> Callable:
    """For ``backward`` of an ``autograd.Function`` whose ``forward`` has ``custom_fwd``: it runs in the autocast
    state (on or off, and dtype) that ``forward`` ran in."""
    _check_device_type(device_type)
    if bwd is None:
        return functools.partial(custom_bwd, device_type=device_type)
    backward = bwd

    @functools.wraps(backward)
    def decorate_bwd(*args: Any, **kwargs: Any) -> Any:
        ctx = args[0]
        with autocast(device_type=device_type, enabled=ctx._fwd_used_autocast, dtype=ctx._dtype):
            return backward(*args, **kwargs)
    return decorate_bwd


