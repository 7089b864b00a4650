"""Custom differentiable operations: ``torch.autograd.Function``.

A Function subclass gets, at class creation, a node class ``<Name>Backward``. ``apply`` makes one
such node, which is also the ``ctx`` that ``forward`` / ``setup_context`` fill in (as in torch, where
``ctx`` is the grad_fn). Forward runs without recording; its outputs are then given the node as
their history. The engine calls the node's ``apply`` with one gradient per forward output; it runs
the user's ``backward`` (recording, under ``create_graph``, so double backward works) and maps its
per-argument results onto the node's per-tensor-input edges.
"""
from __future__ import annotations

import functools
import inspect
import warnings
from typing import Any, Callable

from .. import _dtype as D
from .._tensor import Tensor, grad_dtype_of
from . import grad_mode
from .engine import FREED_MESSAGE, Node, SavedTensor, grad_accumulator, zeros_from_meta
from .history import gradient_edge, rebase_view, requires_grad
from .recording import TANGENT_HOOK


class FunctionCtx:
    """What ``forward`` / ``setup_context`` may call on ``ctx``."""

    def save_for_backward(self, *tensors: Tensor | None) -> None:
        for i, t in enumerate(tensors):
            if t is not None and not isinstance(t, Tensor):
                raise TypeError("save_for_backward can only save variables, but argument %d is of type %s"
                                % (i, type(t).__name__))
        self.to_save = tensors

    def save_for_forward(self, *tensors: Tensor | None) -> None:
        self.saved_for_forward = tensors

    def mark_dirty(self, *args: Tensor) -> None:
        """Declare inputs that ``forward`` modified in place (they must be returned)."""
        self.dirty_tensors = args

    def mark_shared_storage(self, *pairs: Any) -> None:
        warnings.warn("mark_shared_storage is deprecated. Tensors with shared storages are automatically "
                      "tracked. Note that calls to `set_()` are not tracked", DeprecationWarning, stacklevel=2)

    def mark_non_differentiable(self, *args: Tensor) -> None:
        """Declare outputs that get no gradient (they do not require grad)."""
        self.non_differentiable = args

    def set_materialize_grads(self, value: bool) -> None:
        """Whether ``backward`` gets zeros (default) or None for outputs that received no gradient."""
        self._materialize_grads = value


class BackwardCFunction(Node, FunctionCtx):
    """The node (and ctx) of one ``Function.apply`` call. Subclassed per Function as ``<Name>Backward``."""

    _forward_cls: type

    def __init__(self) -> None:
        super().__init__((), ())
        self._saved = ()
        self.to_save: tuple = ()
        self.dirty_tensors: tuple = ()
        self.non_differentiable: tuple = ()
        self._materialize_grads = True
        self.needs_input_grad: tuple = ()
        self._arg_is_tensor: tuple = ()

    def __repr__(self) -> str:
        return "<torch.autograd.function.%s object at %#x>" % (type(self).__name__, id(self))

    @property
    def saved_tensors(self) -> tuple:
        if self._saved is None:
            raise RuntimeError(FREED_MESSAGE)
        return tuple(None if s is None else s.unpack(self) for s in self._saved)

    @property
    def saved_variables(self) -> tuple:
        warnings.warn("'saved_variables' is deprecated; use 'saved_tensors'", DeprecationWarning, stacklevel=2)
        return self.saved_tensors

    def apply(self, grads: list) -> list:
        if self._materialize_grads:
            grads = [zeros_from_meta(meta) if g is None and meta is not None else g
                     for g, meta in zip(grads, self._out_meta)]
        cls = self._forward_cls
        if cls.vjp is not Function.vjp and cls.backward is not Function.backward:
            raise RuntimeError("Implementing both 'backward' and 'vjp' for a custom Function is not allowed. "
                               "You should only implement one of them.")
        user_fn = cls.vjp if cls.vjp is not Function.vjp else cls.backward
        result = user_fn(self, *grads)
        return self._per_edge(result if isinstance(result, tuple) else (result,))

    def _per_edge(self, result: tuple) -> list:
        """Check ``backward``'s results (one per forward argument) and keep those of tensor arguments."""
        n = len(self._arg_is_tensor)
        if len(result) > n and all(r is None for r in result[n:]):
            result = result[:n]
        out = []
        for i, r in enumerate(result):
            if r is not None and not isinstance(r, Tensor):
                raise RuntimeError("expected Variable or None (got %s)" % type(r).__name__)
            if i < n and not self._arg_is_tensor[i]:
                if r is not None:
                    raise RuntimeError("function %s returned a gradient different than None at position %d, but "
                                       "the corresponding forward input was not a Variable" % (self.name(), i + 1))
                continue
            out.append(r)
        if len(result) != n:
            raise RuntimeError("function %s returned an incorrect number of gradients (expected %d, got %d)"
                               % (self.name(), n, len(result)))
        return out


class FunctionMeta(type):
    """Gives every Function subclass its node class, named ``<ClassName>Backward`` as in torch."""

    def __init__(cls, name: str, bases: tuple, attrs: dict) -> None:
        cls._backward_cls = type(name + "Backward", (BackwardCFunction,), {"_forward_cls": cls})
        super().__init__(name, bases, attrs)


class Function(metaclass=FunctionMeta):
    """Base class of custom differentiable operations; use ``MyFunction.apply(*args)``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        warnings.warn("%s should not be instantiated. Methods on autograd functions are all static, so you should "
                      "invoke them on the class itself. Instantiating an autograd function will raise an error "
                      "in a future version of PyTorch." % type(self), DeprecationWarning, stacklevel=2)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("Legacy autograd function with non-static forward method is deprecated. Please use "
                           "new-style autograd function with static forward method. (Example: "
                           "https://pytorch.org/docs/stable/autograd.html#torch.autograd.Function)")

    @staticmethod
    def forward(*args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("You must implement the forward function for custom autograd.Function.")

    @staticmethod
    def setup_context(ctx: Any, inputs: tuple, output: Any) -> Any:
        raise NotImplementedError("setup_context is not implemented.")

    @staticmethod
    def backward(ctx: Any, *grad_outputs: Any) -> Any:
        raise NotImplementedError("You must implement either the backward or vjp method for your custom "
                                  "autograd.Function to use it with backward mode AD.")

    vjp = backward

    @staticmethod
    def jvp(ctx: Any, *grad_inputs: Any) -> Any:
        raise NotImplementedError("You must implement the jvp function for custom autograd.Function to use it "
                                  "with forward mode AD.")

    @classmethod
    def apply(cls, *args: Any, **kwargs: Any) -> Any:
        setup_style = cls.setup_context is not Function.setup_context
        if setup_style:  # forward(*inputs) without ctx; setup_context sees every argument, defaults included
            bound = inspect.signature(cls.forward).bind(*args, **kwargs)
            bound.apply_defaults()
            args, kwargs = bound.args, {}
        ctx = cls._backward_cls()
        ctx._arg_is_tensor = tuple(isinstance(a, Tensor) for a in args)
        ctx.needs_input_grad = tuple(isinstance(a, Tensor) and requires_grad(a) for a in args)
        executable = grad_mode.STATE.enabled and any(ctx.needs_input_grad)
        if executable:  # the inputs' edges as they are before forward runs (it may write them in place)
            tensors = [(a, need) for a, need in zip(args, ctx.needs_input_grad) if isinstance(a, Tensor)]
            ctx.next_functions = tuple(gradient_edge(a) if need else (None, 0) for a, need in tensors)
            ctx._input_meta = tuple((a._data.shape, grad_dtype_of(a)) if need else None for a, need in tensors)
        with grad_mode.no_grad():
            if setup_style:
                output = cls.forward(*args)
                cls.setup_context(ctx, args, output)
            else:
                output = cls.forward(ctx, *args, **kwargs)
        result = _wrap_outputs(ctx, args, output, executable)
        if TANGENT_HOOK[0] is not None:  # forward AD: the outputs' tangents come from the Function's jvp
            TANGENT_HOOK[0].function(cls, ctx, args, result)
        return result


class InplaceFunction(Function):
    """Kept for backward compatibility, as in torch."""

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace


def _alias(t: Tensor) -> Tensor:
    """A new tensor on ``t``'s memory and version counter, outside the graph."""
    out = Tensor._make(t._data)
    out._vbox = t._vbox
    return out


def _wrap_outputs(ctx: BackwardCFunction, args: tuple, output: Any, executable: bool) -> Any:
    """Give forward's tensor outputs their history (torch's rules for dirty, non-differentiable and
    returned-input outputs), then save what ``save_for_backward`` named."""
    outputs = output if isinstance(output, tuple) else (output,)
    inputs = {id(a) for a in args if isinstance(a, Tensor)}
    dirty = {id(t) for t in ctx.dirty_tensors}
    if not dirty <= {id(o) for o in outputs}:
        raise RuntimeError("Some elements marked as dirty during the forward method were not returned as output. "
                           "The inputs that are modified inplace must all be outputs of the Function.")
    if executable and any(t._base is not None for t in ctx.dirty_tensors):
        _check_dirty_view(ctx, args, outputs)
    non_diff = {id(t) for t in ctx.non_differentiable}
    wrapped = []
    for nr, o in enumerate(outputs):
        if isinstance(o, Tensor):
            o = _set_history(ctx, o, nr, id(o) in inputs, id(o) in dirty,
                             executable and id(o) not in non_diff and o.dtype.category >= D.FLOATING)
        wrapped.append(o)
    if executable:
        ctx._out_meta = tuple((o._data.shape, o.dtype) if isinstance(o, Tensor) else None for o in wrapped)
        ctx._saved = tuple(None if t is None else SavedTensor(t, t._grad_fn is ctx) for t in ctx.to_save)
    return tuple(wrapped) if isinstance(output, tuple) else wrapped[0]


def _check_dirty_view(ctx: BackwardCFunction, args: tuple, outputs: tuple) -> None:
    if sum(isinstance(o, Tensor) for o in outputs) > 1:
        raise RuntimeError(
            "If your Function modifies inplace an input that is a view of another Tensor, your Function cannot "
            "return more than one Tensor. This is not supported by the current autograd engine. You should either "
            "make sure the input is not a view (using .clone() for example) or make your Function only return one "
            "Tensor (potentially splitting it into two Functions: one doing the inplace that returns that input "
            "and one doing the other operations that returns the second Tensor).")
    # CopySlices sends the written region's gradient through the node's first edge
    if next(a for a in args if isinstance(a, Tensor)) is not ctx.dirty_tensors[0] or len(ctx.dirty_tensors) > 1:
        raise NotImplementedError("minitorch: a Function may modify in place a view only when that view is its "
                                  "first tensor argument")


def _set_history(ctx: BackwardCFunction, o: Tensor, nr: int, is_input: bool, is_dirty: bool,
                 differentiable: bool) -> Tensor:
    if not differentiable:
        if not o._requires_grad:
            return _alias(o) if is_input and not is_dirty else o
        return o.detach() if is_input else o.detach_()
    if is_dirty:
        if o._grad_fn is None and o._requires_grad:
            raise RuntimeError("a leaf Variable that requires grad has been used in an in-place operation.")
        if not is_input:
            warnings.warn("Only input Tensors should be given to ctx.mark_dirty(). If a Tensor is not an input, "
                          "there is no need to pass it to mark_dirty().", stacklevel=4)
        o._grad = None
        o._vbox[0] += 1  # as torch: marking dirty bumps the version once more
        if o._base is not None:  # the base's history now goes through the Function (CopySlices)
            rebase_view(o, ctx)
            return o
    elif is_input:
        o = _alias(o)
    o._grad_fn = ctx
    o._output_nr = nr
    o._requires_grad = True
    return o


class Error(Node):
    """The history of gradients computed by a ``once_differentiable`` backward that another
    differentiation would need: running it raises torch's error (torch's ``DelayedError`` node)."""

    def __init__(self, message: str, edges: tuple, meta: tuple) -> None:
        super().__init__(edges, meta)
        self._out_meta = meta
        self._message = message

    def name(self) -> str:
        return "torch::autograd::Error"

    def apply(self, grads: list) -> list:
        raise RuntimeError(self._message)


def once_differentiable(fn: Callable) -> Callable:
    """Run ``backward`` without recording; its results refuse a further differentiation."""
    @functools.wraps(fn)
    def wrapper(ctx: Any, *args: Any, **kwargs: Any) -> Any:
        with grad_mode.no_grad():
            outputs = fn(ctx, *args, **kwargs)
        if not grad_mode.STATE.enabled or not any(isinstance(a, Tensor) and requires_grad(a) for a in args):
            return outputs
        outs = outputs if isinstance(outputs, tuple) else (outputs,)
        # as torch: the node's inputs are detached copies of the results made to require grad
        leaves = [o.detach().requires_grad_() for o in outs if o is not None]
        node = Error("trying to differentiate twice a function that was marked with @once_differentiable",
                     tuple((grad_accumulator(f), 0) for f in leaves), tuple((f._data.shape, f.dtype) for f in leaves))
        wrapped, nr = [], 0
        for o in outs:
            if o is not None:
                o = _alias(o)
                o._grad_fn, o._output_nr, o._requires_grad = node, nr, True
                nr += 1
            wrapped.append(o)
        return tuple(wrapped) if isinstance(outputs, tuple) else wrapped[0]
    return wrapper
