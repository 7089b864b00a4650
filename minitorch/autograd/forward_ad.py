"""torch.autograd.forward_ad: dual tensors (a primal carrying a tangent) and one dual level at a time.

While a level is open, every recorded op whose inputs carry tangents gives its output the tangent
J @ tangents. minitorch declares each op's derivatives once, as VJPs, so the JVP is derived from them
exactly: a VJP is linear in its cotangent ``u``, so ``<vjp(u), t>`` is ``<u, J t>`` and its gradient
with respect to ``u`` is ``J t`` (the double-vjp trick, applied op by op). Tangents are differentiable
in reverse mode like any value computed from the primals.
"""
from __future__ import annotations

import weakref
from typing import Any, NamedTuple, Sequence

import numpy as np

from .._tensor import Tensor
from .._tensor_str import TANGENT as _REPR_TANGENT
from .grad_mode import STATE, enable_grad, set_grad_enabled
from .gradients import grad
from .history import replay
from .recording import TANGENT_HOOK, VARIADIC, OpDef

__all__ = ["UnpackedDualTensor", "enter_dual_level", "exit_dual_level", "make_dual", "unpack_dual", "dual_level"]

_current_level = -1
_outer_hook: list = [None]  # the recording hook a dual level replaces (torch.func's), restored at its exit
_duals: list = []  # weak references to the tensors given a tangent at the current level
_busy = [False]  # computing a tangent: the ops it runs are not themselves dual


class UnpackedDualTensor(NamedTuple):
    primal: Tensor
    tangent: Tensor | None


def enter_dual_level() -> int:
    """Open the (only) dual level and return its number, 0."""
    global _current_level
    if _current_level >= 0:
        raise RuntimeError("Nested forward mode AD is not supported at the moment")
    _current_level = 0
    _outer_hook[0] = TANGENT_HOOK[0]
    TANGENT_HOOK[0] = _Propagation
    _REPR_TANGENT[0] = _tangent
    return _current_level


def exit_dual_level(*, level: int | None = None) -> None:
    """Close the dual level: every tangent given or computed in it is dropped."""
    global _current_level
    level = _current_level if level is None else level
    if level < 0:
        raise RuntimeError("Dual level must be a positive number.")
    if level != _current_level:
        raise RuntimeError("Trying to exit a forward AD level that was not the last one that was created. This is "
                           "not supported.")
    for ref in _duals:
        t = ref()
        if t is not None:
            t.__dict__.pop("_fw_tangent", None)
    _duals.clear()
    _REPR_TANGENT[0] = _no_tangent
    TANGENT_HOOK[0] = _outer_hook[0]
    _current_level = -1


class dual_level:
    """``with dual_level():`` opens a dual level for the block."""

    def __enter__(self) -> int:
        return enter_dual_level()

    def __exit__(self, *exc: Any) -> None:
        exit_dual_level()


def _set_tangent(t: Tensor, tangent: Tensor | None) -> None:
    t._fw_tangent = tangent
    _duals.append(weakref.ref(t))


def make_dual(tensor: Tensor, tangent: Tensor, *, level: int | None = None) -> Tensor:
    """A view of ``tensor`` carrying ``tangent`` at the current dual level."""
    if level is None:
        level = _current_level
    if level < 0:
        raise RuntimeError("Trying to create a dual Tensor for forward AD but no level exists, make sure to "
                           "enter_dual_level() first.")
    if not (tensor.is_floating_point() or tensor.is_complex()):
        raise ValueError(f"Expected primal to be floating point or complex, but got: {tensor.dtype}")
    if not (tangent.is_floating_point() or tangent.is_complex()):
        raise ValueError(f"Expected tangent to be floating point or complex, but got: {tangent.dtype}")
    if tangent.shape != tensor.shape:
        raise RuntimeError(f"Trying to set a forward gradient that has a different size than that of the original "
                           f"Tensor, this is not supported. Tensor is of size {list(tensor.shape)} while the given "
                           f"forward gradient is of size {list(tangent.shape)}.")
    with _computing():
        dual = tensor.view_as(tensor)
    _set_tangent(dual, tangent)
    return dual


def unpack_dual(tensor: Tensor, *, level: int | None = None) -> UnpackedDualTensor:
    """``(primal, tangent)``: a view of ``tensor`` without its tangent, and the tangent (None if it has none)."""
    if level is None:
        level = _current_level
    if level < 0:
        return UnpackedDualTensor(tensor, None)
    with _computing():
        primal = tensor.view_as(tensor)
    _set_tangent(primal, None)  # (not its base's either)
    return UnpackedDualTensor(primal, _tangent(tensor))


class _computing:
    """A block whose ops are bookkeeping of forward AD itself, not dual computations."""

    def __enter__(self) -> None:
        self.was = _busy[0]
        _busy[0] = True

    def __exit__(self, *exc: Any) -> None:
        _busy[0] = self.was


# ---- propagation -------------------------------------------------------------------------------
class _Propagation:
    """The recording hook (``recording.TANGENT_HOOK``) while a dual level is open."""

    @staticmethod
    def record(op: OpDef, outs: Sequence[Tensor], inputs: Sequence[Any], attrs: dict | None) -> None:
        """Give the op's floating outputs their tangents."""
        if _busy[0] or not any(o.is_floating_point() or o.is_complex() for o in outs):
            return
        tangents = [_tangent(x) if isinstance(x, Tensor) else None for x in inputs]
        if all(t is None for t in tangents):
            return
        with _computing():
            out_tangents = _jvp(op, outs, inputs, attrs, tangents)
        for out, tangent in zip(outs, out_tangents):
            if out.is_floating_point() or out.is_complex():
                _set_tangent(out, tangent)

    @staticmethod
    def write(op: OpDef | None, out: Tensor, inputs: Sequence[Any], attrs: dict | None, into: Tensor) -> None:
        """``into`` is about to be written in place with ``out``: its tangent becomes ``out``'s."""
        if _busy[0] or not (into.is_floating_point() or into.is_complex()):
            return
        if not (out.is_floating_point() or out.is_complex()):  # a number written (zero_, fill_): into's values
            out = out.to(into.dtype)
        tangents = [_tangent(x) if isinstance(x, Tensor) else None for x in inputs]
        if all(t is None for t in tangents):
            _Propagation.adopt(into, out)  # overwritten by values without tangent
            return
        if op is None:
            raise NotImplementedError("minitorch: forward AD through this in-place op is not supported (it has no "
                                      "derivative formula)")
        if np.shares_memory(out._data, into._data) and _reads_inputs(op, tangents):
            raise NotImplementedError(f"minitorch: forward AD through '{op.name}' is not supported (it writes its "
                                      f"input before its tangent can be computed)")
        with _computing():
            _write_tangent(into, _jvp(op, (out,), inputs, attrs, tangents)[0])

    @staticmethod
    def adopt(into: Tensor, result: Tensor) -> None:
        """``result`` (an op's output, with its tangent if it has one) is written into ``into``."""
        if _busy[0]:
            return
        tangent = _tangent(result)
        if tangent is None and _tangent(into) is None:
            return
        # an in-place view op (t_, squeeze_) gives a root new geometry over the same memory: its views' tangents
        # keep their values
        root = into if into._base is None else into._base
        reshaped = result._base is root
        with _computing():
            _write_tangent(into, tangent if tangent is not None else _zeros(into), refresh_views=not reshaped)


    write_out = alias = adopt

    @staticmethod
    def function(cls: Any, ctx: Any, args: tuple, outputs: Any) -> None:
        """An autograd.Function's outputs get the tangents its ``jvp`` returns (torch's error without one)."""
        if _busy[0]:
            return
        tangents = [_tangent(a) if isinstance(a, Tensor) else None for a in args]
        if all(t is None for t in tangents):
            return
        with _computing():
            out_tangents = cls.jvp(ctx, *tangents)
        outs = outputs if isinstance(outputs, tuple) else (outputs,)
        out_tangents = out_tangents if isinstance(out_tangents, tuple) else (out_tangents,)
        for out, tangent in zip(outs, out_tangents):
            if isinstance(out, Tensor) and tangent is not None:
                _set_tangent(out, tangent)


def _no_tangent(t: Tensor) -> None:
    return None


def _tangent(t: Tensor) -> Tensor | None:
    """``t``'s tangent; a view without one of its own reads its region of its base's (as torch's views of a
    dual tensor do, whenever the base got its tangent)."""
    if "_fw_tangent" in t.__dict__:
        return t.__dict__["_fw_tangent"]
    base = t._base
    if base is None or base.__dict__.get("_fw_tangent") is None:
        return None
    with _computing():
        return replay(base._fw_tangent, t._view_chain)



def _zeros(t: Tensor, requires_grad: bool = False) -> Tensor:
    return Tensor._make(np.zeros(t._data.shape, t._data.dtype), requires_grad)


def _reads_inputs(op: OpDef, tangents: list) -> bool:
    """Whether a VJP the tangents go through reads an input's value."""
    return any(t is not None and (op.vjps[0 if op.inputs is VARIADIC else i].saves - {"result"})
               for i, t in enumerate(tangents))


def _write_tangent(into: Tensor, tangent: Tensor, refresh_views: bool = True) -> None:
    """``into`` was written in place: its tangent becomes ``tangent``, and the region of its base's tangent
    that it covers does. Every other view of that base carrying a tangent (a view of a view written in place,
    the dual tensor make_dual made, a view of a root written whole...) then reads its tangent from the base's
    again, as torch's views of tangents do, rather than keeping the values from before the write
    (``refresh_views=False``: the root was only given new geometry, its views' values are unchanged)."""
    tangent = tangent.to(into.dtype).expand_as(into)
    base = into._base
    if base is None:
        whole = tangent.clone()
        _set_tangent(into, whole)
        if refresh_views:
            for view in _live_duals():
                if view._base is into:
                    view._fw_tangent = replay(whole, view._view_chain)
        return
    views = [t for t in _live_duals() if t._base is base]
    whole = _tangent(base)
    whole = whole.clone() if whole is not None else _zeros(base)
    for view in views:  # (a view given its own tangent by make_dual holds its region's values)
        replay(whole, view._view_chain).copy_(_tangent(view))
    replay(whole, into._view_chain).copy_(tangent)
    _set_tangent(base, whole)
    for view in views:
        view._fw_tangent = replay(whole, view._view_chain)
    if not any(view is into for view in views):
        _set_tangent(into, replay(whole, into._view_chain))


def _live_duals() -> list[Tensor]:
    """The tensors given a tangent at the current level that are still alive (each once)."""
    seen: dict[int, Tensor] = {}
    for ref in _duals:
        t = ref()
        if t is not None and t.__dict__.get("_fw_tangent") is not None:
            seen.setdefault(id(t), t)
    return list(seen.values())


def _jvp(op: OpDef, outs: Sequence[Tensor], inputs: Sequence[Any], attrs: dict | None, tangents: list) -> list:
    """The outputs' tangents ``J @ tangents``, by differentiating the op's VJPs against their cotangents."""
    create_graph = STATE.enabled and any(isinstance(x, Tensor) and x.requires_grad
                                         for x in list(inputs) + tangents)
    with enable_grad():
        cotangents = [_zeros(o, requires_grad=True) for o in outs]
        cot = cotangents[0] if op.num_outputs == 1 else tuple(cotangents)
        total = None
        for i, (x, t) in enumerate(zip(inputs, tangents)):
            if t is None:
                continue
            vjp = op.vjps[0 if op.inputs is VARIADIC else i]
            if vjp is None:
                raise NotImplementedError(f"Trying to use forward AD with {op.name} that does not support it because "
                                          f"it has not been implemented yet.")
            g = vjp.fn(cot, **_vjp_arguments(vjp, op, i, inputs, outs, attrs))
            if g is not None:
                term = (g * t).sum()
                total = term if total is None else total + term
        with set_grad_enabled(create_graph):
            pushed = grad([total], cotangents, allow_unused=True, create_graph=create_graph) \
                if total is not None and total.requires_grad else (None,) * len(outs)
    return [p if p is not None else _zeros(o) for p, o in zip(pushed, outs)]


def _vjp_arguments(vjp: Any, op: OpDef, i: int, inputs: Sequence[Any], outs: Sequence[Tensor],
                   attrs: dict | None) -> dict:
    """What the VJP's parameters name, read from the call (as ``OpNode`` reads them from what it saved)."""
    args = {}
    for name, kind, key in vjp.params:
        if kind == "index":
            args[name] = i
        elif kind == "node":  # (no node: a joint VJP computes its own input's gradient alone)
            args[name] = None
        elif kind == "attr" or key in op.saved_attrs or key in op.saved_outputs:
            args[name] = attrs[key]
        elif kind == "shape":
            args[name] = inputs[key]._data.shape
        elif key == "result":
            args[name] = outs[0] if op.num_outputs == 1 else tuple(outs)
        elif key == "inputs":
            args[name] = tuple(inputs)
        else:
            args[name] = inputs[op.index[key]]
    return args
