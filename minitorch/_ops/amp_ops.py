"""The two kernels under ``GradScaler``: unscaling gradients while looking for infs and NaNs, and updating
the loss scale (torch's aten/src/ATen/native/cpu/AmpGradScalerKernels.cpp)."""
from __future__ import annotations

import numpy as np

from .. import _dtype as D
from .._tensor import Tensor
from ..autograd.recording import check_inplace, write
from .registry import op


def _check_one_element(name: str, t: Tensor) -> None:
    if t._data.size != 1:
        raise RuntimeError("%s must be a 1-element tensor." % name)


def _check_float(name: str, t: Tensor) -> None:
    if t.dtype is not D.float32:
        raise RuntimeError("%s must be a float tensor." % name)


@op("_amp_foreach_non_finite_check_and_unscale_(TensorList self, Tensor found_inf, Tensor inv_scale)")
def amp_foreach_non_finite_check_and_unscale_(grads: list[Tensor], found_inf: Tensor, inv_scale: Tensor) -> None:
    """Multiply every tensor of ``grads`` by ``inv_scale`` in place (in float32 for the reduced floats, rounded
    once); ``found_inf`` becomes 1 if any of them holds an inf or a NaN."""
    _check_one_element("inv_scale", inv_scale)
    _check_one_element("found_inf", found_inf)
    _check_float("inv_scale", inv_scale)
    _check_float("found_inf", found_inf)
    for g in grads:  # (its kernel has the four floating dtypes: no float8)
        if g.dtype.category != D.FLOATING or g.dtype in D.FLOAT8:
            raise NotImplementedError('"_amp_foreach_non_finite_check_and_unscale_cpu" not implemented for \'%s\''
                                      % g.dtype._cast_name)
    inv = inv_scale._data.reshape(())
    for g in grads:
        if not np.isfinite(g._data).all():
            write(found_inf, np.ones_like(found_inf._data))
        wide = g._data.astype(np.float32) if g.dtype in (D.float16, D.bfloat16) else g._data
        write(g, wide * inv.astype(wide.dtype))


@op("_amp_update_scale_(Tensor input, Tensor growth_tracker, Tensor found_inf, double scale_growth_factor, "
    "double scale_backoff_factor, int64_t growth_interval)")
def amp_update_scale_(scale: Tensor, growth_tracker: Tensor, found_inf: Tensor, growth_factor: float,
                      backoff_factor: float, growth_interval: int) -> Tensor:
    """The loss scale after a step: backed off (and the count of clean steps reset) if ``found_inf`` is nonzero,
    else grown when the count reaches ``growth_interval`` and the grown scale is finite; returns ``scale``."""
    check_inplace(scale, (growth_tracker, found_inf))
    check_inplace(growth_tracker)  # (written in place too)
    _check_one_element("growth_tracker", growth_tracker)
    _check_one_element("current_scale", scale)
    _check_one_element("found_inf", found_inf)
    if growth_tracker.dtype is not D.int32:
        raise RuntimeError("growth_tracker must be an int tensor.")
    _check_float("current_scale", scale)
    _check_float("found_inf", found_inf)
    current = np.float32(scale._data.reshape(()))
    tracker = int(growth_tracker._data.reshape(()))
    if found_inf._data.reshape(()) != 0:  # a NaN counts as found
        current, tracker = current * np.float32(backoff_factor), 0
    elif tracker + 1 == growth_interval:
        grown = current * np.float32(growth_factor)
        current, tracker = (grown if np.isfinite(grown) else current), 0
    else:
        tracker += 1
    write(scale, np.full_like(scale._data, current))
    write(growth_tracker, np.full_like(growth_tracker._data, tracker))
    return scale
