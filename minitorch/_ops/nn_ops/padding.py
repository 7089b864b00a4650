"""Padding: ``torch.constant_pad_nd`` and ``torch.nn.functional.pad`` (constant, reflect, replicate, circular).

A constant pad is one op whose VJP crops (a negative pad) the gradient back; the other modes read the
input at a fancy-index key, so they are ``KeyedOp`` gathers whose adjoint accumulates into zeros.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ..._tensor import Tensor
from ...autograd.recording import defop, record
from ..autocast_policy import autocasting
from ..dims import as_int64, check_storage
from ..keyed import KeyedOp
from ..registry import compile_callable, op
from ..result_layout import in_suggested_format
from ..scalar_cast import checked_scalar
from ..shape import narrow_start, slice_dim
from ..signature import Parser
from .common import KERNEL_ALL_TYPES, refuse_unless

CONSTANT_PAD = defop("constant_pad_nd", grads={"self": lambda grad, pad: constant_pad_nd(grad, [-p for p in pad])},
                     complex_vjps=True)


@op("constant_pad_nd(Tensor input, SymIntArrayRef pad, Scalar value=0)")
def constant_pad_nd(input: Tensor, pad: Sequence[int], value: Any = 0) -> Tensor:
    """Pads the last ``len(pad) // 2`` dims, last dim first; a negative pad crops."""
    pad = [int(p) for p in pad]
    if len(pad) % 2:
        raise RuntimeError("Length of pad must be even but instead it equals %d" % len(pad))
    n = input._data.ndim
    if len(pad) // 2 > n:  # (torch's message lacks two spaces)
        raise RuntimeError("Length of pad should be no more than twice the number of dimensions of the input. Pad "
                           "length is %dwhile the input has %ddimensions." % (len(pad), n))
    crop = [slice(None)] * n
    widths = [(0, 0)] * n
    padded = range(n - len(pad) // 2, n)
    for d in padded:  # negative pads first narrow the input, with narrow's checks
        lo, hi = pad[2 * (n - 1 - d)], pad[2 * (n - 1 - d) + 1]
        start, size = 0, input._data.shape[d]
        if lo < 0:
            start = narrow_start(size, -lo, size + lo)
            size += lo
        if hi < 0:
            narrow_start(size, 0, size + hi)
            size += hi
        crop[d] = slice(start, start + size)
        widths[d] = (max(lo, 0), max(hi, 0))
    if any(p > 0 for p in pad):  # torch sizes a new tensor in int64 arithmetic (a huge pad wraps negative)
        shape = list(input._data.shape)
        for d in padded:
            lo, hi = pad[2 * (n - 1 - d)], pad[2 * (n - 1 - d) + 1]
            shape[d] = as_int64(shape[d] + lo + hi)
            if shape[d] < 0:
                raise RuntimeError("The input size %d, plus negative padding %d and %d resulted in a negative output "
                                   "size, which is invalid. Check dimension %d of your input."
                                   % (input._data.shape[d], lo, hi, d))
        check_storage(tuple(shape), input.dtype.np)
        fill = checked_scalar(value, input.dtype)  # (the new tensor's fill_)
    else:
        fill = 0  # (nothing is padded: value is not read)
    # (NumPy refuses an empty width list, which is a 0-d input's only one)
    data = np.pad(input._data[tuple(crop)], widths, constant_values=fill) if n else input._data.copy()
    return record(CONSTANT_PAD, in_suggested_format(data, input._data), (input,), {"pad": pad})


def _pad_indices(size: int, lo: int, hi: int, mode: str) -> np.ndarray:
    """For each output position along one padded dim, the input position it reads."""
    i = np.arange(-lo, size + hi)
    if mode == "reflect":  # pads are smaller than the size: one reflection at either end
        i = np.abs(i)
        return np.where(i >= size, 2 * (size - 1) - i, i)
    if mode == "replicate":
        return np.clip(i, 0, size - 1)
    # circular: negative pads crop first, and the rest wraps around what is left
    start, kept = max(-lo, 0), size - max(-lo, 0) - max(-hi, 0)
    return start + np.arange(-max(lo, 0), kept + max(hi, 0)) % kept


def _in_input_format(result: np.ndarray, input: np.ndarray, key: tuple) -> np.ndarray:
    return in_suggested_format(result, input)  # (torch allocates a pad in its input's suggested memory format)


_PAD_OPS: dict = {}
for _mode, _name in (("reflect", "ReflectionPad"), ("replicate", "ReplicationPad")):
    # torch's backward of these pads takes the input too (its result is tied to it), and adds float16/bfloat16
    # gradients in their dtype
    for _k in (1, 2, 3):
        _PAD_OPS[_mode, _k] = KeyedOp("%s_pad%dd" % (_mode, _k), "%s%dDBackward0" % (_name, _k),
                                      "%s%dDBackwardBackward0" % (_name, _k), tied=True, each_add_rounded=True,
                                      laid_out=_in_input_format)
# each pad under its aten name (reflection_pad2d...), for autocast's policy
_PADS = {key: autocasting("%s_pad%dd" % ("reflection" if key[0] == "reflect" else "replication", key[1]), pad.gather)
         for key, pad in _PAD_OPS.items()}


# ---- circular padding: torch copies the input into the middle of an empty tensor, then copies slices of that tensor
# into its pads, the last dim first, each dim's left pad before its right one (corners are written more than once):
# in-place copies into slices, so the graph is torch's chain of CopySlices and the gradient its engine's sums
def _circular_pad(input: Tensor, pad: Sequence[int], shape: tuple[int, ...]) -> Tensor:
    """aten's _pad_circular: ``input`` padded to ``shape`` (``pad``: the last dim's pads first)."""
    out = input.new_empty(shape)
    out_slice, in_slice = out, input
    for i in range(len(pad) // 2):
        d, lo, hi = len(shape) - 1 - i, pad[2 * i], pad[2 * i + 1]
        out_slice = slice_dim(out_slice, d, max(lo, 0), shape[d] - max(hi, 0))
        in_slice = slice_dim(in_slice, d, max(-lo, 0), input._data.shape[d] - max(-hi, 0))
    out_slice.copy_(in_slice)
    for i in range(len(pad) // 2):
        d, lo, hi = len(shape) - 1 - i, pad[2 * i], pad[2 * i + 1]
        if lo > 0:
            slice_dim(out, d, 0, lo).copy_(slice_dim(out, d, shape[d] - lo - max(hi, 0), shape[d] - max(hi, 0)))
        if hi > 0:
            slice_dim(out, d, shape[d] - hi, shape[d]).copy_(slice_dim(out, d, max(lo, 0), max(lo, 0) + hi))
    return out


def _check_output_size(shape: tuple, k: int, out: list[int], mode: str) -> None:
    """torch's refusals of negative pads that leave too little (outermost padded dim first in ``out``)."""
    if mode == "circular":
        if any(o < 0 for o in out):
            raise RuntimeError("Negative padding value is resulting in an empty dimension")
        return
    if k == 1 and out[0] < 1:
        raise RuntimeError("input (W: %d) is too small. Calculated output W: %d" % (shape[-1], out[0]))
    if all(o < 1 for o in out):  # torch's 2-d and 3-d kernels refuse only when every output size is
        given = {2: "H: %d, W: %d", 3: "D: %d H: %d, W: %d"}[k] % tuple(shape[-k:])
        if mode == "replicate" and k == 2:
            given += " "
        calculated = " ".join("%s: %d" % (name, o) for name, o in zip(("D", "H", "W")[-k:], out))
        raise RuntimeError("input (%s) is too small. Calculated output %s" % (given, calculated))
    full = list(shape[:len(shape) - k]) + out
    for o in out:
        if o < 0:
            raise RuntimeError("Trying to create tensor with negative dimension %d: %s" % (o, full))


def _pad(input: Tensor, pad: Sequence[int], mode: str = "constant", value: float | None = None) -> Tensor:
    """Constant, reflect, replicate or circular padding of the last dims."""
    pad = [int(p) for p in pad]
    if mode not in ("constant", "reflect", "replicate", "circular"):  # (read first: the binding's mode enum)
        raise NotImplementedError("Unrecognised padding mode %s" % mode)
    if len(pad) % 2:
        raise RuntimeError("Padding length must be divisible by 2")
    n = input._data.ndim
    if len(pad) // 2 > n:
        raise RuntimeError("Padding length should be less than or equal to two times the input dimension but got "
                           "padding length %d and input of dimension %d" % (len(pad), n))
    if mode == "constant":
        return constant_pad_nd(input, pad, 0.0 if value is None else float(value))  # (the binding's double)
    if value is not None and value != 0:
        raise RuntimeError('Padding mode "%s" doesn\'t take in value argument' % mode)
    k = len(pad) // 2
    if not 1 <= k <= 3 or n not in (k + 1, k + 2):
        raise NotImplementedError("Padding size %d is not supported for %dD input tensor.\nSupported combinations for "
                                  "non-constant padding:\n  - 2D or 3D input: padding size = 2 (pads last dimension)\n"
                                  "  - 3D or 4D input: padding size = 4 (pads last 2 dimensions)\n  - 4D or 5D input: "
                                  "padding size = 6 (pads last 3 dimensions)" % (len(pad), n))
    shape = input._data.shape
    if any(s == 0 for s in shape[n - k:]) or (n == k + 2 and shape[n - k - 1] == 0):
        raise RuntimeError("Expected %dD or %dD (batch mode) tensor with possibly 0 batch size and other non-zero "
                           "dimensions for input, but got: %s" % (k + 1, k + 2, list(shape)))
    indices = []
    for i in range(k):
        d = n - 1 - i
        lo, hi = pad[2 * i], pad[2 * i + 1]
        if mode == "reflect" and (lo >= shape[d] or hi >= shape[d]):
            raise RuntimeError("Argument #%d: Padding size should be less than the corresponding input dimension, "
                               "but got: padding (%d, %d) at dimension %d of input %s"
                               % (4 + 2 * i, lo, hi, d, list(shape)))
        if mode == "circular" and (lo > shape[d] or hi > shape[d]):
            raise RuntimeError("Padding value causes wrapping around more than once.")
        indices.insert(0, _pad_indices(shape[d], lo, hi, mode))
    out_sizes = [shape[n - 1 - i] + pad[2 * i] + pad[2 * i + 1] for i in reversed(range(k))]
    _check_output_size(shape, k, out_sizes, mode)
    if mode == "circular":
        return _circular_pad(input, pad, tuple(shape[:n - k]) + tuple(out_sizes))
    refuse_unless("%s_pad%dd" % ("reflection" if mode == "reflect" else "replication", k), input, KERNEL_ALL_TYPES)
    return _PADS[mode, k](input, (slice(None),) * (n - k) + np.ix_(*indices))


# torch._C._nn.pad: torch's argument parser, no ``torch.*`` name
_pad_binding = compile_callable(Parser(['pad(Tensor input, SymIntArrayRef pad, c10::string_view mode="constant", '
                                        'double? value=None)']), _pad, False, "pad")


def pad(input: Tensor, pad: Sequence[int], mode: str = "constant", value: float | None = None) -> Tensor:
    """``torch.nn.functional.pad``: the binding, given every argument by position (as torch's wrapper)."""
    return _pad_binding(input, pad, mode, value)
