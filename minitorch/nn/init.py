"""torch.nn.init: in-place initialisation of tensors, drawing exactly what torch draws.

Bounds and standard deviations are computed as torch computes them and the draws come from the
torch-identical generator (``minitorch/_rng``), so after ``manual_seed`` the values match torch's
bit for bit. Every function writes under no_grad and returns its tensor.
"""
from __future__ import annotations

import math
import warnings
from typing import Any, Callable

import numpy as np

from .._rng import init as _init
from .._rng import normal_ as _normal_fill
from .._rng.permutation import randperm as _randperm
from .._rng import uniform_ as _uniform_fill
from .._creation import eye as _eye
from .._tensor import Tensor
from ..autograd import grad_mode

calculate_gain = _init.calculate_gain


def _calculate_fan_in_and_fan_out(tensor: Tensor) -> tuple[int, int]:
    return _init.fan_in_and_fan_out(tuple(tensor.shape))


def _calculate_correct_fan(tensor: Tensor, mode: str) -> int:
    mode = mode.lower()
    if mode not in ("fan_in", "fan_out"):
        raise ValueError("Mode %s not supported, please use one of ['fan_in', 'fan_out']" % mode)
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return fan_in if mode == "fan_in" else fan_out


def _fill(tensor: Tensor, fill: Callable[..., Any], *args: Any, **kwargs: Any) -> Tensor:
    """Run an ndarray fill on the tensor's memory; a write, so the version counter moves."""
    fill(tensor._data, *args, **kwargs)
    tensor._bump_version()
    return tensor


def uniform_(tensor: Tensor, a: float = 0.0, b: float = 1.0, generator: Any = None) -> Tensor:
    return _fill(tensor, _uniform_fill, float(a), float(b), generator)


def normal_(tensor: Tensor, mean: float = 0.0, std: float = 1.0, generator: Any = None) -> Tensor:
    return _fill(tensor, _normal_fill, float(mean), float(std), generator)


def trunc_normal_(tensor: Tensor, mean: float = 0.0, std: float = 1.0, a: float = -2.0, b: float = 2.0,
                  generator: Any = None) -> Tensor:
    return _fill(tensor, _init.trunc_normal_, mean, std, a, b, gen=generator)


# the constant fills are torch's ops under no_grad (fill_'s conversion of the value, the eye kernel's dtypes)
def constant_(tensor: Tensor, val: float) -> Tensor:
    with grad_mode.no_grad():
        return tensor.fill_(val)


def ones_(tensor: Tensor) -> Tensor:
    return constant_(tensor, 1.0)


def zeros_(tensor: Tensor) -> Tensor:
    with grad_mode.no_grad():
        return tensor.zero_()


def eye_(tensor: Tensor) -> Tensor:
    if tensor.dim() != 2:
        raise ValueError("Only tensors with 2 dimensions are supported")
    with grad_mode.no_grad():
        return _eye(*tensor.shape, out=tensor, requires_grad=tensor.requires_grad)


def dirac_(tensor: Tensor, groups: int = 1) -> Tensor:
    dims = tensor.dim()
    if dims not in (3, 4, 5):
        raise ValueError("Only tensors with 3, 4, or 5 dimensions are supported")
    sizes = tensor.shape
    if sizes[0] % groups != 0:
        raise ValueError("dim 0 must be divisible by groups")
    out_per_group = sizes[0] // groups
    kernel = np.zeros(tuple(sizes), tensor._data.dtype)
    centre = tuple(s // 2 for s in sizes[2:])
    for g in range(groups):
        for d in range(min(out_per_group, sizes[1])):
            kernel[(g * out_per_group + d, d) + centre] = 1
    return _fill(tensor, np.copyto, kernel)


def xavier_uniform_(tensor: Tensor, gain: float = 1.0, generator: Any = None) -> Tensor:
    return _fill(tensor, _init.xavier_uniform_, gain, gen=generator)


def xavier_normal_(tensor: Tensor, gain: float = 1.0, generator: Any = None) -> Tensor:
    return _fill(tensor, _init.xavier_normal_, gain, gen=generator)


def kaiming_uniform_(tensor: Tensor, a: float = 0, mode: str = "fan_in", nonlinearity: str = "leaky_relu",
                     generator: Any = None) -> Tensor:
    return _fill(tensor, _init.kaiming_uniform_, a, mode, nonlinearity, gen=generator)


def kaiming_normal_(tensor: Tensor, a: float = 0, mode: str = "fan_in", nonlinearity: str = "leaky_relu",
                    generator: Any = None) -> Tensor:
    return _fill(tensor, _init.kaiming_normal_, a, mode, nonlinearity, gen=generator)


def orthogonal_(tensor: Tensor, gain: float = 1, generator: Any = None) -> Tensor:
    """QR of a normal matrix (the larger side first), signs fixed by R's diagonal, as torch does."""
    if tensor.dim() < 2:
        raise ValueError("Only tensors with 2 or more dimensions are supported")
    if tensor.numel() == 0:
        return tensor
    rows = tensor.shape[0]
    cols = tensor.numel() // rows
    flat = _normal_fill(np.empty((rows, cols), tensor._data.dtype), 0.0, 1.0, generator)
    if rows < cols:
        flat = flat.T
    q, r = np.linalg.qr(flat)
    q = q * np.sign(np.diag(r))
    if rows < cols:
        q = q.T
    return _fill(tensor, np.copyto, (q * gain).reshape(tensor.shape).astype(tensor._data.dtype))


def sparse_(tensor: Tensor, sparsity: float, std: float = 0.01, generator: Any = None) -> Tensor:
    """Normal values, then in each column ``ceil(sparsity * rows)`` of them zeroed at rows chosen by
    a permutation from the default generator (torch's randperm ignores ``generator`` here)."""
    if tensor.dim() != 2:
        raise ValueError("Only tensors with 2 dimensions are supported")
    rows, cols = tensor.shape
    num_zeros = math.ceil(sparsity * rows)
    data = _normal_fill(tensor._data, 0.0, float(std), generator)
    for col in range(cols):
        data[_randperm(rows)[:num_zeros], col] = 0
    tensor._bump_version()
    return tensor


def _deprecated(new: Callable[..., Tensor]) -> Callable[..., Tensor]:
    """torch's old name (without the trailing underscore) of an init function, with its warning."""
    old_name = new.__name__[:-1]

    def deprecated_init(*args: Any, **kwargs: Any) -> Tensor:
        warnings.warn("`nn.init.%s` is now deprecated in favor of `nn.init.%s`." % (old_name, new.__name__),
                      FutureWarning, stacklevel=2)
        return new(*args, **kwargs)
    deprecated_init.__name__ = old_name
    return deprecated_init


uniform = _deprecated(uniform_)
normal = _deprecated(normal_)
constant = _deprecated(constant_)
xavier_uniform = _deprecated(xavier_uniform_)
xavier_normal = _deprecated(xavier_normal_)
kaiming_uniform = _deprecated(kaiming_uniform_)
kaiming_normal = _deprecated(kaiming_normal_)
orthogonal = _deprecated(orthogonal_)
sparse = _deprecated(sparse_)
eye = _deprecated(eye_)
dirac = _deprecated(dirac_)
