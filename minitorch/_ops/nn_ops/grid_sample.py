"""grid_sampler_2d / grid_sampler_3d (torch.grid_sampler) and affine_grid_generator.

A sample is a weighted sum of input taps around the grid point: per spatial dim, a few integer
positions with 1-d weights of the point's fractional part (bilinear: 2, bicubic: 4, nearest: 1),
combined over dims as products. The positions (and which taps fall inside the input) are constants
of the grid's values; the weights are written in minitorch ops of the grid, so the VJPs (the
input's: scatter-adds of the weights; the grid's: the weights' derivatives times the tap values)
are themselves differentiable and double backward needs nothing more.
"""
from __future__ import annotations

import math
from itertools import product
from typing import Any, Callable, NamedTuple, Sequence

import numpy as np

from ... import _dtype as D
from ..._tensor import Tensor
from ...autograd.grad_mode import is_grad_enabled
from ...autograd.recording import defop, record
from ..registry import FUNCTIONS, op
from .common import KERNEL_ALL_TYPES, refuse_unless, require_float
from ..joining import cat, stack

BILINEAR, NEAREST, BICUBIC = 0, 1, 2
ZEROS, BORDER, REFLECTION = 0, 1, 2
_A = -0.75  # torch's bicubic convolution coefficient


def _cubic_near(t: Any) -> Any:  # |x| <= 1
    return ((_A + 2) * t - (_A + 3)) * t * t + 1


def _cubic_near_slope(t: Any) -> Any:
    return (3 * (_A + 2) * t - 2 * (_A + 3)) * t


def _cubic_far(t: Any) -> Any:  # 1 < |x| < 2
    return ((_A * t - 5 * _A) * t + 8 * _A) * t - 4 * _A


def _cubic_far_slope(t: Any) -> Any:
    return (3 * _A * t - 10 * _A) * t + 8 * _A


# per mode: tap offsets from floor(x), and each tap's 1-d weight and its derivative, of the fraction t
_TAPS: dict[int, list[tuple[int, Callable, Callable]]] = {
    BILINEAR: [(0, lambda t: 1 - t, lambda t: -1 + 0 * t), (1, lambda t: t, lambda t: 1 + 0 * t)],
    NEAREST: [(0, lambda t: 1 + 0 * t, lambda t: 0 * t)],  # 0 * t keeps the grid in the input's VJP
    BICUBIC: [(-1, lambda t: _cubic_far(t + 1), lambda t: _cubic_far_slope(t + 1)),
              (0, _cubic_near, _cubic_near_slope),
              (1, lambda t: _cubic_near(1 - t), lambda t: -_cubic_near_slope(1 - t)),
              (2, lambda t: _cubic_far(2 - t), lambda t: -_cubic_far_slope(2 - t))],
}


def _reflect(x: np.ndarray, twice_low: int, twice_high: int) -> tuple[np.ndarray, np.ndarray]:
    """torch's reflect_coordinates, and its derivative (+-1: flipped where the point lies past half of its double
    span, not at it, as torch's kernel decides it -- the sign of a zero gradient at a border)."""
    if twice_low == twice_high:
        return np.zeros_like(x), np.zeros_like(x)
    low, span = twice_low / 2, (twice_high - twice_low) / 2
    distance = np.abs(x - low)
    extra = np.fmod(distance, span)
    even = np.floor(distance / span) % 2 == 0
    past_half = np.fmod(distance, 2 * span) > span
    return np.where(even, extra + low, span - extra + low), np.where(past_half ^ (x - low < 0), -1.0, 1.0)


def _clip(x: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """torch's clip_coordinates, and its derivative (0 at and beyond the borders)."""
    return np.clip(x, 0, n - 1), ((x > 0) & (x < n - 1)).astype(x.dtype)


def _padded(x: np.ndarray, n: int, padding: int, align_corners: bool) -> tuple[np.ndarray, np.ndarray]:
    """A coordinate moved inside the input as ``padding`` says, and its derivative."""
    if padding == ZEROS:
        return x, np.ones_like(x)
    dtype, slope = x.dtype, np.ones_like(x)
    if padding == REFLECTION:
        x, slope = _reflect(x, 0, 2 * (n - 1)) if align_corners else _reflect(x, -1, 2 * n - 1)
    x, clip_slope = _clip(x, n)
    # (reflection's sign is a float64 array, and NumPy's clip of a bfloat16 array a float32 one; the kernel masks the
    # slope with the clip's bits: +0 outside, whatever the reflection's sign)
    return x.astype(dtype), (slope * clip_slope + 0.0).astype(dtype)


class _Dim(NamedTuple):
    """One spatial dim of the sampling: the differentiable coordinate and per-tap constants."""
    fraction: Tensor  # t, the coordinate minus its base (a function of the grid)
    slope: np.ndarray  # d coordinate / d grid value
    positions: list[np.ndarray]  # per tap: the (clamped) input position
    inside: list[np.ndarray]  # per tap: whether it lies inside the input


def _dims(grid: Tensor, sizes: Sequence[int], mode: int, padding: int, align_corners: bool) -> list[_Dim]:
    dims = []
    for d, n in enumerate(sizes):
        g = grid[..., len(sizes) - 1 - d]  # the grid's last dim is (x, y[, z]): the last spatial dim first
        half = (n - 1) / 2 if align_corners else n / 2
        # torch unnormalizes (g + 1) (n - 1) / 2, or (g + 1) n / 2 - 1 / 2: in these steps, each rounding in float16
        x = (g + 1) * half if align_corners else (g + 1) * half - 0.5
        xd = x._data
        if mode == BICUBIC:  # the fraction of the raw coordinate; each tap position is padded on its own
            slope = np.ones_like(xd)
            base = np.floor(xd)
            taps = [_padded(base + offset, n, padding, align_corners)[0] for offset, _, _ in _TAPS[mode]]
        else:  # the coordinate is padded first; x_padded = slope * x + (x_padded - slope * x) around x
            padded, slope = _padded(xd, n, padding, align_corners)
            x = x * Tensor._make(slope) + Tensor._make((padded - slope * xd).astype(xd.dtype))
            xd = padded
            base = np.rint(xd) if mode == NEAREST else np.floor(xd)
            taps = [base + offset for offset, _, _ in _TAPS[mode]]
        inside = [(p >= 0) & (p <= n - 1) & np.isfinite(p) for p in taps]
        positions = [np.where(ok, p, 0).astype(np.int64) for p, ok in zip(taps, inside)]
        dims.append(_Dim(x - Tensor._make(base.astype(xd.dtype)), slope * half, positions, inside))
    return dims


def _rows(a: Any, lead: int) -> Any:
    """``a`` (an array or a tensor) with its dims after the first ``lead`` flattened into one: reshape's -1, which
    cannot size an empty array's."""
    return a.reshape(tuple(a.shape[:lead]) + (math.prod(a.shape[lead:]),))


class _Tap(NamedTuple):
    index: np.ndarray  # (N, P) flat input position
    inside: np.ndarray  # (N, P)
    choice: tuple  # per dim, which of its taps


def _taps(dims: Sequence[_Dim], sizes: Sequence[int]) -> list[_Tap]:
    taps = []
    for choice in product(*(range(len(d.positions)) for d in dims)):
        index = np.zeros_like(dims[0].positions[0])
        inside = np.ones(index.shape, bool)
        for d, (dim, k) in enumerate(zip(dims, choice)):
            index = index * sizes[d] + dim.positions[k]
            inside &= dim.inside[k]
        taps.append(_Tap(_rows(index, 1), _rows(inside, 1), choice))
    return taps


def _weight(dims: Sequence[_Dim], tap: _Tap, mode: int, slope_dim: int | None = None) -> Tensor:
    """The tap's weight (the product of its 1-d weights), or with ``slope_dim`` its derivative by
    that dim's coordinate. Flattened to (N, P). The factors are multiplied as torch's kernels do: the last spatial
    dim's (x) first."""
    w = None
    for d, (dim, k) in reversed(list(enumerate(zip(dims, tap.choice)))):
        _, value, slope = _TAPS[mode][k]
        factor = slope(dim.fraction) if d == slope_dim else value(dim.fraction)
        w = factor if w is None else w * factor
    return _rows(w, 1)


def _sample_np(x: np.ndarray, dims: Sequence[_Dim], taps: Sequence[_Tap], mode: int) -> np.ndarray:
    flat = _rows(x, 2)
    out = np.zeros((x.shape[0], x.shape[1], taps[0].index.shape[1]), x.dtype)
    for tap in taps:
        w = (_weight(dims, tap, mode)._data * tap.inside).astype(x.dtype)
        out += np.take_along_axis(flat, tap.index[:, None, :], axis=2) * w[:, None, :]
    return out


def _constant(a: np.ndarray, like: Tensor) -> Tensor:
    return Tensor._make(a.astype(like._data.dtype))


def _addition_order(taps: int, points: int, chunk: int) -> np.ndarray:
    """The (tap, point) pairs, flattened tap-major, in the order torch's backward kernel adds them: ``chunk`` grid
    points at a time, each tap over them."""
    tap, point = np.meshgrid(np.arange(taps), np.arange(points), indexing="ij")
    return np.lexsort((point.ravel(), tap.ravel(), point.ravel() // chunk))


def _grad_input(grad: Tensor, input: Tensor, grid: Tensor, mode: int, padding: int, align_corners: bool) -> Tensor:
    """The weights of each tap times the gradient, added back at its input position one by one in torch's order
    (each addition rounding in the dtype): the 2-d kernel takes the grid points a 256-bit vector of the dtype at a time
    (16 float16/bfloat16, 8 float32, 4 float64: measured), the 3-d kernel one at a time."""
    n, c = input.shape[:2]
    dims = _dims(grid, input.shape[2:], mode, padding, align_corners)
    taps = _taps(dims, input.shape[2:])
    g = _rows(grad, 2)
    points = g.shape[2]
    chunk = 1 if len(dims) == 3 else 32 // g._data.dtype.itemsize
    order = _addition_order(len(taps), points, chunk)
    where = np.concatenate([t.index for t in taps], axis=1)[:, order]  # (N, taps * points)
    shares = cat([g * (_weight(dims, t, mode) * _constant(t.inside, g)).unsqueeze(1) for t in taps], 2)
    shares = shares.index_select(2, Tensor._make(order))
    key = (Tensor._make(np.arange(n)[:, None, None]), Tensor._make(np.arange(c)[None, :, None]),
           Tensor._make(where[:, None, :]))
    zeros = Tensor._make(np.zeros((n, c, int(np.prod(input.shape[2:]))), g._data.dtype))
    return zeros.index_put(key, shares, accumulate=True).reshape(input.shape)


def _bilinear_grid_grad_in_dtype(grad: Tensor, input: Tensor, dims: Sequence[_Dim], grid: Tensor) -> Tensor:
    """The 2-d bilinear kernel's grid gradient of a float16/bfloat16 input, each operation rounding in the dtype as
    its vectors of the dtype do: per grid point, over the channels in order, ``gx += ((ne - nw) * s + (se - sw) * n)
    * gOut`` and ``gy += ((sw - nw) * e + (se - ne) * w) * gOut`` (``w``, ``n``: the fractions; ``e = 1 - w``,
    ``s = 1 - n``), then each times its coordinate's slope."""
    n, c = input.shape[:2]
    dtype = grad._data.dtype
    one = dtype.type(1)
    fraction_y, fraction_x = (_rows(d.fraction._data, 1) for d in dims)
    south, east = one - fraction_y, one - fraction_x
    flat, g = _rows(input._data, 2), _rows(grad._data, 2)
    corners = [np.where(t.inside[:, None, :], np.take_along_axis(flat, t.index[:, None, :], axis=2), dtype.type(0))
               for t in _taps(dims, input.shape[2:])]
    nw, ne, sw, se = corners  # (taps in (y, x) order: (0, 0), (0, 1), (1, 0), (1, 1))
    gx = gy = np.zeros(fraction_x.shape, dtype)
    for k in range(c):
        gx = gx + ((ne[:, k] - nw[:, k]) * south + (se[:, k] - sw[:, k]) * fraction_y) * g[:, k]
        gy = gy + ((sw[:, k] - nw[:, k]) * east + (se[:, k] - ne[:, k]) * fraction_x) * g[:, k]
    slope_y, slope_x = (_rows(d.slope, 1).astype(dtype) for d in dims)
    return Tensor._make(np.stack([gx * slope_x, gy * slope_y], -1).reshape(grid.shape))


def _grad_grid(grad: Tensor, input: Tensor, grid: Tensor, mode: int, padding: int, align_corners: bool) -> Tensor:
    """Per grid value: the tap values times the derivatives of their weights by its coordinate."""
    if mode == NEAREST:  # piecewise constant: torch's zeros (+0, NaN grid or not); under create_graph tied to the grid
        return grid * 0 if is_grad_enabled() else Tensor._make(np.zeros(grid._data.shape, grid._data.dtype))
    n, c = input.shape[:2]
    sizes = input.shape[2:]
    dims = _dims(grid, sizes, mode, padding, align_corners)
    if mode == BILINEAR and len(sizes) == 2 and grad._data.dtype in D.REDUCED_NP and not is_grad_enabled():
        return _bilinear_grid_grad_in_dtype(grad, input, dims, grid)
    g = _rows(grad, 2)
    flat = _rows(input, 2)
    by_dim: list[Any] = [0] * len(dims)
    for tap in _taps(dims, sizes):
        values = flat.gather(2, Tensor._make(tap.index[:, None, :].repeat(c, axis=1)))
        weighted = (g * values).sum(1) * _constant(tap.inside, g)
        for d in range(len(dims)):
            by_dim[d] = by_dim[d] + weighted * _weight(dims, tap, mode, slope_dim=d)
    columns = [by_dim[d] * _constant(_rows(dims[d].slope, 1), g) for d in range(len(dims))]
    return stack(columns[::-1], -1).reshape(grid.shape)


GRID_SAMPLER = {
    n: defop("grid_sampler_%dd" % n, ("input", "grid"), {"input": _grad_input, "grid": _grad_grid},
             grad_name="GridSampler%dDBackward0" % n, widen=False)  # (torch's backward kernels run in the dtype)
    for n in (2, 3)}


def grid_sample(input: Tensor, grid: Tensor, mode: int, padding: int, align_corners: bool) -> Tensor:
    """``input`` (N, C, *in) sampled at ``grid`` (N, *out, n) points: (N, C, *out)."""
    n = grid.shape[-1]
    dims = _dims(grid.detach(), input.shape[2:], mode, padding, align_corners)
    out = _sample_np(input._data, dims, _taps(dims, input.shape[2:]), mode)
    out = out.reshape(input.shape[:2] + grid.shape[1:-1])
    return record(GRID_SAMPLER[n], out, (input, grid), {"mode": mode, "padding": padding,
                                                        "align_corners": align_corners})


def _check_grid_sampler(input: Tensor, grid: Tensor, mode: int, n: int) -> None:
    """torch's check_grid_sampler_common, then its checks for ``n`` spatial dims."""
    sizes = "input with sizes %s and grid with sizes %s" % (list(input.shape), list(grid.shape))
    if input.size(0) != grid.size(0):
        raise RuntimeError("grid_sampler(): expected grid and input to have same batch size, but got " + sizes)
    if grid.shape[-1] != input.dim() - 2:
        raise RuntimeError("grid_sampler(): expected grid to have size %d in last dimension, but got grid with sizes "
                           "%s" % (input.dim() - 2, list(grid.shape)))
    for i in range(2, input.dim()):
        if input.shape[i] == 0:
            raise RuntimeError("grid_sampler(): expected input to have non-empty spatial dimensions, but input has "
                               "sizes %s with dimension %d being empty" % (list(input.shape), i))
    if input.dim() != n + 2 or grid.dim() != n + 2:
        raise RuntimeError("grid_sampler(): expected %dD input and grid with same number of dimensions, but got %s"
                           % (n + 2, sizes))
    if n == 3 and mode == BICUBIC:
        raise RuntimeError("grid_sampler(): bicubic interpolation only supports 4D input")
    # the kernel's dtype dispatch, then its accessors' dtype check: torch calls the 2-d kernel for a nonempty output
    # only, and the 3-d one checks the dtypes only when the output is nonempty
    empty = input.shape[0] * input.shape[1] * math.prod(grid.shape[1:-1]) == 0
    if n == 3 or not empty:
        require_float("grid_sampler_2d_cpu_kernel_impl" if n == 2 else "grid_sampler3d_cpu", input)
    if grid.dtype != input.dtype and not empty:
        raise RuntimeError("expected scalar type %s but found %s" % (input.dtype._cast_name, grid.dtype._cast_name))


def _grid_sampler_nd(n: int | None) -> Callable:
    """torch.grid_sampler (``n`` None: 2-d for a 4-d input, else 3-d) or grid_sampler_<n>d."""
    def grid_sampler(input: Tensor, grid: Tensor, interpolation_mode: int, padding_mode: int,
                     align_corners: bool) -> Tensor:
        _check_grid_sampler(input, grid, interpolation_mode, n or (2 if input.dim() == 4 else 3))
        # torch reads an unknown mode number as no mode and returns uninitialised memory: refused here instead
        if interpolation_mode not in _TAPS:
            raise RuntimeError("grid_sampler(): unknown interpolation mode %d" % interpolation_mode)
        if padding_mode not in (ZEROS, BORDER, REFLECTION):
            raise RuntimeError("grid_sampler(): unknown padding mode %d" % padding_mode)
        return grid_sample(input, grid, interpolation_mode, padding_mode, align_corners)
    return grid_sampler


for _name, _n in (("grid_sampler", None), ("grid_sampler_2d", 2), ("grid_sampler_3d", 3)):
    op("%s(Tensor input, Tensor grid, int64_t interpolation_mode, int64_t padding_mode, bool align_corners)"
       % _name)(_grid_sampler_nd(_n))


# ---- affine_grid_generator: the base grid (x, y[, z], 1) of the output times theta's transpose -------
def _line_from_neg_one(theta: Tensor, steps: int, align_corners: bool) -> np.ndarray:
    """torch's linspace_from_neg_one: linspace from -1 to 1 in theta's dtype (and its refusals of the dtype), times
    (steps - 1) / steps without align_corners (a true division: integers are truncated back), or a 0 for one step
    (``at::tensor(0)``, whose kernel takes the standard types and complex, not the reduced floats)."""
    if steps <= 1:
        refuse_unless("tensor_cpu", theta, KERNEL_ALL_TYPES - {D.float16, D.bfloat16})
        return np.zeros(1, theta._data.dtype)
    line = FUNCTIONS["linspace"](-1, 1, steps, dtype=theta.dtype)
    if not align_corners:
        line = (line * (steps - 1) / steps).to(theta.dtype)
    return line._data


def _base_grid(size: Sequence[int], align_corners: bool, theta: Tensor) -> np.ndarray:
    """(prod(spatial), n + 1) in theta's dtype: torch's line from -1 to 1 per spatial dim (the last dim's first, as
    torch makes them), the last spatial dim's column first, then a column of ones."""
    spatial = list(size[2:])
    axes = [_line_from_neg_one(theta, s, align_corners) for s in reversed(spatial)][::-1]
    mesh = np.meshgrid(*axes, indexing="ij")
    columns = [m.reshape(-1) for m in mesh[::-1]] + [np.ones(int(np.prod(spatial)), theta._data.dtype)]
    return np.stack(columns, axis=-1)


AFFINE_GRID = defop("affine_grid_generator", ("theta",), {
    "theta": lambda grad, base: Tensor._make(base).T.matmul(
        grad.reshape(grad.shape[0], math.prod(grad.shape[1:-1]), grad.shape[-1]))
    .transpose(1, 2)})


@op("affine_grid_generator(Tensor theta, SymIntArrayRef size, bool align_corners)")
def affine_grid_generator(theta: Tensor, size: Sequence[int], align_corners: bool) -> Tensor:
    n = len(size)
    if n not in (4, 5):
        raise RuntimeError("AffineGridGenerator needs 4d (spatial) or 5d (volumetric) inputs.")
    base = _base_grid(size, align_corners, theta)  # (made first: linspace's refusals of theta's dtype)
    if theta.dim() < 3:  # torch transposes theta's dims 1 and 2
        raise IndexError("Dimension out of range (expected to be in range of [%d, %d], but got 2)"
                         % (-max(theta.dim(), 1), max(theta.dim(), 1) - 1))
    if theta.shape[0] != size[0]:
        raise RuntimeError("Expected size for first two dimensions of batch2 tensor to be: [%d, %d] but got: [%d, %d]."
                           % (size[0], base.shape[1], theta.shape[0], theta.shape[2]))
    grid = (base @ np.swapaxes(theta._data, 1, 2)).astype(theta._data.dtype, copy=False)  # (bfloat16's is float32)
    return record(AFFINE_GRID, grid.reshape((size[0],) + tuple(size[2:]) + (n - 2,)), (theta,), {"base": base})
