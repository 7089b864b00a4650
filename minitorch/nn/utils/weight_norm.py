"""torch.nn.utils.weight_norm (deprecated for parametrizations.weight_norm): ``weight`` split into
a magnitude ``weight_g`` and a direction ``weight_v``, recombined by a forward pre-hook."""
from __future__ import annotations

import warnings
from typing import Any, TypeVar

from ..._ops.registry import FUNCTIONS
from ..modules.module import Module
from ..parameter import Parameter

__all__ = ["WeightNorm", "weight_norm", "remove_weight_norm"]


class WeightNorm:
    """The forward pre-hook that recomputes ``module.<name>`` from ``<name>_g`` and ``<name>_v``."""

    def __init__(self, name: str, dim: int | None) -> None:
        self.name = name
        self.dim = -1 if dim is None else dim

    def compute_weight(self, module: Module) -> Any:
        return FUNCTIONS["_weight_norm"](getattr(module, self.name + "_v"), getattr(module, self.name + "_g"),
                                         self.dim)

    @staticmethod
    def apply(module: Module, name: str, dim: int | None) -> "WeightNorm":
        warnings.warn("`torch.nn.utils.weight_norm` is deprecated in favor of "
                      "`torch.nn.utils.parametrizations.weight_norm`.", FutureWarning, stacklevel=3)
        if any(isinstance(hook, WeightNorm) and hook.name == name for hook, _ in module._forward_pre_hooks):
            raise RuntimeError("Cannot register two weight_norm hooks on the same parameter %s" % name)
        fn = WeightNorm(name, dim)
        weight = getattr(module, name)
        del module._parameters[name]
        module.register_parameter(name + "_g", Parameter(FUNCTIONS["norm_except_dim"](weight, 2, fn.dim).data))
        module.register_parameter(name + "_v", Parameter(weight.data))
        setattr(module, name, fn.compute_weight(module))
        module.register_forward_pre_hook(fn)
        return fn

    def remove(self, module: Module) -> None:
        weight = self.compute_weight(module)
        delattr(module, self.name)
        del module._parameters[self.name + "_g"]
        del module._parameters[self.name + "_v"]
        setattr(module, self.name, Parameter(weight.data))

    def __call__(self, module: Module, inputs: Any) -> None:
        setattr(module, self.name, self.compute_weight(module))


T_module = TypeVar("T_module", bound=Module)


def weight_norm(module: T_module, name: str = "weight", dim: int | None = 0) -> T_module:
    WeightNorm.apply(module, name, dim)
    return module


def remove_weight_norm(module: T_module, name: str = "weight") -> T_module:
    for entry in module._forward_pre_hooks:
        hook = entry[0]
        if isinstance(hook, WeightNorm) and hook.name == name:
            hook.remove(module)
            module._forward_pre_hooks.remove(entry)
            return module
    raise ValueError("weight_norm of '%s' not found in %s" % (name, module))
