"""Tensor printing: ``repr(t)`` / ``str(t)`` exactly as torch 2.13 prints a dense CPU tensor.

Follows torch/_tensor_str.py, reorganised around NumPy: the elements that will be shown (all of
them, or the ``edgeitems`` corners of a summarized tensor) are taken out once, formatted once to
strings of a common width, and then assembled into nested brackets with torch's line wrapping.
"""
from __future__ import annotations

import contextlib
import math
from typing import Any, Iterator

import numpy as np

from . import _dtype

__all__ = ["set_printoptions", "get_printoptions", "printoptions", "tensor_repr"]


class _PrintOptions:
    """torch's ``PRINT_OPTS`` (a plain class: ``dataclasses`` and the decorator were ~0.5% of ``import minitorch``)."""

    def __init__(self) -> None:  # (in get_printoptions' order)
        self.precision: int = 4
        self.threshold: float = 1000
        self.edgeitems: int = 3
        self.linewidth: int = 80
        self.sci_mode: bool | None = None


PRINT_OPTS = _PrintOptions()

_PROFILES: dict[str, dict[str, float]] = {
    "default": {"precision": 4, "threshold": 1000, "edgeitems": 3, "linewidth": 80},
    "short": {"precision": 2, "threshold": 1000, "edgeitems": 2, "linewidth": 80},
    "full": {"precision": 4, "threshold": math.inf, "edgeitems": 3, "linewidth": 80},
}


# a tensor's forward-AD tangent, or None: autograd.forward_ad installs its reader (a view reads its base's)
TANGENT: list = [lambda t: None]


def set_printoptions(precision: int | None = None, threshold: float | None = None,
                     edgeitems: int | None = None, linewidth: int | None = None,
                     profile: str | None = None, sci_mode: bool | None = None) -> None:
    """torch.set_printoptions: a profile first, then the options given override it.

    As in torch, an unknown profile is ignored and ``sci_mode`` is always reset (to automatic,
    ``None``, when not given).
    """
    if profile is not None:
        for name, preset in _PROFILES.get(profile, {}).items():
            setattr(PRINT_OPTS, name, preset)
    given = {"precision": precision, "threshold": threshold, "edgeitems": edgeitems,
             "linewidth": linewidth}
    for name, value in given.items():
        if value is not None:
            setattr(PRINT_OPTS, name, value)
    PRINT_OPTS.sci_mode = sci_mode


def get_printoptions() -> dict[str, Any]:
    """The current options, as keyword arguments for set_printoptions."""
    return dict(vars(PRINT_OPTS))


@contextlib.contextmanager
def printoptions(**kwargs: Any) -> Iterator[None]:
    """Temporarily change the print options (same arguments as set_printoptions)."""
    old = get_printoptions()
    set_printoptions(**kwargs)
    try:
        yield
    finally:
        set_printoptions(**old)


def _summarize(data: np.ndarray) -> tuple[np.ndarray, tuple[bool, ...]]:
    """Keep the first and last ``edgeitems`` entries along every axis longer than twice that.

    Returns the kept elements and, per axis, whether it was cut (an ellipsis goes there).
    """
    e = PRINT_OPTS.edgeitems
    cuts = []
    for axis, n in enumerate(data.shape):
        cuts.append(n > 2 * e)
        if cuts[-1]:
            data = np.take(data, np.concatenate((np.arange(e), np.arange(n - e, n))), axis=axis)
    return data, tuple(cuts)


def _float_strings(values: np.ndarray) -> tuple[list[str], list[bool]]:
    """Unpadded strings of float elements, and which of them set the column width.

    torch sizes the columns and picks the notation from the finite nonzero elements only.
    """
    flat = values.astype(np.float64).ravel()  # exact for float16/32, as torch's .item() is
    counted = np.isfinite(flat) & (flat != 0)
    if values.dtype == _dtype.float8_e8m0fnu.np:  # torch's `!= 0` compares in e8m0, where 0 is its smallest, 2**-127
        counted &= flat != 2.0 ** -127
    p = PRINT_OPTS.precision
    if counted.any():
        shown = flat[counted]
        mag = np.abs(shown)
        lo, hi = mag.min(), mag.max()
        int_mode = bool(np.all(shown == np.ceil(shown)))
        sci = PRINT_OPTS.sci_mode
        if sci is None:
            sci = hi / lo > 1000.0 or hi > 1.0e8 or lo < 1.0e-4
    else:
        int_mode, sci = True, False  # torch ignores sci_mode when nothing is finite and nonzero
    items = flat.tolist()
    if sci:
        strs = [f"{v:.{p}e}" for v in items]
    elif int_mode:
        # integer-valued floats print as "1." so that they still read as floats; nan/inf do not
        strs = [f"{v:.0f}." if math.isfinite(v) else f"{v:.0f}" for v in items]
    else:
        strs = [f"{v:.{p}f}" for v in items]
    return strs, counted.tolist()


def _float_column(values: np.ndarray) -> tuple[list[str], int]:
    """torch's _Formatter on floating values: their strings, and the width they are right-aligned to."""
    strs, counted = _float_strings(values)
    return strs, max((len(s) for s, c in zip(strs, counted) if c), default=1)


def _format_elements(values: np.ndarray, dtype: _dtype.dtype) -> tuple[np.ndarray, int]:
    """Every element as a string, and the width torch's line wrapping counts per element.

    A complex element is its real part right-aligned to the real parts' width, then its imaginary
    part (formatted on its own, as torch does with a second formatter) with its sign and a ``j``.
    """
    if dtype.is_complex:
        parts = (values["real"], values["imag"]) if dtype is _dtype.complex32 else (values.real, values.imag)
        real, real_width = _float_column(parts[0])
        imag, imag_width = _float_column(parts[1])
        imag = [(i.rjust(imag_width) + "j").lstrip() for i in imag]
        strs = [r.rjust(real_width) + (i if i[0] in "+-" else "+" + i) for r, i in zip(real, imag)]
        # torch counts the imaginary column and its ``j`` in each element's length
        return np.array(strs, dtype=object).reshape(values.shape), real_width + imag_width + 1
    if dtype.is_floating_point:
        strs, width = _float_column(values)
    else:
        strs = [str(v) for v in values.ravel().tolist()]  # ints, and True/False for bool
        width = max(map(len, strs), default=1)
    padded = np.array([s.rjust(width) for s in strs], dtype=object).reshape(values.shape)
    return padded, width


def _vector_str(strs: list[str], cut: bool, indent: int, width: int) -> str:
    e = PRINT_OPTS.edgeitems
    if cut:  # the ellipsis fills a column of its own, or stands alone when edgeitems is 0
        strs[e:e] = [" ..." if e else "..."]
    per_line = max(1, math.floor((PRINT_OPTS.linewidth - indent) / (width + 2)))
    lines = [", ".join(strs[i:i + per_line]) for i in range(0, len(strs), per_line)]
    return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"


def _layout(strs: np.ndarray, cuts: tuple[bool, ...], indent: int, width: int) -> str:
    """Nest formatted elements in brackets; the rows of a rank-k block are k-2 blank lines apart."""
    if strs.ndim == 0:
        return strs.item()
    if strs.ndim == 1:
        return _vector_str(strs.tolist(), cuts[0], indent, width)
    rows = [_layout(sub, cuts[1:], indent + 1, width) for sub in strs]
    if cuts[0]:
        rows[PRINT_OPTS.edgeitems:PRINT_OPTS.edgeitems] = ["..."]
    return "[" + ("," + "\n" * (strs.ndim - 1) + " " * (indent + 1)).join(rows) + "]"


def _tensor_str(data: np.ndarray, dtype: _dtype.dtype, indent: int) -> str:
    """The bracketed values of a nonempty array, as they follow a prefix ``indent`` chars long."""
    if data.size > PRINT_OPTS.threshold:
        data, cuts = _summarize(data)
    else:
        cuts = (False,) * data.ndim
    strs, width = _format_elements(data, dtype)
    return _layout(strs, cuts, indent, width)


def _add_suffixes(text: str, suffixes: list[str], indent: int) -> str:
    """Append ``, suffix`` items, each moved to its own line when it would pass the linewidth."""
    # torch counts the last line as 2 characters longer than it is (its rfind arithmetic)
    line_len = len(text) - text.rfind("\n") + 1
    parts = [text]
    for suffix in suffixes:
        if line_len + len(suffix) + 2 > PRINT_OPTS.linewidth:
            parts.append(",\n" + " " * indent + suffix)
            line_len = indent + len(suffix)
        else:
            parts.append(", " + suffix)
            line_len += len(suffix) + 2
    return "".join(parts) + ")"


def tensor_repr(t: Any, *, tensor_contents: str | None = None) -> str:
    """``repr(t)``: ``tensor(<values>, <suffixes>)``; ``tensor_contents`` replaces the values."""
    prefix = "tensor("
    data, dtype, body = t._data, t.dtype, tensor_contents
    suffixes = []
    if data.size == 0:
        if data.ndim != 1:
            suffixes.append(f"size={tuple(data.shape)}")
        # no element shows whether an empty tensor is integral, so only the default dtype is implied
        if dtype is not _dtype.get_default_dtype():
            suffixes.append(f"dtype={dtype}")
        if body is None:
            body = "[]"
    else:
        if not PRINT_OPTS.edgeitems:
            suffixes.append(f"size={tuple(data.shape)}")
        default = _dtype.get_default_dtype()
        if dtype not in (default, default.to_complex(), _dtype.int64, _dtype.bool):
            suffixes.append(f"dtype={dtype}")
        if body is None:
            body = _tensor_str(data, dtype, len(prefix))
    if t.grad_fn is not None:
        suffixes.append(f"grad_fn=<{t.grad_fn.name().rsplit('::', 1)[-1]}>")  # (torch::autograd::NotImplemented)
    elif t.requires_grad:
        suffixes.append("requires_grad=True")
    tangent = TANGENT[0](t)
    if tangent is not None:  # a dual tensor of torch.autograd.forward_ad
        suffixes.append(f"tangent={tangent}")
    return _add_suffixes(prefix + body, suffixes, len(prefix))
