"""``torch.optim.Optimizer``: parameter groups, per-parameter state, state_dict, zero_grad, hooks.

The built-in optimizers update ``p._data`` in place with NumPy (see ``_arith`` and ``_per_parameter``)
and never record a graph unless built with ``differentiable=True``; a user's subclass written against
torch's API (``p.add_(p.grad, alpha=-lr)`` under ``no_grad``) works too, since everything here is
plain Python over minitorch tensors.
"""
from __future__ import annotations

import functools
import warnings
from collections import defaultdict
from copy import deepcopy
from itertools import chain
from typing import Any, Callable, Iterable

import numpy as np

from .. import _dtype
from .._tensor import Tensor
from ..autograd.grad_mode import enable_grad
from ..utils.hooks import RemovableHandle
from ._arith import Scratch

ParamsT = Iterable[Tensor] | Iterable[dict[str, Any]] | Iterable[tuple[str, Tensor]]

__all__ = ["Optimizer", "register_optimizer_step_pre_hook", "register_optimizer_step_post_hook"]

# hooks every optimizer runs around its step: pre-hooks before its own, post-hooks after its own
_global_step_pre_hooks: list[Callable] = []
_global_step_post_hooks: list[Callable] = []


def register_optimizer_step_pre_hook(hook: Callable) -> RemovableHandle:
    """``hook(optimizer, args, kwargs)`` before every optimizer's step; may return new (args, kwargs)."""
    return RemovableHandle(_global_step_pre_hooks, hook)


def register_optimizer_step_post_hook(hook: Callable) -> RemovableHandle:
    """``hook(optimizer, args, kwargs)`` after every optimizer's step."""
    return RemovableHandle(_global_step_post_hooks, hook)


class _RequiredParameter:
    """The default of an option every parameter group must set itself (SGD's lr once was)."""

    def __repr__(self) -> str:
        return "<required parameter>"


required = _RequiredParameter()


def typename(obj: Any) -> str:
    """``torch.typename``, used in torch's error messages."""
    if isinstance(obj, Tensor):
        return obj.type()
    module = getattr(obj, "__module__", "") or ""
    if hasattr(obj, "__qualname__"):
        qualname = obj.__qualname__
    elif hasattr(obj, "__name__"):
        qualname = obj.__name__
    else:
        module = obj.__class__.__module__ or ""
        qualname = obj.__class__.__qualname__
    return qualname if module in ("", "builtins") else module + "." + qualname


def _with_step_hooks(step: Callable) -> Callable:
    """Wrap a subclass's ``step`` so that the global and the optimizer's own step hooks run around it.
    As torch's, the hooks see the step's whole positional arguments, ``self`` first."""
    @functools.wraps(step)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        self = args[0]
        if not (self._step_pre_hooks or self._step_post_hooks or _global_step_pre_hooks
                or _global_step_post_hooks):
            return step(*args, **kwargs)
        for pre_hook in tuple(chain(_global_step_pre_hooks, self._step_pre_hooks)):
            result = pre_hook(self, args, kwargs)
            if result is not None:
                if not (isinstance(result, tuple) and len(result) == 2):
                    raise RuntimeError(f"{step} must return None or a tuple of (new_args, new_kwargs), "
                                       f"but got {result}.")
                args, kwargs = result
        out = step(*args, **kwargs)
        for post_hook in tuple(chain(self._step_post_hooks, _global_step_post_hooks)):
            post_hook(self, args, kwargs)
        return out
    wrapper._hooked = True  # type: ignore[attr-defined]
    return wrapper


def _register(hooks: list, hook: Callable, prepend: bool) -> RemovableHandle:
    handle = RemovableHandle(hooks, hook)
    if prepend:
        hooks.insert(0, hooks.pop())
    return handle


def closure_loss(closure: Callable[[], Any] | None) -> Any:
    """Run a step's closure with grad enabled (as torch does inside its no-grad step)."""
    if closure is None:
        return None
    with enable_grad():
        return closure()


def zeros_state(p: Tensor) -> Tensor:
    """A zero state tensor shaped and typed like the parameter (``torch.zeros_like``)."""
    return Tensor._make(np.zeros_like(p._data))


def scalar_state(value: float, fused: bool = False) -> Tensor:
    """A 0-d state tensor (a step count, ASGD's eta...): float32, or float64 when that is the default
    dtype, as torch's ``_get_scalar_dtype``; fused optimizers always count in float32."""
    dtype = np.float64 if _dtype.get_default_dtype() is _dtype.float64 and not fused else np.float32
    return Tensor._make(np.array(value, dtype=dtype))


def step_tensor(fused: bool = False) -> Tensor:
    """A new per-parameter step counter at zero."""
    return scalar_state(0.0, fused)


def bump_step(step: Tensor) -> float:
    """``step_t += 1`` in place; returns the new count as torch's ``step_t.item()``."""
    return set_scalar(step, step._data + 1)


def set_scalar(t: Tensor, value: Any) -> float:
    """Overwrite a 0-d state tensor in place, rounding to its dtype as ``copy_`` would; returns the
    stored value as a Python float (what torch's ``.item()`` then reads)."""
    t._data[()] = value
    t._vbox[0] += 1
    return float(t._data)


class Optimizer:
    """Base class of all optimizers: ``params`` is an iterable of tensors, of (name, tensor) pairs,
    or of dicts that each define a parameter group; ``defaults`` fill what a group leaves out."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        step = cls.__dict__.get("step")
        if step is not None and not getattr(step, "_hooked", False):
            cls.step = _with_step_hooks(step)  # type: ignore[method-assign]

    def __init__(self, params: ParamsT, defaults: dict[str, Any]) -> None:
        self.defaults = defaults
        self._init_runtime()
        if isinstance(params, Tensor):
            raise TypeError("params argument given to the optimizer should be an iterable of Tensors or "
                            "dicts, but got " + typename(params))
        self.state: defaultdict[Tensor, Any] = defaultdict(dict)
        self.param_groups: list[dict[str, Any]] = []
        param_groups = list(params)
        if len(param_groups) == 0:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(param_groups[0], dict):
            param_groups = [{"params": param_groups}]
        for param_group in param_groups:
            self.add_param_group(param_group)

    def __getstate__(self) -> dict[str, Any]:
        return {"defaults": self.defaults, "state": self.state, "param_groups": self.param_groups}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        if "_scratch" not in self.__dict__:  # unpickled: hooks and scratch are not saved
            self._init_runtime()
        self.defaults.setdefault("differentiable", False)

    def _init_runtime(self) -> None:
        self._scratch = Scratch()
        self._step_pre_hooks: list[Callable] = []
        self._step_post_hooks: list[Callable] = []
        self._state_dict_pre_hooks: list[Callable] = []
        self._state_dict_post_hooks: list[Callable] = []
        self._load_state_dict_pre_hooks: list[Callable] = []
        self._load_state_dict_post_hooks: list[Callable] = []

    def __repr__(self) -> str:
        text = self.__class__.__name__ + " ("
        for i, group in enumerate(self.param_groups):
            text += f"\nParameter Group {i}\n"
            for key in sorted(group):
                if key != "params":
                    text += f"    {key}: {group[key]}\n"
        return text + ")"

    # ---- parameter groups -------------------------------------------------------------------
    def add_param_group(self, param_group: dict[str, Any]) -> None:
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type(param_group)}")
        params = param_group["params"]
        if isinstance(params, Tensor):
            params = [params]
        elif isinstance(params, set):
            raise TypeError("optimizer parameters need to be organized in ordered collections, but the "
                            "ordering of tensors in sets will change between runs. Please use a list instead.")
        else:
            params = list(params)
        tensors = [p[1] if isinstance(p, tuple) else p for p in params]
        names = [p[0] for p in params if isinstance(p, tuple)]
        param_group["params"] = tensors
        if names:
            if len(names) != len(tensors):
                raise ValueError("all optimizer params should be with/without names. Some param names are "
                                 "missing")
            param_group["param_names"] = names
        for p in tensors:
            if not isinstance(p, Tensor):
                raise TypeError("optimizer can only optimize Tensors, but one of the params is " + typename(p))
            if not self.defaults.get("differentiable", None) and not (p.is_leaf or p.retains_grad):
                raise ValueError("can't optimize a non-leaf Tensor")
        for name, default in self.defaults.items():
            if default is required and name not in param_group:
                raise ValueError(f"parameter group didn't specify a value of required optimization "
                                 f"parameter {name}")
            param_group.setdefault(name, default)
        if len(tensors) != len(set(tensors)):
            warnings.warn("optimizer contains a parameter group with duplicate parameters; in future, this "
                          "will cause an error; see github.com/pytorch/pytorch/issues/40967 for more "
                          "information", stacklevel=3)
        existing: set = set()
        for group in self.param_groups:
            existing.update(group["params"])
            if ("param_names" in param_group) != ("param_names" in group):
                which = "with names" if "param_names" in param_group else "without names"
                raise ValueError("all optimizer param groups should be with/without names. "
                                 f"cannot add param group {which} to the optimizer")
        if not existing.isdisjoint(tensors):
            raise ValueError("some parameters appear in more than one parameter group")
        self.param_groups.append(param_group)

    # ---- gradients and steps ----------------------------------------------------------------
    def zero_grad(self, set_to_none: bool = True) -> None:
        for group in self.param_groups:
            for p in group["params"]:
                grad = p._grad
                if grad is None:
                    continue
                if set_to_none:
                    p._grad = None
                else:
                    if grad.grad_fn is not None:
                        grad.detach_()
                    else:
                        grad.requires_grad_(False)
                    grad.zero_()

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        raise NotImplementedError

    # ---- hooks ----------------------------------------------------------------------------------
    def register_step_pre_hook(self, hook: Callable) -> RemovableHandle:
        """``hook(optimizer, args, kwargs)`` before each step; may return new (args, kwargs)."""
        return RemovableHandle(self._step_pre_hooks, hook)

    def register_step_post_hook(self, hook: Callable) -> RemovableHandle:
        """``hook(optimizer, args, kwargs)`` after each step."""
        return RemovableHandle(self._step_post_hooks, hook)

    def register_state_dict_pre_hook(self, hook: Callable, prepend: bool = False) -> RemovableHandle:
        """``hook(optimizer)`` before ``state_dict`` builds the dict."""
        return _register(self._state_dict_pre_hooks, hook, prepend)

    def register_state_dict_post_hook(self, hook: Callable, prepend: bool = False) -> RemovableHandle:
        """``hook(optimizer, state_dict)`` on the built dict; may return a new one."""
        return _register(self._state_dict_post_hooks, hook, prepend)

    def register_load_state_dict_pre_hook(self, hook: Callable, prepend: bool = False) -> RemovableHandle:
        """``hook(optimizer, state_dict)`` before loading (on a shallow copy); may return a new one."""
        return _register(self._load_state_dict_pre_hooks, hook, prepend)

    def register_load_state_dict_post_hook(self, hook: Callable, prepend: bool = False) -> RemovableHandle:
        """``hook(optimizer)`` after loading."""
        return _register(self._load_state_dict_post_hooks, hook, prepend)

    # ---- state_dict ---------------------------------------------------------------------------
    def state_dict(self) -> dict[str, Any]:
        """``{'state': {index: per-param state}, 'param_groups': [options + 'params': indices]}``;
        parameters are numbered in group order, and the state dicts are shared, not copied."""
        for pre_hook in tuple(self._state_dict_pre_hooks):
            pre_hook(self)
        index: dict[int, int] = {}
        groups = []
        for group in self.param_groups:
            packed = {k: v for k, v in group.items() if k != "params"}
            for p in group["params"]:
                index.setdefault(id(p), len(index))
            packed["params"] = [index[id(p)] for p in group["params"]]
            groups.append(packed)
        state = {(index[id(k)] if isinstance(k, Tensor) else k): v for k, v in self.state.items()}
        state_dict = {"state": state, "param_groups": groups}
        for post_hook in tuple(self._state_dict_post_hooks):
            state_dict = _hooked(post_hook(self, state_dict), state_dict)
        return state_dict

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        state_dict = state_dict.copy()
        for pre_hook in tuple(self._load_state_dict_pre_hooks):
            state_dict = _hooked(pre_hook(self, state_dict), state_dict)
        groups = self.param_groups
        saved_groups = deepcopy(state_dict["param_groups"])
        if len(groups) != len(saved_groups):
            raise ValueError("loaded state dict has a different number of parameter groups")
        if any(len(g["params"]) != len(s["params"]) for g, s in zip(groups, saved_groups)):
            raise ValueError("loaded state dict contains a parameter group that doesn't match the size of "
                             "optimizer's group")
        id_map = dict(zip(chain.from_iterable(g["params"] for g in saved_groups),
                          chain.from_iterable(g["params"] for g in groups)))
        state: defaultdict[Any, Any] = defaultdict(dict)
        for k, v in state_dict["state"].items():
            if k in id_map:
                param = id_map[k]
                state[param] = _cast_state(param, v, _group_of(k, state_dict["param_groups"]))
            else:
                state[k] = v
        new_groups = []
        for group, saved in zip(groups, saved_groups):
            saved["params"] = group["params"]
            if "param_names" in group and "param_names" not in saved:
                saved["param_names"] = group["param_names"]
            new_groups.append(saved)
        self.__setstate__({"state": state, "param_groups": new_groups})
        for post_hook in tuple(self._load_state_dict_post_hooks):
            post_hook(self)


def _hooked(result: Any, state_dict: dict[str, Any]) -> dict[str, Any]:
    """A state_dict hook's answer: its new dict, or the same one when it returned None."""
    return state_dict if result is None else result


def _group_of(param_id: Any, groups: list[dict[str, Any]]) -> dict[str, Any]:
    for g in groups:
        if param_id in g["params"]:
            return g
    return {}


def _cast_state(param: Tensor, value: Any, group: dict[str, Any], key: Any = None) -> Any:
    """A loaded state value made to fit its parameter: floating tensors take the parameter's dtype,
    except ``step``, which stays as saved (float32) unless the group is fused or capturable."""
    if isinstance(value, Tensor):
        if key == "step":
            fused_or_capturable = group.get("fused", False) or group.get("capturable", False)
            return _as_dtype(value, np.float32) if fused_or_capturable else value
        return _as_dtype(value, param._data.dtype) if param.is_floating_point() else value
    if isinstance(value, dict):
        return {k: _cast_state(param, v, group, k) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_cast_state(param, v, group) for v in value)
    return value


def _as_dtype(t: Tensor, dtype: np.dtype) -> Tensor:
    """``t.to(dtype)``: the same tensor when the dtype already matches."""
    return t if t._data.dtype == dtype else Tensor._make(t._data.astype(dtype))
