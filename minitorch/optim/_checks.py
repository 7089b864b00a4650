"""The argument checks optimizers run in their constructors, with torch's messages.

``not 0.0 <= value`` (rather than ``value < 0``) is deliberate: it also rejects NaN, as torch does
everywhere except SGD's checks, which pass ``nan_ok=True``.
"""
from __future__ import annotations

from typing import Any

from .._tensor import Tensor


def _negative(value: Any, nan_ok: bool) -> bool:
    return value < 0.0 if nan_ok else not 0.0 <= value


def check_lr(lr: Any, nan_ok: bool = False) -> None:
    if isinstance(lr, Tensor) and lr.numel() != 1:
        raise ValueError("Tensor lr must be 1-element")
    if _negative(lr, nan_ok):
        raise ValueError(f"Invalid learning rate: {lr}")


def check_nonnegative(name: str, value: Any, nan_ok: bool = False) -> None:
    """``Invalid <name> value: <value>`` unless ``value >= 0``."""
    if _negative(value, nan_ok):
        raise ValueError(f"Invalid {name} value: {value}")


def check_betas(betas: tuple[Any, Any]) -> None:
    for i, beta in enumerate(betas[:2]):
        if not 0.0 <= beta < 1.0:
            raise ValueError(f"Invalid beta parameter at index {i}: {beta}")


def check_fused(fused: bool | None, foreach: bool | None, differentiable: bool) -> None:
    """What a fused optimizer cannot combine with (checked after the groups are built, as torch does)."""
    if fused and differentiable:
        raise RuntimeError("`fused` does not support `differentiable`")
    if fused and foreach:
        raise RuntimeError("`fused` and `foreach` cannot be `True` together.")


def check_fused_param(p: Tensor) -> None:
    """``fused=True`` runs on floating-point parameters only (of any device torch fuses on)."""
    if not p.is_floating_point():
        raise RuntimeError("`fused=True` requires all the params to be floating point Tensors of supported devices: "
                           "['mps', 'cuda', 'xpu', 'hpu', 'cpu', 'mtia', 'privateuseone'] but "
                           f"{p.dtype} and cpu")
