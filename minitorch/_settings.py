"""torch's process-wide switches and build facts, as they hold for minitorch.

- The build flags describe minitorch, not torch's build: ``has_lapack`` and ``has_spectral`` are True (NumPy's
  LAPACK and FFT do that work), ``has_mkl`` and ``has_openmp`` False (no MKL, no OpenMP thread pool).
- minitorch's kernels are deterministic whatever the switch says: ``use_deterministic_algorithms`` and the debug
  mode are recorded and reported, as torch's are, and change no result.
- ``set_float32_matmul_precision`` is recorded: NumPy multiplies float32 at full precision ("highest") whatever
  is asked, which torch's CPU kernels do too.
- ``set_flush_denormal(True)`` returns False, torch's answer where the processor cannot flush: NumPy keeps
  denormals.
"""
from __future__ import annotations

import importlib
import warnings
from typing import Any

from . import _creation
from . import _dtype as D
from ._warn_once import warn_once

has_lapack = True
has_spectral = True
has_mkl = False
has_openmp = False

_deterministic = False
_warn_only = False
_matmul_precision = "highest"
_DEBUG_MODES = {"default": 0, "warn": 1, "error": 2}


def _check_bool(function: str, name: str, value: Any, position: str = "") -> None:
    if type(value) is not bool:
        raise TypeError("%s(): argument '%s'%s must be bool, not %s" % (function, name, position, type(value).__name__))


def use_deterministic_algorithms(mode: bool, *, warn_only: bool = False) -> None:
    """Records whether deterministic algorithms are asked for (minitorch's always are)."""
    global _deterministic, _warn_only
    _check_bool("_set_deterministic_algorithms", "mode", mode, " (position 1)")
    _check_bool("_set_deterministic_algorithms", "warn_only", warn_only)
    _deterministic, _warn_only = mode, warn_only


def are_deterministic_algorithms_enabled() -> bool:
    return _deterministic


def is_deterministic_algorithms_warn_only_enabled() -> bool:
    return _warn_only


def set_deterministic_debug_mode(debug_mode: int | str) -> None:
    """0 / "default": off; 1 / "warn": on, warning only; 2 / "error": on."""
    if not isinstance(debug_mode, (int, str)):
        raise TypeError("debug_mode must be str or int, but got %s" % type(debug_mode))
    if isinstance(debug_mode, str):
        if debug_mode not in _DEBUG_MODES:
            raise RuntimeError("invalid value of debug_mode, expected one of `default`, `warn`, `error`, but got %s"
                               % debug_mode)
        debug_mode = _DEBUG_MODES[debug_mode]
    if debug_mode not in (0, 1, 2):
        raise RuntimeError("invalid value of debug_mode, expected 0, 1, or 2, but got %s" % debug_mode)
    use_deterministic_algorithms(debug_mode != 0, warn_only=debug_mode == 1)


def get_deterministic_debug_mode() -> int:
    if not _deterministic:
        return 0
    return 1 if _warn_only else 2


def set_float32_matmul_precision(precision: str) -> None:
    global _matmul_precision
    if not isinstance(precision, str):
        raise RuntimeError("set_float32_matmul_precision expects a str, but got %s" % type(precision).__name__)
    if precision not in ("highest", "high", "medium"):
        warnings.warn("%s is not one of 'highest', 'high', or 'medium'; the currentsetFloat32MatmulPrecision call "
                      "has no effect. (Triggered internally at /__w/pytorch/pytorch/aten/src/ATen/Context.cpp:458.)"
                      % precision, UserWarning, stacklevel=2)
        return
    _matmul_precision = precision


def get_float32_matmul_precision() -> str:
    return _matmul_precision


def set_flush_denormal(*args: Any, **kwargs: Any) -> bool:
    """Whether the asked mode now holds: keeping denormals does, flushing them never does in minitorch (False,
    torch's answer on a processor without the flag)."""
    if kwargs:
        raise TypeError("torch.set_flush_denormal() takes no keyword arguments")
    if len(args) != 1:
        raise TypeError("torch.set_flush_denormal() takes exactly one argument (%d given)" % len(args))
    if type(args[0]) is not bool:
        raise RuntimeError("flush_denormal expects a bool, but got %s" % type(args[0]).__name__)
    return not args[0]


def init_num_threads(*args: Any) -> None:
    """torch initializes its OpenMP and MKL thread pools for the calling thread; minitorch has none."""
    if args:
        raise TypeError("init_num_threads(): incompatible function arguments. The following argument types are "
                        "supported:\n    1. () -> None\n\nInvoked with: %s" % ", ".join(repr(a) for a in args))


_DEFAULT_TYPE_DEPRECATED = (
    "torch.set_default_tensor_type() is deprecated as of PyTorch 2.1, please use torch.set_default_dtype() and "
    "torch.set_default_device() as alternatives. (Triggered internally at "
    "/__w/pytorch/pytorch/torch/csrc/tensor/python_tensor.cpp:434.)")


def set_default_tensor_type(t: Any, /) -> None:
    """Deprecated: sets the default dtype from a floating legacy tensor type (``torch.DoubleTensor`` or its
    name)."""
    if isinstance(t, str):
        module, _, path = t.partition(".")
        t = _creation if module == "torch" else importlib.import_module(module)  # torch.X: minitorch's X
        for name in path.split(".") if path else ():
            t = getattr(t, name)
    warn_once("set_default_tensor_type", _DEFAULT_TYPE_DEPRECATED, stacklevel=2)
    try:
        dtype = _creation.dtype_from_type_string(t.__name__) if isinstance(t, type) else None
    except ValueError:
        dtype = None
    if dtype is None:
        raise TypeError("invalid type object: only floating-point types are supported as the default type")
    if not dtype.is_floating_point:
        raise TypeError("only floating-point types are supported as the default type")
    D.set_default_dtype(dtype)
