"""The per-device spellings torch keeps for compatibility (``torch.cpu.amp.autocast``,
``torch.cuda.amp.GradScaler``...): subclasses of torch.amp's with the device fixed, warning a FutureWarning
when made."""
from __future__ import annotations

import warnings
from typing import Any

from .. import _dtype as D
from .autocast_mode import autocast as _autocast
from .grad_scaler import GradScaler as _GradScaler


def _warn(what: str, device_type: str) -> None:
    warnings.warn(f"`torch.{device_type}.amp.{what}(args...)` is deprecated. Please use "
                  f"`torch.amp.{what}('{device_type}', args...)` instead.", FutureWarning, stacklevel=3)


def device_autocast(device_type: str, default_dtype: D.dtype, module: str) -> type:
    """``torch.<device_type>.amp.autocast``, defined in ``module``."""
    class autocast(_autocast):  # noqa: N801 - torch's name
        def __init__(self, enabled: bool = True, dtype: D.dtype = default_dtype, cache_enabled: bool = True) -> None:
            _warn("autocast", device_type)
            super().__init__(device_type, enabled=enabled, dtype=dtype, cache_enabled=cache_enabled)
    autocast.__module__, autocast.__qualname__ = module, "autocast"
    autocast.__doc__ = f"See ``torch.autocast``; ``torch.amp.autocast('{device_type}', ...)`` is the current spelling."
    return autocast


def device_grad_scaler(device_type: str, module: str) -> type:
    """``torch.<device_type>.amp.GradScaler``, defined in ``module``."""
    class GradScaler(_GradScaler):
        def __init__(self, init_scale: float = 2.0**16, growth_factor: float = 2.0, backoff_factor: float = 0.5,
                     growth_interval: int = 2000, enabled: bool = True) -> None:
            _warn("GradScaler", device_type)
            super().__init__(device_type, init_scale=init_scale, growth_factor=growth_factor,
                             backoff_factor=backoff_factor, growth_interval=growth_interval, enabled=enabled)
    GradScaler.__module__, GradScaler.__qualname__ = module, "GradScaler"
    GradScaler.__doc__ = (f"See ``torch.amp.GradScaler``; ``torch.amp.GradScaler('{device_type}', ...)`` is the "
                          "current spelling.")
    return GradScaler


def deprecated_cuda_decorator(name: str, decorator: Any) -> Any:
    """``torch.cuda.amp.custom_fwd``/``custom_bwd``: torch.amp's with ``device_type="cuda"``."""
    def spelled(*args: Any, **kwargs: Any) -> Any:
        warnings.warn(f"`torch.cuda.amp.{name}(args...)` is deprecated. Please use "
                      f"`torch.amp.{name}(args..., device_type='cuda')` instead.", FutureWarning, stacklevel=2)
        return decorator(*args, device_type="cuda", **kwargs)
    spelled.__name__ = spelled.__qualname__ = name
    return spelled
