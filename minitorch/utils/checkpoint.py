"""torch.utils.checkpoint: trade compute for memory by recomputing a region's activations in
backward instead of keeping them.

Two variants, as in torch:

* ``use_reentrant=True``: the region runs under no_grad inside an ``autograd.Function``
  (``CheckpointFunctionBackward``), which keeps only its tensor inputs; its backward reruns the
  region with grad enabled and backpropagates through that fresh graph.
* ``use_reentrant=False``: the region runs with grad, so its graph (and grad_fn names) are the usual
  ones, but under ``saved_tensors_hooks`` that keep only an index per saved tensor; the first
  backward use of any of them reruns the region up to the last saved tensor and hands out the
  recomputed values.

Both rerun the region with the random state of the forward restored (``preserve_rng_state``), and
leave the global random stream as they found it.
"""
from __future__ import annotations

import contextlib
import warnings
from typing import Any, Callable, ContextManager, Iterable

from ..autograd import backward as _backward
from ..autograd.engine import SavedTensor
from ..autograd.function import Function
from ..autograd.grad_mode import enable_grad, is_grad_enabled
from ..autograd.graph import saved_tensors_hooks
from ..nn.modules.container import Sequential
from ..random import fork_rng, get_rng_state, set_rng_state
from .._tensor import Tensor

__all__ = ["checkpoint", "checkpoint_sequential", "CheckpointError", "CheckpointFunction", "check_backward_validity",
           "detach_variable", "noop_context_fn"]

_DEBUG_TIP = (
    "\nTip: To see a more detailed error message, either pass `debug=True` to\n"
    "`torch.utils.checkpoint.checkpoint(...)` or wrap the code block\n"
    "with `with torch.utils.checkpoint.set_checkpoint_debug_enabled(True):` to\n"
    "enable checkpoint\u2011debug mode globally.\n\n"
    "If this error occurs under torch.compile with automatic_dynamic_shapes enabled,\n"
    "it may be because the recomputation selected a different compiled graph than the\n"
    "forward pass (e.g., a dynamic graph instead of the original static graph).\n"
    "To fix this, either:\n"
    "  - Use torch._dynamo.mark_dynamic() to explicitly mark varying dimensions as\n"
    "    dynamic upfront, avoiding the static-to-dynamic transition.\n"
    "  - Call torch._C._dynamo.eval_frame._set_lru_cache(False) to disable LRU cache\n"
    "    reordering, which can change which graph is checked first between forward\n"
    "    and recompute.\n"
    "See https://github.com/pytorch/pytorch/issues/166926 for more details and\n"
    "workaround examples.\n")


class CheckpointError(RuntimeError):
    """The recomputation saved different tensors than the forward did."""


def noop_context_fn() -> tuple[ContextManager, ContextManager]:
    return contextlib.nullcontext(), contextlib.nullcontext()


def detach_variable(inputs: tuple) -> tuple:
    """Detached copies of the tensors in ``inputs`` that keep their ``requires_grad``."""
    if not isinstance(inputs, tuple):
        raise RuntimeError("Only tuple of tensors is supported. Got Unsupported input type: ",
                           type(inputs).__name__)
    out = []
    for inp in inputs:
        if not isinstance(inp, Tensor):
            out.append(inp)
            continue
        x = inp.detach()
        x.requires_grad = inp.requires_grad
        out.append(x)
    return tuple(out)


def check_backward_validity(inputs: Iterable[Any]) -> None:
    if not any(inp.requires_grad for inp in inputs if isinstance(inp, Tensor)):
        warnings.warn("None of the inputs have requires_grad=True. Gradients will be None", stacklevel=2)


@contextlib.contextmanager
def _forward_random_state(state: Any) -> Any:
    """Run the block from the random state ``state`` (None: as is); restore the current one after."""
    with fork_rng(enabled=state is not None):
        if state is not None:
            set_rng_state(state)
        yield


class CheckpointFunction(Function):
    """The reentrant variant: forward without a graph, backward by rerunning with one."""

    @staticmethod
    def forward(ctx: Any, run_function: Callable, preserve_rng_state: bool, *args: Any) -> Any:
        check_backward_validity(args)
        ctx.run_function = run_function
        ctx.fwd_rng_state = get_rng_state() if preserve_rng_state else None
        ctx.inputs = [None if isinstance(a, Tensor) else a for a in args]
        ctx.tensor_indices = [i for i, a in enumerate(args) if isinstance(a, Tensor)]
        ctx.save_for_backward(*(a for a in args if isinstance(a, Tensor)))
        return run_function(*args)  # apply runs forward without recording

    @staticmethod
    def backward(ctx: Any, *grads: Any) -> tuple:
        inputs = list(ctx.inputs)
        for i, t in zip(ctx.tensor_indices, ctx.saved_tensors):
            inputs[i] = t
        with _forward_random_state(ctx.fwd_rng_state):
            detached = detach_variable(tuple(inputs))
            with enable_grad():
                outputs = ctx.run_function(*detached)
        if isinstance(outputs, Tensor):
            outputs = (outputs,)
        pairs = [(out, g) for out, g in zip(outputs, grads) if isinstance(out, Tensor) and out.requires_grad]
        if not pairs:
            raise RuntimeError("none of output has requires_grad=True, this checkpoint() is not necessary")
        _backward([out for out, _ in pairs], [g for _, g in pairs])
        return (None, None) + tuple(x.grad if isinstance(x, Tensor) else None for x in detached)


class _StopRecomputation(Exception):
    """Raised by the recomputation's pack hook once every saved tensor has been recomputed."""


def _metadata(t: Tensor) -> dict:
    return {"shape": t.shape, "dtype": t.dtype, "device": t.device}


class _CheckpointFrame:
    """The non-reentrant variant's record of one checkpointed forward: its inputs (version-checked
    when reused), the metadata of each tensor its graph saved, and recomputed values not yet
    handed out."""

    def __init__(self, fn: Callable, args: tuple, kwargs: dict, rng_state: Any, recompute_context: ContextManager,
                 early_stop: bool, check_metadata: bool) -> None:
        self.fn, self.kwargs = fn, kwargs
        self.saved_args = [SavedTensor(a, False) if isinstance(a, Tensor) else a for a in args]
        self.rng_state = rng_state
        self.recompute_context = recompute_context
        self.early_stop = early_stop
        self.check_metadata = check_metadata
        self.saved_metadata: list[dict] = []
        self.recomputed: dict[int, Tensor] = {}

    def pack(self, tensor: Tensor) -> int:
        """Keep an index instead of the tensor."""
        self.saved_metadata.append(_metadata(tensor))
        return len(self.saved_metadata) - 1

    def unpack(self, index: int) -> Tensor:
        if index not in self.recomputed:
            self._recompute()
        return self.recomputed.pop(index)

    def _recompute(self) -> None:
        values: list[Tensor] = []
        expected = len(self.saved_metadata)

        def keep(t: Tensor) -> None:
            values.append(t.detach())
            if self.early_stop and len(values) == expected:
                raise _StopRecomputation

        args = [a.unpack(None) if isinstance(a, SavedTensor) else a for a in self.saved_args]
        with _forward_random_state(self.rng_state), enable_grad(), self.recompute_context:
            try:
                with saved_tensors_hooks(keep, lambda t: t):
                    self.fn(*args, **self.kwargs)
            except _StopRecomputation:
                pass
        self._check(values)
        self.recomputed = dict(enumerate(values))

    def _check(self, values: list[Tensor]) -> None:
        if len(values) > len(self.saved_metadata):
            raise CheckpointError("torch.utils.checkpoint: trying to save more tensors during recomputation than "
                                  f"during the original forward pass.\n{_DEBUG_TIP}")
        if len(values) < len(self.saved_metadata):
            raise CheckpointError("torch.utils.checkpoint: A different number of tensors was saved during the "
                                  "original forward and recomputation.\n"
                                  f"Number of tensors saved during forward: {len(self.saved_metadata)}\n"
                                  f"Number of tensors saved during recomputation: {len(values)}.\n{_DEBUG_TIP}")
        if not self.check_metadata:
            return
        mismatched = "".join(f"tensor at position {i}:\nsaved metadata: {saved}\nrecomputed metadata: {_metadata(v)}\n"
                             for i, (saved, v) in enumerate(zip(self.saved_metadata, values))
                             if saved != _metadata(v))
        if mismatched:
            raise CheckpointError("torch.utils.checkpoint: Recomputed values for the following tensors have "
                                  f"different metadata than during the forward pass.\n{mismatched}.\n{_DEBUG_TIP}")


_DETERMINISM_CHECKS = ("default", "none")


def _checkpoint_without_reentrant(function: Callable, preserve_rng_state: bool, context_fn: Callable,
                                  determinism_check: str, early_stop: bool, args: tuple, kwargs: dict) -> Any:
    if determinism_check not in _DETERMINISM_CHECKS:
        raise ValueError(f"determinism_check should be one of {list(_DETERMINISM_CHECKS)}, but got "
                         f"{determinism_check}")
    forward_context, recompute_context = context_fn()
    rng_state = get_rng_state() if preserve_rng_state else None
    if not is_grad_enabled():  # no graph, nothing to recompute
        return function(*args, **kwargs)
    frame = _CheckpointFrame(function, args, kwargs, rng_state, recompute_context, early_stop,
                             determinism_check == "default")
    with saved_tensors_hooks(frame.pack, frame.unpack), forward_context:
        return function(*args, **kwargs)


def checkpoint(function: Callable, *args: Any, use_reentrant: bool | None = None,
               context_fn: Callable[[], tuple[ContextManager, ContextManager]] = noop_context_fn,
               determinism_check: str = "default", debug: bool = False, early_stop: bool = True,
               **kwargs: Any) -> Any:
    """``function(*args, **kwargs)``, with its activations recomputed in backward instead of kept.
    ``debug`` is accepted but adds nothing to the errors."""
    if use_reentrant is None:
        warnings.warn("torch.utils.checkpoint: the use_reentrant parameter should be passed explicitly. Starting in "
                      "PyTorch 2.9, calling checkpoint without use_reentrant will raise an exception. "
                      "use_reentrant=False is recommended, but if you need to preserve the current default behavior, "
                      "you can pass use_reentrant=True. Refer to docs for more details on the differences between "
                      "the two variants.", stacklevel=2)
        use_reentrant = True
    preserve = kwargs.pop("preserve_rng_state", True)
    if kwargs and use_reentrant:
        raise ValueError("Unexpected keyword arguments: " + ",".join(kwargs))
    if not use_reentrant:
        return _checkpoint_without_reentrant(function, preserve, context_fn, determinism_check, early_stop, args,
                                             kwargs)
    if context_fn is not noop_context_fn or debug is not False:
        raise ValueError("Passing `context_fn` or `debug` is only supported when use_reentrant=False.")
    return CheckpointFunction.apply(function, preserve, *args)


def checkpoint_sequential(functions: Sequential | list, segments: int, input: Any, use_reentrant: bool | None = None,
                          **kwargs: Any) -> Any:
    """Run ``functions`` one after another in ``segments`` pieces, checkpointing all but the last."""
    if use_reentrant is None:
        warnings.warn("torch.utils.checkpoint.checkpoint_sequential: the use_reentrant parameter should be passed "
                      "explicitly. In version 2.9 we will raise an exception if use_reentrant is not passed. "
                      "use_reentrant=False is recommended, but if you need to preserve the current default "
                      "behavior, you can pass use_reentrant=True. Refer to docs for more details on the "
                      "differences between the two variants.", stacklevel=2)
        use_reentrant = True
    preserve = kwargs.pop("preserve_rng_state", True)
    if kwargs:
        raise ValueError("Unexpected keyword arguments: " + ",".join(kwargs))

    def run(start: int, end: int) -> Callable[[Any], Any]:
        def forward(x: Any) -> Any:
            for f in functions[start:end + 1]:
                x = f(x)
            return x
        return forward

    if isinstance(functions, Sequential):
        functions = list(functions.children())
    size = len(functions) // segments
    end = -1
    for start in range(0, size * (segments - 1), size):
        end = start + size - 1
        input = checkpoint(run(start, end), input, use_reentrant=use_reentrant, preserve_rng_state=preserve)
    return run(end + 1, len(functions) - 1)(input)
