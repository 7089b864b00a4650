"""torch.nn.functional's resampling: ``interpolate`` (and the deprecated ``upsample*``),
``grid_sample`` and ``affine_grid`` with torch's argument checks, and the pixel and channel
shuffles (the same callables as torch's ``torch.*`` bindings, as in torch). The kernels are in
``_ops/nn_ops/``: ``upsample.py``, ``grid_sample.py``, ``shuffle.py``."""
from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from .. import _dtype as D
from .._ops.nn_ops import antialias as _antialias, upsample as _upsample
from .._ops.nn_ops.common import KERNEL_FLOATS
from .._ops.registry import FUNCTIONS
from .._ops.scalar_cast import checked_scalar
from .._tensor import Tensor
from ._functional_pooling import adaptive_avg_pool1d, adaptive_avg_pool2d, adaptive_avg_pool3d
from .._ops.autocast_policy import autocast_args

pixel_shuffle = FUNCTIONS["pixel_shuffle"]
pixel_unshuffle = FUNCTIONS["pixel_unshuffle"]
channel_shuffle = FUNCTIONS["channel_shuffle"]
native_channel_shuffle = FUNCTIONS["native_channel_shuffle"]

# the modes that interpolate, the number of spatial dims each takes (None: any of 1-3)
_MODES = {"nearest": None, "nearest-exact": None, "area": None, "linear": 1, "bilinear": 2, "bicubic": 2,
          "trilinear": 3}
_CHANNELS_LAST_KERNELS = {"nearest": "nearest", "nearest-exact": "nearest", "bilinear": "bilinear",
                          "trilinear": "trilinear"}
_KERNELS = {"nearest": "nearest", "nearest-exact": "nearest", "linear": "linear", "bilinear": "linear",
            "trilinear": "linear", "bicubic": "cubic"}
_AREA = {1: adaptive_avg_pool1d, 2: adaptive_avg_pool2d, 3: adaptive_avg_pool3d}


def _is_integer(x: Any) -> bool:
    return isinstance(x, (int, np.integer)) or (isinstance(x, Tensor) and not x.is_floating_point())


def _output_and_scales(input: Tensor, dim: int, size: Any, scale_factor: Any,
                       recompute_scale_factor: bool | None, mode: str) -> tuple[Any, Any]:
    """torch's reading of ``size`` / ``scale_factor``: the output size, or the scales to apply."""
    output_size = scale_factors = None
    if size is not None and scale_factor is not None:
        raise ValueError("only one of size or scale_factor should be defined")
    if size is not None:
        if isinstance(size, (list, tuple)):
            if len(size) != dim:
                raise ValueError(
                    "Input and output must have the same number of spatial dimensions, but got input with spatial "
                    "dimensions of %s and output size of %s. Please provide input tensor in (N, C, d1, d2, ...,dK) "
                    "format and output size in (o1, o2, ...,oK) format." % (list(input.shape[2:]), size))
            if not all(_is_integer(x) for x in size):
                raise TypeError("expected size to be one of int or Tuple[int] or Tuple[int, int] or "
                                "Tuple[int, int, int], but got size with types %s" % [type(x) for x in size])
            output_size = list(size)
        else:
            output_size = [size] * dim
    elif scale_factor is not None:
        if isinstance(scale_factor, (list, tuple)):
            if len(scale_factor) != dim:
                raise ValueError(
                    "Input and scale_factor must have the same number of spatial dimensions, but got input with "
                    "spatial dimensions of %s and scale_factor of shape %s. Please provide input tensor in (N, C, "
                    "d1, d2, ...,dK) format and scale_factor in (s1, s2, ...,sK) format."
                    % (list(input.shape[2:]), scale_factor))
            scale_factors = list(scale_factor)
        else:
            scale_factors = [scale_factor] * dim
    else:
        raise ValueError("either size or scale_factor should be defined")
    if recompute_scale_factor and size is not None:
        raise ValueError("recompute_scale_factor is not meaningful with an explicit size.")
    if recompute_scale_factor or (mode == "area" and output_size is None):
        return [int(input.size(i + 2) * scale_factors[i]) for i in range(dim)], None
    return output_size, scale_factors


def _check_sizes(input: Tensor, output_size: list[int]) -> None:
    """torch's upsample kernels refuse an empty input or output spatial size."""
    sizes = list(input.shape[2:])
    if min(sizes + output_size) > 0:
        return
    names = ("D", "H", "W")[3 - len(sizes):]
    given = ", ".join("%s: %d" % nv for nv in zip(names, sizes))
    wanted = ", ".join("%s: %d" % nv for nv in zip(names, output_size))
    raise RuntimeError("Input and output sizes should be greater than 0, but got input (%s)%s output (%s)"
                       % (given, " and" if len(sizes) == 1 else "", wanted))


def interpolate(input: Tensor, size: Any = None, scale_factor: Any = None, mode: str = "nearest",
                align_corners: bool | None = None, recompute_scale_factor: bool | None = None,
                antialias: bool = False) -> Tensor:
    if mode in ("nearest", "area", "nearest-exact"):
        if align_corners is not None:
            raise ValueError("align_corners option can only be set with the interpolating modes: "
                             "linear | bilinear | bicubic | trilinear")
    elif align_corners is None:
        align_corners = False
    dim = input.dim() - 2
    output_size, scales = _output_and_scales(input, dim, size, scale_factor, recompute_scale_factor, mode)
    if antialias:
        if not (mode in _antialias.FILTER_SIZES and input.dim() == 4):
            raise ValueError("Anti-alias option is restricted to bilinear, bicubic, and lanczos modes and requires a "
                             "4-D tensor as input")
    if mode == "lanczos" and input.dim() == 4:
        if align_corners:
            raise ValueError("Lanczos mode does not support align_corners=True")
        if not antialias:
            raise ValueError("Lanczos mode requires antialias=True")
    if antialias:
        if output_size is None:
            output_size = [int(n * s) for n, s in zip(input.shape[2:], scales)]
        _check_sizes(input, output_size)
        if input.dtype not in (D.float32, D.float64, D.uint8):
            raise NotImplementedError("\"compute_index_ranges_weights\" not implemented for '%s'"
                                      % input.dtype._cast_name)
        return _antialias.upsample_antialiased(input, mode, output_size, align_corners, scales or [None] * dim)
    wanted = _MODES.get(mode, 0)
    # (torch names the wanted dims for the linear modes only: bicubic's wrong dims meet its catch-all error)
    if dim not in (1, 2, 3) or wanted == 0 or mode == "bicubic" and wanted != dim:
        raise NotImplementedError(
            "Input Error: Only 3D, 4D and 5D input Tensors supported (got %dD) for the modes: nearest | linear | "
            "bilinear | bicubic | trilinear | lanczos | area | nearest-exact (got %s)" % (input.dim(), mode))
    if wanted is not None and wanted != dim:
        raise NotImplementedError("Got %dD input, but %s mode needs %dD input" % (input.dim(), mode, wanted + 2))
    if mode == "area":
        return _AREA[dim](input, output_size)
    if output_size is None:
        # (the kernel's checked conversion of the double n * s: NaN, inf and sizes past int64 are torch's error)
        output_size = [int(checked_scalar(n * float(s), D.int64)) for n, s in zip(input.shape[2:], scales)]
    _check_sizes(input, output_size)  # (the upsample meta function's, before the kernel's dispatch)
    if input.dtype is D.uint8 and mode in ("bilinear", "bicubic"):
        return _antialias.upsample_uint8(input, mode, output_size, align_corners, scales or [None] * dim)
    if not (input.dtype in KERNEL_FLOATS or (mode.startswith("nearest") and input.dtype is D.uint8)):
        raise NotImplementedError("\"%s\" not implemented for '%s'" % (_kernel_name(input, mode, output_size),
                                                                        input.dtype._cast_name))
    return _upsample.upsample(input, mode, output_size, align_corners, scales or [None] * dim)


def _kernel_name(input: Tensor, mode: str, output_size: list[int]) -> str:
    """The CPU kernel torch dispatches an upsampling to: its channels-last kernel (``takes_channels_last_kernel``),
    else the generic kernel, named by its index computation."""
    dim = input.dim() - 2
    if _upsample.takes_channels_last_kernel(input, mode, output_size):
        return "upsample_%s%dd_channels_last" % (_CHANNELS_LAST_KERNELS[mode], dim)
    return "compute_indices_weights_" + _KERNELS[mode]


def _deprecated(name: str) -> None:
    warnings.warn("`nn.functional.%s` is deprecated. Use `nn.functional.interpolate` instead." % name, stacklevel=3)


def upsample(input: Tensor, size: Any = None, scale_factor: Any = None, mode: str = "nearest",
             align_corners: bool | None = None) -> Tensor:
    _deprecated("upsample")
    return interpolate(input, size, scale_factor, mode, align_corners)


def upsample_nearest(input: Tensor, size: Any = None, scale_factor: Any = None) -> Tensor:
    _deprecated("upsample_nearest")
    return interpolate(input, size, scale_factor, mode="nearest")


def upsample_bilinear(input: Tensor, size: Any = None, scale_factor: Any = None) -> Tensor:
    _deprecated("upsample_bilinear")
    return interpolate(input, size, scale_factor, mode="bilinear", align_corners=True)


# ---- sampling at grid points --------------------------------------------------------------------
_GRID_MODES = {"bilinear": 0, "nearest": 1, "bicubic": 2}
_PADDING_MODES = {"zeros": 0, "border": 1, "reflection": 2}
_ALIGN_CORNERS_CHANGED = ("Default grid_sample and affine_grid behavior has changed to align_corners=False "
                          "since 1.3.0. "
                          "Please specify align_corners=True if the old behavior is desired. See the documentation of "
                          "grid_sample for details.")


def grid_sample(input: Tensor, grid: Tensor, mode: str = "bilinear", padding_mode: str = "zeros",
                align_corners: bool | None = None) -> Tensor:
    input, grid = autocast_args("grid_sample", input, grid)
    if mode not in _GRID_MODES:
        raise ValueError("nn.functional.grid_sample(): expected mode to be 'bilinear', 'nearest' or 'bicubic', but "
                         "got: '%s'" % mode)
    if padding_mode not in _PADDING_MODES:
        raise ValueError("nn.functional.grid_sample(): expected padding_mode to be 'zeros', 'border', or "
                         "'reflection', but got: '%s'" % padding_mode)
    if align_corners is None:
        warnings.warn(_ALIGN_CORNERS_CHANGED, stacklevel=2)
        align_corners = False
    return FUNCTIONS["grid_sampler"](input, grid, _GRID_MODES[mode], _PADDING_MODES[padding_mode], align_corners)


def affine_grid(theta: Tensor, size: list[int], align_corners: bool | None = None) -> Tensor:
    if align_corners is None:
        warnings.warn(_ALIGN_CORNERS_CHANGED, stacklevel=2)
        align_corners = False
    if not theta.is_floating_point():
        raise ValueError("Expected theta to have floating point type, but got %s" % theta.dtype)
    if len(size) == 4:
        if theta.dim() != 3 or theta.shape[-2] != 2 or theta.shape[-1] != 3:
            raise ValueError("Expected a batch of 2D affine matrices of shape Nx2x3 for size %s. Got %s."
                             % (size, theta.shape))
        spatial = size[-2:]
    elif len(size) == 5:
        if theta.dim() != 3 or theta.shape[-2] != 3 or theta.shape[-1] != 4:
            raise ValueError("Expected a batch of 3D affine matrices of shape Nx3x4 for size %s. Got %s."
                             % (size, theta.shape))
        spatial = size[-3:]
    else:
        raise NotImplementedError("affine_grid only supports 4D and 5D sizes, for 2D and 3D affine transforms, "
                                  "respectively. Got size %s." % (size,))
    if align_corners and min(spatial) == 1:
        warnings.warn("Since version 1.3.0, affine_grid behavior has changed for unit-size grids when "
                      "align_corners=True. This is not an intended use case of affine_grid. See the documentation "
                      "of affine_grid for details.", stacklevel=2)
    elif min(size) <= 0:
        raise ValueError("Expected non-zero, positive output size. Got %s" % (size,))
    return FUNCTIONS["affine_grid_generator"](theta, size, align_corners)
