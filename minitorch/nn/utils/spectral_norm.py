"""torch.nn.utils.spectral_norm (the hook version; parametrizations.spectral_norm is the newer one):
``weight`` divided by its largest singular value, estimated by power iteration on the ``weight_u`` and
``weight_v`` buffers (initialised from the global RNG, as torch draws them) at each training forward."""
from __future__ import annotations

from typing import Any, TypeVar

from ... import _creation
from ..._ops.registry import FUNCTIONS
from ..._tensor import Tensor
from ...autograd.grad_mode import no_grad
from .. import functional as F
from ..modules.module import Module
from ..parameter import Parameter

__all__ = ["SpectralNorm", "SpectralNormLoadStateDictPreHook", "SpectralNormStateDictHook", "spectral_norm",
           "remove_spectral_norm"]


def weight_as_matrix(weight: Tensor, dim: int, by_flatten: bool = False) -> Tensor:
    """``weight`` with ``dim`` moved first, flattened to (size of dim, rest): by reshape (the hook version), or by
    ``flatten(1)`` as the parametrization does (a matrix is then itself, no view in its graph)."""
    if dim != 0:
        weight = weight.permute(dim, *[d for d in range(weight.dim()) if d != dim])
    return weight.flatten(1) if by_flatten else weight.reshape(weight.size(0), -1)


def check_power_iterations(n_power_iterations: int) -> None:
    if n_power_iterations <= 0:
        raise ValueError("Expected n_power_iterations to be positive, but got n_power_iterations=%d"
                         % n_power_iterations)


def random_unit_vectors(weight_mat: Tensor, eps: float) -> tuple[Tensor, Tensor]:
    """The power iteration's starting ``u`` and ``v``: normal draws (u's first, as torch's) normalized."""
    u, v = (_creation.empty(n, dtype=weight_mat.dtype).normal_(0, 1) for n in weight_mat.shape)
    return F.normalize(u, dim=0, eps=eps), F.normalize(v, dim=0, eps=eps)


def default_dim(module: Module) -> int:
    """Transposed convolutions hold their output channels in dim 1."""
    return 1 if type(module).__name__.startswith("ConvTranspose") else 0


class SpectralNorm:
    """The forward pre-hook that sets ``module.<name>`` to ``<name>_orig / sigma``."""
    _version: int = 1

    def __init__(self, name: str = "weight", n_power_iterations: int = 1, dim: int = 0, eps: float = 1e-12) -> None:
        self.name = name
        self.dim = dim
        check_power_iterations(n_power_iterations)
        self.n_power_iterations = n_power_iterations
        self.eps = eps

    def reshape_weight_to_matrix(self, weight: Tensor) -> Tensor:
        return weight_as_matrix(weight, self.dim)

    def compute_weight(self, module: Module, do_power_iteration: bool) -> Tensor:
        weight = getattr(module, self.name + "_orig")
        u = getattr(module, self.name + "_u")
        v = getattr(module, self.name + "_v")
        weight_mat = self.reshape_weight_to_matrix(weight)
        if do_power_iteration:
            with no_grad():
                for _ in range(self.n_power_iterations):
                    # in place (out=), so that the buffers keep the estimate
                    v = F.normalize(FUNCTIONS["mv"](weight_mat.t(), u), dim=0, eps=self.eps, out=v)
                    u = F.normalize(FUNCTIONS["mv"](weight_mat, v), dim=0, eps=self.eps, out=u)
                u, v = u.clone(), v.clone()  # autograd saves these; later iterations write the buffers
        sigma = FUNCTIONS["dot"](u, FUNCTIONS["mv"](weight_mat, v))
        return weight / sigma

    def remove(self, module: Module) -> None:
        with no_grad():
            weight = self.compute_weight(module, do_power_iteration=False)
        for suffix in ("", "_u", "_v", "_orig"):
            delattr(module, self.name + suffix)
        module.register_parameter(self.name, Parameter(weight.detach()))

    def __call__(self, module: Module, inputs: Any) -> None:
        setattr(module, self.name, self.compute_weight(module, do_power_iteration=module.training))

    def _solve_v_and_rescale(self, weight_mat: Tensor, u: Tensor, target_sigma: Tensor) -> Tensor:
        """The ``v`` with ``u^T W v = target_sigma`` (for checkpoints from before ``weight_v`` was saved)."""
        v = FUNCTIONS["linalg.multi_dot"]([weight_mat.t().mm(weight_mat).pinverse(), weight_mat.t(),
                                           u.unsqueeze(1)]).squeeze(1)
        return v.mul_(target_sigma / FUNCTIONS["dot"](u, FUNCTIONS["mv"](weight_mat, v)))

    @staticmethod
    def apply(module: Module, name: str, n_power_iterations: int, dim: int, eps: float) -> "SpectralNorm":
        if any(isinstance(hook, SpectralNorm) and hook.name == name for hook, _ in module._forward_pre_hooks):
            raise RuntimeError("Cannot register two spectral_norm hooks on the same parameter %s" % name)
        fn = SpectralNorm(name, n_power_iterations, dim, eps)
        weight = module._parameters[name]
        if weight is None:
            raise ValueError("`SpectralNorm` cannot be applied as parameter `%s` is None" % name)
        with no_grad():
            u, v = random_unit_vectors(fn.reshape_weight_to_matrix(weight), fn.eps)
        delattr(module, fn.name)
        module.register_parameter(fn.name + "_orig", weight)
        setattr(module, fn.name, weight.data)
        module.register_buffer(fn.name + "_u", u)
        module.register_buffer(fn.name + "_v", v)
        module.register_forward_pre_hook(fn)
        module.register_state_dict_post_hook(SpectralNormStateDictHook(fn))
        module.register_load_state_dict_pre_hook(SpectralNormLoadStateDictPreHook(fn))
        return fn


class SpectralNormLoadStateDictPreHook:
    """Loads checkpoints saved before version 1 (``weight`` saved, no ``weight_v``)."""

    def __init__(self, fn: SpectralNorm) -> None:
        self.fn = fn

    def __call__(self, module: Module, state_dict: dict, prefix: str, local_metadata: dict, strict: bool,
                 missing_keys: list, unexpected_keys: list, error_msgs: list) -> None:
        fn = self.fn
        version = local_metadata.get("spectral_norm", {}).get(fn.name + ".version", None)
        if version is not None and version >= 1:
            return
        key = prefix + fn.name
        if version is None and all(key + s in state_dict for s in ("_orig", "_u", "_v")) and key not in state_dict:
            return
        missing = [key + s for s in ("_orig", "", "_u") if key + s not in state_dict]
        if missing:
            if strict:
                missing_keys.extend(missing)
            return
        with no_grad():
            weight_orig = state_dict[key + "_orig"]
            sigma = (weight_orig / state_dict.pop(key)).mean()
            state_dict[key + "_v"] = fn._solve_v_and_rescale(fn.reshape_weight_to_matrix(weight_orig),
                                                             state_dict[key + "_u"], sigma)


class SpectralNormStateDictHook:
    """Records the spectral norm version in the state_dict's metadata."""

    def __init__(self, fn: SpectralNorm) -> None:
        self.fn = fn

    def __call__(self, module: Module, state_dict: dict, prefix: str, local_metadata: dict) -> None:
        versions = local_metadata.setdefault("spectral_norm", {})
        key = self.fn.name + ".version"
        if key in versions:
            raise RuntimeError("Unexpected key in metadata['spectral_norm']: %s" % key)
        versions[key] = self.fn._version


T_module = TypeVar("T_module", bound=Module)


def spectral_norm(module: T_module, name: str = "weight", n_power_iterations: int = 1, eps: float = 1e-12,
                  dim: int | None = None) -> T_module:
    SpectralNorm.apply(module, name, n_power_iterations, default_dim(module) if dim is None else dim, eps)
    return module


def _remove_entry(hooks: list, matches: Any) -> bool:
    for entry in hooks:
        if matches(entry):
            hooks.remove(entry)
            return True
    return False


def remove_spectral_norm(module: T_module, name: str = "weight") -> T_module:
    for hook, with_kwargs in module._forward_pre_hooks:
        if isinstance(hook, SpectralNorm) and hook.name == name:
            hook.remove(module)
            module._forward_pre_hooks.remove((hook, with_kwargs))
            break
    else:
        raise ValueError("spectral_norm of '%s' not found in %s" % (name, module))
    _remove_entry(module._state_dict_hooks, lambda h: isinstance(h, SpectralNormStateDictHook) and h.fn.name == name)
    _remove_entry(module._load_state_dict_pre_hooks,
                  lambda h: isinstance(h, SpectralNormLoadStateDictPreHook) and h.fn.name == name)
    return module
