"""One level of a torch.func autodiff transform, on minitorch's reverse-mode autograd.

Each call of a transformed function opens a level: the inputs it differentiates become fresh
differentiable tensors (a leaf of the level's own, or a view when an enclosing level or the user's
autograd already tracks them), the function runs with grad enabled and its graph is differentiated with
``create_graph=True``, so that an enclosing transform can differentiate the result again
(``jacrev(jacrev(f))``, ``vmap(grad(f))``). A result leaves the level detached unless its graph reaches
a tensor the level does not own: then something outside still differentiates through it.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

from .._creation import zeros_like
from .._tensor import Tensor
from ..autograd.engine import AccumulateGrad
from ..autograd.functional import _autograd_grad
from ..autograd.grad_mode import is_grad_enabled
from ._pytree import tree_flatten, tree_map
from ._running import next_level_number, running

_OPEN: set[int] = set()  # the levels whose transform is running


class Level:
    """A context: the transform's call. The leaves it creates carry its number (``_func_level``)."""

    def __init__(self) -> None:
        self.outer_grad = is_grad_enabled()  # torch.func ignores an enclosing no_grad for its own graph
        self.number = next_level_number()
        self.running = False
        self.arguments: set[int] = set()  # ids of the tensors the function is given: not captured ones

    def __enter__(self) -> "Level":
        _OPEN.add(self.number)
        return self

    def __exit__(self, *exc: Any) -> None:
        _OPEN.discard(self.number)

    def call(self, func: Callable, *args: Any, **kwargs: Any) -> Any:
        """``func(*args, **kwargs)``: the transformed function, run with its mutations watched (``_running``)."""
        self.arguments = {id(x) for x in tree_flatten((args, kwargs))[0] if isinstance(x, Tensor)}
        with running(self):
            return func(*args, **kwargs)

    def track(self, x: Any) -> Tensor:
        """``x`` made differentiable at this level."""
        if not isinstance(x, Tensor):
            raise ValueError(f"Thing passed to transform API must be Tensor, got {type(x)}")
        if self.outer_grad and x.requires_grad:
            tracked = x.view_as(x)
        else:
            tracked = x.detach()
            tracked.requires_grad = True  # (the setter: requires_grad_() is refused inside an enclosing transform)
            tracked._func_level = self.number
        return tracked

    def release(self, x: Any) -> Any:
        """A tensor leaving the level: detached unless it depends on something outside the level."""
        if isinstance(x, Tensor) and x.requires_grad and not (self.outer_grad and self._reaches_outside(x)):
            return x.detach()
        return x

    def release_tensors(self, tree: Any) -> Any:
        """``release`` over a tree of tensors (the aux output: torch accepts tensors only)."""
        def unwrap(x: Any) -> Any:
            if not isinstance(x, Tensor):
                raise RuntimeError(f"Expected tensors, got unsupported type {type(x)}")
            return self.release(x)
        return tree_map(unwrap, tree)

    def _outside(self, t: Tensor) -> bool:
        """Whether ``t`` is a leaf something outside differentiates against: a user's tensor or the leaf
        of an enclosing level still running (not this level's, nor a finished inner level's)."""
        level = getattr(t, "_func_level", None)
        return level is None or level != self.number and level in _OPEN

    def _reaches_outside(self, x: Tensor) -> bool:
        return _reaches(x, self._outside)


def tracked_by_open_level(x: Tensor) -> bool:
    """Whether ``x`` is differentiated by a transform still running: its graph reaches one of its leaves."""
    return _reaches(x, lambda t: getattr(t, "_func_level", None) in _OPEN)


def _reaches(x: Tensor, is_target: Callable[[Tensor], bool]) -> bool:
    """Whether ``x`` (a leaf) or a leaf of its graph is a target."""
    if x.grad_fn is None:
        return is_target(x)
    seen = set()
    stack = [x.grad_fn]
    while stack:
        node = stack.pop()
        if isinstance(node, AccumulateGrad):
            if is_target(node.variable):
                return True
            continue
        for nxt, _ in node.next_functions:
            if nxt is not None and id(nxt) not in seen:
                seen.add(id(nxt))
                stack.append(nxt)
    return False


def autograd_grad(outputs: Sequence[Tensor], inputs: Sequence[Tensor], grad_outputs: Sequence[Any] | None = None,
                  retain_graph: bool | None = None, create_graph: bool = True) -> tuple:
    """torch.func's autograd.grad: over the outputs that require grad, zeros for unused inputs."""
    grads = _autograd_grad(tuple(outputs), tuple(inputs), None if grad_outputs is None else tuple(grad_outputs),
                           create_graph=create_graph, retain_graph=retain_graph)
    return tuple(zeros_like(x) if g is None else g for g, x in zip(grads, inputs))
