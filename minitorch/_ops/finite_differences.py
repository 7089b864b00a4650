"""torch.gradient: central differences inside, one-sided ones of first or second order at the edges, with
uniform spacings (numbers) or coordinates (1-D tensors), composed of slicing and arithmetic as torch's so that
they differentiate."""
from __future__ import annotations

from typing import Any, Sequence

from .. import _dtype as D
from .._tensor import Tensor
from .dims import wrap_dims
from .joining import cat
from .registry import op
from .scalar_overloads import div_scalar, mul_scalar


def _check(input: Tensor, spacing_size: int | None, dims: Sequence[int] | None, edge_order: int) -> None:
    """torch's pre_check_gradient, in its order."""
    if input.dtype is D.uint8:
        raise RuntimeError("torch.gradient does not support uint8 input.")
    if spacing_size is not None and dims is None and spacing_size != input.ndim:
        raise RuntimeError("torch.gradient expected spacing to be unspecified, a scalar, or a list of length equal "
                           "to 'self.dim() = %d', since dim argument was not given, but got a list of length %d"
                           % (input.ndim, spacing_size))
    if spacing_size is not None and dims is not None and spacing_size != len(dims):
        raise RuntimeError("torch.gradient expected spacing to be unspecified, a scalar or it's spacing and dim "
                           "arguments to have the same length, but got a spacing argument of length %d and a dim "
                           "argument of length %d." % (spacing_size, len(dims)))
    if edge_order not in (1, 2):
        raise RuntimeError("torch.gradient only supports edge_order=1 and edge_order=2.")
    if dims is not None:
        wrap_dims(dims, input.ndim, each_in_turn=True)  # (torch's dim_list_to_bitset: each dim in range, once)
    for d in dims if dims is not None else range(input.ndim):
        if input.size(d) < edge_order + 1:  # (Tensor.size's wrap: a 0-d tensor has no dim 0)
            raise RuntimeError("torch.gradient expected each dimension size to be at least edge_order+1")


def _uniform(x: Tensor, d: int, h: Any, edge_order: int) -> Tensor:
    """Uniform spacing ``h``: central differences, and one-sided ones of ``edge_order`` at both ends (torch's C++,
    whose numbers are Scalars: DivBackward1, MulBackward1)."""
    n = x.shape[d]
    center = div_scalar(x.narrow(d, 2, n - 2) - x.narrow(d, 0, n - 2), h)
    first, second, last, before = x.narrow(d, 0, 1), x.narrow(d, 1, 1), x.narrow(d, n - 1, 1), x.narrow(d, n - 2, 1)
    if edge_order == 1:
        prepend, append = div_scalar(second - first, h), div_scalar(last - before, h)
    else:
        prepend = div_scalar(mul_scalar(first, -1.5) + mul_scalar(second, 2) - mul_scalar(x.narrow(d, 2, 1), 0.5), h)
        append = div_scalar(mul_scalar(x.narrow(d, n - 3, 1), 0.5) - mul_scalar(before, 2) + mul_scalar(last, 1.5), h)
    return cat([prepend, div_scalar(center, 2), append], d)


def _coordinates(x: Tensor, d: int, coordinates: Tensor, edge_order: int) -> Tensor:
    """Non-uniform spacing: the second-order accurate differences of the neighbouring samples."""
    n = x.shape[d]
    dx = coordinates.diff(1, 0)
    shape = [1] * x.ndim
    shape[d] = -1
    dx1, dx2 = dx[:-1], dx[1:]
    a = (-dx2 / (dx1 * (dx1 + dx2))).reshape(shape)
    b = ((dx2 - dx1) / (dx1 * dx2)).reshape(shape)
    c = (dx1 / (dx2 * (dx1 + dx2))).reshape(shape)
    center = a * x.narrow(d, 0, n - 2) + b * x.narrow(d, 1, n - 2) + c * x.narrow(d, 2, n - 2)
    if edge_order == 1:
        prepend = (x.narrow(d, 1, 1) - x.narrow(d, 0, 1)) / dx[0]
        append = (x.narrow(d, n - 1, 1) - x.narrow(d, n - 2, 1)) / dx[-1]
    else:  # torch's coefficients, each spacing read afresh (one select per read, as its C++ indexes)
        a = -(mul_scalar(dx[0], 2.0) + dx[1]) / (dx[0] * (dx[0] + dx[1]))
        b = (dx[0] + dx[1]) / (dx[0] * dx[1])
        c = (-dx[0]) / (dx[1] * (dx[0] + dx[1]))
        prepend = a * x.narrow(d, 0, 1) + b * x.narrow(d, 1, 1) + c * x.narrow(d, 2, 1)
        a = dx[-1] / (dx[-2] * (dx[-1] + dx[-2]))
        b = -(dx[-1] + dx[-2]) / (dx[-1] * dx[-2])
        c = (mul_scalar(dx[-1], 2) + dx[-2]) / (dx[-1] * (dx[-1] + dx[-2]))
        append = a * x.narrow(d, n - 3, 1) + b * x.narrow(d, n - 2, 1) + c * x.narrow(d, n - 1, 1)
    return cat([prepend, center, append], d)


@op("gradient(Tensor input, *, IntArrayRef dim, int64_t edge_order=1)",
    "gradient(Tensor input, *, Scalar spacing, IntArrayRef dim, int64_t edge_order=1)",
    "gradient(Tensor input, *, Scalar? spacing=None, int64_t? dim=None, int64_t edge_order=1)",
    "gradient(Tensor input, *, ScalarList spacing, int64_t? dim=None, int64_t edge_order=1)",
    "gradient(Tensor input, *, ScalarList spacing, IntArrayRef dim, int64_t edge_order=1)",
    "gradient(Tensor input, *, TensorList spacing, int64_t? dim=None, int64_t edge_order=1)",
    "gradient(Tensor input, *, TensorList spacing, IntArrayRef dim, int64_t edge_order=1)")
def gradient(input: Tensor, *, spacing: Any = None, dim: Any = None, edge_order: int = 1) -> tuple[Tensor, ...]:
    dims = None if dim is None else [dim] if isinstance(dim, int) else list(dim)
    listed = isinstance(spacing, (list, tuple))
    _check(input, len(spacing) if listed else None, dims, edge_order)
    if listed and all(isinstance(step, Tensor) for step in spacing):  # (torch's TensorList overload: coordinates)
        for step in spacing:
            if step.ndim != 1:
                raise RuntimeError("torch.gradient expected each element of spacing to have one dimension, but got "
                                   "an element with %d dimensions!" % step.ndim)
    axes = wrap_dims(dims, input.ndim) if dims is not None else tuple(range(input.ndim))
    steps = list(spacing) if listed else [1.0 if spacing is None else spacing] * len(axes)
    out = []
    for d, step in zip(axes, steps):
        if isinstance(step, Tensor) and step.ndim:
            out.append(_coordinates(input, d, step, edge_order))
        else:
            out.append(_uniform(input, d, step.item() if isinstance(step, Tensor) else step, edge_order))
    return tuple(out)
