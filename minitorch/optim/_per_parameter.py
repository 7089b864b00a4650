"""The step loop shared by the optimizers whose update treats each parameter on its own (all the
built-ins but LBFGS and SparseAdam).

As torch's ``_init_group``, a group first prepares every parameter that has a gradient (its state is
created on first use), then updates them one by one. A subclass writes its update once, in the
vocabulary of ``_arith.ArrayMath`` (NumPy in place, no graph: the default) or, for a differentiable
group, ``_tensor_math.TensorMath`` (recorded tensor ops); torch's ``foreach`` and ``fused`` variants
compute the same update and take this same path. (Adafactor, never differentiable, also reduces
over rows and columns, which it does in NumPy itself.)
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from .._tensor import Tensor
from .._grad_state import STATE
from ._arith import ArrayMath
from ._tensor_math import TensorMath
from .optimizer import Optimizer, closure_loss, scalar_state


Math = ArrayMath | TensorMath


def _own_step(cls: type) -> Callable:
    """``cls.step``: torch's optimizers each define their own, which users see by name (in a step
    hook's error message, a bound method's repr)."""
    def step(self: PerParameterOptimizer, closure: Callable[[], Any] | None = None) -> Any:
        return self._step(closure)
    step.__qualname__ = cls.__qualname__ + ".step"
    return step


class PerParameterOptimizer(Optimizer):
    """An optimizer that updates each parameter on its own (see the module docstring): subclasses
    give ``_init_state`` and ``_update``."""

    # torch checks that a capturable step runs on a graph-capturing device, which CPU never is; the
    # message names the tensors checked and the devices (with or without xla) of the variant that
    # runs: (for-loop, foreach). Adam alone checks capturable before differentiable; SGD's foreach
    # variant alone accepts differentiable.
    _capturable_tensors = ("params and state_steps", "params and state_steps")
    _capturable_xla = (True, False)
    _capturable_checked_first = False
    _foreach_differentiable = False
    # the parameters' dtypes whose updates are NumPy's arithmetic on the arrays: torch's kernels compute float32 and
    # float64 in their own type, as NumPy does; float16 and bfloat16 take tensor ops (float32, one rounding per op)
    _array_math_dtypes: tuple = (np.dtype(np.float32), np.dtype(np.float64))
    # options that older checkpoints lack, with the values torch gives them on load (in its order),
    # and the 0-d state that older checkpoints saved as Python numbers
    _legacy_options: tuple[tuple[str, Any], ...] = (("foreach", None), ("maximize", False),
                                                    ("differentiable", False), ("capturable", False))
    _scalar_state_keys: tuple[str, ...] = ("step",)
    # ``_update_arrays(params, group)``: the update of a whole group of float parameters written on their arrays, as
    # torch's foreach kernels take the group's tensor lists (the same arithmetic as ``_update`` with ``ArrayMath``,
    # without its per-parameter vocabulary calls, which were most of a small model's optimizer step); None: every
    # parameter goes through ``_update``
    _update_arrays: Callable[[list[Tensor], dict[str, Any]], None] | None = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        if "step" not in cls.__dict__ and PerParameterOptimizer in cls.__bases__:
            cls.step = _own_step(cls)  # type: ignore[method-assign]
        super().__init_subclass__(**kwargs)

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        for group in self.param_groups:
            for key, value in self._legacy_options:
                group.setdefault(key, value)
            for p in group["params"]:
                p_state = self.state.get(p, {})
                for key in self._scalar_state_keys:
                    if key in p_state and not isinstance(p_state[key], Tensor):
                        p_state[key] = scalar_state(float(p_state[key]), fused=bool(group.get("fused")))

    def _step(self, closure: Callable[[], Any] | None) -> Any:
        loss = closure_loss(closure)
        prev = STATE.enabled  # (set_grad_enabled's work, without its three frames)
        STATE.enabled = bool(self.defaults.get("differentiable", False))
        try:
            self._step_groups()
        finally:
            STATE.enabled = prev
        return loss

    # torch's kernels never warn about NaN or overflow; NumPy's would (the decorator's form: one frame, where a
    # ``with`` block's errstate is three, __init__, __enter__ and __exit__, on every step)
    @np.errstate(all="ignore")
    def _step_groups(self) -> None:
        for group in self.param_groups:
            self._step_group(group)

    def _step_group(self, group: dict[str, Any]) -> None:
        params = []
        for p in group["params"]:  # (one loop, no comprehension's frame)
            if p._grad is not None:
                params.append(p)
        self._prepare_group(params, group)
        if params and not group.get("fused"):
            self._check_variant(group)
        if self._update_arrays is not None and not group.get("differentiable", False):
            for p in params:  # (a loop, not all() over a generator: a frame per parameter)
                if p._data.dtype not in self._array_math_dtypes:
                    break
            else:
                self._update_arrays(params, group)
                return
        # integer parameters take tensor ops too, which raise torch's errors for them; float16 and bfloat16 ones
        # compute each op in float32 and round once, as torch's kernels do (NumPy's float16 rounds every step)
        array_math: Math = TensorMath() if group.get("differentiable", False) else ArrayMath(self._scratch)
        for p in params:
            math = array_math if p._data.dtype in self._array_math_dtypes else TensorMath()
            math.start()
            self._update(math, p, self.state.get(p), group)
            math.finish(p)

    def _check_variant(self, group: dict[str, Any]) -> None:
        """The errors torch's for-loop or foreach variant raises on CPU before it updates anything."""
        foreach = bool(group.get("foreach"))
        foreach_autograd = foreach and group.get("differentiable", False) and not self._foreach_differentiable
        if foreach_autograd and not self._capturable_checked_first:
            raise AssertionError("_foreach ops don't support autograd")
        if group.get("capturable", False):
            devices = ["cuda", "xpu", "hpu", "privateuseone"] + ["xla"] * self._capturable_xla[foreach]
            raise AssertionError(f"If capturable=True, {self._capturable_tensors[foreach]} must be on supported "
                                 f"devices: {devices}.")
        if foreach_autograd:
            raise AssertionError("_foreach ops don't support autograd")

    def _prepare_group(self, params: list[Tensor], group: dict[str, Any]) -> None:
        """The group's parameters that have a gradient prepared, in order (``_prepare``), before any is updated."""
        for p in params:
            self._prepare(p, group)

    def _prepare(self, p: Tensor, group: dict[str, Any]) -> None:
        """Per-parameter checks and, on first use, the parameter's state."""
        state = self.state[p]
        if len(state) == 0:
            self._init_state(p, state, group)

    def _init_state(self, p: Tensor, state: dict[str, Any], group: dict[str, Any]) -> None:
        raise NotImplementedError

    def _update(self, math: Math, p: Tensor, state: Any, group: dict[str, Any]) -> None:
        raise NotImplementedError


def decayed_grad(math: Any, p: Tensor, param: Any, lr: Any, group: dict[str, Any], decay_tensor: bool = False) -> Any:
    """The Adam family's weight decay: decoupled (the parameter shrinks by ``lr * weight_decay``, AdamW's) or
    L2 (added to the gradient), as the group says; returns the gradient to use (``decay_tensor``: see
    ``TensorMath.grad``)."""
    weight_decay = group["weight_decay"]
    decoupled = group["decoupled_weight_decay"]
    if decoupled and weight_decay != 0:
        math.mul_(param, 1 - lr * weight_decay)
    return math.grad(p, group["maximize"], 0 if decoupled else weight_decay, decay_tensor)
