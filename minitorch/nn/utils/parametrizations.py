"""torch.nn.utils.parametrizations: orthogonal, weight_norm and spectral_norm as parametrizations
(``nn.utils.parametrize``) of a module's tensor."""
from __future__ import annotations

from enum import Enum, auto

import numpy as np

from ... import _creation
from ..._ops.registry import FUNCTIONS
from ... import _dtype as D
from ..._tensor import Tensor
from ...autograd.grad_mode import no_grad
from ... import linalg
from .. import functional as F
from ..modules.module import Module
from . import parametrize
from .spectral_norm import check_power_iterations, default_dim, random_unit_vectors, weight_as_matrix

__all__ = ["orthogonal", "spectral_norm", "weight_norm"]

# (minitorch tensors are real: the conjugate transposes torch takes here, .mH, are .mT)


# ---- orthogonal ---------------------------------------------------------------------------------
def _is_orthogonal(q: Tensor) -> bool:
    n, k = q.size(-2), q.size(-1)
    eye = _creation.eye(k, dtype=q.dtype)
    return bool(FUNCTIONS["allclose"](q.mT @ q, eye, atol=10.0 * n * float(D.finfo_np(q._data.dtype).eps)))


def _make_orthogonal(a: Tensor) -> Tensor:
    """The Q of ``a``'s QR decomposition with R's diagonal made positive (unique for full rank)."""
    q, r = linalg.qr(a)
    return q * r.diagonal(dim1=-2, dim2=-1).sgn().unsqueeze(-2)


def _signed_reflectors(q: Tensor) -> Tensor:
    """What the householder map (without trivialization) stores for ``q``: geqrf's Householder
    reflectors (LAPACK, through NumPy) below the diagonal and, on it, R's signs (flipped where tau is 0)."""
    h, tau = np.linalg.qr(q._data, mode="raw")
    a = np.swapaxes(h, -1, -2).copy()  # NumPy returns LAPACK's column-major array transposed
    k = a.shape[-1]
    a[..., np.arange(k), np.arange(k)] = np.sign(np.diagonal(a, axis1=-2, axis2=-1)) * np.where(tau == 0, -1, 1)
    return Tensor._make(a.astype(q._data.dtype, copy=False))


class _OrthMaps(Enum):
    matrix_exp = auto()
    cayley = auto()
    householder = auto()


class _Orthogonal(Module):
    def __init__(self, weight: Tensor, orthogonal_map: _OrthMaps, *, use_trivialization: bool = True) -> None:
        super().__init__()
        if weight.is_complex() and orthogonal_map == _OrthMaps.householder:
            raise ValueError("The householder parametrization does not support complex tensors.")
        self.shape = weight.shape
        self.orthogonal_map = orthogonal_map
        if use_trivialization:
            self.register_buffer("base", None)

    def forward(self, X: Tensor) -> Tensor:
        n, k = X.size(-2), X.size(-1)
        transposed = n < k
        if transposed:
            X = X.mT
            n, k = k, n
        if self.orthogonal_map in (_OrthMaps.matrix_exp, _OrthMaps.cayley):
            X = X.tril()
            if n != k:
                X = FUNCTIONS["cat"]([X, X.new_zeros(n, n - k).expand(*X.shape[:-2], -1, -1)], dim=-1)
            A = X - X.mT  # skew-symmetric
            if self.orthogonal_map == _OrthMaps.matrix_exp:
                Q = FUNCTIONS["matrix_exp"](A)
            else:
                eye = _creation.eye(n, dtype=A.dtype)
                Q = linalg.solve(FUNCTIONS["add"](eye, A, alpha=-0.5), FUNCTIONS["add"](eye, A, alpha=0.5))
            if n != k:
                Q = Q[..., :k]
        else:
            A = X.tril(diagonal=-1)
            tau = 2.0 / (1.0 + (A * A).sum(dim=-2))
            Q = linalg.householder_product(A, tau) * X.diagonal(dim1=-2, dim2=-1).int().unsqueeze(-2)
        if hasattr(self, "base"):
            Q = self.base @ Q
        return Q.mT if transposed else Q

    def right_inverse(self, Q: Tensor) -> Tensor:
        with no_grad():
            if Q.shape != self.shape:
                raise ValueError("Expected a matrix or batch of matrices of shape %s. Got a tensor of shape %s."
                                 % (self.shape, Q.shape))
            q_init = Q
            n, k = Q.size(-2), Q.size(-1)
            transposed = n < k
            if transposed:
                Q = Q.mT
                n, k = k, n
            if not hasattr(self, "base"):
                if self.orthogonal_map in (_OrthMaps.cayley, _OrthMaps.matrix_exp):
                    raise NotImplementedError("It is not possible to assign to the matrix exponential or the Cayley "
                                              "parametrizations when use_trivialization=False.")
                reflectors = _signed_reflectors(Q)
                return reflectors.mT if transposed else reflectors
            if n == k:
                Q = Q.clone() if _is_orthogonal(Q) else _make_orthogonal(Q)
            else:  # completed to a square orthogonal matrix with random columns, as torch draws them
                extra = FUNCTIONS["randn"](*(tuple(Q.size()[:-2]) + (n, n - k)), dtype=Q.dtype)
                Q = _make_orthogonal(FUNCTIONS["cat"]([Q, extra], dim=-1))
            self.base = Q
            neg_eye = FUNCTIONS["zeros_like"](q_init)
            neg_eye.diagonal(dim1=-2, dim2=-1).fill_(-1.0)
            return neg_eye


def orthogonal(module: Module, name: str = "weight", orthogonal_map: str | None = None, *,
               use_trivialization: bool = True) -> Module:
    weight = getattr(module, name, None)
    if not isinstance(weight, Tensor):
        raise ValueError("Module '%s' has no parameter or buffer with name '%s'" % (module, name))
    if weight.ndim < 2:
        raise ValueError("Expected a matrix or batch of matrices. Got a tensor of %d dimensions." % weight.ndim)
    if orthogonal_map is None:
        square = weight.size(-2) == weight.size(-1)
        orthogonal_map = "matrix_exp" if square or weight.is_complex() else "householder"
    orth_enum = getattr(_OrthMaps, orthogonal_map, None)
    if orth_enum is None:
        raise ValueError('orthogonal_map has to be one of "matrix_exp", "cayley", "householder". Got: %s'
                         % orthogonal_map)
    orth = _Orthogonal(weight, orth_enum, use_trivialization=use_trivialization)
    parametrize.register_parametrization(module, name, orth, unsafe=True)
    return module


# ---- weight norm --------------------------------------------------------------------------------
class _WeightNorm(Module):
    def __init__(self, dim: int | None = 0) -> None:
        super().__init__()
        self.dim = -1 if dim is None else dim

    def forward(self, weight_g: Tensor, weight_v: Tensor) -> Tensor:
        return FUNCTIONS["_weight_norm"](weight_v, weight_g, self.dim)

    def right_inverse(self, weight: Tensor) -> tuple[Tensor, Tensor]:
        return FUNCTIONS["norm_except_dim"](weight, 2, self.dim), weight


def weight_norm(module: Module, name: str = "weight", dim: int = 0) -> Module:
    """``module.<name>`` as ``original1 * original0 / ||original1||`` (magnitude ``original0``,
    direction ``original1``); checkpoints of the hook version (``<name>_g``, ``<name>_v``) load."""
    parametrize.register_parametrization(module, name, _WeightNorm(dim), unsafe=True)

    def load_hook_version_keys(module: Module, state_dict: dict, prefix: str, *args: object) -> None:
        g_key, v_key = prefix + name + "_g", prefix + name + "_v"
        if g_key in state_dict and v_key in state_dict:
            state_dict[prefix + "parametrizations.%s.original0" % name] = state_dict.pop(g_key)
            state_dict[prefix + "parametrizations.%s.original1" % name] = state_dict.pop(v_key)

    module.register_load_state_dict_pre_hook(load_hook_version_keys)
    return module


# ---- spectral norm ------------------------------------------------------------------------------
class _SpectralNorm(Module):
    def __init__(self, weight: Tensor, n_power_iterations: int = 1, dim: int = 0, eps: float = 1e-12) -> None:
        super().__init__()
        ndim = weight.ndim
        if dim >= ndim or dim < -ndim:
            raise IndexError("Dimension out of range (expected to be in range of [-%d, %d] but got %d)"
                             % (ndim, ndim - 1, dim))
        check_power_iterations(n_power_iterations)
        self.dim = dim if dim >= 0 else dim + ndim
        self.eps = eps
        if ndim > 1:
            self.n_power_iterations = n_power_iterations
            weight_mat = weight_as_matrix(weight, self.dim, by_flatten=True)
            u, v = random_unit_vectors(weight_mat, self.eps)
            self.register_buffer("_u", u)
            self.register_buffer("_v", v)
            self._power_method(weight_mat, 15)

    def _power_method(self, weight_mat: Tensor, n_power_iterations: int) -> None:
        with no_grad():
            for _ in range(n_power_iterations):
                self._u = F.normalize(FUNCTIONS["mv"](weight_mat, self._v), dim=0, eps=self.eps, out=self._u)
                self._v = F.normalize(FUNCTIONS["mv"](weight_mat.mT, self._u), dim=0, eps=self.eps, out=self._v)

    def forward(self, weight: Tensor) -> Tensor:
        if weight.ndim == 1:
            return F.normalize(weight, dim=0, eps=self.eps)
        weight_mat = weight_as_matrix(weight, self.dim, by_flatten=True)
        if self.training:
            self._power_method(weight_mat, self.n_power_iterations)
        u, v = self._u.clone(), self._v.clone()  # the buffers change in the next iterations
        sigma = FUNCTIONS["vdot"](u, FUNCTIONS["mv"](weight_mat, v))
        return weight / sigma

    def right_inverse(self, value: Tensor) -> Tensor:
        return value


def spectral_norm(module: Module, name: str = "weight", n_power_iterations: int = 1, eps: float = 1e-12,
                  dim: int | None = None) -> Module:
    weight = getattr(module, name, None)
    if not isinstance(weight, Tensor):
        raise ValueError("Module '%s' has no parameter or buffer with name '%s'" % (module, name))
    parametrize.register_parametrization(
        module, name, _SpectralNorm(weight, n_power_iterations, default_dim(module) if dim is None else dim, eps))
    return module
