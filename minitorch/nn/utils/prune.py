"""torch.nn.utils.prune: masking a module's parameter.

Pruning ``name`` moves the parameter to ``<name>_orig``, registers the buffer ``<name>_mask`` and a
forward pre-hook (the pruning method itself) that sets the plain attribute ``<name>`` to
``mask * orig`` before each forward. Pruning the same parameter again combines the methods in a
PruningContainer, each new mask computed on the entries (unstructured) or channels (structured)
the previous ones left. ``remove`` makes the pruned values the parameter again.
"""
from __future__ import annotations

import numbers
from abc import ABC, abstractmethod
from collections.abc import Iterable
from typing import Any

from ..._ops.registry import FUNCTIONS
from ..._tensor import Tensor
from ..modules.module import Module
from .convert_parameters import parameters_to_vector

__all__ = ["BasePruningMethod", "PruningContainer", "Identity", "RandomUnstructured", "L1Unstructured",
           "RandomStructured", "LnStructured", "CustomFromMask", "identity", "random_unstructured",
           "l1_unstructured", "random_structured", "ln_structured", "global_unstructured", "custom_from_mask",
           "remove", "is_pruned"]


def _pruning_hooks(module: Module, name: str | None = None) -> list:
    """The entries of ``module``'s forward pre-hooks that are pruning methods (of ``name``)."""
    return [entry for entry in module._forward_pre_hooks
            if isinstance(entry[0], BasePruningMethod) and (name is None or entry[0]._tensor_name == name)]


class BasePruningMethod(ABC):
    """A way of computing a mask; as a forward pre-hook, it applies the mask before each forward."""
    _tensor_name: str
    PRUNING_TYPE: str

    def __call__(self, module: Module, inputs: Any) -> None:
        setattr(module, self._tensor_name, self.apply_mask(module))

    @abstractmethod
    def compute_mask(self, t: Tensor, default_mask: Tensor) -> Tensor:
        """The mask for ``t``, given the mask already applied to it."""

    def apply_mask(self, module: Module) -> Tensor:
        if self._tensor_name is None:
            raise AssertionError("Module %s has to be pruned" % module)
        orig = getattr(module, self._tensor_name + "_orig")
        return getattr(module, self._tensor_name + "_mask").to(dtype=orig.dtype) * orig

    @classmethod
    def apply(cls, module: Module, name: str, *args: Any, importance_scores: Tensor | None = None,
              **kwargs: Any) -> "BasePruningMethod":
        """Prune ``module.<name>`` with ``cls(*args, **kwargs)`` (combined with earlier pruning)."""
        method = _combined_with_earlier(cls(*args, **kwargs), module, name)
        orig = getattr(module, name)
        if importance_scores is None:
            importance_scores = orig
        elif importance_scores.shape != orig.shape:
            raise AssertionError("importance_scores should have the same shape as parameter %s of %s, got %s vs %s"
                                 % (name, module, importance_scores.shape, orig.shape))
        first = not isinstance(method, PruningContainer)
        if first:
            module.register_parameter(name + "_orig", orig)
            del module._parameters[name]
            default_mask = FUNCTIONS["ones_like"](orig)
        else:
            default_mask = getattr(module, name + "_mask").detach().clone()
        try:
            module.register_buffer(name + "_mask", method.compute_mask(importance_scores, default_mask=default_mask))
            setattr(module, name, method.apply_mask(module))
            module.register_forward_pre_hook(method)
        except Exception:
            if first:  # put the parameter back as it was
                module.register_parameter(name, getattr(module, name + "_orig"))
                del module._parameters[name + "_orig"]
            raise
        return method

    def prune(self, t: Tensor, default_mask: Tensor | None = None, importance_scores: Tensor | None = None) -> Tensor:
        """``t`` with this method's mask applied (the module is not touched)."""
        if importance_scores is None:
            importance_scores = t
        elif importance_scores.shape != t.shape:
            raise AssertionError("importance_scores should have the same shape as tensor t, got %s vs %s"
                                 % (importance_scores.shape, t.shape))
        if default_mask is None:
            default_mask = FUNCTIONS["ones_like"](t)
        return t * self.compute_mask(importance_scores, default_mask=default_mask)

    def remove(self, module: Module) -> None:
        """Make the pruned values the parameter ``<name>`` again (dropping ``_orig`` and ``_mask``)."""
        if self._tensor_name is None:
            raise AssertionError("Module %s has to be pruned before pruning can be removed" % module)
        weight = self.apply_mask(module)
        if hasattr(module, self._tensor_name):
            delattr(module, self._tensor_name)
        orig = module._parameters[self._tensor_name + "_orig"]
        orig.data = weight.data
        del module._parameters[self._tensor_name + "_orig"]
        del module._buffers[self._tensor_name + "_mask"]
        setattr(module, self._tensor_name, orig)


def _combined_with_earlier(method: BasePruningMethod, module: Module, name: str) -> BasePruningMethod:
    """``method`` for ``name``, in a PruningContainer after the method already pruning it, if any
    (whose hook is taken off: the combination replaces it)."""
    earlier = _pruning_hooks(module, name)
    if len(earlier) > 1:
        raise AssertionError("Avoid adding multiple pruning hooks to the same tensor %s of module %s. Use a "
                             "PruningContainer." % (name, module))
    method._tensor_name = name
    if not earlier:
        return method
    module._forward_pre_hooks.remove(earlier[0])
    old = earlier[0][0]
    if not isinstance(old, PruningContainer):
        old = PruningContainer(old)
    old.add_pruning_method(method)
    return old


class PruningContainer(BasePruningMethod):
    """Pruning methods applied one after the other to the same parameter."""

    def __init__(self, *args: BasePruningMethod) -> None:
        self._pruning_methods: tuple[BasePruningMethod, ...] = ()
        if len(args) == 1:
            self._tensor_name = args[0]._tensor_name
            self.add_pruning_method(args[0])
        else:
            for method in args:
                self.add_pruning_method(method)

    def add_pruning_method(self, method: BasePruningMethod | None) -> None:
        if not isinstance(method, BasePruningMethod) and method is not None:
            raise TypeError("%s is not a BasePruningMethod subclass" % type(method))
        if method is not None and self._tensor_name != method._tensor_name:
            raise ValueError("Can only add pruning methods acting on the parameter named '%s' to PruningContainer %s. "
                             "Found '%s'" % (self._tensor_name, self, method._tensor_name))
        self._pruning_methods += (method,)

    def __len__(self) -> int:
        return len(self._pruning_methods)

    def __iter__(self) -> Any:
        return iter(self._pruning_methods)

    def __getitem__(self, idx: Any) -> Any:
        return self._pruning_methods[idx]

    def compute_mask(self, t: Tensor, default_mask: Tensor) -> Tensor:
        """The last method's mask, computed on what the mask so far leaves: the unpruned entries
        (unstructured), the channels of ``dim`` with an unpruned entry (structured) or all (global)."""
        method = self._pruning_methods[-1]
        mask = default_mask.to(dtype=t.dtype)
        kind = method.PRUNING_TYPE
        if kind == "unstructured":
            where: Any = default_mask == 1
        elif kind == "structured":
            if not hasattr(method, "dim"):
                raise AttributeError('Pruning methods of PRUNING_TYPE "structured" need to have the attribute `dim` '
                                     "defined.")
            n_dims = t.dim()
            dim = method.dim + n_dims if method.dim < 0 else method.dim
            if dim < 0:
                raise IndexError("Index is out of bounds for tensor with dimensions %d" % n_dims)
            keep = default_mask.sum(dim=[d for d in range(n_dims) if d != dim]) != 0
            where = tuple(keep if d == dim else slice(None) for d in range(n_dims))
        elif kind == "global":
            where = tuple(slice(None) for _ in range(len(t.shape)))
        else:
            raise ValueError("Unrecognized PRUNING_TYPE %s" % kind)
        mask[where] = method.compute_mask(t[where], default_mask=default_mask[where]).to(dtype=mask.dtype)
        return mask


class Identity(BasePruningMethod):
    PRUNING_TYPE = "unstructured"

    def compute_mask(self, t: Tensor, default_mask: Tensor) -> Tensor:
        return default_mask

    @classmethod
    def apply(cls, module: Module, name: str) -> BasePruningMethod:  # type: ignore[override]
        return super().apply(module, name)


class _UnstructuredPruning(BasePruningMethod):
    """Prunes ``amount`` (a count, or a fraction) of the entries: those ranked first by ``_ranking``."""
    PRUNING_TYPE = "unstructured"

    def __init__(self, amount: float) -> None:
        _validate_pruning_amount_init(amount)
        self.amount = amount

    def _ranking(self, t: Tensor) -> tuple[Tensor, bool]:
        """Scores of ``t``'s entries and whether the largest are pruned first."""
        raise NotImplementedError

    def compute_mask(self, t: Tensor, default_mask: Tensor) -> Tensor:
        n_prune = _checked_count(self.amount, t.nelement())
        mask = default_mask.clone()
        if n_prune:
            scores, largest = self._ranking(t)
            mask.view(-1)[FUNCTIONS["topk"](scores.view(-1), k=n_prune, largest=largest).indices] = 0
        return mask


class RandomUnstructured(_UnstructuredPruning):
    """Prunes ``amount`` of the entries at random."""

    def _ranking(self, t: Tensor) -> tuple[Tensor, bool]:
        return FUNCTIONS["rand_like"](t), True

    @classmethod
    def apply(cls, module: Module, name: str, amount: float) -> BasePruningMethod:  # type: ignore[override]
        return super().apply(module, name, amount=amount)


class L1Unstructured(_UnstructuredPruning):
    """Prunes the ``amount`` entries of smallest magnitude."""

    def _ranking(self, t: Tensor) -> tuple[Tensor, bool]:
        return t.abs(), False

    @classmethod
    def apply(cls, module: Module, name: str, amount: float,  # type: ignore[override]
              importance_scores: Tensor | None = None) -> BasePruningMethod:
        return super().apply(module, name, amount=amount, importance_scores=importance_scores)


def _channel_mask(t: Tensor, dim: int, channels: Any) -> Tensor:
    """Ones on the ``channels`` (indices or a bool mask) of ``dim``, zeros elsewhere."""
    mask = FUNCTIONS["zeros_like"](t)
    mask[tuple(channels if d == dim % t.dim() else slice(None) for d in range(t.dim()))] = 1
    return mask


class _StructuredPruning(BasePruningMethod):
    """Prunes ``amount`` channels of ``dim``: all but those ``_kept_channels`` chooses."""
    PRUNING_TYPE = "structured"
    dim: int

    def _kept_channels(self, t: Tensor, channels: int, n_prune: int) -> Any:
        """The channels kept (indices or a bool mask over the channels)."""
        raise NotImplementedError

    def compute_mask(self, t: Tensor, default_mask: Tensor) -> Tensor:
        _validate_structured_pruning(t)
        _validate_pruning_dim(t, self.dim)
        channels = t.shape[self.dim]
        n_prune = _checked_count(self.amount, channels)
        if not n_prune:
            return default_mask
        mask = _channel_mask(t, self.dim, self._kept_channels(t, channels, n_prune))
        mask *= default_mask.to(dtype=mask.dtype)
        return mask


class RandomStructured(_StructuredPruning):
    """Prunes ``amount`` channels of ``dim`` at random."""

    def __init__(self, amount: float, dim: int = -1) -> None:
        _validate_pruning_amount_init(amount)
        self.amount = amount
        self.dim = dim

    def _kept_channels(self, t: Tensor, channels: int, n_prune: int) -> Any:
        draws = FUNCTIONS["rand"](channels)
        return draws > FUNCTIONS["kthvalue"](draws, k=n_prune).values

    @classmethod
    def apply(cls, module: Module, name: str, amount: float,  # type: ignore[override]
              dim: int = -1) -> BasePruningMethod:
        return super().apply(module, name, amount=amount, dim=dim)


class LnStructured(_StructuredPruning):
    """Prunes the ``amount`` channels of ``dim`` of smallest ``n``-norm."""

    def __init__(self, amount: float, n: Any, dim: int = -1) -> None:
        _validate_pruning_amount_init(amount)
        self.amount = amount
        self.n = n
        self.dim = dim

    def _kept_channels(self, t: Tensor, channels: int, n_prune: int) -> Any:
        others = [d for d in range(t.dim()) if d != self.dim % t.dim()]
        norms = FUNCTIONS["norm"](t, p=self.n, dim=others)
        return FUNCTIONS["topk"](norms, k=channels - n_prune, largest=True).indices

    @classmethod
    def apply(cls, module: Module, name: str, amount: float, n: Any, dim: int,  # type: ignore[override]
              importance_scores: Tensor | None = None) -> BasePruningMethod:
        return super().apply(module, name, amount=amount, n=n, dim=dim, importance_scores=importance_scores)


class CustomFromMask(BasePruningMethod):
    """Prunes where the given mask is zero."""
    PRUNING_TYPE = "global"

    def __init__(self, mask: Tensor) -> None:
        self.mask = mask

    def compute_mask(self, t: Tensor, default_mask: Tensor) -> Tensor:
        if default_mask.shape != self.mask.shape:
            raise AssertionError("default_mask shape %s must match self.mask shape %s"
                                 % (default_mask.shape, self.mask.shape))
        return default_mask * self.mask.to(dtype=default_mask.dtype)

    @classmethod
    def apply(cls, module: Module, name: str, mask: Tensor) -> BasePruningMethod:  # type: ignore[override]
        return super().apply(module, name, mask=mask)


def identity(module: Module, name: str) -> Module:
    Identity.apply(module, name)
    return module


def random_unstructured(module: Module, name: str, amount: float) -> Module:
    RandomUnstructured.apply(module, name, amount)
    return module


def l1_unstructured(module: Module, name: str, amount: float, importance_scores: Tensor | None = None) -> Module:
    L1Unstructured.apply(module, name, amount=amount, importance_scores=importance_scores)
    return module


def random_structured(module: Module, name: str, amount: float, dim: int) -> Module:
    RandomStructured.apply(module, name, amount, dim)
    return module


def ln_structured(module: Module, name: str, amount: float, n: Any, dim: int,
                  importance_scores: Tensor | None = None) -> Module:
    LnStructured.apply(module, name, amount, n, dim, importance_scores=importance_scores)
    return module


def custom_from_mask(module: Module, name: str, mask: Tensor) -> Module:
    CustomFromMask.apply(module, name, mask)
    return module


def global_unstructured(parameters: Iterable, pruning_method: type, importance_scores: dict | None = None,
                        **kwargs: Any) -> None:
    """Prune the (module, name) ``parameters`` together: ``pruning_method``'s mask of their
    concatenation, applied to each as a CustomFromMask."""
    if not isinstance(parameters, Iterable):
        raise TypeError("global_unstructured(): parameters is not an Iterable")
    importance_scores = importance_scores if importance_scores is not None else {}
    if not isinstance(importance_scores, dict):
        raise TypeError("global_unstructured(): importance_scores must be of type dict")
    scores = parameters_to_vector([importance_scores.get((m, name), getattr(m, name)) for m, name in parameters])
    default_mask = parameters_to_vector([getattr(m, name + "_mask", FUNCTIONS["ones_like"](getattr(m, name)))
                                         for m, name in parameters])
    container = PruningContainer()
    container._tensor_name = "temp"
    method = pruning_method(**kwargs)
    method._tensor_name = "temp"
    if method.PRUNING_TYPE != "unstructured":
        raise TypeError('Only "unstructured" PRUNING_TYPE supported for the `pruning_method`. Found method %s of type '
                        "%s" % (pruning_method, method.PRUNING_TYPE))
    container.add_pruning_method(method)
    final_mask = container.compute_mask(scores, default_mask)
    start = 0
    for m, name in parameters:
        param = getattr(m, name)
        custom_from_mask(m, name, mask=final_mask[start:start + param.numel()].view_as(param))
        start += param.numel()


def remove(module: Module, name: str) -> Module:
    for entry in _pruning_hooks(module, name):
        entry[0].remove(module)
        module._forward_pre_hooks.remove(entry)
        return module
    raise ValueError("Parameter '%s' of module %s has to be pruned before pruning can be removed" % (name, module))


def is_pruned(module: Module) -> bool:
    return any(_pruning_hooks(sub) for _, sub in module.named_modules())


def _validate_pruning_amount_init(amount: Any) -> None:
    if not isinstance(amount, numbers.Real):
        raise TypeError("Invalid type for amount: %s. Must be int or float." % amount)
    integral = isinstance(amount, numbers.Integral)
    if (integral and amount < 0) or (not integral and (float(amount) > 1.0 or float(amount) < 0.0)):
        raise ValueError("amount=%s should either be a float in the range [0, 1] or a non-negative integer" % amount)


def _checked_count(amount: Any, size: int) -> int:
    """How many of ``size`` to prune: ``amount`` itself, or that fraction of ``size`` rounded."""
    if isinstance(amount, numbers.Integral):
        if amount > size:
            raise ValueError("amount=%s should be smaller than the number of parameters to prune=%d" % (amount, size))
        return int(amount)
    return round(amount * size)


def _validate_structured_pruning(t: Tensor) -> None:
    if len(t.shape) <= 1:
        raise ValueError("Structured pruning can only be applied to multidimensional tensors. Found tensor of shape "
                         "%s with %d dims" % (t.shape, len(t.shape)))


def _validate_pruning_dim(t: Tensor, dim: int) -> None:
    if dim >= t.dim():
        raise IndexError("Invalid index %s for tensor of size %s" % (dim, t.shape))
