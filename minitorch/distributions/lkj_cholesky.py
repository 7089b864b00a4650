"""LKJCholesky(dim, concentration): Cholesky factors of correlation matrices with density proportional to
det(R)^(concentration - 1), sampled by the onion method (a Beta draw per row for its squared norm below
the diagonal, a uniform direction from normalised Gaussians)."""
from __future__ import annotations

import math
from typing import Any

from . import _api as ops
from .._size import Size
from .._tensor import Tensor
from . import constraints
from .distribution import Distribution
from .gamma_family import Beta
from .utils import broadcast_all, finfo

__all__ = ["LKJCholesky"]


class LKJCholesky(Distribution):
    arg_constraints = {"concentration": constraints.positive}
    support = constraints.corr_cholesky

    def __init__(self, dim: int, concentration: Any = 1.0, validate_args: bool | None = None) -> None:
        if dim < 2:
            raise ValueError(f"Expected dim to be an integer greater than or equal to 2. Found dim={dim}.")
        self.dim = dim
        (self.concentration,) = broadcast_all(concentration)
        # row i's squared norm below the diagonal ~ Beta(i / 2, concentration + (dim - 2 - i) / 2) (the first
        # row's entry is unused)
        marginal = self.concentration + 0.5 * (self.dim - 2)
        offset = ops.arange(self.dim - 1, dtype=self.concentration.dtype)
        offset = ops.cat([offset.new_zeros((1,)), offset])
        self._beta = Beta(offset + 0.5, marginal.unsqueeze(-1) - 0.5 * offset)
        super().__init__(self.concentration.size(), Size((dim, dim)), validate_args)

    def expand(self, batch_shape: Any, _instance: Any = None) -> "LKJCholesky":
        new = self._expanded(LKJCholesky, batch_shape, _instance, {"concentration": ()})
        new.dim = self.dim
        new._beta = self._beta.expand(Size(batch_shape) + (self.dim,))
        return new

    def sample(self, sample_shape: Any = Size()) -> Tensor:
        y = self._beta.sample(sample_shape).unsqueeze(-1)
        u_normal = ops.randn(self._extended_shape(sample_shape), dtype=y.dtype).tril(-1)
        u_hypersphere = u_normal / u_normal.norm(dim=-1, keepdim=True)
        u_hypersphere[..., 0, :].fill_(0.0)  # the first row has nothing below the diagonal (0/0 above)
        w = ops.sqrt(y) * u_hypersphere
        diagonal = ops.clamp(1 - ops.sum(w**2, dim=-1), min=float(finfo(w.dtype).tiny)).sqrt()
        w += ops.diag_embed(diagonal)
        return w

    def log_prob(self, value: Tensor) -> Tensor:
        if self._validate_args:
            self._validate_sample(value)
        diagonal = value.diagonal(dim1=-1, dim2=-2)[..., 1:]
        order = 2 * (self.concentration - 1).unsqueeze(-1) + self.dim - ops.arange(2, self.dim + 1)
        unnormalized = ops.sum(order * diagonal.log(), dim=-1)
        dm1 = self.dim - 1
        alpha = self.concentration + 0.5 * dm1
        normalizer = 0.5 * dm1 * math.log(math.pi) + ops.mvlgamma(alpha - 0.5, dm1) - ops.lgamma(alpha) * dm1
        return unnormalized - normalizer
