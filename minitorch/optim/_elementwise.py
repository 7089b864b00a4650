"""The step loop shared by the optimizers whose update treats each parameter on its own (all the
built-ins but LBFGS).

As torch's ``_init_group``, a group first prepares every parameter that has a gradient (its state is
created on first use), then updates them one by one. A subclass writes its update once, in the
vocabulary of ``_arith.ArrayMath`` (NumPy in place, no graph: the default) or, for a differentiable
group, ``_tensor_math.TensorMath`` (recorded tensor ops); torch's ``foreach`` and ``fused`` variants
compute the same update and take this same path.
"""
from __future__ import annotations

from typing import Any, Callable

from .._tensor import Tensor
from ..autograd.grad_mode import set_grad_enabled
from ._arith import ArrayMath
from ._tensor_math import TensorMath
from .optimizer import Optimizer, closure_loss

Math = ArrayMath | TensorMath


class ElementwiseOptimizer(Optimizer):
    # torch checks that a capturable step runs on a graph-capturing device, which CPU never is
    _capturable_tensors = "params and state_steps"
    _capturable_devices = "['cuda', 'xpu', 'hpu', 'privateuseone', 'xla']"

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        loss = closure_loss(closure)
        with set_grad_enabled(self.defaults.get("differentiable", False)):
            for group in self.param_groups:
                self._step_group(group)
        return loss

    def _step_group(self, group: dict[str, Any]) -> None:
        params = [p for p in group["params"] if p._grad is not None]
        for p in params:
            self._prepare(p, group)
        if params and group.get("capturable", False):
            raise AssertionError(f"If capturable=True, {self._capturable_tensors} must be on supported devices: "
                                 f"{self._capturable_devices}.")
        math = TensorMath() if group.get("differentiable", False) else ArrayMath(self._scratch)
        for p in params:
            math.start()
            self._update(math, p, self.state.get(p), group)
            math.finish(p)

    def _prepare(self, p: Tensor, group: dict[str, Any]) -> None:
        """Per-parameter checks and, on first use, the parameter's state."""
        state = self.state[p]
        if len(state) == 0:
            self._init_state(p, state, group)

    def _init_state(self, p: Tensor, state: dict[str, Any], group: dict[str, Any]) -> None:
        raise NotImplementedError

    def _update(self, math: Math, p: Tensor, state: Any, group: dict[str, Any]) -> None:
        raise NotImplementedError
