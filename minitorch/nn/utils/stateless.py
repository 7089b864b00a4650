"""torch.nn.utils.stateless: run a module with some of its parameters and buffers swapped for given tensors.

``functional_call`` here is torch's deprecated spelling of ``torch.func.functional_call``.
"""
from __future__ import annotations

import contextlib
import warnings
from typing import Any, Iterator

from ..._tensor import Tensor
from ..modules.module import Module

__all__ = ["functional_call"]

_MISSING: Any = object()


def _untie(module: Module, tensors: dict[str, Tensor]) -> dict[str, Tensor]:
    """``tensors`` extended to every name tied to one of its names (one tensor under several names)."""
    named = dict(module.named_parameters(remove_duplicate=False))
    named.update(module.named_buffers(remove_duplicate=False))
    names_of: dict[int, set[str]] = {}
    for name, t in named.items():
        names_of.setdefault(id(t), set()).add(name)
    tied = {name: names for names in names_of.values() if len(names) > 1 for name in names}
    given_tied = {name for name in tensors if name in tied}
    for name in given_tied:
        names = tied[name]
        if len(names & given_tied) > 1 and len({id(tensors[n]) for n in names & given_tied}) != 1:
            raise ValueError(f"functional_call got multiple values for keys {sorted(names)}, which are tied. "
                             f"Consider using tie_weights=False")
    untied = dict(tensors)
    for name in given_tied:
        for other in tied[name]:
            untied[other] = tensors[name]
    return untied


def _swap(module: Module, path: str, tensor: Any) -> Any:
    """Put ``tensor`` at ``path`` (as a plain attribute where nothing is registered); return what was there."""
    owner_path, _, name = path.rpartition(".")
    owner = module.get_submodule(owner_path)
    for store in (owner._parameters, owner._buffers):
        if name in store:
            old = store[name]
            if tensor is _MISSING:
                del store[name]
            else:
                store[name] = tensor
            return old
    old = getattr(owner, name, _MISSING)
    if old is not _MISSING and not isinstance(old, Tensor) and old is not None:
        raise TypeError(f"attribute `{name}`: {old} is not an instance of torch.Tensor")
    if tensor is not _MISSING:
        setattr(owner, name, tensor)
    elif old is not _MISSING:
        delattr(owner, name)
    return old


def _check_keys(module: Module, tensors: dict[str, Tensor]) -> None:
    valid = {n for n, _ in module.named_parameters(remove_duplicate=False)}
    valid |= {n for n, _ in module.named_buffers(remove_duplicate=False)}
    missing, unexpected = sorted(valid - set(tensors)), sorted(set(tensors) - valid)
    errors = []
    if unexpected:
        errors.append(f"Unexpected key(s): {', '.join(map(repr, unexpected))}.")
    if missing:
        errors.append(f"Missing key(s): {', '.join(map(repr, missing))}.")
    if errors:
        raise RuntimeError("Error(s) in reparametrizing for {}:\n\t{}".format(module._get_name(), "\n\t".join(errors)))


@contextlib.contextmanager
def _reparametrize_module(module: Module, tensors: dict[str, Tensor], tie_weights: bool = False,
                          strict: bool = False) -> Iterator[None]:
    swapped = _untie(module, tensors) if tie_weights else tensors
    if strict:
        _check_keys(module, swapped)
    originals: dict[str, Any] = {}
    try:
        for name, t in swapped.items():
            originals[name] = _swap(module, name, t)
        yield
    finally:
        for name, old in originals.items():
            _swap(module, name, old)


def _functional_call(module: Module, parameters_and_buffers: dict[str, Tensor], args: Any = None,
                     kwargs: dict[str, Any] | None = None, *, tie_weights: bool = True, strict: bool = False) -> Any:
    if args is None:
        args = ()
    elif not isinstance(args, tuple):
        args = (args,)
    with _reparametrize_module(module, parameters_and_buffers, tie_weights=tie_weights, strict=strict):
        return module(*args, **(kwargs or {}))


def functional_call(module: Module, parameters_and_buffers: dict[str, Tensor], args: Any = None,
                    kwargs: dict[str, Any] | None = None, *, tie_weights: bool = True, strict: bool = False) -> Any:
    warnings.warn("`torch.nn.utils.stateless.functional_call` is deprecated as of PyTorch 2.0 and will be removed "
                  "in a future version of PyTorch. Please use `torch.func.functional_call` instead which is a "
                  "drop-in replacement.", FutureWarning, stacklevel=2)
    return _functional_call(module, parameters_and_buffers, args, kwargs, tie_weights=tie_weights, strict=strict)
