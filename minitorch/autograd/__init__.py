"""torch.autograd: backward, grad, Function, functional, gradcheck, anomaly mode, Variable, graph."""
from __future__ import annotations

from typing import Any

from .grad_mode import enable_grad, inference_mode, is_grad_enabled, no_grad, set_grad_enabled  # noqa: F401
from .anomaly_mode import detect_anomaly, set_detect_anomaly  # noqa: F401
from .function import Function, InplaceFunction, once_differentiable  # noqa: F401
from . import function, functional, graph  # noqa: F401
from . import forward_ad  # noqa: F401
from .gradcheck import gradcheck, gradgradcheck  # noqa: F401
from .variable import Variable
from .gradients import backward, grad  # noqa: F401


def variable(*args: Any, **kwargs: Any) -> Any:
    raise RuntimeError("torch.autograd.variable(...) is deprecated, use torch.tensor(...) instead")


variable.Variable = Variable  # type: ignore[attr-defined]
