"""Loss reductions: validation of ``reduction=`` and the legacy ``size_average`` / ``reduce`` flags."""
from __future__ import annotations

import warnings


def get_reduction(reduction: str, size_average: bool | None = None, reduce: bool | None = None) -> str:
    """The validated reduction ('none', 'mean' or 'sum'); the legacy flags override it, with torch's warning."""
    if size_average is not None or reduce is not None:
        return legacy_get_string(size_average, reduce)
    if reduction in ("none", "mean", "sum"):
        return reduction
    if reduction == "elementwise_mean":
        warnings.warn("reduction='elementwise_mean' is deprecated. Please use reduction='mean' instead.", stacklevel=3)
        return "mean"
    raise ValueError(f"{reduction} is not a valid value for reduction")  # (format: a 0-d tensor shows its item)


def legacy_get_string(size_average: bool | None, reduce: bool | None, emit_warning: bool = True) -> str:
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    ret = "mean" if size_average and reduce else "sum" if reduce else "none"
    if emit_warning:
        warnings.warn("size_average and reduce args will be deprecated, please use reduction='%s' instead." % ret,
                      stacklevel=3)
    return ret
