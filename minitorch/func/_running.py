"""What torch.func's transforms see of the ops their functions run, and the mutations torch refuses.

A transform's call is a level (a number from one counter, so that a later level has a larger one). While a
level's function runs, ``running(level)`` installs a recording hook (``recording.TANGENT_HOOK``, chained before
forward AD's when a dual level is open) and sets ``STATE.func_level``, which stamps the tensors made meanwhile
(``Tensor._func_born``). Then:

- vmap runs its function once per example on slices it marks as batched (``_vmap_levels``); the hook marks the
  outputs of every op with a batched input, so that ``.item()``, conversions and control flow on a batched value
  (Tensor's own checks), in-place writes of a batched value into an unbatched tensor and ``out=`` raise torch's
  errors where torch's batching rules raise them;
- grad, vjp and jvp refuse an in-place write into a tensor their function captured (made before the level's
  function started), as torch's functorch does.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from .._grad_state import STATE
from .._tensor import Tensor
from ..autograd.recording import TANGENT_HOOK, OpDef

_COUNT = [0]
_RUNNING: list = []  # the levels whose function is running, innermost last


def next_level_number() -> int:
    _COUNT[0] += 1
    return _COUNT[0]


class running:
    """``with running(level):`` the level's function runs: its mutations and batched values are watched."""

    def __init__(self, level: Any) -> None:
        self.level = level

    def __enter__(self) -> None:
        self.outer_level = STATE.func_level
        self.outer_hook = TANGENT_HOOK[0]
        if not _RUNNING:
            TANGENT_HOOK[0] = _Hook(self.outer_hook)
        _RUNNING.append(self.level)
        self.level.running = True
        STATE.func_level = self.level.number

    def __exit__(self, *exc: Any) -> None:
        self.level.running = False
        _RUNNING.pop()
        STATE.func_level = self.outer_level
        TANGENT_HOOK[0] = self.outer_hook


def mark_batched(t: Tensor, level: Any) -> Tensor:
    """``t`` (an example's slice) made batched at vmap level ``level``, on top of its enclosing levels."""
    t._vmap_levels = batched_levels((t,)) + (level,)
    return t


def batched_levels(values: Sequence[Any]) -> tuple:
    """The running vmap levels at which some tensor of ``values`` (or of a sequence among them) is batched."""
    found: tuple = ()
    for x in values:
        if isinstance(x, (tuple, list)):
            found += tuple(v for v in batched_levels(x) if v not in found)
        elif isinstance(x, Tensor):
            found += tuple(v for v in x._vmap_levels if v.running and v not in found)
    return found


# ---- torch's names and messages ----------------------------------------------------------------
# Op names below are minitorch's, without a trailing underscore.
# The in-place ATen overload torch names (the rest: ``<name>_``):
_ATEN_INPLACE = {"add": "add_.Tensor", "sub": "sub_.Tensor", "mul": "mul_.Tensor", "true_divide": "div_.Tensor"}
_SCALAR_OR_TENSOR = {"fill", "masked_fill", "pow", "lerp"}  # ``.Scalar`` or ``.Tensor`` as the value is
_ATEN_OUT = {"true_divide": "div"}

# How torch's batching rule for an in-place op refuses a batched argument written into an unbatched self:
# ops whose rule broadcasts the physical tensors fail on the shape, rules of their own name themselves, the rest
# (no batching rule: torch's fallback) name the ATen op.
_PHYSICAL_BROADCAST = {"add", "atan2", "copysign", "bitwise_and"}
_INPLACE_ARITHMETIC = {"sub", "mul", "true_divide", "clamp_min", "clamp_max", "logical_and", "logical_or",
                       "logical_xor", "masked_fill", "copy"}
_OWN_NAME = {"fill": "fill_", "index_fill": "index_fill_", "index_put": "index_put_", "index_add": "index_add_",
             "scatter_add": "scatter_add_", "bernoulli": "inplace bernoulli"}

_CAPTURED = ("During a grad (vjp, jvp, grad, etc) transform, the function provided attempted to call in-place "
             "operation (aten::%s) that would mutate a captured Tensor. This is not supported; please rewrite the "
             "function being transformed to explicitly accept the mutated Tensor(s) as inputs.")
_UNBATCHED_SELF = ("vmap: %s(self, *extra_args) is not possible because there exists a Tensor `other` in extra_args "
                   "that has more elements than `self`. This happened due to `other` being vmapped over but `self` not "
                   "being vmapped over %s. Please try to use out-of-place operators instead of %s. If said "
                   "operator is being called inside the PyTorch framework, please file a bug report instead.")
_DYNAMIC_SHAPE = ("vmap: We do not support batching operators that can output dynamic shape. Attempted to vmap over "
                  "aten::%s. Please file an issue at https://github.com/pytorch/pytorch/issues if you need this "
                  "feature.")
_DYNAMIC_SHAPE_OPS = {"_unique2"}
_OUT = "Batching rule not implemented for aten::%s.out; the fallback path doesn't work on out= or view ops."


def _inplace_name(name: str, others: Sequence[Any]) -> str:
    if name in _ATEN_INPLACE:
        return _ATEN_INPLACE[name]
    if name in _SCALAR_OR_TENSOR:
        return name + ("_.Tensor" if others and isinstance(others[-1], Tensor) else "_.Scalar")
    return name + "_"


def _check_write(name: str, into: Tensor, others: Sequence[Any], attributes: Sequence[Any] = ()) -> None:
    """torch's refusals of the in-place op ``name`` writing ``into`` from ``others`` (its arguments; ``attributes``:
    the tensors among its other attributes, a mask say)."""
    name = name.rstrip("_")
    grad_levels = [level for level in _RUNNING if not hasattr(level, "batch_size")]
    owner = into._base if into._base is not None else into
    if grad_levels and owner._func_born < grad_levels[-1].number and not (
            {id(into), id(owner)} & grad_levels[-1].arguments):
        raise RuntimeError(_CAPTURED % _inplace_name(name, others))
    into_levels = batched_levels((into,))
    others = list(others) + list(attributes)
    for level in batched_levels(others):
        if level not in into_levels:
            if name in _PHYSICAL_BROADCAST:
                other = next(o for o in others if level in batched_levels((o,)))
                raise RuntimeError("output with shape %s doesn't match the broadcast shape %s" % (
                    list(into.shape), list(np.broadcast_shapes(into.shape, (level.batch_size,) + other.shape))))
            if name in _INPLACE_ARITHMETIC or name in _OWN_NAME:
                label, where = _OWN_NAME.get(name, "inplace arithmetic"), "in a vmap"
            else:  # torch's per-example fallback, which tells the level (the transforms' depth)
                label, where = "aten::%s_" % name, "at level %d" % (_RUNNING.index(level) + 1)
            raise RuntimeError(_UNBATCHED_SELF % (label, where, label))


class _Hook:
    """The recording hook while a transform's function runs (see the module docstring); ``outer``, the hook it
    replaced (forward AD's), still runs after it."""

    def __init__(self, outer: Any) -> None:
        self.outer = outer
        self.last_op = ""  # the op whose result ``adopt``/``write_out`` receive next

    def record(self, op: OpDef, outs: Sequence[Tensor], inputs: Sequence[Any], attrs: dict | None) -> None:
        self.last_op = op.name
        levels = batched_levels(inputs)
        if levels:
            if op.name in _DYNAMIC_SHAPE_OPS:
                raise RuntimeError(_DYNAMIC_SHAPE % op.name)
            for out in outs:
                out._vmap_levels = levels
        if self.outer is not None:
            self.outer.record(op, outs, inputs, attrs)

    def write(self, op: OpDef | None, out: Tensor, inputs: Sequence[Any], attrs: dict | None, into: Tensor) -> None:
        # (an op recorded without derivatives: a logical one, as torch's rule names it)
        attributes = [v for v in (attrs or {}).values() if isinstance(v, Tensor)]
        _check_write(op.name if op is not None else "logical_and", into, inputs[1:], attributes)
        if self.outer is not None:
            self.outer.write(op, out, inputs, attrs, into)

    def adopt(self, into: Tensor, result: Tensor) -> None:
        _check_write(self.last_op, into, (result,))
        if self.outer is not None:
            self.outer.adopt(into, result)

    def alias(self, out: Tensor, view: Tensor) -> None:
        """``out``, a new tensor, holds ``view``'s values (the ``*_copy`` ops)."""
        out._vmap_levels = view._vmap_levels
        if self.outer is not None:
            self.outer.alias(out, view)

    def write_out(self, out: Tensor, result: Tensor) -> None:
        if batched_levels((out, result)):
            raise RuntimeError(_OUT % _ATEN_OUT.get(self.last_op, self.last_op))
        if self.outer is not None:
            self.outer.write_out(out, result)

    def function(self, cls: Any, ctx: Any, args: tuple, outputs: Any) -> None:
        levels = batched_levels(args)
        if levels:
            for out in outputs if isinstance(outputs, tuple) else (outputs,):
                if isinstance(out, Tensor):
                    out._vmap_levels = levels
        if self.outer is not None:
            self.outer.function(cls, ctx, args, outputs)
