"""In-place ops: torch's refusals, the version counter, and the history of the written tensor."""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from .. import _dtype as D
from .._tensor import Tensor
from ..autograd import grad_mode
from ..autograd.engine import SavedTensor
from .registry import OpDef, make_node, needs_grad, record, save_inputs
from .views import rebase_error, rebase_view

OVERLAP_MESSAGE = ("unsupported operation: more than one element of the written-to tensor refers to a single "
            "memory location. Please clone() the tensor before performing the operation.")


def check_inplace(t: Tensor, inputs: Sequence[Any] = ()) -> None:
    """torch's refusals, when grad mode is on and ``t`` or another input requires grad: writing a view
    whose creation forbids it, a view of a leaf that requires grad, or such a leaf itself."""
    if not grad_mode.STATE.enabled or not (t._requires_grad or needs_grad(inputs)):
        return
    base = t._base
    if base is not None:
        error = rebase_error(t, indirect=False)
        if error is not None:
            raise error
        if t._requires_grad and base._grad_fn is None:
            raise RuntimeError("a view of a leaf Variable that requires grad is being used in an "
                               "in-place operation.")
    if t._requires_grad and t._grad_fn is None:
        raise RuntimeError("a leaf Variable that requires grad is being used in an in-place operation.")


def check_cast(result: D.dtype, out: D.dtype) -> None:
    if not D.can_cast(result, out):
        raise RuntimeError("result type %s can't be cast to the desired output type %s"
                           % (result._cast_name, out._cast_name))


def check_output_shape(t: Tensor, shape: tuple) -> None:
    """An in-place result must fit ``t``: broadcasting may not grow it."""
    if shape != t._data.shape and np.broadcast_shapes(shape, t._data.shape) != t._data.shape:
        raise RuntimeError("output with shape %s doesn't match the broadcast shape %s"
                           % (list(t._data.shape), list(np.broadcast_shapes(shape, t._data.shape))))


def write(t: Tensor, data: Any) -> None:
    """Store ``data`` into ``t``'s own memory (views and base see it) and bump the version."""
    if not t._data.flags.writeable:
        raise RuntimeError(OVERLAP_MESSAGE)
    check_output_shape(t, np.shape(data))
    if data is not t._data:
        np.copyto(t._data, data, casting="unsafe")
    t._vbox[0] += 1


def apply_inplace(op: OpDef, self: Tensor, data: Any, inputs: Sequence[Any], attrs: dict | None = None
                  ) -> Tensor:
    """Write ``data`` (the op's result) into ``self`` (= ``inputs[0]``) and record the op."""
    check_inplace(self, inputs)
    if not needs_grad(inputs):
        write(self, data)
        return self
    node, saves = make_node(op, inputs, attrs)
    if "self" in saves:  # the formula needs self's value from before the write
        old = Tensor._make(self._data.copy())
        old._grad_fn, old._output_nr, old._requires_grad = self._grad_fn, self._output_nr, self._requires_grad
        inputs = (old,) + tuple(inputs[1:])
    saved = save_inputs(node, op, inputs, saves)
    write(self, data)
    if self._base is not None:
        rebase_view(self, node)
    else:
        self._grad_fn = node
        self._output_nr = 0
        self._requires_grad = True
    if "result" in saves:
        saved["result"] = SavedTensor(self, True)
    return self


def finish(op: OpDef, self: Tensor, data: Any, inputs: Sequence[Any], attrs: dict | None, inplace: bool) -> Tensor:
    """An op's result ``data``: written into ``self`` (the in-place form ``op_``) or as a new tensor."""
    if inplace:
        return apply_inplace(op, self, data, inputs, attrs)
    return record(op, data, inputs, attrs)
