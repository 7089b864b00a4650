"""torch.autograd.graph: the graph's node type, gradient edges, and saved-tensor hooks."""
from __future__ import annotations

from typing import Any, Callable, NamedTuple

from .engine import SAVED_HOOKS, Node  # noqa: F401  (Node: for isinstance checks)
from .history import gradient_edge


class GradientEdge(NamedTuple):
    """An edge of the graph: a node and which of its inputs (torch's ``output_nr``)."""

    node: Any
    output_nr: int


def get_gradient_edge(tensor: Any) -> GradientEdge:
    """The edge a gradient flowing into ``tensor`` would take; usable as an input of autograd.grad."""
    if not tensor.requires_grad:
        raise RuntimeError("It is not possible to get the gradient edge for a Tensor that does not require "
                           "gradients")
    return GradientEdge(*gradient_edge(tensor))


def increment_version(tensor: Any) -> None:
    """Bump the version counter, as an in-place write would."""
    tensor._vbox[0] += 1


class saved_tensors_hooks:
    """Inside the block, tensors saved for backward go through ``pack_hook`` when saved and
    ``unpack_hook`` when a backward needs them."""

    def __init__(self, pack_hook: Callable[[Any], Any], unpack_hook: Callable[[Any], Any]) -> None:
        self.pack_hook = pack_hook
        self.unpack_hook = unpack_hook

    def __enter__(self) -> None:
        if SAVED_HOOKS.disabled is not None:
            raise RuntimeError(SAVED_HOOKS.disabled)
        SAVED_HOOKS.stack.append((self.pack_hook, self.unpack_hook))

    def __exit__(self, *args: Any) -> None:
        SAVED_HOOKS.stack.pop()


class save_on_cpu(saved_tensors_hooks):
    """Saved tensors live on the CPU, which is where minitorch keeps every tensor: hooks that copy."""

    def __init__(self, pin_memory: bool = False, device_type: str = "cuda") -> None:
        super().__init__(lambda t: t.detach().clone(), lambda t: t)


class disable_saved_tensors_hooks:
    """Registering saved-tensor hooks inside the block raises ``RuntimeError(error_message)``."""

    def __init__(self, error_message: str) -> None:
        self.error_message = error_message

    def __enter__(self) -> None:
        self.prev = SAVED_HOOKS.disabled
        SAVED_HOOKS.disabled = self.error_message

    def __exit__(self, *args: Any) -> None:
        SAVED_HOOKS.disabled = self.prev
