"""Full backward hooks of a Module (``register_full_backward_hook`` / ``..._pre_hook``).

As in torch, the module's tensor inputs and outputs pass through an identity op
(``BackwardHookFunctionBackward``). The output identity's node sees the gradients with respect to
the outputs (pre-hooks may replace them); the input identity's node sees the gradients with
respect to the inputs, which is when the user hooks run (they may replace those).
"""
from __future__ import annotations

import warnings
from typing import Any, Callable, Sequence

from ..._ops.nn_ops.hook import backward_hook_identity
from ..._tensor import Tensor
from ...autograd import grad_mode


def _pack(indices: Sequence[int], values: Sequence[Any], size: int) -> tuple:
    out: list[Any] = [None] * size
    for i, v in zip(indices, values):
        out[i] = v
    return tuple(out)


class BackwardHook:
    """The hooks of one call of a module."""

    def __init__(self, module: Any, user_hooks: list[Callable], user_pre_hooks: list[Callable]) -> None:
        self.module = module
        self.user_hooks = user_hooks
        self.user_pre_hooks = user_pre_hooks
        self.grad_outputs: tuple | None = None
        self.n_inputs = self.n_outputs = -1
        self.input_index: list[int] | None = None
        self.output_index: list[int] | None = None

    def _wrap(self, values: tuple, on_node: Callable[[Any], None]) -> tuple[tuple, list[int] | None]:
        """Pass the tensors among ``values`` through the identity; ``on_node`` gets its node."""
        index = [i for i, v in enumerate(values) if isinstance(v, Tensor)]
        tensors = [values[i] for i in index]
        if not (grad_mode.STATE.enabled and any(t.requires_grad for t in tensors)):
            return values, None
        wrapped = backward_hook_identity(tensors)
        on_node(next(t.grad_fn for t in wrapped if t.grad_fn is not None))
        out = list(values)
        for i, t in zip(index, wrapped):
            out[i] = t
        return tuple(out), index

    def setup_input_hook(self, args: tuple) -> tuple:
        def on_node(node: Any) -> None:
            node.register_hook(self._input_hook)
        out, self.input_index = self._wrap(args, on_node)
        self.n_inputs = len(args)
        return out

    def _input_hook(self, grad_inputs: tuple, _grad_outputs: tuple) -> tuple | None:
        if self.grad_outputs is None:
            return None
        res = _pack(self.input_index, grad_inputs, self.n_inputs)
        for hook in self.user_hooks:
            out = hook(self.module, res, self.grad_outputs)
            if out is None:
                continue
            if len(out) != len(res):
                raise RuntimeError("Backward hook returned an invalid number of grad_input, got %d, but expected %d"
                                   % (len(out), len(res)))
            res = out
        self.grad_outputs = None
        return tuple(res[i] for i in self.input_index)

    def setup_output_hook(self, result: Any) -> Any:
        def on_node(node: Any) -> None:
            node.register_hook(self._output_hook)
        is_tuple = isinstance(result, tuple)
        values = result if is_tuple else (result,)
        out, self.output_index = self._wrap(values, on_node)
        self.n_outputs = len(values)
        return out if is_tuple else out[0]

    def _output_hook(self, _grad_inputs: tuple, grad_outputs: tuple) -> tuple | None:
        self.grad_outputs = _pack(self.output_index, grad_outputs, self.n_outputs)
        for hook in self.user_pre_hooks:
            new = hook(self.module, self.grad_outputs)
            if new is None:
                continue
            if len(new) != len(self.grad_outputs):
                raise RuntimeError("Backward pre hook returned an invalid number of grad_output, got %d, but "
                                   "expected %d" % (len(new), len(self.grad_outputs)))
            self.grad_outputs = new
        local = self.grad_outputs
        if self.input_index is None:  # no input needs a gradient: the hooks run now, with no grad_input
            warnings.warn("Full backward hook is firing when gradients are computed with respect to module outputs "
                          "since no inputs require gradients. See https://docs.pytorch.org/docs/main/generated/"
                          "torch.nn.Module.html#torch.nn.Module.register_full_backward_hook for more details.",
                          stacklevel=5)
            grad_inputs = _pack([], [], self.n_inputs)
            for hook in self.user_hooks:
                res = hook(self.module, grad_inputs, self.grad_outputs)
                if res is not None and not (isinstance(res, tuple) and all(r is None for r in res)):
                    raise RuntimeError("Backward hook for Modules where no input requires gradient should always "
                                       "return None or None for all gradients.")
            self.grad_outputs = None
        return tuple(local[i] for i in self.output_index)
