"""torch.func's helpers around its tensor wrappers, which minitorch does not have: ``functionalize`` and
``debug_unwrap``.

torch's functionalization replaces every mutation by its out-of-place op and writes the inputs' final values
back into them: what a function returns and what it leaves in its inputs are those of running it as it is,
which is how minitorch runs it (eagerly; there is no graph to trace in which the difference would show), except
that its results never alias its inputs: a result sharing an input's memory is returned as a copy.
"""
from __future__ import annotations

import functools
from typing import Any, Callable

import numpy as np

from .._tensor import Tensor
from ._levels import tracked_by_open_level
from ._pytree import tree_flatten, tree_map
from ._running import batched_levels

_REMOVE_OPTIONS = (
    "Valid options are:\n"
    "     remove='mutations': all inplace and out= operators will be removed from the program, and replaced with "
    "their out-of-place equivalents.\n"
    "     remove='mutations_and_views': In addition to the above, all aliasing operators {view} will be replaced "
    "with their non-aliasing counterparts, {view}_copy.\n")


def functionalize(func: Callable, *, remove: str = "mutations") -> Callable:
    """``func`` with its mutations removed: in eager minitorch, ``func`` itself (see the module docstring)."""
    if remove not in ("mutations", "mutations_and_views"):
        raise RuntimeError(f"functionalize(f, remove='mutations'): received invalid argument for remove={remove}. "
                           + _REMOVE_OPTIONS)

    @functools.wraps(func)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        inputs = [x._data for x in tree_flatten((args, kwargs))[0] if isinstance(x, Tensor)]

        def unaliased(x: Any) -> Any:
            if isinstance(x, Tensor) and any(np.shares_memory(x._data, data) for data in inputs):
                return x.clone()
            return x
        return tree_map(unaliased, func(*args, **kwargs))
    return wrapped


def debug_unwrap(tensor: Tensor, *, recurse: bool = True) -> Tensor:
    """The tensor under torch.func's wrappers. minitorch has none: a tensor a running grad transform differentiates
    comes out detached (as torch's unwrapped value), any other as it is; inside vmap torch would return the whole
    batch, which the one example minitorch runs at a time cannot give."""
    if not isinstance(tensor, Tensor):
        return tensor
    if batched_levels((tensor,)):
        raise NotImplementedError("minitorch.func.debug_unwrap: a tensor batched by a running vmap holds one "
                                  "example (minitorch runs the function per example), not the batch torch returns")
    return tensor.detach() if tensor.requires_grad and tracked_by_open_level(tensor) else tensor
