"""torch.func.vmap: a function mapped over a dimension of its inputs.

minitorch has no batching rules: the function runs once per example (on ``select``-ed slices, which
keep their autograd history, so ``vmap(grad(f))`` and ``grad`` of a vmapped function work) and the
results are stacked along ``out_dims``. The slices are marked batched while the function runs (see
``_running``), so that what torch's batching rules refuse (``.item()``, data-dependent control flow,
writing a batched value into an unbatched tensor, ``out=``) raises torch's errors. ``randomness`` is
honoured through the default generator: ``'error'`` raises torch's error when an example drew from it,
``'same'`` replays the same random stream for every example, ``'different'`` lets each example draw on.

torch's batching rules draw once for the whole batch (``randn(B, *shape)``, the op on the physical batched
input): its values equal the examples' draws one after the other when the sampler takes the same numbers for
one draw of B*n as for B draws of n (rand, randint, rand_like, dropout, uniform_, randperm, multinomial, and
normal draws while B*n and n are both below 16, or n a multiple of 16). They differ for a normal draw of fewer
than 16 numbers per example whose batch reaches 16 (torch's vectorized normal path takes over), and when a
function makes several random draws ('different': torch draws each for the whole batch in turn, minitorch
interleaves them example by example). 'same' with a batched tensor argument to a random op (bernoulli, normal
with tensor parameters, poisson...) runs where torch refuses it.
"""
from __future__ import annotations

import functools
from typing import Any, Callable

from .._ops.joining import stack
from .._tensor import Tensor
from ..random import get_rng_state, set_rng_state
from ._pytree import LEAF, broadcast_to_and_flatten, tree_flatten, tree_unflatten
from ._running import mark_batched, next_level_number, running

_RANDOM_ERROR = ("vmap: called random operation while in randomness error mode. Please either use the 'same' or "
                 "'different' randomness flags on vmap or perform the randomness operation out of vmap")


def _name(func: Callable) -> str:
    return getattr(func, "__name__", repr(func))


class VmapLevel:
    """One call of a vmapped function: its number and batch size (``running`` while its function runs)."""

    def __init__(self, batch_size: int) -> None:
        self.number = next_level_number()
        self.batch_size = batch_size
        self.running = False


def check_randomness(randomness: str) -> None:
    if randomness not in ("error", "different", "same"):
        raise RuntimeError(f"Only allowed values for randomness are 'error', 'different', or 'same'. Got "
                           f"{randomness}")


def vmap(func: Callable, in_dims: Any = 0, out_dims: Any = 0, randomness: str = "error", *,
         chunk_size: int | None = None) -> Callable:
    """``func`` mapped over dimension ``in_dims`` of its inputs, results stacked at ``out_dims``.
    ``chunk_size`` is accepted: examples run one at a time whatever it is."""
    check_randomness(randomness)
    if chunk_size is not None and (not isinstance(chunk_size, int) or chunk_size <= 0):
        raise ValueError(f"vmap: chunk_size should be None or greater than 0. (got {chunk_size})")

    @functools.wraps(func)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        _check_out_dims(out_dims, func)
        batch_size, flat_in_dims, flat_args, args_spec = _batched_inputs(in_dims, args, func)
        start_state = get_rng_state()
        level = VmapLevel(batch_size)
        results = []
        for i in range(batch_size):
            if randomness == "same":
                set_rng_state(start_state)
            before = get_rng_state() if randomness == "error" else None
            example = [a if d is None else mark_batched(a.select(d, i), level) for a, d in zip(flat_args, flat_in_dims)]
            with running(level):
                results.append(func(*tree_unflatten(example, args_spec), **kwargs))
            if before is not None and not bool((get_rng_state() == before).all()):
                raise RuntimeError(_RANDOM_ERROR)
        return _stack_outputs(results, out_dims, func)
    return wrapped


def _check_out_dims(out_dims: Any, func: Callable) -> None:
    leaves = [out_dims] if isinstance(out_dims, int) else tree_flatten(out_dims)[0]
    for d in leaves:
        if d is not None and not isinstance(d, int):
            raise ValueError(f"vmap({_name(func)}, ..., out_dims={out_dims}): `out_dims` must be an int, None or a "
                             f"python collection of ints representing where in the outputs the vmapped dimension "
                             f"should appear.")


def _batched_inputs(in_dims: Any, args: tuple, func: Callable) -> tuple[int, list, list, Any]:
    head = f"vmap({_name(func)}, in_dims={in_dims}, ...)(<inputs>): "
    if not isinstance(in_dims, (int, tuple)):
        raise ValueError(f"{head}expected `in_dims` to be int or a (potentially nested) tuple matching the "
                         f"structure of inputs, got: {type(in_dims)}.")
    if not args:
        raise ValueError(f"vmap({_name(func)})(<inputs>): got no inputs. Maybe you forgot to add inputs, or you are "
                         f"trying to vmap over a function with no inputs. The latter is unsupported.")
    flat_args, args_spec = tree_flatten(args)
    flat_in_dims = broadcast_to_and_flatten(in_dims, args_spec)
    if flat_in_dims is None:
        raise ValueError(f"{head}in_dims is not compatible with the structure of `inputs`. in_dims has structure "
                         f"{tree_flatten(in_dims)[1]} but inputs has structure {args_spec}.")
    for i, (arg, d) in enumerate(zip(flat_args, flat_in_dims)):
        if not isinstance(d, int) and d is not None:
            raise ValueError(f"{head}Got in_dim={d} for an input but in_dim must be either an integer dimension or "
                             f"None.")
        if isinstance(d, int) and not isinstance(arg, Tensor):
            raise ValueError(f"{head}Got in_dim={d} for an input but the input is of type {type(arg)}. We cannot "
                             f"vmap over non-Tensor arguments, please use None as the respective in_dim")
        if d is not None and not -arg.dim() <= d < arg.dim():
            raise ValueError(f"{head}Got in_dim={d} for some input, but that input is a Tensor of dimensionality "
                             f"{arg.dim()} so expected in_dim to satisfy -{arg.dim()} <= in_dim < {arg.dim()}.")
        if d is not None and d < 0:
            flat_in_dims[i] = d % arg.dim()
    sizes = [arg.size(d) for arg, d in zip(flat_args, flat_in_dims) if d is not None]
    if not sizes:
        raise ValueError("vmap: Expected at least one Tensor to vmap over")
    if any(s != sizes[0] for s in sizes):
        raise ValueError(f"vmap: Expected all tensors to have the same size in the mapped dimension, got sizes "
                         f"{sizes} for the mapped dimension")
    if sizes[0] == 0:
        raise NotImplementedError("minitorch.func.vmap: a mapped dimension of size 0 is not supported (minitorch "
                                  "runs the function once per example)")
    return sizes[0], flat_in_dims, flat_args, args_spec


def _stack_outputs(results: list, out_dims: Any, func: Callable) -> Any:
    spec = tree_flatten(results[0])[1]
    if spec is LEAF and isinstance(results[0], Tensor):
        if isinstance(out_dims, int) or out_dims is None:
            flat_dims = [out_dims]
        elif isinstance(out_dims, tuple) and len(out_dims) == 1:
            flat_dims = list(out_dims)
        else:
            flat_dims = None
    else:
        flat_dims = broadcast_to_and_flatten(out_dims, spec)
    if flat_dims is None:
        raise ValueError(f"vmap({_name(func)}, ..., out_dims={out_dims})(<inputs>): out_dims is not compatible with "
                         f"the structure of `outputs`. out_dims has structure {tree_flatten(out_dims)[1]} but outputs "
                         f"has structure {spec}.")
    per_example = [tree_flatten(r)[0] for r in results]
    name = _name(func)
    outs = []
    for k, d in enumerate(flat_dims):
        values = [flat[k] for flat in per_example]
        if d is None:
            if isinstance(values[0], Tensor) and not all(v is values[0] or v.equal(values[0]) for v in values):
                raise ValueError(f"vmap({name}, ...): `{name}` can not return a BatchedTensor when out_dim is None")
            outs.append(values[0])
            continue
        if not isinstance(values[0], Tensor):
            raise ValueError(f"vmap({name}, ...): `{name}` must only return Tensors, got type {type(values[0])}. "
                             f"Did you mean to set out_dims= to None for output?")
        outs.append(stack(values, d))
    return tree_unflatten(outs, spec)
