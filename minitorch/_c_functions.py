"""Small functions torch binds in C at its top level (``torch._C``), with its argument parser's errors:
``set_anomaly_enabled``, ``is_vulkan_available`` and the size-range assertions ``sym_constrain_range`` and
``sym_constrain_range_for_size`` (with no symbolic shapes, they check a concrete value against the range)."""
from __future__ import annotations

from typing import Any

from ._ops.dims import INT64_MAX
from ._ops.registry import compile_callable
from ._ops.signature import Parser
from ._tensor import Tensor
from .autograd.anomaly_mode import ANOMALY

INT64_MIN = -INT64_MAX - 1


def _set_anomaly_enabled(enabled: bool, check_nan: bool = True) -> None:
    ANOMALY.enabled, ANOMALY.check_nan = enabled, check_nan


set_anomaly_enabled = compile_callable(Parser(["set_anomaly_enabled(bool enabled, bool check_nan=True)"]),
                                       _set_anomaly_enabled, False, "set_anomaly_enabled")


def is_vulkan_available(*args: Any) -> bool:
    """No Vulkan backend here (torch's binding ignores its arguments)."""
    return False


def _as_int64(size: Any) -> int:
    value = size.item() if isinstance(size, Tensor) else size
    if isinstance(value, complex):
        raise RuntimeError("value cannot be converted to type int64_t without overflow")
    return int(value)


def _check_range(size: Any, lo: int, hi: int) -> None:
    if lo > hi:
        raise RuntimeError("Max must be greater than or equal to min. Got min=%d max=%d" % (lo, hi))
    value = _as_int64(size)
    if not lo <= value <= hi:
        raise RuntimeError("Invalid value range for %d between [%d, %d]." % (value, lo, hi))


def _constrain_range(size: Any, *, min: int | None = None, max: int | None = None) -> None:
    _check_range(size, INT64_MIN if min is None else min, INT64_MAX if max is None else max)


def _constrain_range_for_size(size: Any, *, min: int | None = None, max: int | None = None) -> None:
    if max is not None and max <= 2:
        raise RuntimeError("Max value to constrain_range_for_size must be greater than 2. got: %d" % max)
    _check_range(size, 0 if min is None else min, INT64_MAX if max is None else max)


sym_constrain_range = compile_callable(
    Parser(["sym_constrain_range(Scalar size, *, int64_t? min=None, int64_t? max=None)"]), _constrain_range, False,
    "sym_constrain_range")
sym_constrain_range_for_size = compile_callable(
    Parser(["sym_constrain_range_for_size(Scalar size, *, int64_t? min=None, int64_t? max=None)"]),
    _constrain_range_for_size, False, "sym_constrain_range_for_size")
